// Land et al. 2017 human contraction model: derived rates, right-hand side, closed-form
// isometric steady state and the sub-stepped integrator (docs/theory/active_stress_land2017.md).
#include <physics/materials/land2017.h>
#include <solvers/common/parameters.h>

#include <algorithm>
#include <cmath>

namespace organtwin::materials
{
  namespace
  {
    /// Strain-dependent unbinding of strong cross-bridges: zero for -1 <= zeta_s <= 0.
    double strong_unbinding(double gamma_s, double zeta_s)
    {
      if (zeta_s > 0)
        return gamma_s * zeta_s;
      if (zeta_s < -1)
        return gamma_s * (-zeta_s - 1);
      return 0.;
    }

    /// Solve the 3x3 system a x = b by Gaussian elimination with partial pivoting.
    std::array<double, 3> solve3(std::array<std::array<double, 3>, 3> a, std::array<double, 3> b)
    {
      for (unsigned int k = 0; k < 3; ++k)
        {
          unsigned int piv = k;
          for (unsigned int i = k + 1; i < 3; ++i)
            if (std::abs(a[i][k]) > std::abs(a[piv][k]))
              piv = i;
          std::swap(a[k], a[piv]);
          std::swap(b[k], b[piv]);
          for (unsigned int i = k + 1; i < 3; ++i)
            {
              const double f = a[i][k] / a[k][k];
              for (unsigned int j = k; j < 3; ++j)
                a[i][j] -= f * a[k][j];
              b[i] -= f * b[k];
            }
        }
      std::array<double, 3> x{};
      for (int i = 2; i >= 0; --i)
        {
          double s = b[i];
          for (unsigned int j = i + 1; j < 3; ++j)
            s -= a[i][j] * x[j];
          x[i] = s / a[i][i];
        }
      return x;
    }
  } // namespace

  void Land2017Parameters::check(const std::string &where) const
  {
    const auto positive = [&](double v, const char *entry) {
      input_check(std::isfinite(v) && v > 0, where + entry + "] = " + std::to_string(v), "a value > 0");
    };
    positive(k_trpn, "k_TRPN");
    positive(n_trpn, "n_TRPN");
    positive(ca50, "Ca50");
    positive(k_u, "k_u");
    positive(n_tm, "n_tm");
    positive(k_uw, "k_uw");
    positive(k_ws, "k_ws");
    positive(phi, "phi");
    positive(A_eff, "A_eff");
    positive(T_ref, "T_ref");
    input_check(trpn50 > 0 && trpn50 < 1, where + "TRPN50] = " + std::to_string(trpn50), "a value in (0, 1)");
    input_check(r_w > 0 && r_w < 1, where + "r_w] = " + std::to_string(r_w), "a value in (0, 1)");
    input_check(r_s > 0 && r_s < 1, where + "r_s] = " + std::to_string(r_s), "a value in (0, 1)");
    input_check(gamma_s >= 0 && gamma_w >= 0, where + "gamma_s, gamma_w]", "values >= 0");
    // k_wu = k_uw (1/r_w - 1) - k_ws must be a rate (>= 0)
    input_check(k_uw * (1. / r_w - 1.) - k_ws >= 0, where + "k_ws] = " + std::to_string(k_ws),
                "k_ws <= k_uw (1/r_w - 1), so that the weak-to-unbound rate k_wu is not negative");
  }

  Land2017::Land2017(const Land2017Parameters &p)
    : prm(p)
  {
    k_wu = prm.k_uw * (1. / prm.r_w - 1.) - prm.k_ws;
    k_su = prm.k_ws * (1. / prm.r_s - 1.) * prm.r_w;
    A_s = A_w = prm.A_eff * prm.r_s / ((1. - prm.r_s) * prm.r_w + prm.r_s);
    c_w       = prm.phi * prm.k_uw * (1. - prm.r_w) / prm.r_w;
    c_s       = prm.phi * prm.k_ws * (1. - prm.r_s) * prm.r_w / prm.r_s;
    k_b       = prm.k_u * std::pow(prm.trpn50, prm.n_tm) / ((1. - prm.r_s) * (1. - prm.r_w));
  }

  double Land2017::ca50_at(double lambda) const
  {
    return prm.ca50 + prm.beta_1 * (std::min(lambda, 1.2) - 1.);
  }

  double Land2017::overlap(double lambda) const
  {
    const double l = std::min(lambda, 1.2);
    return std::max(0., 1. + prm.beta_0 * (l + std::min(l, 0.87) - 1.87));
  }

  double Land2017::overlap_derivative(double lambda) const
  {
    if (lambda >= 1.2 || overlap(lambda) <= 0)
      return 0.;
    return prm.beta_0 * (lambda < 0.87 ? 2. : 1.);
  }

  void Land2017::distortion_update(double dt, double &decay_s, double &gain_s, double &decay_w, double &gain_w) const
  {
    decay_s = std::exp(-c_s * dt);
    decay_w = std::exp(-c_w * dt);
    gain_s  = A_s * (1. - decay_s) / (c_s * dt);
    gain_w  = A_w * (1. - decay_w) / (c_w * dt);
  }

  double Land2017::tension(const State &y, double lambda) const
  {
    return overlap(lambda) * prm.T_ref / prm.r_s * ((y[ZetaS] + 1.) * y[XS] + y[ZetaW] * y[XW]);
  }

  Land2017::State Land2017::steady_state(double ca_uM, double lambda) const
  {
    const double x     = std::pow(std::max(ca_uM, 0.) / ca50_at(lambda), prm.n_trpn);
    const double c     = x / (1. + x);
    const double c_m   = c > 0 ? std::min(100., std::pow(c, -0.5 * prm.n_tm)) : 100.;
    const double c_p   = std::pow(c, 0.5 * prm.n_tm);
    const double a     = prm.k_uw / (k_wu + prm.k_ws); // XW / XU
    const double b     = prm.k_ws / k_su;              // XS / XW
    const double g     = c_p > 0 ? k_b * c_m / (prm.k_u * c_p) : 1e300; // TmB / XU
    const double xu    = g < 1e299 ? 1. / (1. + a + a * b + g) : 0.;
    State        y{};
    y[XW]     = a * xu;
    y[XS]     = a * b * xu;
    y[TmB]    = g < 1e299 ? g * xu : 1.;
    y[CaTRPN] = c;
    y[ZetaS] = y[ZetaW] = 0.;
    return y;
  }

  void Land2017::rhs(const State &y, double ca_uM, double lambda, double dlambda_dt, State &dydt) const
  {
    const double xu   = 1. - y[TmB] - y[XS] - y[XW];
    const double c    = std::max(y[CaTRPN], 0.);
    const double c_m  = c > 0 ? std::min(100., std::pow(c, -0.5 * prm.n_tm)) : 100.;
    const double c_p  = std::pow(c, 0.5 * prm.n_tm);
    const double g_su = strong_unbinding(prm.gamma_s, y[ZetaS]);
    const double g_wu = prm.gamma_w * std::abs(y[ZetaW]);
    dydt[XS]     = prm.k_ws * y[XW] - k_su * y[XS] - g_su * y[XS];
    dydt[XW]     = prm.k_uw * xu - k_wu * y[XW] - prm.k_ws * y[XW] - g_wu * y[XW];
    dydt[CaTRPN] = prm.k_trpn * (std::pow(std::max(ca_uM, 0.) / ca50_at(lambda), prm.n_trpn) * (1. - y[CaTRPN]) - y[CaTRPN]);
    dydt[TmB]    = k_b * c_m * xu - prm.k_u * c_p * y[TmB];
    dydt[ZetaS]  = A_s * dlambda_dt - c_s * y[ZetaS];
    dydt[ZetaW]  = A_w * dlambda_dt - c_w * y[ZetaW];
  }

  void Land2017::advance(State &y, double ca_uM, double lambda, double dlambda_dt, double dt,
                         double max_substep) const
  {
    if (!(dt > 0))
      return;
    const unsigned int n = std::max(1u, static_cast<unsigned int>(std::ceil(dt / max_substep - 1e-12)));
    const double       h = dt / n;
    const double       x = std::pow(std::max(ca_uM, 0.) / ca50_at(lambda), prm.n_trpn);
    // coefficients of z' = M z + r for z = (XS, XW, TmB), XU = 1 - XS - XW - TmB
    const auto system = [&](const State &s, std::array<std::array<double, 3>, 3> &M, std::array<double, 3> &r) {
      const double c    = std::max(s[CaTRPN], 0.);
      const double c_m  = c > 0 ? std::min(100., std::pow(c, -0.5 * prm.n_tm)) : 100.;
      const double c_p  = std::pow(c, 0.5 * prm.n_tm);
      const double g_su = strong_unbinding(prm.gamma_s, s[ZetaS]);
      const double g_wu = prm.gamma_w * std::abs(s[ZetaW]);
      M[0] = {{-(k_su + g_su), prm.k_ws, 0.}};
      M[1] = {{-prm.k_uw, -(prm.k_uw + k_wu + prm.k_ws + g_wu), -prm.k_uw}};
      M[2] = {{-k_b * c_m, -k_b * c_m, -(k_b * c_m + prm.k_u * c_p)}};
      r = {{0., prm.k_uw, k_b * c_m}};
    };
    for (unsigned int k = 0; k < n; ++k)
      {
        std::array<std::array<double, 3>, 3> M0, M1;
        std::array<double, 3>                r0, r1;
        system(y, M0, r0);
        // linear, constant-coefficient states: exact
        const double c_inf = x / (1. + x);
        y[CaTRPN]          = c_inf + (y[CaTRPN] - c_inf) * std::exp(-prm.k_trpn * (1. + x) * h);
        const double zs_inf = A_s * dlambda_dt / c_s, zw_inf = A_w * dlambda_dt / c_w;
        y[ZetaS]            = zs_inf + (y[ZetaS] - zs_inf) * std::exp(-c_s * h);
        y[ZetaW]            = zw_inf + (y[ZetaW] - zw_inf) * std::exp(-c_w * h);
        system(y, M1, r1);
        // trapezoidal rule: (I - h/2 M1) z1 = (I + h/2 M0) z0 + h/2 (r0 + r1)
        const std::array<double, 3>          z0 = {{y[XS], y[XW], y[TmB]}};
        std::array<std::array<double, 3>, 3> A;
        std::array<double, 3>                b;
        for (unsigned int i = 0; i < 3; ++i)
          {
            b[i] = z0[i] + 0.5 * h * (r0[i] + r1[i]);
            for (unsigned int j = 0; j < 3; ++j)
              {
                A[i][j] = (i == j ? 1. : 0.) - 0.5 * h * M1[i][j];
                b[i] += 0.5 * h * M0[i][j] * z0[j];
              }
          }
        const auto z1 = solve3(A, b);
        y[XS]         = z1[0];
        y[XW]         = z1[1];
        y[TmB]        = z1[2];
      }
  }
} // namespace organtwin::materials
