#!/usr/bin/env python3
"""Flow on a mesh prepared by `organtwin mesh` (.otmesh): a straight vessel of the Gmsh
generator (radius 1.5 mm, 8 mm, no stenosis, no stent, h = 0.6 mm; tags 1 inlet, 2 outlet,
3 wall read from the file), steady Stokes-regime flow Q = 1 mm^3/ms with a parabolic inlet,
P2-P1 (cases/stented_artery/stented_artery_3d.prm with overrides). Checks: the outlet flow
equals the inflow the solver imposed (1e-8; the profile of the circle evaluated on the
faceted inlet carries Q within 3 %), and the mean wall shear stress equals the Poiseuille
value 4 mu Q / (pi R^3) for that flow within 2 %, with R the radius of a circle of the
inlet's (faceted) area: the wall tag really is the no-slip wall, in the stated units (Pa)."""
import json, math, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

mesh = [otcheck.BIN, "mesh", os.path.join(otcheck.SRC, "cases", "meshes", "stented_vessel.prm"),
        "-s", "Mesh/Vessel/Stent=none", "-s", "Mesh/Vessel/Stenosis severity=0", "-s", "Mesh/Element size=0.6",
        "-s", "Mesh/Vessel/Length=8", "-s", "Output/Directory=vessel_mesh", "-s", "Output/Write VTU=false",
        "-s", "Output/Preview=false"]
p = subprocess.run(mesh, capture_output=True, text=True)
if p.returncode != 0:
    sys.exit(f"FAIL: {' '.join(mesh)}\n{p.stdout}\n{p.stderr}")
area_in = json.load(open(os.path.join("vessel_mesh", "report.json")))["tag_area_mm2"]["inlet"]
mu, Q = 0.0035, 1.0  # kPa ms (the deck's blood), mm^3/ms
s = otcheck.run(os.path.join(otcheck.SRC, "cases", "stented_artery", "stented_artery_3d.prm"), "vessel_flow", [
    "-s", f"Mesh/File={os.path.abspath('vessel_mesh/mesh.otmesh')}", "-s", "Mesh/Formulation=taylor-hood",
    "-s", "Boundary conditions/No-slip=3", "-s", "Boundary conditions/Waveform=", "-s", f"Boundary conditions/Flow rate={Q}",
    "-s", "Boundary conditions/Inflow profile=parabolic", "-s", "Boundary conditions/Ramp time=0",
    "-s", "Time/Mode=steady", "-s", "Quantities/Wall tags=3", "-s", "Quantities/Averaging start=0"])
R = math.sqrt(area_in / math.pi)
q_in, q_out = -s["Q_1"], s["Q_2"]
wss = 1e3 * 4 * mu * q_in / (math.pi * R**3)  # kPa -> Pa
got = s["wss"]["3"]["mean_TAWSS_Pa"]
otcheck.report([
    ("outlet flow = imposed inflow (1e-8 rel)", abs(q_out - q_in) < 1e-8 * q_in, f"Q_out = {q_out:.12f}, Q_in = {q_in:.12f} mm^3/ms"),
    ("imposed inflow = deck Q within 3 % (faceted inlet)", abs(q_in - Q) < 0.03 * Q, f"{q_in:.6f} vs {Q}"),
    ("mean WSS = Poiseuille 4 mu Q/(pi R^3) within 2 %", abs(got - wss) < 0.02 * wss,
     f"{got:.4f} Pa vs {wss:.4f} Pa (R = {R:.4f} mm from the inlet area {area_in:.4f} mm^2): {100 * (got / wss - 1):+.2f} %"),
])
