#!/usr/bin/python3
"""Regression: a stimulus on a boundary tag (the x = 0 face of a 6 x 1 x 1 mm box, id 0) starts a
plane wave. Requirements: the four corners of each end face activate at the same time (within
1e-6 ms), on 1 and on 2 ranks alike (within one time step), and the wave travels along the
fibres at 0.3-0.9 m/s (TTP06 epi, sigma_l 0.1334 S/m; the coarse mesh only brackets it)."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otcheck import NIEDERER_DECK, SRC, report, run  # noqa: E402

pts = {"a1": "0,0,0", "a2": "0,1,0", "a3": "0,0,1", "a4": "0,1,1", "b1": "6,0,0", "b2": "6,1,0", "b3": "6,0,1",
       "b4": "6,1,1", "m": "3,0.5,0.5"}
args = ["-s", "Mesh/Box upper corner=6,1,1", "-s", "Time/End time=20", "-s", "Output/Field interval=0",
        "-s", "Stimulus/Region=boundary", "-s", "Stimulus/Boundary id=0",
        "-s", "Output/Probe points=" + ";".join(pts.values()), "-s", "Output/Probe names=" + ",".join(pts)]
a = run(NIEDERER_DECK, "bd_np1", args)["activation_times_ms"]
b = run(NIEDERER_DECK, "bd_np2", args, ranks=2)["activation_times_ms"]
spread_a = max(a[k] for k in a if k[0] == "a") - min(a[k] for k in a if k[0] == "a")
spread_b = max(a[k] for k in a if k[0] == "b") - min(a[k] for k in a if k[0] == "b")
cv = 3.0 / (a["b1"] - a["m"])  # mm/ms = m/s, over the second half (past the start-up)
d = max(abs(a[k] - b[k]) for k in a)
report([("plane wave at x = 0", spread_a <= 1e-6, f"spread {spread_a:.1e} ms"),
        ("plane wave at x = 6", spread_b <= 1e-6, f"spread {spread_b:.1e} ms"),
        ("1 vs 2 ranks", d <= 0.05, f"max difference {d:.1e} ms"),
        ("conduction velocity 0.3-0.9 m/s", 0.3 <= cv <= 0.9, f"{cv:.3f} m/s")])
