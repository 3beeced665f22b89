// QRS / T-wave / QT analysis of one ECG beat; definitions in ecg_analysis.h.
#include <postprocess/ecg_analysis.h>

#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

namespace organtwin::postprocess
{
  namespace
  {
    void
    add_reason(EcgMetrics &m, const std::string &sentence)
    {
      m.reason += (m.reason.empty() ? "" : " ") + sentence;
    }

    /// t where the line through (t0, y0), (t1, y1) takes the value level.
    double
    cross(double t0, double y0, double t1, double y1, double level)
    {
      return y1 == y0 ? t1 : t0 + (level - y0) * (t1 - t0) / (y1 - y0);
    }

    /// Linear interpolation of y at time x between samples i and i+1.
    double
    interpolate(const std::vector<double> &t, const std::vector<double> &y, std::size_t i, double x)
    {
      if (i + 1 >= t.size())
        return y[i];
      return y[i] + (y[i + 1] - y[i]) * (x - t[i]) / (t[i + 1] - t[i]);
    }
  } // namespace

  std::string
  EcgMetrics::polarity_name() const
  {
    return t_polarity > 0 ? "upright" : t_polarity < 0 ? "inverted" : "none";
  }

  double
  qtc_bazett(double qt, double rr)
  {
    if (!(rr > 0) || !std::isfinite(rr))
      throw std::invalid_argument("qtc_bazett: the cycle length RR must be positive [ms]");
    return qt / std::sqrt(rr / 1000.);
  }

  double
  qtc_fridericia(double qt, double rr)
  {
    if (!(rr > 0) || !std::isfinite(rr))
      throw std::invalid_argument("qtc_fridericia: the cycle length RR must be positive [ms]");
    return qt / std::cbrt(rr / 1000.);
  }

  EcgMetrics
  analyse_ecg(const std::vector<double> &t_all, const std::vector<double> &phi_all, double t_stim, double rr,
              double t_end_beat, const EcgOptions &opt)
  {
    if (t_all.size() != phi_all.size())
      throw std::invalid_argument("analyse_ecg: t and phi have different lengths (" + std::to_string(t_all.size()) +
                                  " and " + std::to_string(phi_all.size()) + ")");
    if (!std::isfinite(t_stim))
      throw std::invalid_argument("analyse_ecg: the stimulus time is not finite");
    if (!(opt.qrs_fraction > 0 && opt.qrs_fraction < 1) || !(opt.qrs_merge_gap >= 0) || !(opt.qrs_max_duration > 0) || !(opt.t_guard >= 0) ||
        !(opt.blanking >= 0) || !(opt.min_t_fraction >= 0 && opt.min_t_fraction < 1) ||
        !(opt.t_last_wave_fraction > 0 && opt.t_last_wave_fraction <= 1))
      throw std::invalid_argument("analyse_ecg: options out of range (need 0 < qrs_fraction < 1, "
                                  "qrs_merge_gap, t_guard, blanking >= 0, qrs_max_duration > 0, 0 <= min_t_fraction < 1, "
                                  "0 < t_last_wave_fraction <= 1)");
    if (!std::isnan(rr) && !(rr > 0 && std::isfinite(rr)))
      throw std::invalid_argument("analyse_ecg: the cycle length RR must be positive [ms] (or NaN for no QTc)");
    for (std::size_t i = 0; i < t_all.size(); ++i)
      {
        if (!std::isfinite(t_all[i]) || !std::isfinite(phi_all[i]))
          throw std::invalid_argument("analyse_ecg: sample " + std::to_string(i) + " is not finite (t = " +
                                      std::to_string(t_all[i]) + " ms, phi = " + std::to_string(phi_all[i]) +
                                      " mV)");
        if (i > 0 && !(t_all[i] > t_all[i - 1]))
          throw std::invalid_argument("analyse_ecg: times must be strictly increasing (sample " + std::to_string(i) +
                                      ")");
      }

    // The beat's samples.
    std::vector<double> t, phi;
    for (std::size_t i = 0; i < t_all.size(); ++i)
      if (t_all[i] >= t_stim + opt.blanking && t_all[i] < t_end_beat)
        {
          t.push_back(t_all[i]);
          phi.push_back(phi_all[i]);
        }
    if (t.size() < 5)
      throw std::invalid_argument("analyse_ecg: fewer than 5 samples in the beat (t_stim = " + std::to_string(t_stim) +
                                  " ms)");

    EcgMetrics m;
    m.t_stim         = t_stim;
    m.rr             = rr;
    const std::size_t n = t.size();

    std::vector<double> s(n), as(n);
    for (std::size_t i = 0; i < n; ++i)
      {
        const std::size_t a = i == 0 ? 0 : i - 1, b = i + 1 == n ? n - 1 : i + 1;
        s[i]                = (phi[b] - phi[a]) / (t[b] - t[a]);
        as[i]               = std::abs(s[i]);
      }
    double S = 0;
    for (double v : as)
      S = std::max(S, v);
    m.max_slope = S;
    if (!(S > 0))
      {
        add_reason(m, "The trace is flat: no QRS.");
        return m;
      }
    const double thr = opt.qrs_fraction * S;

    // QRS onset and end.
    std::size_t k = 0;
    while (as[k] < thr)
      ++k; // exists: as attains S > thr
    m.qrs_onset = k == 0 ? t[0] : cross(t[k - 1], as[k - 1], t[k], as[k], thr);
    m.baseline = k == 0 ? phi[0] : interpolate(t, phi, k - 1, m.qrs_onset);

    std::size_t last = k;
    for (std::size_t i = k + 1;
         i < n && t[i] - t[last] <= opt.qrs_merge_gap && t[i] <= m.qrs_onset + opt.qrs_max_duration; ++i)
      if (as[i] >= thr)
        last = i;
    m.qrs_end      = last + 1 < n ? cross(t[last], as[last], t[last + 1], as[last + 1], thr) : t[last];
    m.qrs_duration = m.qrs_end - m.qrs_onset;
    double qrs_amp = 0;
    for (std::size_t i = k; i <= std::min(last + 1, n - 1); ++i)
      qrs_amp = std::max(qrs_amp, std::abs(phi[i] - m.baseline));
    m.qrs_amplitude = qrs_amp;
    if (last + 1 >= n)
      {
        add_reason(m, "The QRS does not end within the beat: no T wave.");
        return m;
      }

    // T peak.
    std::size_t p = n, first_t = n;
    for (std::size_t i = 0; i < n; ++i)
      if (t[i] >= m.qrs_end + opt.t_guard)
        {
          if (first_t == n)
            first_t = i;
          if (p == n || std::abs(phi[i] - m.baseline) > std::abs(phi[p] - m.baseline))
            p = i;
        }
    if (p == n)
      {
        add_reason(m, "No samples after QRS end + guard: no T wave.");
        return m;
      }
    const double A = phi[p] - m.baseline;
    if (!(std::abs(A) > opt.min_t_fraction * qrs_amp))
      {
        std::ostringstream r;
        r << "No T wave: the largest deflection after the QRS, " << std::abs(A) << " mV, is below "
          << opt.min_t_fraction << " of the QRS amplitude (" << qrs_amp << " mV).";
        add_reason(m, r.str());
        return m;
      }
    // The last wave of the polarity of the largest deflection A: last sample with
    // sign(A) (phi - baseline) >= t_last_wave_fraction |A|, then back to that wave's peak.
    {
      const double level = opt.t_last_wave_fraction * std::abs(A);
      std::size_t  L     = p;
      const double sign  = A > 0 ? 1. : -1.;
      for (std::size_t i = n; i-- > p;)
        if (sign * (phi[i] - m.baseline) >= level)
          {
            L = i;
            break;
          }
      while (L > first_t && sign * (phi[L - 1] - m.baseline) >= sign * (phi[L] - m.baseline))
        --L;
      p = L;
    }
    const double A_last = phi[p] - m.baseline;
    if (p == first_t)
      add_reason(m, "The T-wave peak is at the start of its search window (QRS end + guard): it may "
                    "still be part of the QRS/ST segment.");
    m.t_peak      = t[p];
    m.t_amplitude = A_last;
    m.t_polarity  = A_last > 0 ? 1 : -1;
    if (p + 1 >= n)
      {
        add_reason(m, "The T wave peaks at the last sample: the beat is truncated, no T end.");
        return m;
      }

    // Steepest downslope after the peak: most negative slope for an upright T, most
    // positive for an inverted one.
    std::size_t q = p + 1;
    for (std::size_t i = p + 1; i < n; ++i)
      if (m.t_polarity * s[i] < m.t_polarity * s[q])
        q = i;
    if (!(m.t_polarity * s[q] < 0))
      {
        add_reason(m, "The T wave has no downslope back towards the baseline: no T end.");
        return m;
      }
    if (q + 1 == n)
      add_reason(m, "The steepest T-wave downslope is at the last sample: the beat may be truncated.");
    m.t_steepest = t[q];
    m.t_slope    = s[q];
    m.t_end      = t[q] + (m.baseline - phi[q]) / s[q];
    m.qt         = m.t_end - m.qrs_onset;
    m.tpeak_tend = m.t_end - m.t_peak;
    if (!std::isnan(rr))
      {
        m.qtc_bazett     = qtc_bazett(m.qt, rr);
        m.qtc_fridericia = qtc_fridericia(m.qt, rr);
      }
    return m;
  }

  std::string
  to_json(const EcgMetrics &m)
  {
    std::ostringstream o;
    o << std::setprecision(10);
    auto num = [&o](const char *name, double v, bool comma = true) {
      o << "  \"" << name << "\": ";
      if (std::isfinite(v))
        o << v;
      else
        o << "null";
      o << (comma ? ",\n" : "\n");
    };
    o << "{\n";
    num("t_stim_ms", m.t_stim);
    num("qrs_onset_ms", m.qrs_onset);
    num("qrs_end_ms", m.qrs_end);
    num("qrs_duration_ms", m.qrs_duration);
    num("qrs_amplitude_mV", m.qrs_amplitude);
    num("baseline_mV", m.baseline);
    num("max_slope_mV_per_ms", m.max_slope);
    num("t_peak_ms", m.t_peak);
    num("t_amplitude_mV", m.t_amplitude);
    o << "  \"t_polarity\": \"" << m.polarity_name() << "\",\n";
    num("t_end_ms", m.t_end);
    num("t_steepest_ms", m.t_steepest);
    num("t_slope_mV_per_ms", m.t_slope);
    num("qt_ms", m.qt);
    num("tpeak_tend_ms", m.tpeak_tend);
    num("rr_ms", m.rr);
    num("qtc_bazett_ms", m.qtc_bazett);
    num("qtc_fridericia_ms", m.qtc_fridericia);
    std::string r;
    for (char c : m.reason)
      {
        if (c == '"' || c == '\\')
          r += '\\';
        r += c;
      }
    o << "  \"reason\": \"" << r << "\"\n}\n";
    return o.str();
  }
} // namespace organtwin::postprocess
