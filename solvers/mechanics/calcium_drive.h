#pragma once
// Calcium-driven active tension for the mechanics solver (Active stress/Model = Land2017):
// at every quadrature point a Land et al. 2017 contraction model (physics/materials/land2017.h)
// is driven by the cytosolic calcium transient Ca(t - t_act) of that point, its fibre stretch
// lambda = |F f0| and the stretch rate. The transient is either the analytic bi-exponential
//   Ca(s) = Ca_d + (Ca_p - Ca_d) (exp(-s/tau_d) - exp(-s/tau_r)) / N,  s = t - t_act >= 0,
// (N normalises the peak to Ca_p), or the Ca_i of a single cell of the [Ionic model] section
// paced to a periodic state at the cycle length of the deck (solvers/ep/cell_pacing.h).
// Coupling scheme (docs/theory/active_stress_land2017.md): the stretch is implicit. At the
// start of a step the calcium-binding and cross-bridge states are advanced (begin_step);
// during the Newton iterations T_a is a function of the current fibre stretch through the
// exact distortion update (tension(q, lambda), with dT_a/dlambda for the tangent); commit
// keeps the states at the converged stretch. An explicit stretch rate would be unstable.
// Units: time ms, calcium uM (cell models give mM: units::mM_to_uM), tension kPa.

#include <deal.II/base/parameter_handler.h>

#include <physics/materials/land2017.h>

#include <string>
#include <vector>

namespace organtwin::mechanics
{
  class CalciumDrivenTension
  {
  public:
    /// Entries inside the "Active stress" subsection (entered by the caller).
    static void declare(dealii::ParameterHandler &prm);
    /// Read them (inside "Active stress"); where = "<deck>: [Active stress/".
    void parse(dealii::ParameterHandler &prm, const std::string &where);

    bool enabled() const { return model_name == "Land2017"; }
    const std::string &calcium_source() const { return source; }

    /// Build the calcium transient for this cycle length [ms]; with source "cell model"
    /// the root ParameterHandler's [Ionic model] section chooses the cell (paced here).
    void setup(dealii::ParameterHandler &root_prm, double cycle_length);
    /// Put n_points material points at the isometric steady state of the diastolic calcium.
    void reset(unsigned int n_points);

    /// Calcium [uM] at s = t - t_act [ms] (periodic with the cycle length).
    double calcium(double s) const;

    /// Start the step t -> t + dt [ms] (time since the beat start): advance calcium binding,
    /// tropomyosin and cross-bridge states of every point with Ca(t + dt/2 - t_act[q]) and the
    /// distortions decayed (no stretch change yet); lambda_n = the stretch at t.
    void begin_step(double t, double dt, const std::vector<double> &t_act, const std::vector<double> &lambda_n);
    /// Tension [kPa] of point q at stretch lambda at t + dt (the distortions updated
    /// implicitly with the stretch increment lambda - lambda_n), and dT_a/dlambda.
    double tension(unsigned int q, double lambda, double &dta_dlambda) const;
    /// End the step at the converged stretch: keep the states, write T_a [kPa] into ta.
    void commit(const std::vector<double> &lambda, std::vector<double> &ta);

    /// Samples of the transient (for the summary): peak and diastolic calcium [uM].
    double calcium_peak() const { return ca_peak; }
    double calcium_diastolic() const { return ca_diast; }

  private:
    std::string                           model_name = "twitch", source = "analytic";
    materials::Land2017                    model; ///< parameters and derived rates
    double                                 ca_p = 1.45, ca_d = 0.09, tau_r = 20, tau_d = 110;
    unsigned int                           prepacing_beats = 20;
    double                                 cycle = 800;
    std::vector<double>                    trace_t, trace_ca; ///< cell model: one beat, uM
    double                                 ca_peak = 0, ca_diast = 0, norm = 1;
    std::vector<materials::Land2017::State> states, trial; ///< at t; at t + dt without the stretch change
    std::vector<double>                     lambda_start;   ///< stretch at t
    double                                  decay_s = 1, gain_s = 0, decay_w = 1, gain_w = 0;
  };
} // namespace organtwin::mechanics
