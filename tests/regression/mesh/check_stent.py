#!/usr/bin/python3
"""Vessel generator with a stent (meshes/generators.cc, build_vessel). usage: check_stent.py ring|helical

Straight vessel without stenosis (radius R = 1.5 mm, length 6 mm), struts of circular
cross-section (thickness t = 0.1 mm, r = t/2) centred on the wall, so the inner half of each
strut is removed from the lumen; h = 0.5 mm away from the struts, t/2 at them; P2 geometry.

ring: rings at z = 2, 3, 4 mm (tori, major radius R). Closed forms per ring (Pappus):
  strut volume inside the lumen  pi^2 R r^2 - 4/3 pi r^3,  strut surface  2 pi r (pi R - 2 r).
helical: helix from z = 1 to 5 mm, pitch c = 2 mm (two turns, length l, curvature
  k = R / (R^2 + (c/2pi)^2)); half-tube with flat ends: volume (pi r^2/2) l (1 - 4 k r/(3 pi)),
  surface l (pi r - 2 k r^2) + 2 (pi r^2/2) (first order in k r = 0.03).
Checks: tags inlet/outlet/wall/struts non-empty; lumen volume within 0.05 % of the cylinder
minus the struts (the ring struts are 0.26 % of the cylinder: a missing strut fails);
strut area within 2 % (ring) / 3 % (helical); wall area within 0.5 % of the cylinder's
minus the strips the struts cover (width 2r); inlet area within 0.1 % of pi R^2."""
import math, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meshcheck import SRC, mesh, report  # noqa: E402

kind = sys.argv[1]
R, L, t = 1.5, 6.0, 0.1
r = t / 2
args = ["-s", "Mesh/Generator=vessel", "-s", "Output/Preview=false", "-s", "Fibres/Method=none",
        "-s", "Mesh/Element size=0.5", "-s", "Mesh/Element order=2",
        "-s", "Mesh/Vessel/Radius=1.5", "-s", "Mesh/Vessel/Length=6", "-s", "Mesh/Vessel/Stenosis severity=0",
        "-s", f"Mesh/Vessel/Strut thickness={t}", "-s", f"Mesh/Vessel/Stent={kind}"]
if kind == "ring":
    args += ["-s", "Mesh/Vessel/Stent start=2", "-s", "Mesh/Vessel/Stent end=4", "-s", "Mesh/Vessel/Ring spacing=1"]
    n = 3
    v_strut = n * (math.pi ** 2 * R * r ** 2 - 4 / 3 * math.pi * r ** 3)
    a_strut = n * 2 * math.pi * r * (math.pi * R - 2 * r)
    covered = n * 2 * math.pi * R * 2 * r
    a_tol = 0.02
else:
    c = 2.0
    args += ["-s", "Mesh/Vessel/Stent start=1", "-s", "Mesh/Vessel/Stent end=5", "-s", f"Mesh/Vessel/Helix pitch={c}"]
    turns = 4 / c
    ell = turns * math.hypot(2 * math.pi * R, c)
    k = R / (R ** 2 + (c / 2 / math.pi) ** 2)
    v_strut = math.pi * r ** 2 / 2 * ell * (1 - 4 * k * r / (3 * math.pi))
    a_strut = ell * (math.pi * r - 2 * k * r ** 2) + math.pi * r ** 2
    covered = 2 * r * ell
    a_tol = 0.03
rep, _, _ = mesh(os.path.join(SRC, "cases", "meshes", "land_lv.prm"), f"stent_{kind}", args)
tags = rep["tag_area_mm2"]
checks = [("tags inlet, outlet, wall, struts non-empty",
           all(tags.get(x, 0) > 0 for x in ("inlet", "outlet", "wall", "struts")), str(tags))]
exact = math.pi * R ** 2 * L - v_strut
e = rep["volume_mm3"] / exact - 1
checks.append(("lumen volume within 0.05 % of cylinder minus struts", abs(e) < 5e-4,
               f"{rep['volume_mm3']:.5f} vs {exact:.5f} mm^3 ({100 * e:+.4f} %; struts {v_strut:.5f} mm^3, "
               f"{rep['cells']} tets)"))
e = tags.get("struts", 0) / a_strut - 1
checks.append((f"strut area within {100 * a_tol:.0f} %", abs(e) < a_tol,
               f"{tags.get('struts', 0):.4f} vs {a_strut:.4f} mm^2 ({100 * e:+.2f} %)"))
a_wall = 2 * math.pi * R * L - covered
e = tags.get("wall", 0) / a_wall - 1
checks.append(("wall area within 0.5 %", abs(e) < 5e-3, f"{tags.get('wall', 0):.4f} vs {a_wall:.4f} mm^2 ({100 * e:+.3f} %)"))
e = tags.get("inlet", 0) / (math.pi * R ** 2) - 1
checks.append(("inlet area within 0.1 %", abs(e) < 1e-3, f"{tags.get('inlet', 0):.5f} ({100 * e:+.4f} %)"))
checks.append(("min scaled Jacobian > 0", rep["min_scaled_jacobian"] > 0, f"{rep['min_scaled_jacobian']:.4f}"))
report(checks)
