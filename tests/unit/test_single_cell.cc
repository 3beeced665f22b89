// Single-cell pacing case and the CVODE reference integrator.
#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <physics/ionic/cvode_integrator.h>
#include <physics/ionic/integrators.h>
#include <physics/ionic/ionic_model.h>
#include <solvers/common/case.h>
#include <solvers/common/parameters.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace organtwin;

namespace
{
  /// dV/dt = -V/tau_V, gate dg/dt = (V/100 - g)/tau_g: a linear system with a closed-form
  /// solution, to check CVODE and its restarts.
  class LinearCell : public ionic::IonicModel
  {
  public:
    static constexpr double tau_V = 5., tau_g = 2.;
    std::string             name() const override { return "LinearCell"; }
    void                    parse_parameters(dealii::ParameterHandler &) override {}
    unsigned int            n_states() const override { return 2; }
    std::vector<ionic::StateInfo>
    state_info() const override
    {
      return {{"V", "mV", false}, {"g", "1", true}};
    }
    void
    initial_state(double *y) const override
    {
      y[0] = 10.;
      y[1] = 0.;
    }
    void
    rhs(const double *y, double *dydt, double *yinf, double *tau) const override
    {
      dydt[0] = -y[0] / tau_V;
      yinf[1] = y[0] / 100.;
      tau[1]  = tau_g;
      dydt[1] = (yinf[1] - y[1]) / tau[1];
    }
    std::vector<std::string> current_names() const override { return {"Ilin"}; }
    void currents(const double *y, double *I) const override { I[0] = y[0] / tau_V; }
  };

  /// V(t) for dV/dt = -V/tau + I_app from V0 at 0.
  double
  exact_V(double V0, double I_app, double t)
  {
    const double tau = LinearCell::tau_V;
    return I_app * tau + (V0 - I_app * tau) * std::exp(-t / tau);
  }

  std::vector<std::vector<double>>
  read_csv(const std::string &file, std::vector<std::string> &header)
  {
    std::ifstream in(file);
    std::string   line;
    std::getline(in, line);
    header.clear();
    {
      std::stringstream ss(line);
      std::string       h;
      while (std::getline(ss, h, ','))
        header.push_back(h);
    }
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line))
      {
        std::stringstream   ss(line);
        std::string         v;
        std::vector<double> row;
        while (std::getline(ss, v, ','))
          row.push_back(std::stod(v));
        rows.push_back(row);
      }
    return rows;
  }

  /// Run the "cell" case on a Mitchell-Schaeffer cell; returns the result folder.
  std::string
  run_cell(const std::string &scheme, double dt, const std::string &dir, unsigned beats = 3)
  {
    dealii::ParameterHandler prm;
    prm.declare_entry("Problem type", "cell", dealii::Patterns::Anything(), "");
    CaseRegistry::get("cell").declare_parameters(prm);
    set_by_path(prm, "Ionic model/Model", "MitchellSchaeffer", "test");
    set_by_path(prm, "Pacing/Cycle length", "400", "test");
    set_by_path(prm, "Pacing/Number of beats", std::to_string(beats), "test");
    set_by_path(prm, "Time integration/Scheme", scheme, "test");
    set_by_path(prm, "Time integration/Time step", std::to_string(dt), "test");
    set_by_path(prm, "Time integration/CVODE relative tolerance", "1e-9", "test");
    set_by_path(prm, "Time integration/CVODE absolute tolerance", "1e-11", "test");
    set_by_path(prm, "Time integration/Output interval", "1", "test");
    set_by_path(prm, "Time integration/Beats to write", "1", "test");
    set_by_path(prm, "Output/Directory", dir, "test");
    set_by_path(prm, "Output/Plot", "false", "test");
    auto c = CaseRegistry::create("cell");
    c->run(prm, RunContext{"unit-test", MPI_COMM_WORLD, 0});
    return dir + "/";
  }
} // namespace

BOOST_AUTO_TEST_SUITE(single_cell)

BOOST_AUTO_TEST_CASE(cvode_matches_closed_form_with_restarts)
{
  LinearCell                 m;
  ionic::CvodeCellIntegrator cv(m, 1e-10, 1e-12);
  double                     y[2];
  m.initial_state(y);
  // segment 1: no current on [0, 3]; segment 2: I_app = 4 on [3, 10]
  cv.restart(0., y, 0., 3.);
  for (double t = 0.5; t <= 3.0 + 1e-12; t += 0.5)
    {
      cv.advance_to(t, y);
      BOOST_TEST(y[0] == exact_V(10., 0., t), boost::test_tools::tolerance(1e-7));
    }
  const double V3 = y[0];
  cv.restart(3., y, 4., 10.);
  for (double t = 4.; t <= 10. + 1e-12; t += 1.)
    {
      cv.advance_to(t, y);
      BOOST_TEST(y[0] == exact_V(V3, 4., t - 3.), boost::test_tools::tolerance(1e-7));
    }
  BOOST_TEST(cv.n_steps() > 0);
  BOOST_TEST(cv.n_rhs_evaluations() >= cv.n_steps());
}

BOOST_AUTO_TEST_CASE(cvode_reports_non_finite_state)
{
  // a model whose rate becomes NaN once V exceeds 20 mV
  class Blows : public LinearCell
  {
  public:
    void
    rhs(const double *y, double *dydt, double *yinf, double *tau) const override
    {
      LinearCell::rhs(y, dydt, yinf, tau);
      if (y[0] > 20.)
        dydt[1] = std::nan("");
    }
  } m;
  ionic::CvodeCellIntegrator cv(m, 1e-8, 1e-10);
  double                     y[2] = {10., 0.};
  cv.restart(0., y, 10., 100.); // V rises towards 50 mV
  std::string msg;
  try
    {
      for (double t = 1.; t <= 100.; t += 1.)
        cv.advance_to(t, y);
    }
  catch (const std::runtime_error &e)
    {
      msg = e.what();
    }
  BOOST_TEST_MESSAGE(msg);
  BOOST_TEST(msg.find("state \"g\"") != std::string::npos);
  BOOST_TEST(msg.find("not finite") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rush_larsen_agrees_with_cvode)
{
  namespace fs = std::filesystem;
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  const auto rl   = run_cell("RushLarsen", 0.01, "unit_single_cell_rl");
  const auto cv   = run_cell("CVODE", 0.01, "unit_single_cell_cv");
  if (!root)
    return;
  for (const char *f : {"trace.csv", "beats.csv", "summary.json", "used_parameters.prm"})
    {
      BOOST_TEST(fs::exists(rl + f));
      BOOST_TEST(fs::exists(cv + f));
    }
  BOOST_TEST(!fs::exists(rl + "trace.png")); // Plot = false

  std::vector<std::string> h;
  const auto               b_rl = read_csv(rl + "beats.csv", h);
  BOOST_TEST(h.at(7) == "APD90");
  const auto b_cv = read_csv(cv + "beats.csv", h);
  BOOST_TEST_REQUIRE(b_rl.size() == 3u);
  BOOST_TEST_REQUIRE(b_cv.size() == 3u);
  for (std::size_t k = 0; k < 3; ++k)
    {
      const double apd_rl = b_rl[k][7], apd_cv = b_cv[k][7];
      BOOST_TEST_INFO("beat " << k + 1 << ": APD90 RL " << apd_rl << " CVODE " << apd_cv);
      BOOST_TEST(apd_rl > 150.);
      BOOST_TEST(std::abs(apd_rl - apd_cv) < 0.005 * apd_cv);
      BOOST_TEST(b_rl[k][2] == -80., boost::test_tools::tolerance(1e-6)); // V_rest
    }

  // trace.csv: the last beat only, sampled every 1 ms, with every current and state
  const auto tr = read_csv(rl + "trace.csv", h);
  BOOST_TEST(h.size() == 6u); // t, V, Istim, Iin, Iout, h
  BOOST_TEST(h[0] == "t_ms");
  BOOST_TEST(h[1] == "V_mV");
  BOOST_TEST(h.back() == "h");
  BOOST_TEST(tr.front()[0] == 810.); // Stimulus start 10 + 2 * 400
  BOOST_TEST(tr.back()[0] == 1210.);
  BOOST_TEST(tr.size() == 401u);

  fs::remove_all("unit_single_cell_rl");
  fs::remove_all("unit_single_cell_cv");
}

BOOST_AUTO_TEST_CASE(bad_time_step_leaves_no_folder)
{
  namespace fs = std::filesystem;
  std::string msg;
  try
    {
      run_cell("RushLarsen", 2.0, "unit_single_cell_bad"); // > Stimulus duration (1 ms)
    }
  catch (const InputError &e)
    {
      msg = e.what();
    }
  BOOST_TEST(msg.find("[Time integration/Time step] = 2 ms") != std::string::npos);
  BOOST_TEST(msg.find("Stimulus duration") != std::string::npos);
  BOOST_TEST(!fs::exists("unit_single_cell_bad"));
}

BOOST_AUTO_TEST_SUITE_END()
