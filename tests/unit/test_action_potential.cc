// Action-potential metrics on synthetic traces whose answers are known analytically.
#include <postprocess/action_potential.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <type_traits>
#include <utility>
#include <vector>

using namespace organtwin::postprocess;

namespace
{
  /// Piecewise-linear function through knots (t, V), constant outside them.
  struct PiecewiseLinear
  {
    std::vector<std::pair<double, double>> knots;

    double
    operator()(double t) const
    {
      if (t <= knots.front().first)
        return knots.front().second;
      for (std::size_t i = 0; i + 1 < knots.size(); ++i)
        if (t <= knots[i + 1].first)
          {
            const auto [t0, V0] = knots[i];
            const auto [t1, V1] = knots[i + 1];
            return V0 + (V1 - V0) * (t - t0) / (t1 - t0);
          }
      return knots.back().second;
    }
  };

  struct Trace
  {
    std::vector<double> t, V;
  };

  template <class F>
  Trace
  sample(const F &f, double t_begin, double t_end, double h)
  {
    Trace tr;
    const long n = std::lround((t_end - t_begin) / h);
    for (long k = 0; k <= n; ++k)
      {
        const double t = t_begin + k * h;
        tr.t.push_back(t);
        tr.V.push_back(f(t));
      }
    return tr;
  }

  /// A trapezoid-like AP stimulated at t_s: rest -80 mV, upstroke to +20 mV within
  /// [t_s, t_s + 0.25], plateau falling linearly to 0 mV over `plateau` ms, then
  /// linear repolarisation to -80 mV over `repol` ms.
  void
  add_beat(PiecewiseLinear &f, double t_s, double plateau, double repol)
  {
    f.knots.push_back({t_s, -80.});
    f.knots.push_back({t_s + 0.25, 20.});
    f.knots.push_back({t_s + 0.25 + plateau, 0.});
    f.knots.push_back({t_s + 0.25 + plateau + repol, -80.});
  }

  /// Repolarisation crossing of level V_peak - p*100 on the linear phase 3 of add_beat.
  double
  t_rep(double t_s, double plateau, double repol, double p)
  {
    const double level = 20. - 100. * p; // V_rest = -80, V_peak = 20
    return t_s + 0.25 + plateau + repol * (0. - level) / 80.;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(action_potential)

BOOST_AUTO_TEST_CASE(piecewise_linear_beat_is_exact)
{
  PiecewiseLinear f;
  add_beat(f, 10., 200., 103.);
  // h = 0.25: the upstroke is one sample pair; the repolarisation crossings
  // (223.125, 248.875, 300.375 ms) all fall between samples.
  const Trace tr = sample(f, 0., 500., 0.25);
  const auto  m  = analyse_beat(tr.t, tr.V, 10.);

  BOOST_TEST(m.t_start == 10.);
  BOOST_TEST(m.V_rest == -80.);
  BOOST_TEST(m.V_peak == 20.);
  BOOST_TEST(m.t_peak == 10.25);
  BOOST_TEST(m.dVdt_max == 400., boost::test_tools::tolerance(1e-12));
  BOOST_TEST(m.t_act == 10.125);
  // -40 mV is crossed 0.1 ms into the upstroke (linear interpolation).
  BOOST_TEST(m.t_act_threshold == 10.1, boost::test_tools::tolerance(1e-12));
  const double tol = 1e-9;
  BOOST_TEST(std::abs(m.apd30 - (t_rep(10., 200., 103., 0.3) - 10.125)) < tol);
  BOOST_TEST(std::abs(m.apd50 - (t_rep(10., 200., 103., 0.5) - 10.125)) < tol);
  BOOST_TEST(std::abs(m.apd90 - (t_rep(10., 200., 103., 0.9) - 10.125)) < tol);
  BOOST_TEST(std::abs(m.apd90 - 290.25) < tol);
  BOOST_TEST(m.apd(90) == m.apd90);
  BOOST_TEST(std::isnan(m.apd(80)));
  BOOST_TEST(!m.ead);
}

BOOST_AUTO_TEST_CASE(interpolation_error_is_second_order)
{
  // V = 20 - 100 s^2, s = (t - ta)/L, after an instantaneous upstroke at ta: the exact
  // APDp crossing is at ta + L sqrt(p); the steepest sample pair is [ta - h, ta], so
  // t_act = ta - h/2. Linear interpolation of the crossing errs by at most
  // h^2 max|V''| / (8 |V'|) = h^2 / (8 L sqrt(p)).
  const double ta = 50., L = 300.;
  auto         V  = [&](double t) {
    if (t < ta)
      return -80.;
    const double s = (t - ta) / L;
    return s <= 1. ? 20. - 100. * s * s : -80.;
  };
  for (const double h : {1.0, 0.5, 0.25})
    {
      const Trace tr = sample(V, 0., 500., h);
      const auto  m  = analyse_beat(tr.t, tr.V, 45.);
      BOOST_TEST(m.V_peak == 20.);
      BOOST_TEST(m.t_act == ta - 0.5 * h);
      for (const double p : {0.3, 0.5, 0.9})
        {
          const double apd   = p == 0.3 ? m.apd30 : p == 0.5 ? m.apd50 : m.apd90;
          const double exact = L * std::sqrt(p) + 0.5 * h;
          const double bound = h * h / (8. * L * std::sqrt(p));
          BOOST_TEST_INFO("h = " << h << ", p = " << p << ", APD " << apd << ", exact " << exact);
          BOOST_TEST(std::abs(apd - exact) <= bound * (1. + 1e-9));
          // far better than picking the nearest sample (error up to h/2)
          BOOST_TEST(std::abs(apd - exact) < 0.01 * h);
        }
    }
}

BOOST_AUTO_TEST_CASE(trace_split_into_beats)
{
  PiecewiseLinear f;
  const double    stims[4]   = {10., 510., 1010., 1510.};
  const double    plateau[4] = {200., 150., 100., 330.};
  for (int k = 0; k < 4; ++k)
    add_beat(f, stims[k], plateau[k], 103.);
  // the 4th beat is cut before it repolarises
  const Trace tr    = sample(f, 0., 1900., 0.25);
  const auto  beats = analyse_trace(tr.t, tr.V, {stims[0], stims[1], stims[2], stims[3]});
  BOOST_TEST_REQUIRE(beats.size() == 4u);
  for (int k = 0; k < 3; ++k)
    {
      BOOST_TEST_INFO("beat " << k);
      BOOST_TEST(beats[k].t_start == stims[k]);
      BOOST_TEST(beats[k].V_rest == -80.);
      BOOST_TEST(beats[k].V_peak == 20.);
      BOOST_TEST(std::abs(beats[k].apd90 - (t_rep(stims[k], plateau[k], 103., 0.9) - stims[k] - 0.125)) < 1e-9);
    }
  BOOST_TEST(std::abs(beats[3].apd30 - (t_rep(stims[3], plateau[3], 103., 0.3) - stims[3] - 0.125)) < 1e-9);
  BOOST_TEST(std::isnan(beats[3].apd90));
}

BOOST_AUTO_TEST_CASE(resting_potential_is_taken_before_the_stimulus)
{
  // Diastolic depolarisation from -85 to -80 mV; stimulus between two samples.
  PiecewiseLinear f;
  f.knots = {{0., -85.}, {10., -80.}, {10.25, 20.}, {200., 0.}, {300., -80.}};
  const Trace tr = sample(f, 0., 400., 0.25);
  const auto  m  = analyse_beat(tr.t, tr.V, 9.9);
  // last sample at or before 9.9 ms is t = 9.75
  BOOST_TEST(m.V_rest == f(9.75), boost::test_tools::tolerance(1e-12));
  // no sample of the window => only V_rest is known
  const auto none = analyse_beat(tr.t, tr.V, 1000.);
  BOOST_TEST(none.V_rest == -80.);
  BOOST_TEST(std::isnan(none.apd90));
  BOOST_TEST(std::isnan(none.V_peak));
}

BOOST_AUTO_TEST_CASE(ead_flag)
{
  PiecewiseLinear plain;
  add_beat(plain, 10., 200., 100.);
  BOOST_TEST(!analyse_beat(sample(plain, 0., 500., 0.25).t, sample(plain, 0., 500., 0.25).V, 10.).ead);

  // An epicardial-like notch right after the peak (drop to 5 mV, back to 15 mV) is not an EAD.
  PiecewiseLinear notch;
  notch.knots = {{10., -80.}, {10.25, 20.}, {15., 5.}, {30., 15.}, {210., 0.}, {310., -80.}};
  const Trace tn = sample(notch, 0., 500., 0.25);
  BOOST_TEST(!analyse_beat(tn.t, tn.V, 10.).ead);

  // Phase-3 reactivation: at -40 mV (below the APD50 level -30 mV) V rises back to -25 mV.
  PiecewiseLinear ead;
  ead.knots = {{10., -80.}, {10.25, 20.}, {210., 0.}, {260., -40.}, {280., -25.}, {380., -80.}};
  const Trace te = sample(ead, 0., 500., 0.25);
  const auto  m  = analyse_beat(te.t, te.V, 10.);
  BOOST_TEST(m.ead);
  BOOST_TEST(std::isfinite(m.apd90));
}

BOOST_AUTO_TEST_CASE(online_tracker)
{
  static_assert(std::is_trivially_copyable_v<ActivationTracker>);
  BOOST_TEST(sizeof(ActivationTracker) <= 10 * sizeof(double));

  PiecewiseLinear f;
  const double    stims[3]   = {10., 510., 1010.};
  const double    plateau[3] = {200., 150., 100.};
  for (int k = 0; k < 3; ++k)
    add_beat(f, stims[k], plateau[k], 103.);
  // a grid that does not contain the stimulus times: the threshold crossings are
  // interpolated between samples
  const Trace tr = sample(f, 0.1, 1500.1, 0.3);

  std::vector<ActivationTracker> points(5); // as kept per DoF
  ActivationTracker              resting;
  for (std::size_t i = 0; i < tr.t.size(); ++i)
    {
      for (auto &p : points)
        p.update(tr.t[i], tr.V[i]);
      resting.update(tr.t[i], -80.);
    }
  // The samples around the -40 mV crossing straddle the upstroke's end knot, so the
  // expected crossing is the linear interpolation between those two samples.
  auto crossing_of_samples = [&](double level, double after, bool up) {
    for (std::size_t i = 0; i + 1 < tr.t.size(); ++i)
      if (tr.t[i] >= after && (up ? (tr.V[i] < level && tr.V[i + 1] >= level) :
                                    (tr.V[i] >= level && tr.V[i + 1] < level)))
        return crossing_time(tr.t[i], tr.V[i], tr.t[i + 1], tr.V[i + 1], level);
    return nan_value;
  };
  const double t_first = crossing_of_samples(-40., 0., true);
  const double t_last  = crossing_of_samples(-40., 1000., true);
  BOOST_TEST(t_first > 10.);
  BOOST_TEST(t_first < 10.25 + 0.3);
  for (const auto &p : points)
    {
      BOOST_TEST(p.n_beats == 3.);
      BOOST_TEST(p.activated());
      BOOST_TEST(p.t_first_act == t_first);
      BOOST_TEST(p.t_act_latest == t_last);
      // V_peak of the samples may be below 20 mV (the peak is not a sample): use the
      // sampled peak of the last beat for the expected level
      double V_peak = -1e9;
      for (std::size_t i = 0; i < tr.t.size(); ++i)
        if (tr.t[i] > 1000.)
          V_peak = std::max(V_peak, tr.V[i]);
      const double level = V_peak - 0.9 * (V_peak + 80.);
      BOOST_TEST(p.apd90 == crossing_of_samples(level, 1011., false) - t_last, boost::test_tools::tolerance(1e-12));
      BOOST_TEST(p.in_ap == 0.);
    }
  // and against the analytic answer: the 90 % crossing lies on a linear piece
  const double exact_rep = t_rep(1010., 100., 103., 0.9);
  BOOST_TEST(std::abs(points[0].apd90 + points[0].t_act_latest - exact_rep) < 0.05);

  BOOST_TEST(!resting.activated());
  BOOST_TEST(std::isnan(resting.t_first_act));
  BOOST_TEST(std::isnan(resting.apd90));
}

BOOST_AUTO_TEST_CASE(tracker_threshold_interpolation)
{
  // Linear ramp from -90 mV at t = 0 to +10 mV at t = 1 sampled at t = 0, 0.7, 1.4:
  // the -40 mV crossing at t = 0.5 is found by interpolation between 0 and 0.7.
  ActivationTracker p;
  p.update(0.0, -90.);
  p.update(0.7, -20.);
  BOOST_TEST(p.t_first_act == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(p.in_ap == 1.);
  // custom threshold
  ActivationTracker r;
  r.update(0.0, -90.);
  r.update(0.7, -20., -10.);
  BOOST_TEST(std::isnan(r.t_first_act));
  r.update(1.0, 10., -10.);
  BOOST_TEST(r.t_first_act == 0.7 + 0.3 * (10. / 30.), boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_SUITE_END()
