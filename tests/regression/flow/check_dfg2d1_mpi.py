#!/usr/bin/env python3
"""DFG 2D-1 (Schaefer & Turek 1996, Re = 20) on the coarse level 1 mesh: cD within 3 % of the
reference 5.57953523384 (FEATFLOW), cL and dp in the right range, and the same cD on 1 and
2 MPI ranks to 1e-8 relative (direct solver)."""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck as flowcheck  # noqa: E402  (the shared run/report helpers of the regression scripts)

deck = os.path.join(flowcheck.SRC, "validation", "dfg2d", "dfg2d1.prm")
args = ["-s", "Mesh/Refinements=1"]
s1 = flowcheck.run(deck, "dfg_np1", args, ranks=1)
s2 = flowcheck.run(deck, "dfg_np2", args, ranks=2)
cd_ref, dp_ref = 5.57953523384, 0.11752016697
cd1, cd2 = s1["cD_2"], s2["cD_2"]
flowcheck.report([
    ("cD within 3 % of 5.5795 (level 1)", abs(cd1 - cd_ref) / cd_ref < 0.03, f"cD = {cd1:.6f} ({100 * (cd1 - cd_ref) / cd_ref:+.3f} %)"),
    ("dp within 5 % of 0.11752 (level 1: +3.3 %)", abs(s1["dp"] - dp_ref) / dp_ref < 0.05, f"dp = {s1['dp']:.6f}"),
    ("cL in (0, 0.05)", 0 < s1["cL_2"] < 0.05, f"cL = {s1['cL_2']:.6f}"),
    ("inflow carries Q = 0.082", abs(-s1["Q_0"] - 0.082) < 1e-6, f"Q_in = {-s1['Q_0']:.8f}"),
    ("outflow = inflow (mass conservation)", abs(s1["Q_0"] + s1["Q_1"]) < 1e-8, f"Q_in + Q_out = {s1['Q_0'] + s1['Q_1']:.2e}"),
    ("cD 1 rank == 2 ranks (1e-8 rel)", abs(cd1 - cd2) / cd1 < 1e-8, f"{cd1:.12f} vs {cd2:.12f}"),
    ("dp 1 rank == 2 ranks (1e-8 rel)", abs(s1["dp"] - s2["dp"]) / s1["dp"] < 1e-8, f"{s1['dp']:.12f} vs {s2['dp']:.12f}"),
])
