#!/usr/bin/env python3
"""Stabilised equal-order Q1-Q1 (SUPG/PSPG/LSIC) on DFG 2D-1 (Re = 20, steady), level 1
(1476 DoFs): the same cD, cL and dp on 1 and 2 MPI ranks (1e-8 relative, direct solver), cD
within 3 % of the reference 5.57953523384 (measured +1.30 % at level 1, +0.035 % at level 2)
and mass conservation (inflow = outflow to 1e-10)."""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

deck = os.path.join(otcheck.SRC, "validation", "dfg2d", "dfg2d1.prm")
args = ["-s", "Mesh/Refinements=1", "-s", "Mesh/Formulation=equal-order", "-s", "Solver/Newton max iterations=40"]
s1 = otcheck.run(deck, "eq_np1", args, ranks=1)
s2 = otcheck.run(deck, "eq_np2", args, ranks=2)
cd_ref = 5.57953523384
checks = [("elements are Q1-Q1 SUPG/PSPG", s1["elements"].startswith("Q1-Q1"), s1["elements"]),
          ("cD within 3 % of 5.5795 (level 1)", abs(s1["cD_2"] - cd_ref) / cd_ref < 0.03,
           f"cD = {s1['cD_2']:.6f} ({100 * (s1['cD_2'] - cd_ref) / cd_ref:+.3f} %)"),
          ("inflow = outflow (1e-10)", abs(s1["Q_0"] + s1["Q_1"]) < 1e-10, f"{s1['Q_0'] + s1['Q_1']:.2e}")]
for k in ("cD_2", "cL_2", "dp"):
    checks.append((f"{k} 1 rank == 2 ranks (1e-8 rel)", abs(s1[k] - s2[k]) <= 1e-8 * abs(s1[k]),
                   f"{s1[k]:.12f} vs {s2[k]:.12f}"))
otcheck.report(checks)
