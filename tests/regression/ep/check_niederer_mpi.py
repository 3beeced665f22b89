#!/usr/bin/python3
"""Run the Niederer slab at dx 0.5 mm on 1 and 2 ranks; compare the activation times at
P1..P9 with each other (<= one time step) and with the stored reference.
usage: check_niederer_mpi.py [--update]   (env: OT_BIN, OT_SOURCE_DIR, OT_MPIRUN)"""
import json, os, subprocess, sys

src = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
binary = os.environ.get("OT_BIN", "organtwin")
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split(";")
mpirun = " ".join(mpirun).split()
case = os.path.join(src, "tests", "regression", "ep", "niederer_dx05")
ref_file = os.path.join(case, "reference", "summary.json")
dt = 0.05
names = [f"P{i}" for i in range(1, 10)]


def run(np_):
    out = f"niederer_np{np_}"
    cmd = ([*mpirun, "-np", str(np_)] if np_ > 1 else []) + [
        binary, "run", os.path.join(src, "validation", "niederer2011", "deck.prm"), "-v", "0",
        "-s", "Mesh/Element size=0.5", "-s", f"Time/Time step={dt}", "-s", "Time/End time=70",
        "-s", "Output/Field interval=0", "-s", f"Output/Directory={out}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: run on {np_} rank(s) failed:\n{p.stdout}\n{p.stderr}")
    return json.load(open(os.path.join(out, "summary.json")))


s1, s2 = run(1), run(2)
a1, a2 = s1["activation_times_ms"], s2["activation_times_ms"]
fail = []
print(f"{'probe':6} {'1 rank':>10} {'2 ranks':>10} {'|diff|':>10} {'reference':>10}")
ref = json.load(open(ref_file))["activation_times_ms"] if os.path.exists(ref_file) else {}
for n in names:
    d = abs(a1[n] - a2[n])
    print(f"{n:6} {a1[n]:10.4f} {a2[n]:10.4f} {d:10.2e} {ref.get(n, float('nan')):10.4f}")
    if not d <= dt:
        fail.append(f"{n}: 1 vs 2 ranks differ by {d:.4f} ms > {dt} ms")
    if n in ref and not abs(a1[n] - ref[n]) <= dt:
        fail.append(f"{n}: {a1[n]:.4f} ms differs from the reference {ref[n]:.4f} ms by more than {dt} ms")
if s1["dofs"] != s2["dofs"]:
    fail.append(f"DoF counts differ: {s1['dofs']} vs {s2['dofs']}")
if "--update" in sys.argv:
    os.makedirs(os.path.dirname(ref_file), exist_ok=True)
    json.dump({"activation_times_ms": {n: a1[n] for n in names}, "git_hash": s1["git_hash"],
               "dofs": s1["dofs"]}, open(ref_file, "w"), indent=1)
    print("reference updated:", ref_file)
elif not ref:
    fail.append(f"no reference at {ref_file}")
for f in fail:
    print("FAIL:", f)
print(f"{len(names) * 2 + 1 - len(fail)} passed, {len(fail)} failed")
sys.exit(1 if fail else 0)
