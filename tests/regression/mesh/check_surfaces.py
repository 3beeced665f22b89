#!/usr/bin/python3
"""Surface -> tetrahedra. usage: check_surfaces.py sphere | <shared mesh key>

sphere: an icosphere (5120 triangles, radius 10 mm) written as ASCII STL and as OBJ is
meshed with h = 1 mm; the tetrahedral volume must be within 1 % of 4/3 pi 10^3 mm^3 (the
faceted input itself is 0.3 % smaller) and the mesh must have positive scaled Jacobians.
The same surface declared in metres must fail with the units message.

shared keys: each file of ../shared/meshes goes through the pipeline: closed surfaces must
mesh with a volume within 2 % of the enclosed volume stated in shared/meshes/README.md
(vtkMassProperties); the open Cobiveco geo2 patches must be refused with the open-surface
message (README: non-conforming patches), exit code 1 and no result folder."""
import math, os, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meshcheck import SRC, SHARED, mesh, report  # noqa: E402

DECK = os.path.join(SRC, "cases", "meshes", "surface.prm")


def icosphere(level, r):
    t = (1 + 5 ** 0.5) / 2
    v = [(-1, t, 0), (1, t, 0), (-1, -t, 0), (1, -t, 0), (0, -1, t), (0, 1, t), (0, -1, -t), (0, 1, -t),
         (t, 0, -1), (t, 0, 1), (-t, 0, -1), (-t, 0, 1)]
    f = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4), (11, 10, 2), (10, 7, 6),
         (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9), (4, 9, 5), (2, 4, 11), (6, 2, 10),
         (8, 6, 7), (9, 8, 1)]
    v = [np.array(p, float) / np.linalg.norm(p) for p in v]
    for _ in range(level):
        cache, nf = {}, []
        def mid(a, b):
            k = (min(a, b), max(a, b))
            if k not in cache:
                m = v[a] + v[b]
                v.append(m / np.linalg.norm(m))
                cache[k] = len(v) - 1
            return cache[k]
        for a, b, c in f:
            ab, bc, ca = mid(a, b), mid(b, c), mid(c, a)
            nf += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        f = nf
    return np.array(v) * r, np.array(f)


def polyhedron_volume(v, f):
    return sum(np.dot(v[a], np.cross(v[b], v[c])) for a, b, c in f) / 6


what = sys.argv[1]
checks = []
if what == "sphere":
    v, f = icosphere(4, 10.0)
    with open("sphere.stl", "w") as o:
        o.write("solid sphere\n")
        for a, b, c in f:
            n = np.cross(v[b] - v[a], v[c] - v[a]); n /= np.linalg.norm(n)
            o.write(f"facet normal {n[0]} {n[1]} {n[2]}\nouter loop\n")
            for p in (v[a], v[b], v[c]):
                o.write(f"vertex {p[0]:.12g} {p[1]:.12g} {p[2]:.12g}\n")
            o.write("endloop\nendfacet\n")
        o.write("endsolid sphere\n")
    with open("sphere.obj", "w") as o:
        for p in v:
            o.write(f"v {p[0]:.12g} {p[1]:.12g} {p[2]:.12g}\n")
        for a, b, c in f:
            o.write(f"f {a + 1} {b + 1} {c + 1}\n")
    exact = 4 / 3 * math.pi * 1000
    faceted = polyhedron_volume(v, f)
    for fmt in ("stl", "obj"):
        r, _, _ = mesh(DECK, "out_" + fmt, ["-s", f"Mesh/File=sphere.{fmt}", "-s", "Mesh/Element size=1",
                                            "-s", "Output/Preview=false"])
        err = r["volume_mm3"] / exact - 1
        checks.append((f"{fmt}: volume within 1 % of 4/3 pi r^3", abs(err) < 0.01,
                       f"{r['volume_mm3']:.2f} vs {exact:.2f} mm^3 ({100 * err:+.3f} %; faceted input "
                       f"{100 * (faceted / exact - 1):+.3f} %), {r['cells']} tets"))
        checks.append((f"{fmt}: min scaled Jacobian > 0", r["min_scaled_jacobian"] > 0,
                       f"min {r['min_scaled_jacobian']:.3f}, mean {r['mean_scaled_jacobian']:.3f}"))
    _, text, rc = mesh(DECK, "out_units", ["-s", "Mesh/File=sphere.stl", "-s", "Mesh/File length unit=m"],
                       expect_fail=True)
    checks.append(("declared in m: refused with the units message", rc == 1 and "File length unit" in text
                   and not os.path.exists("out_units"), text.strip().splitlines()[-2] if text.strip() else ""))
else:
    cases = {
        # key: (file, element size mm, expected volume mL (README) or None if it must be refused, extra args)
        "kidney_left_stl": ("kidney/totalseg_example_kidney_left.stl", 3, 138.5, []),
        "kidney_right_vtp": ("kidney/totalseg_example_kidney_right.vtp", 3, 187.8, []),
        "liver_stl": ("liver/totalseg_example_liver.stl", 7, 1116, []),
        "liver_vtp": ("liver/totalseg_example_liver.vtp", 7, 1116, []),
        "kidney_left_vtp": ("kidney/totalseg_example_kidney_left.vtp", 4, 138.5, []),
        "kidney_right_stl": ("kidney/totalseg_example_kidney_right.stl", 4, 187.8, []),
        "heart_geo1_vtp": ("heart/cobiveco_geo1_ssm_mean_biv.vtp", 3, 144.8,
                           ["-s", "Mesh/Patch names=base@class1; epi@class2; lv_endo@class3; rv_endo@class4"]),
        "heart_geo2_labeled_vtp": ("heart/cobiveco_geo2_patient_biv_labeled.vtp", 3, None, []),
    }
    for part in ("base", "epi", "endo_lv", "endo_rv"):
        cases[f"heart_geo2_{part}_ply"] = (f"heart/cobiveco_geo2_patient/heart_{part}.ply", 3, None, [])
    cases["data_kidney_vtp"] = ("@SRC@/tests/data/meshes/totalseg_example_kidney_left.vtp", 4, 138.5, [])
    if what not in cases:
        sys.exit("unknown key " + what + "; known: " + " ".join(sorted(cases)))
    rel, h, vol, extra = cases[what]
    path = rel.replace("@SRC@", SRC) if rel.startswith("@SRC@") else os.path.join(SHARED, "meshes", rel)
    args = ["-s", f"Mesh/File={path}", "-s", f"Mesh/Element size={h}", *extra]
    if vol is None:
        _, text, rc = mesh(DECK, "out", args, expect_fail=True)
        checks.append(("open surface refused with a clear message", rc == 1 and "is not closed" in text
                       and "open (boundary) edges" in text, " ".join(text.split())[:300]))
        checks.append(("no result folder", not os.path.exists("out"), "out absent"))
    else:
        r, text, _ = mesh(DECK, "out", args)
        err = r["volume_mm3"] / (vol * 1000) - 1
        checks.append(("volume within 2 % of the README value", abs(err) < 0.02,
                       f"{r['volume_mm3'] / 1000:.2f} vs {vol} mL ({100 * err:+.2f} %), {r['cells']} tets"))
        checks.append(("min scaled Jacobian > 0", r["min_scaled_jacobian"] > 0,
                       f"min {r['min_scaled_jacobian']:.3f}, mean {r['mean_scaled_jacobian']:.3f}, "
                       f"max aspect {r['max_aspect_ratio']:.2f}"))
        checks.append(("preview and prepared mesh written", os.path.exists("out/preview.png")
                       and os.path.exists("out/mesh.otmesh"), "preview.png, mesh.otmesh"))
        if what == "heart_geo1_vtp":
            tags = r["tag_area_mm2"]
            checks.append(("four named tags with area", all(tags.get(t, 0) > 0 for t in
                                                            ("base", "epi", "lv_endo", "rv_endo")), str(tags)))
report(checks)
