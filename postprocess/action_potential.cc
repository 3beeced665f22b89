#include <postprocess/action_potential.h>

#include <algorithm>
#include <stdexcept>
#include <type_traits>

namespace organtwin::postprocess
{
  static_assert(std::is_trivially_copyable_v<ActivationTracker>,
                "ActivationTracker is stored per DoF and must stay a plain struct");

  double
  BeatMetrics::apd(unsigned int percent) const
  {
    switch (percent)
      {
        case 30:
          return apd30;
        case 50:
          return apd50;
        case 90:
          return apd90;
        default:
          return nan_value;
      }
  }

  namespace
  {
    /// First downward crossing of level in samples [from, to): index i with
    /// V[i] >= level > V[i+1], or `to` if there is none.
    std::size_t
    first_down_crossing(const double *V, std::size_t from, std::size_t to, double level)
    {
      for (std::size_t i = from; i + 1 < to; ++i)
        if (V[i] >= level && V[i + 1] < level)
          return i;
      return to;
    }
  } // namespace

  BeatMetrics
  analyse_beat(const double *t, const double *V, std::size_t n, double t_stim, double t_end, const ApOptions &opt)
  {
    BeatMetrics m;
    m.t_start = t_stim;
    if (n == 0)
      return m;

    // Samples of the beat: [i0, i1).
    const std::size_t i0 = std::lower_bound(t, t + n, t_stim) - t;
    const std::size_t i1 = std::lower_bound(t, t + n, t_end) - t;

    // Resting potential: last sample at or before the stimulus.
    const std::size_t i_rest = std::upper_bound(t, t + n, t_stim) - t;
    m.V_rest                 = V[i_rest > 0 ? i_rest - 1 : 0];

    if (i1 <= i0 + 1)
      return m;

    std::size_t i_peak = i0;
    for (std::size_t i = i0 + 1; i < i1; ++i)
      if (V[i] > V[i_peak])
        i_peak = i;
    m.V_peak = V[i_peak];
    m.t_peak = t[i_peak];

    double      slope_max = -std::numeric_limits<double>::infinity();
    std::size_t i_slope   = i0;
    for (std::size_t i = i0; i + 1 < i1; ++i)
      {
        const double dt = t[i + 1] - t[i];
        if (dt <= 0.)
          continue;
        const double s = (V[i + 1] - V[i]) / dt;
        if (s > slope_max)
          {
            slope_max = s;
            i_slope   = i;
          }
      }
    m.dVdt_max = slope_max;
    m.t_act    = 0.5 * (t[i_slope] + t[i_slope + 1]);

    for (std::size_t i = i0; i + 1 < i1; ++i)
      if (V[i] < opt.activation_threshold && V[i + 1] >= opt.activation_threshold)
        {
          m.t_act_threshold = crossing_time(t[i], V[i], t[i + 1], V[i + 1], opt.activation_threshold);
          break;
        }

    const double amplitude = m.V_peak - m.V_rest;
    if (!(amplitude > 0.))
      return m;

    const double      fractions[3] = {0.3, 0.5, 0.9};
    double           *apds[3]      = {&m.apd30, &m.apd50, &m.apd90};
    std::size_t       i_cross[3]   = {i1, i1, i1};
    for (unsigned int k = 0; k < 3; ++k)
      {
        const double level = m.V_peak - fractions[k] * amplitude;
        i_cross[k]         = first_down_crossing(V, i_peak, i1, level);
        if (i_cross[k] < i1)
          {
            const std::size_t i = i_cross[k];
            *apds[k]            = crossing_time(t[i], V[i], t[i + 1], V[i + 1], level) - m.t_act;
          }
      }

    // EAD: a rise of more than ead_min_rise above the running minimum between the
    // APD50 crossing and the APD90 crossing (or the end of the beat).
    if (i_cross[1] < i1)
      {
        double run_min = V[i_cross[1] + 1];
        for (std::size_t i = i_cross[1] + 1; i < std::min(i1, i_cross[2] + 1); ++i)
          {
            run_min = std::min(run_min, V[i]);
            if (V[i] - run_min > opt.ead_min_rise)
              {
                m.ead = true;
                break;
              }
          }
      }
    return m;
  }

  BeatMetrics
  analyse_beat(const std::vector<double> &t, const std::vector<double> &V, double t_stim, double t_end,
               const ApOptions &opt)
  {
    if (t.size() != V.size())
      throw std::invalid_argument("analyse_beat: t and V have different lengths");
    return analyse_beat(t.data(), V.data(), t.size(), t_stim, t_end, opt);
  }

  std::vector<BeatMetrics>
  analyse_trace(const std::vector<double> &t, const std::vector<double> &V, const std::vector<double> &stim_times,
                const ApOptions &opt)
  {
    if (t.size() != V.size())
      throw std::invalid_argument("analyse_trace: t and V have different lengths");
    if (!std::is_sorted(stim_times.begin(), stim_times.end()))
      throw std::invalid_argument("analyse_trace: stimulus times must be increasing");
    std::vector<BeatMetrics> beats;
    for (std::size_t k = 0; k < stim_times.size(); ++k)
      {
        const double t_end =
          k + 1 < stim_times.size() ? stim_times[k + 1] : std::numeric_limits<double>::infinity();
        beats.push_back(analyse_beat(t.data(), V.data(), t.size(), stim_times[k], t_end, opt));
      }
    return beats;
  }

  void
  ActivationTracker::update(double t, double V, double threshold)
  {
    if (std::isnan(t_prev))
      {
        t_prev = t;
        V_prev = V;
        V_rest = V;
        return;
      }
    if (in_ap == 0.)
      {
        if (V_prev < threshold && V >= threshold)
          {
            const double ta = crossing_time(t_prev, V_prev, t, V, threshold);
            if (n_beats == 0.)
              t_first_act = ta;
            t_act_latest = ta;
            n_beats += 1.;
            in_ap  = 1.;
            V_peak = V;
          }
        else
          V_rest = std::min(V_rest, V);
      }
    else
      {
        V_peak             = std::max(V_peak, V);
        const double level = V_peak - 0.9 * (V_peak - V_rest);
        if (V_prev >= level && V < level)
          {
            apd90  = crossing_time(t_prev, V_prev, t, V, level) - t_act_latest;
            in_ap  = 0.;
            V_rest = V;
          }
      }
    t_prev = t;
    V_prev = V;
  }
} // namespace organtwin::postprocess
