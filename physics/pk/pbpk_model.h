#pragma once
// The whole-body PBPK system for one individual and one compound. Every process is
// first order in the amounts, so the model is the linear system
//
//   dy/dt = A y + b(t),
//
// y = amounts [mg] in the compartments, the gut lumen and the elimination sinks,
// plus two bookkeeping states (AUC and AUMC of venous plasma). A is assembled once;
// b holds the infusion rate into venous blood. The columns of A over the amount
// states sum to zero (mass conservation), so total amount + eliminated = dose.
//
// Compartments: venous and arterial blood, lung (receives the cardiac output from
// venous blood), the tissues of physiology.h; portal organs (stomach, small and
// large intestine, spleen, pancreas) drain to the liver. Perfusion-limited tissues
// are well-stirred with venous blood concentration C_T * B:P / Kp_T. Heart, liver and
// kidney may be permeability-limited: vascular (blood), interstitial and
// intracellular sub-compartments, with exchange of unbound drug across the vessel
// wall (PS_vas) and the cell membrane (PS_cell).
// Equations: docs/theory/pbpk.md.

#include <physics/pk/compound.h>
#include <physics/pk/partition.h>
#include <physics/pk/physiology.h>

#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace organtwin::pk
{
  struct ModelOptions
  {
    /// Tissues modelled as permeability-limited (heart, liver, kidney allowed).
    std::set<unsigned int> permeability_limited;
    /// Cell-membrane permeability-surface product [L/h] per tissue; a tissue without an
    /// entry uses its blood flow (PS_cell = Q_T).
    std::map<unsigned int, double> ps_cell_L_per_h;
    /// Vessel-wall PS as a multiple of the tissue blood flow (fast by default).
    double ps_vascular_per_flow = 100.;
    /// Kp overrides (tissue name -> Kp).
    std::map<std::string, double> kp_override;
    /// > 0: scale the predicted Kp uniformly so that Vss = this value [L/kg] for the
    /// individual (scale_to_vss in partition.h); 0: no calibration.
    double vss_target_L_per_kg = 0.;
    /// Where the target came from, for error messages (e.g. "deck.prm: [Compound/Vss target]").
    std::string vss_target_where = "target Vss";
  };

  /// Regional blood volume of a tissue as a fraction of total blood (ICRP 89 Table 2.14:
  /// coronary 1 %, liver 10 %, kidneys 2 %); used for the vascular sub-compartment.
  double regional_blood_fraction(unsigned int t);

  class PbpkModel
  {
  public:
    /// Throws InputError for clearances the physiology cannot deliver (e.g. a hepatic
    /// plasma clearance above liver plasma flow) and for bad options.
    PbpkModel(const Compound &c, const Physiology &ph, const ModelOptions &opt = {});

    const Compound     &compound() const { return comp; }
    const Physiology   &physiology() const { return phys; }
    const Distribution &distribution() const { return dist; }

    unsigned int n_states() const { return static_cast<unsigned int>(names.size()); }
    const std::vector<std::string> &state_names() const { return names; }
    /// Row-major n x n matrix A [1/h].
    const std::vector<double> &matrix() const { return A; }

    /// dy/dt = A y + infusion into venous blood [mg/h]; AUMC row uses t.
    void rhs(double t, const double *y, double infusion_mg_per_h, double *dydt) const;
    /// Jacobian of rhs (= A, with the AUMC row t * A_AUC), row-major.
    void jacobian(double t, double *J) const;

    // State indices.
    unsigned int venous() const { return i_ven; }
    unsigned int arterial() const { return i_art; }
    unsigned int lumen() const { return i_lumen; }
    unsigned int auc() const { return i_auc; }
    unsigned int aumc() const { return i_aumc; }
    unsigned int sink_unabsorbed() const { return i_unabs; }
    unsigned int sink_gut() const { return i_gut; }
    unsigned int sink_hepatic() const { return i_hep; }
    unsigned int sink_renal() const { return i_ren; }
    /// States that hold drug in the body (compartments, lumen excluded).
    const std::vector<unsigned int> &body_states() const { return body; }
    /// Amount in the body + lumen + sinks [mg] (should equal the dose given).
    double total_amount(const double *y) const;
    /// Amount in the body (compartments only) [mg].
    double body_amount(const double *y) const;

    bool permeability_limited(unsigned int t) const { return perm[t]; }

    // Concentrations [mg/L].
    double plasma_venous(const double *y) const;
    double plasma_arterial(const double *y) const;
    double blood_venous(const double *y) const;
    /// Mean total concentration of a tissue (all sub-compartments over tissue volume).
    double tissue_total(unsigned int t, const double *y) const;
    /// Unbound concentration in the tissue (intracellular for permeability-limited tissues).
    double tissue_unbound(unsigned int t, const double *y) const;
    double plasma_unbound(const double *y) const { return comp.fu * plasma_venous(y); }

    /// Hepatic unbound intrinsic clearance used (given + derived from hepatic plasma CL) [L/h].
    double clint_L_per_h() const { return clint; }
    /// Renal plasma clearance used (renal_plasma + fu GFR) [L/h].
    double renal_clearance() const { return cl_renal; }
    /// Systemic plasma clearance at steady state of the perfusion-limited liver
    /// (well-stirred) plus renal [L/h].
    double systemic_clearance() const;
    /// Vss referred to plasma [L] (distribution().vss_L; for permeability-limited tissues,
    /// plus their vascular blood, which is part of the blood volume anyway).
    double vss_L() const { return dist.vss_L; }

  private:
    Compound            comp;
    Physiology          phys;
    Distribution        dist;
    std::vector<std::string> names;
    std::vector<double> A;
    unsigned int        i_ven = 0, i_art = 0, i_lumen = 0, i_unabs = 0, i_gut = 0, i_hep = 0, i_ren = 0,
                 i_auc = 0, i_aumc = 0;
    std::array<unsigned int, n_tissues> i_main{}, i_int{}, i_cell{};
    std::array<bool, n_tissues>         perm{};
    std::array<double, n_tissues>       v_vas{}, v_int{}, v_cell{}, k_cell{};
    double                               v_ven = 0.; ///< venous pool (blood minus vascular sub-compartments)
    std::vector<unsigned int>            body;
    double                               clint = 0., cl_renal = 0.;

    unsigned int add_state(const std::string &name);
    void         transfer(unsigned int from, unsigned int to, double k);
  };
} // namespace organtwin::pk
