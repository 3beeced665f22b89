// Land et al. 2017 contraction model (physics/materials/land2017.h):
//  - the closed-form isometric steady state is a zero of the right-hand side and the
//    limit of a long integration;
//  - its tension equals the Hill form T_ref h(lambda) / (1 + (TRPN50/CaTRPN)^n_tm) that
//    follows from the model's definition of k_b (half activation at CaTRPN = TRPN50);
//  - the integrator converges with order 2 in the sub-step;
//  - length and velocity dependence have the physiological sign (Frank-Starling; force
//    falls while shortening); out-of-range parameters are refused;
//  - the implicit distortion update of the mechanics coupling equals the integrator at a
//    constant stretch rate, and dT_a/dlambda (the tangent) matches finite differences.
#include <deal.II/base/parameter_handler.h>

#include <physics/ionic/ionic_model.h>
#include <physics/materials/land2017.h>
#include <solvers/common/parameters.h>
#include <solvers/mechanics/calcium_drive.h>

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace organtwin;
using namespace organtwin::materials;

BOOST_AUTO_TEST_SUITE(land2017)

BOOST_AUTO_TEST_CASE(steady_state_is_a_fixed_point_and_the_limit)
{
  const Land2017 m;
  for (const double ca : {0.3, 0.805, 1.5})
    for (const double lambda : {0.95, 1.0, 1.1})
      {
        const auto      y = m.steady_state(ca, lambda);
        Land2017::State f;
        m.rhs(y, ca, lambda, 0., f);
        for (unsigned int i = 0; i < Land2017::n_states; ++i)
          BOOST_TEST(std::abs(f[i]) < 1e-13, "state " << i << " rate " << f[i] << " at Ca " << ca);
        // from rest (diastolic steady state) to the new calcium level: 3 s isometric
        auto z = m.steady_state(0.09, lambda);
        for (unsigned int k = 0; k < 3000; ++k)
          m.advance(z, ca, lambda, 0., 1.0);
        for (unsigned int i = 0; i < Land2017::n_states; ++i)
          BOOST_TEST(std::abs(z[i] - y[i]) < 1e-9, "state " << i << ": " << z[i] << " vs " << y[i]);
        const double c    = y[Land2017::CaTRPN];
        const auto  &p    = m.parameters();
        const double hill = p.T_ref * m.overlap(lambda) / (1. + std::pow(p.trpn50 / c, p.n_tm));
        BOOST_TEST(std::abs(m.tension(y, lambda) - hill) < 1e-10 * p.T_ref,
                   "T_a " << m.tension(y, lambda) << " vs Hill form " << hill);
      }
  // half activation where CaTRPN = TRPN50 (lambda = 1): Ca = Ca50 (TRPN50/(1-TRPN50))^(1/n_TRPN)
  const auto  &p   = m.parameters();
  const double ca  = p.ca50 * std::pow(p.trpn50 / (1. - p.trpn50), 1. / p.n_trpn);
  const auto   y   = m.steady_state(ca, 1.);
  BOOST_TEST(std::abs(m.tension(y, 1.) - 0.5 * p.T_ref) < 1e-10);
  // at rest the tension is below 0.1 % of T_ref
  BOOST_TEST(m.tension(m.steady_state(0.09, 1.), 1.) < 1e-3 * p.T_ref);
}

BOOST_AUTO_TEST_CASE(second_order_in_the_substep)
{
  // a step of calcium to 1 uM while shortening at 0.5 %/100 ms (so that every state moves)
  const Land2017 m;
  const double   rate = -5e-5; // [1/ms]
  const auto     run  = [&](double h) {
    auto   y      = m.steady_state(0.09, 1.);
    double lambda = 1.;
    for (unsigned int k = 0; k < 150; ++k) // 150 ms in 1 ms calls, stretch at the midpoint
      {
        m.advance(y, 1.0, lambda + 0.5 * rate, rate, 1.0, h);
        lambda += rate;
      }
    return m.tension(y, lambda);
  };
  const double ref = run(1e-4);
  double       e_prev = 0;
  for (const double h : {0.5, 0.25, 0.125})
    {
      const double e = std::abs(run(h) - ref);
      BOOST_TEST_MESSAGE("substep " << h << " ms: |T_a - T_ref| = " << e << " kPa");
      if (e_prev > 0)
        BOOST_TEST(std::log2(e_prev / e) > 1.8, "observed order " << std::log2(e_prev / e));
      e_prev = e;
    }
  BOOST_TEST(e_prev < 1e-3);
}

BOOST_AUTO_TEST_CASE(length_and_velocity_dependence)
{
  const Land2017 m;
  // Frank-Starling: more tension at longer length, same calcium (steady state)
  const double t09 = m.tension(m.steady_state(0.8, 0.9), 0.9);
  const double t10 = m.tension(m.steady_state(0.8, 1.0), 1.0);
  const double t11 = m.tension(m.steady_state(0.8, 1.1), 1.1);
  BOOST_TEST(t09 < t10);
  BOOST_TEST(t10 < t11);
  // force-velocity: after 50 ms at 1 uM, shortening gives less and lengthening more tension
  const auto after = [&](double rate) {
    auto   y      = m.steady_state(1.0, 1.);
    double lambda = 1.;
    for (unsigned int k = 0; k < 50; ++k)
      {
        m.advance(y, 1.0, lambda + 0.5 * rate, rate, 1.0);
        lambda += rate;
      }
    // compare at the same stretch: remove the length effect
    return m.tension(y, lambda) / m.overlap(lambda);
  };
  const double iso = after(0.), shorten = after(-1e-3), lengthen = after(1e-3);
  BOOST_TEST_MESSAGE("T_a/h: isometric " << iso << ", shortening " << shorten << ", lengthening " << lengthen);
  BOOST_TEST(shorten < 0.9 * iso);
  BOOST_TEST(lengthen > 1.1 * iso);
}

BOOST_AUTO_TEST_CASE(parameter_checks)
{
  Land2017Parameters p;
  BOOST_CHECK_NO_THROW(p.check("deck.prm: [Active stress/Land2017/"));
  p.r_w = 1.5;
  BOOST_CHECK_THROW(p.check("deck.prm: [Active stress/Land2017/"), InputError);
  p     = Land2017Parameters();
  p.k_ws = 1.0; // k_wu would be negative
  BOOST_CHECK_THROW(p.check("deck.prm: [Active stress/Land2017/"), InputError);
  p       = Land2017Parameters();
  p.T_ref = -1;
  BOOST_CHECK_THROW(p.check("deck.prm: [Active stress/Land2017/"), InputError);
}

BOOST_AUTO_TEST_CASE(implicit_stretch_coupling)
{
  const Land2017 m;
  // distortion_update = exact solution of the zeta equations at a constant rate
  const double dt = 2., rate = -8e-4;
  auto         y  = m.steady_state(1.0, 1.);
  auto         z  = y;
  m.advance(z, 1.0, 1. + 0.5 * rate * dt, rate, dt, 1e-3);
  double ds, gs, dw, gw;
  m.distortion_update(dt, ds, gs, dw, gw);
  BOOST_TEST(std::abs(z[Land2017::ZetaS] - (ds * y[Land2017::ZetaS] + gs * rate * dt)) < 1e-12);
  BOOST_TEST(std::abs(z[Land2017::ZetaW] - (dw * y[Land2017::ZetaW] + gw * rate * dt)) < 1e-12);

  // the mechanics coupling: analytic transient, one point activated at t = 0
  dealii::ParameterHandler prm;
  prm.enter_subsection("Active stress");
  mechanics::CalciumDrivenTension::declare(prm);
  prm.leave_subsection();
  prm.enter_subsection("Active stress");
  prm.set("Model", "Land2017");
  mechanics::CalciumDrivenTension ct;
  ct.parse(prm, "deck.prm: [Active stress/");
  prm.leave_subsection();
  ct.setup(prm, 800.);
  // the analytic transient peaks at the deck's 1.45 uM, at s* = ln(tau_d/tau_r) tau_d tau_r/(tau_d - tau_r)
  const double s_star = std::log(110. / 20.) * 110. * 20. / 90.;
  BOOST_TEST(std::abs(ct.calcium(s_star) - 1.45) < 1e-12);
  BOOST_TEST(ct.calcium(s_star - 1) < 1.45);
  BOOST_TEST(ct.calcium(s_star + 1) < 1.45);
  BOOST_TEST(std::abs(ct.calcium(0.) - 0.09) < 1e-12);
  ct.reset(1);
  std::vector<double> t_act{0.}, lambda{1.0}, ta;
  for (unsigned int k = 0; k < 40; ++k) // 80 ms of an isometric twitch
    {
      ct.begin_step(2. * k, 2., t_act, lambda);
      ct.commit(lambda, ta);
    }
  BOOST_TEST(ta[0] > 1.);
  ct.begin_step(80., 2., t_act, lambda);
  for (const double l : {0.995, 1.001, 1.01}) // stretch increments of one step
    {
      double       d, dp, dm;
      const double h  = 1e-6;
      const double t0 = ct.tension(0, l, d);
      const double fd = (ct.tension(0, l + h, dp) - ct.tension(0, l - h, dm)) / (2 * h);
      BOOST_TEST(std::abs(d - fd) < 1e-5 * std::max(1., std::abs(fd)), "lambda " << l << ": " << d << " vs FD " << fd);
      BOOST_TEST(t0 > 0);
    }
  // h'(lambda) against finite differences of h on each linear piece (kinks at 0.87 and 1.2)
  for (const double l : {0.8, 0.95, 1.1, 1.3})
    {
      const double fd = (m.overlap(l + 1e-7) - m.overlap(l - 1e-7)) / 2e-7;
      BOOST_TEST(std::abs(m.overlap_derivative(l) - fd) < 1e-6, "h'(" << l << ")");
    }
}

BOOST_AUTO_TEST_CASE(bad_calcium_transient)
{
  dealii::ParameterHandler prm;
  prm.enter_subsection("Active stress");
  mechanics::CalciumDrivenTension::declare(prm);
  prm.set("Model", "Land2017");
  prm.set("Calcium rise time", "200");
  mechanics::CalciumDrivenTension ct;
  BOOST_CHECK_THROW(ct.parse(prm, "deck.prm: [Active stress/"), InputError);
  prm.set("Calcium rise time", "20");
  prm.set("Calcium peak", "0.05");
  BOOST_CHECK_THROW(ct.parse(prm, "deck.prm: [Active stress/"), InputError);
  prm.leave_subsection();
}

BOOST_AUTO_TEST_SUITE_END()
