#!/usr/bin/python3
"""Simulated QT change of the cardiotox tissue model at clinical exposures, side by side
with clinical concentration-QTc data (see README.md in this folder).

Runs the transmural strand of the cardiotox quick deck (strand.prm, monodomain,
CiPAORdv1 endo/M/epi, 60 bpm) without drug and at fixed free concentrations:
  * dofetilide at total plasma concentrations of 1.0, 2.0 and 3.5 ng/mL (the range the
    Tikosyn label gives for 500 ug BID adjusted for creatinine clearance), converted to
    free molar concentrations with the molecular weight and fu of the compound file;
  * verapamil at 1x and 3x its CiPA free Cmax.
Then compares the simulated dQT with the clinical dQTc predicted by the label's
steady-state concentration-QTc slope (10-15 ms per ng/mL) for dofetilide. It is a
comparison, not a fit: no model parameter is adjusted.

Usage (repository root, after scripts/build):
    /usr/bin/python3 validation/cardiotox_qt/run.py [--bin build/bin/organtwin] [--out results/cardiotox_qt]
Writes results.csv, comparison.md and dqt.png into --out. About 5 minutes on 2 cores
(the first run pre-paces each concentration; later runs use .organtwin_cache).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

# Clinical reference (Tikosyn (dofetilide) US prescribing information, Pfizer, section
# "Dose-Response and Concentration Response for Increase in QT Interval"): steady-state
# (day 23) slope of QTc change vs plasma concentration in healthy volunteers
# 10-15 ms per ng/mL; 500 ug BID adjusted for creatinine clearance gives 1-3.5 ng/mL.
# Allen et al. 2000 (Br J Clin Pharmacol 50:247) report 9.9-12.8 ms per ng/mL on day 5.
LABEL_SLOPE_MS_PER_NG_ML = (10.0, 15.0)
DOFETILIDE_TOTAL_NG_ML = (1.0, 2.0, 3.5)
VERAPAMIL_CMAX_MULTIPLES = (1.0, 3.0)
# Verapamil at a measured therapeutic exposure: 80 mg every 6 h long term, steady-state peak
# 255 and trough 105 ng/mL total plasma (Clin Pharmacol Ther 1981;30(5):644-652,
# doi:10.1038/clpt.1981.216, abstract), free with fu and MW of validation/pbpk_verapamil/compound.json.
VERAPAMIL_OBSERVED_TOTAL_NG_ML = (("trough_80mg_q6h", 105.0), ("peak_80mg_q6h", 255.0))


def compound(name):
    with open(os.path.join(ROOT, "physics", "pk", "compounds", name + ".json")) as f:
        return json.load(f)


def cipa_cmax_free_nM(drug):
    with open(os.path.join(ROOT, "physics", "drugs", "data", "cipa_training_drugs.csv")) as f:
        for row in csv.DictReader(f):
            if row["drug"] == drug:
                return float(row["cmax_free_nM"])
    raise SystemExit(f"run.py: drug {drug} not in cipa_training_drugs.csv")


def free_nM_from_total_ng_per_mL(c_ng_mL, mw_g_per_mol, fu):
    # ng/mL = ug/L; / (g/mol) -> umol/L; * 1000 -> nmol/L; * fu -> free
    return c_ng_mL / mw_g_per_mol * 1000.0 * fu


def run(binary, label, drug, conc_nM, out, model):
    folder = os.path.join(out, "runs", label)
    cmd = [binary, "run", os.path.join(HERE, "strand.prm"),
           "-s", f"Drug/Drug={drug}", "-s", f"Drug/Concentration={conc_nM:.6g}",
           "-s", f"Ionic model/Model={model}", "-s", f"Output/Directory={folder}"]
    t0 = time.time()
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stdout[-2000:] + p.stderr[-2000:])
        raise SystemExit(f"run.py: {label} failed (exit {p.returncode})")
    with open(os.path.join(folder, "ecg_metrics.json")) as f:
        m = json.load(f)
    print(f"  {label:<22s} {conc_nM:9.3f} nM  QT {m['qt_ms']:.1f} ms  T {m['t_polarity']}"
          f"  ({time.time() - t0:.0f} s)", flush=True)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin", "organtwin"))
    ap.add_argument("--out", default=os.path.join(ROOT, "results", "cardiotox_qt"))
    ap.add_argument("--model", default="CiPAORdv1",
                    help="ionic model of the strand (CiPAORdv1: dynamic hERG binding; ToRORd: static "
                         "IC50 block of every channel), for a model-sensitivity comparison")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    dof = compound("dofetilide")
    mw, fu = dof["molecular_weight_g_per_mol"], dof["fraction_unbound_plasma"]
    rows = []
    base = run(a.bin, "baseline", "dofetilide", 0.0, a.out, a.model)
    rows.append(dict(drug="none", total_ng_mL="", free_nM=0.0, qt_ms=base["qt_ms"], dqt_ms=0.0,
                     clinical_low_ms="", clinical_high_ms="", t_polarity=base["t_polarity"]))
    for c in DOFETILIDE_TOTAL_NG_ML:
        free = free_nM_from_total_ng_per_mL(c, mw, fu)
        m = run(a.bin, f"dofetilide_{c:g}ngmL", "dofetilide", free, a.out, a.model)
        rows.append(dict(drug="dofetilide", total_ng_mL=c, free_nM=free, qt_ms=m["qt_ms"],
                         dqt_ms=m["qt_ms"] - base["qt_ms"],
                         clinical_low_ms=LABEL_SLOPE_MS_PER_NG_ML[0] * c,
                         clinical_high_ms=LABEL_SLOPE_MS_PER_NG_ML[1] * c, t_polarity=m["t_polarity"]))
    cmax = cipa_cmax_free_nM("verapamil")
    for k in VERAPAMIL_CMAX_MULTIPLES:
        m = run(a.bin, f"verapamil_{k:g}xCmax", "verapamil", k * cmax, a.out, a.model)
        rows.append(dict(drug="verapamil", total_ng_mL="", free_nM=k * cmax, qt_ms=m["qt_ms"],
                         dqt_ms=m["qt_ms"] - base["qt_ms"], clinical_low_ms="", clinical_high_ms="",
                         t_polarity=m["t_polarity"]))

    ver = json.load(open(os.path.join(ROOT, "validation", "pbpk_verapamil", "compound.json")))
    for label, c in VERAPAMIL_OBSERVED_TOTAL_NG_ML:
        free = free_nM_from_total_ng_per_mL(c, ver["molecular_weight_g_per_mol"], ver["fraction_unbound_plasma"])
        m = run(a.bin, f"verapamil_{label}", "verapamil", free, a.out, a.model)
        rows.append(dict(drug="verapamil", total_ng_mL=c, free_nM=free, qt_ms=m["qt_ms"],
                         dqt_ms=m["qt_ms"] - base["qt_ms"], clinical_low_ms="", clinical_high_ms="",
                         t_polarity=m["t_polarity"]))

    keys = list(rows[0].keys())
    tmp = os.path.join(a.out, "results.csv.partial")
    with open(tmp, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in r.items()})
    os.replace(tmp, os.path.join(a.out, "results.csv"))

    lines = ["| drug | total plasma [ng/mL] | free [nM] | simulated QT [ms] | simulated ΔQT [ms] | "
             "clinical ΔQTc [ms] (label slope 10–15 ms per ng/mL) | within? |", "|---|---|---|---|---|---|---|"]
    for r in rows[1:]:
        if r["drug"] == "dofetilide":
            ok = r["clinical_low_ms"] <= r["dqt_ms"] <= r["clinical_high_ms"]
            clin = f"{r['clinical_low_ms']:.0f} – {r['clinical_high_ms']:.0f}"
            tot = f"{r['total_ng_mL']:g}"
            within = "yes" if ok else ("below" if r["dqt_ms"] < r["clinical_low_ms"] else "above")
        else:
            tot = f"{r['total_ng_mL']:g}" if r["total_ng_mL"] != "" else "–"
            clin, within = "no relevant prolongation (low-risk CiPA reference drug)", \
                ("yes" if abs(r["dqt_ms"]) < 10 else "no")
        lines.append(f"| {r['drug']} | {tot} | {r['free_nM']:.3g} | {r['qt_ms']:.1f} | {r['dqt_ms']:+.1f} | "
                     f"{clin} | {within} |")
    md = ("# Simulated ΔQT vs clinical ΔQTc (generated by run.py)\n\n"
          f"Ionic model of the strand: {a.model}.\n"
          f"Baseline QT {base['qt_ms']:.1f} ms (60 bpm, so QT = QTc), T wave {base['t_polarity']}.\n"
          f"Dofetilide: MW {mw} g/mol, fu {fu} (compound file).\n\n" + "\n".join(lines) + "\n")
    tmp = os.path.join(a.out, "comparison.md.partial")
    with open(tmp, "w") as f:
        f.write(md)
    os.replace(tmp, os.path.join(a.out, "comparison.md"))
    print(md)

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("run.py: matplotlib missing, no plot")
        return
    d = [r for r in rows if r["drug"] == "dofetilide"]
    fig, ax = plt.subplots(figsize=(5.5, 4))
    xs = [0.0] + [r["total_ng_mL"] for r in d]
    ax.fill_between(xs, [LABEL_SLOPE_MS_PER_NG_ML[0] * x for x in xs],
                    [LABEL_SLOPE_MS_PER_NG_ML[1] * x for x in xs], color="0.85",
                    label="clinical (label, steady state)")
    ax.plot(xs, [0.0] + [r["dqt_ms"] for r in d], "o-", color="C3", label="OrganTwin strand")
    ax.set_xlabel("dofetilide total plasma concentration [ng/mL]")
    ax.set_ylabel("ΔQT(c) [ms]")
    ax.set_title("Dofetilide: simulated ΔQT vs clinical ΔQTc")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, "dqt.png.partial.png"), dpi=120)
    os.replace(os.path.join(a.out, "dqt.png.partial.png"), os.path.join(a.out, "dqt.png"))


if __name__ == "__main__":
    main()
