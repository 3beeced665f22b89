// PBPK physiology and tissue composition: the compiled ICRP 89 / Rodgers-Rowland tables
// equal the data files carried in physics/pk/data, flows sum to cardiac output, masses
// to body weight, and the scaling to an individual behaves as documented.
#include <physics/pk/partition.h>
#include <physics/pk/physiology.h>
#include <solvers/common/parameters.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

using namespace organtwin;
using namespace organtwin::pk;

namespace
{
  /// CSV rows keyed by the first column; fields split on commas outside quotes.
  std::map<std::string, std::vector<std::string>>
  read_table(const std::string &file)
  {
    std::ifstream in(file);
    BOOST_REQUIRE_MESSAGE(in, "cannot open " + file);
    std::map<std::string, std::vector<std::string>> rows;
    std::string                                     line;
    std::getline(in, line); // header
    while (std::getline(in, line))
      {
        std::vector<std::string> f;
        std::string              cur;
        bool                     quoted = false;
        for (char ch : line)
          {
            if (ch == '"')
              quoted = !quoted;
            else if (ch == ',' && !quoted)
              {
                f.push_back(cur);
                cur.clear();
              }
            else
              cur += ch;
          }
        f.push_back(cur);
        rows[f[0]] = f;
      }
    return rows;
  }

  double
  d(const std::string &s)
  {
    return std::stod(s); // "1.0 (assumed)" -> 1.0
  }

  const std::map<std::string, std::string> csv_organ = {
    {"lung", "lungs"},       {"heart", "heart"},   {"brain", "brain"},     {"muscle", "muscle"},
    {"adipose", "adipose"},  {"skin", "skin"},     {"bone", "bone"},       {"kidney", "kidneys"},
    {"liver", "liver"},      {"stomach", "stomach"}, {"small_intestine", "small_intestine"},
    {"large_intestine", "large_intestine"}, {"spleen", "spleen"}, {"pancreas", "pancreas"},
    {"gonads", "gonads"},    {"rest", "rest"}};
} // namespace

BOOST_AUTO_TEST_SUITE(pk_physiology)

BOOST_AUTO_TEST_CASE(reference_tables_match_data_files)
{
  for (Sex sex : {Sex::male, Sex::female})
    {
      const std::string file = std::string(OT_SOURCE_DIR) + "/physics/pk/data/icrp89_adult_" +
                               (sex == Sex::male ? "male" : "female") + ".csv";
      auto             rows = read_table(file);
      const Physiology ph   = make_physiology(Individual{sex, 30., -1., -1.});
      BOOST_TEST(ph.who.weight_kg == d(rows["body_weight"][1]));
      const double co = d(rows["cardiac_output"][5]);
      BOOST_TEST(ph.cardiac_output_L_per_h == co, boost::test_tools::tolerance(1e-12));
      const double thymus = d(rows["thymus"][1]);
      double       portal = 0.;
      for (unsigned int t = 0; t < n_tissues; ++t)
        if (is_portal(t))
          portal += d(rows[csv_organ.at(tissue_name(t))][4]);
      for (unsigned int t = 0; t < n_tissues; ++t)
        {
          const auto  &r    = rows[csv_organ.at(tissue_name(t))];
          const double mass = d(r[1]) + (t == rest ? thymus : 0.);
          BOOST_TEST_CONTEXT(tissue_name(t))
          {
            BOOST_TEST(ph.mass_kg[t] == mass, boost::test_tools::tolerance(1e-9));
            BOOST_TEST(ph.volume_L[t] == mass / d(r[2]), boost::test_tools::tolerance(1e-9));
            if (t == lung)
              BOOST_TEST(ph.flow_L_per_h[t] == co); // pulmonary
            else if (t == liver)
              BOOST_TEST(ph.flow_L_per_h[t] == (d(r[4]) - portal) * co, boost::test_tools::tolerance(1e-9));
            else if (t != rest)
              BOOST_TEST(ph.flow_L_per_h[t] == d(r[4]) * co, boost::test_tools::tolerance(1e-9));
          }
        }
      BOOST_TEST(ph.blood_volume() == d(rows["blood"][3]), boost::test_tools::tolerance(1e-12));
      // liver total flow = ICRP liver row
      BOOST_TEST(ph.liver_total_flow() == d(rows["liver"][4]) * co, boost::test_tools::tolerance(1e-9));
      // the ICRP fractions (with the lung's bronchial share) sum to 1 within the stated
      // rounding; "rest" absorbs the difference, which must be small
      double sum = 0.;
      for (const auto &[k, v] : csv_organ)
        if (k != "stomach" && k != "small_intestine" && k != "large_intestine" && k != "spleen" &&
            k != "pancreas")
          sum += d(rows[v][4]);
      BOOST_TEST_MESSAGE("ICRP systemic flow fractions sum to " << sum);
      BOOST_TEST(std::abs(sum - 1.) < 0.01);
    }
}

BOOST_AUTO_TEST_CASE(composition_table_matches_data_file)
{
  auto rows = read_table(std::string(OT_SOURCE_DIR) + "/physics/pk/data/rodgers_rowland_tissues.csv");
  for (const auto &tc : composition_table())
    BOOST_TEST_CONTEXT(tc.name)
    {
      const auto &r = rows.at(tc.name);
      auto        v = [&](int i) { return r[i].empty() ? 0. : d(r[i]); };
      BOOST_TEST(tc.f_ew == v(1));
      BOOST_TEST(tc.f_iw == v(2));
      BOOST_TEST(tc.f_nl == v(3));
      BOOST_TEST(tc.f_np == v(4));
      BOOST_TEST(tc.ap_mg_per_g == v(5));
      BOOST_TEST(tc.ph == v(6));
      BOOST_TEST(tc.albumin_tp == v(7));
      BOOST_TEST(tc.lipoprotein_tp == v(8));
    }
}

BOOST_AUTO_TEST_CASE(flows_sum_to_cardiac_output_and_masses_to_body_weight)
{
  for (const Individual who : {Individual{Sex::male, 30., -1., -1.}, Individual{Sex::female, 30., -1., -1.},
                               Individual{Sex::male, 70., 95., 170.}, Individual{Sex::female, 45., 52., 170.},
                               Individual{Sex::female, 25., 110., 160.}})
    {
      const Physiology ph = make_physiology(who);
      BOOST_TEST(ph.systemic_flow() == ph.cardiac_output_L_per_h, boost::test_tools::tolerance(1e-12));
      BOOST_TEST(ph.total_mass() == ph.who.weight_kg, boost::test_tools::tolerance(1e-12));
      // volumes (mass / density) within 5 % of body weight (adipose and bone are not 1 kg/L)
      double v = ph.blood_volume();
      for (double x : ph.volume_L)
        v += x;
      BOOST_TEST(std::abs(v / ph.who.weight_kg - 1.) < 0.05);
      for (unsigned int t = 0; t < n_tissues; ++t)
        BOOST_TEST(ph.flow_L_per_h[t] > 0.);
    }
}

BOOST_AUTO_TEST_CASE(scaling_to_an_individual)
{
  const Physiology ref   = make_physiology(Individual{Sex::male, 30., -1., -1.});
  const Physiology heavy = make_physiology(Individual{Sex::male, 30., 100., 176.});
  const Physiology tall  = make_physiology(Individual{Sex::male, 30., 85., 195.});
  const Physiology old   = make_physiology(Individual{Sex::male, 80., -1., -1.});
  // more weight at the same height: mostly fat
  BOOST_TEST(heavy.mass_kg[adipose] - ref.mass_kg[adipose] > 0.6 * (100. - 73.));
  BOOST_TEST(heavy.mass_kg[liver] > ref.mass_kg[liver]);
  // FFM by Janmahasatian: at the reference the scale is 1
  BOOST_TEST(ref.scale == 1., boost::test_tools::tolerance(1e-14));
  BOOST_TEST(tall.scale > heavy.scale);
  // cardiac output proportional to BSA
  BOOST_TEST(heavy.cardiac_output_L_per_h / ref.cardiac_output_L_per_h == heavy.bsa_m2 / ref.bsa_m2,
             boost::test_tools::tolerance(1e-12));
  // GFR: 120 mL/min/1.73 m2 at 30 y, 0.75 %/y less above 40
  BOOST_TEST(ref.gfr_L_per_h == 7.2 * ref.bsa_m2 / 1.73, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(old.gfr_L_per_h / ref.gfr_L_per_h == 1. - 0.0075 * 40., boost::test_tools::tolerance(1e-12));
  // Du Bois BSA of the reference man (1.89 m2)
  BOOST_TEST(std::abs(ref.bsa_m2 - 1.889) < 0.002);
}

BOOST_AUTO_TEST_CASE(impossible_individuals_are_input_errors)
{
  auto message = [](const Individual &who) -> std::string {
    try
      {
        make_physiology(who, "--test");
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  };
  BOOST_TEST(message(Individual{Sex::male, 12., -1., -1.}).find("age") != std::string::npos);
  BOOST_TEST(message(Individual{Sex::male, 30., 20., 176.}).find("weight") != std::string::npos);
  // very lean for the height: no room for adipose
  BOOST_TEST(message(Individual{Sex::male, 30., 45., 200.}).find("adipose") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
