#include <physics/ionic/integrators.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace organtwin::ionic
{
  std::string
  ode_scheme_selection()
  {
    return "ForwardEuler|RushLarsen|RushLarsen2";
  }

  OdeScheme
  ode_scheme_from_name(const std::string &name)
  {
    if (name == "ForwardEuler")
      return OdeScheme::ForwardEuler;
    if (name == "RushLarsen")
      return OdeScheme::RushLarsen;
    if (name == "RushLarsen2")
      return OdeScheme::RushLarsen2;
    throw std::invalid_argument("unknown ODE scheme \"" + name + "\"; known: " + ode_scheme_selection());
  }

  unsigned int
  ode_scheme_order(OdeScheme s)
  {
    return s == OdeScheme::RushLarsen2 ? 2 : 1;
  }

  std::vector<unsigned char>
  gate_flags(const IonicModel &model)
  {
    std::vector<unsigned char> g;
    for (const auto &s : model.state_info())
      g.push_back(s.gate);
    return g;
  }

  namespace
  {
    /// One first-order step from y0 with rates (dydt, yinf, tau) into y1.
    inline void
    rl_update(const std::vector<unsigned char> &is_gate, bool use_rl, unsigned int n, double dt, const double *y0,
              const CellWorkspace &w, double *y1)
    {
      for (unsigned int i = 0; i < n; ++i)
        {
          if (use_rl && is_gate[i])
            y1[i] = w.yinf[i] + (y0[i] - w.yinf[i]) * std::exp(-dt / w.tau[i]);
          else
            y1[i] = y0[i] + dt * w.dydt[i];
        }
    }
  } // namespace

  void
  step_cell(const IonicModel &model, const std::vector<unsigned char> &is_gate, OdeScheme scheme, double dt,
            double I_app, double *y, CellWorkspace &w)
  {
    const unsigned int n = is_gate.size();
    switch (scheme)
      {
        case OdeScheme::ForwardEuler:
          model.rhs(y, w.dydt.data(), w.yinf.data(), w.tau.data());
          model.add_applied_current(y, I_app, w.dydt.data());
          rl_update(is_gate, false, n, dt, y, w, y);
          break;
        case OdeScheme::RushLarsen:
          model.rhs(y, w.dydt.data(), w.yinf.data(), w.tau.data());
          model.add_applied_current(y, I_app, w.dydt.data());
          std::copy(y, y + n, w.ystar.begin()); // state at which the rates were evaluated
          rl_update(is_gate, true, n, dt, w.ystar.data(), w, y);
          model.advance_linear_states(w.ystar.data(), dt, w.ystar.data(), y);
          break;
        case OdeScheme::RushLarsen2:
          model.rhs(y, w.dydt.data(), w.yinf.data(), w.tau.data());
          model.add_applied_current(y, I_app, w.dydt.data());
          rl_update(is_gate, true, n, 0.5 * dt, y, w, w.ystar.data());
          model.advance_linear_states(y, 0.5 * dt, y, w.ystar.data());
          model.rhs(w.ystar.data(), w.dydt.data(), w.yinf.data(), w.tau.data());
          model.add_applied_current(w.ystar.data(), I_app, w.dydt.data());
          // y is overwritten in place: keep the linear states of the start of the step
          std::copy(y, y + n, w.y0.begin());
          rl_update(is_gate, true, n, dt, w.y0.data(), w, y);
          model.advance_linear_states(w.ystar.data(), dt, w.y0.data(), y);
          break;
      }
  }

  void
  CellStates::reinit(const IonicModel &model, std::size_t n)
  {
    n_points = n;
    n_st     = model.n_states();
    data.resize(n_points * n_st);
    std::vector<double> y0(n_st);
    model.initial_state(y0.data());
    for (unsigned int s = 0; s < n_st; ++s)
      std::fill(data.begin() + s * n_points, data.begin() + (s + 1) * n_points, y0[s]);
  }

  void
  CellStates::get(std::size_t i, double *y) const
  {
    for (unsigned int s = 0; s < n_st; ++s)
      y[s] = data[s * n_points + i];
  }

  void
  CellStates::set(std::size_t i, const double *y)
  {
    for (unsigned int s = 0; s < n_st; ++s)
      data[s * n_points + i] = y[s];
  }

  std::size_t
  step_all(const IonicModel &model, OdeScheme scheme, double dt, const double *I_app, CellStates &states)
  {
    const auto         is_gate = gate_flags(model);
    const unsigned int ns      = states.n_states();
    CellWorkspace      w(ns);
    std::vector<double> y(ns);
    std::size_t        n_bad = 0;
    for (std::size_t i = 0; i < states.size(); ++i)
      {
        states.get(i, y.data());
        step_cell(model, is_gate, scheme, dt, I_app ? I_app[i] : 0., y.data(), w);
        states.set(i, y.data());
        if (!std::isfinite(y[0]))
          ++n_bad;
      }
    return n_bad;
  }
} // namespace organtwin::ionic
