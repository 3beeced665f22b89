#include <physics/drugs/drug.h>
#include <physics/ionic/ionic_model.h>
#include <solvers/common/parameters.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace organtwin::drugs
{
  namespace
  {
    std::string
    lower(std::string s)
    {
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      return s;
    }

    std::string
    trim(const std::string &s)
    {
      const auto a = s.find_first_not_of(" \t\r\"");
      const auto b = s.find_last_not_of(" \t\r\"");
      return a == std::string::npos ? "" : s.substr(a, b - a + 1);
    }

    /// Channel from a name in any case ("ical", "ICaL").
    std::optional<ionic::Channel>
    channel_any_case(const std::string &n)
    {
      for (unsigned int c = 0; c < ionic::n_channels; ++c)
        if (lower(ionic::channel_name(static_cast<ionic::Channel>(c))) == lower(n))
          return static_cast<ionic::Channel>(c);
      return std::nullopt;
    }

    std::string
    channel_list()
    {
      std::string s;
      for (unsigned int c = 0; c < ionic::n_channels; ++c)
        s += (c ? ", " : "") + ionic::channel_name(static_cast<ionic::Channel>(c));
      return s;
    }

    double
    to_number(const std::string &text, const std::string &where)
    {
      try
        {
          std::size_t pos = 0;
          const double v  = std::stod(text, &pos);
          if (trim(text.substr(pos)).empty() && std::isfinite(v))
            return v;
        }
      catch (...)
        {
        }
      throw InputError(where + ": \"" + text + "\" is not a number");
    }

    void
    check_drug(const Drug &d, const std::string &where)
    {
      input_check(!d.name.empty(), where, "the drug has no name");
      input_check(d.risk_level >= -1 && d.risk_level <= 2, where + " [risk level]",
                  "expected 0 (Low), 1 (Intermediate) or 2 (High)");
      for (unsigned int c = 0; c < ionic::n_channels; ++c)
        if (d.block[c])
          {
            const std::string ch = ionic::channel_name(static_cast<ionic::Channel>(c));
            input_check(d.block[c]->ic50_nM > 0., where + " [" + ch + " IC50]",
                        "= " + std::to_string(d.block[c]->ic50_nM) + " nM: expected an IC50 > 0");
            input_check(d.block[c]->hill > 0., where + " [" + ch + " Hill coefficient]",
                        "= " + std::to_string(d.block[c]->hill) + ": expected a Hill coefficient > 0");
          }
      if (d.herg)
        {
          const auto &h = *d.herg;
          input_check(h.Kmax >= 0. && h.Ku_per_ms >= 0. && h.n > 0. && h.halfmax_nM_pow_n > 0., where + " [hERG dynamics]",
                      "expected Kmax >= 0, Ku >= 0, n > 0, halfmax > 0");
        }
    }
  } // namespace

  double
  HillBlock::scale(double c_nM) const
  {
    return c_nM <= 0. ? 1. : 1. / (1. + std::pow(c_nM / ic50_nM, hill));
  }

  const std::string &
  risk_name(int level)
  {
    static const std::string n[] = {"Low", "Intermediate", "High", "unknown"};
    return n[(level >= 0 && level <= 2) ? level : 3];
  }

  ionic::ChannelScale
  conductance_scale(const Drug &d, double c_nM, bool dynamic_herg)
  {
    ionic::ChannelScale s = ionic::no_block();
    for (unsigned int c = 0; c < ionic::n_channels; ++c)
      {
        if (!d.block[c])
          continue;
        if (static_cast<ionic::Channel>(c) == ionic::Channel::IKr && dynamic_herg && d.herg)
          continue;
        s[c] = d.block[c]->scale(c_nM);
      }
    return s;
  }

  void
  apply_drug(ionic::IonicModel &model, const Drug &d, double c_nM)
  {
    const bool dyn = model.has_dynamic_herg();
    if (dyn && c_nM > 0. && !d.herg && !d.block[static_cast<unsigned int>(ionic::Channel::IKr)])
      throw InputError("drug " + d.name + ": model " + model.name() +
                       " blocks IKr through dynamic hERG binding, but the drug has neither dynamic hERG "
                       "parameters (herg_Kmax, ...) nor a static IKr IC50");
    model.set_channel_scale(conductance_scale(d, c_nM, dyn));
    if (dyn)
      {
        ionic::HergBinding b;
        if (d.herg)
          {
            b         = *d.herg;
            b.conc_nM = c_nM;
          }
        model.set_herg_binding(b);
      }
  }

  bool
  DrugLibrary::has(const std::string &name) const
  {
    return std::any_of(list.begin(), list.end(), [&](const Drug &d) { return lower(d.name) == lower(name); });
  }

  const Drug &
  DrugLibrary::get(const std::string &name) const
  {
    for (const auto &d : list)
      if (lower(d.name) == lower(name))
        return d;
    std::string all;
    for (const auto &d : list)
      all += (all.empty() ? "" : ", ") + d.name;
    throw InputError(source + ": no drug named \"" + name + "\"; the file has: " + all);
  }

  namespace
  {
    std::vector<std::string>
    split_csv(const std::string &line)
    {
      std::vector<std::string> f;
      std::string              cur;
      bool                     quoted = false;
      for (char c : line)
        {
          if (c == '"')
            quoted = !quoted;
          else if (c == ',' && !quoted)
            {
              f.push_back(trim(cur));
              cur.clear();
            }
          else
            cur += c;
        }
      f.push_back(trim(cur));
      return f;
    }

    std::vector<Drug>
    read_csv(const std::string &file)
    {
      std::ifstream in(file);
      std::string   line;
      unsigned      lineno = 0;
      std::vector<std::string> header;
      while (header.empty() && std::getline(in, line))
        {
          ++lineno;
          if (!trim(line).empty() && trim(line)[0] != '#')
            header = split_csv(line);
        }
      input_check(!header.empty(), file, "the drug file is empty (expected a header line with drug, cmax_free_nM, ...)");
      // classify the columns
      const std::set<std::string> info = {"ikr_fda_ic50_nm", "ikr_fda_hill", "ic50_source", "herg_dyn_source",
                                          "notes", "risk_category"};
      const std::set<std::string> herg_cols = {"herg_kmax", "herg_ku_per_ms", "herg_n", "herg_halfmax_nm_pow_n",
                                               "herg_vhalf_mv"};
      std::map<unsigned, std::pair<ionic::Channel, bool>> ch_cols; // column -> (channel, is_ic50)
      int col_name = -1, col_cmax = -1, col_risk = -1, col_cat = -1;
      std::map<std::string, unsigned> herg_at;
      for (unsigned k = 0; k < header.size(); ++k)
        {
          const std::string h = lower(header[k]);
          const std::string where = file + ":" + std::to_string(lineno) + ": column \"" + header[k] + "\"";
          if (h == "drug" || h == "name")
            col_name = k;
          else if (h == "cmax_free_nm")
            col_cmax = k;
          else if (h == "cipa_risk_level" || h == "risk_level")
            col_risk = k;
          else if (h == "risk_category")
            col_cat = k;
          else if (herg_cols.count(h))
            herg_at[h] = k;
          else if (info.count(h))
            ;
          else if (h.size() > 8 && h.substr(h.size() - 8) == "_ic50_nm")
            {
              const auto c = channel_any_case(h.substr(0, h.size() - 8));
              if (!c)
                throw InputError(where + ": unknown channel \"" + h.substr(0, h.size() - 8) +
                                 "\"; known channels: " + channel_list());
              ch_cols[k] = {*c, true};
            }
          else if (h.size() > 5 && h.substr(h.size() - 5) == "_hill")
            {
              const auto c = channel_any_case(h.substr(0, h.size() - 5));
              if (!c)
                throw InputError(where + ": unknown channel \"" + h.substr(0, h.size() - 5) +
                                 "\"; known channels: " + channel_list());
              ch_cols[k] = {*c, false};
            }
          else
            throw InputError(where + ": unknown column; expected drug, cmax_free_nM, cipa_risk_level, "
                             "<channel>_ic50_nM, <channel>_hill, herg_Kmax, herg_Ku_per_ms, herg_n, "
                             "herg_halfmax_nM_pow_n, herg_Vhalf_mV or an informational column");
        }
      input_check(col_name >= 0, file + ":" + std::to_string(lineno), "missing column \"drug\"");
      // every IC50 column needs its Hill column
      for (const auto &[k, p] : ch_cols)
        if (p.second)
          {
            bool found = false;
            for (const auto &[k2, p2] : ch_cols)
              found = found || (p2.first == p.first && !p2.second);
            input_check(found, file + ":" + std::to_string(lineno) + ": column \"" + header[k] + "\"",
                        "has no Hill coefficient column (" + lower(ionic::channel_name(p.first)) + "_hill)");
          }

      std::vector<Drug> drugs;
      while (std::getline(in, line))
        {
          ++lineno;
          if (trim(line).empty() || trim(line)[0] == '#')
            continue;
          const auto f = split_csv(line);
          const std::string at = file + ":" + std::to_string(lineno);
          input_check(f.size() == header.size(), at,
                      "has " + std::to_string(f.size()) + " fields, the header has " + std::to_string(header.size()));
          Drug d;
          d.name = f[col_name];
          const std::string where = at + " (drug " + d.name + ")";
          if (col_cmax >= 0 && !f[col_cmax].empty())
            {
              d.cmax_free_nM = to_number(f[col_cmax], where + ": cmax_free_nM");
              input_check(d.cmax_free_nM > 0., where + ": cmax_free_nM", "expected a concentration > 0 nM");
            }
          if (col_risk >= 0 && !f[col_risk].empty())
            d.risk_level = static_cast<int>(to_number(f[col_risk], where + ": cipa_risk_level"));
          else if (col_cat >= 0 && !f[col_cat].empty())
            {
              const std::string c = lower(f[col_cat]);
              d.risk_level        = c == "high" ? 2 : c == "intermediate" ? 1 : c == "low" ? 0 : -2;
              input_check(d.risk_level >= 0, where + ": risk_category", "expected High, Intermediate or Low");
            }
          std::array<std::optional<double>, ionic::n_channels> ic50, hill;
          for (const auto &[k, p] : ch_cols)
            if (!f[k].empty())
              (p.second ? ic50 : hill)[static_cast<unsigned>(p.first)] =
                to_number(f[k], where + ": " + header[k]);
          for (unsigned c = 0; c < ionic::n_channels; ++c)
            {
              const std::string ch = lower(ionic::channel_name(static_cast<ionic::Channel>(c)));
              if (ic50[c] && !hill[c])
                throw InputError(where + ": " + ch + "_ic50_nM is given but " + ch +
                                 "_hill is empty: a Hill coefficient is required");
              if (hill[c] && !ic50[c])
                throw InputError(where + ": " + ch + "_hill is given but " + ch + "_ic50_nM is empty");
              if (ic50[c])
                d.block[c] = HillBlock{*ic50[c], *hill[c]};
            }
          unsigned n_herg = 0;
          ionic::HergBinding b;
          for (const auto &[h, k] : herg_at)
            if (!f[k].empty())
              {
                const double v = to_number(f[k], where + ": " + header[k]);
                ++n_herg;
                if (h == "herg_kmax")
                  b.Kmax = v;
                else if (h == "herg_ku_per_ms")
                  b.Ku_per_ms = v;
                else if (h == "herg_n")
                  b.n = v;
                else if (h == "herg_halfmax_nm_pow_n")
                  b.halfmax_nM_pow_n = v;
                else
                  b.Vhalf_mV = v;
              }
          input_check(n_herg == 0 || n_herg == 5, where,
                      "dynamic hERG parameters are incomplete: give all of herg_Kmax, herg_Ku_per_ms, herg_n, "
                      "herg_halfmax_nM_pow_n, herg_Vhalf_mV or none");
          if (n_herg == 5)
            d.herg = b;
          check_drug(d, where);
          drugs.push_back(d);
        }
      return drugs;
    }

    std::vector<Drug>
    read_json(const std::string &file)
    {
      namespace pt = boost::property_tree;
      pt::ptree root;
      try
        {
          pt::read_json(file, root);
        }
      catch (const pt::json_parser_error &e)
        {
          throw InputError(file + ":" + std::to_string(e.line()) + ": malformed JSON: " + e.message());
        }
      const auto arr = root.get_child_optional("drugs");
      input_check(bool(arr), file, "expected a top-level key \"drugs\" with a list of drugs");
      for (const auto &[k, v] : root)
        input_check(k == "drugs", file + ": key \"" + k + "\"", "unknown top-level key; expected \"drugs\"");
      std::vector<Drug> drugs;
      unsigned          idx = 0;
      for (const auto &[unused, e] : *arr)
        {
          Drug        d;
          std::string where = file + ": drugs[" + std::to_string(idx++) + "]";
          auto num = [&](const pt::ptree &t, const std::string &key, const std::string &w) {
            return to_number(t.get<std::string>(key), w + " \"" + key + "\"");
          };
          for (const auto &[key, val] : e)
            {
              if (key == "name")
                d.name = val.get_value<std::string>();
              else if (key == "cmax_free_nM")
                d.cmax_free_nM = num(e, key, where);
              else if (key == "risk_level")
                d.risk_level = static_cast<int>(num(e, key, where));
              else if (key == "block")
                {
                  for (const auto &[ch, blk] : val)
                    {
                      const auto c = channel_any_case(ch);
                      if (!c)
                        throw InputError(where + ": block: unknown channel \"" + ch + "\"; known channels: " +
                                         channel_list());
                      for (const auto &[bk, bv] : blk)
                        input_check(bk == "ic50_nM" || bk == "hill", where + ": block." + ch + ": key \"" + bk + "\"",
                                    "unknown key; expected ic50_nM and hill");
                      input_check(bool(blk.get_child_optional("ic50_nM")), where + ": block." + ch,
                                  "missing \"ic50_nM\"");
                      input_check(bool(blk.get_child_optional("hill")), where + ": block." + ch,
                                  "missing \"hill\" (a Hill coefficient is required)");
                      d.block[static_cast<unsigned>(*c)] =
                        HillBlock{num(blk, "ic50_nM", where + ": block." + ch), num(blk, "hill", where + ": block." + ch)};
                    }
                }
              else if (key == "herg_dynamic")
                {
                  ionic::HergBinding b;
                  const std::string  w = where + ": herg_dynamic";
                  for (const auto &[hk, hv] : val)
                    input_check(hk == "Kmax" || hk == "Ku_per_ms" || hk == "n" || hk == "halfmax_nM_pow_n" ||
                                  hk == "Vhalf_mV",
                                w + ": key \"" + hk + "\"", "unknown key; expected Kmax, Ku_per_ms, n, halfmax_nM_pow_n, Vhalf_mV");
                  for (const char *hk : {"Kmax", "Ku_per_ms", "n", "halfmax_nM_pow_n", "Vhalf_mV"})
                    input_check(bool(val.get_child_optional(hk)), w, std::string("missing \"") + hk + "\"");
                  b.Kmax             = num(val, "Kmax", w);
                  b.Ku_per_ms        = num(val, "Ku_per_ms", w);
                  b.n                = num(val, "n", w);
                  b.halfmax_nM_pow_n = num(val, "halfmax_nM_pow_n", w);
                  b.Vhalf_mV         = num(val, "Vhalf_mV", w);
                  d.herg             = b;
                }
              else
                throw InputError(where + ": unknown key \"" + key +
                                 "\"; expected name, cmax_free_nM, risk_level, block, herg_dynamic");
            }
          where += " (drug " + d.name + ")";
          check_drug(d, where);
          drugs.push_back(d);
        }
      return drugs;
    }
  } // namespace

  DrugLibrary
  DrugLibrary::read(const std::string &file)
  {
    {
      std::ifstream in(file);
      if (!in)
        throw InputError(file + ": cannot open the drug file (does it exist and is it readable?)");
    }
    DrugLibrary lib;
    lib.source = file;
    const bool json = file.size() > 5 && lower(file.substr(file.size() - 5)) == ".json";
    lib.list = json ? read_json(file) : read_csv(file);
    input_check(!lib.list.empty(), file, "contains no drugs");
    std::set<std::string> seen;
    for (const auto &d : lib.list)
      input_check(seen.insert(lower(d.name)).second, file + ": drug \"" + d.name + "\"", "appears twice");
    return lib;
  }
} // namespace organtwin::drugs
