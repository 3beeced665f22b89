#!/usr/bin/python3
"""Figures of a CiPA study result folder (written by `organtwin run` with Problem type = cipa).

usage: plot_cipa.py <result dir>
  ap_traces.png   AP (and Ca_i) of the reported beat at 0..4 x Cmax, one panel per drug
  qnet_vs_conc.png qNet vs concentration (x free Cmax) for all drugs, coloured by known risk
  tdp_metric.png  TdP metric (mean qNet over 1-4 x Cmax) per drug with the classifier thresholds
"""
import csv
import glob
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {"High": "tab:red", "Intermediate": "tab:orange", "Low": "tab:green", "unknown": "tab:gray"}


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def main(d):
    d = d.rstrip("/") + "/"
    tdp = read_csv(d + "tdp.csv")
    drugs = [r["drug"] for r in tdp]
    known = {r["drug"]: r["known_risk"] for r in tdp}

    # AP traces
    n = len(drugs)
    cols = min(4, max(1, n))
    rows = int(math.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows), squeeze=False, sharey=True)
    for k, drug in enumerate(drugs):
        ax = axes[k // cols][k % cols]
        files = [(0.0, d + "traces/control.csv")]
        for f in glob.glob(d + "traces/" + drug + "_*x.csv"):
            files.append((float(os.path.basename(f)[len(drug) + 1:-5]), f))
        for mult, f in sorted(files):
            if not os.path.exists(f):
                continue
            r = read_csv(f)
            t = [float(x["t_ms"]) for x in r]
            v = [float(x["V_mV"]) for x in r]
            ax.plot(t, v, lw=1, label="control" if mult == 0 else "%gx" % mult)
        ax.set_title("%s (%s)" % (drug, known[drug]), fontsize=9, color=COLOURS.get(known[drug], "k"))
        ax.set_xlim(0, 700)
        ax.set_xlabel("t [ms]")
        if k % cols == 0:
            ax.set_ylabel("V [mV]")
        ax.legend(fontsize=6)
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].axis("off")
    fig.tight_layout()
    fig.savefig(d + "ap_traces.png", dpi=110)
    plt.close(fig)

    # qNet vs concentration
    fig, ax = plt.subplots(figsize=(6, 4))
    ctrl = None
    for drug in drugs:
        r = read_csv(d + "drugs/" + drug + ".csv")
        m = [float(x["cmax_multiple"]) for x in r]
        q = [float(x["qnet_uC_per_uF"]) for x in r]
        ctrl = q[0]
        ax.plot(m, q, "o-", color=COLOURS.get(known[drug], "k"), lw=1, ms=3)
        ax.annotate(drug, (m[-1], q[-1]), fontsize=6)
    for risk, c in COLOURS.items():
        if risk != "unknown":
            ax.plot([], [], color=c, label=risk)
    if ctrl is not None:
        ax.axhline(ctrl, color="k", lw=0.5, ls=":")
    ax.set_xlabel("concentration [x free Cmax]")
    ax.set_ylabel("qNet [uC/uF]")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(d + "qnet_vs_conc.png", dpi=110)
    plt.close(fig)

    # TdP metric with thresholds
    fig, ax = plt.subplots(figsize=(6, 4))
    order = sorted(tdp, key=lambda r: float(r["tdp_metric_uC_per_uF"]))
    for i, r in enumerate(order):
        ax.barh(i, float(r["tdp_metric_uC_per_uF"]), color=COLOURS.get(r["known_risk"], "k"))
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels(["%s -> %s" % (r["drug"], r["predicted_risk"]) for r in order], fontsize=7)
    if os.path.exists(d + "classifier.json"):
        c = json.load(open(d + "classifier.json"))
        for key, ls in (("threshold_intermediate_high", "--"), ("threshold_low_intermediate", ":")):
            ax.axvline(c[key], color="k", ls=ls, lw=1, label=key.replace("threshold_", "").replace("_", " | "))
        ax.legend(fontsize=7)
    lo = min(float(r["tdp_metric_uC_per_uF"]) for r in order)
    hi = max(float(r["tdp_metric_uC_per_uF"]) for r in order)
    ax.set_xlim(lo - 0.1 * (hi - lo + 1e-3), hi + 0.1 * (hi - lo + 1e-3))
    ax.set_xlabel("TdP metric = mean qNet, 1-4 x Cmax [uC/uF]; colour: known risk")
    fig.tight_layout()
    fig.savefig(d + "tdp_metric.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
