#pragma once
// Reference integrator for one cell: SUNDIALS CVODE (variable-order BDF, Newton
// iteration with a dense difference-quotient Jacobian). Used to check the explicit
// Rush-Larsen schemes, not for tissue runs.
//
// The applied current is piecewise constant: the caller restarts the integrator at
// every discontinuity (stimulus on/off) with restart(), which re-initialises CVODE
// (CVodeReInit) and sets a stop time so that no step crosses the next discontinuity.

#include <physics/ionic/ionic_model.h>

#include <memory>
#include <string>

namespace organtwin::ionic
{
  class CvodeCellIntegrator
  {
  public:
    /// rtol: relative tolerance; atol: absolute tolerance (same for every state).
    CvodeCellIntegrator(const IonicModel &model, double rtol, double atol);
    ~CvodeCellIntegrator();
    CvodeCellIntegrator(const CvodeCellIntegrator &) = delete;
    CvodeCellIntegrator &operator=(const CvodeCellIntegrator &) = delete;

    /// Start (or restart after a discontinuity) at time t [ms] from state y, with the
    /// applied current I_app [uA/uF] (positive depolarises) held constant until t_stop.
    void restart(double t, const double *y, double I_app, double t_stop);

    /// Integrate to t_out (t < t_out <= t_stop) and write the state there into y.
    /// Throws std::runtime_error naming the time (and the state, for a non-finite
    /// right-hand side) if CVODE fails.
    void advance_to(double t_out, double *y);

    /// Internal steps and right-hand side evaluations since construction.
    long n_steps() const;
    long n_rhs_evaluations() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl;
  };
} // namespace organtwin::ionic
