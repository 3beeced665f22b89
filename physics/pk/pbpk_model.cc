#include <physics/pk/pbpk_model.h>
#include <solvers/common/parameters.h>

#include <cmath>
#include <sstream>

namespace organtwin::pk
{
  namespace
  {
    std::string
    num(double v)
    {
      std::ostringstream s;
      s << v;
      return s.str();
    }
  } // namespace

  double
  regional_blood_fraction(unsigned int t)
  {
    switch (t)
      {
        case heart:
          return 0.01;
        case liver:
          return 0.10;
        case kidney:
          return 0.02;
        default:
          return 0.;
      }
  }

  unsigned int
  PbpkModel::add_state(const std::string &name)
  {
    names.push_back(name);
    return static_cast<unsigned int>(names.size() - 1);
  }

  void
  PbpkModel::transfer(unsigned int from, unsigned int to, double k)
  {
    const std::size_t n = names.size();
    A[to * n + from] += k;
    A[from * n + from] -= k;
  }

  PbpkModel::PbpkModel(const Compound &c, const Physiology &ph, const ModelOptions &opt)
    : comp(c)
    , phys(ph)
    , dist(predict_distribution(c, ph, opt.kp_override))
  {
    if (opt.vss_target_L_per_kg != 0.)
      scale_to_vss(dist, ph, opt.vss_target_L_per_kg, opt.vss_target_where);
    for (unsigned int t : opt.permeability_limited)
      {
        input_check(t == heart || t == liver || t == kidney, "permeability-limited tissues",
                    std::string("\"") + tissue_name(t) + "\" is not supported; expected heart, liver or kidney");
        perm[t] = true;
      }
    for (const auto &[t, ps] : opt.ps_cell_L_per_h)
      input_check(ps > 0. && std::isfinite(ps), std::string("PS_cell of ") + tissue_name(t),
                  "= " + num(ps) + " L/h: expected a permeability-surface product > 0");
    input_check(opt.ps_vascular_per_flow > 0., "PS_vascular per flow",
                "= " + num(opt.ps_vascular_per_flow) + ": expected > 0");

    const double bp = dist.bp, fu = c.fu;

    // States.
    i_ven = add_state("venous_blood");
    i_art = add_state("arterial_blood");
    for (unsigned int t = 0; t < n_tissues; ++t)
      i_main[t] = add_state(std::string(tissue_name(t)) + (perm[t] ? "_vascular" : ""));
    for (unsigned int t = 0; t < n_tissues; ++t)
      if (perm[t])
        {
          i_int[t]  = add_state(std::string(tissue_name(t)) + "_interstitial");
          i_cell[t] = add_state(std::string(tissue_name(t)) + "_intracellular");
        }
    i_lumen = add_state("gut_lumen");
    i_unabs = add_state("unabsorbed");
    i_gut   = add_state("gut_wall_metabolised");
    i_hep   = add_state("hepatic_eliminated");
    i_ren   = add_state("renal_eliminated");
    i_auc   = add_state("auc_plasma_venous");
    i_aumc  = add_state("aumc_plasma_venous");
    const std::size_t n = names.size();
    A.assign(n * n, 0.);
    body = {i_ven, i_art};
    for (unsigned int t = 0; t < n_tissues; ++t)
      {
        body.push_back(i_main[t]);
        if (perm[t])
          {
            body.push_back(i_int[t]);
            body.push_back(i_cell[t]);
          }
      }

    // Volumes of the permeability-limited sub-compartments; their vascular blood is taken
    // out of the venous pool so that the blood volume stays the ICRP one.
    v_ven = ph.v_venous_L;
    for (unsigned int t = 0; t < n_tissues; ++t)
      if (perm[t])
        {
          const auto &tc = composition(composition_name(t));
          v_vas[t]       = regional_blood_fraction(t) * ph.blood_volume();
          v_int[t]       = tc.f_ew * ph.volume_L[t];
          v_cell[t]      = ph.volume_L[t] - v_int[t];
          // Intracellular amount per unbound concentration so that the tissue total
          // reproduces Kpu: Kpu V_T = V_int * 1 + V_cell * K_cell.
          k_cell[t] = std::max(1e-6, (dist.kpu[t] * ph.volume_L[t] - v_int[t]) / v_cell[t]);
          v_ven -= v_vas[t];
        }

    // Clearances.
    const double q_h = ph.liver_total_flow();
    const double fub = fu / bp;
    clint            = c.cl_hepatic_intrinsic_L_per_h;
    if (c.cl_hepatic_plasma_L_per_h > 0.)
      {
        const double cl_b = c.cl_hepatic_plasma_L_per_h / bp;
        input_check(cl_b < 0.99 * q_h, c.where("clearance.hepatic_plasma_L_per_h"),
                    "= " + num(c.cl_hepatic_plasma_L_per_h) + " L/h is not possible: as a blood clearance (" +
                      num(cl_b) + " L/h with B:P " + num(bp) + ") it must stay below the liver blood flow " +
                      num(q_h) + " L/h");
        clint += q_h * cl_b / (fub * (q_h - cl_b)); // inverse of the well-stirred model
      }
    cl_renal = c.cl_renal_plasma_L_per_h + (c.renal_filtration ? fu * ph.gfr_L_per_h : 0.);
    input_check(cl_renal < 0.99 * ph.flow_L_per_h[kidney] * bp, c.where("clearance.renal_plasma_L_per_h"),
                "= " + num(c.cl_renal_plasma_L_per_h) + " L/h (+ filtration " +
                  num(cl_renal - c.cl_renal_plasma_L_per_h) +
                  " L/h) is not possible: it must stay below the renal blood flow times B:P (" +
                  num(ph.flow_L_per_h[kidney] * bp) + " L/h)");

    // Lung: whole cardiac output from venous to arterial blood.
    const double co = ph.cardiac_output_L_per_h;
    transfer(i_ven, i_main[lung], co / v_ven);
    transfer(i_main[lung], i_art, co * bp / (dist.kp[lung] * ph.volume_L[lung]));

    const double v_art = ph.v_arterial_L;
    for (unsigned int t = 0; t < n_tissues; ++t)
      {
        if (t == lung)
          continue;
        const double q_in = ph.flow_L_per_h[t];
        if (t == kidney && cl_renal > 0.)
          {
            // Filtration/secretion removes CL_R * C_plasma,arterial from the blood entering the kidney.
            transfer(i_art, i_main[t], (q_in - cl_renal / bp) / v_art);
            transfer(i_art, i_ren, cl_renal / (bp * v_art));
          }
        else
          transfer(i_art, i_main[t], q_in / v_art);

        const double       q_out = t == liver ? q_h : q_in;
        const unsigned int dest  = is_portal(t) ? i_main[liver] : i_ven;
        if (perm[t])
          {
            transfer(i_main[t], dest, q_out / v_vas[t]);
            const double ps_v = opt.ps_vascular_per_flow * q_out;
            const auto   it   = opt.ps_cell_L_per_h.find(t);
            const double ps_c = it != opt.ps_cell_L_per_h.end() ? it->second : q_out;
            // unbound: vascular fu C_b / B:P, interstitial C_int, intracellular C_cell / K_cell
            transfer(i_main[t], i_int[t], ps_v * fu / (bp * v_vas[t]));
            transfer(i_int[t], i_main[t], ps_v / v_int[t]);
            transfer(i_int[t], i_cell[t], ps_c / v_int[t]);
            transfer(i_cell[t], i_int[t], ps_c / (k_cell[t] * v_cell[t]));
            if (t == liver && clint > 0.)
              transfer(i_cell[t], i_hep, clint / (k_cell[t] * v_cell[t]));
          }
        else
          {
            transfer(i_main[t], dest, q_out * bp / (dist.kp[t] * ph.volume_L[t]));
            if (t == liver && clint > 0.)
              transfer(i_main[t], i_hep, clint / (dist.kpu[t] * ph.volume_L[t]));
          }
      }

    // Oral absorption: first order from the lumen; Fa absorbed, of which Fg escapes gut-wall
    // metabolism into the small-intestine tissue (portal, then liver: hepatic first pass).
    if (c.has_absorption)
      {
        const double ka = c.ka_per_h, fa = c.fraction_absorbed, fg = c.fraction_escaping_gut;
        transfer(i_lumen, i_main[small_intestine], ka * fa * fg);
        if (fa * (1. - fg) > 0.)
          transfer(i_lumen, i_gut, ka * fa * (1. - fg));
        if (fa < 1.)
          transfer(i_lumen, i_unabs, ka * (1. - fa));
      }

    // AUC of venous plasma (not an amount: its column entries are not part of the balance).
    A[i_auc * n + i_ven] = 1. / (v_ven * bp);
  }

  void
  PbpkModel::rhs(double t, const double *y, double infusion, double *dydt) const
  {
    const std::size_t n = names.size();
    for (std::size_t i = 0; i < n; ++i)
      {
        const double *row = &A[i * n];
        double        s   = 0.;
        for (std::size_t j = 0; j < n; ++j)
          s += row[j] * y[j];
        dydt[i] = s;
      }
    dydt[i_ven] += infusion;
    dydt[i_aumc] = t * plasma_venous(y);
  }

  void
  PbpkModel::jacobian(double t, double *J) const
  {
    const std::size_t n = names.size();
    std::copy(A.begin(), A.end(), J);
    J[i_aumc * n + i_ven] = t / (v_ven * dist.bp);
  }

  double
  PbpkModel::body_amount(const double *y) const
  {
    double s = 0.;
    for (unsigned int i : body)
      s += y[i];
    return s;
  }

  double
  PbpkModel::total_amount(const double *y) const
  {
    return body_amount(y) + y[i_lumen] + y[i_unabs] + y[i_gut] + y[i_hep] + y[i_ren];
  }

  double
  PbpkModel::plasma_venous(const double *y) const
  {
    return y[i_ven] / (v_ven * dist.bp);
  }

  double
  PbpkModel::plasma_arterial(const double *y) const
  {
    return y[i_art] / (phys.v_arterial_L * dist.bp);
  }

  double
  PbpkModel::blood_venous(const double *y) const
  {
    return y[i_ven] / v_ven;
  }

  double
  PbpkModel::tissue_total(unsigned int t, const double *y) const
  {
    if (perm[t])
      return (y[i_int[t]] + y[i_cell[t]]) / phys.volume_L[t];
    return y[i_main[t]] / phys.volume_L[t];
  }

  double
  PbpkModel::tissue_unbound(unsigned int t, const double *y) const
  {
    if (perm[t])
      return y[i_cell[t]] / (k_cell[t] * v_cell[t]);
    return y[i_main[t]] / (dist.kpu[t] * phys.volume_L[t]);
  }

  double
  PbpkModel::systemic_clearance() const
  {
    const double q_h  = phys.liver_total_flow();
    const double fub  = comp.fu / dist.bp;
    const double cl_b = clint > 0. ? q_h * fub * clint / (q_h + fub * clint) : 0.;
    return cl_b * dist.bp + cl_renal;
  }
} // namespace organtwin::pk
