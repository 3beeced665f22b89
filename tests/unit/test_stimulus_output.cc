// Stimulus timing/regions and the output writers (result folder, atomic files, JSON).
#include <deal.II/base/mpi.h>

#include <solvers/common/output.h>
#include <solvers/common/units.h>
#include <solvers/ep/stimulus.h>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace organtwin;
namespace fs = std::filesystem;

BOOST_AUTO_TEST_SUITE(stimulus_output)

BOOST_AUTO_TEST_CASE(pulse_train_charge)
{
  ep::Stimulus s;
  s.region   = "box";
  s.start    = 10;
  s.duration = 2;
  s.period   = 100;
  s.n_pulses = 3;
  // fully inside, outside, straddling the start and the end of a pulse
  BOOST_TEST(s.active_fraction(10.5, 11.5) == 1.0);
  BOOST_TEST(s.active_fraction(0, 9) == 0.0);
  BOOST_TEST(s.active_fraction(9.5, 10.5) == 0.5, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(s.active_fraction(111.5, 112.5) == 0.5, boost::test_tools::tolerance(1e-14));
  // the third pulse exists, the fourth does not
  BOOST_TEST(s.active_fraction(210, 212) == 1.0);
  BOOST_TEST(s.active_fraction(310, 312) == 0.0);
  // the delivered charge does not depend on the step: sum fraction*dt over [0, 400]
  for (double dt : {0.01, 0.03, 0.7, 3.0})
    {
      double q = 0;
      for (double t = 0; t < 400 - 1e-12; t += dt)
        q += s.active_fraction(t, t + dt) * dt;
      BOOST_TEST(q == 6.0, boost::test_tools::tolerance(1e-9));
    }
  s.region = "none";
  BOOST_TEST(s.active_fraction(10.5, 11.5) == 0.0);
}

BOOST_AUTO_TEST_CASE(regions)
{
  ep::Stimulus b;
  b.region = "box";
  b.lower  = dealii::Point<3>(0, 0, 0);
  b.upper  = dealii::Point<3>(1.5, 1.5, 1.5);
  BOOST_TEST(b.contains(dealii::Point<3>(1.5, 1.5, 1.5)));
  BOOST_TEST(!b.contains(dealii::Point<3>(1.6, 0, 0)));
  ep::Stimulus sp;
  sp.region = "sphere";
  sp.centre = dealii::Point<3>(1, 1, 1);
  sp.radius = 0.5;
  BOOST_TEST(sp.contains(dealii::Point<3>(1.5, 1, 1)));
  BOOST_TEST(!sp.contains(dealii::Point<3>(1.4, 1.4, 1)));
}

BOOST_AUTO_TEST_CASE(unit_conversions)
{
  // Niederer 2011: sigma_l = 0.1334 S/m, chi = 140 /mm, Cm = 1 uF/cm^2 -> D = 0.0953 mm^2/ms;
  // 50000 uA/cm^3 -> 35.714 uA/uF
  BOOST_TEST(0.1334 * units::monodomain_diffusivity_factor(140, 1) == 0.0952857, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(units::stimulus_per_capacitance(50000, 140, 1) == 35.7142857, boost::test_tools::tolerance(1e-8));
}

BOOST_AUTO_TEST_CASE(result_directory_is_atomic)
{
  const std::string path = "unit_result_dir";
  fs::remove_all(path);
  {
    ResultDirectory d(path, MPI_COMM_WORLD);
    std::ofstream(d.tmp() + "a.txt") << "x";
    BOOST_TEST(!fs::exists(path)); // nothing visible before commit
    d.commit();
  }
  BOOST_TEST(fs::exists(path + "/a.txt"));
  {
    // an exception before commit: the partial folder disappears, the old result stays
    try
      {
        ResultDirectory d(path, MPI_COMM_WORLD);
        std::ofstream(d.tmp() + "b.txt") << "y";
        throw std::runtime_error("failure");
      }
    catch (const std::runtime_error &)
      {}
  }
  BOOST_TEST(fs::exists(path + "/a.txt"));
  BOOST_TEST(!fs::exists(path + "/b.txt"));
  for (const auto &e : fs::directory_iterator("."))
    BOOST_TEST(e.path().filename().string().find("unit_result_dir.partial") == std::string::npos);
  fs::remove_all(path);
}

BOOST_AUTO_TEST_CASE(atomic_file_and_json)
{
  write_file_atomic("unit_file.txt", "hello\n");
  std::ifstream in("unit_file.txt");
  std::string   s;
  std::getline(in, s);
  BOOST_TEST(s == "hello");
  BOOST_TEST(!fs::exists("unit_file.txt.tmp"));

  Json inner;
  inner.set("P8", 40.5);
  Json j;
  j.set("name", "a\"b").set("n", 3).set("ok", true).set("v", std::vector<double>{1, 2.5}).set("act", inner);
  j.set("nan", std::numeric_limits<double>::quiet_NaN());
  const std::string out = j.str();
  BOOST_TEST(out.find("\"name\": \"a\\\"b\"") != std::string::npos);
  BOOST_TEST(out.find("\"v\": [1, 2.5]") != std::string::npos);
  BOOST_TEST(out.find("\"P8\": 40.5") != std::string::npos);
  BOOST_TEST(out.find("\"nan\": null") != std::string::npos); // JSON has no NaN
  BOOST_TEST(out.find("\"ok\": true") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
