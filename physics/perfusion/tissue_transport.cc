#include <physics/perfusion/tissue_transport.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace organtwin::perfusion
{
  double
  Kinetics::rate(double c_u) const
  {
    const double c = std::max(c_u, 0.);
    switch (type)
      {
        case Type::linear:
          return k * c;
        case Type::michaelis_menten:
          return vmax * c / (km + c);
        default:
          return 0.;
      }
  }

  double
  Kinetics::coefficient(double c_star) const
  {
    switch (type)
      {
        case Type::linear:
          return k;
        case Type::michaelis_menten:
          return vmax / (km + std::max(c_star, 0.));
        default:
          return 0.;
      }
  }

  std::string
  Kinetics::description() const
  {
    std::ostringstream s;
    switch (type)
      {
        case Type::linear:
          s << "linear k = " << k << " 1/s";
          break;
        case Type::michaelis_menten:
          s << "Michaelis-Menten vmax = " << vmax << " uM/s, Km = " << km << " uM";
          break;
        default:
          s << "none";
      }
    return s.str();
  }

  double
  extraction_well_stirred(double r_n)
  {
    if (!(r_n >= 0.))
      throw std::invalid_argument("extraction_well_stirred: R_N must be >= 0");
    return r_n / (1. + r_n);
  }

  double
  extraction_parallel_tube(double r_n)
  {
    if (!(r_n >= 0.))
      throw std::invalid_argument("extraction_parallel_tube: R_N must be >= 0");
    return -std::expm1(-r_n);
  }

  double
  extraction_dispersion(double r_n, double d_n)
  {
    if (!(r_n >= 0.) || !(d_n > 0.))
      throw std::invalid_argument("extraction_dispersion: R_N must be >= 0 and D_N > 0");
    const double a = std::sqrt(1. + 4. * r_n * d_n);
    // Divide numerator and denominator by exp((a-1)/(2 D_N)) so that nothing overflows
    // for small D_N: F = 4a / [(1+a)^2 - (1-a)^2 exp(-a/D_N)] * exp(-(a-1)/(2 D_N)).
    const double den = (1. + a) * (1. + a) - (1. - a) * (1. - a) * std::exp(-a / d_n);
    const double f   = 4. * a / den * std::exp(-(a - 1.) / (2. * d_n));
    return 1. - f;
  }

  double
  unbound_organ_clearance(double ps, double clint, double clf)
  {
    if (!(ps >= 0.) || !(clint >= 0.) || !(clf >= 0.))
      throw std::invalid_argument("unbound_organ_clearance: PS, CLint and CLf must be >= 0");
    const double tissue = std::isinf(ps) ? clint : (ps + clint > 0. ? ps * clint / (ps + clint) : 0.);
    return tissue + clf;
  }
} // namespace organtwin::perfusion
