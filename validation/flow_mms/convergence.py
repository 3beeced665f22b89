#!/usr/bin/env python3
"""Observed convergence orders of the Navier-Stokes solver on the Kovasznay flow (Re = 40,
steady; Kovasznay 1948), Q2-Q1 Taylor-Hood (and P2-P1 with --tet). Expected: velocity L2 3,
velocity H1 2, pressure L2 2. --equal-order: stabilised Q1-Q1 / P1-P1 (SUPG/PSPG/LSIC),
expected velocity L2 2, H1 1, pressure L2 >= 1 (1.5 is typical for smooth solutions).
Writes convergence.csv/.md into --out.
  python3 validation/flow_mms/convergence.py [--levels 1 2 3 4] [--tet] [--equal-order] [--check]"""
import argparse, math, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "regression", "ep"))
import otcheck as flowcheck  # noqa: E402  (the shared run/report helpers)

ap = argparse.ArgumentParser()
ap.add_argument("--levels", type=int, nargs="+", default=[2, 3, 4, 5])
ap.add_argument("--tet", action="store_true", help="P2-P1 on triangles")
ap.add_argument("--equal-order", action="store_true", help="stabilised Q1-Q1 (P1-P1 with --tet)")
ap.add_argument("--out", default=".")
ap.add_argument("--check", action="store_true",
                help="exit 1 unless the last orders reach 2.7 / 1.8 / 1.8 (equal order: 1.8 / 0.9 / 1.0)")
a = ap.parse_args()
deck = os.path.join(flowcheck.SRC, "validation", "flow_mms", "kovasznay.prm")
rows = []
for lev in a.levels:
    args = ["-s", f"Mesh/Refinements={lev}"] + (["-s", "Mesh/Element type=tet"] if a.tet else [])
    args += ["-s", "Mesh/Formulation=equal-order"] if a.equal_order else []
    s = flowcheck.run(deck, os.path.join(a.out, f"kovasznay_{lev}"), args)
    rows.append((lev, s["h_max"], s["dofs_velocity"] + s["dofs_pressure"], s["error_velocity_L2"],
                 s["error_velocity_H1"], s["error_pressure_L2"]))
lines = ["| level | h | DoFs | ‖u−u_h‖L2 | order | |u−u_h|H1 | order | ‖p−p_h‖L2 | order |", "|---|---|---|---|---|---|---|---|---|"]
csv = ["level,h,dofs,eu_L2,order_u_L2,eu_H1,order_u_H1,ep_L2,order_p_L2"]
orders = None
for i, r in enumerate(rows):
    o = ["", "", ""]
    if i > 0:
        q = math.log(rows[i - 1][1] / r[1])
        orders = [math.log(rows[i - 1][k] / r[k]) / q for k in (3, 4, 5)]
        o = [f"{x:.2f}" for x in orders]
    lines.append(f"| {r[0]} | {r[1]:.4g} | {r[2]} | {r[3]:.3e} | {o[0]} | {r[4]:.3e} | {o[1]} | {r[5]:.3e} | {o[2]} |")
    csv.append(f"{r[0]},{r[1]},{r[2]},{r[3]},{o[0]},{r[4]},{o[1]},{r[5]},{o[2]}")
print("\n".join(lines))
os.makedirs(a.out, exist_ok=True)
open(os.path.join(a.out, "convergence.md"), "w").write("\n".join(lines) + "\n")
open(os.path.join(a.out, "convergence.csv"), "w").write("\n".join(csv) + "\n")
if a.check and a.equal_order:
    flowcheck.report([("velocity L2 order >= 1.8 (expected 2)", orders[0] >= 1.8, f"{orders[0]:.3f}"),
                      ("velocity H1 order >= 0.9 (expected 1)", orders[1] >= 0.9, f"{orders[1]:.3f}"),
                      ("pressure L2 order >= 1.0", orders[2] >= 1.0, f"{orders[2]:.3f}")])
elif a.check:
    flowcheck.report([("velocity L2 order >= 2.7 (expected 3)", orders[0] >= 2.7, f"{orders[0]:.3f}"),
                      ("velocity H1 order >= 1.8 (expected 2)", orders[1] >= 1.8, f"{orders[1]:.3f}"),
                      ("pressure L2 order >= 1.8 (expected 2)", orders[2] >= 1.8, f"{orders[2]:.3f}")])
