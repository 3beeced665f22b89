#!/usr/bin/python3
"""Cost of the finite-strain solver on Land 2015 Problem 2 (LV inflation): Newton
iterations per load step, linear iterations per Newton step and wall time per load
step, for given ellipsoid refinements, degrees, linear solvers and MPI rank counts.

usage: run.py [--bin organtwin] [--levels 1 2] [--degree 2] [--ranks 1 2]
              [--solvers direct iterative] [--out bench_out] [--gmsh 4 3]
Writes <out>/mechanics_land.csv and <out>/mechanics_land.md (and the per-step rows of
every run, <out>/mechanics_land_steps.csv: Newton iterations, linear iterations and wall
time of each load step).

--gmsh H1 H2 ...: instead of the in-code hexahedra (--levels), P2-P1 tetrahedra (mixed
u-p, kappa 1e6 kPa, MUMPS) on the meshes/ Gmsh Land LV with curved P2 geometry at these
element sizes [mm] (the discretisation of validation/land2015 run.py --gmsh); --barrier KB
sets [Material] Mixed barrier modulus, --order 1 straight-faced tetrahedra.
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
ap.add_argument("--gmsh", type=float, nargs="+", default=None, help="P2-P1 on the Gmsh LV at these sizes [mm]")
ap.add_argument("--barrier", type=float, default=0., help="--gmsh: Material/Mixed barrier modulus [kPa]")
ap.add_argument("--order", type=int, default=2, help="--gmsh: geometry order (Mesh/Element order)")
args = ap.parse_args()
if args.gmsh:
    args.solvers = ["direct"]  # the mixed form needs MUMPS
os.makedirs(args.out, exist_ok=True)
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
deck = os.path.join(src, "validation/land2015/problem2.prm")
rows, step_rows = [], []
md = [f"| {'P' if args.gmsh else 'Q'} | {'h [mm]' if args.gmsh else 'refinements'} | DoFs | ranks | linear solver | load steps | Newton its / step | linear its / Newton | s / load step | total wall [s] | endo apex z [mm] |",
      "|---|---|---|---|---|---|---|---|---|---|---|"]
for level in (args.gmsh or args.levels):
    for solver in args.solvers:
        for np_ in args.ranks:
            with tempfile.TemporaryDirectory() as tmp:
                res = os.path.join(tmp, "r")
                cmd = ([*mpirun, "-np", str(np_)] if np_ > 1 else []) + [args.bin, "run", deck, "-v", "0",
                       "-s", f"Output/Directory={res}", "-s", "Output/Fields=none",
                       "-s", f"Discretisation/Degree={args.degree}", "-s", f"Linear solver/Type={solver}"]
                if args.gmsh:
                    cmd += ["-s", "Geometry/Source=mesh", "-s", "Mesh/Source=generator", "-s", "Mesh/Generator=land_lv",
                            "-s", f"Mesh/Element size={level}", "-s", f"Mesh/Element order={args.order}",
                            "-s", "Boundary conditions/Fixed=1:xyz", "-s", "Boundary conditions/Pressure boundaries=2",
                            "-s", "Discretisation/Incompressibility=mixed", "-s", "Material/Bulk modulus=1e6",
                            "-s", f"Material/Mixed barrier modulus={args.barrier:g}"]
                else:
                    cmd += ["-s", f"Geometry/Ellipsoid refinements={level}"]
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
                for r in st:
                    step_rows.append(dict(level=level, ranks=np_, solver=solver, **r))
                md.append(f"| {args.degree} | {level} | {s['dofs']} | {np_} | {solver} | {len(st)} | {newton / len(st):.2f} | "
                          f"{'(LU)' if solver == 'direct' else '%.1f' % (lin / max(newton, 1))} | {secs / len(st):.2f} | {wall:.1f} | {z:.5f} |")
                print(md[-1], flush=True)
with open(os.path.join(args.out, "mechanics_land.csv"), "w") as f:
    if rows:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
if step_rows:
    with open(os.path.join(args.out, "mechanics_land_steps.csv"), "w") as f:
        w = csv.DictWriter(f, fieldnames=list(step_rows[0].keys()))
        w.writeheader()
        w.writerows(step_rows)
open(os.path.join(args.out, "mechanics_land.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
