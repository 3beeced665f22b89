#!/usr/bin/env python3
"""Navier-Stokes performance on the DFG channel (channel_with_cylinder, Q2-Q1): DoFs, wall time
per Newton step (2D-1, steady, Re = 20) and per time step (2D-2, transient, Re = 100, --steps BDF2
steps from rest), Newton and Krylov iterations, Jacobian factorisations, and where the time goes
(TimerOutput sections of summary.json), for the direct (MUMPS) and the iterative (FGMRES +
AMG/Cahouet-Chabard) solver on 1 and 2 MPI ranks. Writes bench.md / bench.csv into --out with the
`uptime` load before each run (the machine is shared: timings under load are pessimistic).
  python3 bench/flow_dfg/run.py [--case 2d1 2d2] [--level 2] [--steps 20] [--solvers direct iterative]
                                [--ranks 1 2] [--jacobian "every iteration" lagged] [--out DIR]"""
import argparse, os, subprocess, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "regression", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

ap = argparse.ArgumentParser()
ap.add_argument("--case", nargs="+", default=["2d1", "2d2"], choices=["2d1", "2d2"])
ap.add_argument("--level", type=int, default=2)
ap.add_argument("--steps", type=int, default=20)
ap.add_argument("--dt", type=float, default=0.01)
ap.add_argument("--solvers", nargs="+", default=["direct", "iterative"])
ap.add_argument("--ranks", type=int, nargs="+", default=[1, 2])
ap.add_argument("--jacobian", nargs="+", default=["every iteration", "lagged"],
                help="Solver/Jacobian update values for the transient case")
ap.add_argument("--out", default=".")
a = ap.parse_args()
os.makedirs(a.out, exist_ok=True)
T = lambda s, k: s.get("timers_wall_s", {}).get(k, 0.0)  # noqa: E731
md = ["| case | solver | Jacobian update | ranks | DoFs | Newton/step | Krylov/step (mean, max) | factorisations | "
      "wall/step [s] | wall/Newton step [s] | assembly J [s] | assembly R [s] | factorise/precond. [s] | solve [s] | "
      "cD | load (1 min) |", "|" + "---|" * 16]
csv = ["case,solver,jacobian,ranks,dofs,newton_mean,krylov_mean,krylov_max,factorizations,wall_per_step_s,"
       "wall_per_newton_s,assemble_jacobian_s,assemble_residual_s,factorize_s,solve_s,total_s,cD,load1"]
for case in a.case:
    deck = os.path.join(otcheck.SRC, "validation", "dfg2d", "dfg2d1.prm" if case == "2d1" else "dfg2d2.prm")
    # Steady 2D-1 with the iterative solver does not converge (docs/theory/navier_stokes.md,
    # known limitations: the steady Schur approximation is mu Mp^-1 only): direct only.
    for solver in (["direct"] if case == "2d1" else a.solvers):
        for jac in (["every iteration"] if case == "2d1" else a.jacobian):
            for ranks in a.ranks:
                load = float(open("/proc/loadavg").read().split()[0])
                up = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
                args = ["-s", f"Mesh/Refinements={a.level}", "-s", f"Solver/Linear solver={solver}",
                        "-s", "Solver/Linear tolerance=1e-8", "-s", f"Solver/Jacobian update={jac}"]
                if case == "2d2":
                    args += ["-s", f"Time/Time step={a.dt}", "-s", f"Time/End time={a.steps * a.dt}"]
                tag = f"{case}_{solver}_{jac.replace(' ', '-')}_np{ranks}"
                s = otcheck.run(deck, os.path.join(a.out, tag), args, ranks=ranks)
                dofs = s["dofs_velocity"] + s["dofs_pressure"]
                steps = s["steps"]
                newton_total = s["newton_mean_per_step"] * steps
                work = sum(T(s, k) for k in ["flow / assemble jacobian", "flow / assemble residual",
                                             "flow / factorize", "flow / linear solve"])
                per_step = s["wall_per_step_s"] if case == "2d2" else work
                per_newton = work / max(newton_total, 1)
                row = [case, solver, jac, ranks, dofs, f"{s['newton_mean_per_step']:.2f}",
                       f"{s['krylov_mean_per_step']:.1f}, {s['krylov_max_per_step']:.0f}", s.get("jacobian_factorizations", 0),
                       f"{per_step:.3f}", f"{per_newton:.3f}", f"{T(s, 'flow / assemble jacobian'):.2f}",
                       f"{T(s, 'flow / assemble residual'):.2f}", f"{T(s, 'flow / factorize'):.2f}",
                       f"{T(s, 'flow / linear solve'):.2f}", f"{s['cD_2']:.8f}", f"{load:.1f}"]
                md.append("| " + " | ".join(str(x) for x in row) + " |")
                csv.append(",".join(str(x) for x in [case, solver, jac, ranks, dofs, s["newton_mean_per_step"],
                                                     s["krylov_mean_per_step"], s["krylov_max_per_step"],
                                                     s.get("jacobian_factorizations", 0), per_step, per_newton,
                                                     T(s, "flow / assemble jacobian"), T(s, "flow / assemble residual"),
                                                     T(s, "flow / factorize"), T(s, "flow / linear solve"),
                                                     s["wall_time_s"], s["cD_2"], load]))
                print(md[-1], f"   [{up}]", flush=True)
print("\n".join(md))
open(os.path.join(a.out, "bench.md"), "w").write("\n".join(md) + "\n")
open(os.path.join(a.out, "bench.csv"), "w").write("\n".join(csv) + "\n")
