#pragma once
// Pacing one cell for many beats, fast: the engine behind CiPA studies and the
// pre-pacing of tissue runs (steady state at a drug concentration).
//
// Time stepping: second-order Rush-Larsen (RushLarsen2) with an adaptive step,
//   dt = clamp(dV_max / |dV/dt|, dt_min, dt_max), growth at most x1.5 per step,
// and steps aligned with stimulus on/off and beat ends. The step is small during
// the upstroke (dt_min) and large in diastole (dt_max). Its accuracy against CVODE
// (BDF, rtol 1e-8) is measured by tests/unit/test_cipa.cc and reported in
// docs/cipa.md; CVODE itself is available as the reference (Scheme "CVODE").
//
// Units: ms, mV, uA/uF; qNet in uA/uF*ms / 1000 = uC/uF (as in the CiPA papers).

#include <physics/ionic/integrators.h>
#include <physics/ionic/ionic_model.h>
#include <postprocess/action_potential.h>

#include <memory>
#include <string>
#include <vector>

namespace organtwin::ionic
{
  class CvodeCellIntegrator;
}

namespace organtwin::ep
{
  struct PacingOptions
  {
    double cycle_length   = 2000.; ///< [ms]
    double stim_amplitude = -1.;   ///< [uA/uF] positive depolarises; -1: the model's default
    double stim_duration  = -1.;   ///< [ms]; -1: the model's default
    double stim_start     = 0.;    ///< [ms] stimulus onset within each beat
    bool   cvode          = false; ///< true: CVODE reference instead of adaptive RushLarsen2
    double dt_min         = 0.01;  ///< [ms] smallest step (upstroke, stimulus)
    double dt_max         = 0.5;   ///< [ms] largest step (diastole)
    double dV_max         = 0.5;   ///< [mV] target change of V per step
    double cvode_rtol     = 1e-8;  ///< CVODE relative tolerance
    double cvode_atol     = 1e-10; ///< CVODE absolute tolerance
    double cvode_sample   = 0.1;   ///< [ms] CVODE output interval for the beat analysis

    /// Throws std::invalid_argument naming the bad field.
    void check() const;
  };

  /// What one beat gives.
  struct BeatResult
  {
    postprocess::BeatMetrics ap;                    ///< APDs, V_rest, V_peak, EAD flag, ...
    double                   qnet       = postprocess::nan_value; ///< [uC/uF] (only if requested)
    double                   ca_diast   = postprocess::nan_value; ///< [mM] min cytosolic Ca of the beat
    double                   ca_peak    = postprocess::nan_value; ///< [mM] max cytosolic Ca of the beat
    double                   dvdt_late_max = postprocess::nan_value; ///< [mV/ms] max dV/dt after the upstroke window
    unsigned long            steps      = 0;
  };

  /// Samples of one recorded beat (time from the start of the beat).
  struct BeatTrace
  {
    std::vector<double> t, V, Ca_i;
  };

  /// Names of the currents whose integral is qNet (Dutta et al. 2017).
  const std::vector<std::string> &qnet_currents();

  class CellPacer
  {
  public:
    /// The model is used, not copied: it must outlive the pacer. Its channel scales
    /// and hERG binding may be changed between beats (time-varying concentration).
    CellPacer(const ionic::IonicModel &model, const PacingOptions &opt);
    ~CellPacer();

    /// Current state (n_states values); starts at the model's initial state.
    const std::vector<double> &state() const { return y; }
    void set_state(const std::vector<double> &s);

    /// Pace one beat of length cycle_length. with_qnet: integrate qNet (costs a
    /// current evaluation per step); trace: if not null, filled with the samples.
    BeatResult pace_beat(bool with_qnet, BeatTrace *trace = nullptr);

    /// Index of the cytosolic calcium state (NaN results if the model has none).
    int calcium_index() const { return i_ca; }

  private:
    const ionic::IonicModel               &model;
    PacingOptions                          opt;
    double                                 amp, dur;
    std::vector<double>                    y;
    std::vector<unsigned char>             is_gate;
    ionic::CellWorkspace                   work;
    std::vector<unsigned int>              qnet_idx;
    std::string                            qnet_missing; ///< why qNet cannot be computed (empty: it can)
    int                                    i_ca = -1;
    std::unique_ptr<ionic::CvodeCellIntegrator> cvode;
  };
} // namespace organtwin::ep
