#include <physics/pk/partition.h>
#include <solvers/common/parameters.h>

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace organtwin::pk
{
  namespace
  {
    // Rodgers & Rowland tissue composition (rat), as in physics/pk/data/rodgers_rowland_tissues.csv:
    // f_EW, f_IW (RLR 2005), f_NL, f_NP, albumin and lipoprotein T:P (RR 2006 Table 1),
    // acidic phospholipids [mg/g] (RLR 2005), pH (intracellular 7.0, plasma 7.4, RBC 7.22).
    // Adipose f_NL/f_NP: corrected (printed swapped in RR 2006). Spleen f_NP 0.0107 (disputed, see data README).
    const std::vector<TissueComposition> table = {
      {"adipose", 0.135, 0.017, 0.8530, 0.0016, 0.40, 7.0, 0.049, 0.068},
      {"bone", 0.100, 0.346, 0.0174, 0.0016, 0.67, 7.0, 0.100, 0.050},
      {"brain", 0.162, 0.620, 0.0391, 0.0015, 0.40, 7.0, 0.048, 0.041},
      {"gut", 0.282, 0.475, 0.0375, 0.0124, 2.41, 7.0, 0.158, 0.141},
      {"heart", 0.320, 0.456, 0.0135, 0.0106, 2.25, 7.0, 0.157, 0.160},
      {"kidney", 0.273, 0.483, 0.0121, 0.0240, 5.03, 7.0, 0.130, 0.137},
      {"liver", 0.161, 0.573, 0.0135, 0.0238, 4.56, 7.0, 0.086, 0.161},
      {"lung", 0.336, 0.446, 0.0215, 0.0123, 3.91, 7.0, 0.212, 0.168},
      {"muscle", 0.118, 0.630, 0.0100, 0.0072, 1.53, 7.0, 0.064, 0.059},
      {"skin", 0.382, 0.291, 0.0603, 0.0044, 1.32, 7.0, 0.277, 0.096},
      {"spleen", 0.207, 0.579, 0.0071, 0.0107, 3.18, 7.0, 0.097, 0.207},
      {"plasma", 0.0, 0.0, 0.0023, 0.0013, 0.0, 7.4, 1.0, 1.0},
      {"erythrocytes", 0.0, 0.603, 0.0017, 0.0029, 0.5, 7.22, 0.0, 0.0},
    };

    std::string
    num(double v)
    {
      std::ostringstream s;
      s << v;
      return s.str();
    }

    /// Cationic part of the ionisation: prod_bases (1 + 10^(pKa - pH)) - 1.
    double
    cationic(const Compound &c, double ph)
    {
      double f = 1.;
      for (const auto &p : c.pka)
        if (p.base)
          f *= 1. + std::pow(10., p.value - ph);
      return f - 1.;
    }

    /// Neutral-lipid and phospholipid term of a tissue for lipophilicity P.
    double
    lipids(const TissueComposition &t, double P)
    {
      return P * t.f_nl + (0.3 * P + 0.7) * t.f_np;
    }
  } // namespace

  const std::vector<TissueComposition> &
  composition_table()
  {
    return table;
  }

  const TissueComposition &
  composition(const std::string &name)
  {
    for (const auto &t : table)
      if (name == t.name)
        return t;
    throw std::out_of_range("no Rodgers-Rowland composition for tissue \"" + name + "\"");
  }

  double
  ionisation_factor(const Compound &c, double ph)
  {
    // 1 + cationic + anionic part. For a pure base or a pure acid this is the product over
    // its pKa values; for a compound with both (zwitterion/ampholyte) it is Rodgers, Leahy &
    // Rowland 2005's X = 1 + 10^(pKa_base - pH) + 10^(pH - pKa_acid): species carrying both
    // charges are counted with the neutral form, not as ionised. (Before 2026-11-26 the
    // product of base and acid factors was used, which counts them as ionised: identical for
    // pure acids/bases, too large for ampholytes - by 10^(pKa_base - pKa_acid) when that is big.)
    double cat = 1., an = 1.;
    for (const auto &p : c.pka)
      if (p.base)
        cat *= 1. + std::pow(10., p.value - ph);
      else
        an *= 1. + std::pow(10., ph - p.value);
    return cat + an - 1.;
  }

  Distribution
  predict_distribution(const Compound &c, const Physiology &ph, const std::map<std::string, double> &kp_override)
  {
    Distribution d;
    const auto  &plasma = composition("plasma");
    const auto  &rbc    = composition("erythrocytes");
    const double P      = std::pow(10., c.logP);
    // Adipose: vegetable oil:water partition of the neutral species, log Pvo = 1.115 log P - 1.35
    // (Leo et al. 1971, as used by Rodgers & Rowland).
    const double P_vo  = std::pow(10., 1.115 * c.logP - 1.35);
    const double fu    = c.fu;
    const double hct   = ph.hematocrit;
    const double I_p   = ionisation_factor(c, plasma.ph);
    const double I_bc  = ionisation_factor(c, rbc.ph);

    bool has_acid = false, strong_base = false, any_base = false;
    for (const auto &p : c.pka)
      {
        has_acid |= !p.base;
        any_base |= p.base;
        strong_base |= p.base && p.value >= 7.;
      }
    d.ion_class = strong_base ? (has_acid ? "zwitterion" : "base")
                              : (any_base ? (has_acid ? "zwitterion (weak base)" : "weak base")
                                          : (has_acid ? "acid" : "neutral"));

    // Blood:plasma ratio: given, or predicted from erythrocyte water and lipids (RR 2006 form
    // with the erythrocyte composition, no protein binding). For bases this misses binding
    // to erythrocyte acidic phospholipids: a measured B:P should be given for them.
    if (c.has_bp())
      d.bp = c.bp;
    else
      {
        const double kpu_bc = (I_bc / I_p) * rbc.f_iw + lipids(rbc, P) / I_p;
        d.bp                = 1. - hct + hct * kpu_bc * fu;
        d.bp_predicted      = true;
      }
    // B:P below 1 - Hct means a negative erythrocyte concentration. Measured values a little
    // below (a drug that stays out of erythrocytes, measured at another hematocrit) are
    // accepted with Kpu_BC = 0; clearly impossible values are input errors.
    if (d.bp < 1. - hct - 0.05)
      throw InputError(c.where("blood_to_plasma_ratio") + " = " + num(d.bp) +
                       " is not possible: it must be at least 1 - hematocrit = " + num(1. - hct) +
                       " (erythrocyte concentration would be negative)");
    const double kpu_bc = std::max(0., (hct - 1. + d.bp) / (hct * fu));

    if (strong_base && d.bp_predicted)
      d.warnings.push_back("no measured blood_to_plasma_ratio for a base (pKa >= 7): the predicted B:P ignores "
                           "binding to erythrocyte acidic phospholipids, so the affinity Ka and the tissue Kp of "
                           "Rodgers-Leahy-Rowland 2005 are underestimated; give a measured B:P (or Kp, or a Vss target)");
    if (strong_base)
      {
        d.method = "Rodgers, Leahy & Rowland 2005 (moderate-to-strong bases, zwitterions)";
        // Affinity for acidic phospholipids from the erythrocyte partition (RLR 2005 eq. for Ka_BC).
        const double cat_bc = cationic(c, rbc.ph);
        const double ka     = (kpu_bc - (I_bc / I_p) * rbc.f_iw - lipids(rbc, P) / I_p) * I_p /
                          (rbc.ap_mg_per_g * cat_bc);
        d.ka_ap = std::max(0., ka);
      }
    else
      d.method = "Rodgers & Rowland 2006 (acids, neutrals, weak bases)";

    for (unsigned int t = 0; t < n_tissues; ++t)
      {
        const auto  &tc   = composition(composition_name(t));
        const double Pt   = t == adipose ? P_vo : P;
        const double I_iw = ionisation_factor(c, tc.ph);
        double       kpu  = tc.f_ew + (I_iw / I_p) * tc.f_iw + lipids(tc, Pt) / I_p;
        if (strong_base)
          kpu += d.ka_ap * tc.ap_mg_per_g * cationic(c, tc.ph) / I_p;
        else
          {
            // Binding to extracellular proteins: albumin for acids and weak bases,
            // lipoproteins for neutrals (RR 2006).
            const double tp      = (has_acid || any_base) ? tc.albumin_tp : tc.lipoprotein_tp;
            const double binding = 1. / fu - 1. - lipids(plasma, P) / I_p;
            if (binding < 0. && t == 0)
              d.warnings.push_back("logP " + num(c.logP) + " and fu " + num(fu) +
                                   " disagree within Rodgers & Rowland 2006: plasma lipids alone bind more than "
                                   "fu allows (protein-binding term " + num(binding) +
                                   " set to 0); check logP and fraction_unbound_plasma");
            kpu += std::max(0., binding) * tp;
          }
        d.kpu[t] = kpu;
        d.kp[t]  = kpu * fu;
      }

    for (const auto &[name, kp] : kp_override)
      {
        const unsigned int t = tissue_from_name(name);
        if (t == n_tissues)
          {
            std::string list;
            for (unsigned int u = 0; u < n_tissues; ++u)
              list += std::string(u ? ", " : "") + tissue_name(u);
            throw InputError("Kp override \"" + name + "\": unknown tissue; expected one of " + list);
          }
        if (!(kp > 0.) || !std::isfinite(kp))
          throw InputError("Kp override \"" + name + "\" = " + num(kp) + ": expected a partition coefficient > 0");
        d.kp[t]         = kp;
        d.kpu[t]        = kp / fu;
        d.overridden[t] = true;
      }

    d.vss_L = ph.blood_volume() * d.bp;
    for (unsigned int t = 0; t < n_tissues; ++t)
      d.vss_L += ph.volume_L[t] * d.kp[t];
    return d;
  }

  void
  scale_to_vss(Distribution &d, const Physiology &ph, double target_L_per_kg, const std::string &where)
  {
    if (!(target_L_per_kg > 0.) || !std::isfinite(target_L_per_kg))
      throw InputError(where + " = " + num(target_L_per_kg) + ": expected a volume of distribution > 0 L/kg");
    const double target = target_L_per_kg * ph.who.weight_kg;
    double       fixed  = ph.blood_volume() * d.bp, scalable = 0.;
    for (unsigned int t = 0; t < n_tissues; ++t)
      (d.overridden[t] ? fixed : scalable) += ph.volume_L[t] * d.kp[t];
    if (!(target > fixed) || !(scalable > 0.))
      throw InputError(where + " = " + num(target_L_per_kg) + " L/kg cannot be reached: blood and overridden " +
                       "tissues alone give " + num(fixed / ph.who.weight_kg) + " L/kg");
    d.kp_scale = (target - fixed) / scalable;
    for (unsigned int t = 0; t < n_tissues; ++t)
      if (!d.overridden[t])
        {
          d.kp[t] *= d.kp_scale;
          d.kpu[t] *= d.kp_scale;
        }
    d.vss_L = target;
  }
} // namespace organtwin::pk
