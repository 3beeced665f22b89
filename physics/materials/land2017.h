#pragma once
// Calcium-driven active tension: the human cardiomyocyte contraction model of
//   Land S, Park-Holohan S-J, Smith NP, dos Remedios CG, Kentish JC, Niederer SA,
//   "A model of cardiac contraction based on novel measurements of tension development
//   in human cardiomyocytes", J Mol Cell Cardiol 106:68-83 (2017),
//   doi:10.1016/j.yjmcc.2017.03.008.
//
// Six states per material point: troponin C calcium binding (CaTRPN), tropomyosin
// blocked fraction (TmB), weakly and strongly bound cross-bridges (XW, XS) and their
// mean distortions (zeta_w, zeta_s). Inputs: cytosolic free calcium [uM], fibre stretch
// lambda [-] and its rate dlambda/dt [1/ms]. Output: active tension along the fibre
// T_a [kPa] (first Piola-Kirchhoff-like, per unit reference area, as in the paper).
// Only the active part of the paper's model is here; the passive (and viscous) response
// is the hyperelastic material of the mechanics solver.
//
// Equations as implemented and the time integrator: docs/theory/active_stress_land2017.md.
// Units: time ms, rates 1/ms, calcium uM, tension kPa.

#include <array>
#include <string>

namespace organtwin::materials
{
  /// Parameters of the human model at 37 C (Land et al. 2017, Table 1 / supplement).
  struct Land2017Parameters
  {
    double k_trpn  = 0.1;   ///< [1/ms] troponin C calcium binding rate
    double n_trpn  = 2.;    ///< [-] Hill coefficient of troponin C calcium binding
    double ca50    = 0.805; ///< [uM] calcium sensitivity at lambda = 1
    double k_u     = 0.04;  ///< [1/ms] tropomyosin unblocking rate
    double n_tm    = 2.4;   ///< [-] tropomyosin cooperativity
    double trpn50  = 0.35;  ///< [-] CaTRPN at which half the tropomyosin is unblocked
    double k_uw    = 0.182; ///< [1/ms] unbound -> weakly bound
    double k_ws    = 0.012; ///< [1/ms] weakly -> strongly bound
    double r_w     = 0.5;   ///< [-] steady-state fraction of weakly bound cross-bridges
    double r_s     = 0.25;  ///< [-] steady-state fraction of strongly bound cross-bridges
    double gamma_s = 0.0085; ///< [-] strain-dependent unbinding of strong cross-bridges
    double gamma_w = 0.615; ///< [-] strain-dependent unbinding of weak cross-bridges
    double phi     = 2.23;  ///< [-] distortion decay scaling
    double A_eff   = 25.;   ///< [-] effective distortion per unit stretch (Tot_A)
    double beta_0  = 2.3;   ///< [-] length dependence of tension (filament overlap)
    double beta_1  = -2.4;  ///< [uM] length dependence of calcium sensitivity
    double T_ref   = 120.;  ///< [kPa] reference (maximal isometric) tension

    /// Throws organtwin::InputError naming where + the entry if a value is out of range.
    void check(const std::string &where) const;
  };

  class Land2017
  {
  public:
    enum StateIndex : unsigned int
    {
      XS = 0,
      XW,
      CaTRPN,
      TmB,
      ZetaS,
      ZetaW,
      n_states
    };
    using State = std::array<double, n_states>;

    explicit Land2017(const Land2017Parameters &p = Land2017Parameters());

    const Land2017Parameters &parameters() const { return prm; }

    /// Isometric steady state at constant calcium [uM] and stretch (closed form).
    State steady_state(double ca_uM, double lambda = 1.) const;
    /// Right-hand side dy/dt [1/ms].
    void rhs(const State &y, double ca_uM, double lambda, double dlambda_dt, State &dydt) const;
    /// Advance y by dt [ms] with calcium, stretch and stretch rate held constant over the
    /// step: sub-steps of at most max_substep [ms]; CaTRPN and the distortions exactly
    /// (linear with constant coefficients), (XS, XW, TmB) by the trapezoidal rule
    /// (A-stable, second order; a 3x3 solve).
    void advance(State &y, double ca_uM, double lambda, double dlambda_dt, double dt,
                 double max_substep = 0.1) const;
    /// Active tension T_a [kPa].
    double tension(const State &y, double lambda) const;
    /// Length-dependence factor h(lambda) of the tension (1 at lambda = 1, >= 0) and its
    /// derivative dh/dlambda (one-sided at the kinks 0.87 and 1.2: the value for lambda above).
    double overlap(double lambda) const;
    double overlap_derivative(double lambda) const;
    /// Exact distortion update over dt [ms] for a stretch that changes linearly by dl:
    ///   zeta(t + dt) = decay zeta(t) + gain dl,  decay = exp(-c dt),  gain = A (1 - decay) / (c dt),
    /// for the strong (s) and weak (w) cross-bridges. Used by solvers that treat the stretch
    /// implicitly (the velocity dependence acts like a viscosity: an explicit stretch rate
    /// makes a staggered coupling unstable, docs/theory/active_stress_land2017.md).
    void distortion_update(double dt, double &decay_s, double &gain_s, double &decay_w, double &gain_w) const;
    /// Calcium sensitivity [uM] at stretch lambda.
    double ca50_at(double lambda) const;

  private:
    Land2017Parameters prm;
    // derived rates (paper's definitions; docs/theory/active_stress_land2017.md)
    double k_wu, k_su, A_s, A_w, c_s, c_w, k_b;
  };
} // namespace organtwin::materials
