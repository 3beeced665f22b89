#!/usr/bin/python3
"""End-to-end PBPK -> liver perfusion (cases/pk_dofetilide, cases/liver_perfusion), shortened
to 20 s of perfusion. Checks: every output file is written; the inlet concentration at
t = 0 equals the PBPK unbound plasma concentration at the deck's Time offset (109 h,
interpolated here from concentrations.csv) and the blood inlet value is that over fu_b;
the PBPK clock column starts at 109 h; the blood flow is the ICRP 89 total liver flow of
physics/pk (25.5 % of 390 L/h = 99.45 L/h) and leaves as it enters; the drug balance closes;
the same run on 2 ranks (p4est, sphere-tagged patches, PBPK inlet) gives the same traces
(relative L-inf per column <= 1e-8).
(env OT_BIN, OT_SOURCE_DIR, OT_MPIRUN)"""
import bisect, csv, json, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
MPIRUN = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").replace(";", " ").split()


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")


pk = os.path.abspath("pk")
run([BIN, "run", os.path.join(SRC, "cases", "pk_dofetilide", "pk_dofetilide.prm"), "-v", "0",
     "-s", f"Output/Directory={pk}", "-s", "Output/Plot=false"])
liver = [BIN, "run", os.path.join(SRC, "cases", "liver_perfusion", "liver_perfusion.prm"), "-v", "0",
         "-s", f"Drug/Inlet concentration/File={pk}", "-s", "Time/End time=20", "-s", "Time/Time step=2",
         "-s", "Time/Output interval=10",
         # partition independence is checked below; the Krylov error must be far below it
         "-s", "Solver/Darcy tolerance=1e-13", "-s", "Solver/Transport tolerance=1e-13"]
run(liver + ["-s", "Output/Directory=liver"])
run([*MPIRUN, "-np", "2"] + liver + ["-s", "Output/Directory=liver_np2", "-s", "Output/Plot=false"])
with open("liver_np2/traces.csv") as f:
    tr2 = list(csv.DictReader(f))
s = json.load(open("liver/summary.json"))
with open("liver/traces.csv") as f:
    tr = list(csv.DictReader(f))
with open(os.path.join(pk, "concentrations.csv")) as f:
    rows = list(csv.DictReader(f))
t = [float(r["time_h"]) for r in rows]
c = [float(r["plasma_unbound_uM"]) for r in rows]
i = bisect.bisect_right(t, 109.0)
ref = c[i - 1] + (c[i] - c[i - 1]) * (109.0 - t[i - 1]) / (t[i] - t[i - 1])
cin = float(tr[0]["c_in_unbound_uM"])
checks = [
    ("output files", all(os.path.exists(os.path.join("liver", n)) for n in
                         ("summary.json", "summary.md", "traces.csv", "fields.pvd", "perfusion.png",
                          "used_parameters.prm")), ""),
    ("inlet = PBPK unbound plasma at 109 h", abs(cin - ref) <= 1e-9 * ref + 1e-15, f"{cin:.6e} vs {ref:.6e} uM"),
    ("blood inlet = unbound / fu_b", abs(float(tr[0]["c_in_blood_uM"]) - cin / 0.35) <= 1e-9 * cin, tr[0]["c_in_blood_uM"]),
    ("PBPK clock starts at 109 h", abs(float(tr[0]["time_pbpk_h"]) - 109.0) < 1e-12, tr[0]["time_pbpk_h"]),
    ("ICRP liver blood flow 99.45 L/h", abs(s["blood_flow_L_per_h"] - 99.45) < 1e-3, s["blood_flow_L_per_h"]),
    ("consistent inflow = outflow", abs(s["flow_mismatch_consistent_relative"]) < 1e-8,
     s["flow_mismatch_consistent_relative"]),
    ("drug balance", s["balance_max_relative"] < 1e-7, s["balance_max_relative"]),
    ("11 trace rows (t = 0..20 s)", len(tr) == 11, len(tr)),
]
worst = 0.0
for col in ("c_out_blood_uM", "E", "out_pmol_per_s", "eliminated_pmol_per_s", "stored_pmol"):
    scale = max(max(abs(float(r[col])) for r in tr), 1e-300)
    worst = max(worst, max(abs(float(a[col]) - float(b[col])) for a, b in zip(tr, tr2)) / scale)
checks.append(("1 vs 2 ranks traces", worst <= 1e-8 and len(tr) == len(tr2), f"{worst:.1e}"))
fails = 0
for name, ok, v in checks:
    print(("PASS" if ok else "FAIL") + f": {name}: {v}")
    fails += not ok
print(f"{len(checks) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
