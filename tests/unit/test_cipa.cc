// CiPA building blocks: drug files and block, the TdP classifier, the dynamic hERG
// chain of CiPAORdv1, the adaptive cell pacer against CVODE, and the control and
// dofetilide responses of CiPAORdv1 at CL 2000 ms.
#include <deal.II/base/parameter_handler.h>

#include <physics/drugs/drug.h>
#include <physics/drugs/tdp_classifier.h>
#include <physics/ionic/integrators.h>
#include <physics/ionic/ionic_model.h>
#include <solvers/common/parameters.h>
#include <solvers/ep/cell_pacing.h>

#include <boost/test/unit_test.hpp>

#include "input_error.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

using namespace organtwin;
using organtwin::testing::input_error_message;

namespace
{
  std::string
  source_dir()
  {
    return OT_SOURCE_DIR; // compile definition (tests/CMakeLists.txt); __FILE__ may be relative
  }

  std::string
  training_file()
  {
    return source_dir() + "/physics/drugs/data/cipa_training_drugs.csv";
  }

  std::unique_ptr<ionic::IonicModel>
  make_model(const std::string &name)
  {
    dealii::ParameterHandler prm;
    ionic::declare_ionic_model_parameters(prm, name);
    return ionic::create_ionic_model(prm);
  }

  /// Write text to a temporary file and return its name.
  std::string
  temp_file(const std::string &name, const std::string &text)
  {
    const auto p = std::filesystem::temp_directory_path() / ("organtwin_test_cipa_" + name);
    std::ofstream(p) << text;
    return p.string();
  }


  /// Pace n beats and return the last one (with qNet).
  ep::BeatResult
  pace(const ionic::IonicModel &m, unsigned n, bool cvode)
  {
    ep::PacingOptions o;
    o.cycle_length = 2000.;
    o.cvode        = cvode;
    o.cvode_sample = 0.02;
    ep::CellPacer  p(m, o);
    ep::BeatResult b;
    for (unsigned k = 0; k < n; ++k)
      b = p.pace_beat(k + 1 == n);
    return b;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(cipa)

BOOST_AUTO_TEST_CASE(hill_block)
{
  drugs::HillBlock b{100., 2.};
  BOOST_CHECK_EQUAL(b.scale(0.), 1.);
  BOOST_CHECK_CLOSE(b.scale(100.), 0.5, 1e-12);
  BOOST_CHECK_CLOSE(b.scale(300.), 1. / (1. + 9.), 1e-12);
}

BOOST_AUTO_TEST_CASE(training_library)
{
  const auto lib = drugs::DrugLibrary::read(training_file());
  BOOST_REQUIRE_EQUAL(lib.drugs().size(), 12u);
  unsigned n[3] = {0, 0, 0};
  for (const auto &d : lib.drugs())
    {
      BOOST_REQUIRE(d.risk_level >= 0);
      ++n[d.risk_level];
      BOOST_CHECK(d.cmax_free_nM > 0.);
      BOOST_CHECK(d.herg.has_value());
    }
  BOOST_CHECK_EQUAL(n[0], 4u);
  BOOST_CHECK_EQUAL(n[1], 4u);
  BOOST_CHECK_EQUAL(n[2], 4u);
  const auto &dof = lib.get("Dofetilide"); // case-insensitive
  BOOST_CHECK_CLOSE(dof.cmax_free_nM, 2., 1e-12);
  BOOST_CHECK_CLOSE(dof.block[unsigned(ionic::Channel::ICaL)]->ic50_nM, 260.3, 1e-12);
  BOOST_CHECK(!dof.block[unsigned(ionic::Channel::IKs)].has_value()); // empty cell: no block
  BOOST_CHECK_CLOSE(dof.herg->Kmax, 35.1, 1e-12);
  // with dynamic hERG, IKr is not scaled; without it, it is
  const auto s_dyn = drugs::conductance_scale(dof, 8., true);
  const auto s_sta = drugs::conductance_scale(dof, 8., false);
  BOOST_CHECK_EQUAL(s_dyn[unsigned(ionic::Channel::IKr)], 1.);
  BOOST_CHECK_LT(s_sta[unsigned(ionic::Channel::IKr)], 0.5);
  BOOST_CHECK_LT(s_dyn[unsigned(ionic::Channel::ICaL)], 1.);
  BOOST_CHECK(input_error_message([&] { lib.get("aspirin"); }).find("no drug named \"aspirin\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_drug_files)
{
  const std::string head = "drug,cmax_free_nM,ical_ic50_nM,ical_hill\n";
  auto              msg  = [&](const std::string &name, const std::string &text) {
    const auto f = temp_file(name, text);
    return input_error_message([&] { drugs::DrugLibrary::read(f); });
  };
  BOOST_CHECK(msg("unknown_channel.csv", "drug,cmax_free_nM,ixyz_ic50_nM,ixyz_hill\na,1,2,1\n")
                .find("unknown channel \"ixyz\"") != std::string::npos);
  BOOST_CHECK(msg("negative_ic50.csv", head + "a,1,-5,1\n").find("expected an IC50 > 0") != std::string::npos);
  BOOST_CHECK(msg("missing_hill.csv", head + "a,1,5,\n").find("Hill coefficient is required") != std::string::npos);
  BOOST_CHECK(msg("no_hill_column.csv", "drug,cmax_free_nM,ical_ic50_nM\na,1,5\n").find("no Hill coefficient column") !=
              std::string::npos);
  BOOST_CHECK(msg("bad_number.csv", head + "a,1,five,1\n").find("is not a number") != std::string::npos);
  BOOST_CHECK(msg("duplicate.csv", head + "a,1,5,1\nA,1,5,1\n").find("appears twice") != std::string::npos);
  BOOST_CHECK(msg("malformed.json", "{\"drugs\": [ {\"name\": \"a\", }").find("malformed JSON") != std::string::npos);
  BOOST_CHECK(msg("unknown_channel.json", "{\"drugs\": [{\"name\": \"a\", \"block\": {\"INaX\": {\"ic50_nM\": 1, "
                                          "\"hill\": 1}}}]}")
                .find("unknown channel \"INaX\"") != std::string::npos);
  BOOST_CHECK(msg("missing_hill.json", "{\"drugs\": [{\"name\": \"a\", \"block\": {\"ICaL\": {\"ic50_nM\": 1}}}]}")
                .find("missing \"hill\"") != std::string::npos);
  BOOST_CHECK(input_error_message([] { drugs::DrugLibrary::read("/nonexistent/drugs.csv"); }).find("cannot open") !=
              std::string::npos);
  // a valid JSON file
  const auto f = temp_file("ok.json", "{\"drugs\": [{\"name\": \"x\", \"cmax_free_nM\": 3, \"risk_level\": 1, "
                                      "\"block\": {\"ICaL\": {\"ic50_nM\": 30, \"hill\": 1}}, \"herg_dynamic\": "
                                      "{\"Kmax\": 1, \"Ku_per_ms\": 1e-3, \"n\": 1, \"halfmax_nM_pow_n\": 10, "
                                      "\"Vhalf_mV\": -50}}]}");
  const auto lib = drugs::DrugLibrary::read(f);
  BOOST_CHECK_CLOSE(lib.get("x").block[unsigned(ionic::Channel::ICaL)]->ic50_nM, 30., 1e-12);
  BOOST_CHECK_CLOSE(lib.get("x").herg->Vhalf_mV, -50., 1e-12);
}

BOOST_AUTO_TEST_CASE(classifier)
{
  // separable synthetic metric: High < 0.04 < Intermediate < 0.06 < Low
  const std::vector<double> x = {0.02, 0.03, 0.035, 0.045, 0.05, 0.055, 0.065, 0.07, 0.08};
  const std::vector<int>    y = {2, 2, 2, 1, 1, 1, 0, 0, 0};
  const auto                c = drugs::TdpClassifier::fit(x, y, 0.1);
  BOOST_CHECK_LT(c.b, 0.);
  BOOST_CHECK_LT(c.threshold_intermediate_high(), c.threshold_low_intermediate());
  BOOST_CHECK(c.threshold_intermediate_high() > 0.035 && c.threshold_intermediate_high() < 0.045);
  BOOST_CHECK(c.threshold_low_intermediate() > 0.055 && c.threshold_low_intermediate() < 0.065);
  for (std::size_t i = 0; i < x.size(); ++i)
    {
      BOOST_CHECK_EQUAL(c.predict(x[i]), y[i]);
      const auto p = c.probabilities(x[i]);
      BOOST_CHECK_CLOSE(p[0] + p[1] + p[2], 1., 1e-10);
    }
  // round trip through the JSON file a run writes
  const auto f = temp_file("classifier.json", c.to_json());
  const auto r = drugs::TdpClassifier::read(f);
  BOOST_CHECK_CLOSE(r.threshold_low_intermediate(), c.threshold_low_intermediate(), 1e-8);
  BOOST_CHECK_THROW(drugs::TdpClassifier::fit({0.1, 0.2}, {0, 2}, 0.1), std::invalid_argument);
  const std::string bad_json =
    input_error_message([&] { drugs::TdpClassifier::read(temp_file("bad.json", "{\"a1\": 1}")); });
  BOOST_CHECK(bad_json.find("\"a2\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(herg_chain_conserves_probability)
{
  auto       m   = make_model("CiPAORdv1");
  const auto lib = drugs::DrugLibrary::read(training_file());
  drugs::apply_drug(*m, lib.get("dofetilide"), 8.);
  BOOST_CHECK_CLOSE(m->herg_binding().conc_nM, 8., 1e-12);
  ep::PacingOptions o;
  ep::CellPacer     p(*m, o);
  double            sum0 = 0.;
  for (const char *s : {"C1", "C2", "O", "IC1", "IC2", "IO", "Cbound", "Obound", "IObound"})
    sum0 += p.state()[m->state_index(s)];
  p.pace_beat(false);
  p.pace_beat(false);
  const auto &y   = p.state();
  double      sum = 0., bound = 0.;
  for (const char *s : {"C1", "C2", "O", "IC1", "IC2", "IO", "Cbound", "Obound", "IObound"})
    {
      const double v = y[m->state_index(s)];
      BOOST_CHECK(v >= -1e-12 && v <= 1. + 1e-12);
      sum += v;
    }
  for (const char *s : {"Cbound", "Obound", "IObound"})
    bound += y[m->state_index(s)];
  // Crank-Nicolson conserves the total exactly (the published initial state sums
  // to 1 + 2.7e-7 because of its rounding)
  BOOST_CHECK_CLOSE(sum, sum0, 1e-10);
  BOOST_CHECK_CLOSE(sum, 1., 1e-4);
  BOOST_CHECK_GT(bound, 1e-4); // drug does bind
  // models without dynamic hERG refuse binding parameters
  auto ord = make_model("ORd");
  BOOST_CHECK(!ord->has_dynamic_herg());
  BOOST_CHECK_THROW(ord->set_herg_binding(ionic::HergBinding{}), std::logic_error);
}

BOOST_AUTO_TEST_CASE(ord_currents_and_charge)
{
  for (const std::string name : {"ORd", "CiPAORdv1"})
    {
      auto                m = make_model(name);
      std::vector<double> y(m->n_states()), d(m->n_states()), yi(m->n_states()), t(m->n_states());
      m->initial_state(y.data());
      y[0] = 10.; // a depolarised state with currents flowing
      m->rhs(y.data(), d.data(), yi.data(), t.data());
      std::vector<double> I(m->current_names().size());
      m->currents(y.data(), I.data());
      double sum = 0.;
      for (double v : I)
        sum += v;
      BOOST_CHECK_CLOSE(sum, -d[0], 1e-9);
      // the stimulus is carried by K+: dK_i/dt changes with the applied current
      const double dk0 = d[m->state_index("K_i")];
      m->add_applied_current(y.data(), 80., d.data());
      BOOST_CHECK_GT(d[m->state_index("K_i")], dk0);
    }
}

BOOST_AUTO_TEST_CASE(control_matches_published_cipa_values)
{
  // CiPAORdv1 from its published CL-2000 steady state (Li et al. 2017/2019 code:
  // control qNet ~0.070 uC/uF, APD90 ~289 ms); regression band 2 %.
  auto       m = make_model("CiPAORdv1");
  const auto b = pace(*m, 3, false);
  BOOST_TEST_MESSAGE("control qNet " << b.qnet << " uC/uF, APD90 " << b.ap.apd90 << " ms");
  BOOST_CHECK_CLOSE(b.qnet, 0.070, 2.);
  BOOST_CHECK_CLOSE(b.ap.apd90, 289., 2.);
  BOOST_CHECK(!b.ap.ead);
  BOOST_CHECK(b.ca_peak > 2. * b.ca_diast);
}

BOOST_AUTO_TEST_CASE(adaptive_rush_larsen_matches_cvode)
{
  // dofetilide 4 x Cmax, 3 beats from the control steady state: the adaptive RL2
  // pacer and CVODE (rtol 1e-8) give the same qNet within 1 % and APD90 within 0.5 %.
  const auto lib = drugs::DrugLibrary::read(training_file());
  auto       a   = make_model("CiPAORdv1");
  auto       c   = make_model("CiPAORdv1");
  drugs::apply_drug(*a, lib.get("dofetilide"), 8.);
  drugs::apply_drug(*c, lib.get("dofetilide"), 8.);
  const auto ba = pace(*a, 3, false);
  const auto bc = pace(*c, 3, true);
  BOOST_TEST_MESSAGE("qNet RL2-adaptive " << ba.qnet << " CVODE " << bc.qnet << "; APD90 " << ba.ap.apd90 << " / "
                                          << bc.ap.apd90);
  BOOST_CHECK_CLOSE(ba.qnet, bc.qnet, 1.);
  BOOST_CHECK_CLOSE(ba.ap.apd90, bc.ap.apd90, 0.5);
}

BOOST_AUTO_TEST_CASE(dofetilide_lowers_qnet)
{
  // After 30 beats (not yet steady state) dofetilide already orders qNet:
  // control > 1 x Cmax > 4 x Cmax, and APD90 the other way round.
  const auto lib = drugs::DrugLibrary::read(training_file());
  double     q[3], apd[3];
  const double mult[3] = {0., 1., 4.};
  for (unsigned k = 0; k < 3; ++k)
    {
      auto m = make_model("CiPAORdv1");
      drugs::apply_drug(*m, lib.get("dofetilide"), mult[k] * 2.);
      const auto b = pace(*m, 30, false);
      q[k]         = b.qnet;
      apd[k]       = b.ap.apd90;
    }
  BOOST_CHECK_GT(q[0], q[1]);
  BOOST_CHECK_GT(q[1], q[2]);
  BOOST_CHECK_LT(apd[0], apd[1]);
  BOOST_CHECK_LT(apd[1], apd[2]);
}

BOOST_AUTO_TEST_CASE(ord_cell_types_at_1hz)
{
  // ORd endo/M/epi from the stored 1 Hz steady states (1000 beats, CVODE; see
  // validation/ord_single_cell): 3 more beats with the adaptive pacer keep APD90
  // within 1 % of the stored 1000-beat values, and the transmural order of O'Hara
  // et al. 2011 holds: M > endo > epi.
  const std::map<std::string, double> stored = {{"endo", 267.84}, {"M", 327.74}, {"epi", 227.29}};
  std::map<std::string, double>       apd;
  for (const auto &[ct, ref] : stored)
    {
      dealii::ParameterHandler prm;
      ionic::declare_ionic_model_parameters(prm, "ORd");
      prm.enter_subsection("Ionic model");
      prm.enter_subsection("ORd");
      prm.set("Cell type", ct);
      prm.leave_subsection();
      prm.leave_subsection();
      auto              m = ionic::create_ionic_model(prm);
      ep::PacingOptions o;
      o.cycle_length = 1000.;
      ep::CellPacer  p(*m, o);
      ep::BeatResult b;
      for (unsigned k = 0; k < 3; ++k)
        b = p.pace_beat(k == 2);
      apd[ct] = b.ap.apd90;
      BOOST_TEST_MESSAGE("ORd " << ct << " APD90 " << b.ap.apd90 << " ms, qNet " << b.qnet);
      BOOST_CHECK_CLOSE(b.ap.apd90, ref, 1.);
      BOOST_CHECK(b.ap.V_rest < -85. && b.ap.V_peak > 30.);
    }
  BOOST_CHECK_GT(apd["M"], apd["endo"]);
  BOOST_CHECK_GT(apd["endo"], apd["epi"]);
}

BOOST_AUTO_TEST_SUITE_END()
