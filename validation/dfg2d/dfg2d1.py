#!/usr/bin/env python3
"""DFG benchmark 2D-1 (Schaefer & Turek 1996; steady, Re = 20): refinement table of cD, cL and
dp against the FEATFLOW reference values (/work/shared/data/benchmarks.md section 5), drag and
lift by the volume (Babuska-Miller) formula. Acceptance: all three within 1 % at the finest level.
  python3 validation/dfg2d/dfg2d1.py [--levels 1 2 3 4] [--np 1] [--out .]"""
import argparse, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "regression", "ep"))
import otcheck as flowcheck  # noqa: E402  (the shared run/report helpers)

REF = {"cD": 5.57953523384, "cL": 0.010618948146, "dp": 0.11752016697}
ap = argparse.ArgumentParser()
ap.add_argument("--levels", type=int, nargs="+", default=[1, 2, 3, 4])
ap.add_argument("--np", type=int, default=1)
ap.add_argument("--out", default=".")
ap.add_argument("--extra", nargs="*", default=[], help="extra -s overrides, e.g. Solver/Linear solver=iterative")
a = ap.parse_args()
deck = os.path.join(flowcheck.SRC, "validation", "dfg2d", "dfg2d1.prm")
lines = ["| level | cells | DoFs | cD | err | cL | err | Δp | err | Newton | Krylov/step | wall [s] |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|"]
csv = ["level,cells,dofs,cD,cD_err_pct,cL,cL_err_pct,dp,dp_err_pct,newton,krylov_mean,wall_s"]
last = None
for lev in a.levels:
    args = ["-s", f"Mesh/Refinements={lev}"]
    for e in a.extra:
        args += ["-s", e]
    s = flowcheck.run(deck, os.path.join(a.out, f"dfg2d1_{lev}"), args, ranks=a.np)
    v = {"cD": s["cD_2"], "cL": s["cL_2"], "dp": s["dp"]}
    err = {k: 100 * (v[k] - REF[k]) / REF[k] for k in REF}
    dofs = s["dofs_velocity"] + s["dofs_pressure"]
    lines.append(f"| {lev} | {s['cells']} | {dofs} | {v['cD']:.6f} | {err['cD']:+.3f} % | {v['cL']:.6f} | {err['cL']:+.2f} % | "
                 f"{v['dp']:.6f} | {err['dp']:+.3f} % | {s['newton_mean_per_step']:.0f} | {s['krylov_mean_per_step']:.1f} | {s['wall_time_s']:.1f} |")
    csv.append(f"{lev},{s['cells']},{dofs},{v['cD']},{err['cD']},{v['cL']},{err['cL']},{v['dp']},{err['dp']},"
               f"{s['newton_mean_per_step']},{s['krylov_mean_per_step']},{s['wall_time_s']}")
    last = err
    print(lines[-1], flush=True)
lines.append(f"\nReference (FEATFLOW): cD = {REF['cD']}, cL = {REF['cL']}, Δp = {REF['dp']}.")
print("\n".join(lines))
open(os.path.join(a.out, "dfg2d1_table.md"), "w").write("\n".join(lines) + "\n")
open(os.path.join(a.out, "dfg2d1_table.csv"), "w").write("\n".join(csv) + "\n")
flowcheck.report([(f"{k} within 1 % at the finest level", abs(last[k]) < 1.0, f"{last[k]:+.3f} %") for k in REF])
