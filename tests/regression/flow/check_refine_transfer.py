#!/usr/bin/env python3
"""Time/Refine at: global refinement during a transient run with u^n, u^(n-1) transferred to the
finer mesh (p4est SolutionTransfer). DFG 2D-2 deck, BDF2, dt 0.01 from rest to t = 0.12:
  coarse  = level 0 throughout, fine = level 1 throughout,
  refined = level 0 refined to level 1 after t = 0.06, on 2 ranks.
Checks: the refined run ends on the level-1 mesh (4x cells) with the prescribed inflow flux,
its steps up to the refinement equal the coarse run (1e-8 rel), and its final cD is at least
3x closer to the fine run than the coarse run is (a lost or misplaced transferred state would
restart the flow or carry the coarse error on; measured: 0.13 % vs 1.0 %).
--scheme BDF3 | CN runs the same checks with that [Time/Scheme] (BDF3 also transfers u^(n-2); CN takes
one backward Euler step after the refinement)."""
import argparse
import csv, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

deck = os.path.join(otcheck.SRC, "validation", "dfg2d", "dfg2d2.prm")
ap = argparse.ArgumentParser()
ap.add_argument("--scheme", default="BDF2", choices=["BDF2", "BDF3", "CN"])
scheme = ap.parse_args().scheme
base = ["-s", "Time/Time step=0.01", "-s", "Time/End time=0.12", "-s", f"Time/Scheme={scheme}"]
s_c = otcheck.run(deck, "coarse", base + ["-s", "Mesh/Refinements=0"])
s_f = otcheck.run(deck, "fine", base + ["-s", "Mesh/Refinements=1"])
s_r = otcheck.run(deck, "refined", base + ["-s", "Mesh/Refinements=0", "-s", "Time/Refine at=0.06"], ranks=2)


def rows(name):
    return list(csv.DictReader(open(os.path.join(name, "flow.csv"))))


c, f, r = rows("coarse"), rows("fine"), rows("refined")
before = [i for i, x in enumerate(r) if float(x["t_ms"]) <= 0.06 + 1e-9]
pre = max(abs(float(r[i][k]) - float(c[i][k])) / max(abs(float(c[i][k])), 1e-12) for i in before for k in ("cD_2", "dp"))
cd = {k: float(v[-1]["cD_2"]) for k, v in (("c", c), ("f", f), ("r", r))}
checks = [
    ("refined run ends on the level-1 mesh", s_r["cells"] == s_f["cells"] == 4 * s_c["cells"],
     f"{s_r['cells']} cells (coarse {s_c['cells']}, fine {s_f['cells']})"),
    ("inflow flux at the end = fine run (1e-8 rel)",
     abs(s_r["Q_0"] - s_f["Q_0"]) <= 1e-8 * abs(s_f["Q_0"]), f"{s_r['Q_0']:.10g} vs {s_f['Q_0']:.10g}"),
    ("steps before the refinement = coarse run (1e-8 rel)", pre < 1e-8 and len(before) == 6, f"max rel diff {pre:.2e}"),
    ("final cD at least 3x closer to the fine run than the coarse run",
     abs(cd["r"] - cd["f"]) * 3 <= abs(cd["c"] - cd["f"]),
     f"refined {cd['r']:.6f}, fine {cd['f']:.6f}, coarse {cd['c']:.6f} "
     f"({100 * (cd['r'] - cd['f']) / cd['f']:+.3f} % vs {100 * (cd['c'] - cd['f']) / cd['f']:+.3f} %)"),
]
otcheck.report(checks)
