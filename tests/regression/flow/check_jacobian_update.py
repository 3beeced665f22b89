#!/usr/bin/env python3
"""Jacobian reuse (Solver/Jacobian update) on the DFG 2D-2 deck (Re = 100, BDF2), coarse mesh
(level 0), 12 steps of 0.01 from rest, Newton tolerance 1e-10: the chord variants ('every step':
one Jacobian per step; 'lagged': Jacobian kept across steps) must give the same cD, cL and dp
at every step as full Newton ('every iteration') to 1e-7 relative (they stop on the same residual
test), with the factorisation counts the policies imply: full Newton >= one per step, 'every step'
exactly one per step, 'lagged' at most a quarter of the steps. 'lagged' on 2 ranks = 1 rank
(1e-7 rel). A policy that skipped a needed refresh or a stale factorisation would show up as a
different force trace or as Newton failing to converge."""
import csv, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

deck = os.path.join(otcheck.SRC, "validation", "dfg2d", "dfg2d2.prm")
steps = 12
base = ["-s", "Mesh/Refinements=0", "-s", "Time/Time step=0.01", "-s", f"Time/End time={steps * 0.01}",
        "-s", "Solver/Newton tolerance=1e-10", "-s", "Solver/Newton max iterations=30"]
runs = {}
for name, policy, ranks in [("newton", "every iteration", 1), ("every_step", "every step", 1),
                            ("lagged", "lagged", 1), ("lagged_np2", "lagged", 2)]:
    runs[name] = otcheck.run(deck, name, base + ["-s", f"Solver/Jacobian update={policy}"], ranks=ranks)


def series(name):
    rows = list(csv.DictReader(open(os.path.join(name, "flow.csv"))))
    return {k: [float(r[k]) for r in rows] for k in ("cD_2", "cL_2", "dp")}


ref = series("newton")
checks = []
for name in ("every_step", "lagged", "lagged_np2"):
    s = series(name)
    # Relative to the largest magnitude of each trace (cL passes through zero).
    worst = max(abs(a - b) / max(max(abs(x) for x in ref[k]), 1e-12) for k in ref for a, b in zip(s[k], ref[k]))
    checks.append((f"{name}: cD, cL, dp of all {steps} steps = full Newton (1e-7 rel)",
                   worst < 1e-7 and len(s["dp"]) == steps, f"max rel diff {worst:.2e}"))
fact = {k: runs[k]["jacobian_factorizations"] for k in runs}
checks.append(("full Newton: >= 1 factorisation per step", fact["newton"] >= steps, f"{fact['newton']:.0f}"))
checks.append(("every step: one factorisation per step", fact["every_step"] == steps, f"{fact['every_step']:.0f}"))
checks.append(("lagged: at most steps/4 factorisations", fact["lagged"] <= steps / 4,
               f"{fact['lagged']:.0f} (Newton/step {runs['lagged']['newton_mean_per_step']:.2f} vs "
               f"{runs['newton']['newton_mean_per_step']:.2f})"))
otcheck.report(checks)
