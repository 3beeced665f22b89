"""Cardiotox virtual population (1 rank, shortened strand, 40 subjects, tissue at the 10th and
90th percentile of the peak free heart concentration). Checks that could fail:
- the percentile concentrations equal the quantiles the test computes itself from
  pk/population_subjects.csv (linear interpolation of order statistics), 1e-6 relative;
- the drug prolongs QT more at the 90th than at the 10th percentile (dQT monotone in c);
- the report's population fractions (dQT > 10 ms, beyond the simulated range) equal the ones
  the test recomputes by interpolating each subject on the exposure-response points of qt.csv;
- concentrations above 25 x the drug's free Cmax are flagged in summary.md (the test gives the
  drug a free Cmax of 0.05 nM in a copy of the block file, so 25 x Cmax = 1.25 nM is exceeded).
"""
import csv, json, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import BIN, SRC, report  # noqa: E402

# block file copy with dofetilide's free Cmax set to 0.05 nM (only the warning threshold uses it:
# the CiPA study is skipped with an empty classifier file)
lib = os.path.join(SRC, "physics", "drugs", "data", "cipa_training_drugs.csv")
rows = list(csv.DictReader(open(lib)))
with open("drugs_low_cmax.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    for r in rows:
        if r["drug"] == "dofetilide":
            r["cmax_free_nM"] = "0.05"
        w.writerow(r)

deck = os.path.join(SRC, "cases", "cardiotox", "cardiotox.prm")
out = "ctox_pop"
args = ["-v", "0",
        "-s", "Cardiotox/Compound file=" + os.path.join(SRC, "physics", "pk", "compounds", "dofetilide.json"),
        "-s", "Cardiotox/Drug file=drugs_low_cmax.csv", "-s", "Cardiotox/Classifier file=",
        "-s", "Cardiotox/Time points=peak", "-s", "Cardiotox/Population size=40",
        "-s", "Cardiotox/Population percentiles=10,90",
        "-s", "Pre-pacing/Beats=20", "-s", "Pre-pacing/Cache directory=", "-s", "Time/End time=400",
        "-s", "Mesh/Box upper corner=5,0.1,0.1", "-s", "Tissue/Wall extent=0,5",
        "-s", "ECG/Electrode positions=15,0.05,0.05; -10,0.05,0.05",
        "-s", "Output/Probe points=0.5,0.05,0.05; 2.25,0.05,0.05; 4.5,0.05,0.05",
        "-s", "Output/Directory=" + out]
p = subprocess.run([BIN, "run", deck, *args], capture_output=True, text=True)
if p.returncode != 0:
    sys.exit("FAIL: run\n" + p.stdout[-3000:] + p.stderr[-3000:])
s = json.load(open(os.path.join(out, "summary.json")))
md = open(os.path.join(out, "summary.md")).read()
subj = [1e3 * float(r["heart_unbound_Cmax_uM"]) for r in csv.DictReader(open(os.path.join(out, "pk", "population_subjects.csv")))]


def quantile(v, q):
    v = sorted(v)
    x = q * (len(v) - 1)
    k = int(x)
    return v[k] if k + 1 >= len(v) else v[k] + (x - k) * (v[k + 1] - v[k])


pop = list(csv.DictReader(open(os.path.join(out, "population_qt.csv"))))
c = {float(r["percentile"]): float(r["free_heart_conc_nM"]) for r in pop}
dqt = {float(r["percentile"]): float(r["delta_qt_ms"]) for r in pop}
qt = list(csv.DictReader(open(os.path.join(out, "qt.csv"))))
er = sorted([(0.0, 0.0)] + [(float(r["free_heart_conc_nM"]), float(r["delta_qt_ms"])) for r in qt if r["label"] != "baseline"])


def interp(x):
    for (x0, y0), (x1, y1) in zip(er, er[1:]):
        if x0 <= x <= x1:
            return y0 if x1 == x0 else y0 + (x - x0) / (x1 - x0) * (y1 - y0)
    return None


d = [interp(x) for x in subj]
frac10 = sum(1 for v in d if v is not None and v > 10) / len(subj)
beyond = sum(1 for v in d if v is None) / len(subj)
rep = s["population"]["peak"]
checks = [
    ("40 subjects in the PBPK population", len(subj) == 40, len(subj)),
    ("percentile concentrations = quantiles of the subjects (1e-6)",
     all(abs(c[q] - quantile(subj, q / 100)) <= 1e-6 * quantile(subj, q / 100) for q in (10, 90)),
     [(c[q], quantile(subj, q / 100)) for q in (10, 90)]),
    ("c(p10) < c(p90)", c[10] < c[90], (c[10], c[90])),
    ("dQT(p90) > dQT(p10) > 0", dqt[90] > dqt[10] > 0, (dqt[10], dqt[90])),
    ("reported fraction dQT > 10 ms = recomputed", abs(rep["fraction_delta_qt_above_10ms"] - frac10) < 1e-9,
     (rep["fraction_delta_qt_above_10ms"], frac10)),
    ("reported fraction beyond the simulated range = recomputed (and <= 10 % + 1 subject)",
     abs(rep["fraction_beyond_simulated_range"] - beyond) < 1e-9 and beyond <= 0.1 + 1 / 40,
     (rep["fraction_beyond_simulated_range"], beyond)),
    ("exposure-response reported monotone", s["population"]["exposure_response_monotone"] is True,
     s["population"]["exposure_response_monotone"]),
    ("25 x Cmax warning in summary.md and summary.json for the p90 run",
     "p90_peak: free heart concentration" in md and "above 25 x the free Cmax" in s["concentration_warning"],
     s["concentration_warning"][:120]),
    ("virtual population section in summary.md", "## Virtual population" in md, "section"),
]
report(checks)
