#include <physics/pk/physiology.h>
#include <solvers/common/parameters.h>

#include <cmath>
#include <sstream>

namespace organtwin::pk
{
  namespace
  {
    struct Row
    {
      double mass_kg;
      double density_kg_per_L;
      double flow_fraction; ///< of cardiac output (ICRP Table 2.40); liver = total incl. portal
    };

    struct Reference
    {
      std::array<Row, n_tissues> rows;
      double                     thymus_kg;       ///< no separate flow in ICRP: lumped into "rest"
      double                     blood_L;         ///< RBC + plasma (ICRP Table 2.12)
      double                     rbc_L;           ///< ICRP Table 2.12
      double                     cardiac_output_L_per_h; ///< ICRP Table 2.39
      double                     weight_kg, height_cm;   ///< ICRP Table 2.9
    };

    // ICRP Publication 89 (2002), Tables 2.8, 2.9, 2.12, 2.39, 2.40, as transcribed by
    // Huisinga et al., CPT:PSP 2012;1:e5 (doi:10.1038/psp.2012.3); identical to
    // physics/pk/data/icrp89_adult_male.csv. Order: the Tissue enum. Lung flow = bronchial.
    // "rest" = BW - listed organs - blood (derived in the data file).
    const Reference male_ref{{{
                               {0.5, 1.0, 0.025},    // lung (bronchial flow)
                               {0.33, 1.0, 0.04},    // heart
                               {1.45, 1.0, 0.12},    // brain
                               {29.0, 1.0, 0.17},    // muscle
                               {14.5, 0.92, 0.05},   // adipose (separable)
                               {3.3, 1.0, 0.05},     // skin
                               {10.5, 1.3, 0.05},    // bone (total skeleton)
                               {0.31, 1.0, 0.19},    // kidneys
                               {1.8, 1.0, 0.255},    // liver (total flow)
                               {0.15, 1.0, 0.01},    // stomach (+oesophagus)
                               {0.65, 1.0, 0.10},    // small intestine
                               {0.37, 1.0, 0.04},    // large intestine
                               {0.15, 1.0, 0.03},    // spleen
                               {0.14, 1.0, 0.01},    // pancreas
                               {0.035, 1.0, 0.0005}, // gonads
                               {4.49, 1.0, 0.0495},  // rest
                             }},
                             0.025,
                             5.3,
                             2.3,
                             390.0,
                             73.0,
                             176.0};

    const Reference female_ref{{{
                                 {0.42, 1.0, 0.025},
                                 {0.25, 1.0, 0.05},
                                 {1.3, 1.0, 0.12},
                                 {17.5, 1.0, 0.12},
                                 {19.0, 0.92, 0.085},
                                 {2.3, 1.0, 0.05},
                                 {7.8, 1.3, 0.05},
                                 {0.275, 1.0, 0.17},
                                 {1.4, 1.0, 0.27},
                                 {0.14, 1.0, 0.01},
                                 {0.6, 1.0, 0.11},
                                 {0.36, 1.0, 0.05},
                                 {0.13, 1.0, 0.03},
                                 {0.12, 1.0, 0.01},
                                 {0.011, 1.0, 0.0002},
                                 {4.474, 1.0, 0.0548},
                               }},
                               0.02,
                               3.9,
                               1.5,
                               354.0,
                               60.0,
                               163.0};

    const Reference &
    reference(Sex s)
    {
      return s == Sex::male ? male_ref : female_ref;
    }

    const char *names[n_tissues] = {"lung",  "heart",           "brain",           "muscle", "adipose", "skin",
                                    "bone",  "kidney",          "liver",           "stomach", "small_intestine",
                                    "large_intestine", "spleen", "pancreas", "gonads", "rest"};
    // Rodgers-Rowland composition rows (physics/pk/data/rodgers_rowland_tissues.csv). Pancreas,
    // gonads and rest have no row of their own: pancreas uses gut, gonads and rest use muscle.
    const char *composition[n_tissues] = {"lung",  "heart", "brain", "muscle", "adipose", "skin",
                                          "bone",  "kidney", "liver", "gut",   "gut",     "gut",
                                          "spleen", "gut",  "muscle", "muscle"};

    std::string
    num(double v)
    {
      std::ostringstream s;
      s << v;
      return s.str();
    }
  } // namespace

  const char *
  tissue_name(unsigned int t)
  {
    return t < n_tissues ? names[t] : "?";
  }

  unsigned int
  tissue_from_name(const std::string &name)
  {
    for (unsigned int t = 0; t < n_tissues; ++t)
      if (name == names[t])
        return t;
    return n_tissues;
  }

  const char *
  composition_name(unsigned int t)
  {
    return t < n_tissues ? composition[t] : "?";
  }

  bool
  is_portal(unsigned int t)
  {
    return t == stomach || t == small_intestine || t == large_intestine || t == spleen || t == pancreas;
  }

  double
  Physiology::liver_total_flow() const
  {
    double q = flow_L_per_h[liver];
    for (unsigned int t = 0; t < n_tissues; ++t)
      if (is_portal(t))
        q += flow_L_per_h[t];
    return q;
  }

  double
  Physiology::total_mass() const
  {
    double m = 0.;
    for (double x : mass_kg)
      m += x;
    return m + blood_volume(); // blood: ICRP mass in kg = volume in L (data file convention)
  }

  double
  Physiology::systemic_flow() const
  {
    double q = 0.;
    for (unsigned int t = 0; t < n_tissues; ++t)
      if (t != lung)
        q += flow_L_per_h[t];
    return q;
  }

  double
  reference_weight(Sex sex)
  {
    return reference(sex).weight_kg;
  }

  double
  reference_height(Sex sex)
  {
    return reference(sex).height_cm;
  }

  double
  bsa_du_bois(double weight_kg, double height_cm)
  {
    return 0.007184 * std::pow(weight_kg, 0.425) * std::pow(height_cm, 0.725);
  }

  double
  fat_free_mass(Sex sex, double weight_kg, double height_cm)
  {
    const double h_m = height_cm / 100.;
    const double bmi = weight_kg / (h_m * h_m);
    return sex == Sex::male ? 9270. * weight_kg / (6680. + 216. * bmi) : 9270. * weight_kg / (8780. + 244. * bmi);
  }

  Physiology
  make_physiology(const Individual &who_in, const std::string &where)
  {
    const Reference &ref = reference(who_in.sex);
    Individual       who = who_in;
    if (!(who.weight_kg > 0.))
      who.weight_kg = ref.weight_kg;
    if (!(who.height_cm > 0.))
      who.height_cm = ref.height_cm;
    const std::string p = where.empty() ? "" : where + ": ";
    input_check(who.age_y >= 18. && who.age_y <= 100., p + "age", "= " + num(who.age_y) +
                " years: the physiology is for adults; expected 18 to 100 years");
    input_check(who.weight_kg >= 30. && who.weight_kg <= 250., p + "weight", "= " + num(who.weight_kg) +
                " kg: expected 30 to 250 kg");
    input_check(who.height_cm >= 120. && who.height_cm <= 230., p + "height", "= " + num(who.height_cm) +
                " cm: expected 120 to 230 cm");

    Physiology ph;
    ph.who    = who;
    ph.bsa_m2 = bsa_du_bois(who.weight_kg, who.height_cm);
    ph.ffm_kg = fat_free_mass(who.sex, who.weight_kg, who.height_cm);
    const double ffm_ref = fat_free_mass(who.sex, ref.weight_kg, ref.height_cm);
    const double bsa_ref = bsa_du_bois(ref.weight_kg, ref.height_cm);
    ph.scale             = ph.ffm_kg / ffm_ref;

    // Non-adipose masses (thymus lumped into rest) and blood scale with FFM.
    double lean = 0.;
    for (unsigned int t = 0; t < n_tissues; ++t)
      if (t != adipose)
        {
          ph.mass_kg[t] = ref.rows[t].mass_kg * ph.scale + (t == rest ? ref.thymus_kg * ph.scale : 0.);
          lean += ph.mass_kg[t];
        }
    const double blood_L = ref.blood_L * ph.scale;
    lean += blood_L;
    ph.mass_kg[adipose] = who.weight_kg - lean;
    input_check(ph.mass_kg[adipose] >= 0.03 * who.weight_kg, p + "weight",
                "= " + num(who.weight_kg) + " kg at height " + num(who.height_cm) +
                  " cm leaves less than 3 % of body weight as adipose tissue (fat-free mass " + num(ph.ffm_kg) +
                  " kg); the organ scaling does not apply");
    for (unsigned int t = 0; t < n_tissues; ++t)
      ph.volume_L[t] = ph.mass_kg[t] / ref.rows[t].density_kg_per_L;
    ph.v_arterial_L = blood_L / 3.;
    ph.v_venous_L   = blood_L - ph.v_arterial_L;
    ph.hematocrit   = ref.rbc_L / ref.blood_L;

    // Flows: ICRP fractions of a BSA-scaled cardiac output. The lung's (bronchial) fraction
    // is given to "rest" because the lung compartment receives the whole pulmonary flow;
    // "rest" also takes whatever rounding leaves, so that systemic flows sum to CO exactly.
    ph.cardiac_output_L_per_h = ref.cardiac_output_L_per_h * ph.bsa_m2 / bsa_ref;
    const double co           = ph.cardiac_output_L_per_h;
    double       assigned     = 0.;
    for (unsigned int t = 0; t < n_tissues; ++t)
      {
        if (t == lung || t == rest)
          continue;
        double f = ref.rows[t].flow_fraction;
        if (t == liver)
          for (unsigned int u = 0; u < n_tissues; ++u)
            if (is_portal(u))
              f -= ref.rows[u].flow_fraction; // hepatic artery only
        ph.flow_L_per_h[t] = f * co;
        assigned += f;
      }
    ph.flow_L_per_h[rest] = (1. - assigned) * co;
    ph.flow_L_per_h[lung] = co; // pulmonary

    const double age_factor = std::max(0.3, 1. - 0.0075 * std::max(0., who.age_y - 40.));
    ph.gfr_L_per_h          = 0.120 * 60. * ph.bsa_m2 / 1.73 * age_factor;
    return ph;
  }
} // namespace organtwin::pk
