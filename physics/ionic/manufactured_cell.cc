#include <physics/ionic/manufactured_cell.h>
#include <solvers/common/parameters.h>

#include <cmath>

namespace organtwin::ionic
{
  void
  ManufacturedCell::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii;
    prm.declare_entry("Modes", "1,1,1", Patterns::List(Patterns::Integer(0), 3, 3),
                      "[1] wave numbers m1,m2,m3 of F(x) = prod cos(m_i pi x_i / L_i)");
    prm.declare_entry("Box lengths", "1,1,1", Patterns::List(Patterns::Double(1e-12), 3, 3),
                      "[mm] edge lengths L1,L2,L3 of the box [0,L]^3 the solution lives on");
    prm.declare_entry("Amplitude", "1", Patterns::Double(), "[mV] V0");
    prm.declare_entry("beta", "1", Patterns::Double(0.), "[uA/uF/mV] linear coupling of V to q w");
    prm.declare_entry("gamma", "1", Patterns::Double(0.), "[uA/uF/mV^3] cubic coupling of V to q w");
  }

  void
  ManufacturedCell::parse_parameters(dealii::ParameterHandler &prm)
  {
    const auto m = dealii::Utilities::split_string_list(prm.get("Modes"));
    const auto L = dealii::Utilities::split_string_list(prm.get("Box lengths"));
    for (unsigned int d = 0; d < 3; ++d)
      {
        prm_modes[d]  = std::stoul(m[d]);
        prm_length[d] = std::stod(L[d]);
      }
    prm_V0    = prm.get_double("Amplitude");
    prm_beta  = prm.get_double("beta");
    prm_gamma = prm.get_double("gamma");
  }

  std::vector<StateInfo>
  ManufacturedCell::state_info() const
  {
    return {{"V", "mV", false}, {"q", "mV", false}, {"w", "1", true}};
  }

  void
  ManufacturedCell::initial_state(double *y) const
  {
    y[0] = prm_V0;
    y[1] = prm_V0;
    y[2] = 1.;
  }

  double
  ManufacturedCell::exact(const double *x, double t) const
  {
    double F = prm_V0;
    for (unsigned int d = 0; d < 3; ++d)
      F *= std::cos(prm_modes[d] * M_PI * x[d] / prm_length[d]);
    return F * std::exp(prm_lambda * t);
  }

  void
  ManufacturedCell::initial_state_at(const double *x, double *y) const
  {
    y[0] = exact(x, 0.);
    y[1] = y[0];
    y[2] = 1.;
  }

  void
  ManufacturedCell::set_diffusivity(const std::array<double, 3> &D)
  {
    double s = 0;
    for (unsigned int d = 0; d < 3; ++d)
      s += D[d] * std::pow(prm_modes[d] / prm_length[d], 2);
    prm_lambda = -M_PI * M_PI * s;
    input_check(prm_lambda < 0, "[Ionic model/Manufactured/Modes]", "at least one mode must be non-zero");
  }

  void
  ManufacturedCell::currents(const double *y, double *I) const
  {
    const double e = y[0] - y[1] * y[2];
    I[0]           = prm_beta * e + prm_gamma * e * e * e;
  }

  void
  ManufacturedCell::rhs(const double *y, double *dydt, double *y_inf, double *tau) const
  {
    double I;
    currents(y, &I);
    dydt[0]  = -I;
    dydt[1]  = 0.;
    y_inf[2] = 0.;
    tau[2]   = -1. / prm_lambda;
    dydt[2]  = -y[2] / tau[2];
  }

  OT_REGISTER(IonicModel, "Manufactured", ManufacturedCell,
              "verification model with a known exact monodomain solution (see manufactured_cell.h)")
} // namespace organtwin::ionic
