#include <physics/pk/compound.h>
#include <physics/pk/json_value.h>
#include <solvers/common/parameters.h>

#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace organtwin::pk
{
  namespace
  {
    using Type = JsonValue::Type;

    std::string
    num(double v)
    {
      std::ostringstream s;
      s << v;
      return s.str();
    }

    struct Reader
    {
      const std::string &origin;

      std::string
      at(const std::string &key, const JsonValue &v) const
      {
        return origin + ":" + std::to_string(v.line) + ": \"" + key + "\"";
      }

      void
      only_keys(const JsonValue &obj, const std::string &path, const std::set<std::string> &allowed) const
      {
        for (const auto &[k, v] : obj.members)
          if (allowed.count(k) == 0)
            {
              std::string list;
              for (const auto &a : allowed)
                list += (list.empty() ? "" : ", ") + a;
              throw InputError(at(path + k, v) + " is not a known key; allowed here: " + list);
            }
      }

      const JsonValue &
      expect(const JsonValue &v, Type t, const std::string &key) const
      {
        if (v.type != t)
          throw InputError(at(key, v) + ": expected " + JsonValue::type_name(t) + ", found " +
                           JsonValue::type_name(v.type));
        return v;
      }

      double
      number(const JsonValue &obj, const std::string &key, const std::string &path, bool required, double def,
             double lo, bool lo_open, double hi, bool hi_open, const std::string &expected) const
      {
        const JsonValue *v = obj.find(key);
        if (!v)
          {
            if (required)
              throw InputError(origin + ": \"" + path + key + "\" is missing; expected " + expected);
            return def;
          }
        const double x  = expect(*v, Type::number, path + key).num;
        const bool   ok = (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
        if (!ok)
          throw InputError(at(path + key, *v) + " = " + num(x) + ": expected " + expected);
        return x;
      }
    };
  } // namespace

  Compound
  parse_compound(const std::string &text, const std::string &origin)
  {
    const JsonValue root = parse_json(text, origin);
    Reader          r{origin};
    if (root.type != Type::object)
      throw InputError(origin + ": the compound file must be a JSON object {...}");
    r.only_keys(root, "",
                {"name", "molecular_weight_g_per_mol", "logP", "fraction_unbound_plasma", "blood_to_plasma_ratio",
                 "pKa", "clearance", "absorption"});
    Compound c;
    c.file = origin;

    const JsonValue *name = root.find("name");
    if (!name)
      throw InputError(origin + ": \"name\" is missing; expected the drug name as a string");
    c.name = r.expect(*name, Type::string, "name").str;
    if (c.name.empty())
      throw InputError(r.at("name", *name) + " is empty; expected the drug name");

    const double inf = std::numeric_limits<double>::infinity();
    c.mw_g_per_mol = r.number(root, "molecular_weight_g_per_mol", "", true, 0., 0., true, 5000., false,
                              "a molecular weight in g/mol, > 0 and <= 5000");
    c.logP = r.number(root, "logP", "", true, 0., -10., false, 15., false, "a log10 octanol:water partition "
                      "coefficient between -10 and 15");
    c.fu   = r.number(root, "fraction_unbound_plasma", "", true, 0., 0., true, 1., false,
                      "a fraction unbound in plasma in (0, 1]");
    c.bp   = r.number(root, "blood_to_plasma_ratio", "", false, -1., 0., true, 100., false,
                      "a blood:plasma concentration ratio > 0 (omit it to have it predicted)");

    if (const JsonValue *pk = root.find("pKa"))
      {
        r.expect(*pk, Type::array, "pKa");
        for (std::size_t i = 0; i < pk->items.size(); ++i)
          {
            const JsonValue  &e    = pk->items[i];
            const std::string path = "pKa[" + std::to_string(i) + "].";
            r.expect(e, Type::object, "pKa[" + std::to_string(i) + "]");
            r.only_keys(e, path, {"value", "type"});
            Pka p;
            p.value              = r.number(e, "value", path, true, 0., -5., false, 20., false, "a pKa between -5 and 20");
            const JsonValue *typ = e.find("type");
            if (!typ)
              throw InputError(origin + ": \"" + path + "type\" is missing; expected \"acid\" or \"base\"");
            const std::string t = r.expect(*typ, Type::string, path + "type").str;
            if (t != "acid" && t != "base")
              throw InputError(r.at(path + "type", *typ) + " = \"" + t + "\": expected \"acid\" or \"base\"");
            p.base = t == "base";
            c.pka.push_back(p);
          }
        if (c.pka.size() > 4)
          throw InputError(r.at("pKa", *pk) + ": at most 4 ionisable groups are supported");
      }

    if (const JsonValue *cl = root.find("clearance"))
      {
        r.expect(*cl, Type::object, "clearance");
        r.only_keys(*cl, "clearance.",
                    {"hepatic_plasma_L_per_h", "hepatic_intrinsic_L_per_h", "renal_plasma_L_per_h",
                     "renal_filtration"});
        const std::string expected = "a clearance in L/h, >= 0";
        c.cl_hepatic_plasma_L_per_h =
          r.number(*cl, "hepatic_plasma_L_per_h", "clearance.", false, 0., 0., false, inf, true, expected);
        c.cl_hepatic_intrinsic_L_per_h =
          r.number(*cl, "hepatic_intrinsic_L_per_h", "clearance.", false, 0., 0., false, inf, true, expected);
        c.cl_renal_plasma_L_per_h =
          r.number(*cl, "renal_plasma_L_per_h", "clearance.", false, 0., 0., false, inf, true, expected);
        if (const JsonValue *f = cl->find("renal_filtration"))
          c.renal_filtration = r.expect(*f, Type::boolean, "clearance.renal_filtration").b;
      }

    if (const JsonValue *ab = root.find("absorption"))
      {
        r.expect(*ab, Type::object, "absorption");
        r.only_keys(*ab, "absorption.", {"ka_per_h", "fraction_absorbed", "fraction_escaping_gut"});
        c.has_absorption = true;
        c.ka_per_h = r.number(*ab, "ka_per_h", "absorption.", true, 0., 0., true, 1000., false,
                              "a first-order absorption rate constant in 1/h, > 0");
        c.fraction_absorbed = r.number(*ab, "fraction_absorbed", "absorption.", false, 1., 0., false, 1., false,
                                       "a fraction in [0, 1]");
        c.fraction_escaping_gut = r.number(*ab, "fraction_escaping_gut", "absorption.", false, 1., 0., false, 1.,
                                           false, "a fraction in [0, 1]");
      }
    return c;
  }

  Compound
  read_compound(const std::string &filename)
  {
    std::ifstream in(filename);
    if (!in)
      throw InputError(filename + ": cannot open the compound file (does it exist and is it readable?)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_compound(ss.str(), filename);
  }
} // namespace organtwin::pk
