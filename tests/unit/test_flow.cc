// Flow building blocks without a mesh: blood rheology, waveform tables, complex Bessel
// functions and the Womersley profile (flow rate and Poiseuille limit).
#include <physics/fluids/blood_rheology.h>
#include <solvers/common/parameters.h>
#include <solvers/flow/waveform.h>

#include <boost/test/unit_test.hpp>

#include <cmath>

using namespace organtwin;
namespace tt = boost::test_tools;

BOOST_AUTO_TEST_SUITE(flow)

BOOST_AUTO_TEST_CASE(carreau_yasuda_limits_and_derivative)
{
  const fluids::CarreauYasudaConstants c;
  const auto                           cy = fluids::Rheology::carreau_yasuda(c);
  BOOST_TEST(cy.viscosity(0.) == c.mu_0, tt::tolerance(1e-14));
  // at 1e6 /s the model is within 1 % of mu_inf
  BOOST_TEST(std::abs(cy.viscosity(1e3) - c.mu_inf) / c.mu_inf < 0.01);
  // shear thinning: monotone decreasing; derivative matches a central difference
  for (double g : {1e-4, 1e-3, 1e-2, 0.1, 1.})
    {
      BOOST_TEST(cy.viscosity(2 * g) < cy.viscosity(g));
      const double h = 1e-6 * g, fd = (cy.viscosity(g + h) - cy.viscosity(g - h)) / (2 * h);
      BOOST_TEST(cy.viscosity_derivative(g) == fd, tt::tolerance(1e-6));
    }
  const auto nw = fluids::Rheology::newtonian(3.5e-3);
  BOOST_TEST(nw.viscosity(5.) == 3.5e-3);
  BOOST_CHECK_THROW(fluids::Rheology::newtonian(-1.), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(waveform_table)
{
  const auto w = organtwin::flow::Waveform::parse("t_ms,Q\n0,1\n100,3\n200,1\n", "test", true);
  BOOST_TEST(w.period() == 200.);
  BOOST_TEST(w(50.) == 2., tt::tolerance(1e-14));
  BOOST_TEST(w(250.) == 2., tt::tolerance(1e-14)); // periodic
  BOOST_TEST(w.mean() == 2., tt::tolerance(1e-14));
  const auto inline_table = organtwin::flow::Waveform::parse("0,1; 1,2", "test", false);
  BOOST_TEST(inline_table(5.) == 2.);
  BOOST_CHECK_THROW(organtwin::flow::Waveform::parse("0,1\n0,2\n", "test", false), InputError);  // not increasing
  BOOST_CHECK_THROW(organtwin::flow::Waveform::parse("0,1\n1,x\n", "test", false), InputError);  // not a number
  BOOST_CHECK_THROW(organtwin::flow::Waveform::parse("0,1\n", "test", false), InputError);       // one point
  BOOST_CHECK_THROW(organtwin::flow::Waveform::parse("0,1\n1,2\n", "test", true), InputError);   // periodic mismatch
  BOOST_CHECK_THROW(organtwin::flow::Waveform::parse("0,1,2\n1,2,3\n", "test", false), InputError); // three columns
}

BOOST_AUTO_TEST_CASE(waveform_fourier_of_a_cosine)
{
  // Q = 2 + 3 cos(2 pi t / T) sampled at 400 points: C0 = 2, C1 = 3 (piecewise-linear error ~ 1e-4)
  std::string text;
  const double T = 800.;
  for (int i = 0; i <= 400; ++i)
    text += std::to_string(T * i / 400.) + "," + std::to_string(2. + 3. * std::cos(2 * M_PI * i / 400.)) + "\n";
  const auto c = organtwin::flow::Waveform::parse(text, "test", true).fourier(3);
  BOOST_TEST(c[0].real() == 2., tt::tolerance(1e-6));
  BOOST_TEST(std::abs(c[1] - std::complex<double>(3., 0.)) < 1e-3);
  BOOST_TEST(std::abs(c[2]) < 1e-5);
}

BOOST_AUTO_TEST_CASE(bessel_functions)
{
  BOOST_TEST(organtwin::flow::bessel_j0(1.).real() == 0.7651976865579666, tt::tolerance(1e-13));
  BOOST_TEST(organtwin::flow::bessel_j1(1.).real() == 0.4400505857449335, tt::tolerance(1e-13));
  BOOST_TEST(organtwin::flow::bessel_j0(10.).real() == -0.2459357644513483, tt::tolerance(1e-10));
  // Kelvin functions: J0(i^(3/2) x) = ber(x) + i bei(x); ber(1) = 0.98438178, bei(1) = 0.24956604
  const auto k = organtwin::flow::bessel_j0(std::pow(std::complex<double>(0, 1), 1.5) * 1.);
  BOOST_TEST(k.real() == 0.98438178, tt::tolerance(1e-7));
  BOOST_TEST(k.imag() == 0.24956604, tt::tolerance(1e-7));
}

BOOST_AUTO_TEST_CASE(womersley_profile_carries_the_flow_rate)
{
  std::string text;
  const double T = 1000.;
  for (int i = 0; i <= 200; ++i)
    text += std::to_string(T * i / 200.) + "," + std::to_string(5. + 8. * std::cos(2 * M_PI * i / 200.)) + "\n";
  const auto   w = organtwin::flow::Waveform::parse(text, "test", true);
  const double R = 3., nu = 3.3e-3;
  const organtwin::flow::WomersleyProfile prof(w, R, nu, 10);
  BOOST_TEST(prof.alpha() > 4.);
  BOOST_TEST(prof.alpha() < 4.5);
  const auto c = w.fourier(10);
  for (double t : {0., 130., 400., 777.})
    {
      // Q = int_0^R u 2 pi r dr (midpoint rule, 4000 rings) equals the truncated Fourier series
      double q = 0;
      for (int i = 0; i < 4000; ++i)
        {
          const double r = (i + 0.5) * R / 4000.;
          q += prof.velocity(r, t) * 2 * M_PI * r * R / 4000.;
        }
      double qs = 0;
      for (unsigned int k = 0; k <= 10; ++k)
        qs += (c[k] * std::exp(std::complex<double>(0, 2 * M_PI * k * t / T))).real();
      BOOST_TEST(q == qs, tt::tolerance(1e-5));
      BOOST_TEST(prof.velocity(R, t) == 0., tt::tolerance(1e-12));
    }
  // alpha -> 0 (huge viscosity): Poiseuille 2 Q(t)/(pi R^2) on the axis
  const organtwin::flow::WomersleyProfile slow(w, R, 1e4, 10);
  BOOST_TEST(slow.velocity(0., 250.) == 2. * w(250.) / (M_PI * R * R), tt::tolerance(2e-3));
}


BOOST_AUTO_TEST_CASE(wall_shear_rate_matches_difference)
{
  std::string text;
  for (int i = 0; i <= 100; ++i)
    text += std::to_string(10. * i) + "," + std::to_string(5. + 8. * std::cos(2 * M_PI * i / 100.)) + "\n";
  const auto                   w = organtwin::flow::Waveform::parse(text, "test", true);
  const organtwin::flow::WomersleyProfile prof(w, 3., 3.3e-3, 10);
  for (double t : {0., 300., 650.})
    {
      const double h = 1e-5, fd = (prof.velocity(3., t) - prof.velocity(3. - h, t)) / h;
      BOOST_TEST(prof.wall_shear_rate(t) == fd, tt::tolerance(1e-3));
    }
}

BOOST_AUTO_TEST_SUITE_END()
