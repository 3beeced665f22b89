// ten Tusscher & Panfilov 2006 human ventricular myocyte model ("TTP06"):
//   K.H.W.J. ten Tusscher, A.V. Panfilov, "Alternans and spiral breakup in a human
//   ventricular tissue model", Am J Physiol Heart Circ Physiol 291:H1088-H1100 (2006),
//   doi 10.1152/ajpheart.00109.2006  (equations: its Appendix; the current and gate
//   formulations it does not change are those of ten Tusscher, Noble, Noble & Panfilov,
//   Am J Physiol Heart Circ Physiol 286:H1573-H1589 (2004), doi 10.1152/ajpheart.00794.2003).
//
// Written from the published equations. Units: ms, mV, mM; currents in pA/pF = uA/uF.
// Endo, M and epi variants differ in g_to, g_Ks and the Ito inactivation (s) gate.
//
// Implementation notes
//  - Calcium buffering (cytosol, SR, subspace) uses the rapid-equilibrium form
//    dCa_free/dt = J / (1 + Buf K / (Ca + K)^2), the differential equivalent of the
//    paper's per-step quadratic solution; it fits the IonicModel rhs interface.
//  - R_prime (the RyR "recovered" fraction R-bar of the paper) is integrated as a
//    non-gate (its rate depends on CaSS, not only V).
//  - The stimulus current is not part of this rhs (it is added to dV/dt by the
//    integrator), so unlike the paper it is not carried by K+ in dKi/dt. The charge
//    of a 52 uA/uF x 1 ms stimulus is ~6e-3 mM of K+ per beat: negligible over tens
//    of beats, but single-cell pacing for hundreds of beats sees Ki fall by that
//    amount per beat (about -1.8 mM over 300 beats at 1 Hz, resting V +0.4 mV).
//  - ICaL has the GHK form with a removable singularity at V = 15 mV; it is evaluated
//    through x/expm1(x) with a series branch near x = 0.

#include <physics/ionic/ionic_model.h>
#include <solvers/common/parameters.h>

#include <cmath>
#include <iomanip>
#include <sstream>

namespace organtwin::ionic
{
  namespace
  {
    // ----- state indices -----------------------------------------------------------
    enum S : unsigned int
    {
      iV,
      iKi,
      iNai,
      iCai,
      iCaSR,
      iCaSS,
      iRprime,
      im,
      ih,
      ij,
      ixr1,
      ixr2,
      ixs,
      ir,
      is,
      id,
      i_f,
      if2,
      ifCass,
      n_ttp06_states
    };

    enum class CellType
    {
      endo,
      M,
      epi
    };

    // ----- fixed constants (ten Tusscher & Panfilov 2006, Table 1) ------------------
    constexpr double R_gas = 8314.472;   // [J/(K kmol)] = [mJ/(K mol)]
    constexpr double T_abs = 310.0;      // [K]
    constexpr double F_c   = 96485.3415; // [C/mol]
    constexpr double Cm    = 0.185;      // [uF] cell capacitance
    constexpr double V_c   = 0.016404;   // [uL] cytoplasmic volume
    constexpr double V_sr  = 0.001094;   // [uL] SR volume
    constexpr double V_ss  = 0.00005468; // [uL] subspace volume

    constexpr double p_KNa = 0.03; // [1] relative IKs Na permeability

    constexpr double gamma_NaCa = 0.35; // [1] voltage-dependence parameter of INaCa
    constexpr double Km_Nai     = 87.5; // [mM] Nai half-saturation of INaCa
    constexpr double Km_Ca      = 1.38; // [mM] Ca half-saturation of INaCa
    constexpr double k_sat      = 0.1;  // [1] INaCa saturation factor
    constexpr double alpha_NaCa = 2.5;  // [1] factor enhancing outward INaCa

    constexpr double Km_K  = 1.0;  // [mM] Ko half-saturation of INaK
    constexpr double Km_Na = 40.0; // [mM] Nai half-saturation of INaK

    constexpr double K_pCa = 0.0005; // [mM] Cai half-saturation of IpCa

    constexpr double V_maxup = 0.006375; // [mM/ms] maximal SERCA uptake
    constexpr double K_up    = 0.00025;  // [mM] SERCA half-saturation
    constexpr double V_rel   = 0.102;    // [1/ms] maximal release conductance
    constexpr double k1_p    = 0.15;     // [1/(mM^2 ms)] R -> O rate
    constexpr double k2_p    = 0.045;    // [1/(mM ms)] R -> I rate
    constexpr double k3      = 0.060;    // [1/ms] O -> R rate
    constexpr double k4      = 0.005;    // [1/ms] I -> R rate (recovery)
    constexpr double EC      = 1.5;      // [mM] CaSR half-saturation of kcasr
    constexpr double max_sr  = 2.5;      // [1]
    constexpr double min_sr  = 1.0;      // [1]
    constexpr double V_leak  = 0.00036;  // [1/ms] SR leak
    constexpr double V_xfer  = 0.0038;   // [1/ms] subspace -> cytosol transfer

    constexpr double Buf_c   = 0.2;     // [mM] total cytosolic buffer
    constexpr double K_bufc  = 0.001;   // [mM]
    constexpr double Buf_sr  = 10.0;    // [mM] total SR buffer
    constexpr double K_bufsr = 0.3;     // [mM]
    constexpr double Buf_ss  = 0.4;     // [mM] total subspace buffer
    constexpr double K_bufss = 0.00025; // [mM]

    // ----- published default conductances (Table 1) ----------------------------------
    constexpr double G_Na_pub   = 14.838;   // [nS/pF]
    constexpr double G_K1_pub   = 5.405;    // [nS/pF]
    constexpr double G_to_epiM  = 0.294;    // [nS/pF] epi and M
    constexpr double G_to_endo  = 0.073;    // [nS/pF] endo
    constexpr double G_Kr_pub   = 0.153;    // [nS/pF]
    constexpr double G_Ks_epien = 0.392;    // [nS/pF] epi and endo
    constexpr double G_Ks_M     = 0.098;    // [nS/pF] M
    constexpr double G_CaL_pub  = 3.980e-5; // [cm/(ms uF)]
    constexpr double k_NaCa_pub = 1000.;    // [pA/pF]
    constexpr double P_NaK_pub  = 2.724;    // [pA/pF]
    constexpr double G_pCa_pub  = 0.1238;   // [pA/pF]
    constexpr double G_pK_pub   = 0.0146;   // [nS/pF]
    constexpr double G_bNa_pub  = 0.00029;  // [nS/pF]
    constexpr double G_bCa_pub  = 0.000592; // [nS/pF]

    /// Initial states, in state order (V, Ki, Nai, Cai, CaSR, CaSS, R_prime, m, h, j,
    /// xr1, xr2, xs, r, s, d, f, f2, fCass). Source: the published initial conditions
    /// of the three variants of the model in the CellML encoding of ten Tusscher &
    /// Panfilov 2006 (Physiome Model Repository, workspace 80d); the epi values are
    /// those prescribed by the N-version benchmark of Niederer et al. 2011, Phil Trans
    /// R Soc A 369:4331-4351, doi 10.1098/rsta.2011.0139.
    constexpr double y0_epi[n_ttp06_states] = {-85.23,  136.89, 8.604,  1.26e-4, 3.64,  3.6e-4, 0.9073,
                                               0.00172, 0.7444, 0.7045, 0.00621, 0.4712, 0.0095,
                                               2.42e-8, 0.999998, 3.373e-5, 0.7888, 0.9755, 0.9953};
    constexpr double y0_endo[n_ttp06_states] = {-86.709, 138.4,  10.355, 1.3e-4,  3.715, 3.6e-4, 0.9068,
                                                0.00155, 0.7573, 0.7225, 0.00448, 0.476, 0.0087,
                                                2.235e-8, 0.3212, 3.164e-5, 0.8009, 0.9778, 0.9953};
    constexpr double y0_M[n_ttp06_states] = {-85.423, 138.52, 10.132, 1.53e-4, 4.272, 4.2e-4, 0.8978,
                                             0.00165, 0.749,  0.6788, 0.0165,  0.473, 0.0174,
                                             2.347e-8, 0.999998, 3.288e-5, 0.7026, 0.9526, 0.9942};

    std::string
    num(double x)
    {
      std::ostringstream s;
      s << std::setprecision(10) << x;
      return s.str();
    }

    /// x / (exp(x) - 1), continuous at x = 0.
    inline double
    x_over_expm1(double x)
    {
      return std::abs(x) < 1e-6 ? 1.0 - 0.5 * x : x / std::expm1(x);
    }

    class TTP06 : public IonicModel
    {
    public:
      TTP06() { precompute(); }

      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        using dealii::Patterns::Double;
        using dealii::Patterns::Selection;
        const std::string src = " (ten Tusscher & Panfilov 2006, Table 1)";
        prm.declare_entry("Cell type", "epi", Selection("endo|M|epi"),
                          "[-] transmural variant: endo, M (midmyocardial) or epi; sets the defaults of "
                          "g_to, g_Ks and the Ito s-gate kinetics (ten Tusscher & Panfilov 2006)");
        prm.declare_entry("Ito s-gate", "auto", Selection("auto|endo|epi"),
                          "[-] Ito inactivation (s) gate kinetics: auto = the published one for the cell "
                          "type (endo kinetics for endo, epi kinetics for M and epi) (ten Tusscher et al. 2004)");
        prm.declare_entry("g_Na", num(G_Na_pub), Double(0.), "[nS/pF] maximal INa conductance" + src);
        prm.declare_entry("g_K1", num(G_K1_pub), Double(0.), "[nS/pF] maximal IK1 conductance" + src);
        prm.declare_entry("g_to", "-1", Double(-1.),
                          "[nS/pF] maximal Ito conductance; -1 means the published value for the cell type: " +
                            num(G_to_epiM) + " epi and M, " + num(G_to_endo) + " endo" + src);
        prm.declare_entry("g_Kr", num(G_Kr_pub), Double(0.), "[nS/pF] maximal IKr conductance" + src);
        prm.declare_entry("g_Ks", "-1", Double(-1.),
                          "[nS/pF] maximal IKs conductance; -1 means the published value for the cell type: " +
                            num(G_Ks_epien) + " epi and endo, " + num(G_Ks_M) + " M" + src);
        prm.declare_entry("g_CaL", num(G_CaL_pub), Double(0.),
                          "[cm/(ms uF)] ICaL permeability-type conductance" + src);
        prm.declare_entry("k_NaCa", num(k_NaCa_pub), Double(0.), "[pA/pF] maximal INaCa" + src);
        prm.declare_entry("P_NaK", num(P_NaK_pub), Double(0.), "[pA/pF] maximal INaK" + src);
        prm.declare_entry("g_pCa", num(G_pCa_pub), Double(0.), "[pA/pF] maximal IpCa" + src);
        prm.declare_entry("g_pK", num(G_pK_pub), Double(0.), "[nS/pF] IpK conductance" + src);
        prm.declare_entry("g_bNa", num(G_bNa_pub), Double(0.), "[nS/pF] IbNa conductance" + src);
        prm.declare_entry("g_bCa", num(G_bCa_pub), Double(0.), "[nS/pF] IbCa conductance" + src);
        prm.declare_entry("Ko", "5.4", Double(1e-6, 1000.), "[mM] extracellular K+" + src);
        prm.declare_entry("Nao", "140.0", Double(1e-6, 1000.), "[mM] extracellular Na+" + src);
        prm.declare_entry("Cao", "2.0", Double(1e-6, 1000.), "[mM] extracellular Ca2+" + src);
      }

      std::string name() const override { return "TTP06"; }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        const std::string where = "[Ionic model/TTP06/";
        const std::string ct    = prm.get("Cell type");
        prm_cell_type           = ct == "endo" ? CellType::endo : ct == "M" ? CellType::M : CellType::epi;

        const std::string sg = prm.get("Ito s-gate");
        prm_endo_s_gate      = sg == "auto" ? prm_cell_type == CellType::endo : sg == "endo";

        auto resolved = [&](const std::string &entry, double published) {
          const double v = prm.get_double(entry);
          input_check(v == -1. || v >= 0., where + entry + "]",
                      "= " + num(v) + " is invalid: expected -1 (the published value for Cell type = " + ct +
                        ", " + num(published) + ") or a conductance >= 0");
          return v == -1. ? published : v;
        };
        prm_g_to = resolved("g_to", prm_cell_type == CellType::endo ? G_to_endo : G_to_epiM);
        prm_g_Ks = resolved("g_Ks", prm_cell_type == CellType::M ? G_Ks_M : G_Ks_epien);

        prm_g_Na   = prm.get_double("g_Na");
        prm_g_K1   = prm.get_double("g_K1");
        prm_g_Kr   = prm.get_double("g_Kr");
        prm_g_CaL  = prm.get_double("g_CaL");
        prm_k_NaCa = prm.get_double("k_NaCa");
        prm_P_NaK  = prm.get_double("P_NaK");
        prm_g_pCa  = prm.get_double("g_pCa");
        prm_g_pK   = prm.get_double("g_pK");
        prm_g_bNa  = prm.get_double("g_bNa");
        prm_g_bCa  = prm.get_double("g_bCa");
        prm_Ko     = prm.get_double("Ko");
        prm_Nao    = prm.get_double("Nao");
        prm_Cao    = prm.get_double("Cao");
        input_check(prm_Ko > 0. && prm_Nao > 0. && prm_Cao > 0., where + "Ko|Nao|Cao]",
                    "extracellular concentrations must be > 0");
        precompute();
      }

      unsigned int n_states() const override { return n_ttp06_states; }

      std::vector<StateInfo>
      state_info() const override
      {
        return {{"V", "mV", false},   {"Ki", "mM", false},   {"Nai", "mM", false},  {"Cai", "mM", false},
                {"CaSR", "mM", false}, {"CaSS", "mM", false}, {"R_prime", "1", false}, {"m", "1", true},
                {"h", "1", true},      {"j", "1", true},      {"xr1", "1", true},     {"xr2", "1", true},
                {"xs", "1", true},     {"r", "1", true},      {"s", "1", true},       {"d", "1", true},
                {"f", "1", true},      {"f2", "1", true},     {"fCass", "1", true}};
      }

      void
      initial_state(double *y) const override
      {
        const double *y0 = prm_cell_type == CellType::endo ? y0_endo : prm_cell_type == CellType::M ? y0_M : y0_epi;
        for (unsigned int i = 0; i < n_ttp06_states; ++i)
          y[i] = y0[i];
      }

      void
      rhs(const double *y, double *dydt, double *y_inf, double *tau) const override
      {
        Currents c;
        compute_currents(y, c);
        const double V = y[iV];

        dydt[iV] = -c.total();

        // --- gates: y_inf and tau [ms] ----------------------------------------------
        // INa: m, h, j
        {
          const double a_m = 1. / (1. + std::exp((-60. - V) / 5.));
          const double b_m = 0.1 / (1. + std::exp((V + 35.) / 5.)) + 0.1 / (1. + std::exp((V - 50.) / 200.));
          const double mi  = 1. / (1. + std::exp((-56.86 - V) / 9.03));
          y_inf[im]        = mi * mi;
          tau[im]          = a_m * b_m;

          const double hi = 1. / (1. + std::exp((V + 71.55) / 7.43));
          y_inf[ih]       = hi * hi;
          y_inf[ij]       = hi * hi;
          double a_h, b_h, a_j, b_j;
          if (V >= -40.)
            {
              a_h = 0.;
              b_h = 0.77 / (0.13 * (1. + std::exp(-(V + 10.66) / 11.1)));
              a_j = 0.;
              b_j = 0.6 * std::exp(0.057 * V) / (1. + std::exp(-0.1 * (V + 32.)));
            }
          else
            {
              a_h = 0.057 * std::exp(-(V + 80.) / 6.8);
              b_h = 2.7 * std::exp(0.079 * V) + 3.1e5 * std::exp(0.3485 * V);
              a_j = (-2.5428e4 * std::exp(0.2444 * V) - 6.948e-6 * std::exp(-0.04391 * V)) * (V + 37.78) /
                    (1. + std::exp(0.311 * (V + 79.23)));
              b_j = 0.02424 * std::exp(-0.01052 * V) / (1. + std::exp(-0.1378 * (V + 40.14)));
            }
          tau[ih] = 1. / (a_h + b_h);
          tau[ij] = 1. / (a_j + b_j);
        }
        // IKr: xr1, xr2
        {
          y_inf[ixr1] = 1. / (1. + std::exp((-26. - V) / 7.));
          tau[ixr1]   = 450. / (1. + std::exp((-45. - V) / 10.)) * 6. / (1. + std::exp((V + 30.) / 11.5));
          y_inf[ixr2] = 1. / (1. + std::exp((V + 88.) / 24.));
          tau[ixr2]   = 3. / (1. + std::exp((-60. - V) / 20.)) * 1.12 / (1. + std::exp((V - 60.) / 20.));
        }
        // IKs: xs
        {
          y_inf[ixs] = 1. / (1. + std::exp((-5. - V) / 14.));
          tau[ixs]   = 1400. / std::sqrt(1. + std::exp((5. - V) / 6.)) / (1. + std::exp((V - 35.) / 15.)) + 80.;
        }
        // Ito: r, s
        {
          y_inf[ir]       = 1. / (1. + std::exp((20. - V) / 6.));
          const double vr = V + 40.;
          tau[ir]         = 9.5 * std::exp(-vr * vr / 1800.) + 0.8;
          if (prm_endo_s_gate)
            {
              const double vs = V + 67.;
              y_inf[is]       = 1. / (1. + std::exp((V + 28.) / 5.));
              tau[is]         = 1000. * std::exp(-vs * vs / 1000.) + 8.;
            }
          else
            {
              const double vs = V + 45.;
              y_inf[is]       = 1. / (1. + std::exp((V + 20.) / 5.));
              tau[is]         = 85. * std::exp(-vs * vs / 320.) + 5. / (1. + std::exp((V - 20.) / 5.)) + 3.;
            }
        }
        // ICaL: d, f, f2, fCass
        {
          y_inf[id] = 1. / (1. + std::exp((-8. - V) / 7.5));
          tau[id]   = 1.4 / (1. + std::exp((-35. - V) / 13.)) + 0.25;
          tau[id] *= 1.4 / (1. + std::exp((V + 5.) / 5.));
          tau[id] += 1. / (1. + std::exp((50. - V) / 20.));

          const double vf = V + 27.;
          y_inf[i_f]      = 1. / (1. + std::exp((V + 20.) / 7.));
          tau[i_f] = 1102.5 * std::exp(-vf * vf / 225.) + 200. / (1. + std::exp((13. - V) / 10.)) +
                     180. / (1. + std::exp((V + 30.) / 10.)) + 20.;

          const double vf2 = V + 25.;
          y_inf[if2]       = 0.67 / (1. + std::exp((V + 35.) / 7.)) + 0.33;
          tau[if2] = 600. * std::exp(-vf2 * vf2 / 170.) + 31. / (1. + std::exp((25. - V) / 10.)) +
                     16. / (1. + std::exp((V + 30.) / 10.));

          const double cs  = y[iCaSS] / 0.05;
          const double den = 1. / (1. + cs * cs);
          y_inf[ifCass]    = 0.6 * den + 0.4;
          tau[ifCass]      = 80. * den + 2.;
        }
        for (unsigned int g = im; g < n_ttp06_states; ++g)
          dydt[g] = (y_inf[g] - y[g]) / tau[g];

        // --- ion concentrations ---------------------------------------------------
        const double Cai  = y[iCai];
        const double CaSR = y[iCaSR];
        const double CaSS = y[iCaSS];
        const double Rp   = y[iRprime];

        const double ecs   = EC / CaSR;
        const double kcasr = max_sr - (max_sr - min_sr) / (1. + ecs * ecs);
        const double k1    = k1_p / kcasr;
        const double k2    = k2_p * kcasr;
        const double O     = k1 * CaSS * CaSS * Rp / (k3 + k1 * CaSS * CaSS);
        dydt[iRprime]      = -k2 * CaSS * Rp + k4 * (1. - Rp);

        const double I_rel  = V_rel * O * (CaSR - CaSS);
        const double I_up   = V_maxup * Cai * Cai / (Cai * Cai + K_up * K_up);
        const double I_leak = V_leak * (CaSR - Cai);
        const double I_xfer = V_xfer * (CaSS - Cai);

        const double bi  = Cai + K_bufc;
        const double bsr = CaSR + K_bufsr;
        const double bss = CaSS + K_bufss;
        dydt[iCai] = ((I_leak - I_up) * vsr_over_vc + I_xfer - (c.IbCa + c.IpCa - 2. * c.INaCa) * cm_over_2vcF) /
                     (1. + Buf_c * K_bufc / (bi * bi));
        dydt[iCaSR] = (I_up - I_rel - I_leak) / (1. + Buf_sr * K_bufsr / (bsr * bsr));
        dydt[iCaSS] = (-c.ICaL * cm_over_2vssF + I_rel * vsr_over_vss - I_xfer * vc_over_vss) /
                      (1. + Buf_ss * K_bufss / (bss * bss));

        dydt[iNai] = -(c.INa + c.IbNa + 3. * c.INaK + 3. * c.INaCa) * cm_over_vcF;
        dydt[iKi]  = -(c.IK1 + c.Ito + c.IKr + c.IKs - 2. * c.INaK + c.IpK) * cm_over_vcF;
      }

      std::vector<std::string>
      current_names() const override
      {
        return {"INa", "IK1", "Ito", "IKr", "IKs", "ICaL", "INaCa", "INaK", "IpCa", "IpK", "IbNa", "IbCa"};
      }

      void
      currents(const double *y, double *I) const override
      {
        Currents c;
        compute_currents(y, c);
        I[0]  = c.INa;
        I[1]  = c.IK1;
        I[2]  = c.Ito;
        I[3]  = c.IKr;
        I[4]  = c.IKs;
        I[5]  = c.ICaL;
        I[6]  = c.INaCa;
        I[7]  = c.INaK;
        I[8]  = c.IpCa;
        I[9]  = c.IpK;
        I[10] = c.IbNa;
        I[11] = c.IbCa;
      }

      /// Paper: -52 pA/pF for 1 ms (inward stimulus); our convention is positive = depolarising.
      double default_stimulus_amplitude() const override { return 52.; }
      double default_stimulus_duration() const override { return 1.; }

    private:
      struct Currents
      {
        double INa, IK1, Ito, IKr, IKs, ICaL, INaCa, INaK, IpCa, IpK, IbNa, IbCa;
        double
        total() const
        {
          return INa + IK1 + Ito + IKr + IKs + ICaL + INaCa + INaK + IpCa + IpK + IbNa + IbCa;
        }
      };

      void
      precompute()
      {
        RToF         = R_gas * T_abs / F_c;
        FoRT         = 1. / RToF;
        sqrt_Ko      = std::sqrt(prm_Ko / 5.4);
        Ks_num       = prm_Ko + p_KNa * prm_Nao;
        Nao3         = prm_Nao * prm_Nao * prm_Nao;
        NaCa_den     = 1. / ((Km_Nai * Km_Nai * Km_Nai + Nao3) * (Km_Ca + prm_Cao));
        NaK_Ko       = prm_Ko / (prm_Ko + Km_K);
        cm_over_vcF  = Cm / (V_c * F_c);
        cm_over_2vcF = Cm / (2. * V_c * F_c);
        cm_over_2vssF = Cm / (2. * V_ss * F_c);
        vsr_over_vc  = V_sr / V_c;
        vsr_over_vss = V_sr / V_ss;
        vc_over_vss  = V_c / V_ss;
      }

      void
      compute_currents(const double *y, Currents &c) const
      {
        const double V    = y[iV];
        const double Ki   = y[iKi];
        const double Nai  = y[iNai];
        const double Cai  = y[iCai];
        const double CaSS = y[iCaSS];

        const double E_Na = RToF * std::log(prm_Nao / Nai);
        const double E_K  = RToF * std::log(prm_Ko / Ki);
        const double E_Ks = RToF * std::log(Ks_num / (Ki + p_KNa * Nai));
        const double E_Ca = 0.5 * RToF * std::log(prm_Cao / Cai);

        const double m = y[im];
        c.INa          = g(Channel::INa) * prm_g_Na * m * m * m * y[ih] * y[ij] * (V - E_Na);

        const double dVK  = V - E_K;
        const double a_K1 = 0.1 / (1. + std::exp(0.06 * (dVK - 200.)));
        const double b_K1 =
          (3. * std::exp(0.0002 * (dVK + 100.)) + std::exp(0.1 * (dVK - 10.))) / (1. + std::exp(-0.5 * dVK));
        // sqrt(Ko/5.4) factor as in the published IK1 equation (= 1 at the default Ko).
        c.IK1 = g(Channel::IK1) * prm_g_K1 * sqrt_Ko * a_K1 / (a_K1 + b_K1) * dVK;

        c.Ito = g(Channel::Ito) * prm_g_to * y[ir] * y[is] * dVK;
        c.IKr = g(Channel::IKr) * prm_g_Kr * sqrt_Ko * y[ixr1] * y[ixr2] * dVK;
        c.IKs = g(Channel::IKs) * prm_g_Ks * y[ixs] * y[ixs] * (V - E_Ks);

        // GHK form: G 4 (V-15) F^2/(RT) (0.25 CaSS e^x - Cao)/(e^x - 1), x = 2 (V-15) F/(RT)
        //         = G 2 F x/(e^x - 1) (0.25 CaSS e^x - Cao).
        const double x = 2. * (V - 15.) * FoRT;
        c.ICaL = g(Channel::ICaL) * prm_g_CaL * y[id] * y[i_f] * y[if2] * y[ifCass] * 2. * F_c * x_over_expm1(x) *
                 (0.25 * CaSS * std::exp(x) - prm_Cao);

        const double eg   = std::exp(gamma_NaCa * V * FoRT);
        const double eg1  = std::exp((gamma_NaCa - 1.) * V * FoRT);
        c.INaCa = g(Channel::INCX) * prm_k_NaCa * NaCa_den *
                  (eg * Nai * Nai * Nai * prm_Cao - eg1 * Nao3 * Cai * alpha_NaCa) / (1. + k_sat * eg1);

        c.INaK = g(Channel::INaK) * prm_P_NaK * NaK_Ko * Nai / (Nai + Km_Na) /
                 (1. + 0.1245 * std::exp(-0.1 * V * FoRT) + 0.0353 * std::exp(-V * FoRT));

        c.IpCa = g(Channel::IpCa) * prm_g_pCa * Cai / (K_pCa + Cai);
        c.IpK  = g(Channel::IpK) * prm_g_pK * dVK / (1. + std::exp((25. - V) / 5.98));
        c.IbNa = g(Channel::IbNa) * prm_g_bNa * (V - E_Na);
        c.IbCa = g(Channel::IbCa) * prm_g_bCa * (V - E_Ca);
      }

      CellType prm_cell_type   = CellType::epi;
      bool     prm_endo_s_gate = false;
      double   prm_g_Na = G_Na_pub, prm_g_K1 = G_K1_pub, prm_g_to = G_to_epiM, prm_g_Kr = G_Kr_pub,
             prm_g_Ks = G_Ks_epien, prm_g_CaL = G_CaL_pub, prm_k_NaCa = k_NaCa_pub, prm_P_NaK = P_NaK_pub,
             prm_g_pCa = G_pCa_pub, prm_g_pK = G_pK_pub, prm_g_bNa = G_bNa_pub, prm_g_bCa = G_bCa_pub;
      double prm_Ko = 5.4, prm_Nao = 140., prm_Cao = 2.;

      // derived constants, set by precompute()
      double RToF = 0, FoRT = 0, sqrt_Ko = 0, Ks_num = 0, Nao3 = 0, NaCa_den = 0, NaK_Ko = 0, cm_over_vcF = 0,
             cm_over_2vcF = 0, cm_over_2vssF = 0, vsr_over_vc = 0, vsr_over_vss = 0, vc_over_vss = 0;
    };
  } // namespace

  OT_REGISTER(IonicModel, "TTP06", TTP06,
              "ten Tusscher & Panfilov 2006 human ventricular model (endo, M, epi), doi 10.1152/ajpheart.00109.2006")
} // namespace organtwin::ionic
