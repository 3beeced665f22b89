// Parameter system: decks, overrides, error messages, registry.
#include <deal.II/base/parameter_handler.h>

#include <physics/ionic/ionic_model.h>
#include <solvers/common/parameters.h>

#include <boost/test/unit_test.hpp>

#include "input_error.h"

#include <cstdio>
#include <fstream>

using namespace organtwin;
using organtwin::testing::input_error_message;

namespace
{
  void
  declare(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Time");
    prm.declare_entry("Time step", "0.01", dealii::Patterns::Double(0.), "[ms] step");
    prm.declare_entry("Scheme", "Godunov", dealii::Patterns::Selection("Godunov|Strang"), "splitting");
    prm.leave_subsection();
  }

  std::string
  write(const std::string &name, const std::string &text)
  {
    std::ofstream(name) << text;
    return name;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(parameters)

BOOST_AUTO_TEST_CASE(parse_and_override)
{
  dealii::ParameterHandler prm;
  declare(prm);
  Deck d(prm);
  d.parse_file(write("p_ok.prm", "subsection Time\n  set Time step = 0.05\nend\n"));
  d.apply_overrides({"Time/Scheme=Strang"});
  prm.enter_subsection("Time");
  BOOST_TEST(prm.get_double("Time step") == 0.05);
  BOOST_TEST(prm.get("Scheme") == "Strang");
  prm.leave_subsection();
}

BOOST_AUTO_TEST_CASE(json_deck)
{
  dealii::ParameterHandler prm;
  declare(prm);
  Deck(prm).parse_file(write("p_ok.json", R"({"Time": {"Time step": "0.2"}})"));
  prm.enter_subsection("Time");
  BOOST_TEST(prm.get_double("Time step") == 0.2);
  prm.leave_subsection();
}

BOOST_AUTO_TEST_CASE(misspelled_entry_names_file_line_entry)
{
  dealii::ParameterHandler prm;
  declare(prm);
  const auto msg = input_error_message([&] {
    Deck(prm).parse_file(write("p_bad.prm", "subsection Time\n  set Tme step = 0.05\nend\n"));
  });
  BOOST_TEST_MESSAGE(msg);
  BOOST_TEST(msg.find("p_bad.prm") != std::string::npos);
  BOOST_TEST(msg.find("Tme step") != std::string::npos);
  BOOST_TEST(msg.find("2") != std::string::npos); // line number
}

BOOST_AUTO_TEST_CASE(value_outside_pattern)
{
  dealii::ParameterHandler prm;
  declare(prm);
  const auto msg = input_error_message([&] {
    Deck(prm).parse_file(write("p_neg.prm", "subsection Time\n  set Time step = -1\nend\n"));
  });
  BOOST_TEST_MESSAGE(msg);
  BOOST_TEST(msg.find("p_neg.prm") != std::string::npos);
  BOOST_TEST(msg.find("Time step") != std::string::npos);
  BOOST_TEST(msg.find("-1") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_override)
{
  dealii::ParameterHandler prm;
  declare(prm);
  Deck d(prm);
  auto msg = input_error_message([&] { d.apply_overrides({"Time/Sheme=Strang"}); });
  BOOST_TEST(msg.find("Sheme") != std::string::npos);
  msg = input_error_message([&] { d.apply_overrides({"Time/Scheme=Lie"}); });
  BOOST_TEST(msg.find("Lie") != std::string::npos);
  msg = input_error_message([&] { d.apply_overrides({"Time/Scheme"}); });
  BOOST_TEST(msg.find("Sub/Entry=value") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_file)
{
  dealii::ParameterHandler prm;
  declare(prm);
  const auto msg = input_error_message([&] { Deck(prm).parse_file("does_not_exist.prm"); });
  BOOST_TEST(msg.find("does_not_exist.prm") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_model_lists_registered)
{
  BOOST_CHECK_THROW(ionic::IonicRegistry::create("NoSuchModel"), std::invalid_argument);
  try
    {
      ionic::IonicRegistry::create("NoSuchModel");
    }
  catch (const std::invalid_argument &e)
    {
      BOOST_TEST(std::string(e.what()).find("MitchellSchaeffer") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(parameters)

BOOST_AUTO_TEST_CASE(parse_triple_accepts_three_numbers_only)
{
  const auto v = parse_triple(" 1.5, -2e-1 ,3", "[X]");
  BOOST_TEST(v[0] == 1.5);
  BOOST_TEST(v[1] == -0.2);
  BOOST_TEST(v[2] == 3.0);
  for (const std::string bad : {"1,2", "1,2,3,4", "1,a,3", "1,2,3x", "", "1,,3"})
    {
      const auto msg = input_error_message([&] { parse_triple(bad, "[Mesh/Box upper corner]"); });
      BOOST_TEST(msg.find("[Mesh/Box upper corner]") != std::string::npos, "no error for \"" << bad << "\"");
    }
}

BOOST_AUTO_TEST_SUITE_END()
