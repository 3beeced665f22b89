#!/usr/bin/python3
"""Perfusion on a real organ: the liver surface of ../shared/meshes/liver (TotalSegmentator
example CT, Apache-2.0, read in place) filled with tetrahedra (h = 8 mm), the porta-hepatis
inlet and IVC outlet spheres of cases/liver_perfusion/liver_perfusion_anatomical.prm, ICRP
liver blood flow, constant inlet concentration.

Checks
- mesh: volume within 2 % of the enclosed volume stated in shared/meshes/README.md (1,116 mL);
  both sphere patches found, with areas between 500 and 5000 mm^2 (the stated surface
  triangles inside the spheres cover 1,400-2,000 mm^2);
- Darcy: consistent inflow = outflow = ICRP 89 total liver flow (99.45 L/h) to 1e-8;
- well-mixed limit (steady state, D_b = 1e4 mm^2/s, D_N > 50): E within 2 % of the
  well-stirred organ E = fu_b CL_u / (Q + fu_b CL_u) of the PBPK model (issue 8 criterion,
  here on a real anatomy with its non-uniform flow); balance residual < 1e-8;
- transient with the case's dispersion (12 Crank-Nicolson steps of 2 s): bounded
  (0 <= c_out <= c_in and 0 <= E <= 1 at every step; before the upwind treatment of reversed
  patch fluxes this run grew like e^(0.9 t/s) from t = 8 s) and balance residual < 1e-8; the
  run must have patch nodes with reversed flow, i.e. exercise that treatment (the steady run
  must iterate the lagged backflow concentration);
- the transient on 2 ranks: same DoFs, traces (c_out, E, rates, stored) to 1e-8 relative.
  (The steady well-mixed system is ill-conditioned, D_b = 1e4: 1 vs 2 ranks differ there by
  ~2e-8 at a Krylov tolerance of 1e-13, so the rank comparison uses the transient.)
(env OT_BIN, OT_SOURCE_DIR, OT_SHARED, OT_MPIRUN)"""
import csv, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import SHARED, SRC, report, run  # noqa: E402

DECK = os.path.join(SRC, "cases", "liver_perfusion", "liver_perfusion_anatomical.prm")
STL = os.path.join(SHARED, "meshes", "liver", "totalseg_example_liver.stl")
VOLUME_README_MM3 = 1116e3
COMMON = ["-s", f"Mesh/File={STL}", "-s", "Mesh/Element size=8", "-s", "Drug/Inlet concentration/Source=constant",
          "-s", "Drug/Inlet concentration/Value=0.0055", "-s", "Output/Fields=false", "-s", "Output/Plot=false",
          "-s", "Solver/Darcy tolerance=1e-13", "-s", "Solver/Transport tolerance=1e-13"]
MIXED = COMMON + ["-s", "Time/Steady state=true", "-s", "Drug/Blood dispersion=1e4"]

s1 = run(DECK, "mixed_np1", MIXED)
TRANSIENT = COMMON + ["-s", "Time/End time=24", "-s", "Time/Time step=2"]
tr = run(DECK, "transient", TRANSIENT)
tr2 = run(DECK, "transient_np2", TRANSIENT, ranks=2)
rows, rows2 = ([r for r in csv.DictReader(open(os.path.join(d, "traces.csv")))] for d in ("transient", "transient_np2"))
worst = 0.0
for col in ("c_out_blood_uM", "E", "out_pmol_per_s", "eliminated_pmol_per_s", "stored_pmol"):
    scale = max(max(abs(float(r[col])) for r in rows), 1e-300)
    worst = max(worst, max(abs(float(a[col]) - float(b[col])) for a, b in zip(rows, rows2)) / scale)

E, Ews = s1["extraction_ratio"], s1["extraction_well_stirred"]
bounded = all(-1e-12 <= float(r["c_out_blood_uM"]) <= float(r["c_in_blood_uM"]) * (1 + 1e-9) and
              -1e-12 <= float(r["E"]) <= 1 for r in rows)
checks = [
    ("mesh volume vs README (1,116 mL) within 2 %", abs(s1["volume_mm3"] / VOLUME_README_MM3 - 1) < 0.02,
     f"{s1['volume_mm3'] / 1e3:.1f} mL, {100 * (s1['volume_mm3'] / VOLUME_README_MM3 - 1):+.2f} %"),
    ("inlet / outlet patch areas in [500, 5000] mm^2",
     500 < s1["inlet_area_mm2"] < 5000 and 500 < s1["outlet_area_mm2"] < 5000,
     f"{s1['inlet_area_mm2']:.0f} / {s1['outlet_area_mm2']:.0f} mm^2"),
    ("ICRP liver blood flow 99.45 L/h", abs(s1["blood_flow_L_per_h"] - 99.45) < 1e-3, s1["blood_flow_L_per_h"]),
    ("consistent inflow = outflow", abs(s1["flow_mismatch_consistent_relative"]) < 1e-8,
     s1["flow_mismatch_consistent_relative"]),
    ("well-mixed regime (D_N > 50)", s1["dispersion_number"] > 50, s1["dispersion_number"]),
    ("E vs well-stirred within 2 %", abs(E / Ews - 1) < 0.02, f"{E:.6f} vs {Ews:.6f} ({100 * (E / Ews - 1):+.3f} %)"),
    ("steady balance residual < 1e-8", abs(s1["balance_residual_relative"]) < 1e-8, s1["balance_residual_relative"]),
    ("steady: fixed point on the backflow concentration iterated (> 1 solve)", s1["picard_iterations"] > 1,
     s1["picard_iterations"]),
    ("transient: 13 trace rows", len(rows) == 13, len(rows)),
    ("transient bounded: 0 <= c_out <= c_in, 0 <= E <= 1", bounded,
     f"max c_out {max(float(r['c_out_blood_uM']) for r in rows):.3e} uM, E end {rows[-1]['E']}"),
    ("transient balance residual < 1e-8", tr["balance_max_relative"] < 1e-8, tr["balance_max_relative"]),
    ("reversed patch fluxes exercised", tr["negative_nodal_patch_fluxes"] > 0,
     f"{tr['negative_nodal_patch_fluxes']} nodes, {tr['reversed_patch_flow_relative']:.2e} of the inflow"),
    ("1 vs 2 ranks: same DoFs", tr["transport_dofs"] == tr2["transport_dofs"], tr2["transport_dofs"]),
    ("1 vs 2 ranks: traces to 1e-8", worst <= 1e-8 and len(rows) == len(rows2), f"{worst:.1e}"),
]
report(checks)
