#!/usr/bin/python3
"""Plots for `organtwin pk`.

  plot_pk.py single concentrations.csv out.png [--log] [--title T]
      venous plasma and tissue concentrations [mg/L] (top), unbound heart/liver/kidney [uM] (bottom)
  plot_pk.py population population_percentiles.csv out.png [--log] [--title T]
      5th/50th/95th percentile of venous plasma [mg/L] and unbound heart [uM]
Run with /usr/bin/python3 (Debian python3-matplotlib, python3-numpy).
"""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ORGANS = ["lung", "heart", "brain", "muscle", "adipose", "skin", "bone", "kidney", "liver"]


def read(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        head = next(r)
        data = np.array([[float(x) for x in row] for row in r if row])
    return {h: data[:, i] for i, h in enumerate(head)}


def positive(y):
    y = np.asarray(y, dtype=float).copy()
    y[y <= 0] = np.nan
    return y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["single", "population"])
    ap.add_argument("csv")
    ap.add_argument("png")
    ap.add_argument("--log", action="store_true")
    ap.add_argument("--title", default="")
    a = ap.parse_args()
    d = read(a.csv)
    t = d["time_h"]
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 8), sharex=True)
    tr = positive if a.log else (lambda y: y)
    if a.kind == "single":
        ax1.plot(t, tr(d["plasma_venous_mg_per_L"]), "k-", lw=2.2, label="plasma (venous)")
        for o in ORGANS:
            ax1.plot(t, tr(d[o + "_mg_per_L"]), lw=1, label=o)
        ax1.set_ylabel("total concentration [mg/L]")
        for o in ["heart", "liver", "kidney", "plasma"]:
            ax2.plot(t, tr(d[o + "_unbound_uM"]), lw=1.5 if o != "plasma" else 2.2, label=o + " unbound")
        ax2.set_ylabel("unbound concentration [uM]")
    else:
        ax1.fill_between(t, d["plasma_p05_mg_per_L"], d["plasma_p95_mg_per_L"], color="C0", alpha=0.3,
                         label="5th-95th percentile")
        ax1.plot(t, tr(d["plasma_p50_mg_per_L"]), "C0-", lw=2, label="median")
        ax1.set_ylabel("venous plasma [mg/L]")
        ax2.fill_between(t, d["heart_unbound_p05_uM"], d["heart_unbound_p95_uM"], color="C3", alpha=0.3,
                         label="5th-95th percentile")
        ax2.plot(t, tr(d["heart_unbound_p50_uM"]), "C3-", lw=2, label="median")
        ax2.set_ylabel("unbound heart [uM]")
    for ax in (ax1, ax2):
        if a.log:
            ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7, ncol=2)
    ax2.set_xlabel("time [h]")
    if a.title:
        ax1.set_title(a.title)
    fig.tight_layout()
    fig.savefig(a.png, dpi=110)


if __name__ == "__main__":
    main()
