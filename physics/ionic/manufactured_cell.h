#pragma once
// A cell model built for verification of the monodomain solver by an exact
// solution (in the spirit of Pathmanathan & Gray 2014, IJNMBE 30:525,
// doi 10.1002/cnm.2618, but with our own functions):
//
//   domain: box [0,L1]x[0,L2]x[0,L3] mm, no-flux boundaries;
//   F(x) = prod_i cos(m_i pi x_i / L_i),  D = diag(D1,D2,D3) [mm^2/ms],
//   lambda = -pi^2 sum_i D_i (m_i/L_i)^2,  exact V(x,t) = V0 F(x) exp(lambda t).
//
// States: V [mV]; q [mV] (dq/dt = 0, q = V0 F(x) at t=0, so the state carries the
// spatial profile); w [1] a gate with w_inf = 0, tau = -1/lambda, w(0) = 1, so that
// w(t) = exp(lambda t) exactly under Rush-Larsen.
//   I_ion = beta (V - q w) + gamma (V - q w)^3      [uA/uF]
// At the exact solution I_ion = 0 and Cm dV/dt = div(D grad V)*Cm holds, while
// every discretisation error (space, time, operator splitting) pulls V away from
// q w and is felt through the nonlinear current.

#include <physics/ionic/ionic_model.h>

#include <array>

namespace organtwin::ionic
{
  class ManufacturedCell : public IonicModel
  {
  public:
    static void declare_parameters(dealii::ParameterHandler &prm);
    std::string name() const override { return "Manufactured"; }
    void        parse_parameters(dealii::ParameterHandler &prm) override;
    unsigned int n_states() const override { return 3; }
    std::vector<StateInfo> state_info() const override;
    void        initial_state(double *y) const override;
    void        initial_state_at(const double *x, double *y) const override;
    bool        has_spatial_initial_state() const override { return true; }
    void        rhs(const double *y, double *dydt, double *y_inf, double *tau) const override;
    std::vector<std::string> current_names() const override { return {"Iman"}; }
    void        currents(const double *y, double *I) const override;

    /// Set the diffusivities [mm^2/ms] of the tissue; fixes lambda and the gate's tau.
    void set_diffusivity(const std::array<double, 3> &D);
    /// Exact V [mV] at x [mm], t [ms].
    double exact(const double *x, double t) const;
    double lambda() const { return prm_lambda; }

  private:
    std::array<unsigned int, 3> prm_modes  = {{1, 1, 1}};
    std::array<double, 3>       prm_length = {{1., 1., 1.}};
    double                      prm_V0 = 1., prm_beta = 1., prm_gamma = 1., prm_lambda = -1.;
  };
} // namespace organtwin::ionic
