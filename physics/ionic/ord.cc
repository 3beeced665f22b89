// O'Hara-Rudy 2011 human ventricular myocyte model ("ORd") and the FDA CiPA
// variant with dynamic hERG binding ("CiPAORdv1").
//
//   T. O'Hara, L. Virag, A. Varro, Y. Rudy, "Simulation of the undiseased human
//   cardiac ventricular action potential: model formulation and experimental
//   validation", PLoS Comput Biol 7:e1002061 (2011), doi 10.1371/journal.pcbi.1002061
//   (equations: its Supplement S1).
//
//   CiPAORdv1.0 = ORd endocardial cell with
//   - IKr replaced by the dynamic hERG Markov model with drug binding and trapping of
//     Z. Li et al., Circ Arrhythm Electrophysiol 10:e004628 (2017),
//     doi 10.1161/CIRCEP.116.004628;
//   - the conductance rescaling of S. Dutta et al., Front Physiol 8:616 (2017),
//     doi 10.3389/fphys.2017.00616: GKr x 1.114/1.1, GNaL x 2.661, GKs x 1.870,
//     GK1 x 1.698, PCa (and PCaNa, PCaK, PCap) x 1.007;
//   as used in Z. Li et al., Clin Pharmacol Ther 105:466 (2019),
//   doi 10.1002/cpt.1184. The numbers are listed in ../shared/data/cipa/README.md.
//
// Written from the published equations. Units: ms, mV, mM; currents in uA/uF.
//
// Implementation notes
//  - Rush-Larsen: Hodgkin-Huxley gates are gates, and so are the linear first-order
//    states nca, Jrel_np, Jrel_p (y_inf, tau frozen over a step). The hERG Markov
//    states are non-gates whose explicit update the Rush-Larsen schemes replace by a
//    Crank-Nicolson step of the whole chain (advance_linear_states): a diagonal
//    "generalised Rush-Larsen" update drifts (total probability 2.2 after 4 beats),
//    because the fast C1 <-> IC1 exchange (up to ~300/ms at +40 mV) is strongly coupled.
//  - The stimulus is carried by K+ (add_applied_current), as in the paper.
//  - GHK currents are written with x/expm1(x) so that V = 0 is regular.

#include <physics/ionic/ionic_model.h>
#include <physics/ionic/ord_transporters.h>
#include <solvers/common/parameters.h>

#include <array>
#include <cmath>

namespace organtwin::ionic
{
  namespace
  {
    // ----- state indices (common part) ----------------------------------------------
    enum S : unsigned int
    {
      iv,
      inai,
      inass,
      iki,
      ikss,
      icai,
      icass,
      icansr,
      icajsr,
      im,
      ihf,
      ihs,
      ij,
      ihsp,
      ijp,
      imL,
      ihL,
      ihLp,
      ia,
      iiF,
      iiS,
      iap,
      iiFp,
      iiSp,
      id,
      iff,
      ifs,
      ifcaf,
      ifcas,
      ijca,
      inca,
      iffp,
      ifcafp,
      ixs1,
      ixs2,
      ixk1,
      iJrelnp,
      iJrelp,
      iCaMKt,
      n_common // IKr states follow
    };
    // ORd IKr: 2 gates
    enum : unsigned int
    {
      ixrf = n_common,
      ixrs,
      n_ord
    };
    // CiPA dynamic hERG: 9 Markov states
    enum : unsigned int
    {
      iC1 = n_common,
      iC2,
      iO,
      iIC1,
      iIC2,
      iIO,
      iCbound,
      iObound,
      iIObound,
      n_cipa
    };

    enum class CellType
    {
      endo,
      M,
      epi
    };

    // ----- physical constants and cell geometry (O'Hara et al. 2011, Supplement) ------
    constexpr double R_gas = 8314.0; // [mJ/(mol K)]
    constexpr double T_abs = 310.0;  // [K]
    constexpr double F_c   = 96485.; // [C/mol]
    constexpr double pi_c  = 3.14;   // value used in the published geometry
    constexpr double L_cell = 0.01;    // [cm]
    constexpr double r_cell = 0.0011;  // [cm]
    constexpr double vcell  = 1000. * pi_c * r_cell * r_cell * L_cell; // [uL]
    constexpr double Ageo   = 2. * pi_c * r_cell * r_cell + 2. * pi_c * r_cell * L_cell; // [cm^2]
    constexpr double Acap   = 2. * Ageo;      // [cm^2]
    constexpr double vmyo   = 0.68 * vcell;   // [uL]
    constexpr double vnsr   = 0.0552 * vcell; // [uL]
    constexpr double vjsr   = 0.0048 * vcell; // [uL]
    constexpr double vss    = 0.02 * vcell;   // [uL]

    // CaMK
    constexpr double KmCaMK = 0.15, aCaMK = 0.05, bCaMK = 0.00068, CaMKo = 0.05, KmCaM = 0.0015;

    // Published maximal conductances (endo)
    constexpr double GNa_pub = 75., GNaL_pub = 0.0075, Gto_pub = 0.02, PCa_pub = 1e-4, GKr_pub = 0.046,
                     GKs_pub = 0.0034, GK1_pub = 0.1908, Gncx_pub = 0.0008, Pnak_pub = 30., GKb_pub = 0.003,
                     PNab_pub = 3.75e-10, PCab_pub = 2.5e-8, GpCa_pub = 0.0005;

    // CiPAORdv1.0 multipliers (Dutta et al. 2017; see file header)
    constexpr double cipa_GKr = 1.114 / 1.1, cipa_GNaL = 2.661, cipa_GKs = 1.870, cipa_GK1 = 1.698,
                     cipa_PCa = 1.007;

    // Dynamic hERG rates k = A exp(B V) q^((T-20)/10), T = 37 C (Li et al. 2017)
    struct Rate
    {
      double A, B, q;
    };
    enum HergRate : unsigned int
    {
      C1C2,
      C2C1,
      C2O,
      OC2,
      IC1IC2,
      IC2IC1,
      IC2IO,
      IOIC2,
      C1IC1,
      IC1C1,
      C2IC2,
      IC2C2,
      OIO,
      IOO,
      n_herg_rates
    };
    constexpr Rate herg_rates[n_herg_rates] = {
      {0.0264, 4.631e-05, 4.843},   {4.986e-06, -0.004226, 4.23}, {0.005509, 7.771e-09, 4.22},
      {0.001416, -0.02877, 1.459},  {0.0007868, 1.535e-08, 4.942}, {5.455e-06, -0.1688, 4.156},
      {0.001214, 0.008516, 4.962},  {1.854e-05, -0.04641, 3.769}, {0.4492, 0.008595, 5.},
      {0.01241, 0.1725, 5.568},     {0.3181, 3.613e-08, 4.663},   {0.3226, -0.0006575, 5.},
      {0.149, 0.004668, 2.412},     {0.008978, -0.02215, 5.682}};
    constexpr double herg_Kt = 3.5e-5; // [1/ms] trapping rate, the same for every drug

    inline double
    x_over_expm1(double x)
    {
      return std::abs(x) < 1e-6 ? 1. - 0.5 * x : x / std::expm1(x);
    }

    // ----- initial states -------------------------------------------------------------
    // CiPAORdv1.0 control steady state at CL = 2000 ms (FDA newordherg_states_CL2000,
    // listed in ../shared/data/cipa/README.md).
    constexpr double y0_cipa[n_cipa] = {
      -88.0145, 6.46961, 6.46967, 145.501, 145.501, 7.45321e-05, 7.30454e-05, 1.37897, 1.37944,
      0.00733485, 0.698542, 0.698542, 0.698542, 0.455526, 0.698541, 0.000187813, 0.513396, 0.307923,
      0.00100025, 0.999555, 0.871715, 0.000509652, 0.999555, 0.905466, 2.33382e-09, 1., 0.971897, 1., 1., 1.,
      0.0015391, 1., 1., 0.130941, 0.000192517, 0.996756, 1.46507e-07, 1.83132e-07, 0.00325232,
      // C1, C2, O, IC1, IC2, IO, Cbound, Obound, IObound
      1.80145e-08, 8.26619e-05, 0.00015551, 0.999637, 6.83208e-05, 5.67623e-05, 0., 0., 0.};

    // ORd steady states at CL = 1000 ms: computed with this implementation by pacing
    // 1000 beats (CVODE, rtol 1e-8) from the published initial values; see
    // validation/ord_single_cell/README.md. Filled in ord_initial_states.h.
#include "ord_initial_states.h"

    class Ord : public IonicModel
    {
    public:
      explicit Ord(bool dynamic_herg)
        : cipa(dynamic_herg)
      {
        set_cell_type(CellType::endo);
      }

      static void
      declare_common(dealii::ParameterHandler &prm)
      {
        using dealii::Patterns::Double;
        const std::string src = " (O'Hara et al. 2011)";
        prm.declare_entry("Ko", "5.4", Double(1e-6, 1000.), "[mM] extracellular K+" + src);
        prm.declare_entry("Nao", "140.0", Double(1e-6, 1000.), "[mM] extracellular Na+" + src);
        prm.declare_entry("Cao", "1.8", Double(1e-6, 1000.), "[mM] extracellular Ca2+" + src);
      }

      std::string name() const override { return cipa ? "CiPAORdv1" : "ORd"; }

      void
      parse_common(dealii::ParameterHandler &prm)
      {
        prm_Ko  = prm.get_double("Ko");
        prm_Nao = prm.get_double("Nao");
        prm_Cao = prm.get_double("Cao");
      }

      unsigned int n_states() const override { return cipa ? static_cast<unsigned int>(n_cipa) : static_cast<unsigned int>(n_ord); }

      std::vector<StateInfo>
      state_info() const override
      {
        std::vector<StateInfo> s = {
          {"V", "mV", false},     {"Na_i", "mM", false},  {"Na_ss", "mM", false},  {"K_i", "mM", false},
          {"K_ss", "mM", false},  {"Ca_i", "mM", false},  {"Ca_ss", "mM", false},  {"Ca_nsr", "mM", false},
          {"Ca_jsr", "mM", false}, {"m", "1", true},      {"hf", "1", true},       {"hs", "1", true},
          {"j", "1", true},       {"hsp", "1", true},     {"jp", "1", true},       {"mL", "1", true},
          {"hL", "1", true},      {"hLp", "1", true},     {"a", "1", true},        {"iF", "1", true},
          {"iS", "1", true},      {"ap", "1", true},      {"iFp", "1", true},      {"iSp", "1", true},
          {"d", "1", true},       {"ff", "1", true},      {"fs", "1", true},       {"fcaf", "1", true},
          {"fcas", "1", true},    {"jca", "1", true},     {"nca", "1", true},      {"ffp", "1", true},
          {"fcafp", "1", true},   {"xs1", "1", true},     {"xs2", "1", true},      {"xk1", "1", true},
          {"Jrel_np", "mM/ms", true}, {"Jrel_p", "mM/ms", true}, {"CaMK_t", "mM", false}};
        if (cipa)
          for (const char *n : {"C1", "C2", "O", "IC1", "IC2", "IO", "Cbound", "Obound", "IObound"})
            s.push_back({n, "1", false}); // advanced by advance_linear_states (Crank-Nicolson)
        else
          {
            s.push_back({"xrf", "1", true});
            s.push_back({"xrs", "1", true});
          }
        return s;
      }

      void
      initial_state(double *y) const override
      {
        if (cipa)
          for (unsigned int i = 0; i < n_cipa; ++i)
            y[i] = y0_cipa[i];
        else
          {
            const double *y0 = cell == CellType::endo ? y0_ord_endo : cell == CellType::M ? y0_ord_M : y0_ord_epi;
            for (unsigned int i = 0; i < n_ord; ++i)
              y[i] = y0[i];
          }
      }

      bool has_dynamic_herg() const override { return cipa; }

      void
      set_herg_binding(const HergBinding &b) override
      {
        if (!cipa)
          IonicModel::set_herg_binding(b);
        if (!(b.Kmax >= 0. && b.Ku_per_ms >= 0. && b.n > 0. && b.halfmax_nM_pow_n > 0. && b.conc_nM >= 0.))
          throw std::invalid_argument("CiPAORdv1: hERG binding parameters must satisfy Kmax >= 0, Ku >= 0, n > 0, "
                                      "halfmax > 0 and concentration >= 0");
        herg = b;
      }
      HergBinding herg_binding() const override { return herg; }

      void
      rhs(const double *y, double *dydt, double *y_inf, double *tau) const override
      {
        Currents c;
        compute(y, c, dydt, y_inf, tau);
      }

      void
      add_applied_current(const double *, double I_app, double *dydt) const override
      {
        // I_stim = -I_app is carried by K+ (O'Hara et al. 2011, dK_i/dt).
        dydt[iv] += I_app;
        dydt[iki] += I_app * Acap / (F_c * vmyo);
      }

      std::vector<std::string>
      current_names() const override
      {
        return {"INa", "INaL", "Ito", "ICaL", "ICaNa", "ICaK", "IKr", "IKs", "IK1", "INaCa_i", "INaCa_ss", "INaK",
                "INab", "IKb", "IpCa", "ICab"};
      }

      void
      currents(const double *y, double *I) const override
      {
        Currents c;
        // scratch for the rates compute() also fills (n_cipa >= n_ord states); on the stack,
        // because qNet calls this at every step of a recorded beat
        double d[n_cipa], yi[n_cipa], t[n_cipa];
        compute(y, c, d, yi, t);
        const double v[] = {c.INa,  c.INaL,    c.Ito,      c.ICaL, c.ICaNa, c.ICaK, c.IKr, c.IKs,
                            c.IK1,  c.INaCa_i, c.INaCa_ss, c.INaK, c.INab,  c.IKb,  c.IpCa, c.ICab};
        for (unsigned int k = 0; k < 16; ++k)
          I[k] = v[k];
      }

      double default_stimulus_amplitude() const override { return 80.; }
      double default_stimulus_duration() const override { return 0.5; }

    protected:
      void
      set_cell_type(CellType t)
      {
        cell = t;
        const bool e = t == CellType::epi, m = t == CellType::M;
        GNaL   = GNaL_pub * (e ? 0.6 : 1.) * (cipa ? cipa_GNaL : 1.);
        Gto    = Gto_pub * (e || m ? 4. : 1.);
        PCa    = PCa_pub * (e ? 1.2 : m ? 2.5 : 1.) * (cipa ? cipa_PCa : 1.);
        GKr    = GKr_pub * (e ? 1.3 : m ? 0.8 : 1.) * (cipa ? cipa_GKr : 1.);
        GKs    = GKs_pub * (e ? 1.4 : 1.) * (cipa ? cipa_GKs : 1.);
        GK1    = GK1_pub * (e ? 1.2 : m ? 1.3 : 1.) * (cipa ? cipa_GK1 : 1.);
        Gncx   = Gncx_pub * (e ? 1.1 : m ? 1.4 : 1.);
        Pnak   = Pnak_pub * (e ? 0.9 : m ? 0.7 : 1.);
        GKb    = GKb_pub * (e ? 0.6 : 1.);
        rel_M  = m ? 1.7 : 1.;
        up_epi = e ? 1.3 : 1.;
        cmdnmax = 0.05 * (e ? 1.3 : 1.);
      }

      bool        cipa;
      CellType    cell = CellType::endo;
      HergBinding herg;
      double      prm_Ko = 5.4, prm_Nao = 140., prm_Cao = 1.8;
      double GNaL = 0, Gto = 0, PCa = 0, GKr = 0, GKs = 0, GK1 = 0, Gncx = 0, Pnak = 0, GKb = 0, rel_M = 1,
             up_epi = 1, cmdnmax = 0.05;

    private:
      struct Currents
      {
        double INa, INaL, Ito, ICaL, ICaNa, ICaK, IKr, IKs, IK1, INaCa_i, INaCa_ss, INaK, INab, IKb, IpCa, ICab;
      };

      /// Prefactors A q^((37-20)/10) of the hERG rates, computed once.
      static const std::array<double, n_herg_rates> &
      herg_prefactors()
      {
        static const std::array<double, n_herg_rates> p = [] {
          std::array<double, n_herg_rates> a{};
          for (unsigned int k = 0; k < n_herg_rates; ++k)
            a[k] = herg_rates[k].A * std::pow(herg_rates[k].q, (37. - 20.) / 10.);
          return a;
        }();
        return p;
      }

      static constexpr unsigned int n_herg = n_cipa - n_common;

      /// Generator Q(V) of the 9-state hERG chain (C1, C2, O, IC1, IC2, IO, Cbound,
      /// Obound, IObound): dP/dt = Q P, columns sum to zero (probability conserved).
      void
      herg_matrix(double v, double (&Q)[n_herg][n_herg]) const
      {
        const auto &pre = herg_prefactors();
        double      k[n_herg_rates];
        for (unsigned int r = 0; r < n_herg_rates; ++r)
          k[r] = pre[r] * std::exp(herg_rates[r].B * v);
        const double Dn    = herg.conc_nM > 0. ? std::pow(herg.conc_nM, herg.n) : 0.;
        const double kon   = herg.Kmax * herg.Ku_per_ms * Dn / (Dn + herg.halfmax_nM_pow_n);
        const double Ku    = herg.Ku_per_ms;
        const double KuIO  = Ku * k[OIO] / k[IOO];
        const double Kt    = herg.Kmax > 0. ? herg_Kt : 0.;
        const double ktrap = Kt / (1. + std::exp(-(v - herg.Vhalf_mV) / 6.789));
        for (auto &row : Q)
          for (double &q : row)
            q = 0.;
        enum : unsigned int
        {
          C1,
          C2,
          O,
          IC1,
          IC2,
          IO,
          Cb,
          Ob,
          IOb
        };
        auto tr = [&](unsigned int from, unsigned int to, double rate) {
          Q[to][from] += rate;
          Q[from][from] -= rate;
        };
        tr(C1, C2, k[C1C2]);
        tr(C2, C1, k[C2C1]);
        tr(C2, O, k[C2O]);
        tr(O, C2, k[OC2]);
        tr(IC1, IC2, k[IC1IC2]);
        tr(IC2, IC1, k[IC2IC1]);
        tr(IC2, IO, k[IC2IO]);
        tr(IO, IC2, k[IOIC2]);
        tr(C1, IC1, k[C1IC1]);
        tr(IC1, C1, k[IC1C1]);
        tr(C2, IC2, k[C2IC2]);
        tr(IC2, C2, k[IC2C2]);
        tr(O, IO, k[OIO]);
        tr(IO, O, k[IOO]);
        // drug binding, unbinding, trapping (Li et al. 2017)
        tr(O, Ob, kon);
        tr(IO, IOb, kon);
        tr(Ob, O, Ku);
        tr(IOb, IO, KuIO);
        tr(Cb, Ob, ktrap);
        tr(Cb, IOb, ktrap);
        tr(Ob, Cb, Kt);
        tr(IOb, Cb, Kt);
      }

    public:
      /// Crank-Nicolson step of the hERG chain with Q frozen at V = y_rates[0]:
      /// (I - dt/2 Q) P1 = (I + dt/2 Q) P0. A-stable for the fast inactivation rates,
      /// second order, and it conserves total probability exactly (columns of Q sum
      /// to zero).
      void
      advance_linear_states(const double *y_rates, double dt, const double *y0, double *y1) const override
      {
        if (!cipa)
          return;
        double Q[n_herg][n_herg];
        herg_matrix(y_rates[iv], Q);
        double M[n_herg][n_herg + 1];
        for (unsigned int r = 0; r < n_herg; ++r)
          {
            double b = y0[iC1 + r];
            for (unsigned int q = 0; q < n_herg; ++q)
              {
                b += 0.5 * dt * Q[r][q] * y0[iC1 + q];
                M[r][q] = (r == q ? 1. : 0.) - 0.5 * dt * Q[r][q];
              }
            M[r][n_herg] = b;
          }
        // Gaussian elimination with partial pivoting (the matrix is an M-matrix,
        // column diagonally dominant; pivoting only guards against round-off)
        for (unsigned int c = 0; c < n_herg; ++c)
          {
            unsigned int p = c;
            for (unsigned int r = c + 1; r < n_herg; ++r)
              if (std::abs(M[r][c]) > std::abs(M[p][c]))
                p = r;
            if (p != c)
              for (unsigned int q = c; q <= n_herg; ++q)
                std::swap(M[c][q], M[p][q]);
            for (unsigned int r = c + 1; r < n_herg; ++r)
              {
                const double f = M[r][c] / M[c][c];
                for (unsigned int q = c; q <= n_herg; ++q)
                  M[r][q] -= f * M[c][q];
              }
          }
        for (int r = n_herg - 1; r >= 0; --r)
          {
            double b = M[r][n_herg];
            for (unsigned int q = r + 1; q < n_herg; ++q)
              b -= M[r][q] * y1[iC1 + q];
            y1[iC1 + r] = b / M[r][r];
          }
      }

    private:
      double
      ncx_flux(double V, double na, double ca) const
      {
        return ord::ncx_flux(V, na, ca, prm_Nao, prm_Cao, F_c / (R_gas * T_abs));
      }

      void
      compute(const double *y, Currents &c, double *dy, double *yinf, double *tau) const
      {
        const double v = y[iv], nai = y[inai], nass = y[inass], ki = y[iki], kss = y[ikss], cai = y[icai],
                     cass = y[icass], cansr = y[icansr], cajsr = y[icajsr];
        const double RToF = R_gas * T_abs / F_c;
        const double vfrt = v / RToF;

        // CaMK
        const double CaMKb = CaMKo * (1. - y[iCaMKt]) / (1. + KmCaM / cass);
        const double CaMKa = CaMKb + y[iCaMKt];
        dy[iCaMKt]         = aCaMK * CaMKb * (CaMKb + y[iCaMKt]) - bCaMK * y[iCaMKt];
        const double fp    = 1. / (1. + KmCaMK / CaMKa); // phosphorylated fraction (all targets)

        // reversal potentials
        const double ENa  = RToF * std::log(prm_Nao / nai);
        const double EK   = RToF * std::log(prm_Ko / ki);
        const double PKNa = 0.01833;
        const double EKs  = RToF * std::log((prm_Ko + PKNa * prm_Nao) / (ki + PKNa * nai));

        auto gate = [&](unsigned int i, double inf, double t) {
          yinf[i] = inf;
          tau[i]  = t;
          dy[i]   = (inf - y[i]) / t;
        };

        // ---- INa ----
        const double mss = 1. / (1. + std::exp(-(v + 39.57) / 9.871));
        const double tm  = 1. / (6.765 * std::exp((v + 11.64) / 34.77) + 8.552 * std::exp(-(v + 77.42) / 5.955));
        gate(im, mss, tm);
        const double hss = 1. / (1. + std::exp((v + 82.90) / 6.086));
        const double thf =
          1. / (1.432e-5 * std::exp(-(v + 1.196) / 6.285) + 6.149 * std::exp((v + 0.5096) / 20.27));
        const double ths =
          1. / (0.009794 * std::exp(-(v + 17.95) / 28.05) + 0.3343 * std::exp((v + 5.730) / 56.66));
        gate(ihf, hss, thf);
        gate(ihs, hss, ths);
        const double tj = 2.038 + 1. / (0.02136 * std::exp(-(v + 100.6) / 8.281) + 0.3052 * std::exp((v + 0.9941) / 38.45));
        gate(ij, hss, tj);
        const double hssp = 1. / (1. + std::exp((v + 89.1) / 6.086));
        gate(ihsp, hssp, 3. * ths);
        gate(ijp, hss, 1.46 * tj);
        const double Ahf = 0.99, Ahs = 0.01;
        const double h   = Ahf * y[ihf] + Ahs * y[ihs];
        const double hp  = Ahf * y[ihf] + Ahs * y[ihsp];
        const double m3  = y[im] * y[im] * y[im];
        c.INa = g(Channel::INa) * GNa_pub * (v - ENa) * m3 * ((1. - fp) * h * y[ij] + fp * hp * y[ijp]);

        // ---- INaL ----
        gate(imL, 1. / (1. + std::exp(-(v + 42.85) / 5.264)), tm);
        gate(ihL, 1. / (1. + std::exp((v + 87.61) / 7.488)), 200.);
        gate(ihLp, 1. / (1. + std::exp((v + 93.81) / 7.488)), 600.);
        c.INaL = g(Channel::INaL) * GNaL * (v - ENa) * y[imL] * ((1. - fp) * y[ihL] + fp * y[ihLp]);

        // ---- Ito ----
        const double ass = 1. / (1. + std::exp(-(v - 14.34) / 14.82));
        const double ta  = 1.0515 / (1. / (1.2089 * (1. + std::exp(-(v - 18.4099) / 29.3814))) +
                                    3.5 / (1. + std::exp((v + 100.) / 29.3814)));
        gate(ia, ass, ta);
        const double iss       = 1. / (1. + std::exp((v + 43.94) / 5.711));
        const double delta_epi = cell == CellType::epi ? 1. - 0.95 / (1. + std::exp((v + 70.) / 5.)) : 1.;
        const double tiF =
          delta_epi * (4.562 + 1. / (0.3933 * std::exp(-(v + 100.) / 100.) + 0.08004 * std::exp((v + 50.) / 16.59)));
        const double tiS = delta_epi * (23.62 + 1. / (0.001416 * std::exp(-(v + 96.52) / 59.05) +
                                                      1.780e-8 * std::exp((v + 114.1) / 8.079)));
        gate(iiF, iss, tiF);
        gate(iiS, iss, tiS);
        const double AiF  = 1. / (1. + std::exp((v - 213.6) / 151.2));
        const double AiS  = 1. - AiF;
        const double assp = 1. / (1. + std::exp(-(v - 24.34) / 14.82));
        gate(iap, assp, ta);
        const double dti_develop = 1.354 + 1e-4 / (std::exp((v - 167.4) / 15.89) + std::exp(-(v - 12.23) / 0.2154));
        const double dti_recover = 1. - 0.5 / (1. + std::exp((v + 70.) / 20.));
        gate(iiFp, iss, dti_develop * dti_recover * tiF);
        gate(iiSp, iss, dti_develop * dti_recover * tiS);
        const double ii  = AiF * y[iiF] + AiS * y[iiS];
        const double iip = AiF * y[iiFp] + AiS * y[iiSp];
        c.Ito = g(Channel::Ito) * Gto * (v - EK) * ((1. - fp) * y[ia] * ii + fp * y[iap] * iip);

        // ---- ICaL, ICaNa, ICaK ----
        const double dss = 1. / (1. + std::exp(-(v + 3.940) / 4.230));
        const double td  = 0.6 + 1. / (std::exp(-0.05 * (v + 6.)) + std::exp(0.09 * (v + 14.)));
        gate(id, dss, td);
        const double fss = 1. / (1. + std::exp((v + 19.58) / 3.696));
        const double tff = 7. + 1. / (0.0045 * std::exp(-(v + 20.) / 10.) + 0.0045 * std::exp((v + 20.) / 10.));
        const double tfs = 1000. + 1. / (0.000035 * std::exp(-(v + 5.) / 4.) + 0.000035 * std::exp((v + 5.) / 6.));
        gate(iff, fss, tff);
        gate(ifs, fss, tfs);
        const double Aff = 0.6, Afs = 0.4;
        const double f   = Aff * y[iff] + Afs * y[ifs];
        const double tfcaf = 7. + 1. / (0.04 * std::exp(-(v - 4.) / 7.) + 0.04 * std::exp((v - 4.) / 7.));
        const double tfcas = 100. + 1. / (0.00012 * std::exp(-v / 3.) + 0.00012 * std::exp(v / 7.));
        gate(ifcaf, fss, tfcaf);
        gate(ifcas, fss, tfcas);
        const double Afcaf = 0.3 + 0.6 / (1. + std::exp((v - 10.) / 10.));
        const double Afcas = 1. - Afcaf;
        const double fca   = Afcaf * y[ifcaf] + Afcas * y[ifcas];
        gate(ijca, fss, 75.);
        gate(iffp, fss, 2.5 * tff);
        const double fpp = Aff * y[iffp] + Afs * y[ifs];
        gate(ifcafp, fss, 2.5 * tfcaf);
        const double fcap = Afcaf * y[ifcafp] + Afcas * y[ifcas];
        // nca: dnca/dt = anca k2n - nca km2n, linear in nca
        {
          const double Kmn = 0.002, k2n = 1000.;
          const double km2n = y[ijca] * 1.;
          const double q    = 1. + Kmn / cass;
          const double anca = 1. / (k2n / km2n + q * q * q * q);
          // km2n -> 0 (jca -> 0) never happens in practice; guard against division by zero
          const double kk = std::max(km2n, 1e-12);
          gate(inca, anca * k2n / kk, 1. / kk);
        }
        const double x2     = 2. * vfrt;
        const double PhiCaL = 2. * F_c * x_over_expm1(x2) * (cass * std::exp(x2) - 0.341 * prm_Cao);
        const double xe     = x_over_expm1(vfrt);
        const double ev     = std::exp(vfrt);
        const double PhiCaNa = F_c * xe * (0.75 * nass * ev - 0.75 * prm_Nao);
        const double PhiCaK  = F_c * xe * (0.75 * kss * ev - 0.75 * prm_Ko);
        const double gCaL    = g(Channel::ICaL);
        const double PCa_    = gCaL * PCa;
        const double PCap    = 1.1 * PCa_;
        const double open_np = y[id] * (f * (1. - y[inca]) + y[ijca] * fca * y[inca]);
        const double open_p  = y[id] * (fpp * (1. - y[inca]) + y[ijca] * fcap * y[inca]);
        c.ICaL  = (1. - fp) * PCa_ * PhiCaL * open_np + fp * PCap * PhiCaL * open_p;
        c.ICaNa = 0.00125 * ((1. - fp) * PCa_ * PhiCaNa * open_np + fp * PCap * PhiCaNa * open_p);
        c.ICaK  = 3.574e-4 * ((1. - fp) * PCa_ * PhiCaK * open_np + fp * PCap * PhiCaK * open_p);

        // ---- IKr ----
        if (!cipa)
          {
            const double xrss = 1. / (1. + std::exp(-(v + 8.337) / 6.789));
            const double txrf =
              12.98 + 1. / (0.3652 * std::exp((v - 31.66) / 3.869) + 4.123e-5 * std::exp(-(v - 47.78) / 20.38));
            const double txrs =
              1.865 + 1. / (0.06629 * std::exp((v - 34.70) / 7.355) + 1.128e-5 * std::exp(-(v - 29.74) / 25.94));
            gate(ixrf, xrss, txrf);
            gate(ixrs, xrss, txrs);
            const double Axrf = 1. / (1. + std::exp((v + 54.81) / 38.21));
            const double xr   = Axrf * y[ixrf] + (1. - Axrf) * y[ixrs];
            const double rkr  = 1. / (1. + std::exp((v + 55.) / 75.)) * 1. / (1. + std::exp((v - 10.) / 30.));
            c.IKr = g(Channel::IKr) * GKr * std::sqrt(prm_Ko / 5.4) * xr * rkr * (v - EK);
          }
        else
          {
            // Markov chain dP/dt = Q(V) P: non-gate states; the Rush-Larsen schemes overwrite
            // their explicit update by advance_linear_states (Crank-Nicolson).
            double Q[n_herg][n_herg];
            herg_matrix(v, Q);
            for (unsigned int r = 0; r < n_herg; ++r)
              {
                double d = 0.;
                for (unsigned int q = 0; q < n_herg; ++q)
                  d += Q[r][q] * y[iC1 + q];
                dy[iC1 + r] = d;
              }
            const double O = y[iO];
            c.IKr = g(Channel::IKr) * GKr * std::sqrt(prm_Ko / 5.4) * O * (v - EK);
          }

        // ---- IKs ----
        const double xs1ss = 1. / (1. + std::exp(-(v + 11.60) / 8.932));
        const double txs1 =
          817.3 + 1. / (2.326e-4 * std::exp((v + 48.28) / 17.80) + 0.001292 * std::exp(-(v + 210.) / 230.));
        gate(ixs1, xs1ss, txs1);
        const double txs2 = 1. / (0.01 * std::exp((v - 50.) / 20.) + 0.0193 * std::exp(-(v + 66.54) / 31.));
        gate(ixs2, xs1ss, txs2);
        const double KsCa = 1. + 0.6 / (1. + std::pow(3.8e-5 / cai, 1.4));
        c.IKs = g(Channel::IKs) * GKs * KsCa * y[ixs1] * y[ixs2] * (v - EKs);

        // ---- IK1 ----
        const double xk1ss = 1. / (1. + std::exp(-(v + 2.5538 * prm_Ko + 144.59) / (1.5692 * prm_Ko + 3.8115)));
        const double txk1  = 122.2 / (std::exp(-(v + 127.2) / 20.36) + std::exp((v + 236.8) / 69.33));
        gate(ixk1, xk1ss, txk1);
        const double rk1 = 1. / (1. + std::exp((v + 105.8 - 2.6 * prm_Ko) / 9.493));
        c.IK1 = g(Channel::IK1) * GK1 * std::sqrt(prm_Ko) * rk1 * y[ixk1] * (v - EK);

        // ---- INaCa ----
        const double KmCaAct = 150e-6;
        const double gncx    = g(Channel::INCX) * Gncx;
        const double allo_i  = 1. / (1. + (KmCaAct / cai) * (KmCaAct / cai));
        const double allo_ss = 1. / (1. + (KmCaAct / cass) * (KmCaAct / cass));
        c.INaCa_i  = 0.8 * gncx * allo_i * ncx_flux(v, nai, cai);
        c.INaCa_ss = 0.2 * gncx * allo_ss * ncx_flux(v, nass, cass);

        // ---- INaK ----
        c.INaK = g(Channel::INaK) * Pnak * ord::nak_flux(vfrt, nai, ki, prm_Nao, prm_Ko);

        // ---- background and pump currents ----
        const double xkb = 1. / (1. + std::exp(-(v - 14.48) / 18.34));
        c.IKb  = GKb * xkb * (v - EK);
        c.INab = g(Channel::IbNa) * PNab_pub * F_c * xe * (nai * ev - prm_Nao);
        c.ICab = g(Channel::IbCa) * PCab_pub * 2. * F_c * x_over_expm1(x2) * (cai * std::exp(x2) - 0.341 * prm_Cao);
        c.IpCa = g(Channel::IpCa) * GpCa_pub * cai / (0.0005 + cai);

        // ---- membrane potential ----
        dy[iv] = -(c.INa + c.INaL + c.Ito + c.ICaL + c.ICaNa + c.ICaK + c.IKr + c.IKs + c.IK1 + c.INaCa_i +
                   c.INaCa_ss + c.INaK + c.INab + c.IKb + c.IpCa + c.ICab);

        // ---- fluxes ----
        const double JdiffNa = (nass - nai) / 2.;
        const double JdiffK  = (kss - ki) / 2.;
        const double Jdiff   = (cass - cai) / 0.2;

        const double bt = 4.75, a_rel = 0.5 * bt, btp = 1.25 * bt, a_relp = 0.5 * btp;
        const double c8        = std::pow(1.5 / cajsr, 8.);
        const double Jrel_inf  = rel_M * a_rel * (-c.ICaL) / (1. + c8);
        const double Jrel_infp = rel_M * a_relp * (-c.ICaL) / (1. + c8);
        const double tau_rel   = std::max(bt / (1. + 0.0123 / cajsr), 0.001);
        const double tau_relp  = std::max(btp / (1. + 0.0123 / cajsr), 0.001);
        gate(iJrelnp, Jrel_inf, tau_rel);
        gate(iJrelp, Jrel_infp, tau_relp);
        const double Jrel = (1. - fp) * y[iJrelnp] + fp * y[iJrelp];

        const double Jupnp = up_epi * 0.004375 * cai / (cai + 0.00092);
        const double Jupp  = up_epi * 2.75 * 0.004375 * cai / (cai + 0.00092 - 0.00017);
        const double Jleak = 0.0039375 * cansr / 15.;
        const double Jup   = (1. - fp) * Jupnp + fp * Jupp - Jleak;
        const double Jtr   = (cansr - cajsr) / 100.;

        // ---- concentrations ----
        const double AF_myo = Acap / (F_c * vmyo), AF_ss = Acap / (F_c * vss);
        dy[inai]  = -(c.INa + c.INaL + 3. * c.INaCa_i + 3. * c.INaK + c.INab) * AF_myo + JdiffNa * vss / vmyo;
        dy[inass] = -(c.ICaNa + 3. * c.INaCa_ss) * AF_ss - JdiffNa;
        dy[iki]   = -(c.Ito + c.IKr + c.IKs + c.IK1 + c.IKb - 2. * c.INaK) * AF_myo + JdiffK * vss / vmyo;
        dy[ikss]  = -c.ICaK * AF_ss - JdiffK;

        constexpr double kmcmdn = 0.00238, trpnmax = 0.07, kmtrpn = 0.0005, BSRmax = 0.047, KmBSR = 0.00087,
                         BSLmax = 1.124, KmBSL = 0.0087, csqnmax = 10., kmcsqn = 0.8;
        const double Bcai = 1. / (1. + cmdnmax * kmcmdn / ((kmcmdn + cai) * (kmcmdn + cai)) +
                                  trpnmax * kmtrpn / ((kmtrpn + cai) * (kmtrpn + cai)));
        dy[icai] = Bcai * (-(c.IpCa + c.ICab - 2. * c.INaCa_i) * AF_myo / 2. - Jup * vnsr / vmyo + Jdiff * vss / vmyo);
        const double Bcass = 1. / (1. + BSRmax * KmBSR / ((KmBSR + cass) * (KmBSR + cass)) +
                                   BSLmax * KmBSL / ((KmBSL + cass) * (KmBSL + cass)));
        dy[icass]  = Bcass * (-(c.ICaL - 2. * c.INaCa_ss) * AF_ss / 2. + Jrel * vjsr / vss - Jdiff);
        dy[icansr] = Jup - Jtr * vjsr / vnsr;
        const double Bcajsr = 1. / (1. + csqnmax * kmcsqn / ((kmcsqn + cajsr) * (kmcsqn + cajsr)));
        dy[icajsr] = Bcajsr * (Jtr - Jrel);
      }
    };

    class OrdModel : public Ord
    {
    public:
      OrdModel()
        : Ord(false)
      {}
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Cell type", "endo", dealii::Patterns::Selection("endo|M|epi"),
                          "[-] transmural variant: endo, M (midmyocardial) or epi; sets the conductance factors "
                          "of O'Hara et al. 2011 (GNaL, Gto, PCa, GKr, GKs, GK1, Gncx, Pnak, GKb, Jrel, Jup, CMDN)");
        declare_common(prm);
      }
      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        const std::string ct = prm.get("Cell type");
        set_cell_type(ct == "endo" ? CellType::endo : ct == "M" ? CellType::M : CellType::epi);
        parse_common(prm);
      }
    };

    class CipaOrdModel : public Ord
    {
    public:
      CipaOrdModel()
        : Ord(true)
      {}
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        prm.declare_entry("Cell type", "endo", dealii::Patterns::Selection("endo|M|epi"),
                          "[-] endo is CiPAORdv1.0 as published. M and epi are an OrganTwin extension for "
                          "transmural tissue: the ORd 2011 M/epi factors applied on top of the CiPA rescaling; "
                          "they start from the endo CL-2000 steady state, so pre-pace them");
        declare_common(prm);
        prm.enter_subsection("hERG drug");
        prm.declare_entry("Concentration", "0", dealii::Patterns::Double(0.),
                          "[nM] drug concentration D seen by the dynamic hERG model (0 = control). For "
                          "studies with a drug library use the Drug section of the case instead");
        prm.declare_entry("Kmax", "0", dealii::Patterns::Double(0.), "[-] maximum drug effect (Li et al. 2017)");
        prm.declare_entry("Ku", "0", dealii::Patterns::Double(0.), "[1/ms] unbinding rate (Li et al. 2017)");
        prm.declare_entry("n", "1", dealii::Patterns::Double(0.), "[-] Hill coefficient (Li et al. 2017)");
        prm.declare_entry("halfmax", "1", dealii::Patterns::Double(0.),
                          "[nM^n] half-maximal concentration to the power n (Li et al. 2017)");
        prm.declare_entry("Vhalf", "0", dealii::Patterns::Double(), "[mV] trapping voltage midpoint (Li et al. 2017)");
        prm.leave_subsection();
      }
      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        const std::string ct = prm.get("Cell type");
        set_cell_type(ct == "endo" ? CellType::endo : ct == "M" ? CellType::M : CellType::epi);
        parse_common(prm);
        prm.enter_subsection("hERG drug");
        HergBinding b;
        b.conc_nM          = prm.get_double("Concentration");
        b.Kmax             = prm.get_double("Kmax");
        b.Ku_per_ms        = prm.get_double("Ku");
        b.n                = prm.get_double("n");
        b.halfmax_nM_pow_n = prm.get_double("halfmax");
        b.Vhalf_mV         = prm.get_double("Vhalf");
        prm.leave_subsection();
        input_check(b.n > 0. && b.halfmax_nM_pow_n > 0., "[Ionic model/CiPAORdv1/hERG drug/n|halfmax]",
                    "must be > 0");
        set_herg_binding(b);
      }
    };
  } // namespace

  OT_REGISTER(IonicModel, "ORd", OrdModel,
              "O'Hara-Rudy 2011 human ventricular model (endo, M, epi), doi 10.1371/journal.pcbi.1002061")
  OT_REGISTER(IonicModel, "CiPAORdv1", CipaOrdModel,
              "CiPAORdv1.0: ORd endo with dynamic hERG drug binding (Li et al. 2017/2019, Dutta et al. 2017)")
} // namespace organtwin::ionic
