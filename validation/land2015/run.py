#!/usr/bin/python3
"""Land et al. 2015 cardiac mechanics benchmark, Problems 1-3 (README.md).

Runs organtwin on a sequence of meshes for Q1 and Q2, writes <out>/convergence.md and
<out>/convergence.csv (tip / apex positions per resolution), <out>/problem{1,2,3}.png
(reference and deformed section) and exits 1 if the finest result of a problem misses
its acceptance band (P1: z(10,0.5,1) in [4.0, 4.2] mm, the spread quoted by the codes
of the benchmark; P2/P3: no band is checked, the sheet has no readable consensus).

usage: run.py [--bin organtwin] [--out DIR] [--problems 1,2,3] [--np N] [--quick]
              [--bulk 1000] [--mixed] [--gmsh 3,2,1.5] [--fibres ldrb|land] [--order 2]
              [--barrier KB] [--apex-size S [--apex-transition T]]

--mixed adds Q2-Q1 runs of the displacement-pressure form (Discretisation/Incompressibility =
mixed, kappa = 1e6 kPa unless --bulk is given) at the Q2 resolutions.

--gmsh H1,H2,...: Problems 2 and 3 on the meshes/ Gmsh Land LV (generator land_lv, boundary
ids 1 base, 2 endo, 3 epi) with tetrahedral P2-P1 mixed elements (kappa 1e6 kPa, MUMPS) at
these element sizes [mm] instead of the in-code hexahedra; --order 2 (default) uses Gmsh's
curved P2 geometry ([Mesh] Element order = 2), --order 1 straight-faced tetrahedra.
Problem 3 fibres: --fibres ldrb (default; LDRB computed on the mesh, helix +90/-90 deg,
sheet angle 0: [Fibres] Field = mesh) or --fibres land (the analytic rule of the
benchmark evaluated on the Gmsh mesh: Field = Land ellipsoid).

--barrier KB: [Material] Mixed barrier modulus = KB kPa for the mixed runs (default 0, the
pure two-field form; 100 = 10x Guccione C keeps the quadrature-point J of the curved P2-P1
meshes away from 0 at the apex: docs/theory/mechanics.md).

--apex-size S: with --gmsh, element size S [mm] within 4 S of the endocardial (0, 0, -17) and
epicardial (0, 0, -20) apex, growing back to h over --apex-transition T mm (default 4): [Mesh]
Size near points / Size transition. Resolves the apex, where Problem 3's fibre rule is singular on the
axis, without refining the whole wall.
"""
import argparse, json, os, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--out", default="land2015")
ap.add_argument("--problems", default="1,2,3")
ap.add_argument("--np", type=int, default=1)
ap.add_argument("--quick", action="store_true")
ap.add_argument("--bulk", default=None, help="override Material/Bulk modulus [kPa]")
ap.add_argument("--mixed", action="store_true", help="add Q2-Q1 mixed u-p runs (kappa 1e6 kPa)")
ap.add_argument("--gmsh", default=None, help="comma-separated element sizes [mm]: P2-P1 on the Gmsh Land LV")
ap.add_argument("--order", type=int, default=2, help="--gmsh: geometry order (Mesh/Element order)")
ap.add_argument("--fibres", default="ldrb", choices=["ldrb", "land"], help="--gmsh, Problem 3: fibre rule")
ap.add_argument("--steps", type=int, default=None, help="override Load stepping/Steps")
ap.add_argument("--barrier", type=float, default=0., help="mixed runs: Material/Mixed barrier modulus [kPa]")
ap.add_argument("--fields", default="final", choices=["none", "final"], help="Output/Fields (PVD/PVTU)")
ap.add_argument("--apex-size", type=float, default=None,
                help="--gmsh: element size [mm] within 4x that of the endo and epi apex (Mesh/Size near points)")
ap.add_argument("--apex-transition", type=float, default=4.0,
                help="--apex-size: distance [mm] over which the size grows back to h (Mesh/Size transition)")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()

# resolutions: P1 element size [mm]; P2/P3 ellipsoid refinements
levels = {
    1: {1: [0.5, 0.25, 0.125], 2: [0.5, 0.25]} if not args.quick else {1: [0.5, 0.25], 2: [0.5]},
    2: {1: [1, 2, 3], 2: [1, 2]} if not args.quick else {1: [1, 2], 2: [1]},
    3: {1: [1, 2, 3], 2: [1, 2]} if not args.quick else {1: [1, 2], 2: [1]},
}


if args.mixed:
    for prob in levels:
        levels[prob]["2m"] = list(levels[prob][2])
if args.gmsh:
    for prob in (2, 3):
        levels[prob] = {"2m": [float(h) for h in args.gmsh.split(",")]}


def run(problem, degree, level):
    mixed = degree == "2m"
    res = os.path.join(args.out, f"p{problem}_q{degree}_{level}" if not (args.gmsh and problem > 1) else
                       f"p{problem}_gmsh_o{args.order}{'_' + args.fibres if problem == 3 else ''}"
                       f"{f'_kb{args.barrier:g}' if args.barrier else ''}_h{level}"
                       f"{f'_apex{args.apex_size:g}' if args.apex_size else ''}")
    degree = 2 if mixed else degree
    deck = os.path.join(here, f"problem{problem}.prm")
    o = ["-s", f"Output/Directory={res}", "-s", f"Discretisation/Degree={degree}", "-s", f"Output/Fields={args.fields}"]
    if args.steps:
        o += ["-s", f"Load stepping/Steps={args.steps}"]
    if problem == 1:
        o += ["-s", f"Mesh/Element size={level}", "-s", "Output/Section=y,0.5"]
    elif args.gmsh:
        o += ["-s", "Geometry/Source=mesh", "-s", "Mesh/Source=generator", "-s", "Mesh/Generator=land_lv",
              "-s", f"Mesh/Element size={level}", "-s", f"Mesh/Element order={args.order}",
              "-s", "Boundary conditions/Fixed=1:xyz", "-s", "Boundary conditions/Pressure boundaries=2",
              "-s", "Output/Section=y,0"]
        if args.apex_size:
            o += ["-s", f"Mesh/Size near points=0, 0, -17: {args.apex_size:g}; 0, 0, -20: {args.apex_size:g}",
                  "-s", f"Mesh/Size transition={args.apex_transition:g}"]
        if problem == 3 and args.fibres == "ldrb":
            o += ["-s", "Fibres/Field=mesh", "-s", "Fibres/Method=ldrb", "-s", "Fibres/Sheet angle endo=0",
                  "-s", "Fibres/Sheet angle epi=0"]
    else:
        o += ["-s", f"Geometry/Ellipsoid refinements={level}", "-s", "Output/Section=y,0"]
    if mixed:
        o += ["-s", "Discretisation/Incompressibility=mixed", "-s", f"Material/Mixed barrier modulus={args.barrier:g}"]
    if args.bulk or mixed:
        o += ["-s", f"Material/Bulk modulus={args.bulk or '1e6'}"]
    cmd = ([*mpirun, "-np", str(args.np)] if args.np > 1 else []) + [args.bin, "run", deck, "-v", "1"] + o
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout[-3000:], p.stderr[-3000:])
        return None
    s = json.load(open(os.path.join(res, "summary.json")))
    s["wall"] = time.time() - t0
    s["dir"] = res
    return s


def richardson(hs, zs):
    """Observed order p and extrapolated value from three levels h1 > h2 > h3 (any ratios):
    solves (z1 - z2)/(z2 - z3) = (h1^p - h2^p)/(h2^p - h3^p) for p by bisection, then
    z_inf = z3 - (z2 - z3) h3^p / (h2^p - h3^p). None if the changes are not monotone."""
    (h1, h2, h3), (z1, z2, z3) = hs, zs
    if (z1 - z2) * (z2 - z3) <= 0:
        return None
    q = (z1 - z2) / (z2 - z3)
    f = lambda p: (h1 ** p - h2 ** p) / (h2 ** p - h3 ** p) - q
    lo, hi = 0.05, 12.0
    if f(lo) * f(hi) > 0:
        return None
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if f(lo) * f(mid) > 0 else (lo, mid)
    p = 0.5 * (lo + hi)
    return p, z3 - (z2 - z3) * h3 ** p / (h2 ** p - h3 ** p)


rows, md, ok = [], [], True
for prob in [int(x) for x in args.problems.split(",")]:
    md += [f"\n### Problem {prob}\n"]
    if prob == 1:
        md += ["| element | h [mm] | DoFs | z(10,0.5,1) [mm] | load steps | Newton its | wall [s] |", "|---|---|---|---|---|---|---|"]
    else:
        md += [f"| element | {'h [mm]' if args.gmsh else 'refinements (cells through wall)'} | DoFs | endo apex z [mm] | epi apex z [mm] | load steps | Newton its | wall [s] |",
               "|---|---|---|---|---|---|---|---|"]
    finest = None
    seq = []  # (h_eff = DoFs^(-1/3), endo z, epi z) of the successful P2/P3 runs, coarse to fine
    for deg, lv in levels[prob].items():
        for level in lv:
            s = run(prob, deg, level)
            el = ("P2-P1" if args.gmsh and prob > 1 else "Q2-Q1") if deg == "2m" else f"Q{deg}"
            if s is None:
                md.append(f"| {el} | {level} | | failed | | | |")
                rows.append(f"{prob},{el},{level},,failed")
                continue
            pr = s["probes"]
            if prob == 1:
                z = pr["tip"]["deformed"][2]
                md.append(f"| {el} | {level} | {s['dofs']} | {z:.4f} | {s['load_steps']} | {s['newton_iterations']} | {s['wall']:.1f} |")
                rows.append(f"{prob},{el},{level},{s['dofs']},{z:.6f},,{s['newton_iterations']},{s['wall']:.1f}")
            else:
                ze, zp = pr["endo_apex"]["deformed"][2], pr["epi_apex"]["deformed"][2]
                md.append(f"| {el} | {level if args.gmsh else f'{level} ({2**level})'} | {s['dofs']} | {ze:.4f} | {zp:.4f} | {s['load_steps']} | {s['newton_iterations']} | {s['wall']:.1f} |")
                rows.append(f"{prob},{el},{level},{s['dofs']},{ze:.6f},{zp:.6f},{s['newton_iterations']},{s['wall']:.1f}")
                if deg == "2m" or not args.mixed:
                    seq.append((s["dofs"] ** (-1. / 3.), ze, zp))
            if finest is None or s["dofs"] > finest["dofs"]:
                finest = s
            print(md[-1], flush=True)
    if prob > 1 and len(seq) >= 3:
        seq.sort(key=lambda t: -t[0])
        hs = [t[0] for t in seq[-3:]]
        for name, k in (("endo", 1), ("epi", 2)):
            r = richardson(hs, [t[k] for t in seq[-3:]])
            md.append(f"\n{name} apex, finest three levels (h_eff = DoFs^(-1/3)): " +
                      (f"observed order {r[0]:.2f}, Richardson-extrapolated z = {r[1]:.4f} mm" if r else
                       "changes not monotone, no observed order"))
    if prob == 1 and finest is not None:
        z = finest["probes"]["tip"]["deformed"][2]
        good = 4.0 <= z <= 4.2
        ok &= good
        md.append(f"\nFinest ({finest['element']}, {finest['dofs']} DoFs): z = {z:.4f} mm vs 4.17 mm "
                  f"({100 * (z - 4.17) / 4.17:+.2f} %), band [4.0, 4.2]: {'pass' if good else 'FAIL'}")
    # plot the finest run's section
    if finest is not None and os.path.exists(os.path.join(finest["dir"], "section.csv")):
        try:
            import numpy as np
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            d = np.genfromtxt(os.path.join(finest["dir"], "section.csv"), delimiter=",", names=True)
            fig, ax = plt.subplots(figsize=(5, 6) if prob > 1 else (7, 4))
            ax.plot(d["X"], d["Z"], ".", ms=2, color="0.6", label="reference")
            ax.plot(d["x"], d["z"], ".", ms=2, color="C3", label="deformed")
            ax.set_aspect("equal")
            ax.set_xlabel("x [mm]")
            ax.set_ylabel("z [mm]")
            ax.set_title(f"Land 2015 problem {prob}, {finest['element']}, {finest['dofs']} DoFs "
                         f"(section {'y = 0.5' if prob == 1 else 'y = 0'})", fontsize=9)
            ax.legend(fontsize=8)
            fig.tight_layout()
            fig.savefig(os.path.join(args.out, f"problem{prob}.png"), dpi=130)
        except Exception as e:  # plotting is a convenience; the table is the result
            print("plot failed:", e)
open(os.path.join(args.out, "convergence.csv"), "w").write(
    "problem,element,level,dofs,z1,z2,newton_iterations,wall_s\n" + "\n".join(rows) + "\n")
open(os.path.join(args.out, "convergence.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
sys.exit(0 if ok else 1)
