#!/usr/bin/env python3
"""DFG benchmark 3D-1Z (Schaefer & Turek 1996; steady, Re = 20, cylinder in a square channel):
refinement table of cD, cL and dp against the reference values (README.md), drag and lift by the
volume (Babuska-Miller) formula, Q2-Q1 steady Newton. Acceptance: cD within 2 % of 6.185 at the
finest level run. A validation script (minutes per level), not a CI test.
  python3 validation/dfg3d/dfg3d1z.py [--levels 0 1] [--np 1] [--out .] [--extra "Solver/Linear solver=iterative"]"""
import argparse, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "regression", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

# cD: 6.185 (brief of issue 8; Braack & Richter 2006 report 6.18533); the reference sheet
# (/work/shared/data/benchmarks.md section 5, tagged "from recollection") gives the 1996 ranges
# cD 6.05-6.25, cL 0.008-0.010, dp 0.165-0.175. cL and dp are compared with the range centres.
REF = {"cD": 6.185, "cL": 0.009, "dp": 0.170}
RANGE = {"cD": (6.05, 6.25), "cL": (0.008, 0.010), "dp": (0.165, 0.175)}
ap = argparse.ArgumentParser()
ap.add_argument("--levels", type=int, nargs="+", default=[0, 1])
ap.add_argument("--np", type=int, default=1)
ap.add_argument("--out", default=".")
ap.add_argument("--extra", nargs="*", default=[], help="extra -s overrides, e.g. Solver/Linear solver=iterative")
a = ap.parse_args()
deck = os.path.join(otcheck.SRC, "validation", "dfg3d", "dfg3d1z.prm")
lines = ["| level | cells | DoFs | cD | err vs 6.185 | cL | in 0.008-0.010? | Δp | in 0.165-0.175? | Picard + Newton | smallest step | wall [s] |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
csv = ["level,cells,dofs,cD,cD_err_pct,cL,dp,newton,krylov_mean,wall_s"]
last = None
for lev in a.levels:
    args = ["-s", f"Mesh/Refinements={lev}"]
    for e in a.extra:
        args += ["-s", e]
    s = otcheck.run(deck, os.path.join(a.out, f"dfg3d1z_{lev}"), args, ranks=a.np)
    v = {"cD": s["cD_2"], "cL": s["cL_2"], "dp": s["dp"]}
    err = 100 * (v["cD"] - REF["cD"]) / REF["cD"]
    inside = {k: "yes" if RANGE[k][0] <= v[k] <= RANGE[k][1] else "no" for k in RANGE}
    dofs = s["dofs_velocity"] + s["dofs_pressure"]
    lines.append(f"| {lev} | {s['cells']} | {dofs} | {v['cD']:.5f} | {err:+.2f} % | {v['cL']:.6f} | {inside['cL']} | "
                 f"{v['dp']:.5f} | {inside['dp']} | {s['picard_iterations']:.0f} + {s['newton_iterations']:.0f} | {s['smallest_step']:g} | "
                 f"{s['wall_time_s']:.0f} |")
    csv.append(f"{lev},{s['cells']},{dofs},{v['cD']},{err},{v['cL']},{v['dp']},{s['newton_mean_per_step']},"
               f"{s['krylov_mean_per_step']},{s['wall_time_s']}")
    last = err
    print(lines[-1], flush=True)
lines.append(f"\nReference: cD = {REF['cD']} (acceptance ±2 %); 1996 ranges cD {RANGE['cD']}, cL {RANGE['cL']}, Δp {RANGE['dp']}.")
print("\n".join(lines))
open(os.path.join(a.out, "dfg3d1z_table.md"), "w").write("\n".join(lines) + "\n")
open(os.path.join(a.out, "dfg3d1z_table.csv"), "w").write("\n".join(csv) + "\n")
otcheck.report([("cD within 2 % of 6.185 at the finest level", abs(last) < 2.0, f"{last:+.2f} %")])
