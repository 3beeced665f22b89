#!/usr/bin/env python3
"""Two-design stent study: the stented_artery deck with strut thickness 0.08 and 0.15 mm.
Runs organtwin for each design (optionally on --np ranks), then writes study.csv, study.md
and the PNG maps (plot_wss.py) into --out.
  python3 cases/stented_artery/run_study.py [--out results/stent_study] [--np 2] [-s Entry=value ...]"""
import argparse, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--out", default="results/stent_study")
ap.add_argument("--np", type=int, default=1)
ap.add_argument("--thickness", type=float, nargs="+", default=[0.08, 0.15])
ap.add_argument("-s", action="append", default=[], help="extra deck override, passed to organtwin")
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
a = ap.parse_args()
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
os.makedirs(a.out, exist_ok=True)
rows = []
for t in a.thickness:
    out = os.path.join(a.out, f"t{t:.2f}")
    cmd = ([*mpirun, "-np", str(a.np)] if a.np > 1 else []) + [a.bin, "run", os.path.join(here, "stented_artery.prm"),
           "-s", f"Mesh/Stented channel/Strut thickness={t}", "-s", f"Output/Directory={out}"]
    for o in a.s:
        cmd += ["-s", o]
    print(" ".join(cmd), flush=True)
    if subprocess.run(cmd).returncode != 0:
        sys.exit(f"run failed for thickness {t}")
    s = json.load(open(os.path.join(out, "summary.json")))
    w = s["wss"]["0"]
    rows.append((t, w["area_mm2"], w["mean_TAWSS_Pa"], w["low_TAWSS_area_mm2"], w["low_TAWSS_fraction"], w["mean_OSI"],
                 w["max_OSI"], w["median_RRT_per_Pa"], s["wss"]["3"]["mean_TAWSS_Pa"], s["dofs_velocity"] + s["dofs_pressure"],
                 s["wall_time_s"]))
hdr = ["strut_thickness_mm", "wall_length_mm", "mean_TAWSS_Pa", "low_TAWSS_length_mm", "low_TAWSS_fraction", "mean_OSI",
       "max_OSI", "median_RRT_per_Pa", "strut_mean_TAWSS_Pa", "dofs", "wall_time_s"]
with open(os.path.join(a.out, "study.csv"), "w") as f:
    f.write(",".join(hdr) + "\n")
    for r in rows:
        f.write(",".join(f"{v:.6g}" for v in r) + "\n")
md = ["| strut thickness [mm] | low-TAWSS (< 0.4 Pa) wall length [mm] | fraction of wall | mean TAWSS [Pa] | mean OSI | max OSI | median RRT [1/Pa] |",
      "|---|---|---|---|---|---|---|"]
for r in rows:
    md.append(f"| {r[0]:.2f} | {r[3]:.4f} | {100 * r[4]:.2f} % | {r[2]:.4f} | {r[5]:.4f} | {r[6]:.3f} | {r[7]:.3f} |")
if len(rows) == 2:
    trend = "thicker struts give the larger low-TAWSS area" if rows[1][3] > rows[0][3] else \
            "the thicker struts do NOT give the larger low-TAWSS area"
    md.append("")
    md.append(f"Trend: {trend} ({rows[0][3]:.4f} -> {rows[1][3]:.4f} mm per unit depth).")
open(os.path.join(a.out, "study.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
subprocess.run(["/usr/bin/python3", os.path.join(here, "plot_wss.py"), "--out", a.out] +
               [os.path.join(a.out, f"t{t:.2f}") for t in a.thickness])
