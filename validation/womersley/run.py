#!/usr/bin/env python3
"""Womersley pulsatile pipe flow (validation/womersley/womersley.prm): for each refinement
level one cycle from the exact state; reports the largest mid-section profile error over the
cycle (max_r |u_h - u| / max_{r,t} |u|, acceptance < 2 %) and TAWSS/OSI on the wall against
the exact Womersley wall shear.
  python3 validation/womersley/run.py [--levels 0 1 2] [--dt 25] [--np 1] [--solver direct] [--out .] [--check]"""
import argparse, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "regression", "ep"))
import otcheck as flowcheck  # noqa: E402  (the shared run/report helpers)

ap = argparse.ArgumentParser()
ap.add_argument("--levels", type=int, nargs="+", default=[0, 1])
ap.add_argument("--dt", type=float, default=25)
ap.add_argument("--end", type=float, default=1000)
ap.add_argument("--np", type=int, default=1)
ap.add_argument("--solver", default="direct")
ap.add_argument("--out", default=".")
ap.add_argument("--check", action="store_true", help="exit 1 unless the finest profile error < 2 % and TAWSS within 3 %")
a = ap.parse_args()
deck = os.path.join(flowcheck.SRC, "validation", "womersley", "womersley.prm")
md = ["| level | DoFs | Δt [ms] | max profile error | TAWSS [Pa] | exact | err | OSI | exact | Krylov/step | wall [s] |",
      "|---|---|---|---|---|---|---|---|---|---|---|"]
last = None
for lev in a.levels:
    s = flowcheck.run(deck, os.path.join(a.out, f"womersley_{lev}"),
                      ["-s", f"Mesh/Refinements={lev}", "-s", f"Time/Time step={a.dt}", "-s", f"Time/End time={a.end}",
                       "-s", f"Solver/Linear solver={a.solver}"], ranks=a.np)
    w = s["wss"]["0"]
    te, oe = s["womersley_exact_TAWSS_Pa"], s["womersley_exact_OSI"]
    last = (s["womersley_max_profile_error"], (w["mean_TAWSS_Pa"] - te) / te)
    md.append(f"| {lev} | {s['dofs_velocity'] + s['dofs_pressure']} | {a.dt} | {100 * last[0]:.3f} % | {w['mean_TAWSS_Pa']:.5f} | "
              f"{te:.5f} | {100 * last[1]:+.2f} % | {w['mean_OSI']:.4f} | {oe:.4f} | {s['krylov_mean_per_step']:.1f} | {s['wall_time_s']:.1f} |")
    print(md[-1], flush=True)
print("\n".join(md))
open(os.path.join(a.out, "womersley_table.md"), "w").write("\n".join(md) + "\n")
if a.check:
    flowcheck.report([("max profile error over the run < 2 %", last[0] < 0.02, f"{100 * last[0]:.3f} %"),
                      ("mean TAWSS within 3 % of exact", abs(last[1]) < 0.03, f"{100 * last[1]:+.2f} %")])
