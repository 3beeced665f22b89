#!/usr/bin/python3
"""Convergence study of the monodomain solver against the exact solution of the
Manufactured cell model (see README.md). Runs organtwin, writes convergence.csv,
convergence.md and convergence.png into the output folder and exits 1 when an
observed order misses its acceptance bound.

usage: convergence.py [--bin organtwin] [--out DIR] [--full] [--np N]
"""
import argparse, json, math, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--out", default="manufactured_convergence")
ap.add_argument("--full", action="store_true", help="add h = 1/32 (hex) and dt = dt0/16")
ap.add_argument("--np", type=int, default=1)
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()


def run(overrides):
    with tempfile.TemporaryDirectory() as tmp:
        res = os.path.join(tmp, "r")
        cmd = ([*mpirun, "-np", str(args.np)] if args.np > 1 else []) + [args.bin, "run", os.path.join(here, "deck.prm"), "-v", "0",
               "-s", f"Output/Directory={res}", "-s", "Linear solver/Relative tolerance=1e-12"]
        for o in overrides:
            cmd += ["-s", o]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit("organtwin failed: " + " ".join(cmd) + "\n" + p.stdout + p.stderr)
        s = json.load(open(os.path.join(res, "summary.json")))
        last = open(os.path.join(res, "probes.csv")).read().strip().splitlines()[-1]
        return s, [float(v) for v in last.split(",")[1:]]


rows, ok, report = [], True, []
# --- space: Strang + Crank-Nicolson + RushLarsen2 with a small time step -------------
space = {"hex": [0.25, 0.125, 0.0625] + ([0.03125] if args.full else []), "tet": [0.25, 0.125, 0.0625]}
space_orders = {}
for elem, hs in space.items():
    errs = []
    for h in hs:
        s, _ = run([f"Mesh/Element type={elem}", f"Mesh/Element size={h}", "Time/Time step=0.0025"])
        errs.append(s["l2_error_final"])
        rows.append(("space", elem, h, 0.0025, s["dofs"], s["l2_error_final"], ""))
    orders = [math.log(errs[i] / errs[i + 1], 2) for i in range(len(errs) - 1)]
    space_orders[elem] = orders
    good = min(orders) >= 1.8
    ok &= good
    report.append(f"| space, {'Q1 hex' if elem == 'hex' else 'P1 tet'} | h = {', '.join(map(str, hs))} mm | "
                  f"{', '.join('%.2e' % e for e in errs)} | {', '.join('%.2f' % o for o in orders)} | >= 1.8 | "
                  f"{'pass' if good else 'FAIL'} |")

# --- time: self-convergence at fixed mesh (h = 0.125 mm hex), nodal values at 3 probes --
# beta = 0.1: a weak pull of V towards q w. With a strong pull (beta = 5) the exactly
# integrated gate w drags V back to the exact solution after every diffusion step and hides
# the Crank-Nicolson error: Strang then shows pre-asymptotic orders 3.4-4.5, which says
# little about the scheme. With beta = 0.1 the asymptotic orders (1 and 2) are clean.
beta = 0.1
probes = "0,0,0;0.5,0.25,0.125;1,1,1"
dts = [0.1, 0.05, 0.025, 0.0125] + ([0.00625] if args.full else [])
time_cfg = {"Godunov": ("Godunov", "BackwardEuler", "RushLarsen", (0.8, 1.3)),
            "Strang": ("Strang", "CrankNicolson", "RushLarsen2", (1.8, 2.5))}
time_orders = {}
for name, (split, diff, ode, bounds) in time_cfg.items():
    vals = []
    for dt in dts:
        s, v = run([f"Time/Splitting={split}", f"Time/Diffusion scheme={diff}", f"Time/ODE scheme={ode}",
                    f"Time/Time step={dt}", f"Output/Probe points={probes}", f"Ionic model/Manufactured/beta={beta}"])
        vals.append(v)
    diffs = [max(abs(a - b) for a, b in zip(vals[i], vals[i + 1])) for i in range(len(vals) - 1)]
    orders = [math.log(diffs[i] / diffs[i + 1], 2) for i in range(len(diffs) - 1)]
    time_orders[name] = orders
    for i, d in enumerate(diffs):
        rows.append(("time", name, 0.125, dts[i], "", "", d))
    good = bounds[0] <= orders[-1] <= bounds[1] and min(orders) >= bounds[0]
    ok &= good
    report.append(f"| time, {name} ({diff}, {ode}) | dt = {', '.join(map(str, dts))} ms | "
                  f"{', '.join('%.2e' % d for d in diffs)} (|V_dt - V_dt/2|) | {', '.join('%.2f' % o for o in orders)} | "
                  f"[{bounds[0]}, {bounds[1]}] | {'pass' if good else 'FAIL'} |")

with open(os.path.join(args.out, "convergence.csv"), "w") as f:
    f.write("study,variant,h_mm,dt_ms,dofs,l2_error,self_difference\n")
    for r in rows:
        f.write(",".join(str(x) for x in r) + "\n")
md = ["| study | resolutions | errors | observed orders | acceptance | result |", "|---|---|---|---|---|---|"] + report
open(os.path.join(args.out, "convergence.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    for elem in space:
        e = [r[5] for r in rows if r[0] == "space" and r[1] == elem]
        ax[0].loglog(space[elem][:len(e)], e, "o-", label=f"{'Q1 hex' if elem == 'hex' else 'P1 tet'}")
    hs = space["hex"]
    ax[0].loglog(hs, [rows[0][5] * (h / hs[0]) ** 2 for h in hs], "k--", label="slope 2")
    ax[0].set_xlabel("h [mm]"); ax[0].set_ylabel("L2 error at t = 1 ms [mV mm^1.5]"); ax[0].legend(); ax[0].set_title("space")
    for name in time_cfg:
        d = [r[6] for r in rows if r[0] == "time" and r[1] == name]
        ax[1].loglog(dts[:len(d)], d, "o-", label=name)
    ax[1].set_xlabel("dt [ms]"); ax[1].set_ylabel("max |V_dt - V_dt/2| at probes [mV]"); ax[1].legend(); ax[1].set_title("time")
    fig.tight_layout(); fig.savefig(os.path.join(args.out, "convergence.png"), dpi=110)
except ImportError:
    print("matplotlib not available: no PNG")
print("PASS" if ok else "FAIL: an observed order is outside its acceptance bound")
sys.exit(0 if ok else 1)
