#!/usr/bin/python3
"""Plot of a transient `perfusion` run: plot_perfusion.py RESULT_DIR
reads RESULT_DIR/traces.csv, writes RESULT_DIR/perfusion.png with
  (1) inlet and outlet blood concentration [uM], (2) extraction ratio E(t) = 1 - out/in,
  (3) cumulative drug balance [pmol]: in, out, eliminated, stored, and the residual.
Run with /usr/bin/python3 (Debian python3-matplotlib, python3-numpy)."""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main(folder):
    with open(os.path.join(folder, "traces.csv"), newline="") as f:
        r = csv.reader(f)
        head = next(r)
        data = np.array([[float(x) for x in row] for row in r if row])
    d = {h: data[:, i] for i, h in enumerate(head)}
    t = d["time_s"]
    fig, ax = plt.subplots(3, 1, figsize=(7, 9), sharex=True)
    ax[0].plot(t, d["c_in_blood_uM"], label="inlet (blood)")
    ax[0].plot(t, d["c_out_blood_uM"], label="outlet (flow-weighted blood)")
    ax[0].set_ylabel("concentration [uM]")
    ax[0].legend()
    e = np.where(d["in_pmol_per_s"] > 0, d["E"], np.nan)
    ax[1].plot(t, e)
    ax[1].set_ylabel("E(t) = 1 - out/in")
    ax[1].set_ylim(-0.05, 1.05)
    stored = d["stored_pmol"] - d["stored_pmol"][0]
    ax[2].plot(t, d["cum_in_pmol"], label="in")
    ax[2].plot(t, d["cum_out_pmol"], label="out")
    ax[2].plot(t, d["cum_eliminated_pmol"] + d["cum_filtered_pmol"], label="eliminated")
    ax[2].plot(t, stored, label="stored")
    ax[2].plot(t, d["balance_pmol"], "k--", label="in - out - elim. - stored")
    ax[2].set_ylabel("cumulative amount [pmol]")
    ax[2].set_xlabel("time [s]")
    ax[2].legend()
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "perfusion.png"), dpi=110)


if __name__ == "__main__":
    main(sys.argv[1])
