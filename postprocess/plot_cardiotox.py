#!/usr/bin/python3
"""Figures of a cardiotox result folder (Problem type = cardiotox).

usage: plot_cardiotox.py <result dir>
  concentration.png  unbound heart (and plasma) concentration vs time, simulated times marked
  ecg.png            pseudo-ECG lead 1 of every tissue run (baseline vs drug), T end marked
  action_potentials.png  V at the layer probes of every tissue run
  exposure_response.png  (virtual population only) dQT vs free heart concentration of every
                     drug run, over the histogram of the subjects' concentrations
"""
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def main(d):
    d = d.rstrip("/") + "/"
    qt = rows(d + "qt.csv")
    # concentration-time
    c = rows(d + "pk/concentrations.csv")
    t = [float(r["time_h"]) for r in c]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    for col, lab in (("heart_unbound_uM", "heart, unbound"), ("plasma_unbound_uM", "plasma, unbound")):
        if col in c[0]:
            ax.plot(t, [1e3 * float(r[col]) for r in c], lw=1, label=lab)
    ymax = max(1e3 * float(r["heart_unbound_uM"]) for r in c) if "heart_unbound_uM" in c[0] else 1.0
    for k, r in enumerate([r for r in qt if r["label"] != "baseline"]):
        ax.axvline(float(r["pk_time_h"]), color="k", ls=":", lw=0.8)
        ax.annotate("%s %.3g nM" % (r["label"], float(r["free_heart_conc_nM"])), (float(r["pk_time_h"]), ymax),
                    xytext=(-150, -12 - 12 * k), textcoords="offset points", fontsize=7,
                    arrowprops=dict(arrowstyle="-", lw=0.5))
    ax.set_xlabel("time [h]")
    ax.set_ylabel("concentration [nM]")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(d + "concentration.png", dpi=110)
    plt.close(fig)

    # ECG and APs
    fig, ax = plt.subplots(figsize=(7, 3.5))
    fig2, axes = plt.subplots(1, len(qt), figsize=(3.2 * len(qt), 3), sharey=True, squeeze=False)
    for k, r in enumerate(qt):
        folder = d + "tissue_" + r["label"] + "/"
        if os.path.exists(folder + "ecg.csv"):
            e = rows(folder + "ecg.csv")
            lead = [k2 for k2 in e[0] if k2 != "t_ms"][0]
            line, = ax.plot([float(x["t_ms"]) for x in e], [float(x[lead]) for x in e], lw=1,
                            label="%s (QT %.0f ms)" % (r["label"], float(r["qt_ms"])))
            if r["t_end_ms"] not in ("", "nan"):
                ax.axvline(float(r["t_end_ms"]), color=line.get_color(), ls=":", lw=0.8)
        p = rows(folder + "probes.csv")
        for col in [k2 for k2 in p[0] if k2 != "t_ms"]:
            axes[0][k].plot([float(x["t_ms"]) for x in p], [float(x[col]) for x in p], lw=1,
                            label=col.replace("V_", "").replace("_mV", ""))
        axes[0][k].set_title("%s, %.3g nM" % (r["label"], float(r["free_heart_conc_nM"])), fontsize=9)
        axes[0][k].set_xlabel("t [ms]")
        axes[0][k].legend(fontsize=7)
    axes[0][0].set_ylabel("V [mV]")
    ax.set_xlabel("t [ms]")
    ax.set_ylabel("pseudo-ECG [mV]")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(d + "ecg.png", dpi=110)
    fig2.tight_layout()
    fig2.savefig(d + "action_potentials.png", dpi=110)
    plt.close(fig)
    plt.close(fig2)

    if os.path.exists(d + "population_qt.csv"):
        subj = rows(d + "pk/population_subjects.csv")
        fig, ax = plt.subplots(figsize=(6, 3.5))
        ax2 = ax.twinx()
        for col, lab, colour in (("heart_unbound_Cmax_uM", "subjects: peak", "tab:red"),
                                 ("heart_unbound_at_last_dose_uM", "subjects: trough", "tab:blue")):
            ax2.hist([1e3 * float(r[col]) for r in subj], bins=30, alpha=0.25, color=colour, label=lab)
        er = sorted([(0.0, 0.0)] + [(float(r["free_heart_conc_nM"]), float(r["delta_qt_ms"]))
                                    for r in qt if r["label"] != "baseline"])
        ax.plot([x for x, _ in er], [y for _, y in er], "ko-", lw=1, ms=4, label="simulated dQT")
        for r in rows(d + "population_qt.csv"):
            ax.annotate("p%s %s" % (r["percentile"], r["kind"]),
                        (float(r["free_heart_conc_nM"]), float(r["delta_qt_ms"])), fontsize=7,
                        xytext=(3, -10), textcoords="offset points")
        ax.axhline(10, color="grey", ls=":", lw=0.8)
        ax.set_xlabel("free heart concentration [nM]")
        ax.set_ylabel("dQT [ms]")
        ax2.set_ylabel("subjects")
        ax.set_zorder(ax2.get_zorder() + 1)
        ax.patch.set_visible(False)
        h1, l1 = ax.get_legend_handles_labels()
        h2, l2 = ax2.get_legend_handles_labels()
        ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper left")
        fig.tight_layout()
        fig.savefig(d + "exposure_response.png", dpi=110)
        plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
