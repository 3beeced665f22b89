#!/usr/bin/env python3
"""Resistance outlet in a steady Poiseuille channel (channel.prm, Q2-Q1, Laplacian viscous form,
whose do-nothing outlet admits the exact parabolic profile): the outlet pressure is
P = P0 + R Q with the flow Q the solver computes, so the mean outlet pressure must equal
P0 + R Q, and the inlet-outlet difference the Poiseuille drop 12 mu L Q / H^3 (2D, per unit
depth). Q2 contains the exact solution, so both hold to solver precision (1e-8 relative)."""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

deck = os.path.join(otcheck.SRC, "tests", "regression", "flow", "channel.prm")
R, P0, Q, mu, L, H = 0.05, 0.01, 0.1, 0.0035, 4.0, 1.0   # kPa ms/mm^2, kPa, mm^2/ms, kPa ms, mm, mm
s = otcheck.run(deck, "resistance", ["-s", "Boundary conditions/Outlet model=resistance",
                                     "-s", f"Boundary conditions/Resistance={R}",
                                     "-s", f"Boundary conditions/Outlet pressure={P0}"])
q_out = s["Q_1"]
p_out = P0 + R * q_out
dp, dp_exact = s["pmean_0"] - s["pmean_1"], 12 * mu * L * Q / H**3
otcheck.report([
    ("outlet flow = inflow Q = 0.1", abs(q_out - Q) < 1e-10, f"Q_out = {q_out:.12f}"),
    ("mean outlet pressure = P0 + R Q (1e-8 rel)", abs(s["pmean_1"] - p_out) < 1e-8 * p_out,
     f"pmean = {s['pmean_1']:.12f} kPa vs {p_out:.12f} kPa"),
    ("inlet-outlet drop = 12 mu L Q / H^3 (1e-8 rel)", abs(dp - dp_exact) < 1e-8 * dp_exact,
     f"{dp:.12f} vs {dp_exact:.12f} kPa"),
])
