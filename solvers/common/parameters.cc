#include <solvers/common/parameters.h>

#include <deal.II/base/exceptions.h>

#include <fstream>
#include <sstream>

namespace organtwin
{
  namespace
  {
    std::string
    trim(const std::string &s)
    {
      const auto b = s.find_first_not_of(" \t\n\r");
      if (b == std::string::npos)
        return "";
      const auto e = s.find_last_not_of(" \t\n\r");
      return s.substr(b, e - b + 1);
    }

    /// deal.II exceptions carry a multi-line banner; keep only the informative part.
    std::string
    info_of(const dealii::ExceptionBase &e)
    {
      std::ostringstream o;
      e.print_info(o);
      std::string s = trim(o.str());
      // collapse whitespace runs and newlines into single spaces
      std::string out;
      bool        space = false;
      for (char c : s)
        {
          if (c == '\n' || c == '\t' || c == ' ')
            {
              space = true;
              continue;
            }
          if (space && !out.empty())
            out += ' ';
          space = false;
          out += c;
        }
      return out;
    }
  } // namespace

  std::array<double, 3>
  parse_triple(const std::string &text, const std::string &where)
  {
    std::array<double, 3> v{};
    std::stringstream     ss(text);
    std::string           item;
    unsigned int          n = 0;
    while (std::getline(ss, item, ','))
      {
        item = trim(item);
        std::size_t used = 0;
        bool        ok   = n < 3 && !item.empty();
        if (ok)
          {
            try
              {
                v[n] = std::stod(item, &used);
              }
            catch (...)
              {
                ok = false;
              }
          }
        if (!ok || used != item.size())
          throw InputError(where + ": \"" + text + "\" is not three numbers x,y,z");
        ++n;
      }
    if (n != 3)
      throw InputError(where + ": \"" + text + "\" is not three numbers x,y,z");
    return v;
  }

  dealii::Point<3>
  parse_point(const std::string &text, const std::string &where)
  {
    const auto v = parse_triple(text, where);
    return dealii::Point<3>(v[0], v[1], v[2]);
  }

  void
  input_check(bool cond, const std::string &where, const std::string &what)
  {
    if (!cond)
      throw InputError(where + ": " + what);
  }

  std::string
  entry_path(const std::vector<std::string> &subsections, const std::string &entry)
  {
    std::string p = "[";
    for (const auto &s : subsections)
      p += s + "/";
    return p + entry + "]";
  }

  Deck::Deck(dealii::ParameterHandler &prm)
    : prm(prm)
  {}

  void
  Deck::parse_file(const std::string &name)
  {
    filename = name;
    {
      std::ifstream in(name);
      if (!in)
        throw InputError(name + ": cannot open the deck file (does it exist and is it readable?)");
    }
    const bool json = name.size() > 5 && name.substr(name.size() - 5) == ".json";
    try
      {
        if (json)
          {
            std::ifstream in(name);
            prm.parse_input_from_json(in, /*skip_undefined=*/false);
          }
        else
          prm.parse_input(name, /*last_line=*/"", /*skip_undefined=*/false,
                          /*assert_mandatory_entries_are_found=*/false);
      }
    catch (const dealii::ExceptionBase &e)
      {
        throw InputError(name + ": " + info_of(e));
      }
    catch (const std::exception &e)
      {
        throw InputError(name + ": " + e.what());
      }
  }

  void
  set_by_path(dealii::ParameterHandler &prm, const std::string &path, const std::string &value,
              const std::string &origin)
  {
    std::vector<std::string> parts;
    {
      std::stringstream ss(path);
      std::string       p;
      while (std::getline(ss, p, '/'))
        parts.push_back(trim(p));
    }
    if (parts.empty() || parts.back().empty())
      throw InputError(origin + ": override \"" + path + "\" has no entry name (expected Sub/Entry=value)");
    const std::string entry = parts.back();
    parts.pop_back();
    unsigned int entered = 0;
    try
      {
        for (const auto &s : parts)
          {
            prm.enter_subsection(s);
            ++entered;
          }
        prm.set(entry, value);
      }
    catch (const dealii::ExceptionBase &e)
      {
        for (unsigned int i = 0; i < entered; ++i)
          prm.leave_subsection();
        throw InputError(origin + ": " + entry_path(parts, entry) + " = \"" + value + "\": " + info_of(e));
      }
    for (unsigned int i = 0; i < entered; ++i)
      prm.leave_subsection();
  }

  void
  Deck::apply_overrides(const std::vector<std::string> &overrides)
  {
    for (const auto &o : overrides)
      {
        const auto eq = o.find('=');
        if (eq == std::string::npos)
          throw InputError("command line: override \"" + o + "\" must look like Sub/Entry=value");
        set_by_path(prm, o.substr(0, eq), trim(o.substr(eq + 1)), "command line (-s " + o + ")");
      }
  }

  void
  Deck::write_used(const std::string &name) const
  {
    std::ofstream out(name);
    prm.print_parameters(out, dealii::ParameterHandler::KeepDeclarationOrder);
  }

  void
  print_default_deck(dealii::ParameterHandler &prm, std::ostream &out)
  {
    prm.print_parameters(out, dealii::ParameterHandler::OutputStyle(dealii::ParameterHandler::PRM |
                                                                     dealii::ParameterHandler::KeepDeclarationOrder));
  }
} // namespace organtwin
