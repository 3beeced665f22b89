#pragma once
// Drug transport and elimination in a perfused organ, without FE plumbing: the
// coefficients of the two-compartment advection-diffusion-reaction model solved by
// solvers/perfusion, the elimination kinetics, and the organ-level extraction ratios
// of the classical hepatic clearance models the FE result is compared with.
//
// Per unit ORGAN volume (docs/theory/perfusion.md):
//   phi_b dc_b/dt + div(u c_b - phi_b D_b grad c_b) = -ps (fu_b c_b - fu_t c_t) - kf fu_b c_b
//   phi_t dc_t/dt - div(phi_t D_t grad c_t)          =  ps (fu_b c_b - fu_t c_t) - R(fu_t c_t)
// c_b total drug concentration in blood, c_t total concentration in tissue [uM];
// u Darcy (superficial) blood velocity [mm/s]; ps, kf [1/s]; R [uM/s].
// Units: length mm, time s, concentration uM, amount pmol (= uM mm^3).

#include <string>

namespace organtwin::perfusion
{
  /// Elimination of unbound drug in the tissue (liver metabolism, kidney secretion).
  struct Kinetics
  {
    enum class Type
    {
      none,
      linear,           ///< R = k c_u
      michaelis_menten  ///< R = vmax c_u / (km + c_u)
    };
    Type   type = Type::none;
    double k    = 0.; ///< [1/s] linear: CLint / V_organ
    double vmax = 0.; ///< [uM/s] Michaelis-Menten: Vmax / V_organ
    double km   = 1.; ///< [uM] unbound

    /// Elimination rate [uM/s] at unbound concentration c_u [uM] (c_u < 0 counts as 0).
    double rate(double c_u) const;
    /// Coefficient a with R ~= a c_u, evaluated at the lagged/extrapolated c_star [uM]
    /// (exact for linear kinetics; the Picard linearisation of Michaelis-Menten).
    double coefficient(double c_star) const;
    /// One line for logs, e.g. "Michaelis-Menten vmax 0.1 uM/s, Km 2 uM".
    std::string description() const;
  };

  /// Coefficients of the two-compartment model (all per unit organ volume).
  struct TransportCoefficients
  {
    double   phi_b = 0.1; ///< [1] blood volume fraction
    double   phi_t = 0.9; ///< [1] tissue volume fraction
    double   fu_b  = 1.;  ///< [1] unbound fraction in blood
    double   fu_t  = 1.;  ///< [1] unbound fraction in tissue
    double   ps    = 0.;  ///< [1/s] PS / V_organ, exchange of unbound drug across the vessel wall
    double   kf    = 0.;  ///< [1/s] CL_filtration / V_organ, sink on unbound drug in blood (kidney)
    double   D_b   = 0.;  ///< [mm^2/s] dispersion in blood
    double   D_t   = 0.;  ///< [mm^2/s] diffusion in tissue
    Kinetics kinetics;
  };

  // Organ extraction ratio at steady state for a linear sink, as a function of the
  // efficiency number R_N = fu_b CL_u / Q_b (CL_u the unbound clearance of the organ,
  // Q_b the blood flow). Pang & Rowland 1977 (well-stirred, parallel-tube); Roberts &
  // Rowland 1986 (dispersion model, closed boundaries, Wehner & Wilhelm 1956).

  /// Well-stirred (venous equilibration): E = R_N / (1 + R_N).
  double extraction_well_stirred(double r_n);
  /// Parallel tube (plug flow): E = 1 - exp(-R_N).
  double extraction_parallel_tube(double r_n);
  /// Dispersion model with dispersion number D_N = D / (v L) > 0:
  ///   a = sqrt(1 + 4 R_N D_N),
  ///   E = 1 - 4a / [(1+a)^2 exp((a-1)/(2 D_N)) - (1-a)^2 exp(-(a+1)/(2 D_N))].
  /// Tends to the parallel-tube value as D_N -> 0 and to the well-stirred value as D_N -> inf.
  double extraction_dispersion(double r_n, double d_n);

  /// Unbound organ clearance seen by blood at steady state [unit of the inputs, e.g. L/h]
  /// for a tissue without transport and linear elimination: the vessel-wall exchange PS
  /// in series with the tissue clearance CLint, in parallel with the blood sink CLf:
  ///   CL_u = PS CLint / (PS + CLint) + CLf   (PS = inf: CLint + CLf).
  double unbound_organ_clearance(double ps, double clint, double clf);
} // namespace organtwin::perfusion
