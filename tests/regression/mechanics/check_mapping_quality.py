#!/usr/bin/python3
"""Geometry check of the mechanics solver (summary.json mapping_det_j_ratio_min, the smallest
ratio min/max of the reference mapping's det J within a cell; mapping_cells_det_j_ratio_below_half)
on the Gmsh Land LV at h = 4 mm, one small load step (P1, penalty: the check is independent of
the displacement element):

  order 1 (straight tetrahedra): det J is constant per cell, so the ratio is 1 (to 1e-9);
  order 2 (Gmsh's curved P2 geometry): the ratio must be < 1 (curved cells are seen) and > 0
  (no inverted reference cell; the solver refuses a geometry with det J <= 0).

It is reported because the Land 2015 Problem 2 run on the curved h 3 mm mesh fails at load
0.744 in the endocardial apex cell, the cell with the smallest ratio (validation/land2015)."""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import SRC, run, report  # noqa: E402

deck = os.path.join(SRC, "validation", "land2015", "problem2.prm")
common = ["-s", "Geometry/Source=mesh", "-s", "Mesh/Source=generator", "-s", "Mesh/Generator=land_lv",
          "-s", "Mesh/Element size=4", "-s", "Boundary conditions/Fixed=1:xyz",
          "-s", "Boundary conditions/Pressure boundaries=2", "-s", "Boundary conditions/Pressure=0.5",
          "-s", "Load stepping/Steps=1", "-s", "Output/Fields=none"]
s1 = run(deck, "mq_order1", common + ["-s", "Mesh/Element order=1"])
s2 = run(deck, "mq_order2", common + ["-s", "Mesh/Element order=2"])
r1, r2 = s1["mapping_det_j_ratio_min"], s2["mapping_det_j_ratio_min"]
report([
    ("both runs reach the full load", s1["load_reached"] == 1.0 and s2["load_reached"] == 1.0,
     [s1["load_reached"], s2["load_reached"]]),
    ("order 1: det J ratio = 1 in every cell", abs(r1 - 1) < 1e-9 and s1["mapping_cells_det_j_ratio_below_half"] == 0,
     f"{r1:.12f}, {s1['mapping_cells_det_j_ratio_below_half']:.0f} cells below 0.5"),
    ("order 2: 0 < det J ratio < 1 (curved cells, none inverted)", 0 < r2 < 1 - 1e-3,
     f"{r2:.6f}, {s2['mapping_cells_det_j_ratio_below_half']:.0f} cells below 0.5"),
])
