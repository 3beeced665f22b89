#!/usr/bin/python3
"""Perfusion benchmark: DoFs, Darcy CG+AMG iterations, transport time per step and GMRES
iterations per step on 1 and 2 ranks, for the liver-sized block of cases/liver_perfusion
at two resolutions (constant inlet, 20 steps; no fields, no plot).
usage: run.py [--out DIR] [--sizes 10,5]   (env OT_BIN, OT_SOURCE_DIR, OT_MPIRUN)
Writes DIR/bench.md and prints it."""
import json, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
MPIRUN = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").replace(";", " ").split()
DECK = os.path.join(SRC, "cases", "liver_perfusion", "liver_perfusion.prm")
args = sys.argv[1:]
out = args[args.index("--out") + 1] if "--out" in args else "."
sizes = [float(x) for x in (args[args.index("--sizes") + 1] if "--sizes" in args else "10,5").split(",")]
steps = 20

rows = []
for h in sizes:
    for np_ in (1, 2):
        folder = os.path.join(out, f"bench_h{h:g}_np{np_}")
        cmd = ([*MPIRUN, "-np", str(np_)] if np_ > 1 else []) + [
            BIN, "run", DECK, "-v", "0", "-s", f"Mesh/Element size={h:g}", "-s", "Drug/Inlet concentration/Source=constant",
            "-s", "Time/End time=20", "-s", "Time/Time step=1", "-s", "Output/Fields=false", "-s", "Output/Plot=false",
            "-s", f"Output/Directory={folder}"]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
        s = json.load(open(os.path.join(folder, "summary.json")))
        t = s["timings_s"]
        per_step = (t.get("perfusion / transport solve", 0) + t.get("perfusion / transport assembly", 0) +
                    t.get("perfusion / balance", 0)) / steps
        rows.append((h, np_, s["pressure_dofs"], s["transport_dofs"], s["darcy_iterations"],
                     t.get("perfusion / darcy solve", 0), s["transport_iterations_per_step"], per_step, s["wall_time_s"],
                     s["extraction_ratio_end"]))
lines = ["| h [mm] | ranks | pressure DoFs | transport DoFs | Darcy CG its | Darcy solve [s] | GMRES its/step | "
         "transport time/step [s] | wall [s] | E(20 s) |", "|" + "---|" * 10]
for r in rows:
    lines.append(f"| {r[0]:g} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]:.2f} | {r[6]:.1f} | {r[7]:.3f} | {r[8]:.1f} | "
                 f"{r[9]:.6f} |")
table = "\n".join(lines)
print(table)
open(os.path.join(out, "bench.md"), "w").write(table + "\n")
