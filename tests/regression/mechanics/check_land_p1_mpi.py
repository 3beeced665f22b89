#!/usr/bin/python3
"""Land 2015 Problem 1 (beam) on a coarse Q1 mesh (h = 0.5 mm) on 1 and 2 MPI ranks:
the deformed z of the tip point (10, 0.5, 1) must agree within 1e-6 relative, Newton
must converge on every load step on both, and the tip must have moved up by more than
1 mm (a sanity bound: the converged value is 4.17 mm, coarse Q1 with a penalty locks)."""
import json, os, subprocess, sys

src = os.environ["OT_SOURCE_DIR"]
bin_ = os.environ["OT_BIN"]
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
deck = os.path.join(src, "validation/land2015/problem1.prm")
z = {}
for np_ in (1, 2):
    out = f"p1_np{np_}"
    cmd = ([*mpirun, "-np", str(np_)] if np_ > 1 else []) + [bin_, "run", deck, "-v", "1", "-s",
        f"Output/Directory={out}", "-s", "Mesh/Element size=0.5", "-s", "Output/Fields=none"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    print(p.stdout[-2000:], p.stderr[-2000:])
    if p.returncode != 0:
        sys.exit(f"run on {np_} rank(s) failed")
    s = json.load(open(os.path.join(out, "summary.json")))
    assert s["load_reached"] == 1.0, s
    z[np_] = s["probes"]["tip"]["deformed"][2]
rel = abs(z[1] - z[2]) / abs(z[1])
print(f"tip z: 1 rank {z[1]:.10f} mm, 2 ranks {z[2]:.10f} mm, relative difference {rel:.2e}")
ok = rel < 1e-6 and z[1] > 2.0
sys.exit(0 if ok else 1)
