#!/usr/bin/python3
"""Regression + MPI: P1 tetrahedra read from a Gmsh file (tests/data/slab_4x2x1_tets.msh) on the
fully distributed triangulation. Requirement: 1 and 2 ranks give the same DoF count and the
same activation time at the far corner (within one time step, 0.05 ms); and that time agrees
with the Q1 hexahedral run on the same node set within 15 % (two discretisations of the same
problem; measured difference about 9 %)."""
import json, os, subprocess, sys

src = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
binary = os.environ.get("OT_BIN", "organtwin")
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
deck = os.path.join(src, "validation", "niederer2011", "deck.prm")
common = ["-v", "0", "-s", "Time/End time=15", "-s", "Output/Field interval=0",
          "-s", "Output/Probe points=4,2,1", "-s", "Output/Probe names=far"]


def run(name, np_, extra):
    cmd = ([*mpirun, "-np", str(np_)] if np_ > 1 else []) + [binary, "run", deck, *common, *extra,
                                                              "-s", f"Output/Directory={name}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {name}:\n{p.stdout}\n{p.stderr}")
    return json.load(open(os.path.join(name, "summary.json")))


msh = ["-s", "Mesh/Source=file", "-s", "Mesh/File=" + os.path.join(src, "tests", "data", "slab_4x2x1_tets.msh")]
t1, t2 = run("tet_np1", 1, msh), run("tet_np2", 2, msh)
hx = run("hex_np1", 1, ["-s", "Mesh/Box upper corner=4,2,1", "-s", "Mesh/Element size=0.25"])
a1, a2, ah = (s["activation_times_ms"]["far"] for s in (t1, t2, hx))
checks = [("P1 element", t1["element"] == "P1", t1["element"]),
          ("same DoFs on 1 and 2 ranks", t1["dofs"] == t2["dofs"] == 765, f"{t1['dofs']} / {t2['dofs']}"),
          ("far corner, 1 vs 2 ranks within 0.05 ms", abs(a1 - a2) <= 0.05, f"{a1:.4f} / {a2:.4f} ms"),
          ("tet vs hex within 15 %", abs(a1 - ah) / ah < 0.15, f"{a1:.3f} vs {ah:.3f} ms")]
fails = 0
for n, ok, v in checks:
    print(("PASS" if ok else "FAIL") + f": {n}: {v}")
    fails += not ok
print(f"{len(checks) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
