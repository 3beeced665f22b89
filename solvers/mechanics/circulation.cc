#include <solvers/mechanics/circulation.h>

#include <cmath>

namespace organtwin::mechanics
{
  double
  Twitch::operator()(double s) const
  {
    if (s <= 0 || s >= duration)
      return 0.;
    const double a = std::tanh(s / tau_c), b = std::tanh((duration - s) / tau_r);
    return T_max * a * a * b * b;
  }

  const char *
  phase_name(Phase p)
  {
    switch (p)
      {
        case Phase::filling:
          return "filling";
        case Phase::isovolumic_contraction:
          return "isovolumic contraction";
        case Phase::ejection:
          return "ejection";
        case Phase::isovolumic_relaxation:
          return "isovolumic relaxation";
      }
    return "?";
  }
} // namespace organtwin::mechanics
