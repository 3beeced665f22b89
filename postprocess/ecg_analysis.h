#pragma once
// QRS / T-wave / QT analysis of one beat of a sampled (pseudo-)ECG lead.
//
// Input: samples t[i] [ms] (strictly increasing), phi[i] [mV], all finite, and the stimulus
// time of the beat. Only samples with t_stim + blanking <= t < t_end belong to the beat.
// Slopes s[i] [mV/ms] are central differences (one-sided at the two ends of the beat).
// With S = max |s| over the beat (the steepest slope, normally inside the QRS):
//  - QRS onset: first time |s| rises above qrs_fraction * S (linear interpolation of |s|
//    between the two samples around the crossing); the first sample's time if |s| is
//    already above it there (a stimulus that depolarises tissue at once);
//  - QRS end: the QRS is the run of samples with |s| >= qrs_fraction * S from the onset in
//    which stretches below it shorter than qrs_merge_gap are bridged (|s| is small at the R
//    and S peaks, and on the flat top of a slab's QRS, where a planar front is a constant
//    dipole), up to onset + qrs_max_duration; its end is the last downward crossing of
//    qrs_fraction * S (interpolated). T-wave slopes are assumed below qrs_fraction * S;
//  - baseline: the isoelectric level, phi at the QRS onset (interpolated);
//  - T peak: the peak of the LAST wave after QRS end + t_guard that has the polarity of
//    the largest deflection A = phi - baseline in that window: the last sample with
//    sign(A) (phi - baseline) >= t_last_wave_fraction |A| is found, and the T peak is the
//    local maximum of sign(A) (phi - baseline) reached from it going back in time. A later
//    small wave of opposite sign (late M-cell repolarisation) does not replace the T wave.
//    The T wave is the last
//    repolarisation wave even when an earlier deflection is larger (a raised ST segment when
//    ICaL block lowers the plateau unevenly across the wall). Amplitude phi(T peak) -
//    baseline; polarity upright if > 0, inverted if < 0;
//  - T end, tangent method (Lepeschkin & Surawicz, Circulation 6:378, 1952; Postema &
//    Wilde, Curr Cardiol Rev 10:287, 2014): the tangent to phi at the steepest point of the
//    T-wave downslope (after the T peak, slope of opposite sign to the amplitude) meets
//    the baseline at T end;
//  - QT = T end - QRS onset; Tpeak-Tend = T end - T peak; QRS duration = QRS end - onset;
//  - QTc [ms] with the cycle length RR [ms]: Bazett (Heart 7:353, 1920) QT / sqrt(RR/1000 ms),
//    Fridericia (Acta Med Scand 53:469, 1920) QT / cbrt(RR/1000 ms).
// A feature that cannot be found leaves its fields (and those that depend on it) NaN and
// appends a sentence to `reason`. Invalid input (length mismatch, fewer than 5 samples in
// the beat, non-finite or non-increasing values, bad options) throws std::invalid_argument.
// Meant for noise-free simulated ECGs; no filtering is applied.

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace organtwin::postprocess
{
  struct EcgOptions
  {
    double qrs_fraction  = 0.1;  ///< [-] QRS on/offset threshold, fraction of max |dphi/dt|
    double qrs_merge_gap    = 60.;  ///< [ms] sub-threshold stretches inside the QRS shorter than this are bridged
    double qrs_max_duration = 200.; ///< [ms] the QRS end is searched up to onset + this
    double t_guard       = 20.;  ///< [ms] the T wave is searched from QRS end + t_guard
    double blanking      = 0.;   ///< [ms] samples before t_stim + blanking are ignored (stimulus artefact)
    double min_t_fraction = 0.05; ///< [-] a T wave smaller than this fraction of the QRS amplitude is "absent"
    double t_last_wave_fraction = 0.1; ///< [-] the T wave is the last wave reaching this fraction of the largest post-QRS deflection
  };

  struct EcgMetrics
  {
    static constexpr double nan = std::numeric_limits<double>::quiet_NaN();

    double      t_stim       = nan; ///< [ms] stimulus time of the beat
    double      qrs_onset    = nan; ///< [ms]
    double      qrs_end      = nan; ///< [ms]
    double      qrs_duration = nan; ///< [ms]
    double      qrs_amplitude = nan; ///< [mV] largest |phi - baseline| inside the QRS
    double      baseline     = nan; ///< [mV] isoelectric level (phi at the QRS onset)
    double      max_slope    = nan; ///< [mV/ms] max |dphi/dt| of the beat
    double      t_peak       = nan; ///< [ms] T-wave peak time
    double      t_amplitude  = nan; ///< [mV] phi(T peak) - baseline
    int         t_polarity   = 0;   ///< +1 upright, -1 inverted, 0 not found
    double      t_end        = nan; ///< [ms] tangent-method T end
    double      t_steepest   = nan; ///< [ms] time of the steepest T-wave downslope
    double      t_slope      = nan; ///< [mV/ms] slope there
    double      qt           = nan; ///< [ms] T end - QRS onset
    double      tpeak_tend   = nan; ///< [ms] T end - T peak
    double      rr           = nan; ///< [ms] cycle length used for QTc
    double      qtc_bazett   = nan; ///< [ms]
    double      qtc_fridericia = nan; ///< [ms]
    std::string reason;             ///< why fields are NaN; empty if all were found

    bool
    complete() const
    {
      return reason.empty();
    }
    /// "upright", "inverted" or "none".
    std::string polarity_name() const;
  };

  /// Analyse one beat. rr: cycle length [ms] for QTc (NaN: QTc left NaN, no reason added).
  EcgMetrics analyse_ecg(const std::vector<double> &t, const std::vector<double> &phi, double t_stim,
                         double rr = std::numeric_limits<double>::quiet_NaN(),
                         double t_end = std::numeric_limits<double>::infinity(), const EcgOptions &opt = {});

  /// QTc by Bazett, QT / sqrt(RR / 1000 ms) [ms]; throws for RR <= 0.
  double qtc_bazett(double qt, double rr);
  /// QTc by Fridericia, QT / cbrt(RR / 1000 ms) [ms]; throws for RR <= 0.
  double qtc_fridericia(double qt, double rr);

  /// The metrics as a flat JSON object (NaN written as null), e.g. for plot_ecg.py.
  std::string to_json(const EcgMetrics &m);
} // namespace organtwin::postprocess
