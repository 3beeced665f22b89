#!/usr/bin/python3
"""Curved stenosed, stented vessel (meshes/generators.cc: the straight vessel meshed, then every
node, P2 nodes included, bent onto a circular arc of centreline radius Rc).
usage: check_curved_vessel.py ring|helical

The same deck is meshed straight (Curvature radius = 0) and curved (Rc = 8 mm, arc angle
theta = L / Rc = 1 rad): R = 1.5 mm, L = 8 mm, 50 % (area) cosine stenosis of length 4 mm at
s = 4 mm, struts of thickness 0.15 mm (rings at s = 2.5, 5.5 mm, or a helix of pitch 3 mm from
s = 2.5 to 5.5 mm), h = 0.5 mm, P2 geometry.

The bend x -> (Rc - (Rc - x) cos(z/Rc), y, (Rc - x) sin(z/Rc)) has Jacobian determinant
(Rc - x)/Rc; its first moment vanishes over every section centred on the axis, so volume,
the volume is that of the straight vessel (Pappus). The discrete
geometry is P2: each tetrahedron's curved image is interpolated quadratically, so the bent
volume differs from the straight one by the P2 interpolation error of the map, O(h^3/Rc^3)
per unit volume: (0.5/8)^3 = 2.4e-4, the tolerance used (measured differences in docs/meshing.md).
Exact by construction: the caps are moved rigidly, so the outlet area equals the straight
one to rounding (1e-9), its normal is (sin theta, 0, cos theta) and its centroid is the bent
image of the straight centroid (1e-8 mm; report.json has 10 digits); inlet and outlet areas within 0.1 % of pi R^2.
The minimum scaled Jacobian is reported and must be > 0."""
import math, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meshcheck import SRC, mesh, report  # noqa: E402

kind = sys.argv[1] if len(sys.argv) > 1 else "ring"
R, L, Rc, h = 1.5, 8.0, 8.0, 0.5
theta = L / Rc
args = ["-s", "Mesh/Generator=vessel", "-s", "Output/Preview=false", "-s", "Fibres/Method=none",
        "-s", "Output/Write VTU=false", "-s", "Output/Save prepared mesh=false",
        "-s", f"Mesh/Element size={h}", "-s", "Mesh/Element order=2",
        "-s", f"Mesh/Vessel/Radius={R}", "-s", f"Mesh/Vessel/Length={L}",
        "-s", "Mesh/Vessel/Stenosis severity=0.5", "-s", "Mesh/Vessel/Stenosis length=4",
        "-s", "Mesh/Vessel/Stenosis centre=4", "-s", "Mesh/Vessel/Strut thickness=0.15",
        "-s", f"Mesh/Vessel/Stent={kind}", "-s", "Mesh/Vessel/Stent start=2.5", "-s", "Mesh/Vessel/Stent end=5.5",
        "-s", "Mesh/Vessel/Ring spacing=3", "-s", "Mesh/Vessel/Helix pitch=3"]
deck = os.path.join(SRC, "cases", "meshes", "land_lv.prm")
straight, _, _ = mesh(deck, f"straight_{kind}", args + ["-s", "Mesh/Vessel/Curvature radius=0"])
curved, text, _ = mesh(deck, f"curved_{kind}", args + ["-s", f"Mesh/Vessel/Curvature radius={Rc}"])


def bend(x):
    arm = Rc - x[0]
    return [Rc - arm * math.cos(x[2] / Rc), x[1], arm * math.sin(x[2] / Rc)]


ta, tc = straight["tag_area_mm2"], curved["tag_area_mm2"]
checks = [("tags inlet, outlet, wall, struts non-empty",
           all(tc.get(x, 0) > 0 for x in ("inlet", "outlet", "wall", "struts")), str(tc))]
tol = (h / Rc) ** 3
e = curved["volume_mm3"] / straight["volume_mm3"] - 1
checks.append((f"bent volume = straight volume within (h/Rc)^3 = {tol:.2e}", abs(e) < tol,
               f"{curved['volume_mm3']:.6f} vs {straight['volume_mm3']:.6f} mm^3 ({e:+.2e}); "
               f"{curved['cells']} tets"))
# areas: Nanson, da'/da = sqrt(lam^2 n_r^2 + n_z^2) with lam = 1 - x/Rc (n_z: axial normal
# component): the first-order term cancels over a section, the second order
# (x/Rc)^2 n_r^2 n_z^2 / 2 <= (R/Rc)^2 / 8 remains where the wall slopes (stenosis, struts)
bound = (R / Rc) ** 2 / 8
for tag in ("wall", "struts"):
    e = tc[tag] / ta[tag] - 1
    checks.append((f"bent {tag} area = straight within the 2nd-order bound (R/Rc)^2/8 = {bound:.2e}",
                   abs(e) < bound, f"{tc[tag]:.6f} vs {ta[tag]:.6f} mm^2 ({e:+.2e})"))
for tag in ("inlet", "outlet"):
    e = tc[tag] / (math.pi * R ** 2) - 1
    checks.append((f"{tag} area within 0.1 % of pi R^2", abs(e) < 1e-3, f"{tc[tag]:.6f} ({100 * e:+.4f} %)"))
e = tc["outlet"] / ta["outlet"] - 1
checks.append(("outlet area = straight outlet area (rigid motion)", abs(e) < 1e-9, f"{e:+.1e}"))
n = curved["tag_normal"]["outlet"]
ne = [math.sin(theta), 0.0, math.cos(theta)]
dn = math.dist(n, ne)
checks.append((f"outlet normal rotated by the arc angle {math.degrees(theta):.2f} deg", dn < 1e-9,
               f"{n} vs {ne} (|diff| {dn:.1e})"))
dn = math.dist(curved["tag_normal"]["inlet"], [0, 0, -1])
checks.append(("inlet normal (0, 0, -1) unchanged", dn < 1e-9, f"|diff| {dn:.1e}"))
c = curved["tag_centroid_mm"]["outlet"]
cb = bend(straight["tag_centroid_mm"]["outlet"])
dc = math.dist(c, cb)
checks.append(("outlet centroid = bent straight centroid", dc < 1e-8, f"{c} vs {cb} ({dc:.1e} mm); arc end "
               f"({Rc * (1 - math.cos(theta)):.6f}, 0, {Rc * math.sin(theta):.6f})"))
checks.append(("min scaled Jacobian > 0", curved["min_scaled_jacobian"] > 0,
               f"curved {curved['min_scaled_jacobian']:.4f} (straight {straight['min_scaled_jacobian']:.4f}), "
               f"mean {curved['mean_scaled_jacobian']:.4f}; mesh {curved['mesh_seconds']:.1f} s"))
report(checks)
