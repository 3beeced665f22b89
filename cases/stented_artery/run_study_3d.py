#!/usr/bin/env python3
"""3D two-design stent study: for each strut thickness, mesh the stented vessel with the Gmsh
generator (cases/meshes/stented_vessel.prm, straight vessel without stenosis, ring stent),
run cases/stented_artery/stented_artery_3d.prm on it, and compare the low-TAWSS area of the
vessel wall (tag 4) and the struts (tag 3). Writes study_3d.csv, study_3d.md and
tawss_3d.png (TAWSS on the unrolled wall, angle vs axial position, one panel per design).
  python3 cases/stented_artery/run_study_3d.py [--out DIR] [--np 2] [--thickness 0.08 0.15]
         [--mesh-size 0.3] [--reuse] [-s Entry=value ...]
Designs can run as separate processes (one --thickness each, same --out) and be tabulated
afterwards with --reuse and all thicknesses."""
import argparse, csv, json, math, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument("--out", default="results/stent_study_3d")
ap.add_argument("--np", type=int, default=1)
ap.add_argument("--thickness", type=float, nargs="+", default=[0.08, 0.15])
ap.add_argument("--mesh-size", type=float, default=0.3, help="[mm] element size away from the struts")
ap.add_argument("-s", action="append", default=[], help="extra flow deck override, passed to organtwin")
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--reuse", action="store_true", help="keep a design's finished run (summary.json present) instead of rerunning")
a = ap.parse_args()
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
par = [*mpirun, "-np", str(a.np)] if a.np > 1 else []
os.makedirs(a.out, exist_ok=True)


def run(cmd):
    print(" ".join(cmd), flush=True)
    if subprocess.run(cmd).returncode != 0:
        sys.exit("failed: " + " ".join(cmd))


rows, runs = [], []
for t in a.thickness:
    mesh_dir, out = os.path.join(a.out, f"mesh_t{t:.2f}"), os.path.join(a.out, f"t{t:.2f}")
    if not os.path.exists(os.path.join(mesh_dir, "mesh.otmesh")):
        run([a.bin, "mesh", os.path.join(src, "cases/meshes/stented_vessel.prm"), "-s", f"Mesh/Vessel/Strut thickness={t}",
             "-s", "Mesh/Vessel/Stenosis severity=0", "-s", f"Mesh/Element size={a.mesh_size}",
             "-s", f"Output/Directory={mesh_dir}"])
    done = a.reuse and os.path.exists(os.path.join(out, "summary.json"))
    cmd = par + [a.bin, "run", os.path.join(here, "stented_artery_3d.prm"), "-s", f"Mesh/File={os.path.abspath(mesh_dir)}/mesh.otmesh",
                 "-s", f"Output/Directory={out}"]
    for o in a.s:
        cmd += ["-s", o]
    if done:
        print("reusing", out)
    else:
        run(cmd)
    s = json.load(open(os.path.join(out, "summary.json")))
    mesh = json.load(open(os.path.join(mesh_dir, "report.json")))
    w, st = s["wss"]["4"], s["wss"]["3"]
    rows.append(dict(strut_thickness_mm=t, tets=mesh.get("cells", float("nan")), dofs=s["dofs_velocity"] + s["dofs_pressure"],
                     wall_area_mm2=w["area_mm2"], wall_mean_TAWSS_Pa=w["mean_TAWSS_Pa"],
                     wall_low_TAWSS_area_mm2=w["low_TAWSS_area_mm2"], wall_low_TAWSS_fraction=w["low_TAWSS_fraction"],
                     wall_mean_OSI=w["mean_OSI"], wall_max_OSI=w["max_OSI"], wall_median_RRT_per_Pa=w["median_RRT_per_Pa"],
                     strut_area_mm2=st["area_mm2"], strut_mean_TAWSS_Pa=st["mean_TAWSS_Pa"],
                     strut_low_TAWSS_area_mm2=st["low_TAWSS_area_mm2"], wall_time_s=s["wall_time_s"]))
    runs.append((t, out))
keys = list(rows[0].keys())
with open(os.path.join(a.out, "study_3d.csv"), "w") as f:
    f.write(",".join(keys) + "\n")
    for r in rows:
        f.write(",".join(f"{r[k]:.6g}" for k in keys) + "\n")
md = ["| strut thickness [mm] | tets | DoFs | wall low-TAWSS (< 0.4 Pa) area [mm²] | fraction of wall | wall mean TAWSS [Pa] | "
      "wall mean OSI | wall max OSI | median RRT [1/Pa] | strut mean TAWSS [Pa] | wall time [s] |",
      "|---|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    md.append(f"| {r['strut_thickness_mm']:.2f} | {r['tets']} | {r['dofs']} | {r['wall_low_TAWSS_area_mm2']:.3f} | "
              f"{100 * r['wall_low_TAWSS_fraction']:.2f} % | {r['wall_mean_TAWSS_Pa']:.4f} | {r['wall_mean_OSI']:.4f} | "
              f"{r['wall_max_OSI']:.3f} | {r['wall_median_RRT_per_Pa']:.3f} | {r['strut_mean_TAWSS_Pa']:.4f} | {r['wall_time_s']:.0f} |")
if len(rows) == 2:
    up = rows[1]["wall_low_TAWSS_area_mm2"] > rows[0]["wall_low_TAWSS_area_mm2"]
    md += ["", "Trend: " + ("thicker struts give the larger low-TAWSS wall area" if up else
                            "the thicker struts do NOT give the larger low-TAWSS wall area") +
           f" ({rows[0]['wall_low_TAWSS_area_mm2']:.3f} -> {rows[1]['wall_low_TAWSS_area_mm2']:.3f} mm²)."]
open(os.path.join(a.out, "study_3d.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))

# TAWSS on the unrolled wall: angle around the axis (z) vs axial position
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, axes = plt.subplots(len(runs), 1, figsize=(10, 2.6 * len(runs)), sharex=True, squeeze=False)
for ax, (t, out) in zip(axes[:, 0], runs):
    pts = [r for r in csv.DictReader(open(os.path.join(out, "wss_points.csv"))) if r["tag"] == "4"]
    z = [float(r["z"]) for r in pts]
    th = [math.degrees(math.atan2(float(r["y"]), float(r["x"]))) for r in pts]
    tw = [float(r["tawss_Pa"]) for r in pts]
    sc = ax.scatter(z, th, c=tw, s=1.5, cmap="viridis", vmin=0, vmax=max(1.5, sorted(tw)[int(0.98 * len(tw))]))
    low = [(zz, tt) for zz, tt, w in zip(z, th, tw) if w < 0.4]
    if low:
        ax.scatter([p[0] for p in low], [p[1] for p in low], s=1.5, c="red", label="TAWSS < 0.4 Pa")
        ax.legend(loc="upper right", markerscale=6, fontsize=8)
    ax.set_ylabel("angle [deg]")
    ax.set_title(f"strut thickness {t:.2f} mm", fontsize=9)
    fig.colorbar(sc, ax=ax, label="TAWSS [Pa]")
axes[-1, 0].set_xlabel("axial position z [mm]")
fig.tight_layout()
fig.savefig(os.path.join(a.out, "tawss_3d.png"), dpi=130)
print("wrote", os.path.join(a.out, "tawss_3d.png"))
