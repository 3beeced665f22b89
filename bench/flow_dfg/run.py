#!/usr/bin/env python3
"""Navier-Stokes performance on DFG 2D (channel_with_cylinder): DoFs, wall time per time step,
Newton and Krylov iterations per step, for the direct (MUMPS) and the iterative (FGMRES +
AMG/Cahouet-Chabard) solver on 1 and 2 MPI ranks. Transient Re = 100 (dfg2d2.prm), --steps
BDF2 steps from rest. Writes bench.md / bench.csv into --out.
  python3 bench/flow_dfg/run.py [--level 2] [--steps 10] [--out DIR]"""
import argparse, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "regression", "flow"))
import flowcheck

ap = argparse.ArgumentParser()
ap.add_argument("--level", type=int, default=2)
ap.add_argument("--steps", type=int, default=10)
ap.add_argument("--dt", type=float, default=0.01)
ap.add_argument("--out", default=".")
a = ap.parse_args()
deck = os.path.join(flowcheck.SRC, "validation", "dfg2d", "dfg2d2.prm")
md = ["| solver | ranks | DoFs | wall/step [s] | Newton/step | Krylov/step (mean, max) | cD at end |", "|---|---|---|---|---|---|---|"]
csv = ["solver,ranks,dofs,wall_per_step_s,newton_mean,krylov_mean,krylov_max,cD"]
for solver in ["direct", "iterative"]:
    for ranks in [1, 2]:
        s = flowcheck.run(deck, os.path.join(a.out, f"{solver}_np{ranks}"),
                          ["-s", f"Mesh/Refinements={a.level}", "-s", f"Time/Time step={a.dt}",
                           "-s", f"Time/End time={a.steps * a.dt}", "-s", f"Solver/Linear solver={solver}",
                           "-s", "Solver/Linear tolerance=1e-8"], ranks=ranks)
        dofs = s["dofs_velocity"] + s["dofs_pressure"]
        md.append(f"| {solver} | {ranks} | {dofs} | {s['wall_per_step_s']:.2f} | {s['newton_mean_per_step']:.2f} | "
                  f"{s['krylov_mean_per_step']:.1f}, {s['krylov_max_per_step']:.0f} | {s['cD_2']:.8f} |")
        csv.append(f"{solver},{ranks},{dofs},{s['wall_per_step_s']},{s['newton_mean_per_step']},"
                   f"{s['krylov_mean_per_step']},{s['krylov_max_per_step']},{s['cD_2']}")
        print(md[-1], flush=True)
print("\n".join(md))
open(os.path.join(a.out, "bench.md"), "w").write("\n".join(md) + "\n")
open(os.path.join(a.out, "bench.csv"), "w").write("\n".join(csv) + "\n")
