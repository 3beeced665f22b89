#!/usr/bin/env python3
"""TAWSS, OSI and RRT along the lower wall (y < 0) of stented_channel runs: one PNG per
metric (tawss.png, osi.png, rrt.png) with one curve per run folder, struts shaded.
  python3 plot_wss.py --out DIR RUN_DIR [RUN_DIR ...]"""
import argparse, csv, json, os
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

ap = argparse.ArgumentParser()
ap.add_argument("--out", required=True)
ap.add_argument("runs", nargs="+")
a = ap.parse_args()
data = []
for run in a.runs:
    pts = [r for r in csv.DictReader(open(os.path.join(run, "wss_points.csv"))) if float(r["y"]) < 0]
    pts.sort(key=lambda r: (float(r["x"]), float(r["y"])))
    used = open(os.path.join(run, "used_parameters.prm")).read()
    thick = next((l.split("=")[1].split("#")[0].strip() for l in used.splitlines() if "Strut thickness" in l), "?")
    summ = json.load(open(os.path.join(run, "summary.json")))
    data.append((f"strut {thick} mm", pts, summ.get("low_TAWSS_threshold_Pa", 0.4)))
for key, label, fname, log in [("tawss_Pa", "TAWSS [Pa]", "tawss.png", False), ("osi", "OSI [-]", "osi.png", False),
                               ("rrt_per_Pa", "RRT [1/Pa]", "rrt.png", True)]:
    fig, ax = plt.subplots(figsize=(9, 3.4))
    for name, pts, thr in data:
        xs = [float(r["x"]) for r in pts]
        ys = [min(float(r[key]), 1e4) for r in pts]
        ax.plot(xs, ys, lw=1, label=name)
        if key == "tawss_Pa":
            ax.axhline(thr, color="k", ls="--", lw=0.8)
    ax.set_xlabel("x along the vessel [mm] (lower wall and strut surfaces)")
    ax.set_ylabel(label)
    if log:
        ax.set_yscale("log")
    ax.set_xlim(2, 9)
    ax.legend()
    ax.set_title(f"{label} over the second cycle" + (" (dashed: low-TAWSS threshold)" if key == "tawss_Pa" else ""))
    fig.tight_layout()
    fig.savefig(os.path.join(a.out, fname), dpi=130)
    plt.close(fig)
print("wrote", ", ".join(os.path.join(a.out, f) for f in ("tawss.png", "osi.png", "rrt.png")))
