#!/usr/bin/python3
"""Cost of the finite-strain solver on Land 2015 Problem 2 (LV inflation): Newton
iterations per load step, linear iterations per Newton step and wall time per load
step, for given ellipsoid refinements, degrees, linear solvers and MPI rank counts.

usage: run.py [--bin organtwin] [--levels 1 2] [--degree 2] [--ranks 1 2]
              [--solvers direct iterative] [--out bench_out]
Writes <out>/mechanics_land.csv and <out>/mechanics_land.md.
"""
import argparse, csv, json, os, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--levels", type=int, nargs="+", default=[1, 2])
ap.add_argument("--degree", type=int, default=2)
ap.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
ap.add_argument("--solvers", nargs="+", default=["direct", "iterative"])
ap.add_argument("--out", default="bench_out")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
deck = os.path.join(src, "validation/land2015/problem2.prm")
rows = []
md = ["| Q | refinements | DoFs | ranks | linear solver | load steps | Newton its / step | linear its / Newton | s / load step | total wall [s] | endo apex z [mm] |",
      "|---|---|---|---|---|---|---|---|---|---|---|"]
for level in args.levels:
    for solver in args.solvers:
        for np_ in args.ranks:
            with tempfile.TemporaryDirectory() as tmp:
                res = os.path.join(tmp, "r")
                cmd = ([*mpirun, "-np", str(np_)] if np_ > 1 else []) + [args.bin, "run", deck, "-v", "0",
                       "-s", f"Output/Directory={res}", "-s", "Output/Fields=none",
                       "-s", f"Geometry/Ellipsoid refinements={level}", "-s", f"Discretisation/Degree={args.degree}",
                       "-s", f"Linear solver/Type={solver}"]
                t0 = time.time()
                p = subprocess.run(cmd, capture_output=True, text=True)
                wall = time.time() - t0
                if p.returncode != 0:
                    print(p.stdout[-2000:], p.stderr[-2000:])
                    md.append(f"| {args.degree} | {level} | | {np_} | {solver} | failed | | | | {wall:.1f} | |")
                    continue
                s = json.load(open(os.path.join(res, "summary.json")))
                st = list(csv.DictReader(open(os.path.join(res, "load_steps.csv"))))
                newton = sum(int(r["newton_iterations"]) for r in st)
                lin = sum(int(r["linear_iterations"]) for r in st)
                secs = sum(float(r["seconds"]) for r in st)
                z = s["probes"]["endo_apex"]["deformed"][2]
                row = dict(degree=args.degree, level=level, dofs=s["dofs"], ranks=np_, solver=solver, steps=len(st),
                           newton_per_step=newton / len(st), linear_per_newton=lin / max(newton, 1),
                           seconds_per_step=secs / len(st), wall=wall, endo_apex_z=z)
                rows.append(row)
                md.append(f"| {args.degree} | {level} | {s['dofs']} | {np_} | {solver} | {len(st)} | {newton / len(st):.2f} | "
                          f"{'(LU)' if solver == 'direct' else '%.1f' % (lin / max(newton, 1))} | {secs / len(st):.2f} | {wall:.1f} | {z:.5f} |")
                print(md[-1], flush=True)
with open(os.path.join(args.out, "mechanics_land.csv"), "w") as f:
    if rows:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
open(os.path.join(args.out, "mechanics_land.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
