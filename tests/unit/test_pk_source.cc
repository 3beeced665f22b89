// Concentration sources for the tissue models: constant, CSV table, PBPK (live and file).
#include <physics/drugs/concentration_source.h>
#include <physics/pk/pbpk_source.h>
#include <solvers/common/parameters.h>
#include <solvers/common/units.h>
#include <solvers/pk/pk_simulation.h>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace organtwin;

namespace
{
  std::string
  write(const std::string &name, const std::string &text)
  {
    std::ofstream(name) << text;
    return name;
  }

  std::string
  error_of(const std::string &file)
  {
    try
      {
        drugs::make_table_source(file);
      }
    catch (const InputError &e)
      {
        BOOST_TEST_MESSAGE(e.what());
        return e.what();
      }
    return "";
  }
} // namespace

BOOST_AUTO_TEST_SUITE(pk_source)

BOOST_AUTO_TEST_CASE(constant)
{
  const auto s = drugs::make_constant_source(0.25);
  BOOST_TEST(s->unbound_uM("heart", 0.) == 0.25);
  BOOST_TEST(s->unbound_uM("anything", 1e6) == 0.25);
  BOOST_TEST(s->organs() == std::vector<std::string>{"*"});
  BOOST_TEST(s->description() == "constant 0.25 uM");
  BOOST_CHECK_THROW(drugs::make_constant_source(-1.), InputError);
}

BOOST_AUTO_TEST_CASE(table_interpolates_and_clamps)
{
  const auto f = write("src_ok.csv", "time_h,heart_unbound_uM,liver_unbound_uM,other_mg_per_L\n"
                                     "0,0,1,5\n2,1,3,5\n4,0.5,3,5\n");
  const auto s = drugs::make_table_source(f);
  BOOST_TEST(s->unbound_uM("heart", 1.) == 0.5);
  BOOST_TEST(s->unbound_uM("heart", 3.) == 0.75);
  BOOST_TEST(s->unbound_uM("liver", 1.5) == 2.5);
  BOOST_TEST(s->unbound_uM("heart", -1.) == 0.);
  BOOST_TEST(s->unbound_uM("heart", 10.) == 0.5);
  BOOST_TEST((s->organs() == std::vector<std::string>{"heart", "liver"}));
  BOOST_CHECK_THROW(s->unbound_uM("kidney", 1.), InputError);
  const auto all = drugs::make_table_source(write("src_all.csv", "time_h,conc_uM\n0,1\n1,3\n"));
  BOOST_TEST(all->unbound_uM("kidney", 0.5) == 2.);
}

BOOST_AUTO_TEST_CASE(table_errors_name_file_line_column)
{
  BOOST_TEST(error_of("src_missing.csv").find("src_missing.csv") != std::string::npos);
  BOOST_TEST(error_of(write("src_b1.csv", "t,heart_unbound_uM\n0,1\n")).find("time_h") != std::string::npos);
  const std::string m = error_of(write("src_b2.csv", "time_h,heart_unbound_uM\n0,1\n1,x\n"));
  BOOST_TEST(m.find("src_b2.csv:3") != std::string::npos);
  BOOST_TEST(m.find("heart_unbound_uM") != std::string::npos);
  BOOST_TEST(error_of(write("src_b3.csv", "time_h,heart_unbound_uM\n0,1\n0,2\n")).find("increase") !=
             std::string::npos);
  BOOST_TEST(error_of(write("src_b4.csv", "time_h,heart_unbound_uM\n0,-1\n")).find(">= 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pbpk_live_and_file_sources_agree_with_the_run)
{
  pk::Compound c;
  c.name = "testamine";
  c.file = "t.json";
  c.mw_g_per_mol = 400.;
  c.logP = 2.;
  c.fu = 0.3;
  c.bp = 1.;
  c.pka = {{8.5, true}};
  c.cl_hepatic_intrinsic_L_per_h = 30.;
  const pk::PbpkModel      m(c, pk::make_physiology(pk::Individual{}), {});
  pk::SimulationSettings   s;
  s.end_h       = 12.;
  s.output_dt_h = 0.5;
  const pk::PbpkResult r = pk::simulate(m, {pk::Dose{0., pk::Route::iv_infusion, 5., 1.}}, s);
  const auto           live = pk::make_pbpk_source(r.unbound);
  // at a sample: the model's unbound heart concentration in uM
  const double *y3 = r.states[6].data(); // t = 3 h
  BOOST_TEST(live->unbound_uM("heart", 3.) ==
               units::mg_per_L_to_uM(m.tissue_unbound(pk::heart, y3), c.mw_g_per_mol),
             boost::test_tools::tolerance(1e-12));
  BOOST_TEST(live->unbound_uM("heart", 3.) > 0.);
  std::filesystem::create_directories("src_pk_run");
  write("src_pk_run/concentrations.csv", pk::concentrations_csv(m, r));
  const auto file = pk::make_pbpk_results_source("src_pk_run");
  for (double t : {0.25, 1.0, 3.7, 11.9})
    for (const char *organ : {"heart", "liver", "kidney", "plasma"})
      BOOST_TEST(file->unbound_uM(organ, t) == live->unbound_uM(organ, t), boost::test_tools::tolerance(1e-7));
  BOOST_CHECK_THROW(pk::make_pbpk_results_source("src_no_such_dir"), InputError);
}

BOOST_AUTO_TEST_SUITE_END()
