#!/usr/bin/env python3
"""Globalised steady Navier-Stokes solve (Solver/Line search, Picard iterations, Continuation steps;
docs/theory/navier_stokes.md, "Steady nonlinear solve") on the DFG 2D-1 channel, level 1 (4188 DoFs),
inflow Q = 0.41 (U_mean = 1, Re = U_mean D / nu = 100), from rest:
  1. plain Newton (full steps) does not converge in 20 iterations (the case needs globalisation);
  2. Newton with backtracking (the default) converges in <= 15 iterations, takes at least one damped
     step, every accepted step passes the Armijo test and |r| decreases monotonically (nonlinear.csv);
  3. the same discrete solution (cD, cL, dp to 1e-8 rel) is reached by undamped Newton started from
     the Re = 50 solution (Continuation steps = 2, Line search = none) and by Picard iterations
     handing over to Newton (Picard iterations = 30, Picard switch = 0.01);
  4. 2 ranks: the same iterations and step lengths, cD, cL, dp to 1e-8 rel;
  5. DFG 2D-1 itself (Re = 20), where plain Newton converges: the line search takes only full steps,
     so iterations and cD are those of plain Newton."""
import csv, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers of the regression scripts)

deck = os.path.join(otcheck.SRC, "validation", "dfg2d", "dfg2d1.prm")
base = ["-s", "Mesh/Refinements=1", "-s", "Boundary conditions/Flow rate=0.41"]


def history(out):
    with open(os.path.join(out, "nonlinear.csv")) as f:
        return list(csv.DictReader(f))


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


checks = []
# 1. plain Newton must fail (non-zero exit, the steady-solve message, no result folder)
cmd = [otcheck.BIN, "run", deck, "-v", "0", *base, "-s", "Solver/Line search=none",
       "-s", "Solver/Newton max iterations=20", "-s", "Output/Directory=plain"]
p = subprocess.run(cmd, capture_output=True, text=True)
checks.append(("Re 100, plain Newton: no convergence in 20 iterations", p.returncode != 0 and
               "did not converge" in p.stdout + p.stderr and not os.path.exists("plain"),
               f"exit {p.returncode}"))

# 2. backtracking line search (default)
ls = otcheck.run(deck, "ls", base)
h = history("ls")
steps = [float(r["step"]) for r in h]
mono = all(float(r["residual_after"]) < float(r["residual_before"]) for r in h)
checks += [
    ("Re 100, line search: converged in <= 15 iterations", ls["newton_mean_per_step"] <= 15,
     f"{ls['newton_mean_per_step']:.0f} iterations, steps {' '.join(f'{s:g}' for s in steps)}"),
    ("Re 100, line search: at least one damped step", min(steps) < 1, f"smallest step {min(steps):g}"),
    ("Re 100, line search: every step passes Armijo, |r| decreases monotonically",
     all(r["armijo"] == "1" for r in h) and mono,
     f"|r| {float(h[0]['residual_before']):.3g} -> {float(h[-1]['residual_after']):.3g}"),
    ("Re 100, line search: final |r| <= 1e-12 |r0| (Newton tolerance)",
     float(h[-1]["residual_after"]) <= 1e-12 * float(h[0]["residual_before"]), f"{float(h[-1]['residual_after']):.3g}"),
]

# 3. the same solution by other paths
for name, extra in [("continuation 2 + plain Newton", ["-s", "Solver/Continuation steps=2", "-s", "Solver/Line search=none"]),
                    ("Picard 30, switch 0.01", ["-s", "Solver/Picard iterations=30", "-s", "Solver/Picard switch=0.01",
                                                "-s", "Solver/Newton max iterations=40"])]:
    tag = name.split()[0]
    s = otcheck.run(deck, tag, base + extra)
    d = max(rel(s[k], ls[k]) for k in ("cD_2", "cL_2", "dp"))
    checks.append((f"Re 100, {name}: cD, cL, dp = line search (1e-8 rel)", d < 1e-8,
                   f"max rel diff {d:.2e}, {s['newton_mean_per_step']:.0f} iterations (picard {s['picard_iterations']:.0f})"))
    if tag == "Picard":
        checks.append(("Re 100, Picard: both phases used", s["picard_iterations"] > 0 and s["newton_iterations"] > 0,
                       f"picard {s['picard_iterations']:.0f}, newton {s['newton_iterations']:.0f}"))

# 4. 2 ranks
s2 = otcheck.run(deck, "ls_np2", base, ranks=2)
steps2 = [float(r["step"]) for r in history("ls_np2")]
d = max(rel(s2[k], ls[k]) for k in ("cD_2", "cL_2", "dp"))
checks += [("Re 100, 2 ranks: same iterations and step lengths", steps2 == steps, f"{' '.join(f'{s:g}' for s in steps2)}"),
           ("Re 100, 2 ranks: cD, cL, dp = 1 rank (1e-8 rel)", d < 1e-8, f"max rel diff {d:.2e}")]

# 5. Re = 20: no damping needed, none applied
r20 = ["-s", "Mesh/Refinements=1"]
a = otcheck.run(deck, "re20_ls", r20)
b = otcheck.run(deck, "re20_plain", r20 + ["-s", "Solver/Line search=none"])
checks.append(("Re 20: line search = plain Newton (iterations, no halving, cD to 1e-12)",
               a["newton_mean_per_step"] == b["newton_mean_per_step"] and a["line_search_halvings"] == 0 and
               rel(a["cD_2"], b["cD_2"]) < 1e-12,
               f"{a['newton_mean_per_step']:.0f} vs {b['newton_mean_per_step']:.0f} iterations, cD {a['cD_2']:.10f}"))
otcheck.report(checks)
