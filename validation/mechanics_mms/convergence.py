#!/usr/bin/python3
"""Convergence of the finite-strain solver to a manufactured solution (README.md).
Runs organtwin on the unit cube for Q1/Q2 hexahedra with the volumetric penalty and Q2-Q1
with the mixed displacement-pressure form (and P1/P2, P2-P1 tetrahedra with --full), writes
convergence.csv and convergence.md into --out and exits 1 when an observed L2 order of the
displacement misses its bound (Q1/P1 >= 1.8, Q2/P2 >= 2.7, also for the mixed form) or, for
the mixed form, the observed L2 order of the multiplier p is below 1.8 (Q1/P1 pressure).

usage: convergence.py [--bin organtwin] [--out DIR] [--quick [--tets]] [--full] [--np N]
"""
import argparse, json, math, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--out", default="mechanics_mms")
ap.add_argument("--quick", action="store_true", help="two meshes per element (the ctest)")
ap.add_argument("--full", action="store_true", help="add tetrahedra and a finer Q1 mesh")
ap.add_argument("--np", type=int, default=1)
ap.add_argument("--tets", action="store_true", help="with --quick: only the P2-P1 tetrahedra pair (a ctest)")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()


def run(elem, degree, h, form):
    with tempfile.TemporaryDirectory() as tmp:
        res = os.path.join(tmp, "r")
        cmd = ([*mpirun, "-np", str(args.np)] if args.np > 1 else []) + [
            args.bin, "run", os.path.join(here, "deck.prm"), "-v", "0", "-s", f"Output/Directory={res}",
            "-s", f"Mesh/Element type={elem}", "-s", f"Mesh/Element size={h}", "-s", f"Discretisation/Degree={degree}",
            "-s", f"Discretisation/Incompressibility={form}"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("organtwin failed: " + " ".join(cmd) + "\n" + p.stdout + p.stderr)
        return json.load(open(os.path.join(res, "summary.json")))


if args.quick:
    cases = {("hex", 1, "penalty"): [0.25, 0.125], ("hex", 2, "penalty"): [0.5, 0.25],
             ("hex", 2, "mixed"): [0.5, 0.25]}
    if args.tets:
        cases = {("tet", 2, "mixed"): [0.5, 0.25]}
else:
    cases = {("hex", 1, "penalty"): [0.25, 0.125, 0.0625] + ([0.03125] if args.full else []),
             ("hex", 2, "penalty"): [0.5, 0.25, 0.125], ("hex", 2, "mixed"): [0.5, 0.25, 0.125]}
    if args.full:
        cases[("tet", 1, "penalty")] = [0.5, 0.25, 0.125]
        cases[("tet", 2, "penalty")] = [0.5, 0.25]
        cases[("tet", 2, "mixed")] = [0.5, 0.25]
bounds = {1: 1.8, 2: 2.7}
ok, rows, md = True, [], ["| element | h [mm] | DoFs | L2 error [mm] | H1 error | L2 order | p L2 error | p order | bound | result |",
                          "|---|---|---|---|---|---|---|---|---|---|"]
for (elem, deg, form), hs in cases.items():
    name = ("Q" if elem == "hex" else "P") + str(deg)
    if form == "mixed":
        name += "-" + name[0] + str(deg - 1)
    res = [run(elem, deg, h, form) for h in hs]
    l2 = [r["l2_error"] for r in res]
    orders = [math.log(l2[i] / l2[i + 1], hs[i] / hs[i + 1]) for i in range(len(hs) - 1)]
    good = orders[-1] >= bounds[deg]
    porders = []
    if form == "mixed":
        pl2 = [r["pressure_l2_error"] for r in res]
        porders = [math.log(pl2[i] / pl2[i + 1], hs[i] / hs[i + 1]) for i in range(len(hs) - 1)]
        good &= porders[-1] >= 1.8
    ok &= good
    for i, (h, r) in enumerate(zip(hs, res)):
        o = "%.2f" % orders[i - 1] if i > 0 else ""
        pe = "%.3e" % r["pressure_l2_error"] if "pressure_l2_error" in r else ""
        po = "%.2f" % porders[i - 1] if i > 0 and porders else ""
        rows.append(f"{name},{h},{r['dofs']},{r['l2_error']:.6e},{r['h1_error']:.6e},{o},{pe},{po},{r['newton_iterations']}")
        md.append(f"| {name} | {h} | {r['dofs']} | {r['l2_error']:.3e} | {r['h1_error']:.3e} | {o} | {pe} | {po} | "
                  f"{'>= %.1f' % bounds[deg] if i == len(hs) - 1 else ''} | "
                  f"{('pass' if good else 'FAIL') if i == len(hs) - 1 else ''} |")
    print(f"{name}: h = {hs}, L2 = {['%.3e' % e for e in l2]}, orders = {['%.2f' % o for o in orders]}",
          f"p orders = {['%.2f' % o for o in porders]}" if porders else "",
          "pass" if good else "FAIL")
open(os.path.join(args.out, "convergence.csv"), "w").write(
    "element,h_mm,dofs,l2_error_mm,h1_error,l2_order,p_l2_error,p_l2_order,newton_iterations\n" + "\n".join(rows) + "\n")
open(os.path.join(args.out, "convergence.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
sys.exit(0 if ok else 1)
