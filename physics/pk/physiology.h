#pragma once
// Whole-body physiology for the PBPK model: organ volumes [L] and blood flows
// [L/h] of an adult, from the ICRP Publication 89 reference male and female,
// scaled to an individual's sex, age, body weight and height.
//
// Reference data (ICRP 89 via the Huisinga et al. 2012 transcription; see
// physics/pk/data/README.md): the tables in physiology.cc are the same numbers as
// physics/pk/data/icrp89_adult_{male,female}.csv (a unit test checks this).
//
// Scaling (docs/theory/pbpk.md, "Physiology"):
//   - fat-free mass FFM by Janmahasatian et al. 2005 (Clin Pharmacokinet 44:1051);
//     every non-adipose organ (and blood) is scaled by s = FFM / FFM_ref, and
//     adipose takes the remainder, so that the organ masses sum to body weight;
//   - cardiac output scales with body surface area (Du Bois & Du Bois 1916):
//     CO = CO_ref * BSA / BSA_ref; each organ keeps its ICRP fraction of CO;
//   - GFR = 120 mL/min per 1.73 m^2 BSA, less 0.75 %/year above 40 years
//     (about 1 mL/min per year, Lindeman et al. 1985, J Am Geriatr Soc 33:278).
// The reference individual (ICRP weight and height, age 30) reproduces the ICRP
// tables exactly.

#include <array>
#include <string>

namespace organtwin::pk
{
  enum class Sex
  {
    male,
    female
  };

  /// Tissue compartments (blood pools are separate). Portal organs drain to the liver.
  enum Tissue : unsigned int
  {
    lung,
    heart,
    brain,
    muscle,
    adipose,
    skin,
    bone,
    kidney,
    liver,
    stomach,
    small_intestine,
    large_intestine,
    spleen,
    pancreas,
    gonads,
    rest,
    n_tissues
  };

  /// "lung", "heart", ... (column names in results).
  const char *tissue_name(unsigned int t);
  /// Tissue of this name, or n_tissues.
  unsigned int tissue_from_name(const std::string &name);
  /// Rodgers-Rowland composition row used for the tissue ("gut" for stomach, ...).
  const char *composition_name(unsigned int t);
  /// True for the organs whose venous blood goes to the liver (portal vein).
  bool is_portal(unsigned int t);

  struct Individual
  {
    Sex    sex       = Sex::male;
    double age_y     = 30.;
    double weight_kg = -1.; ///< <= 0: the ICRP reference weight of the sex
    double height_cm = -1.; ///< <= 0: the ICRP reference height of the sex
  };

  struct Physiology
  {
    Individual                     who;            ///< with weight and height filled in
    double                         bsa_m2  = 0.;   ///< Du Bois body surface area
    double                         ffm_kg  = 0.;   ///< fat-free mass (Janmahasatian 2005)
    double                         scale   = 1.;   ///< FFM / FFM_ref applied to non-adipose organs
    double                         hematocrit = 0.;///< RBC / blood volume (ICRP Table 2.12)
    double                         cardiac_output_L_per_h = 0.;
    double                         gfr_L_per_h = 0.;
    double                         v_arterial_L = 0.; ///< 1/3 of blood volume
    double                         v_venous_L   = 0.; ///< 2/3 of blood volume
    std::array<double, n_tissues>  volume_L{};        ///< tissue volume (mass / density)
    std::array<double, n_tissues>  mass_kg{};
    std::array<double, n_tissues>  flow_L_per_h{};    ///< blood flow into the tissue; liver: hepatic artery only
    /// Total liver blood flow (hepatic artery + portal organs) [L/h].
    double liver_total_flow() const;
    /// Blood volume [L].
    double blood_volume() const { return v_arterial_L + v_venous_L; }
    /// Sum of organ and blood masses [kg] (= body weight by construction).
    double total_mass() const;
    /// Sum of systemic flows [L/h] (arterial blood leaving the heart; = cardiac output).
    double systemic_flow() const;
  };

  /// ICRP 89 reference body weight [kg] / height [cm] of a sex.
  double reference_weight(Sex sex);
  double reference_height(Sex sex);

  /// Build the physiology of an individual. Throws InputError (naming the option
  /// prefix `where`, e.g. "--weight-kg") for ages below 18 y or above 100 y, and
  /// for a weight/height that leaves less than 3 % of body weight as adipose.
  Physiology make_physiology(const Individual &who, const std::string &where = "");

  /// Du Bois & Du Bois (1916) body surface area [m^2].
  double bsa_du_bois(double weight_kg, double height_cm);
  /// Janmahasatian et al. (2005) fat-free mass [kg].
  double fat_free_mass(Sex sex, double weight_kg, double height_cm);
} // namespace organtwin::pk
