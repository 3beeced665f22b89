// ToR-ORd human ventricular myocyte model ("ToRORd"):
//   J. Tomek, A. Bueno-Orovio, E. Passini, X. Zhou, A. Minchole, O. Britton, C. Bartolucci,
//   S. Severi, A. Shrier, L. Virag, A. Varro, B. Rodriguez, "Development, calibration, and
//   validation of a novel human ventricular myocyte model in health, disease, and drug block",
//   eLife 8:e48890 (2019), doi 10.7554/eLife.48890 (equations: its Methods and Appendix 1,
//   "ToR-ORd model equations"; the model as released with the paper).
// It is built on the O'Hara-Virag-Varro-Rudy model:
//   T. O'Hara, L. Virag, A. Varro, Y. Rudy, PLoS Comput Biol 7:e1002061 (2011),
//   doi 10.1371/journal.pcbi.1002061 ("ORd"): every formulation not changed by ToR-ORd
//   (INaL, Ito, IKs, INaCa, INaK, IKb, IpCa, SR uptake/transfer, buffering, CaMK) is the ORd one.
// and it takes the INa of E. Grandi, F.S. Pasqualini, D.M. Bers, J Mol Cell Cardiol 48:112 (2010),
// doi 10.1016/j.yjmcc.2009.09.019, with ORd-style CaMK phosphorylation (h_p, j_p).
//
// Written from the published equations; constants are the published ones (cited per block).
// Units: ms, mV, mM; currents in uA/uF; volumes in uL; areas in cm^2.
//
// Differences of ToR-ORd from ORd implemented here (Tomek et al. 2019, Methods):
//  - INa: Grandi 2010 formulation (m^3 h j), G_Na = 11.7802 mS/uF, CaMK-phosphorylated h_p, j_p.
//  - ICaL: 80 % of the channels face the dyadic subspace, 20 % the bulk myoplasm (two
//    copies of the Ca-dependent "n" gate, nca_ss and nca_i); GHK driving force with ionic
//    activity coefficients from the Davies equation (ionic strength of each compartment);
//    d_inf of Magyar et al.; P_Ca = 8.3757e-5 cm/s.
//  - IKr: five-state Markov model (C0, C1, C2, O, I; Lu et al. 2001 structure) re-fitted
//    by Tomek et al.; G_Kr = 0.0321 sqrt(Ko/5).
//  - IK1: instantaneous rectification re-fitted (no time-dependent gate).
//  - IClCa (Ca-activated Cl, all in the junctional space) and IClb (background Cl) with fixed
//    [Cl]i = 24 mM and [Cl]o = 150 mM.
//  - Jrel driven by the subspace ICaL, half-activation at [Ca]jsr = 1.7 mM, x1.5378;
//    Jtr time constant 60 ms; re-calibrated conductances (G_NaL, G_to, G_Ks, G_K1, G_Kb,
//    P_NaK, G_NaCa, P_Nab, P_Cab) and [K]o = 5 mM, [Ca]o = 1.8 mM.
//
// Implementation notes
//  - The IKr Markov states, Jrel (np and p), nca_ss, nca_i and CaMKt are non-gates: rhs()
//    returns their true rates (CVODE, forward Euler). In the Rush-Larsen schemes two stiff
//    parts are then re-advanced by advance_linear_states(): Jrel by the exact exponential
//    for a frozen drive (when the JSR empties, as it does in M cells, tau_rel drops to its
//    published floor of 0.001 ms and forward Euler at dt = 0.01 ms diverges), and the IKr
//    chain by backward Euler (its C1 -> C0 rate is 0.2442 exp(-1.604 VF/RT) ~ 50 /ms at
//    -88 mV, ~100 /ms at -100 mV). The scheme "ForwardEuler" does not get this treatment
//    and needs dt well below 0.001 ms in M cells: use RushLarsen, RushLarsen2 or CVODE.
//  - GHK factors x/(exp(x)-1) are evaluated through a series branch near x = 0 (V = 0).
//  - The stimulus current is carried by K+ (dKi/dt), as in ORd/ToR-ORd:
//    add_applied_current() adds I_app Acap/(F vmyo) to dKi/dt.
//  - Drug block: each conductance/permeability is multiplied by g(Channel::...):
//    INa->INa, INaL->INaL, ICaL, ICaNa, ICaK (P_Ca and P_CaNa, P_CaK that scale with it)->ICaL,
//    Ito->Ito, IKr->IKr, IKs->IKs, IK1->IK1, INaCa_i and INaCa_ss->INCX, INaK->INaK,
//    IKb->IpK (the background/plateau K current of the channel vocabulary), INab->IbNa,
//    ICab->IbCa, IpCa->IpCa. IClCa and IClb have no entry in the channel vocabulary and are
//    not scaled.

#include <physics/ionic/ionic_model.h>
#include <physics/ionic/ord_transporters.h>
#include <solvers/common/parameters.h>

#include <algorithm>
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
      // concentrations and other non-gates
      iNai,
      iNass,
      iKi,
      iKss,
      iCai,
      iCass,
      iCansr,
      iCajsr,
      iCaMKt,
      iJrel_np,
      iJrel_p,
      inca_ss,
      inca_i,
      iC0,
      iC1,
      iC2,
      iO,
      iI,
      // gates (Rush-Larsen)
      im,
      ih,
      ij,
      ihp,
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
      iffp,
      ifcafp,
      ixs1,
      ixs2,
      n_tor_states
    };
    constexpr unsigned int first_gate = im;

    enum class CellType
    {
      endo,
      M,
      epi
    };

    // ----- physical constants and cell geometry (ORd 2011, as used by ToR-ORd) -------
    constexpr double R_gas = 8314.0;  // [mJ/(mol K)]
    constexpr double T_abs = 310.0;   // [K]
    constexpr double F_c   = 96485.0; // [C/mol]
    constexpr double L_cell = 0.01;   // [cm]
    constexpr double rad    = 0.0011; // [cm]
    // ORd uses 3.14 for pi in the geometry; kept for fidelity to the published volumes.
    constexpr double vcell = 1000. * 3.14 * rad * rad * L_cell;          // [uL]
    constexpr double Ageo  = 2. * 3.14 * rad * rad + 2. * 3.14 * rad * L_cell; // [cm^2]
    constexpr double Acap  = 2. * Ageo;                                  // [cm^2]
    constexpr double vmyo  = 0.68 * vcell;
    constexpr double vnsr  = 0.0552 * vcell;
    constexpr double vjsr  = 0.0048 * vcell;
    constexpr double vss   = 0.02 * vcell;

    // ----- CaMK (ORd) ------------------------------------------------------------------
    constexpr double KmCaMK = 0.15, aCaMK = 0.05, bCaMK = 0.00068, CaMKo = 0.05, KmCaM = 0.0015;

    constexpr double PKNa = 0.01833; // IKs Na/K permeability ratio (ORd)

    // ----- conductances (Tomek et al. 2019, ToR-ORd; endo values, cell-type factors below)
    constexpr double GNa   = 11.7802;    // [mS/uF]
    constexpr double GNaL  = 0.0279;     // [mS/uF]
    constexpr double Gto   = 0.16;       // [mS/uF]
    constexpr double PCa   = 8.3757e-5;  // [cm/s]
    constexpr double GKr   = 0.0321;     // [mS/uF] at Ko = 5 mM
    constexpr double GKs   = 0.0011;     // [mS/uF]
    constexpr double GK1   = 0.6992;     // [mS/uF] at Ko = 5 mM
    constexpr double Gncx  = 0.0034;     // [uA/uF]
    constexpr double Pnak  = 15.4509;    // [uA/uF]
    constexpr double GKb   = 0.0189;     // [mS/uF]
    constexpr double PNab  = 1.9239e-9;  // [cm/s]
    constexpr double PCab  = 5.9194e-8;  // [cm/s]
    constexpr double GpCa  = 5e-4;       // [uA/uF]
    constexpr double GClCa = 0.2843;     // [mS/uF]
    constexpr double GClb  = 1.98e-3;    // [mS/uF]
    constexpr double KdClCa = 0.1;       // [mM]
    constexpr double ICaL_fraction_ss  = 0.8;  // fraction of ICaL channels in the subspace
    constexpr double INaCa_fraction_ss = 0.35; // fraction of INaCa in the subspace (ORd)

    // ----- stored initial states ---------------------------------------------------------
    // Quasi-steady state at 1 Hz (BCL 1000 ms, stimulus 53 uA/uF x 1 ms at the start of each
    // cycle), computed with this implementation (Rush-Larsen, dt 0.01 ms): endo and epi 2000
    // beats from the published endocardial initial state of the released model; M 1000 beats
    // from the endo state after 1000 beats. Values are the state at the end of the last cycle
    // (just before the next stimulus). ToR-ORd keeps [Cl]i fixed, so the charge of IClCa/IClb
    // accumulates in the cations and [K]i keeps rising slowly (~1 mM per 1000 beats at 1 Hz,
    // V_rest -0.16 mV per 1000 beats; APD90 changes by < 1 ms): see
    // validation/tor_ord_single_cell/README.md. Order: the S enum.
    // BEGIN INITIAL STATES
    // endo: state at t = 1e+06 ms (ss2_endo)
    constexpr double y0_endo[n_tor_states] = {
      -89.17646913, 12.19854779, 12.19888647, 144.1145419, 144.1144988, 7.459721347e-05,
      6.505786907e-05, 1.531281243, 1.528966008, 0.01106749969, 1.256375208e-76, 4.8641078e-62,
      0.0004925356397, 0.0008355269548, 0.9981381332456778, 0.0008265009151722147, 0.0006821007374945403, 0.0003414544961472077,
      1.1810605508173961e-05, 0.0007372135629, 0.8366544385, 0.836475013, 0.6839810334, 0.8361450966,
      0.0001506168362, 0.5382233534, 0.2966761217, 0.0009248889188, 0.9996370166, 0.5955006799,
      0.0004712382371, 0.9996370241, 0.6568301952, 0.0, 0.9999999934, 0.9392650192,
      0.9999999934, 0.9999005688, 0.9999774408, 0.9999999934, 0.9999999934, 0.2464918797,
      0.0001690974002};
    // M: state at t = 1e+06 ms (ss2_M)
    constexpr double y0_M[n_tor_states] = {
      -89.30667416, 14.97722047, 14.97773899, 143.8149473, 143.8148864, 8.051124165e-05,
      6.502541412e-05, 1.917897833, 1.921096504, 0.01887210755, 1.23284816e-71, 4.604431294e-58,
      0.0004915328906, 0.001120429283, 0.9979507943135968, 0.0008187618850931998, 0.0006883003878783492, 0.0005241122150596597,
      1.8031198372052492e-05, 0.0007168143078, 0.8391406686, 0.8389520847, 0.6881114325, 0.8384581724,
      0.0001469375648, 0.537055586, 0.2866888053, 0.0009168056718, 0.9996451992, 0.567458556,
      0.000467117905, 0.9996452062, 0.6266495415, 0.0, 0.9999999936, 0.9195588926,
      0.9999999936, 0.9997860897, 0.9999656539, 0.9999999936, 0.9999999936, 0.2668175359,
      0.0001666484514};
    // epi: state at t = 1e+06 ms (ss2_epi)
    constexpr double y0_epi[n_tor_states] = {
      -89.58504516, 12.9643445, 12.96465942, 145.1826336, 145.1825844, 6.618131347e-05,
      5.755540867e-05, 1.806863404, 1.805079942, 0.01281968163, 2.120240019e-79, 1.969829037e-64,
      0.0003061158911, 0.0005261382257, 0.9982866599704683, 0.0008028892158958219, 0.0006572255593147224, 0.00024494499816821744,
      8.280256152925602e-06, 0.000675050943, 0.8443514495, 0.8442783126, 0.6968297744, 0.8441072322,
      0.0001393701279, 0.5544925752, 0.3153150369, 0.0008997581199, 0.9996621178, 0.9996600828,
      0.0004584282398, 0.999662118, 0.9996617165, 0.0, 0.9999999941, 0.9490209653,
      0.9999999941, 0.9999344891, 0.999982332, 0.9999999941, 0.9999999941, 0.22999212,
      0.0001615009179};
    // END INITIAL STATES

    /// x / (exp(x) - 1), continuous at x = 0.
    inline double
    x_over_expm1(double x)
    {
      return std::abs(x) < 1e-7 ? 1.0 - 0.5 * x : x / std::expm1(x);
    }

    /// Activity coefficient from the Davies equation as used by ToR-ORd:
    /// gamma = exp(-A z^2 (sqrt(I)/(1+sqrt(I)) - 0.3 I)), I ionic strength [M].
    inline double
    davies(double A, double z2, double I)
    {
      const double s = std::sqrt(I);
      return std::exp(-A * z2 * (s / (1. + s) - 0.3 * I));
    }

    class ToRORd : public IonicModel
    {
    public:
      ToRORd() { precompute(); }

      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        using dealii::Patterns::Double;
        using dealii::Patterns::Selection;
        const std::string src = " (Tomek et al. 2019, doi 10.7554/eLife.48890)";
        prm.declare_entry("Cell type", "endo", Selection("endo|M|epi"),
                          "[-] transmural variant: endo, M (midmyocardial) or epi; scales G_NaL, G_to, "
                          "P_CaL, G_Kr, G_Ks, G_K1, G_NaCa, P_NaK, G_Kb, Jrel, Jup, CMDN and the Ito "
                          "inactivation kinetics as published" + src);
        prm.declare_entry("Ko", "5.0", Double(1e-6, 1000.), "[mM] extracellular K+" + src);
        prm.declare_entry("Nao", "140.0", Double(1e-6, 1000.), "[mM] extracellular Na+" + src);
        prm.declare_entry("Cao", "1.8", Double(1e-6, 1000.), "[mM] extracellular Ca2+" + src);
        prm.declare_entry("Clo", "150.0", Double(1e-6, 1000.), "[mM] extracellular Cl-" + src);
        prm.declare_entry("Cli", "24.0", Double(1e-6, 1000.), "[mM] intracellular Cl- (fixed)" + src);
      }

      std::string name() const override { return "ToRORd"; }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        const std::string ct = prm.get("Cell type");
        cell_type            = ct == "endo" ? CellType::endo : ct == "M" ? CellType::M : CellType::epi;
        Ko                   = prm.get_double("Ko");
        Nao                  = prm.get_double("Nao");
        Cao                  = prm.get_double("Cao");
        Clo                  = prm.get_double("Clo");
        Cli                  = prm.get_double("Cli");
        input_check(Ko > 0. && Nao > 0. && Cao > 0. && Clo > 0. && Cli > 0., "[Ionic model/ToRORd/Ko|Nao|Cao|Clo|Cli]",
                    "concentrations must be > 0");
        precompute();
      }

      unsigned int n_states() const override { return n_tor_states; }

      std::vector<StateInfo>
      state_info() const override
      {
        return {{"V", "mV", false},      {"Nai", "mM", false},     {"Nass", "mM", false},   {"Ki", "mM", false},
                {"Kss", "mM", false},    {"Cai", "mM", false},     {"Cass", "mM", false},   {"Cansr", "mM", false},
                {"Cajsr", "mM", false},  {"CaMKt", "1", false},    {"Jrel_np", "mM/ms", false},
                {"Jrel_p", "mM/ms", false}, {"nca_ss", "1", false}, {"nca_i", "1", false},  {"IKr_C0", "1", false},
                {"IKr_C1", "1", false},  {"IKr_C2", "1", false},   {"IKr_O", "1", false},   {"IKr_I", "1", false},
                {"m", "1", true},        {"h", "1", true},         {"j", "1", true},        {"hp", "1", true},
                {"jp", "1", true},       {"mL", "1", true},        {"hL", "1", true},       {"hLp", "1", true},
                {"a", "1", true},        {"iF", "1", true},        {"iS", "1", true},       {"ap", "1", true},
                {"iFp", "1", true},      {"iSp", "1", true},       {"d", "1", true},        {"ff", "1", true},
                {"fs", "1", true},       {"fcaf", "1", true},      {"fcas", "1", true},     {"jca", "1", true},
                {"ffp", "1", true},      {"fcafp", "1", true},     {"xs1", "1", true},      {"xs2", "1", true}};
      }

      void
      initial_state(double *y) const override
      {
        const double *y0 = cell_type == CellType::endo ? y0_endo : cell_type == CellType::M ? y0_M : y0_epi;
        for (unsigned int i = 0; i < n_tor_states; ++i)
          y[i] = y0[i];
      }

      void
      rhs(const double *y, double *dydt, double *y_inf, double *tau) const override
      {
        Aux c;
        compute(y, c);
        const double V = y[iV];

        dydt[iV] = -c.total();

        // ================= gates ===================================================
        // --- INa (Grandi et al. 2010; h_p, j_p as in ToR-ORd) ---
        {
          const double em  = 1. + std::exp(-(56.86 + V) / 9.03);
          y_inf[im]        = 1. / (em * em);
          const double t1  = (V + 45.79) / 15.54, t2 = (V - 4.823) / 51.12;
          tau[im]          = 0.1292 * std::exp(-t1 * t1) + 0.06487 * std::exp(-t2 * t2);
          double ah, bh, aj, bj;
          if (V >= -40.)
            {
              ah = 0.;
              bh = 0.77 / (0.13 * (1. + std::exp(-(V + 10.66) / 11.1)));
              aj = 0.;
              bj = 0.6 * std::exp(0.057 * V) / (1. + std::exp(-0.1 * (V + 32.)));
            }
          else
            {
              ah = 0.057 * std::exp(-(V + 80.) / 6.8);
              bh = 2.7 * std::exp(0.079 * V) + 3.1e5 * std::exp(0.3485 * V);
              aj = (-2.5428e4 * std::exp(0.2444 * V) - 6.948e-6 * std::exp(-0.04391 * V)) * (V + 37.78) /
                   (1. + std::exp(0.311 * (V + 79.23)));
              bj = 0.02424 * std::exp(-0.01052 * V) / (1. + std::exp(-0.1378 * (V + 40.14)));
            }
          const double eh = 1. + std::exp((V + 71.55) / 7.43);
          y_inf[ih]       = 1. / (eh * eh);
          tau[ih]         = 1. / (ah + bh);
          y_inf[ij]       = y_inf[ih];
          tau[ij]         = 1. / (aj + bj);
          const double ehp = 1. + std::exp((V + 71.55 + 6.) / 7.43);
          y_inf[ihp]       = 1. / (ehp * ehp);
          tau[ihp]         = tau[ih];
          y_inf[ijp]       = y_inf[ij];
          tau[ijp]         = 1.46 * tau[ij];
          // --- INaL (ORd; tau_mL = tau_m of the Grandi INa, as in ToR-ORd) ---
          y_inf[imL] = 1. / (1. + std::exp(-(V + 42.85) / 5.264));
          tau[imL]   = tau[im];
          y_inf[ihL] = 1. / (1. + std::exp((V + 87.61) / 7.488));
          tau[ihL]   = 200.;
          y_inf[ihLp] = 1. / (1. + std::exp((V + 93.81) / 7.488));
          tau[ihLp]   = 600.;
        }
        // --- Ito (ORd) ---
        {
          y_inf[ia] = 1. / (1. + std::exp(-(V - 14.34) / 14.82));
          tau[ia]   = 1.0515 / (1. / (1.2089 * (1. + std::exp(-(V - 18.4099) / 29.3814))) +
                              3.5 / (1. + std::exp((V + 100.) / 29.3814)));
          const double iss = 1. / (1. + std::exp((V + 43.94) / 5.711));
          const double delta_epi =
            cell_type == CellType::epi ? 1. - 0.95 / (1. + std::exp((V + 70.) / 5.)) : 1.;
          const double tiF =
            delta_epi * (4.562 + 1. / (0.3933 * std::exp(-(V + 100.) / 100.) + 0.08004 * std::exp((V + 50.) / 16.59)));
          const double tiS = delta_epi * (23.62 + 1. / (0.001416 * std::exp(-(V + 96.52) / 59.05) +
                                                         1.780e-8 * std::exp((V + 114.1) / 8.079)));
          y_inf[iiF] = iss;
          tau[iiF]   = tiF;
          y_inf[iiS] = iss;
          tau[iiS]   = tiS;
          y_inf[iap] = 1. / (1. + std::exp(-(V - 24.34) / 14.82));
          tau[iap]   = tau[ia];
          const double dti_develop =
            1.354 + 1.0e-4 / (std::exp((V - 167.4) / 15.89) + std::exp(-(V - 12.23) / 0.2154));
          const double dti_recover = 1. - 0.5 / (1. + std::exp((V + 70.) / 20.));
          y_inf[iiFp]              = iss;
          tau[iiFp]                = dti_develop * dti_recover * tiF;
          y_inf[iiSp]              = iss;
          tau[iiSp]                = dti_develop * dti_recover * tiS;
        }
        // --- ICaL gates (ORd; d_inf of Magyar et al. as in ToR-ORd) ---
        {
          y_inf[id] = V > 31.4978 ? 1. : std::min(1., 1.0763 * std::exp(-1.0070 * std::exp(-0.0829 * V)));
          tau[id]   = 0.6 + 1. / (std::exp(-0.05 * (V + 6.)) + std::exp(0.09 * (V + 14.)));
          const double fss = 1. / (1. + std::exp((V + 19.58) / 3.696));
          y_inf[iff]       = fss;
          tau[iff]         = 7. + 1. / (0.0045 * std::exp(-(V + 20.) / 10.) + 0.0045 * std::exp((V + 20.) / 10.));
          y_inf[ifs]       = fss;
          tau[ifs] = 1000. + 1. / (0.000035 * std::exp(-(V + 5.) / 4.) + 0.000035 * std::exp((V + 5.) / 6.));
          y_inf[ifcaf] = fss;
          tau[ifcaf]   = 7. + 1. / (0.04 * std::exp(-(V - 4.) / 7.) + 0.04 * std::exp((V - 4.) / 7.));
          y_inf[ifcas] = fss;
          tau[ifcas]   = 100. + 1. / (0.00012 * std::exp(-V / 3.) + 0.00012 * std::exp(V / 7.));
          y_inf[ijca]  = 1. / (1. + std::exp((V + 18.08) / 2.7916));
          tau[ijca]    = 75.; // as released with the paper; later code (ToR-ORd-dynCl) uses 72.5 ms
          y_inf[iffp]  = fss;
          tau[iffp]    = 2.5 * tau[iff];
          y_inf[ifcafp] = fss;
          tau[ifcafp]   = 2.5 * tau[ifcaf];
        }
        // --- IKs (ORd) ---
        {
          const double xs1ss = 1. / (1. + std::exp(-(V + 11.60) / 8.932));
          y_inf[ixs1]        = xs1ss;
          tau[ixs1] =
            817.3 + 1. / (2.326e-4 * std::exp((V + 48.28) / 17.80) + 0.001292 * std::exp(-(V + 210.) / 230.));
          y_inf[ixs2] = xs1ss;
          tau[ixs2]   = 1. / (0.01 * std::exp((V - 50.) / 20.) + 0.0193 * std::exp(-(V + 66.54) / 31.));
        }
        for (unsigned int k = first_gate; k < n_tor_states; ++k)
          dydt[k] = (y_inf[k] - y[k]) / tau[k];

        // ================= non-gates ===============================================
        // --- IKr Markov model (Tomek et al. 2019) ---
        {
          double Q[5][5];
          ikr_matrix(V, Q);
          for (unsigned int r = 0; r < 5; ++r)
            {
              double d = 0.;
              for (unsigned int q = 0; q < 5; ++q)
                d += Q[r][q] * y[iC0 + q];
              dydt[iC0 + r] = d;
            }
        }
        // --- ICaL Ca-dependent n gates (ORd; subspace and myoplasmic copies in ToR-ORd) ---
        {
          constexpr double Kmn = 0.002, k2n = 500.;
          const double km2n = y[ijca];
          const double rs = 1. + Kmn / y[iCass], ri = 1. + Kmn / y[iCai];
          const double anca_ss = 1. / (k2n / km2n + rs * rs * rs * rs);
          const double anca_i  = 1. / (k2n / km2n + ri * ri * ri * ri);
          dydt[inca_ss]        = anca_ss * k2n - y[inca_ss] * km2n;
          dydt[inca_i]         = anca_i * k2n - y[inca_i] * km2n;
        }
        // --- CaMK (ORd) ---
        dydt[iCaMKt] = aCaMK * c.CaMKb * (c.CaMKb + y[iCaMKt]) - bCaMK * y[iCaMKt];

        // --- Jrel (ToR-ORd): driven by the subspace ICaL ---
        {
          const JrelTargets t = jrel_targets(y[iCajsr], c.ICaL_ss);
          dydt[iJrel_np]      = (t.inf_np - y[iJrel_np]) / t.tau_np;
          dydt[iJrel_p]       = (t.inf_p - y[iJrel_p]) / t.tau_p;
        }

        // --- fluxes ---
        const double nai = y[iNai], nass = y[iNass], ki = y[iKi], kss = y[iKss], cai = y[iCai], cass = y[iCass],
                     cansr = y[iCansr], cajsr = y[iCajsr];
        const double fp   = c.fCaMKp;
        const double Jrel = 1.5378 * ((1. - fp) * y[iJrel_np] + fp * y[iJrel_p]);
        const double upScale = cell_type == CellType::epi ? 1.3 : 1.;
        const double Jupnp   = upScale * 0.005425 * cai / (cai + 0.00092);
        const double Jupp    = upScale * 2.75 * 0.005425 * cai / (cai + 0.00092 - 0.00017);
        const double Jleak   = 0.0048825 * cansr / 15.;
        const double Jup     = (1. - fp) * Jupnp + fp * Jupp - Jleak;
        const double Jtr     = (cansr - cajsr) / 60.;
        const double JdiffNa = (nass - nai) / 2.;
        const double JdiffK  = (kss - ki) / 2.;
        const double Jdiff   = (cass - cai) / 0.2;

        // --- concentrations (ORd with the ToR-ORd ICaL split) ---
        dydt[iNai] = -(c.ICaNa_i + c.INa + c.INaL + 3. * c.INaCa_i + 3. * c.INaK + c.INab) * Acap_F_vmyo +
                     JdiffNa * vss / vmyo;
        dydt[iNass] = -(c.ICaNa_ss + 3. * c.INaCa_ss) * Acap_F_vss - JdiffNa;
        dydt[iKi] = -(c.ICaK_i + c.Ito + c.IKr + c.IKs + c.IK1 + c.IKb - 2. * c.INaK) * Acap_F_vmyo +
                    JdiffK * vss / vmyo;
        dydt[iKss] = -c.ICaK_ss * Acap_F_vss - JdiffK;

        const double bc1 = kmcmdn + cai, bc2 = kmtrpn + cai;
        const double Bcai = 1. / (1. + cmdnmax * kmcmdn / (bc1 * bc1) + trpnmax * kmtrpn / (bc2 * bc2));
        dydt[iCai] = Bcai * (-(c.ICaL_i + c.IpCa + c.ICab - 2. * c.INaCa_i) * 0.5 * Acap_F_vmyo - Jup * vnsr / vmyo +
                             Jdiff * vss / vmyo);
        const double bs1 = KmBSR + cass, bs2 = KmBSL + cass;
        const double Bcass = 1. / (1. + BSRmax * KmBSR / (bs1 * bs1) + BSLmax * KmBSL / (bs2 * bs2));
        dydt[iCass] = Bcass * (-(c.ICaL_ss - 2. * c.INaCa_ss) * 0.5 * Acap_F_vss + Jrel * vjsr / vss - Jdiff);
        dydt[iCansr] = Jup - Jtr * vjsr / vnsr;
        const double bj     = kmcsqn + cajsr;
        const double Bcajsr = 1. / (1. + csqnmax * kmcsqn / (bj * bj));
        dydt[iCajsr]        = Bcajsr * (Jtr - Jrel);
      }

      /// Stimulus charge is carried by K+ (ORd, ToR-ORd): dKi/dt includes -I_stim Acap/(F vmyo)
      /// with I_stim = -I_app.
      void
      add_applied_current(const double *y, double I_app, double *dydt) const override
      {
        (void)y;
        dydt[iV] += I_app;
        dydt[iKi] += I_app * Acap_F_vmyo;
      }

      /// Called by the Rush-Larsen schemes after their update (see ionic_model.h); the states
      /// stay non-gates (true rates for CVODE), but two stiff parts get a stable update here:
      ///  - Jrel_np, Jrel_p: exact exponential update for the drive frozen at y_rates. When the
      ///    JSR empties (M cells), tau_rel = b_t/(1 + 0.0123/[Ca]_jsr) falls to its floor of
      ///    0.001 ms and forward Euler at dt = 0.01 ms diverges.
      ///  - IKr Markov chain: backward Euler, (I - dt Q(V)) P1 = P0; unconditionally stable,
      ///    keeps occupancies >= 0 and their sum = 1 (the C1 -> C0 rate is ~100 /ms at -100 mV).
      /// Both are first order (the RushLarsen2 scheme is first order in these states).
      void
      advance_linear_states(const double *y_rates, double dt, const double *y0, double *y1) const override
      {
        const JrelTargets t = jrel_targets(y_rates[iCajsr], ical_ss(y_rates));
        y1[iJrel_np]        = t.inf_np + (y0[iJrel_np] - t.inf_np) * std::exp(-dt / t.tau_np);
        y1[iJrel_p]         = t.inf_p + (y0[iJrel_p] - t.inf_p) * std::exp(-dt / t.tau_p);

        double Q[5][5], A[5][6];
        ikr_matrix(y_rates[0], Q);
        for (unsigned int r = 0; r < 5; ++r)
          {
            for (unsigned int q = 0; q < 5; ++q)
              A[r][q] = (r == q ? 1. : 0.) - dt * Q[r][q];
            A[r][5] = y0[iC0 + r];
          }
        // Gaussian elimination with partial pivoting (5 x 5)
        for (unsigned int k = 0; k < 5; ++k)
          {
            unsigned int piv = k;
            for (unsigned int r = k + 1; r < 5; ++r)
              if (std::abs(A[r][k]) > std::abs(A[piv][k]))
                piv = r;
            if (piv != k)
              for (unsigned int q = 0; q < 6; ++q)
                std::swap(A[k][q], A[piv][q]);
            for (unsigned int r = k + 1; r < 5; ++r)
              {
                const double f = A[r][k] / A[k][k];
                for (unsigned int q = k; q < 6; ++q)
                  A[r][q] -= f * A[k][q];
              }
          }
        for (int r = 4; r >= 0; --r)
          {
            double v = A[r][5];
            for (unsigned int q = r + 1; q < 5; ++q)
              v -= A[r][q] * y1[iC0 + q];
            y1[iC0 + r] = v / A[r][r];
          }
      }

      std::vector<std::string>
      current_names() const override
      {
        return {"INa",   "INaL",    "Ito",      "ICaL", "ICaNa", "ICaK", "IKr",  "IKs",   "IK1",
                "INaCa_i", "INaCa_ss", "INaK", "INab",  "ICab", "IKb",  "IpCa", "IClCa", "IClb"};
      }

      void
      currents(const double *y, double *I) const override
      {
        Aux c;
        compute(y, c);
        I[0]  = c.INa;
        I[1]  = c.INaL;
        I[2]  = c.Ito;
        I[3]  = c.ICaL_ss + c.ICaL_i;
        I[4]  = c.ICaNa_ss + c.ICaNa_i;
        I[5]  = c.ICaK_ss + c.ICaK_i;
        I[6]  = c.IKr;
        I[7]  = c.IKs;
        I[8]  = c.IK1;
        I[9]  = c.INaCa_i;
        I[10] = c.INaCa_ss;
        I[11] = c.INaK;
        I[12] = c.INab;
        I[13] = c.ICab;
        I[14] = c.IKb;
        I[15] = c.IpCa;
        I[16] = c.IClCa;
        I[17] = c.IClb;
      }

      /// Paper: I_stim = -53 uA/uF for 1 ms; our convention is positive = depolarising.
      double default_stimulus_amplitude() const override { return 53.; }
      double default_stimulus_duration() const override { return 1.; }

    private:
      struct Aux
      {
        double INa, INaL, Ito, ICaL_ss, ICaNa_ss, ICaK_ss, ICaL_i, ICaNa_i, ICaK_i, IKr, IKs, IK1, INaCa_i,
          INaCa_ss, INaK, INab, ICab, IKb, IpCa, IClCa, IClb;
        double CaMKb, fCaMKp;
        double
        total() const
        {
          return INa + INaL + Ito + (ICaL_ss + ICaL_i) + (ICaNa_ss + ICaNa_i) + (ICaK_ss + ICaK_i) + IKr + IKs + IK1 +
                 INaCa_i + INaCa_ss + INaK + INab + ICab + IKb + IpCa + IClCa + IClb;
        }
      };

      // buffers (ORd)
      static constexpr double kmcmdn = 0.00238, trpnmax = 0.07, kmtrpn = 0.0005, BSRmax = 0.047, KmBSR = 0.00087,
                              BSLmax = 1.124, KmBSL = 0.0087, csqnmax = 10.0, kmcsqn = 0.8;

      /// IKr transition matrix Q(V) (dP/dt = Q P, P = C0, C1, C2, O, I), Tomek et al. 2019.
      void
      ikr_matrix(double V, double Q[5][5]) const
      {
        const double u         = V * FoRT;
        const double alpha     = 0.1161 * std::exp(0.2990 * u);           // C0 -> C1
        const double beta      = 0.2442 * std::exp(-1.604 * u);           // C1 -> C0
        const double alpha1    = 1.25 * 0.1235;                            // C1 -> C2
        const double beta1     = 0.1911;                                   // C2 -> C1
        const double alpha2    = 0.0578 * std::exp(0.9710 * u);           // C2 -> O
        const double beta2     = 0.349e-3 * std::exp(-1.062 * u);         // O -> C2
        const double alphai    = 0.2533 * std::exp(0.5953 * u);           // O -> I
        const double betai     = 1.25 * 0.0522 * std::exp(-0.8209 * u);   // I -> O
        const double alpha_c2i = 0.52e-4 * std::exp(1.525 * u);           // C2 -> I
        const double beta_ic2  = beta2 * betai * alpha_c2i / (alpha2 * alphai); // I -> C2 (microscopic reversibility)
        for (unsigned int r = 0; r < 5; ++r)
          for (unsigned int q = 0; q < 5; ++q)
            Q[r][q] = 0.;
        auto rate = [&](unsigned int from, unsigned int to, double k) {
          Q[to][from] += k;
          Q[from][from] -= k;
        };
        rate(0, 1, alpha);
        rate(1, 0, beta);
        rate(1, 2, alpha1);
        rate(2, 1, beta1);
        rate(2, 3, alpha2);
        rate(3, 2, beta2);
        rate(3, 4, alphai);
        rate(4, 3, betai);
        rate(2, 4, alpha_c2i);
        rate(4, 2, beta_ic2);
      }

      struct JrelTargets
      {
        double inf_np, tau_np, inf_p, tau_p;
      };

      /// Steady states and time constants of the release fluxes (ToR-ORd): driven by the
      /// subspace ICaL, half-activation at [Ca]jsr = 1.7 mM, x1.7 in M cells.
      JrelTargets
      jrel_targets(double cajsr, double ICaL_ss) const
      {
        const double     r = 1.7 / cajsr;
        const double     r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
        constexpr double bt = 4.75, a_rel = 0.5 * bt, btp = 1.25 * bt, a_relp = 0.5 * btp;
        const double     m_scale = cell_type == CellType::M ? 1.7 : 1.;
        JrelTargets      t;
        t.inf_np = m_scale * a_rel * (-ICaL_ss) / (1. + r8);
        t.inf_p  = m_scale * a_relp * (-ICaL_ss) / (1. + r8);
        t.tau_np = std::max(0.001, bt / (1. + 0.0123 / cajsr));
        t.tau_p  = std::max(0.001, btp / (1. + 0.0123 / cajsr));
        return t;
      }

      /// CaMK-phosphorylated fraction (ORd).
      double
      camk_fraction(const double *y, double &CaMKb) const
      {
        CaMKb              = CaMKo * (1. - y[iCaMKt]) / (1. + KmCaM / y[iCass]);
        const double CaMKa = CaMKb + y[iCaMKt];
        return 1. / (1. + KmCaMK / CaMKa);
      }

      /// Open-channel factor of ICaL times the permeability for a compartment whose
      /// Ca-dependent gate is n: d [(1-phi) P (f (1-n) + jca fca n) + phi 1.1 P (f_p (1-n) + jca fca_p n)].
      double
      ical_open(const double *y, double fp, double n) const
      {
        const double     V = y[iV];
        constexpr double Aff = 0.6, Afs = 1. - Aff;
        const double     f     = Aff * y[iff] + Afs * y[ifs];
        const double     Afcaf = 0.3 + 0.6 / (1. + std::exp((V - 10.) / 10.));
        const double     Afcas = 1. - Afcaf;
        const double     fca   = Afcaf * y[ifcaf] + Afcas * y[ifcas];
        const double     fpp   = Aff * y[iffp] + Afs * y[ifs];
        const double     fcap  = Afcaf * y[ifcafp] + Afcas * y[ifcas];
        const double     P     = g(Channel::ICaL) * PCa_ct;
        const double     jca   = y[ijca];
        return y[id] * ((1. - fp) * P * (f * (1. - n) + jca * fca * n) + fp * 1.1 * P * (fpp * (1. - n) + jca * fcap * n));
      }

      /// GHK driving force of Ca with activity coefficients for a compartment with ionic
      /// strength I [M] and free Ca `ca` [mM].
      double
      phi_ca(double vfrt, double ca, double I) const
      {
        const double x2 = 2. * vfrt;
        return 2. * F_c * x_over_expm1(x2) * (davies(constA, 4., I) * ca * std::exp(x2) - gamma_cao * Cao);
      }

      /// Subspace (80 %) part of ICaL, the drive of Jrel.
      double
      ical_ss(const double *y) const
      {
        double       CaMKb;
        const double fp  = camk_fraction(y, CaMKb);
        const double Iss = 0.5 * (y[iNass] + y[iKss] + Cli + 4. * y[iCass]) / 1000.;
        return ICaL_fraction_ss * phi_ca(y[iV] * FoRT, y[iCass], Iss) * ical_open(y, fp, y[inca_ss]);
      }

      void
      precompute()
      {
        RToF        = R_gas * T_abs / F_c;
        FoRT        = 1. / RToF;
        Acap_F_vmyo = Acap / (F_c * vmyo);
        Acap_F_vss  = Acap / (F_c * vss);
        // Davies constant A = 1.82e6 (eps T)^-1.5, water at 37 C: eps = 74, T = 310 K.
        constA                 = 1.82e6 * std::pow(74. * 310., -1.5);
        const double Io        = 0.5 * (Nao + Ko + Clo + 4. * Cao) / 1000.; // [M]
        gamma_cao              = davies(constA, 4., Io);
        gamma_nao              = davies(constA, 1., Io);
        gamma_ko               = davies(constA, 1., Io);
        E_Cl                   = -RToF * std::log(Clo / Cli); // z = -1
        const bool   epi       = cell_type == CellType::epi;
        const bool   M         = cell_type == CellType::M;
        GNaL_ct                = GNaL * (epi ? 0.6 : 1.);
        Gto_ct                 = Gto * (epi || M ? 2. : 1.);
        PCa_ct                 = PCa * (epi ? 1.2 : M ? 2. : 1.);
        GKr_ct                 = GKr * std::sqrt(Ko / 5.) * (epi ? 1.3 : M ? 0.8 : 1.);
        GKs_ct                 = GKs * (epi ? 1.4 : 1.);
        GK1_ct                 = GK1 * std::sqrt(Ko / 5.) * (epi ? 1.2 : M ? 1.3 : 1.);
        Gncx_ct                = Gncx * (epi ? 1.1 : M ? 1.4 : 1.);
        Pnak_ct                = Pnak * (epi ? 0.9 : M ? 0.7 : 1.);
        GKb_ct                 = GKb * (epi ? 0.6 : 1.);
        cmdnmax                = 0.05 * (epi ? 1.3 : 1.);
        E_Kso_num              = Ko + PKNa * Nao;
      }

      /// INaCa (ORd) for one compartment with Na `na` and Ca `ca`; returns the current
      /// before the compartment fraction and conductance (allosteric factor included).
      double
      inaca(double V, double na, double ca) const
      {
        constexpr double KmCaAct = 150.0e-6;
        const double     ra      = KmCaAct / ca;
        return ord::ncx_flux(V, na, ca, Nao, Cao, FoRT) / (1. + ra * ra);
      }

      void
      compute(const double *y, Aux &c) const
      {
        const double V = y[iV];
        const double nai = y[iNai], nass = y[iNass], ki = y[iKi], kss = y[iKss], cai = y[iCai], cass = y[iCass];
        const double vfrt = V * FoRT;

        // CaMK (ORd)
        const double fp = camk_fraction(y, c.CaMKb);
        c.fCaMKp        = fp;

        const double ENa = RToF * std::log(Nao / nai);
        const double EK  = RToF * std::log(Ko / ki);
        const double EKs = RToF * std::log(E_Kso_num / (ki + PKNa * nai));

        // INa (Grandi 2010 with CaMK phosphorylation; ToR-ORd G_Na)
        const double m = y[im];
        c.INa = g(Channel::INa) * GNa * (V - ENa) * m * m * m * ((1. - fp) * y[ih] * y[ij] + fp * y[ihp] * y[ijp]);
        // INaL (ORd; ToR-ORd G_NaL)
        c.INaL = g(Channel::INaL) * GNaL_ct * (V - ENa) * y[imL] * ((1. - fp) * y[ihL] + fp * y[ihLp]);
        // Ito (ORd; ToR-ORd G_to)
        {
          const double AiF = 1. / (1. + std::exp((V - 213.6) / 151.2));
          const double AiS = 1. - AiF;
          const double i   = AiF * y[iiF] + AiS * y[iiS];
          const double ip  = AiF * y[iiFp] + AiS * y[iiSp];
          c.Ito = g(Channel::Ito) * Gto_ct * (V - EK) * ((1. - fp) * y[ia] * i + fp * y[iap] * ip);
        }
        // ICaL, ICaNa, ICaK (ToR-ORd)
        {
          // driving forces: GHK with activity coefficients, x/(e^x - 1) form
          const double e1 = std::exp(vfrt);
          const double g1 = F_c * x_over_expm1(vfrt); // = vffrt / (e^vfrt - 1)
          const double Iss = 0.5 * (nass + kss + Cli + 4. * cass) / 1000.;
          const double Ii  = 0.5 * (nai + ki + Cli + 4. * cai) / 1000.;
          const double gmono_ss = davies(constA, 1., Iss), gmono_i = davies(constA, 1., Ii);
          const double PhiCaL_ss  = phi_ca(vfrt, cass, Iss);
          const double PhiCaNa_ss = g1 * (gmono_ss * nass * e1 - gamma_nao * Nao);
          const double PhiCaK_ss  = g1 * (gmono_ss * kss * e1 - gamma_ko * Ko);
          const double PhiCaL_i   = phi_ca(vfrt, cai, Ii);
          const double PhiCaNa_i  = g1 * (gmono_i * nai * e1 - gamma_nao * Nao);
          const double PhiCaK_i   = g1 * (gmono_i * ki * e1 - gamma_ko * Ko);

          const double open_ss = ical_open(y, fp, y[inca_ss]);
          const double open_i  = ical_open(y, fp, y[inca_i]);
          const double wss = ICaL_fraction_ss, wi = 1. - ICaL_fraction_ss;
          constexpr double rNa = 0.00125, rK = 3.574e-4; // P_CaNa/P_Ca, P_CaK/P_Ca
          c.ICaL_ss  = wss * PhiCaL_ss * open_ss;
          c.ICaNa_ss = wss * rNa * PhiCaNa_ss * open_ss;
          c.ICaK_ss  = wss * rK * PhiCaK_ss * open_ss;
          c.ICaL_i   = wi * PhiCaL_i * open_i;
          c.ICaNa_i  = wi * rNa * PhiCaNa_i * open_i;
          c.ICaK_i   = wi * rK * PhiCaK_i * open_i;

          // ICab (ToR-ORd: activity coefficients of the myoplasm)
          c.ICab = g(Channel::IbCa) * PCab * PhiCaL_i;
          // INab (ORd form; ToR-ORd P_Nab)
          c.INab = g(Channel::IbNa) * PNab * g1 * (nai * e1 - Nao);
        }
        // IKr (Markov; ToR-ORd)
        c.IKr = g(Channel::IKr) * GKr_ct * y[iO] * (V - EK);
        // IKs (ORd; ToR-ORd G_Ks)
        {
          const double KsCa = 1. + 0.6 / (1. + std::pow(3.8e-5 / cai, 1.4));
          c.IKs             = g(Channel::IKs) * GKs_ct * KsCa * y[ixs1] * y[ixs2] * (V - EKs);
        }
        // IK1 (ToR-ORd)
        {
          const double dv  = V - EK;
          const double aK1 = 4.094 / (1. + std::exp(0.1217 * (dv - 49.934)));
          const double bK1 = (15.72 * std::exp(0.0674 * (dv - 3.257)) + std::exp(0.0618 * (dv - 594.31))) /
                             (1. + std::exp(-0.1629 * (dv + 14.207)));
          c.IK1 = g(Channel::IK1) * GK1_ct * aK1 / (aK1 + bK1) * dv;
        }
        // INaCa (ORd; ToR-ORd G_NaCa)
        {
          const double G = g(Channel::INCX) * Gncx_ct;
          c.INaCa_i      = (1. - INaCa_fraction_ss) * G * inaca(V, nai, cai);
          c.INaCa_ss     = INaCa_fraction_ss * G * inaca(V, nass, cass);
        }
        // INaK (ORd; ToR-ORd P_NaK)
        c.INaK = g(Channel::INaK) * Pnak_ct * ord::nak_flux(vfrt, nai, ki, Nao, Ko);
        // IKb (ORd; ToR-ORd G_Kb)
        {
          const double xkb = 1. / (1. + std::exp(-(V - 10.8968) / 23.9871));
          c.IKb            = g(Channel::IpK) * GKb_ct * xkb * (V - EK);
        }
        // IpCa (ORd)
        c.IpCa = g(Channel::IpCa) * GpCa * cai / (0.0005 + cai);
        // IClCa, IClb (ToR-ORd; IClCa entirely junctional, Fjunc = 1)
        c.IClCa = GClCa / (1. + KdClCa / cass) * (V - E_Cl);
        c.IClb  = GClb * (V - E_Cl);
      }

      CellType cell_type = CellType::endo;
      double   Ko = 5.0, Nao = 140.0, Cao = 1.8, Clo = 150.0, Cli = 24.0;

      // derived, set by precompute()
      double RToF = 0, FoRT = 0, Acap_F_vmyo = 0, Acap_F_vss = 0, constA = 0, gamma_cao = 0, gamma_nao = 0,
             gamma_ko = 0, E_Cl = 0, GNaL_ct = 0, Gto_ct = 0, PCa_ct = 0, GKr_ct = 0, GKs_ct = 0, GK1_ct = 0,
             Gncx_ct = 0, Pnak_ct = 0, GKb_ct = 0, cmdnmax = 0, E_Kso_num = 0;
    };
  } // namespace

  OT_REGISTER(IonicModel, "ToRORd", ToRORd,
              "ToR-ORd human ventricular model of Tomek et al. 2019 (endo, M, epi), doi 10.7554/eLife.48890")
} // namespace organtwin::ionic
