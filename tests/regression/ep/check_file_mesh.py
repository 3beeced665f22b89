#!/usr/bin/python3
"""Regression + MPI: P1 tetrahedra read from a Gmsh file (tests/data/slab_4x2x1_tets.msh) on the
fully distributed triangulation. Requirement: 1 and 2 ranks give the same DoF count and the
same activation time at the far corner (within one time step, 0.05 ms); and that time agrees
with the Q1 hexahedral run on the same node set within 15 % (two discretisations of the same
problem; measured difference about 9 %)."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otcheck import NIEDERER_DECK, SRC, report, run  # noqa: E402

common = ["-s", "Time/End time=15", "-s", "Output/Field interval=0",
          "-s", "Output/Probe points=4,2,1", "-s", "Output/Probe names=far"]
msh = ["-s", "Mesh/Source=file", "-s", "Mesh/File=" + os.path.join(SRC, "tests", "data", "slab_4x2x1_tets.msh")]
t1 = run(NIEDERER_DECK, "tet_np1", common + msh)
t2 = run(NIEDERER_DECK, "tet_np2", common + msh, ranks=2)
hx = run(NIEDERER_DECK, "hex_np1", common + ["-s", "Mesh/Box upper corner=4,2,1", "-s", "Mesh/Element size=0.25"])
a1, a2, ah = (s["activation_times_ms"]["far"] for s in (t1, t2, hx))
report([("P1 element", t1["element"] == "P1", t1["element"]),
        ("same DoFs on 1 and 2 ranks", t1["dofs"] == t2["dofs"] == 765, f"{t1['dofs']} / {t2['dofs']}"),
        ("far corner, 1 vs 2 ranks within 0.05 ms", abs(a1 - a2) <= 0.05, f"{a1:.4f} / {a2:.4f} ms"),
        ("tet vs hex within 15 %", abs(a1 - ah) / ah < 0.15, f"{a1:.3f} vs {ah:.3f} ms")])
