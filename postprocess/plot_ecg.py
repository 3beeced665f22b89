#!/usr/bin/python3
"""Plot pseudo-ECG traces, with QRS onset / T peak / T end marks when known.

usage: plot_ecg.py [options] ecg.csv [ecg2.csv ...]

Each CSV has a header row: t_ms, then one column per lead (mV), e.g. t_ms,epi-endo.
Marks are read from a JSON file next to each CSV (<stem>.json, else <stem>_metrics.json as
the monodomain solver writes it: ecg.csv + ecg_metrics.json; or --json), written
by organtwin::postprocess::to_json (one beat) in one of the forms
  {"qrs_onset_ms": ..., "t_end_ms": ..., ...}               metrics of the first lead
  {"<lead>": {metrics} or [{metrics beat 1}, {beat 2}], ...} per lead (and per beat)
Missing or null values are simply not drawn.

--overlay draws every file in the same axes (one panel per lead): the first file is
the baseline, the others e.g. drug runs; QT and dQT vs the baseline go in the legend.
Without it, each file gets its own column of panels.
"""
import argparse
import csv
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def read_csv(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    if not rows or rows[0][0].strip() != "t_ms":
        sys.exit(f"plot_ecg.py: {path}: the first column must be named t_ms")
    head = [h.strip() for h in rows[0]]
    try:
        data = [[float(x) for x in r] for r in rows[1:]]
    except ValueError as e:
        sys.exit(f"plot_ecg.py: {path}: not a number: {e}")
    if not data:
        sys.exit(f"plot_ecg.py: {path}: no samples")
    cols = {h: [r[j] for r in data] for j, h in enumerate(head)}
    return cols["t_ms"], {h: cols[h] for h in head[1:]}


def read_marks(path, leads):
    """Per lead a list of metrics dicts (one per beat); {} if there is no JSON."""
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        j = json.load(f)
    if isinstance(j, dict) and ("qrs_onset_ms" in j or "t_end_ms" in j):
        return {leads[0]: [j]} if leads else {}
    out = {}
    if isinstance(j, dict):
        for lead, v in j.items():
            if lead in leads:
                out[lead] = v if isinstance(v, list) else [v]
    return out


def num(d, key):
    v = d.get(key)
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", nargs="+", help="ECG CSV file(s)")
    ap.add_argument("-o", "--output", default=None, help="image file (default: <first csv stem>.png)")
    ap.add_argument("--overlay", action="store_true", help="baseline-vs-drug overlay: all files in the same axes")
    ap.add_argument("--labels", default=None, help="comma-separated labels of the files (default: file names)")
    ap.add_argument("--json", action="append", default=None,
                    help="marks file for each CSV, in order (default: <csv stem>.json)")
    ap.add_argument("--leads", default=None, help="comma-separated leads to plot (default: all)")
    ap.add_argument("--xlim", default=None, help="t range tmin,tmax [ms]")
    a = ap.parse_args()

    labels = a.labels.split(",") if a.labels else [os.path.splitext(os.path.basename(p))[0] for p in a.csv]
    if len(labels) != len(a.csv):
        sys.exit("plot_ecg.py: --labels must give one label per CSV file")
    if a.json and len(a.json) != len(a.csv):
        sys.exit("plot_ecg.py: give --json once per CSV file")

    runs = []
    for i, path in enumerate(a.csv):
        t, leads = read_csv(path)
        stem = os.path.splitext(path)[0]
        jpath = a.json[i] if a.json else next((j for j in (stem + ".json", stem + "_metrics.json")
                                               if os.path.exists(j)), None)
        runs.append((labels[i], t, leads, read_marks(jpath, list(leads))))

    names = a.leads.split(",") if a.leads else list(runs[0][2])
    for label, _, leads, _ in runs:
        missing = [n for n in names if n not in leads]
        if missing:
            sys.exit(f"plot_ecg.py: {label}: no lead(s) {', '.join(missing)}; it has {', '.join(leads)}")

    ncols = 1 if a.overlay else len(runs)
    fig, axes = plt.subplots(len(names), ncols, figsize=(4.5 + 3.5 * ncols, 2.6 * len(names) + 0.6),
                             squeeze=False, sharex=True)
    base_qt = {}
    for k, (label, t, leads, marks) in enumerate(runs):
        colour = f"C{k}"
        for r, name in enumerate(names):
            ax = axes[r][0 if a.overlay else k]
            beats = marks.get(name, [])
            qt = num(beats[0], "qt_ms") if beats else None
            text = label
            if qt is not None:
                text += f"  QT {qt:.1f} ms"
                if k == 0:
                    base_qt[name] = qt
                elif name in base_qt:
                    text += f" (dQT {qt - base_qt[name]:+.1f})"
            ax.plot(t, leads[name], color=colour, lw=1.2, label=text)
            for b in beats:
                base = num(b, "baseline_mV")
                if base is not None:
                    ax.axhline(base, color=colour, lw=0.6, ls=":")
                for key, style in (("qrs_onset_ms", "--"), ("t_end_ms", "-.")):
                    x = num(b, key)
                    if x is not None:
                        ax.axvline(x, color=colour, lw=0.8, ls=style)
                tp = num(b, "t_peak_ms")
                if tp is not None and base is not None and num(b, "t_amplitude_mV") is not None:
                    ax.plot([tp], [base + b["t_amplitude_mV"]], "v" if b["t_amplitude_mV"] < 0 else "^",
                            color=colour, ms=5)
            ax.set_ylabel(f"{name} [mV]")
            if a.xlim:
                ax.set_xlim(*[float(x) for x in a.xlim.split(",")])
            ax.grid(alpha=0.3)
            ax.legend(fontsize=7, loc="best")
            if r == 0 and not a.overlay:
                ax.set_title(label, fontsize=9)
    for ax in axes[-1]:
        ax.set_xlabel("t [ms]")
    fig.suptitle("pseudo-ECG (- - QRS onset, -. T end, tangent method)", fontsize=9)
    fig.tight_layout()
    out = a.output or os.path.splitext(a.csv[0])[0] + ".png"
    tmp = out + ".tmp.png"
    fig.savefig(tmp, dpi=110)
    os.replace(tmp, out)
    print(out)


if __name__ == "__main__":
    main()
