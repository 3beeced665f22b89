#pragma once
// Unit conventions and the only place where units are converted.
//
// Internal units of the tissue solvers: length mm, time ms, potential mV,
// concentration mM, current per membrane capacitance uA/uF (= mV/ms),
// capacitance per membrane area uF/cm^2, surface-to-volume ratio 1/mm,
// conductivity S/m, volumetric stimulus uA/cm^3.
// Blood flow (solvers/flow): length mm, time ms, mass mg, hence velocity mm/ms (= m/s),
// pressure/stress kPa, density mg/mm^3 (= g/cm^3), viscosity kPa ms (= Pa s), flow rate
// mm^3/ms (= mL/s); wall shear stress reported in Pa.
// Pharmacology: PK time h, PK amounts mg, PK concentrations mg/L; drug
// concentrations seen by tissue models uM (unbound); IC50s nM.

namespace organtwin::units
{
  /// Factor k such that D [mm^2/ms] = k * sigma [S/m] for chi [1/mm], Cm [uF/cm^2]:
  ///   sigma/(chi Cm) has units (S/m) / (1/mm * uF/cm^2) = S mm cm^2 / (m uF)
  ///   = 1e-3 m * 1e-4 m^2 * S / (m * 1e-6 F) = 1e-1 m^2 S/F = 1e-1 m^2/s = 100 mm^2/ms.
  inline double
  monodomain_diffusivity_factor(double chi_per_mm, double cm_uF_per_cm2)
  {
    return 100.0 / (chi_per_mm * cm_uF_per_cm2);
  }

  /// Volumetric stimulus [uA/cm^3] -> current per capacitance [uA/uF]:
  ///   I / (chi Cm) with chi [1/mm] = 10 * chi [1/cm].
  inline double
  stimulus_per_capacitance(double stimulus_uA_per_cm3, double chi_per_mm, double cm_uF_per_cm2)
  {
    return stimulus_uA_per_cm3 / (10.0 * chi_per_mm * cm_uF_per_cm2);
  }

  /// Time: ms (EP/cell clocks) <-> h (PK clock).
  constexpr double ms_per_h = 3.6e6;
  inline double ms_to_h(double t_ms) { return t_ms / ms_per_h; }
  inline double h_to_ms(double t_h) { return t_h * ms_per_h; }

  /// Concentration: mM (cell-model states) -> uM (contraction models); uM <-> nM.
  inline double mM_to_uM(double c_mM) { return 1e3 * c_mM; }
  inline double uM_to_nM(double c_uM) { return 1e3 * c_uM; }
  inline double nM_to_uM(double c_nM) { return 1e-3 * c_nM; }

  /// Mass concentration [mg/L] -> molar concentration [uM] for molecular weight [g/mol]:
  ///   mg/L / (g/mol) = 1e-3 g/L / (g/mol) = 1e-3 mol/L = 1e3 uM per (mg/L)/(g/mol).
  inline double mg_per_L_to_uM(double c_mg_per_L, double mw_g_per_mol) { return 1e3 * c_mg_per_L / mw_g_per_mol; }
  inline double uM_to_mg_per_L(double c_uM, double mw_g_per_mol) { return 1e-3 * c_uM * mw_g_per_mol; }
  /// Perfusion (solvers/perfusion): time s, length mm, flow mm^3/s, amount pmol (= uM * mm^3).
  constexpr double s_per_h = 3600.0;
  inline double s_to_h(double t_s) { return t_s / s_per_h; }
  /// Flow: L/h -> mm^3/s (1 L = 1e6 mm^3) and mL/min -> mm^3/s (1 mL = 1e3 mm^3).
  inline double L_per_h_to_mm3_per_s(double q) { return q * 1e6 / s_per_h; }
  inline double mm3_per_s_to_L_per_h(double q) { return q * s_per_h / 1e6; }
  inline double mL_per_min_to_mm3_per_s(double q) { return q * 1e3 / 60.0; }
  /// Amount rate: umol/min -> pmol/s (1 umol = 1e6 pmol).
  inline double umol_per_min_to_pmol_per_s(double r) { return r * 1e6 / 60.0; }

  /// Flow: stress kPa <-> Pa; flow rate mL/min -> mm^3/ms; pressure mmHg -> kPa.
  inline double kPa_to_Pa(double p_kPa) { return 1e3 * p_kPa; }
  inline double Pa_to_kPa(double p_Pa) { return 1e-3 * p_Pa; }
  inline double mL_per_min_to_mm3_per_ms(double q) { return q * 1e3 / 6e4; }
  inline double mmHg_to_kPa(double p_mmHg) { return p_mmHg * 0.133322387415; }
} // namespace organtwin::units
