#pragma once
// Tissue:plasma partition coefficients by the mechanistic method of Rodgers, Leahy
// & Rowland (J Pharm Sci 94:1259, 2005; moderate-to-strong bases and zwitterions,
// binding to acidic phospholipids) and Rodgers & Rowland (J Pharm Sci 95:1238,
// 2006; acids, neutrals and weak bases, binding to extracellular proteins), with the
// tissue composition of physics/pk/data/rodgers_rowland_tissues.csv.
// Equations as implemented: docs/theory/pbpk.md, "Distribution".

#include <physics/pk/compound.h>
#include <physics/pk/physiology.h>

#include <array>
#include <map>
#include <string>
#include <vector>

namespace organtwin::pk
{
  struct TissueComposition
  {
    const char *name;
    double      f_ew, f_iw, f_nl, f_np; ///< fractions of tissue volume
    double      ap_mg_per_g;            ///< acidic phospholipids [mg/g tissue]
    double      ph;
    double      albumin_tp, lipoprotein_tp; ///< tissue:plasma ratios
  };

  /// Row of the composition table ("adipose", ..., "plasma", "erythrocytes"); throws
  /// std::out_of_range for an unknown name.
  const TissueComposition &composition(const std::string &name);
  /// All rows, in file order.
  const std::vector<TissueComposition> &composition_table();

  struct Distribution
  {
    std::string                   method;      ///< "Rodgers & Rowland 2005 (base)" or "... 2006 (...)"
    std::string                   ion_class;   ///< "neutral", "acid", "weak base", "base", "zwitterion"
    double                        bp = 1.;     ///< blood:plasma ratio used
    bool                          bp_predicted = false;
    double                        ka_ap = 0.;  ///< affinity for acidic phospholipids (bases) [1/(mg/g)]
    std::array<double, n_tissues> kp{};        ///< tissue:plasma (total:total)
    std::array<double, n_tissues> kpu{};       ///< tissue total : plasma unbound (= kp / fu)
    std::array<bool, n_tissues>   overridden{};
    /// Caveats of the prediction for this compound, one sentence each (e.g. a base without a
    /// measured B:P, a negative protein-binding term); printed and stored in metrics.json.
    std::vector<std::string>      warnings;
    /// Factor applied to every predicted (not overridden) Kp by scale_to_vss (1 = none).
    double                        kp_scale = 1.;
    /// Steady-state volume of distribution [L] referred to plasma:
    /// V_blood * B:P + sum_T V_T Kp_T.
    double vss_L = 0.;
  };

  /// Partition coefficients for one individual. `kp_override` maps tissue names to a
  /// user Kp (tissue:plasma) that replaces the prediction. Throws InputError naming the
  /// compound key when the inputs are inconsistent (e.g. a B:P below 1 - hematocrit).
  Distribution predict_distribution(const Compound &c, const Physiology &ph,
                                    const std::map<std::string, double> &kp_override = {});

  /// Multiply every predicted (not overridden) Kp and Kpu by one factor chosen so that
  /// the steady-state volume of distribution becomes target_L_per_kg * body weight
  /// (a uniform "Kp scalar", the usual calibration of a mechanistic Kp prediction to an
  /// observed Vss). Sets d.kp_scale and d.vss_L. Throws InputError (naming `where`) when
  /// the target is not positive or cannot be reached (blood and overridden tissues alone
  /// exceed it).
  void scale_to_vss(Distribution &d, const Physiology &ph, double target_L_per_kg, const std::string &where);

  /// Ionisation factor (total / neutral) at pH, as in Rodgers, Leahy & Rowland 2005:
  ///   prod_bases (1 + 10^(pKa - pH)) + prod_acids (1 + 10^(pH - pKa)) - 1,
  /// i.e. 1 + 10^(pKa - pH) for a monoprotic base, 1 + 10^(pH - pKa) for an acid and
  /// 1 + 10^(pKa_base - pH) + 10^(pH - pKa_acid) for a zwitterion (species carrying both
  /// charges are counted with the neutral form).
  double ionisation_factor(const Compound &c, double ph);
} // namespace organtwin::pk
