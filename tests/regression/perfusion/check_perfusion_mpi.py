#!/usr/bin/python3
"""Run tests/regression/perfusion/mpi_case.prm on 1 and 2 ranks. Checks: the same DoFs;
summary metrics and the traces (outlet concentration, E, rates) agree to 1e-8 relative;
Darcy consistent inflow = outflow and the drug balance close to 1e-9; the metrics match
the stored reference (reference/summary.json) to 1e-6 relative. --update rewrites it.
(env OT_BIN, OT_SOURCE_DIR, OT_MPIRUN)"""
import csv, json, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
MPIRUN = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").replace(";", " ").split()
HERE = os.path.join(SRC, "tests", "regression", "perfusion")
DECK = os.path.join(HERE, "mpi_case.prm")
REF = os.path.join(HERE, "reference", "summary.json")
KEYS = ["inflow_mm3_per_s", "outflow_mm3_per_s", "pressure_max_kPa", "extraction_ratio_end",
        "outlet_blood_conc_uM_end", "cumulative_in_pmol", "cumulative_out_pmol", "cumulative_eliminated_pmol",
        "cumulative_filtered_pmol", "stored_end_pmol"]
COLS = ["c_out_blood_uM", "E", "out_pmol_per_s", "eliminated_pmol_per_s", "stored_pmol"]


def run(np_):
    out = f"perfusion_np{np_}"
    cmd = ([*MPIRUN, "-np", str(np_)] if np_ > 1 else []) + [BIN, "run", DECK, "-v", "0", "-s",
                                                              f"Output/Directory={out}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    s = json.load(open(os.path.join(out, "summary.json")))
    with open(os.path.join(out, "traces.csv")) as f:
        rows = list(csv.DictReader(f))
    for name in ("fields.pvd", "used_parameters.prm"):
        if not os.path.exists(os.path.join(out, name)):
            sys.exit(f"FAIL: {out}/{name} missing")
    return s, rows


def rel(a, b, floor=1e-12):
    return abs(a - b) / max(abs(a), abs(b), floor)


s1, t1 = run(1)
s2, t2 = run(2)
checks = []
checks.append(("same transport DoFs", s1["transport_dofs"] == s2["transport_dofs"], s1["transport_dofs"]))
for k in KEYS:
    d = rel(s1[k], s2[k])
    checks.append((f"1 vs 2 ranks {k}", d <= 1e-8, f"{s1[k]:.10g} vs {s2[k]:.10g} (rel {d:.1e})"))
# relative L-infinity difference per column (difference over the column's largest value)
worst = 0.0
for c in COLS:
    scale = max(max(abs(float(r[c])) for r in t1), 1e-300)
    worst = max(worst, max(abs(float(a[c]) - float(b[c])) for a, b in zip(t1, t2)) / scale)
checks.append(("1 vs 2 ranks traces (rel. L-inf per column)", worst <= 1e-8 and len(t1) == len(t2),
               f"largest {worst:.1e}"))
for s in (s1, s2):
    checks.append((f"Darcy consistent flux balance ({s['ranks']} rank)", abs(s["flow_mismatch_consistent_relative"]) < 1e-8,
                   s["flow_mismatch_consistent_relative"]))
    checks.append((f"drug balance ({s['ranks']} rank)", s["balance_max_relative"] < 1e-9, s["balance_max_relative"]))
    checks.append((f"flow BC delivers 0.6 mL/min = 10 mm^3/s ({s['ranks']} rank)",
                   rel(s["inflow_consistent_mm3_per_s"], 10.0) < 1e-12, s["inflow_consistent_mm3_per_s"]))
if "--update" in sys.argv:
    os.makedirs(os.path.dirname(REF), exist_ok=True)
    json.dump({k: s1[k] for k in KEYS + ["git_hash", "transport_dofs"]}, open(REF, "w"), indent=1)
    print("reference updated:", REF)
elif not os.path.exists(REF):
    checks.append(("reference exists", False, REF))
else:
    ref = json.load(open(REF))
    for k in KEYS:
        d = rel(s1[k], ref[k])
        checks.append((f"reference {k}", d <= 1e-6, f"{s1[k]:.10g} vs {ref[k]:.10g} (rel {d:.1e})"))
fails = 0
for name, ok, v in checks:
    print(("PASS" if ok else "FAIL") + f": {name}: {v}")
    fails += not ok
print(f"{len(checks) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
