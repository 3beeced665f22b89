"""Transmural cable with cell layers, a drug and a pseudo-ECG (tests/regression/ep/wedge_drug.prm):
the drug and its concentration reach the tissue, the pre-paced states are cached
and reused, the transmural repolarisation order is epi before endo (what gives an
upright T wave), dofetilide prolongs repolarisation against control, and 1 and 2
ranks agree on the probe traces."""
import csv, json, os, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otcheck import BIN, MPIRUN, SRC, report  # noqa: E402

deck = os.path.join(SRC, "tests", "regression", "ep", "wedge_drug.prm")
drugs = os.path.join(SRC, "physics", "drugs", "data", "cipa_training_drugs.csv")
base = ["-v", "1", "-s", "Drug/Drug file=" + drugs, "-s", "Pre-pacing/Cache directory=cache"]


def run(out, extra=(), ranks=1):
    cmd = ([*MPIRUN, "-np", str(ranks)] if ranks > 1 else []) + [BIN, "run", deck, *base, *extra,
                                                                  "-s", "Output/Directory=" + out]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("FAIL: %s\n%s\n%s" % (" ".join(cmd), p.stdout, p.stderr))
    return p.stdout, json.load(open(os.path.join(out, "summary.json")))


def repol90(out):
    rows = list(csv.DictReader(open(os.path.join(out, "probes.csv"))))
    res = {}
    for k in [c for c in rows[0] if c != "t_ms"]:
        t = [float(r["t_ms"]) for r in rows]
        v = [float(r[k]) for r in rows]
        i = max(range(len(v)), key=v.__getitem__)
        lvl = v[i] - 0.9 * (v[i] - v[0])
        res[k] = next((t[j] for j in range(i, len(v)) if v[j] < lvl), float("nan"))
    return res


shutil.rmtree("cache", ignore_errors=True)  # a fresh cache: the first run must pre-pace
log1, s1 = run("drug_np1")
log1b, _ = run("drug_np1_again")
log2, s2 = run("drug_np2", ranks=2)
logc, sc = run("control", ["-s", "Drug/Cmax multiple=0", "-s", "Drug/Concentration=0"])
r1, r2, rc = repol90("drug_np1"), repol90("drug_np2"), repol90("control")
checks = [
    ("drug reported in summary.json", "dofetilide" in s1["drug"] and abs(s1["drug_concentration_nM_at_end"] - 8) < 1e-9,
     (s1["drug"], s1["drug_concentration_nM_at_end"])),
    ("first run pre-paces 3 layers", log1.count("[pre-pacing]") == 3 and "cached" not in log1, log1.count("[pre-pacing]")),
    ("second run uses the cache", log1b.count("cached state") == 3, log1b.count("cached state")),
    ("epi repolarises before endo (upright T wave)", r1["V_epi_mV"] < r1["V_endo_mV"], r1),
    ("dofetilide 4x prolongs endo repolarisation by > 10 ms", r1["V_endo_mV"] - rc["V_endo_mV"] > 10,
     (rc["V_endo_mV"], r1["V_endo_mV"])),
    ("1 vs 2 ranks: repolarisation times within 1 ms", all(abs(r1[k] - r2[k]) <= 1.0 for k in r1), (r1, r2)),
    ("pseudo-ECG: upright T wave at baseline", sc["ecg"]["t_wave"] == "upright", sc["ecg"]),
    ("pseudo-ECG: dofetilide 4x prolongs QT by > 10 ms", s1["ecg"]["qt_ms"] - sc["ecg"]["qt_ms"] > 10,
     (sc["ecg"]["qt_ms"], s1["ecg"]["qt_ms"])),
    ("pseudo-ECG: 1 vs 2 ranks QT within one trace interval (1 ms)", abs(s1["ecg"]["qt_ms"] - s2["ecg"]["qt_ms"]) <= 1,
     (s1["ecg"]["qt_ms"], s2["ecg"]["qt_ms"])),
    ("ecg.csv written", os.path.exists(os.path.join("drug_np1", "ecg.csv")), ""),
]
report(checks)
