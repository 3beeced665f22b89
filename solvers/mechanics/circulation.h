#pragma once
// Lumped (0D) models coupled to the mechanics of the left ventricle:
//  - Twitch: prescribed active tension T_a(s), s = t - t_activation [ms]:
//      T_a(s) = T_max tanh^2(s / tau_c) tanh^2((d - s) / tau_r)  for 0 < s < d, else 0
//    (smooth rise with time scale tau_c, decay with tau_r, zero after d).
//  - Windkessel: 2-element (R_p, C) or 3-element (Z_c in series) arterial load, with a
//    constant preload (filling) pressure and ideal valves; four phases (filling,
//    isovolumic contraction, ejection, isovolumic relaxation). The coupling scheme
//    (docs/theory/mechanics.md): per time step the cavity pressure p is the unknown of
//    one scalar equation g(p) = 0 whose form depends on the phase, solved by secant
//    iterations, each evaluating the cavity volume V(p) by a full mechanics solve.
// Internal units: kPa, mm^3, ms. Deck units of the Windkessel: mmHg, mL, s (clinical).

#include <string>

namespace organtwin::mechanics
{
  /// 1 mmHg = 0.1333224 kPa (conventional millimetre of mercury, 133.3224 Pa).
  constexpr double kPa_per_mmHg = 0.1333224;
  constexpr double mm3_per_mL   = 1000.;

  struct Twitch
  {
    double T_max = 60;  ///< [kPa]
    double tau_c = 40;  ///< [ms] contraction time scale
    double tau_r = 110; ///< [ms] relaxation time scale
    double duration = 400; ///< [ms] d, tension is zero afterwards
    double operator()(double s) const;
  };

  enum class Phase
  {
    filling,
    isovolumic_contraction,
    ejection,
    isovolumic_relaxation
  };
  const char *phase_name(Phase p);

  struct Windkessel
  {
    unsigned int elements  = 3;     ///< 2 or 3
    double       R_p       = 2.67;  ///< [kPa ms/mm^3] peripheral resistance
    double       C         = 0.45;  ///< [mm^3/kPa] arterial compliance
    double       Z_c       = 0.13;  ///< [kPa ms/mm^3] characteristic impedance (3-element only)
    double       p_preload = 1.0;   ///< [kPa] filling pressure (left atrium)
    double       p_ar      = 10.0;  ///< [kPa] arterial pressure (state)

    /// Arterial pressure after dt [ms] with outflow Q [mm^3/ms] (backward Euler).
    double arterial_after(double Q, double dt) const { return (p_ar + dt / C * Q) / (1. + dt / (R_p * C)); }
    /// Ventricular pressure that the Windkessel needs for outflow Q over dt.
    double ventricular_pressure(double Q, double dt) const
    {
      return arterial_after(Q, dt) + (elements == 3 ? Z_c * Q : 0.);
    }
  };
} // namespace organtwin::mechanics
