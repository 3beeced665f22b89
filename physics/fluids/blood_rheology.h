#pragma once
// Blood rheology: dynamic viscosity as a function of the shear rate, with no FE plumbing.
//
// Units (flow unit system, see solvers/common/units.h): shear rate [1/ms], viscosity
// [kPa ms] (numerically equal to Pa s). Newtonian: mu = const. Carreau-Yasuda:
//   mu(g) = mu_inf + (mu_0 - mu_inf) (1 + (lambda g)^a)^((n-1)/a).

#include <string>

namespace organtwin::fluids
{
  /// Carreau-Yasuda constants for whole blood fitted by Cho & Kensey 1991,
  /// Biorheology 28:241 (doi 10.3233/BIR-1991-283-415), as used by Gijsen et al. 1999
  /// (J Biomech 32:601): mu_0 = 0.056 Pa s, mu_inf = 0.00345 Pa s, lambda = 3.313 s,
  /// n = 0.3568, a = 2.
  struct CarreauYasudaConstants
  {
    double mu_0      = 0.056;   ///< [kPa ms] zero-shear viscosity
    double mu_inf    = 0.00345; ///< [kPa ms] infinite-shear viscosity
    double lambda_ms = 3313.;   ///< [ms] relaxation time (3.313 s)
    double n         = 0.3568;  ///< [1] power-law index
    double a         = 2.;      ///< [1] Yasuda exponent
  };

  /// Newtonian blood viscosity at high shear, 3.5 mPa s (e.g. Ku 1997, Annu Rev Fluid Mech 29:399).
  constexpr double newtonian_blood_viscosity = 3.5e-3; ///< [kPa ms]
  /// Blood density 1.06 g/cm^3 = 1.06 mg/mm^3 (Ku 1997).
  constexpr double blood_density = 1.06; ///< [mg/mm^3]

  class Rheology
  {
  public:
    /// Newtonian with viscosity mu [kPa ms].
    static Rheology newtonian(double mu);
    static Rheology carreau_yasuda(const CarreauYasudaConstants &c);

    /// Viscosity [kPa ms] at shear rate gamma_dot [1/ms] (>= 0).
    double viscosity(double gamma_dot) const;
    /// d mu / d gamma_dot [kPa ms^2].
    double viscosity_derivative(double gamma_dot) const;
    bool   is_newtonian() const { return newtonian_model; }
    /// Largest viscosity the model can give (for preconditioner scaling) [kPa ms].
    double max_viscosity() const { return newtonian_model ? mu : cy.mu_0; }
    std::string describe() const;

  private:
    bool                   newtonian_model = true;
    double                 mu              = newtonian_blood_viscosity;
    CarreauYasudaConstants cy;
  };
} // namespace organtwin::fluids
