#!/usr/bin/python3
"""Plot a single-cell trace written by `organtwin cell` (trace.csv).

Usage: plot_cell.py trace.csv trace.png [--beats N] [--title TEXT]

Top: membrane potential V [mV]; bottom: the main ionic currents [uA/uF] (INa, ICaL,
Ito, IKr, IKs, IK1, INaCa, INaK where the model has them, else the ones with the
largest root-mean-square value; at most eight); the y-range is clipped to the 0.5-99.5
percentiles so that the INa spike does not hide the others).
Run with /usr/bin/python3 (Debian python3-matplotlib, python3-numpy).
"""
import argparse
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


MAIN_CURRENTS = ["INa", "ICaL", "Ito", "IKr", "IKs", "IK1", "INaCa", "INaK"]


def read_csv(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [[float(x) for x in r] for r in reader if r]
    if not rows:
        raise SystemExit(f"{path}: no samples")
    data = np.array(rows)
    return {name: data[:, i] for i, name in enumerate(header)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("csv")
    ap.add_argument("png")
    ap.add_argument("--beats", type=int, default=0, help="number of beats in the file (for the title)")
    ap.add_argument("--title", default="")
    ap.add_argument("--currents", type=int, default=8, help="number of currents to show")
    a = ap.parse_args()

    d = read_csv(a.csv)
    t = d["t_ms"]
    currents = [k for k in d if k.endswith("_uA_uF") and k != "Istim_uA_uF"]
    # the main currents of the project's channel vocabulary first, then the largest (RMS) others
    main = [f"{c}_uA_uF" for c in MAIN_CURRENTS if f"{c}_uA_uF" in d]
    others = sorted((k for k in currents if k not in main), key=lambda k: -float(np.sqrt(np.mean(d[k] ** 2))))
    shown = (main + others)[: a.currents]

    fig, (ax1, ax2) = plt.subplots(2, 1, sharex=True, figsize=(9, 6.5), constrained_layout=True)
    ax1.plot(t, d["V_mV"], color="k", lw=1.2)
    ax1.set_ylabel("V [mV]")
    title = a.title or "single cell"
    if a.beats:
        title += f" - last {a.beats} beat{'s' if a.beats > 1 else ''}"
    ax1.set_title(title)
    ax1.grid(alpha=0.3)

    values = []
    for k in shown:
        ax2.plot(t, d[k], lw=1.0, label=k[: -len("_uA_uF")])
        values.append(d[k])
    if values:
        v = np.concatenate(values)
        lo, hi = np.percentile(v, [0.5, 99.5])
        pad = 0.1 * max(hi - lo, 1e-6)
        ax2.set_ylim(lo - pad, hi + pad)
        ax2.legend(loc="upper right", fontsize=8, ncol=3)
    ax2.set_ylabel("I [uA/uF] (clipped)")
    ax2.set_xlabel("t [ms]")
    ax2.grid(alpha=0.3)
    fig.savefig(a.png, dpi=110)
    return 0


if __name__ == "__main__":
    sys.exit(main())
