#!/usr/bin/python3
"""Generators other than the Land LV (tested in tests/unit/test_mesh.cc). usage: check_generators.py <name> [size]

fda_nozzle (h = 1 mm): volume within 1 % of the closed form (two cylinders, frustum, throat),
  inlet and outlet areas within 1.5 % of pi (D/2)^2 (polygonal circles), tags inlet/outlet/wall.
biv (h = 2 mm): tags lv_endo, rv_endo, epi, base all non-empty; LDRB with an RV runs; the LV
  endo area within 5 % of the Land LV endo area of the same ellipsoid minus nothing (the LV
  cavity is untouched by the RV): 839.8 mm^2 at h = 1 mm.
kidney_like / liver_like (defaults): tags capsule/inlet/outlet non-empty, inlet = outlet area
  (same stub radius), volume below the untrimmed ellipsoid's."""
import math, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meshcheck import SRC, mesh, report  # noqa: E402

DECK = os.path.join(SRC, "cases", "meshes", "land_lv.prm")
g = sys.argv[1]
base = ["-s", f"Mesh/Generator={g}", "-s", "Output/Preview=false"]
checks = []
if g == "fda_nozzle":
    r, _, _ = mesh(DECK, "out", base + ["-s", "Fibres/Method=none", "-s", "Mesh/Element size=1"])
    D, d, Lt, Li, Lo = 12, 4, 40, 20, 60
    Lc = (D - d) / 2 / math.tan(math.radians(10))
    exact = math.pi * (D / 2) ** 2 * (Li + Lo) + math.pi * (d / 2) ** 2 * Lt + \
        math.pi * Lc / 3 * ((D / 2) ** 2 + D * d / 4 + (d / 2) ** 2)
    err = r["volume_mm3"] / exact - 1
    checks.append(("volume within 1 %", abs(err) < 0.01, f"{r['volume_mm3']:.1f} vs {exact:.1f} mm^3 ({100 * err:+.3f} %)"))
    a = math.pi * (D / 2) ** 2
    for t in ("inlet", "outlet"):
        e = r["tag_area_mm2"][t] / a - 1
        checks.append((f"{t} area within 1.5 %", abs(e) < 0.015, f"{r['tag_area_mm2'][t]:.2f} vs {a:.2f} ({100 * e:+.2f} %)"))
    checks.append(("wall tagged", r["tag_area_mm2"].get("wall", 0) > 0, str(r["tag_area_mm2"])))
elif g == "biv":
    r, _, _ = mesh(DECK, "out", base + ["-s", "Mesh/Element size=2", "-s", "Fibres/Method=ldrb",
                                        "-s", "Fibres/LV endo tag=lv_endo", "-s", "Fibres/RV endo tag=rv_endo"])
    tags = r["tag_area_mm2"]
    checks.append(("four tags non-empty", all(tags.get(t, 0) > 0 for t in ("lv_endo", "rv_endo", "epi", "base")), str(tags)))
    e = tags["lv_endo"] / 839.76 - 1
    checks.append(("LV endo area within 5 % of the Land LV's", abs(e) < 0.05, f"{tags['lv_endo']:.1f} ({100 * e:+.2f} %)"))
    checks.append(("LDRB with RV ran", r.get("fibre_seconds", -1) >= 0, f"{r.get('fibre_seconds')} s"))
    checks.append(("min scaled Jacobian > 0", r["min_scaled_jacobian"] > 0, f"{r['min_scaled_jacobian']:.3f}"))
else:
    size = sys.argv[2] if len(sys.argv) > 2 else "0"  # coarse in ctest: kidney 5 mm, liver 12 mm
    r, _, _ = mesh(DECK, "out", base + ["-s", "Fibres/Method=none", "-s", f"Mesh/Element size={size}"])
    tags = r["tag_area_mm2"]
    checks.append(("capsule, inlet, outlet non-empty", all(tags.get(t, 0) > 0 for t in ("capsule", "inlet", "outlet")), str(tags)))
    checks.append(("inlet and outlet areas equal within 10 %", abs(tags["inlet"] / tags["outlet"] - 1) < 0.1,
                   f"{tags['inlet']:.2f} / {tags['outlet']:.2f}"))
    a, b, c = (90, 70, 50) if g == "liver_like" else (30, 25, 55)
    checks.append(("volume below the ellipsoid's", 0 < r["volume_mm3"] < 4 / 3 * math.pi * a * b * c,
                   f"{r['volume_mm3']:.0f} mm^3, {r['cells']} tets"))
report(checks)
