#include <solvers/common/parameters.h>
#include <solvers/pk/dosing.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace organtwin::pk
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

    std::string
    trim(const std::string &s)
    {
      const auto b = s.find_first_not_of(" \t\r");
      const auto e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? "" : s.substr(b, e - b + 1);
    }
  } // namespace

  const char *
  route_name(Route r)
  {
    switch (r)
      {
        case Route::iv_bolus:
          return "iv_bolus";
        case Route::iv_infusion:
          return "iv_infusion";
        case Route::oral:
          return "oral";
      }
    return "?";
  }

  Route
  parse_route(const std::string &s, const std::string &where)
  {
    if (s == "iv_bolus")
      return Route::iv_bolus;
    if (s == "iv_infusion")
      return Route::iv_infusion;
    if (s == "oral")
      return Route::oral;
    throw InputError(where + " \"" + s + "\" is unknown; expected iv_bolus, iv_infusion or oral");
  }

  std::vector<Dose>
  make_regimen(Route route, double dose_mg, double infusion_h, double interval_h, unsigned int n_doses)
  {
    input_check(dose_mg > 0. && std::isfinite(dose_mg), "command line: --dose-mg",
                num(dose_mg) + ": expected a dose in mg > 0");
    input_check(n_doses >= 1, "command line: --doses", std::to_string(n_doses) + ": expected at least 1 dose");
    if (n_doses > 1)
      input_check(interval_h > 0. && std::isfinite(interval_h), "command line: --interval-h",
                  num(interval_h) + ": expected a dosing interval in h > 0 when --doses > 1");
    if (route == Route::iv_infusion)
      {
        input_check(infusion_h > 0. && std::isfinite(infusion_h), "command line: --infusion-h",
                    num(infusion_h) + ": expected an infusion duration in h > 0 for --route iv_infusion");
        if (n_doses > 1)
          input_check(infusion_h <= interval_h, "command line: --infusion-h",
                      num(infusion_h) + " h is longer than --interval-h " + num(interval_h) +
                        " h: infusions would overlap");
      }
    std::vector<Dose> d;
    for (unsigned int k = 0; k < n_doses; ++k)
      d.push_back(Dose{k * (n_doses > 1 ? interval_h : 0.), route, dose_mg,
                       route == Route::iv_infusion ? infusion_h : 0.});
    return d;
  }

  std::vector<Dose>
  read_dose_table(const std::string &file)
  {
    std::ifstream in(file);
    if (!in)
      throw InputError(file + ": cannot open the dose table (does it exist and is it readable?)");
    std::string line;
    int         lineno = 0;
    std::vector<std::string> header;
    std::vector<Dose>        doses;
    while (std::getline(in, line))
      {
        ++lineno;
        if (trim(line).empty() || trim(line)[0] == '#')
          continue;
        std::vector<std::string> cells;
        std::stringstream        ss(line);
        std::string              cell;
        while (std::getline(ss, cell, ','))
          cells.push_back(trim(cell));
        if (!trim(line).empty() && trim(line).back() == ',')
          cells.push_back(""); // trailing empty field
        if (header.empty())
          {
            header = cells;
            const bool ok = (header.size() == 3 || header.size() == 4) && header[0] == "time_h" &&
                            header[1] == "route" && header[2] == "dose_mg" &&
                            (header.size() == 3 || header[3] == "duration_h");
            if (!ok)
              throw InputError(file + ":" + std::to_string(lineno) +
                               ": header must be \"time_h,route,dose_mg\" or \"time_h,route,dose_mg,duration_h\"");
            continue;
          }
        const std::string at = file + ":" + std::to_string(lineno) + ": ";
        if (cells.size() != header.size())
          throw InputError(at + "expected " + std::to_string(header.size()) + " values, found " +
                           std::to_string(cells.size()));
        auto number = [&](std::size_t i) {
          char        *end = nullptr;
          const double x   = std::strtod(cells[i].c_str(), &end);
          if (cells[i].empty() || *end != '\0' || !std::isfinite(x))
            throw InputError(at + "column " + header[i] + " = \"" + cells[i] + "\" is not a number");
          return x;
        };
        Dose d;
        d.time_h    = number(0);
        d.route     = parse_route(cells[1], at + "column route =");
        d.amount_mg = number(2);
        d.duration_h = header.size() == 4 && !cells[3].empty() ? number(3) : 0.;
        input_check(d.time_h >= 0., at + "column time_h", num(d.time_h) + ": expected a time >= 0 h");
        input_check(d.amount_mg > 0., at + "column dose_mg", num(d.amount_mg) + ": expected a dose > 0 mg");
        if (d.route == Route::iv_infusion)
          input_check(d.duration_h > 0., at + "column duration_h",
                      num(d.duration_h) + ": an iv_infusion needs a duration > 0 h");
        if (!doses.empty())
          input_check(d.time_h >= doses.back().time_h, at + "column time_h",
                      num(d.time_h) + ": times must not decrease");
        doses.push_back(d);
      }
    input_check(!doses.empty(), file, "the dose table has no doses");
    return doses;
  }

  void
  check_schedule(const std::vector<Dose> &doses, double end_h, const std::string &where)
  {
    input_check(!doses.empty(), where, "no doses given");
    input_check(end_h > 0. && std::isfinite(end_h), where + " --end-h", num(end_h) + ": expected an end time > 0 h");
    double last = 0.;
    for (const auto &d : doses)
      {
        input_check(d.amount_mg > 0., where, "dose at t = " + num(d.time_h) + " h: expected a dose > 0 mg");
        last = std::max(last, d.time_h + (d.route == Route::iv_infusion ? d.duration_h : 0.));
        input_check(d.time_h < end_h, where + " --end-h",
                    num(end_h) + " h is not after the dose at t = " + num(d.time_h) +
                      " h: the end time must come after the last dose");
      }
    input_check(last <= end_h, where + " --end-h",
                num(end_h) + " h is before the end of the last infusion (" + num(last) + " h)");
  }

  double
  dose_given(const std::vector<Dose> &doses, double t)
  {
    double s = 0.;
    for (const auto &d : doses)
      {
        if (d.time_h > t)
          continue;
        if (d.route == Route::iv_infusion)
          s += d.amount_mg * std::min(1., (t - d.time_h) / d.duration_h);
        else
          s += d.amount_mg;
      }
    return s;
  }
} // namespace organtwin::pk
