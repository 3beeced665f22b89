// Constant and table concentration sources; the PBPK-backed sources reuse the table
// source (physics/pk/pbpk_source.cc).
#include <physics/drugs/concentration_source.h>
#include <physics/pk/pbpk_source.h>
#include <solvers/common/parameters.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace organtwin::drugs
{
  namespace
  {
    std::string
    num(double v)
    {
      std::ostringstream s;
      s << v;
      return s.str();
    }

    class ConstantSource : public ConcentrationSource
    {
    public:
      explicit ConstantSource(double c)
        : c(c)
      {}
      double unbound_uM(const std::string &, double) const override { return c; }
      std::vector<std::string> organs() const override { return {"*"}; }
      std::string description() const override { return "constant " + num(c) + " uM"; }

    private:
      double c;
    };

    /// Piecewise-linear series per organ; "*" answers for every organ.
    class TableSource : public ConcentrationSource
    {
    public:
      TableSource(std::vector<double> t, std::map<std::string, std::vector<double>> c, std::string desc)
        : t(std::move(t))
        , c(std::move(c))
        , desc(std::move(desc))
      {
        if (this->t.empty() || this->c.empty())
          throw std::invalid_argument("concentration table: no data");
        for (std::size_t i = 1; i < this->t.size(); ++i)
          if (!(this->t[i] > this->t[i - 1]))
            throw std::invalid_argument("concentration table: times must increase strictly");
        for (const auto &[o, v] : this->c)
          if (v.size() != this->t.size())
            throw std::invalid_argument("concentration table: column " + o + " has the wrong length");
      }

      double
      unbound_uM(const std::string &organ, double t_h) const override
      {
        auto it = c.find(organ);
        if (it == c.end())
          it = c.find("*");
        if (it == c.end())
          {
            std::string list;
            for (const auto &[o, v] : c)
              list += (list.empty() ? "" : ", ") + o;
            throw InputError(desc + ": no unbound concentration for organ \"" + organ + "\"; available: " + list);
          }
        const auto &v = it->second;
        if (t_h <= t.front())
          return v.front();
        if (t_h >= t.back())
          return v.back();
        const std::size_t k = std::upper_bound(t.begin(), t.end(), t_h) - t.begin(); // t[k-1] <= t_h < t[k]
        const double      w = (t_h - t[k - 1]) / (t[k] - t[k - 1]);
        return (1. - w) * v[k - 1] + w * v[k];
      }

      std::vector<std::string>
      organs() const override
      {
        std::vector<std::string> o;
        for (const auto &[k, v] : c)
          o.push_back(k);
        return o;
      }

      std::string description() const override { return desc; }

    private:
      std::vector<double>                        t;
      std::map<std::string, std::vector<double>> c;
      std::string                                desc;
    };

    std::vector<std::string>
    split_csv(const std::string &line)
    {
      std::vector<std::string> cells;
      std::stringstream        ss(line);
      std::string              cell;
      while (std::getline(ss, cell, ','))
        {
          const auto b = cell.find_first_not_of(" \t\r\"");
          const auto e = cell.find_last_not_of(" \t\r\"");
          cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
        }
      return cells;
    }
  } // namespace

  std::unique_ptr<ConcentrationSource>
  make_constant_source(double c_uM)
  {
    if (!(c_uM >= 0.) || !std::isfinite(c_uM))
      throw InputError("constant concentration source: " + num(c_uM) + " uM: expected a concentration >= 0");
    return std::make_unique<ConstantSource>(c_uM);
  }

  std::unique_ptr<ConcentrationSource>
  make_table_source(const std::string &file)
  {
    std::ifstream in(file);
    if (!in)
      throw InputError(file + ": cannot open the concentration table (does it exist and is it readable?)");
    std::string line;
    int         lineno = 0;
    std::vector<std::string> header;
    while (header.empty() && std::getline(in, line))
      {
        ++lineno;
        if (!line.empty() && line[0] != '#' && line.find_first_not_of(" \t\r") != std::string::npos)
          header = split_csv(line);
      }
    if (header.empty())
      throw InputError(file + ": the concentration table is empty (expected a header with time_h)");
    int                                   i_time = -1;
    std::vector<std::pair<int, std::string>> cols; // column index, organ
    const std::string suffix = "_unbound_uM";
    for (std::size_t i = 0; i < header.size(); ++i)
      {
        const std::string &h = header[i];
        if (h == "time_h")
          i_time = static_cast<int>(i);
        else if (h == "conc_uM")
          cols.emplace_back(static_cast<int>(i), "*");
        else if (h.size() > suffix.size() && h.compare(h.size() - suffix.size(), suffix.size(), suffix) == 0)
          cols.emplace_back(static_cast<int>(i), h.substr(0, h.size() - suffix.size()));
      }
    if (i_time < 0)
      throw InputError(file + ":" + std::to_string(lineno) + ": no column \"time_h\" in the header");
    if (cols.empty())
      throw InputError(file + ":" + std::to_string(lineno) +
                       ": no concentration column; expected \"conc_uM\" or \"<organ>_unbound_uM\"");

    std::vector<double>                        t;
    std::map<std::string, std::vector<double>> c;
    while (std::getline(in, line))
      {
        ++lineno;
        if (line.empty() || line[0] == '#' || line.find_first_not_of(" \t\r") == std::string::npos)
          continue;
        const auto  cells = split_csv(line);
        const std::string at = file + ":" + std::to_string(lineno) + ": ";
        if (cells.size() != header.size())
          throw InputError(at + "expected " + std::to_string(header.size()) + " values, found " +
                           std::to_string(cells.size()));
        auto number = [&](int i) {
          char        *end = nullptr;
          const double x   = std::strtod(cells[i].c_str(), &end);
          if (cells[i].empty() || *end != '\0' || !std::isfinite(x))
            throw InputError(at + "column " + header[i] + " = \"" + cells[i] + "\" is not a number");
          return x;
        };
        const double ti = number(i_time);
        if (!t.empty() && !(ti > t.back()))
          throw InputError(at + "column time_h = " + cells[i_time] + ": times must increase strictly");
        t.push_back(ti);
        for (const auto &[i, organ] : cols)
          {
            const double x = number(i);
            if (x < 0.)
              throw InputError(at + "column " + header[i] + " = " + cells[i] + ": expected a concentration >= 0");
            c[organ].push_back(x);
          }
      }
    if (t.empty())
      throw InputError(file + ": the concentration table has a header but no rows");
    std::string what;
    for (const auto &[i, organ] : cols)
      what += (what.empty() ? "" : ", ") + header[i];
    return std::make_unique<TableSource>(std::move(t), std::move(c), "table " + file + " (" + what + ")");
  }
} // namespace organtwin::drugs

namespace organtwin::pk
{
  std::unique_ptr<drugs::ConcentrationSource>
  make_pbpk_source(const UnboundSeries &s)
  {
    return std::make_unique<drugs::TableSource>(s.time_h, s.unbound_uM,
                                                 s.description.empty() ? "PBPK (in memory)" : s.description);
  }

  std::unique_ptr<drugs::ConcentrationSource>
  make_pbpk_results_source(const std::string &dir_or_csv)
  {
    namespace fs = std::filesystem;
    const std::string file =
      fs::is_directory(dir_or_csv) ? (fs::path(dir_or_csv) / "concentrations.csv").string() : dir_or_csv;
    if (!fs::exists(file))
      throw InputError(file + ": no PBPK results here (expected the concentrations.csv written by organtwin pk)");
    return drugs::make_table_source(file);
  }
} // namespace organtwin::pk
