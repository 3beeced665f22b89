#pragma once
// Unit conventions and the only place where units are converted.
//
// Internal units of the tissue solvers: length mm, time ms, potential mV,
// concentration mM, current per membrane capacitance uA/uF (= mV/ms),
// capacitance per membrane area uF/cm^2, surface-to-volume ratio 1/mm,
// conductivity S/m, volumetric stimulus uA/cm^3.

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
} // namespace organtwin::units
