// The exact (matrix-exponential) PBPK propagator: the exponential itself against closed
// forms, and whole-body runs against the CVODE reference path at tight tolerance.
#include <physics/pk/pbpk_model.h>
#include <solvers/pk/matrix_exponential.h>
#include <solvers/pk/pk_simulation.h>

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace organtwin;
using namespace organtwin::pk;

namespace
{
  Compound
  oral_base()
  {
    Compound c;
    c.name                         = "testamine";
    c.file                         = "test.json";
    c.mw_g_per_mol                 = 442.;
    c.logP                         = 2.1;
    c.fu                           = 0.35;
    c.bp                           = 1.1;
    c.pka                          = {{9.2, true}};
    c.cl_hepatic_intrinsic_L_per_h = 40.;
    c.renal_filtration             = true;
    c.cl_renal_plasma_L_per_h      = 5.;
    c.has_absorption               = true;
    c.ka_per_h                     = 1.2;
    c.fraction_absorbed            = 0.9;
    c.fraction_escaping_gut        = 0.8;
    return c;
  }

  SimulationSettings
  settings(double end_h, double dt, Integrator i)
  {
    SimulationSettings s;
    s.end_h       = end_h;
    s.output_dt_h = dt;
    s.integrator  = i;
    s.rtol        = 1e-11; // CVODE reference: far below the 1e-6 asserted below
    return s;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(pk_exact)

BOOST_AUTO_TEST_CASE(matrix_exponential_closed_forms)
{
  // Two compartments in series, mild (a h = 0.6, no squaring) and stiff (a h = 2000, 9
  // squarings): [[-a, 0], [a, -b]]; relative 1e-14 and 1e-12.
  for (double a : {3., 1e4})
    {
      const double b = 0.5, h = 0.2, tol = a < 10. ? 1e-14 : 1e-12;
      const auto   E = matrix_exponential({-a, 0., a, -b}, 2, h);
      BOOST_TEST_CONTEXT("a = " << a)
      {
        BOOST_TEST(std::abs(E[0] - std::exp(-a * h)) <= tol * std::max(std::exp(-a * h), 1e-300));
        BOOST_TEST(E[1] == 0.);
        BOOST_TEST(E[2] == a / (a - b) * (std::exp(-b * h) - std::exp(-a * h)), boost::test_tools::tolerance(tol));
        BOOST_TEST(E[3] == std::exp(-b * h), boost::test_tools::tolerance(tol));
      }
    }
  // Rotation by w h = 20 rad (needs scaling and squaring) and a nilpotent matrix.
  const double w = 4., h = 5.;
  const auto   R = matrix_exponential({0., w, -w, 0.}, 2, h);
  BOOST_TEST(std::abs(R[0] - std::cos(w * h)) < 1e-12);
  BOOST_TEST(std::abs(R[1] - std::sin(w * h)) < 1e-12);
  BOOST_TEST(std::abs(R[2] + std::sin(w * h)) < 1e-12);
  BOOST_TEST(std::abs(R[3] - std::cos(w * h)) < 1e-12);
  const auto N = matrix_exponential({0., 1., 0., 0., 0., 1., 0., 0., 0.}, 3, 2.);
  const std::vector<double> expected{1., 2., 2., 0., 1., 2., 0., 0., 1.};
  for (int k = 0; k < 9; ++k)
    BOOST_TEST(std::abs(N[k] - expected[k]) < 1e-14);
}

BOOST_AUTO_TEST_CASE(exact_propagator_matches_cvode)
{
  // Oral twice daily for 2 days, an IV infusion over 1.5 h at 30 h and a bolus at 40.1 h
  // (off the output grid), perfusion- and permeability-limited. Asserted: every
  // concentration output (plasma, heart/liver/kidney unbound) agrees with CVODE at
  // rtol 1e-11 to 1e-6 relative wherever it is above 1e-6 of its maximum (1e-12 of the
  // maximum absolute below); AUC, AUMC and the NCA metrics to 1e-6; mass balance of the
  // exact path <= 1e-10 relative (the simulation itself rejects > 1e-8).
  const std::vector<Dose> doses{Dose{0., Route::oral, 10., 0.},      Dose{12., Route::oral, 10., 0.},
                                Dose{24., Route::oral, 10., 0.},     Dose{30., Route::iv_infusion, 6., 1.5},
                                Dose{40.1, Route::iv_bolus, 4., 0.}, Dose{48., Route::oral, 10., 0.}};
  for (bool perm : {false, true})
    {
      ModelOptions o;
      if (perm)
        o.permeability_limited = {heart, liver, kidney};
      const PbpkModel  m(oral_base(), make_physiology(Individual{Sex::female, 45., 68., 166.}), o);
      const PbpkResult ref = simulate(m, doses, settings(72., 0.25, Integrator::cvode));
      const PbpkResult ex  = simulate(m, doses, settings(72., 0.25, Integrator::exact));
      BOOST_TEST_CONTEXT("permeability-limited " << perm)
      {
        BOOST_REQUIRE_EQUAL(ref.time_h.size(), ex.time_h.size());
        double worst = 0.;
        auto   compare = [&](const std::vector<double> &a, const std::vector<double> &b, const char *what) {
          double cmax = 0.;
          for (double v : a)
            cmax = std::max(cmax, std::abs(v));
          BOOST_REQUIRE(cmax > 0.);
          for (std::size_t i = 0; i < a.size(); ++i)
            {
              const double d = std::abs(a[i] - b[i]);
              if (std::abs(a[i]) >= 1e-6 * cmax)
                {
                  worst = std::max(worst, d / std::abs(a[i]));
                  BOOST_TEST(d <= 1e-6 * std::abs(a[i]), what << " at t = " << ex.time_h[i]
                                                                << " h: " << b[i] << " vs CVODE " << a[i]);
                }
              else
                BOOST_TEST(d <= 1e-12 * cmax, what << " at t = " << ex.time_h[i] << " h");
            }
        };
        compare(ref.plasma_mg_per_L, ex.plasma_mg_per_L, "plasma");
        for (const char *organ : {"heart", "liver", "kidney"})
          compare(ref.unbound.unbound_uM.at(organ), ex.unbound.unbound_uM.at(organ), organ);
        BOOST_TEST_MESSAGE("perm " << perm << ": largest relative difference exact vs CVODE " << worst
                                   << ", mass balance exact " << ex.mass_balance_max_rel << ", "
                                   << ex.exponentials << " exponentials for " << ex.steps << " steps");
        const double *yr = ref.states.back().data(), *ye = ex.states.back().data();
        BOOST_TEST(ye[m.auc()] == yr[m.auc()], boost::test_tools::tolerance(1e-6));
        BOOST_TEST(ye[m.aumc()] == yr[m.aumc()], boost::test_tools::tolerance(1e-6));
        BOOST_TEST(ex.metrics.cmax_mg_per_L == ref.metrics.cmax_mg_per_L, boost::test_tools::tolerance(1e-6));
        BOOST_TEST(ex.metrics.auc_tau == ref.metrics.auc_tau, boost::test_tools::tolerance(1e-6));
        BOOST_TEST(ex.metrics.t_half_h == ref.metrics.t_half_h, boost::test_tools::tolerance(1e-6));
        BOOST_TEST(ex.mass_balance_max_rel <= 1e-10);
        // regular grid: one exponential per distinct step length (0.25 h; 0.1 h and 0.15 h
        // around the bolus at 40.1 h), not one per step
        BOOST_TEST(ex.exponentials <= 3);
        BOOST_TEST(ex.steps >= 288);
      }
    }
}

BOOST_AUTO_TEST_CASE(exact_single_iv_dose_nca)
{
  // IV bolus to 400 h: AUC_inf, CL and Vss from the AUMC (t AUC - int AUC dt on the exact
  // path) agree with CVODE to 1e-6 and CL with the model clearance to 1e-4.
  Compound c       = oral_base();
  c.has_absorption = false;
  const PbpkModel  m(c, make_physiology(Individual{}), {});
  const std::vector<Dose> bolus{Dose{0., Route::iv_bolus, 5., 0.}};
  const PbpkResult ref = simulate(m, bolus, settings(400., 0.5, Integrator::cvode));
  const PbpkResult ex  = simulate(m, bolus, settings(400., 0.5, Integrator::exact));
  BOOST_TEST(ex.metrics.auc_0_inf == ref.metrics.auc_0_inf, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(ex.metrics.vss_nca_L == ref.metrics.vss_nca_L, boost::test_tools::tolerance(1e-6));
  BOOST_TEST(ex.metrics.cl_L_per_h == m.systemic_clearance(), boost::test_tools::tolerance(1e-4));
}

BOOST_AUTO_TEST_SUITE_END()
