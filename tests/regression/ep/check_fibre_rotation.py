#!/usr/bin/python3
"""Regression: the per-point conductivity of [Tissue/Fibre field] = transmural rotation.
Requirements: (1) with both angles 90 deg about the z wall normal it reproduces the constant
field with fibres along y (activation times equal within 1e-6 ms); (2) with +60/-60 deg the
fibre rotation makes conduction along y faster than with fibres along x, so the corner
(0,2,1) activates earlier than in the constant-x run."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otcheck import NIEDERER_DECK, SRC, report, run  # noqa: E402

common = ["-s", "Mesh/Box upper corner=4,2,1", "-s", "Mesh/Element size=0.25", "-s", "Time/End time=15",
          "-s", "Output/Field interval=0", "-s", "Output/Probe points=4,2,1;0,2,1;4,0,0",
          "-s", "Output/Probe names=far,y_corner,x_corner"]
rot = ["-s", "Tissue/Fibre field=transmural rotation", "-s", "Tissue/Wall extent=0,1"]
act = lambda name, extra: run(NIEDERER_DECK, name, common + extra)["activation_times_ms"]
const_y = act("const_y", ["-s", "Tissue/Fibre direction=0,1,0", "-s", "Tissue/Sheet direction=0,0,1"])
rot_90 = act("rot_90", rot + ["-s", "Tissue/Fibre angle endo=90", "-s", "Tissue/Fibre angle epi=90"])
const_x = act("const_x", [])
rot_60 = act("rot_60", rot)
d = max(abs(const_y[k] - rot_90[k]) for k in const_y)
report([("90 deg rotation == constant fibres along y", d <= 1e-6, f"max difference {d:.2e} ms"),
        ("+-60 deg rotation conducts faster along y than fibres along x",
         rot_60["y_corner"] < const_x["y_corner"], f"{rot_60['y_corner']:.3f} < {const_x['y_corner']:.3f} ms")])
