#!/usr/bin/python3
"""Compare a CiPA study result folder with validation/cipa/reference.csv and
report the classification of the 12 training drugs.

usage: check.py <result dir of cases/cipa/cipa.prm>
Exit 1 if a reference value misses its tolerance.
"""
import csv, json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
d = sys.argv[1]
m = {(r["drug"], float(r["cmax_multiple"])): r for r in csv.DictReader(open(os.path.join(d, "metrics.csv")))
     if r["sample"] == "0"}
fails = 0
print("| quantity | drug | x Cmax | reference | OrganTwin | rel. diff | tolerance | |")
print("|---|---|---|---|---|---|---|---|")
for r in csv.DictReader(open(os.path.join(here, "reference.csv"))):
    col = {"qnet": "qnet_uC_per_uF", "apd90": "apd90_ms"}[r["quantity"]]
    got = float(m[(r["drug"], float(r["cmax_multiple"]))][col])
    ref = float(r["reference"])
    rel = (got - ref) / ref
    ok = abs(rel) <= float(r["tolerance_rel"])
    fails += not ok
    print("| %s | %s | %s | %g %s | %.4g | %+.1f %% | %g %% | %s |" % (r["quantity"], r["drug"], r["cmax_multiple"], ref,
          r["unit"], got, 100 * rel, 100 * float(r["tolerance_rel"]), "pass" if ok else "MISS"))
s = json.load(open(os.path.join(d, "summary.json")))
print("\nTraining drugs classified right: %d of %d (leave-one-drug-out: %d of %d)" % (
    s["n_correct"], s["n_known"], s["n_correct_leave_one_out"], s["n_known"]))
print("Thresholds: High < %.4g <= Intermediate < %.4g <= Low [uC/uF]" % (
    s["threshold_intermediate_high"], s["threshold_low_intermediate"]))
print("Wall time %.0f s, %.1f ms per beat per core" % (s["wall_s"], s["ms_per_beat_per_core"]))
sys.exit(1 if fails else 0)
