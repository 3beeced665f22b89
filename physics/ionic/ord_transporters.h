#pragma once
// Na/Ca exchanger and Na/K pump of O'Hara et al. 2011 (PLoS Comput Biol 7:e1002061,
// Supplement: INaCa and INaK), shared by ORd/CiPAORdv1 (ord.cc) and ToR-ORd
// (tor_ord.cc), which keeps both formulations unchanged (Tomek et al. 2019).
// Units: V in mV, concentrations in mM; results are per unit conductance.

#include <cmath>

namespace organtwin::ionic::ord
{
  /// zNa JncxNa + zCa JncxCa of the exchanger for one compartment with sodium na and
  /// calcium ca (mM), extracellular nao, cao; FoRT = F/(RT) [1/mV]. Multiply by the
  /// allosteric factor, the compartment fraction and Gncx to get INaCa.
  inline double
  ncx_flux(double V, double na, double ca, double nao, double cao, double FoRT)
  {
    constexpr double kna1 = 15., kna2 = 5., kna3 = 88.12, kasymm = 12.5, wna = 6e4, wca = 6e4, wnaca = 5e3,
                     kcaon = 1.5e6, kcaoff = 5e3, qna = 0.5224, qca = 0.1670;
    const double hca  = std::exp(qca * V * FoRT);
    const double hna  = std::exp(qna * V * FoRT);
    const double h1   = 1. + na / kna3 * (1. + hna);
    const double h2   = (na * hna) / (kna3 * h1);
    const double h3   = 1. / h1;
    const double h4   = 1. + na / kna1 * (1. + na / kna2);
    const double h5   = na * na / (h4 * kna1 * kna2);
    const double h6   = 1. / h4;
    const double h7   = 1. + nao / kna3 * (1. + 1. / hna);
    const double h8   = nao / (kna3 * hna * h7);
    const double h9   = 1. / h7;
    const double h10  = kasymm + 1. + nao / kna1 * (1. + nao / kna2);
    const double h11  = nao * nao / (h10 * kna1 * kna2);
    const double h12  = 1. / h10;
    const double k1   = h12 * cao * kcaon;
    const double k2   = kcaoff;
    const double k3p  = h9 * wca;
    const double k3pp = h8 * wnaca;
    const double k3   = k3p + k3pp;
    const double k4p  = h3 * wca / hca;
    const double k4pp = h2 * wnaca;
    const double k4   = k4p + k4pp;
    const double k5   = kcaoff;
    const double k6   = h6 * ca * kcaon;
    const double k7   = h5 * h2 * wna;
    const double k8   = h8 * h11 * wna;
    const double x1   = k2 * k4 * (k7 + k6) + k5 * k7 * (k2 + k3);
    const double x2   = k1 * k7 * (k4 + k5) + k4 * k6 * (k1 + k8);
    const double x3   = k1 * k3 * (k7 + k6) + k8 * k6 * (k2 + k3);
    const double x4   = k2 * k8 * (k4 + k5) + k3 * k5 * (k1 + k8);
    const double sx   = x1 + x2 + x3 + x4;
    const double E1 = x1 / sx, E2 = x2 / sx, E3 = x3 / sx, E4 = x4 / sx;
    const double JncxNa = 3. * (E4 * k7 - E1 * k8) + E3 * k4pp - E2 * k3pp;
    const double JncxCa = E2 * k2 - E1 * k1;
    return JncxNa + 2. * JncxCa;
  }

  /// zNa JnakNa + zK JnakK of the pump (multiply by Pnak to get INaK); vfrt = V F/(RT).
  inline double
  nak_flux(double vfrt, double nai, double ki, double nao, double ko)
  {
    constexpr double k1p = 949.5, k1m = 182.4, k2p = 687.2, k2m = 39.4, k3p = 1899., k3m = 79300., k4p = 639.,
                     k4m = 40., Knai0 = 9.073, Knao0 = 27.78, delta = -0.1550, Kki = 0.5, Kko = 0.3582,
                     MgADP = 0.05, MgATP = 9.8, Kmgatp = 1.698e-7, H = 1e-7, eP = 4.2, Khp = 1.698e-7, Knap = 224.,
                     Kxkur = 292.;
    const double Knai  = Knai0 * std::exp(delta * vfrt / 3.);
    const double Knao  = Knao0 * std::exp((1. - delta) * vfrt / 3.);
    const double P     = eP / (1. + H / Khp + nai / Knap + ki / Kxkur);
    const double ni = nai / Knai, no = nao / Knao, kki = ki / Kki, kko = ko / Kko;
    const double den_i = (1. + ni) * (1. + ni) * (1. + ni) + (1. + kki) * (1. + kki) - 1.;
    const double den_o = (1. + no) * (1. + no) * (1. + no) + (1. + kko) * (1. + kko) - 1.;
    const double a1    = k1p * ni * ni * ni / den_i;
    const double b1    = k1m * MgADP;
    const double a2    = k2p;
    const double b2    = k2m * no * no * no / den_o;
    const double a3    = k3p * kko * kko / den_o;
    const double b3    = k3m * P * H / (1. + MgATP / Kmgatp);
    const double a4    = k4p * MgATP / Kmgatp / (1. + MgATP / Kmgatp);
    const double b4    = k4m * kki * kki / den_i;
    const double x1    = a4 * a1 * a2 + b2 * b4 * b3 + a2 * b4 * b3 + b3 * a1 * a2;
    const double x2    = b2 * b1 * b4 + a1 * a2 * a3 + a3 * b1 * b4 + a2 * a3 * b4;
    const double x3    = a2 * a3 * a4 + b3 * b2 * b1 + b2 * b1 * a4 + a3 * a4 * b1;
    const double x4    = b4 * b3 * b2 + a3 * a4 * a1 + b2 * a4 * a1 + b3 * b2 * a1;
    const double sx    = x1 + x2 + x3 + x4;
    const double E1 = x1 / sx, E2 = x2 / sx, E3 = x3 / sx, E4 = x4 / sx;
    const double JnakNa = 3. * (E1 * a3 - E2 * b3);
    const double JnakK  = 2. * (E4 * b1 - E3 * a1);
    return JnakNa + JnakK;
  }
} // namespace organtwin::ionic::ord
