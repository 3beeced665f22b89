#!/usr/bin/env python3
"""Carreau-Yasuda blood (Cho & Kensey 1991 constants) in a steady 2D channel 10 x 1 mm
(channel.prm, Q2-Q1, symmetric viscous form, 20 x 4 cells). In the fully developed part the
shear stress is linear across the channel, tau(s) = G s (s distance from the centre line,
G = -dp/dx), and mu(gdot) gdot = |tau| gives the shear rate; the flow rate is
Q = 2 int_0^(H/2) s gdot(G s) ds. The test solves this 1D problem for G given Q (bisection)
and compares with the pressure gradient the solver gives between x = 5 and 8 mm:
  - Q = 0.01 mm^2/ms (wall shear rate ~ 60 /s, strongly shear thinning): G within 0.5 % of the
    1D value, and far from both Newtonian limits 12 mu Q / H^3 with mu_0 and mu_inf;
  - Q = 1e-6 mm^2/ms (lambda gdot < 0.03): the zero-shear limit, G within 0.1 % of 12 mu_0 Q/H^3.
The Picard viscosity iteration must converge (Newton tolerance 1e-10 within 100 iterations)."""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

deck = os.path.join(otcheck.SRC, "tests", "regression", "flow", "channel.prm")
mu0, muinf, lam, n, a = 0.056, 0.00345, 3313.0, 0.3568, 2.0   # deck defaults (kPa ms, ms)
H, x1, x2 = 1.0, 5.0, 8.0


def mu(g):
    return muinf + (mu0 - muinf) * (1 + (lam * g) ** a) ** ((n - 1) / a)


def gdot(tau):
    lo, hi = 0.0, tau / muinf
    for _ in range(80):
        m = 0.5 * (lo + hi)
        lo, hi = (m, hi) if mu(m) * m < tau else (lo, m)
    return 0.5 * (lo + hi)


def flow(G, N=1000):
    ds = 0.5 * H / N
    return 2 * sum((i + 0.5) * ds * gdot(G * (i + 0.5) * ds) * ds for i in range(N))


def gradient_1d(Q):
    lo, hi = 12 * muinf * Q / H**3, 12 * mu0 * Q / H**3
    for _ in range(50):
        m = (lo * hi) ** 0.5
        lo, hi = (m, hi) if flow(m) < Q else (lo, m)
    return (lo * hi) ** 0.5


def run(Q, out):
    s = otcheck.run(deck, out, ["-s", "Mesh/Upper corner=10,1", "-s", "Mesh/Subdivisions=20,4",
                                "-s", "Fluid/Rheology=CarreauYasuda", "-s", "Fluid/Viscous term=symmetric",
                                "-s", f"Boundary conditions/Flow rate={Q}",
                                "-s", "Solver/Newton max iterations=100", "-s", "Solver/Newton tolerance=1e-10",
                                "-s", f"Quantities/Pressure points={x1},0.5; {x2},0.5"])
    return s["dp"] / (x2 - x1), s


Q = 0.01
g_fe, s = run(Q, "cy_q0.01")
g_1d = gradient_1d(Q)
g_lo, s_lo = run(1e-6, "cy_q1e-6")
g0_lo = 12 * mu0 * 1e-6 / H**3
otcheck.report([
    ("Q = 0.01: dp/dx within 0.5 % of the 1D Carreau-Yasuda channel", abs(g_fe - g_1d) < 0.005 * g_1d,
     f"G = {g_fe:.7g} vs {g_1d:.7g} kPa/mm ({100 * (g_fe - g_1d) / g_1d:+.3f} %); Newtonian mu_0: "
     f"{12 * mu0 * Q:.4g}, mu_inf: {12 * muinf * Q:.4g}"),
    ("Q = 0.01: shear thinning (G < 0.5 x mu_0 value, > 1.2 x mu_inf value)",
     1.2 * 12 * muinf * Q < g_fe < 0.5 * 12 * mu0 * Q, f"G / G(mu_0) = {g_fe / (12 * mu0 * Q):.4f}"),
    ("Q = 1e-6: zero-shear limit, G within 0.1 % of 12 mu_0 Q / H^3", abs(g_lo - g0_lo) < 1e-3 * g0_lo,
     f"G = {g_lo:.7g} vs {g0_lo:.7g} ({100 * (g_lo - g0_lo) / g0_lo:+.4f} %)"),
    ("Picard iterations converged (< 100)", s["newton_mean_per_step"] < 100 and s_lo["newton_mean_per_step"] < 100,
     f"{s['newton_mean_per_step']:.0f} and {s_lo['newton_mean_per_step']:.0f} iterations"),
])
