#!/usr/bin/python3
"""Regression: a stimulus on a boundary tag (the x = 0 face of a 6 x 1 x 1 mm box, id 0) starts a
plane wave. Requirements: the four corners of each end face activate at the same time (within
1e-6 ms), on 1 and on 2 ranks alike (within one time step), and the wave travels along the
fibres at 0.3-0.9 m/s (TTP06 epi, sigma_l 0.1334 S/m; the coarse mesh only brackets it)."""
import json, os, subprocess, sys

src = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
binary = os.environ.get("OT_BIN", "organtwin")
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
deck = os.path.join(src, "validation", "niederer2011", "deck.prm")
pts = {"a1": "0,0,0", "a2": "0,1,0", "a3": "0,0,1", "a4": "0,1,1", "b1": "6,0,0", "b2": "6,1,0", "b3": "6,0,1",
       "b4": "6,1,1", "m": "3,0.5,0.5"}
args = ["-v", "0", "-s", "Mesh/Box upper corner=6,1,1", "-s", "Time/End time=20", "-s", "Output/Field interval=0",
        "-s", "Stimulus/Region=boundary", "-s", "Stimulus/Boundary id=0",
        "-s", "Output/Probe points=" + ";".join(pts.values()), "-s", "Output/Probe names=" + ",".join(pts)]


def run(np_):
    out = f"bd_np{np_}"
    cmd = ([*mpirun, "-np", str(np_)] if np_ > 1 else []) + [binary, "run", deck, *args, "-s", f"Output/Directory={out}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {out}:\n{p.stdout}\n{p.stderr}")
    return json.load(open(os.path.join(out, "summary.json")))["activation_times_ms"]


a, b = run(1), run(2)
spread_a = max(a[k] for k in a if k[0] == "a") - min(a[k] for k in a if k[0] == "a")
spread_b = max(a[k] for k in a if k[0] == "b") - min(a[k] for k in a if k[0] == "b")
cv = 3.0 / (a["b1"] - a["m"])
d = max(abs(a[k] - b[k]) for k in a)
checks = [("plane wave at x = 0", spread_a <= 1e-6, f"spread {spread_a:.1e} ms"),
          ("plane wave at x = 6", spread_b <= 1e-6, f"spread {spread_b:.1e} ms"),
          ("1 vs 2 ranks", d <= 0.05, f"max difference {d:.1e} ms"),
          ("conduction velocity 0.3-0.9 m/s", 0.3 <= cv <= 0.9, f"{cv:.3f} m/s")]
fails = 0
for n, ok, v in checks:
    print(("PASS" if ok else "FAIL") + f": {n}: {v}")
    fails += not ok
print(f"{len(checks) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
