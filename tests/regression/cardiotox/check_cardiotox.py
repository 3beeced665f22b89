"""End-to-end cardiotox case, shortened (cases/cardiotox/cardiotox.prm with few pre-pacing
and CiPA beats, peak only) on 1 and 2 ranks (same QT within 1 ms): every stage runs and leaves its outputs; the drug
at its PBPK peak prolongs the pseudo-ECG QT against baseline; the baseline T wave is
upright; inputs.csv carries checksums; a bad compound path fails with exit 1 and leaves
no result folder."""
import csv, json, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import BIN, MPIRUN, SRC, report  # noqa: E402

deck = os.path.join(SRC, "cases", "cardiotox", "cardiotox.prm")
args = ["-v", "0",
        "-s", "Cardiotox/Compound file=" + os.path.join(SRC, "physics", "pk", "compounds", "dofetilide.json"),
        "-s", "Cardiotox/Drug file=" + os.path.join(SRC, "physics", "drugs", "data", "cipa_training_drugs.csv"),
        "-s", "Cardiotox/Classifier file=" + os.path.join(SRC, "physics", "drugs", "data", "cipa_classifier.json"),
        "-s", "Cardiotox/Time points=peak", "-s", "Cardiotox/CiPA beats=10",
        "-s", "Pre-pacing/Beats=20", "-s", "Pre-pacing/Cache directory=", "-s", "Time/End time=420"]
out = "ctox"
p = subprocess.run([*MPIRUN, "-np", "2", BIN, "run", deck, *args, "-s", "Output/Directory=" + out],
                   capture_output=True, text=True)
if p.returncode != 0:
    sys.exit("FAIL: run\n" + p.stdout + p.stderr)
s = json.load(open(os.path.join(out, "summary.json")))
p1 = subprocess.run([BIN, "run", deck, *args, "-s", "Output/Directory=ctox_np1"], capture_output=True, text=True)
if p1.returncode != 0:
    sys.exit("FAIL: 1-rank run\n" + p1.stdout + p1.stderr)
s1 = json.load(open(os.path.join("ctox_np1", "summary.json")))
inputs = list(csv.DictReader(open(os.path.join(out, "inputs.csv"))))
files = ["pk/concentrations.csv", "tissue_baseline/ecg.csv", "tissue_peak/ecg.csv", "cipa/summary.json", "qt.csv",
         "summary.md", "concentration.png", "ecg.png"]
missing = [f for f in files if not os.path.exists(os.path.join(out, f))]
bad = subprocess.run([BIN, "run", deck, *args, "-s", "Cardiotox/Compound file=/nonexistent/compound.json",
                      "-s", "Output/Directory=ctox_bad"], capture_output=True, text=True)
checks = [
    ("all stages wrote their outputs", not missing, missing or "all"),
    ("peak concentration > 0", s["peak"]["free_heart_conc_nM"] > 0, s["peak"]["free_heart_conc_nM"]),
    ("QT prolonged at the peak", s["peak"]["delta_qt_ms"] > 5, s["peak"]["delta_qt_ms"]),
    ("1 vs 2 ranks: QT within one trace interval (1 ms), baseline and peak",
     all(abs(s[k]["qt_ms"] - s1[k]["qt_ms"]) <= 1.0 for k in ("baseline", "peak")),
     [(s[k]["qt_ms"], s1[k]["qt_ms"]) for k in ("baseline", "peak")]),
    ("baseline T wave upright", s["baseline"]["t_wave"] == "upright", s["baseline"]["t_wave"]),
    ("CiPA class reported", s["cipa_class"] in ("High", "Intermediate", "Low"), s["cipa_class"]),
    ("inputs.csv: every file has a 40-digit SHA-1", len(inputs) == 4 and all(len(r["sha1"]) == 40 for r in inputs),
     [r["sha1"][:8] for r in inputs]),
    ("bad compound path: exit 1, message names the file, no folder",
     bad.returncode == 1 and "/nonexistent/compound.json" in bad.stderr + bad.stdout and not any(
         n.startswith("ctox_bad") for n in os.listdir(".")), (bad.returncode, (bad.stderr + bad.stdout)[-200:])),
]
report(checks)
