#include <physics/fluids/blood_rheology.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace organtwin::fluids
{
  Rheology
  Rheology::newtonian(double mu)
  {
    if (!(mu > 0.))
      throw std::invalid_argument("Newtonian viscosity must be > 0");
    Rheology r;
    r.newtonian_model = true;
    r.mu              = mu;
    return r;
  }

  Rheology
  Rheology::carreau_yasuda(const CarreauYasudaConstants &c)
  {
    if (!(c.mu_0 > 0. && c.mu_inf >= 0. && c.mu_inf <= c.mu_0 && c.lambda_ms > 0. && c.a > 0. && c.n > 0.))
      throw std::invalid_argument("Carreau-Yasuda constants must satisfy mu_0 > 0, 0 <= mu_inf <= mu_0, "
                                  "lambda > 0, a > 0, n > 0");
    Rheology r;
    r.newtonian_model = false;
    r.cy              = c;
    return r;
  }

  double
  Rheology::viscosity(double g) const
  {
    if (newtonian_model)
      return mu;
    const double lg = cy.lambda_ms * g;
    return cy.mu_inf + (cy.mu_0 - cy.mu_inf) * std::pow(1. + std::pow(lg, cy.a), (cy.n - 1.) / cy.a);
  }

  double
  Rheology::viscosity_derivative(double g) const
  {
    if (newtonian_model || g <= 0.)
      return 0.;
    const double lg = cy.lambda_ms * g, la = std::pow(lg, cy.a);
    // d/dg (1 + (l g)^a)^((n-1)/a) = (n-1)/a (1+la)^((n-1)/a - 1) * a (l g)^(a-1) l
    return (cy.mu_0 - cy.mu_inf) * (cy.n - 1.) * std::pow(1. + la, (cy.n - 1.) / cy.a - 1.) *
           std::pow(lg, cy.a - 1.) * cy.lambda_ms;
  }

  std::string
  Rheology::describe() const
  {
    std::ostringstream s;
    if (newtonian_model)
      s << "Newtonian mu = " << mu << " kPa ms";
    else
      s << "Carreau-Yasuda mu_0 = " << cy.mu_0 << ", mu_inf = " << cy.mu_inf << " kPa ms, lambda = " << cy.lambda_ms
        << " ms, n = " << cy.n << ", a = " << cy.a;
    return s.str();
  }
} // namespace organtwin::fluids
