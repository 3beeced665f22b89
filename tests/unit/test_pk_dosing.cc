// Dosing schedules and virtual-population sampling.
#include <solvers/common/parameters.h>
#include <solvers/pk/dosing.h>
#include <solvers/pk/population.h>

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace organtwin;
using namespace organtwin::pk;

namespace
{
  std::string
  message(const std::function<void()> &f)
  {
    try
      {
        f();
      }
    catch (const InputError &e)
      {
        BOOST_TEST_MESSAGE(e.what());
        return e.what();
      }
    return "";
  }
  bool
  has(const std::string &m, const std::string &p)
  {
    return m.find(p) != std::string::npos;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(pk_dosing)

BOOST_AUTO_TEST_CASE(regimens)
{
  const auto d = make_regimen(Route::iv_infusion, 10., 2., 12., 3);
  BOOST_REQUIRE(d.size() == 3u);
  BOOST_TEST(d[2].time_h == 24.);
  BOOST_TEST(d[1].duration_h == 2.);
  BOOST_TEST(dose_given(d, 1.) == 5.);
  BOOST_TEST(dose_given(d, 13.) == 15.);
  BOOST_TEST(dose_given(d, 100.) == 30.);
  BOOST_TEST(has(message([] { make_regimen(Route::oral, -5., 0., 0., 1); }), "--dose-mg"));
  BOOST_TEST(has(message([] { make_regimen(Route::oral, 5., 0., 0., 3); }), "--interval-h"));
  BOOST_TEST(has(message([] { make_regimen(Route::iv_infusion, 5., 0., 12., 2); }), "--infusion-h"));
  BOOST_TEST(has(message([] { make_regimen(Route::iv_infusion, 5., 13., 12., 2); }), "overlap"));
  BOOST_TEST(has(message([] { parse_route("im", "--route"); }), "expected iv_bolus, iv_infusion or oral"));
  BOOST_TEST(has(message([] { check_schedule(make_regimen(Route::oral, 5., 0., 12., 3), 20., "cl:"); }),
                 "--end-h"));
  BOOST_TEST(has(message([] { check_schedule(make_regimen(Route::iv_infusion, 5., 4., 12., 1), 3., "cl:"); }),
                 "--end-h"));
}

BOOST_AUTO_TEST_CASE(dose_table)
{
  std::ofstream("doses_ok.csv") << "time_h,route,dose_mg,duration_h\n# loading dose\n0,iv_infusion,100,0.5\n"
                                   "12,oral,50,\n24,iv_bolus,25,\n";
  const auto d = read_dose_table("doses_ok.csv");
  BOOST_REQUIRE(d.size() == 3u);
  BOOST_TEST((d[1].route == Route::oral));
  BOOST_TEST(d[2].amount_mg == 25.);
  std::ofstream("doses_bad.csv") << "time_h,route,dose_mg\n0,oral,10\n5,oral,-3\n";
  const auto m = message([] { read_dose_table("doses_bad.csv"); });
  BOOST_TEST(has(m, "doses_bad.csv:3"));
  BOOST_TEST(has(m, "dose_mg"));
  std::ofstream("doses_bad2.csv") << "time_h,route,dose_mg\n0,inhaled,10\n";
  BOOST_TEST(has(message([] { read_dose_table("doses_bad2.csv"); }), "inhaled"));
}

BOOST_AUTO_TEST_CASE(population_draws_are_seeded_and_plausible)
{
  PopulationSettings p;
  p.seed = 7;
  const Subject a = draw_subject(p, 12), b = draw_subject(p, 12), c = draw_subject(p, 13);
  BOOST_TEST(a.who.weight_kg == b.who.weight_kg);
  BOOST_TEST(a.hepatic_factor == b.hepatic_factor);
  BOOST_TEST(a.who.weight_kg != c.who.weight_kg);
  p.seed          = 8;
  const Subject d = draw_subject(p, 12);
  BOOST_TEST(a.who.weight_kg != d.who.weight_kg);
  // log-normal IIV: median ~1, CV ~0.3 over many subjects; ages in range; both sexes
  p.cv_clearance = 0.3;
  std::vector<double> f;
  int                 females = 0;
  for (unsigned int i = 0; i < 4000; ++i)
    {
      const Subject s = draw_subject(p, i);
      f.push_back(s.hepatic_factor);
      females += s.who.sex == Sex::female;
      BOOST_TEST((s.who.age_y >= 20. && s.who.age_y <= 60.));
    }
  BOOST_TEST(std::abs(quantile(f, 0.5) - 1.) < 0.03);
  double m = 0., v = 0.;
  for (double x : f)
    m += x / f.size();
  for (double x : f)
    v += (x - m) * (x - m) / (f.size() - 1);
  BOOST_TEST(std::abs(std::sqrt(v) / m - 0.3) < 0.03);
  BOOST_TEST(std::abs(females / 4000. - 0.5) < 0.03);
  BOOST_TEST(quantile({1., 2., 3., 4., 5.}, 0.5) == 3.);
  BOOST_TEST(quantile({1., 2.}, 0.25) == 1.25);
}

BOOST_AUTO_TEST_SUITE_END()
