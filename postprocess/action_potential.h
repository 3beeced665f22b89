#pragma once
// Action-potential metrics from sampled membrane potential V(t).
//
// Definitions (all times in ms, potentials in mV, slopes in mV/ms):
//  - resting potential V_rest: V just before the stimulus, i.e. the last sample at or
//    before the stimulus time (the first sample of the beat if there is none before);
//  - peak V_peak: largest sample of the beat;
//  - dV/dt max: largest forward difference (V[i+1]-V[i])/(t[i+1]-t[i]) of the beat,
//    attributed to the midpoint of that sample pair (the first one if tied); this
//    midpoint is the activation time t_act used as the start of every APD;
//  - threshold activation time t_act_threshold: first upward crossing of a threshold
//    (default -40 mV), linearly interpolated between the two samples around it;
//  - APDp (p = 30, 50, 90): t_rep - t_act, where t_rep is the first downward crossing,
//    after the peak, of V_peak - p/100 (V_peak - V_rest), linearly interpolated between
//    samples. NaN if the beat does not repolarise to that level within its samples;
//  - EAD flag: after V has fallen below the APD50 level and before the APD90 crossing,
//    V rises again by more than `ead_min_rise` above its running minimum.
//
// Two interfaces: whole-trace analysis (analyse_beat, analyse_trace), and a tiny
// per-point online tracker (ActivationTracker) that the tissue solvers keep at every
// DoF: a handful of doubles, no heap.

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace organtwin::postprocess
{
  constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

  /// Default threshold for activation times [mV].
  constexpr double default_activation_threshold = -40.;

  struct ApOptions
  {
    double activation_threshold = default_activation_threshold; ///< [mV]
    double ead_min_rise         = 2.;                           ///< [mV] rise that counts as an EAD
  };

  /// Metrics of one beat. Fields that could not be determined are NaN.
  struct BeatMetrics
  {
    double t_start         = nan_value; ///< [ms] stimulus time of the beat
    double t_act           = nan_value; ///< [ms] time of max dV/dt (start of the APDs)
    double t_act_threshold = nan_value; ///< [ms] first upward crossing of the activation threshold
    double V_rest          = nan_value; ///< [mV] V just before the stimulus
    double V_peak          = nan_value; ///< [mV] maximum V
    double t_peak          = nan_value; ///< [ms] time of the maximum
    double dVdt_max        = nan_value; ///< [mV/ms] maximum upstroke velocity
    double apd30 = nan_value, apd50 = nan_value, apd90 = nan_value; ///< [ms]
    bool   ead   = false;                         ///< early afterdepolarisation seen

    /// The stored APD for percent in {30, 50, 90}; NaN for any other percent.
    double apd(unsigned int percent) const;
  };

  /// Metrics of one beat from samples t[0..n), V[0..n) (t increasing). Only samples with
  /// t >= t_stim (and t < t_end, if t_end is given) belong to the beat; V_rest is
  /// taken from the last sample at or before t_stim.
  BeatMetrics analyse_beat(const double *t, const double *V, std::size_t n, double t_stim,
                           double t_end = std::numeric_limits<double>::infinity(), const ApOptions &opt = {});

  BeatMetrics analyse_beat(const std::vector<double> &t, const std::vector<double> &V, double t_stim,
                           double t_end = std::numeric_limits<double>::infinity(), const ApOptions &opt = {});

  /// Split a whole trace into beats at the stimulus times (increasing) and analyse each:
  /// beat k spans [stim_times[k], stim_times[k+1]) (the last one runs to the end).
  std::vector<BeatMetrics> analyse_trace(const std::vector<double> &t, const std::vector<double> &V,
                                         const std::vector<double> &stim_times, const ApOptions &opt = {});

  /// Time at which the straight line through (t0,V0), (t1,V1) takes the value level.
  inline double
  crossing_time(double t0, double V0, double t1, double V1, double level)
  {
    return V1 == V0 ? t1 : t0 + (level - V0) * (t1 - t0) / (V1 - V0);
  }

  /// Online activation/repolarisation tracker for one point, fed one sample at a time.
  ///
  /// A beat starts at an upward crossing of the threshold (t_act_latest, linear
  /// interpolation in time); V_rest of that beat is the minimum V since the previous
  /// repolarisation; V_peak the maximum since activation; the beat ends at the downward
  /// crossing of V_peak - 0.9 (V_peak - V_rest), which sets apd90 = t_rep - t_act_latest.
  /// Trivially copyable, so it can live in a std::vector per DoF or be sent over MPI.
  struct ActivationTracker
  {
    double t_first_act  = nan_value; ///< [ms] first activation time ever (NaN: never activated)
    double t_act_latest = nan_value; ///< [ms] activation time of the latest beat
    double apd90        = nan_value; ///< [ms] APD90 of the latest completed beat (from t_act_latest)
    double n_beats      = 0.;  ///< number of activations seen
    double t_prev       = nan_value; ///< last sample
    double V_prev       = nan_value;
    double V_rest       = nan_value; ///< [mV] min V before the current/latest activation
    double V_peak       = nan_value; ///< [mV] max V since the latest activation
    double in_ap        = 0.;  ///< 1 between activation and APD90 repolarisation, else 0

    /// Feed the next sample (t strictly increasing).
    void update(double t, double V, double threshold = default_activation_threshold);
    bool activated() const { return n_beats > 0.; }
  };
} // namespace organtwin::postprocess
