#!/usr/bin/env python3
"""FGMRES + block preconditioner (AMG on the velocity block, Cahouet-Chabard Schur
approximation mu Mp^-1 + rho a0/dt Lp^-1) on 2 MPI ranks against the direct solver (MUMPS) on
1 rank: DFG 2D-2 deck (Re = 100, BDF2 + Newton), coarse mesh (level 0), 10 steps of 0.05 from
rest. Newton is converged to 1e-8 relative with the linear solves at 1e-8, so cD, cL and dp of
every step must agree with the direct solve to 1e-7 relative. Iterations are reported; a mean
above 30 FGMRES iterations per Newton iteration (measured 14.3, the same on 1 rank) fails."""
import csv, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

deck = os.path.join(otcheck.SRC, "validation", "dfg2d", "dfg2d2.prm")
base = ["-s", "Mesh/Refinements=0", "-s", "Time/Time step=0.05", "-s", "Time/End time=0.5"]
it = ["-s", "Solver/Linear solver=iterative", "-s", "Solver/Linear tolerance=1e-8"]
runs = {"direct": otcheck.run(deck, "direct", base), "fgmres_np2": otcheck.run(deck, "fgmres_np2", base + it, ranks=2)}


def series(name):
    rows = list(csv.DictReader(open(os.path.join(name, "flow.csv"))))
    return {k: [float(r[k]) for r in rows] for k in ("cD_2", "cL_2", "dp", "newton", "krylov")}


d = series("direct")
checks = []
for name in ("fgmres_np2",):
    s = series(name)
    worst = max(abs(a - b) / max(abs(b), 1e-12) for k in ("cD_2", "cL_2", "dp") for a, b in zip(s[k], d[k]))
    per_newton = sum(s["krylov"]) / sum(s["newton"])
    checks.append((f"{name}: cD, cL, dp of all 10 steps = direct (1e-7 rel)", worst < 1e-7 and len(s["dp"]) == 10,
                   f"max rel diff {worst:.2e}; final cD {s['cD_2'][-1]:.10f} vs {d['cD_2'][-1]:.10f}"))
    checks.append((f"{name}: mean FGMRES iterations per Newton iteration <= 30", per_newton <= 30,
                   f"{per_newton:.1f} (per step: mean {runs[name]['krylov_mean_per_step']:.1f}, max "
                   f"{runs[name]['krylov_max_per_step']:.0f}; Newton {runs[name]['newton_mean_per_step']:.1f}/step)"))
otcheck.report(checks)
