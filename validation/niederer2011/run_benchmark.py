#!/usr/bin/python3
"""Niederer et al. 2011 monodomain benchmark: run organtwin at the requested
resolutions, collect the activation times at P1..P9 and along the diagonal P1->P8,
and write results.csv, results.md, diagonal.png and acceptance.json to --out.

usage: run_benchmark.py [--dx 0.5 0.2 0.1] [--dt 0.05 0.01 0.005] [--np 2] [--out DIR]
                        [--element hex|tet] [--check] [--report-only]
--check evaluates the acceptance criteria of README.md on what was run and exits 1
if one fails (criteria needing a resolution that was not run are reported as 'not run').
"""
import argparse, json, os, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--dx", type=float, nargs="+", default=[0.5, 0.2, 0.1])
ap.add_argument("--dt", type=float, nargs="+", default=[0.05, 0.01, 0.005])
ap.add_argument("--np", type=int, default=2)
ap.add_argument("--element", default="hex")
ap.add_argument("--out", default="niederer2011_results")
ap.add_argument("--check", action="store_true")
ap.add_argument("--keep-fields", action="store_true", help="write PVTU fields every 1 ms")
ap.add_argument("--report-only", action="store_true",
                help="run nothing: rebuild the table, plot and acceptance from results.csv in --out")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()

names = [f"P{i}" for i in range(1, 10)]
pts = [(0, 0, 0), (0, 7, 0), (20, 0, 0), (20, 7, 0), (0, 0, 3), (0, 7, 3), (20, 0, 3), (20, 7, 3), (10, 3.5, 1.5)]
n_diag = 41
diag = [(20 * k / (n_diag - 1), 7 * k / (n_diag - 1), 3 * k / (n_diag - 1)) for k in range(n_diag)]
all_pts = pts + diag
all_names = names + [f"D{k}" for k in range(n_diag)]

results = {}
csv_path = os.path.join(args.out, "results.csv")
if os.path.exists(csv_path):  # keep earlier runs so that a long study can be resumed
    for line in open(csv_path).read().splitlines()[1:]:
        v = line.split(",")
        results[(float(v[0]), float(v[1]))] = {"times": [float(x) for x in v[2:11]], "wall_s": float(v[11]),
                                               "dofs": int(v[12]), "diag": json.loads(open(
                                                   os.path.join(args.out, f"diag_{v[0]}_{v[1]}.json")).read())}

for dx in ([] if args.report_only else args.dx):
    for dt in args.dt:
        res = os.path.join(args.out, f"run_dx{dx}_dt{dt}")
        end = 70 if dx >= 0.5 else 55
        cmd = ([*mpirun, "-np", str(args.np)] if args.np > 1 else []) + [
            args.bin, "run", os.path.join(here, "deck.prm"),
            "-s", f"Mesh/Element size={dx}", "-s", f"Mesh/Element type={args.element}",
            "-s", f"Time/Time step={dt}", "-s", f"Time/End time={end}",
            "-s", f"Output/Directory={res}",
            "-s", "Output/Field interval=" + ("1" if args.keep_fields else "0"),
            "-s", "Output/Trace interval=%g" % (max(1, round(0.5 / dt)) * dt),
            "-s", "Output/Probe points=" + ";".join("%g,%g,%g" % p for p in all_pts),
            "-s", "Output/Probe names=" + ",".join(all_names)]
        print(f"== dx = {dx} mm, dt = {dt} ms: {' '.join(cmd)}", flush=True)
        t0 = time.time()
        p = subprocess.run(cmd)
        if p.returncode != 0:
            sys.exit(f"organtwin failed for dx = {dx}, dt = {dt}")
        s = json.load(open(os.path.join(res, "summary.json")))
        act = s["activation_times_ms"]
        results[(dx, dt)] = {"times": [act[n] for n in names], "wall_s": time.time() - t0, "dofs": s["dofs"],
                             "diag": [act[f"D{k}"] for k in range(n_diag)]}
        with open(os.path.join(args.out, f"diag_{dx}_{dt}.json"), "w") as f:
            json.dump(results[(dx, dt)]["diag"], f)
        # write after every run, so a long study can be interrupted and resumed
        with open(csv_path + ".tmp", "w") as f:
            f.write("dx_mm,dt_ms," + ",".join(n + "_ms" for n in names) + ",wall_s,dofs\n")
            for (a, b), r in sorted(results.items(), key=lambda kv: (-kv[0][0], -kv[0][1])):
                f.write(f"{a},{b}," + ",".join("%.4f" % t if t is not None else "nan" for t in r["times"]) +
                        f",{r['wall_s']:.1f},{r['dofs']}\n")
        os.replace(csv_path + ".tmp", csv_path)

# ---- table and plot --------------------------------------------------------------------
keys = sorted(results, key=lambda k: (-k[0], -k[1]))
md = ["| dx [mm] | dt [ms] | " + " | ".join(names) + " | DoFs | wall [s] |", "|---" * 13 + "|"]
for k in keys:
    r = results[k]
    md.append(f"| {k[0]} | {k[1]} | " + " | ".join("%.2f" % t if t is not None else "-" for t in r["times"]) +
              f" | {r['dofs']} | {r['wall_s']:.0f} |")
open(os.path.join(args.out, "results.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    L = (20 ** 2 + 7 ** 2 + 3 ** 2) ** 0.5
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for k in keys:
        d = results[k]["diag"]
        ax.plot([L * i / (n_diag - 1) for i in range(n_diag)], d, label=f"dx {k[0]} mm, dt {k[1]} ms")
    ax.plot([L, L], [37.8, 48.7], color="0.75", lw=9, solid_capstyle="butt",
            label="P8: published spread of 11 codes at dx 0.1 mm (37.8-48.7 ms)")
    ax.plot([L, L], [36, 44], color="k", lw=2, label="P8: acceptance band of the issue (36-44 ms)")
    ax.set_xlabel("distance along the diagonal P1 -> P8 [mm]")
    ax.set_ylabel("activation time [ms]")
    ax.set_title(f"Niederer 2011 benchmark, OrganTwin ({args.element})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(args.out, "diagonal.png"), dpi=110)
except ImportError:
    print("matplotlib not available: no PNG")

# ---- acceptance ---------------------------------------------------------------------------
if args.check:
    P8 = {k: results[k]["times"][7] for k in results}
    checks = []
    fine = [k for k in P8 if k[0] == 0.1]
    if fine:
        k = min(fine, key=lambda k: k[1])
        checks.append(("P8 at dx 0.1 within 36-44 ms", 36 <= P8[k] <= 44, f"P8 = {P8[k]:.2f} ms (dt {k[1]})"))
    else:
        checks.append(("P8 at dx 0.1 within 36-44 ms", None, "dx 0.1 not run"))
    for dt in sorted({k[1] for k in P8}):
        seq = [P8[(dx, dt)] for dx in sorted({k[0] for k in P8}, reverse=True) if (dx, dt) in P8]
        if len(seq) > 1:
            mono = all(a >= b for a, b in zip(seq, seq[1:])) or all(a <= b for a, b in zip(seq, seq[1:]))
            checks.append((f"P8 monotone in dx at dt {dt}", mono, " -> ".join("%.2f" % v for v in seq)))
    for dx in sorted({k[0] for k in P8}):
        seq = [P8[(dx, dt)] for dt in sorted({k[1] for k in P8}, reverse=True) if (dx, dt) in P8]
        if len(seq) > 1:
            mono = all(a >= b for a, b in zip(seq, seq[1:])) or all(a <= b for a, b in zip(seq, seq[1:]))
            checks.append((f"P8 monotone in dt at dx {dx}", mono, " -> ".join("%.2f" % v for v in seq)))
    for dt in sorted({k[1] for k in P8}):
        if (0.2, dt) in P8 and (0.1, dt) in P8:
            ch = abs(P8[(0.2, dt)] - P8[(0.1, dt)]) / P8[(0.1, dt)]
            checks.append((f"P8 change dx 0.2 -> 0.1 below 10 % at dt {dt}", ch < 0.10, f"{100 * ch:.1f} %"))
    ok = all(c[1] is not False for c in checks)
    json.dump([{"criterion": c[0], "pass": c[1], "value": c[2]} for c in checks],
              open(os.path.join(args.out, "acceptance.json"), "w"), indent=1)
    for c in checks:
        print(f"{'PASS' if c[1] else ('not run' if c[1] is None else 'FAIL')}: {c[0]}: {c[2]}")
    sys.exit(0 if ok else 1)
