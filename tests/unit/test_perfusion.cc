// Organ extraction models and elimination kinetics of the perfusion transport model
// (physics/perfusion/tissue_transport.h).
#include <physics/perfusion/tissue_transport.h>
#include <solvers/common/case.h>
#include <solvers/common/parameters.h>
#include <solvers/perfusion/perfusion_parameters.h>

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace organtwin::perfusion;

BOOST_AUTO_TEST_SUITE(perfusion)

BOOST_AUTO_TEST_CASE(extraction_limits)
{
  // hand values: R_N = 1 -> well-stirred 1/2, parallel tube 1 - 1/e
  BOOST_CHECK_CLOSE(extraction_well_stirred(1.), 0.5, 1e-12);
  BOOST_CHECK_CLOSE(extraction_parallel_tube(1.), 1. - std::exp(-1.), 1e-12);
  for (const double r : {0.1, 1., 4.})
    {
      // dispersion model between the two and tending to each limit
      BOOST_CHECK_CLOSE(extraction_dispersion(r, 1e-4), extraction_parallel_tube(r), 0.1);
      BOOST_CHECK_CLOSE(extraction_dispersion(r, 1e4), extraction_well_stirred(r), 0.1);
      const double e = extraction_dispersion(r, 0.17);
      BOOST_CHECK(e > extraction_well_stirred(r) && e < extraction_parallel_tube(r));
      // monotone in D_N
      BOOST_CHECK(extraction_dispersion(r, 0.1) > extraction_dispersion(r, 1.));
    }
  // no overflow for very small D_N
  BOOST_CHECK(std::isfinite(extraction_dispersion(2., 1e-9)));
  BOOST_CHECK_THROW(extraction_dispersion(1., 0.), std::invalid_argument);
  BOOST_CHECK_THROW(extraction_well_stirred(-1.), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(dispersion_model_by_hand)
{
  // R_N = 1, D_N = 0.5: a = sqrt(3); F = 4a / ((1+a)^2 e^{(a-1)} - (1-a)^2 e^{-(a+1)})
  const double a = std::sqrt(3.);
  const double f = 4. * a / ((1. + a) * (1. + a) * std::exp(a - 1.) - (1. - a) * (1. - a) * std::exp(-(a + 1.)));
  BOOST_CHECK_CLOSE(extraction_dispersion(1., 0.5), 1. - f, 1e-10);
}

BOOST_AUTO_TEST_CASE(organ_clearance)
{
  // PS in series with CLint, in parallel with filtration
  BOOST_CHECK_CLOSE(unbound_organ_clearance(10., 10., 0.), 5., 1e-12);
  BOOST_CHECK_CLOSE(unbound_organ_clearance(INFINITY, 10., 2.), 12., 1e-12);
  BOOST_CHECK_EQUAL(unbound_organ_clearance(0., 10., 0.), 0.);
}

BOOST_AUTO_TEST_CASE(kinetics)
{
  Kinetics mm;
  mm.type = Kinetics::Type::michaelis_menten;
  mm.vmax = 2.;
  mm.km   = 4.;
  BOOST_CHECK_CLOSE(mm.rate(4.), 1., 1e-12);       // half Vmax at Km
  BOOST_CHECK_CLOSE(mm.rate(1e-9) / 1e-9, 0.5, 1e-6); // linear limit Vmax/Km
  BOOST_CHECK_CLOSE(mm.coefficient(4.) * 4., mm.rate(4.), 1e-12);
  BOOST_CHECK_EQUAL(mm.rate(-1.), 0.);
  Kinetics lin;
  lin.type = Kinetics::Type::linear;
  lin.k    = 0.3;
  BOOST_CHECK_CLOSE(lin.rate(2.), 0.6, 1e-12);
  BOOST_CHECK_EQUAL(Kinetics().rate(5.), 0.);
}

BOOST_AUTO_TEST_CASE(registered_and_deck)
{
  BOOST_CHECK(organtwin::CaseRegistry::has("perfusion"));
  dealii::ParameterHandler prm;
  PerfusionParameters::declare(prm);
  PerfusionParameters p;
  prm.enter_subsection("Perfusion");
  prm.set("Hydraulic conductivity", "2, 1, 1, 0.3, 0, 0.1");
  prm.set("Inlet region", "0,1,1,0.5");
  prm.leave_subsection();
  p.parse(prm, "unit.prm");
  // full symmetric tensor from six values; inlet region adds id 100 to the default id 0
  BOOST_CHECK_EQUAL(p.prm_conductivity[0][1], 0.3);
  BOOST_CHECK_EQUAL(p.prm_conductivity[1][0], 0.3);
  BOOST_CHECK_EQUAL(p.prm_conductivity[2][1], 0.1);
  BOOST_CHECK_EQUAL(p.prm_conductivity[2][2], 1.);
  BOOST_CHECK(p.prm_has_inlet_region && p.prm_inlet_ids.count(0) && p.prm_inlet_ids.count(100));
  // indefinite (eigenvalue < 0) although every diagonal entry is positive
  prm.enter_subsection("Perfusion");
  prm.set("Hydraulic conductivity", "1, 1, 1, 2, 0, 0");
  prm.leave_subsection();
  BOOST_CHECK_THROW(p.parse(prm, "unit.prm"), organtwin::InputError);
}

BOOST_AUTO_TEST_SUITE_END()
