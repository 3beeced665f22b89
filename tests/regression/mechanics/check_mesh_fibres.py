#!/usr/bin/python3
"""Fibres from the mesh in the mechanics solver ([Fibres] Field = mesh, LDRB computed on the
Gmsh Land LV): a Land 2015 Problem 3-like run (base fixed, endocardial pressure and active
tension along the fibres, reduced loads, coarse P1 tetrahedra) with

  ldrb: Field = mesh, Method = ldrb, helix +90 -> -90 deg, sheet angle 0
  land: Field = Land ellipsoid (the benchmark's analytic rule) on the same mesh
  circ: Field = Land ellipsoid with helix 0 / 0 (circumferential fibres: a different field)

Checks: the LDRB run reaches the full load on 1 and 2 ranks with the same apex z (1e-6
relative); LDRB and the analytic rule give apex z and the circumferential (twist)
displacement of an equatorial epicardial node that agree to within 25 % of the change
that the circumferential field produces (the two rules differ only in the transmural
coordinate, so they must be far closer to each other than to another fibre field), and
the twist has the same sign (helix handedness)."""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import SRC, run, report  # noqa: E402

deck = os.path.join(SRC, "validation", "land2015", "problem3.prm")
common = ["-s", "Geometry/Source=mesh", "-s", "Mesh/Source=generator", "-s", "Mesh/Generator=land_lv",
          "-s", "Mesh/Element size=4", "-s", "Boundary conditions/Fixed=1:xyz",
          "-s", "Boundary conditions/Pressure boundaries=2", "-s", "Boundary conditions/Pressure=5",
          "-s", "Active stress/Tension=20", "-s", "Load stepping/Steps=4", "-s", "Output/Fields=none",
          "-s", "Output/Probe points=0,0,-17; 0,0,-20; 10,0,0", "-s", "Output/Probe names=endo_apex, epi_apex, equator"]
ldrb = ["-s", "Fibres/Field=mesh", "-s", "Fibres/Method=ldrb", "-s", "Fibres/Sheet angle endo=0",
        "-s", "Fibres/Sheet angle epi=0"]
land = ["-s", "Fibres/Field=Land ellipsoid"]
circ = land + ["-s", "Fibres/Helix angle endo=0", "-s", "Fibres/Helix angle epi=0"]

s = {}
s["ldrb1"] = run(deck, "mf_ldrb_np1", common + ldrb)
s["ldrb2"] = run(deck, "mf_ldrb_np2", common + ldrb, ranks=2)
s["land"] = run(deck, "mf_land", common + land)
s["circ"] = run(deck, "mf_circ", common + circ)


def z(k):
    return s[k]["probes"]["endo_apex"]["deformed"][2]


def twist(k):  # circumferential (y) displacement of the node nearest (10, 0, 0)
    p = s[k]["probes"]["equator"]
    return p["deformed"][1] - p["reference"][1]


rel = abs(z("ldrb1") - z("ldrb2")) / abs(z("ldrb1"))
dz, dz_circ = abs(z("ldrb1") - z("land")), abs(z("circ") - z("land"))
dt, dt_circ = abs(twist("ldrb1") - twist("land")), abs(twist("circ") - twist("land"))
report([
    ("full load on 1 and 2 ranks", all(s[k]["load_reached"] == 1.0 for k in s), [s[k]["load_reached"] for k in s]),
    ("endo apex z, 1 vs 2 ranks, relative difference < 1e-6", rel < 1e-6, f"{z('ldrb1'):.9f} vs {z('ldrb2'):.9f} mm ({rel:.1e})"),
    ("endo apex z: |ldrb - land| < 0.25 |circ - land|", dz < 0.25 * dz_circ,
     f"ldrb {z('ldrb1'):.4f}, land {z('land'):.4f}, circ {z('circ'):.4f} mm"),
    ("equator twist u_y: |ldrb - land| < 0.25 |circ - land|", dt < 0.25 * dt_circ,
     f"ldrb {twist('ldrb1'):.4f}, land {twist('land'):.4f}, circ {twist('circ'):.4f} mm"),
    ("equator twist: same sign (handedness)", twist("ldrb1") * twist("land") > 0, f"{twist('ldrb1'):.4f}, {twist('land'):.4f} mm"),
])
