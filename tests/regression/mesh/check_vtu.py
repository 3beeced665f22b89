#!/usr/bin/python3
"""VTU round trip (issue 6: VTU volume meshes with cell data, fibres given on the mesh).
The Land LV (generator, h = 2 mm) with LDRB fibres is exported by `organtwin mesh` as one
mesh.vtu (zlib) and read back with [Mesh] Source = file on 1 and 2 ranks:
  (1) same cell count, volume and per-tag areas (relative 1e-10: only summation order differs);
  (2) same fibres: mean, min and max helix angle of the cell fibres on the endo and epi faces
      (10-80 % of the base-apex height) within 1e-6 deg of the original;
  (3) the same mesh written with appended raw data reads back to the same volume;
  (4) the monodomain solver with [Tissue] Fibre field = mesh on the VTU runs 10 ms, the probe
      at the stimulus activates; 1 and 2 ranks agree (activation times within 0.01 ms, probe trace
      within 0.01 mV), and so does the run on the generated mesh with LDRB fibres computed in the
      solver (same fibres). (At h = 2 mm the wave does not reach 3 mm from the stimulus in 10 ms.)"""
import math, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meshcheck import SRC, mesh, report  # noqa: E402
sys.path.insert(0, os.path.join(SRC, "tests", "regression", "ep"))
from otcheck import run  # noqa: E402

deck = os.path.join(SRC, "cases", "meshes", "land_lv.prm")
gen_args = ["-s", "Mesh/Element size=2", "-s", "Output/Preview=false", "-s", "Output/Save prepared mesh=false"]
r0, _, _ = mesh(deck, "gen", gen_args)
vtu = os.path.abspath("gen/mesh.vtu")
imp = ["-s", "Mesh/Source=file", "-s", f"Mesh/File={vtu}", "-s", "Mesh/Element size=0",
       "-s", "Mesh/Material array=material", "-s", "Mesh/Boundary array=boundary",
       "-s", "Mesh/Fibre array=fibre", "-s", "Mesh/Sheet array=sheet", "-s", "Fibres/Method=none",
       "-s", "Output/Preview=false", "-s", "Output/Save prepared mesh=false"]
r1, _, _ = mesh(deck, "imp_np1", imp)
r2, _, _ = mesh(deck, "imp_np2", imp, ranks=2)
r3, _, _ = mesh(deck, "raw", imp + ["-s", "Output/VTU encoding=raw"])
raw = os.path.abspath("raw/mesh.vtu")
r4, _, _ = mesh(deck, "raw_back", [a if a != f"Mesh/File={vtu}" else f"Mesh/File={raw}" for a in imp])

rel = lambda a, b: abs(a - b) / max(abs(a), 1e-300)
checks = []
for name, r in (("1 rank", r1), ("2 ranks", r2)):
    checks.append((f"re-imported ({name}): cells", r["cells"] == r0["cells"], f"{r['cells']} / {r0['cells']}"))
    checks.append((f"re-imported ({name}): volume within 1e-10", rel(r0["volume_mm3"], r["volume_mm3"]) < 1e-10,
                   f"{r['volume_mm3']:.12g} / {r0['volume_mm3']:.12g} mm^3"))
    for tag in ("endo", "epi", "base"):
        a, b = r0["tag_area_mm2"][tag], r["tag_area_mm2"][tag]
        checks.append((f"re-imported ({name}): area {tag} within 1e-10", rel(a, b) < 1e-10, f"{b:.12g} / {a:.12g} mm^2"))
    d = max(abs(x - y) for k in ("cell_helix_endo_epi_deg", "cell_helix_min_endo_epi_deg", "cell_helix_max_endo_epi_deg")
            for x, y in zip(r0[k], r[k]))
    checks.append((f"re-imported ({name}): helix angles endo/epi (mean, min, max) within 1e-6 deg", d < 1e-6,
                   f"{r['cell_helix_endo_epi_deg']} vs {r0['cell_helix_endo_epi_deg']} deg, max difference {d:.3g}"))
# cells next to the wall at h = 2 mm have their centres about a quarter into the 3 mm wall: the
# LDRB helix there is about +30 (endo side) and -30 deg (epi side), not +-60
checks.append(("original cell helix angles have the LDRB signs (endo > +15, epi < -15 deg)",
               r0["cell_helix_endo_epi_deg"][0] > 15 and r0["cell_helix_endo_epi_deg"][1] < -15,
               f"{r0['cell_helix_endo_epi_deg']}"))
checks.append(("appended raw VTU reads back: volume, helix",
               rel(r0["volume_mm3"], r4["volume_mm3"]) < 1e-10 and
               max(abs(x - y) for x, y in zip(r0["cell_helix_endo_epi_deg"], r4["cell_helix_endo_epi_deg"])) < 1e-6,
               f"{r4['volume_mm3']:.12g} mm^3, {r4['cell_helix_endo_epi_deg']}"))

# monodomain on the VTU with its fibres, 10 ms; probe at the stimulus centre. Compared: the
# probe's activation time, the first and last activation times over the mesh, the probe trace
ep = os.path.join(SRC, "cases", "lv_activation", "lv_activation.prm")
common = ["-s", "Time/End time=10", "-s", "Time/Time step=0.05", "-s", "Output/Probe points=8.19,0,-5",
          "-s", "Output/Probe names=stimulus"]
ep_vtu = common + ["-s", "Mesh/Source=file", "-s", f"Mesh/File={vtu}", "-s", "Mesh/Element size=0",
                   "-s", "Mesh/Boundary array=boundary", "-s", "Mesh/Fibre array=fibre",
                   "-s", "Mesh/Sheet array=sheet", "-s", "Fibres/Method=none"]
runs = {"vtu_np1": run(ep, "ep_vtu_np1", ep_vtu), "vtu_np2": run(ep, "ep_vtu_np2", ep_vtu, ranks=2),
        "ldrb_np1": run(ep, "ep_gen_np1", common + ["-s", "Mesh/Element size=2"])}


def metrics(s):
    t = s["activation_times_ms"]
    t = list(t.values())[0] if isinstance(t, dict) else t[0]
    return [t if t is not None else math.nan, s["first_activation_ms"], s["last_activation_ms"]]


def trace(folder):
    rows = [line.split(",") for line in open(os.path.join(folder, "probes.csv")).read().split("\n")[1:] if line]
    return [float(r[1]) for r in rows]


m = {k: metrics(v) for k, v in runs.items()}
checks.append(("monodomain on the VTU: the probe activates and the wave leaves the stimulus",
               all(math.isfinite(x) for x in m["vtu_np1"]) and m["vtu_np1"][2] > m["vtu_np1"][1] + 1,
               f"probe, first, last activation {m['vtu_np1']} ms"))
for other, label in (("vtu_np2", "1 vs 2 ranks"), ("ldrb_np1", "VTU fibres vs LDRB computed in the solver")):
    d = max(abs(a - b) for a, b in zip(m["vtu_np1"], m[other]))
    dv = max(abs(a - b) for a, b in zip(trace("ep_vtu_np1"), trace("ep_" + other.replace("ldrb", "gen"))))
    checks.append((f"monodomain, {label}: activation times within 0.01 ms, probe trace within 0.01 mV",
                   d < 0.01 and dv < 0.01, f"{m['vtu_np1']} / {m[other]} ms (max difference {d:.3g} ms, trace {dv:.3g} mV)"))
report(checks)
