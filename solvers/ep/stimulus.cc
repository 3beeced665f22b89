#include <solvers/common/parameters.h>
#include <solvers/ep/stimulus.h>

#include <algorithm>
#include <cmath>

namespace organtwin::ep
{
  using namespace dealii;

  namespace
  {
    const std::vector<std::string> sections = {"Stimulus", "Stimulus 2", "Stimulus 3", "Stimulus 4"};
  } // namespace

  bool
  Stimulus::contains(const Point<3> &x) const
  {
    const double eps = 1e-9;
    if (region == "box")
      {
        for (unsigned int d = 0; d < 3; ++d)
          if (x[d] < lower[d] - eps || x[d] > upper[d] + eps)
            return false;
        return true;
      }
    if (region == "sphere")
      return x.distance(centre) <= radius + eps;
    return false;
  }

  double
  Stimulus::active_fraction(double t0, double t1) const
  {
    if (region == "none" || t1 <= t0)
      return 0;
    double       on  = 0;
    const double per = period > 0 ? period : 1e300;
    unsigned int k0  = 0;
    if (period > 0 && t0 > start)
      k0 = static_cast<unsigned int>(std::floor((t0 - start) / period));
    for (unsigned int k = k0; k < n_pulses; ++k)
      {
        const double a = start + k * per, b = a + duration;
        if (a >= t1)
          break;
        on += std::max(0., std::min(b, t1) - std::max(a, t0));
        if (period <= 0)
          break;
      }
    return on / (t1 - t0);
  }

  void
  declare_stimulus_parameters(ParameterHandler &prm)
  {
    for (unsigned int i = 0; i < sections.size(); ++i)
      {
        prm.enter_subsection(sections[i]);
        prm.declare_entry("Region", i == 0 ? "box" : "none", Patterns::Selection("none|box|sphere|boundary"),
                          "stimulated region (nodes inside receive the current); boundary: the nodes of the "
                          "boundary faces with the given Boundary id (box meshes: 0..5 = x-, x+, y-, y+, z-, z+; "
                          "Gmsh meshes: the physical surface tag)");
        prm.declare_entry("Boundary id", "0", Patterns::Integer(0), "[1] boundary tag, for Region = boundary");
        prm.declare_entry("Box lower corner", "0,0,0", Patterns::Anything(), "[mm] box region lower corner");
        prm.declare_entry("Box upper corner", "1.5,1.5,1.5", Patterns::Anything(), "[mm] box region upper corner");
        prm.declare_entry("Sphere centre", "0,0,0", Patterns::Anything(), "[mm] sphere region centre");
        prm.declare_entry("Sphere radius", "1", Patterns::Double(0.), "[mm] sphere region radius");
        prm.declare_entry("Strength", "50000", Patterns::Double(),
                          "[uA/cm^3] volumetric stimulus current, positive depolarises (Niederer 2011: 50000)");
        prm.declare_entry("Start", "0", Patterns::Double(0.), "[ms] onset of the first pulse");
        prm.declare_entry("Duration", "2", Patterns::Double(0.), "[ms] pulse duration");
        prm.declare_entry("Period", "0", Patterns::Double(0.), "[ms] pacing cycle length; 0 = single pulse");
        prm.declare_entry("Number of pulses", "1", Patterns::Integer(1), "[1] pulses when Period > 0");
        prm.leave_subsection();
      }
  }

  std::vector<Stimulus>
  parse_stimulus_parameters(ParameterHandler &prm, const std::string &deck)
  {
    std::vector<Stimulus> out;
    for (const auto &sec : sections)
      {
        prm.enter_subsection(sec);
        Stimulus s;
        s.section = sec;
        s.region  = prm.get("Region");
        const std::string w = deck + ": [" + sec + "/";
        s.lower    = parse_point(prm.get("Box lower corner"), w + "Box lower corner]");
        s.upper    = parse_point(prm.get("Box upper corner"), w + "Box upper corner]");
        s.centre   = parse_point(prm.get("Sphere centre"), w + "Sphere centre]");
        s.radius   = prm.get_double("Sphere radius");
        s.strength = prm.get_double("Strength");
        s.start    = prm.get_double("Start");
        s.duration = prm.get_double("Duration");
        s.period   = prm.get_double("Period");
        s.n_pulses = prm.get_integer("Number of pulses");
        s.boundary_id = prm.get_integer("Boundary id");
        prm.leave_subsection();
        if (s.region == "none")
          continue;
        if (s.region == "box")
          for (unsigned int d = 0; d < 3; ++d)
            input_check(s.upper[d] >= s.lower[d], w + "Box upper corner]", "must not be below the lower corner");
        input_check(s.period == 0 || s.period >= s.duration, w + "Period]",
                    "must be 0 (single pulse) or at least the pulse duration");
        out.push_back(s);
      }
    return out;
  }
} // namespace organtwin::ep
