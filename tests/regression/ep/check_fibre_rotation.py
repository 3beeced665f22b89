#!/usr/bin/python3
"""Regression: the per-point conductivity of [Tissue/Fibre field] = transmural rotation.
Requirements: (1) with both angles 90 deg about the z wall normal it reproduces the constant
field with fibres along y (activation times equal within 1e-6 ms); (2) with +60/-60 deg the
fibre rotation makes conduction along y faster than with fibres along x, so the corner
(0,2,1) activates earlier than in the constant-x run."""
import json, os, subprocess, sys

src = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
binary = os.environ.get("OT_BIN", "organtwin")
deck = os.path.join(src, "validation", "niederer2011", "deck.prm")
common = ["-v", "0", "-s", "Mesh/Box upper corner=4,2,1", "-s", "Mesh/Element size=0.25", "-s", "Time/End time=15",
          "-s", "Output/Field interval=0", "-s", "Output/Probe points=4,2,1;0,2,1;4,0,0",
          "-s", "Output/Probe names=far,y_corner,x_corner"]


def run(name, extra):
    p = subprocess.run([binary, "run", deck, *common, *extra, "-s", f"Output/Directory={name}"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {name}:\n{p.stdout}\n{p.stderr}")
    return json.load(open(os.path.join(name, "summary.json")))["activation_times_ms"]


const_y = run("const_y", ["-s", "Tissue/Fibre direction=0,1,0", "-s", "Tissue/Sheet direction=0,0,1"])
rot_90 = run("rot_90", ["-s", "Tissue/Fibre field=transmural rotation", "-s", "Tissue/Wall extent=0,1",
                        "-s", "Tissue/Fibre angle endo=90", "-s", "Tissue/Fibre angle epi=90"])
const_x = run("const_x", [])
rot_60 = run("rot_60", ["-s", "Tissue/Fibre field=transmural rotation", "-s", "Tissue/Wall extent=0,1"])
d = max(abs(const_y[k] - rot_90[k]) for k in const_y)
checks = [("90 deg rotation == constant fibres along y", d <= 1e-6, f"max difference {d:.2e} ms"),
          ("+-60 deg rotation conducts faster along y than fibres along x",
           rot_60["y_corner"] < const_x["y_corner"], f"{rot_60['y_corner']:.3f} < {const_x['y_corner']:.3f} ms")]
fails = 0
for n, ok, v in checks:
    print(("PASS" if ok else "FAIL") + f": {n}: {v}")
    fails += not ok
print(f"{len(checks) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
