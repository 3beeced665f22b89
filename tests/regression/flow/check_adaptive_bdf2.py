#!/usr/bin/env python3
"""Variable-step BDF2 with local error control ([Time/Adaptive], docs/theory/navier_stokes.md) on
Womersley pipe flow, validation/womersley/womersley.prm at level 0 (399 DoFs, semi-implicit).
The time error is measured against a fixed-step run with a small step on the same mesh, so the
(large) spatial error of the coarse mesh cancels. Quantity: the inlet-outlet mean pressure
difference dp(t) = pmean_1 - pmean_2 (driven by rho dQ/dt), compared at the steps of each run with
the reference interpolated linearly (max over the run, relative to max |dp_ref|).

Default (CI, short): pulse waveform tests/regression/flow/pulse_waveform.csv (40 ms systolic
pulse between flat parts), t = 0..500 ms:
  - tolerance 1e-3 -> 1e-4: the max dp error falls as N^-p with p in [1.5, 3] (N accepted steps;
    local error ~ tol per step gives N ~ tol^(-1/3) and a global error ~ N^-2);
  - every accepted error estimate (from step 3 on) <= tolerance; the run ends on End time;
  - a fixed step with as many steps as the adaptive run (1e-3) has at least twice its error;
  - dt varies by more than 5x over the run;
  - 2 MPI ranks take the same steps (accepted and rejected) with the same dp (1e-8 relative).
--full adds the cosine waveform of womersley.prm over one period (fixed-step order dt 50 -> 25 ms
and the adaptive order), the numbers in validation/womersley/README.md.
"""
import argparse, csv, json, math, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402

DECK = os.path.join(otcheck.SRC, "validation", "womersley", "womersley.prm")
PULSE = os.path.join(otcheck.SRC, "tests", "regression", "flow", "pulse_waveform.csv")
BASE = ["-s", "Mesh/Refinements=0"]


def run(name, dt, adaptive=None, pulse=False, end=500, ranks=1):
    args = BASE + ["-s", f"Time/Time step={dt}", "-s", f"Time/End time={end}"]
    if pulse:
        args += ["-s", f"Boundary conditions/Waveform={PULSE}", "-s", "Boundary conditions/Womersley harmonics=20"]
    if adaptive is not None:
        args += ["-s", "Time/Adaptive=true", "-s", f"Time/Error tolerance={adaptive}"]
    s = otcheck.run(DECK, name, args, ranks=ranks)
    rows = list(csv.DictReader(open(os.path.join(name, "flow.csv"))))
    t = [float(r["t_ms"]) for r in rows]
    dp = [float(r["pmean_1"]) - float(r["pmean_2"]) for r in rows]
    est = [float(r["error_estimate"]) for r in rows] if adaptive is not None else []
    dts = [float(r["dt_ms"]) for r in rows] if adaptive is not None else []
    return {"t": t, "dp": dp, "est": est, "dt": dts, "steps": s["steps"], "summary": s}


def err(r, ref):
    """max over the run's steps of |dp - dp_ref(t)| / max |dp_ref| (cubic interpolation of the
    fixed-step reference)."""
    return otcheck.trace_error(r["t"], r["dp"], ref["t"], ref["dp"])


ap = argparse.ArgumentParser()
ap.add_argument("--full", action="store_true")
a = ap.parse_args()
checks, out = [], {}
# Pulse waveform, 0..500 ms (flat start, 40 ms pulse at 150 ms, flat from 250 ms on).
END = 500
pref = run("ref_pulse", 1.25, pulse=True)
p1 = run("ad_pulse_1e-3", 2, 1e-3, pulse=True)
p2 = run("ad_pulse_1e-4", 2, 1e-4, pulse=True)
pfx = run("fix_pulse", END / p1["steps"], pulse=True)
e1, e2, efx = err(p1, pref), err(p2, pref), err(pfx, pref)
p_ad = math.log(e1 / e2) / math.log(p2["steps"] / p1["steps"])
checks.append(("pulse: error ~ N^-p, p in [1.5, 3] (tol 1e-3 -> 1e-4)", 1.5 <= p_ad <= 3,
               f"N {p1['steps']} -> {p2['steps']}, errors {e1:.3e} -> {e2:.3e}, p = {p_ad:.2f}"))
for r, tol in ((p1, 1e-3), (p2, 1e-4)):
    worst = max(r["est"][2:])
    checks.append((f"pulse tol {tol:g}: accepted estimates <= tol, ends on End time",
                   worst <= tol and abs(r["t"][-1] - END) < 1e-9,
                   f"max estimate {worst:.3e}, t_end {r['t'][-1]}, rejected {r['summary']['steps_rejected']}"))
checks.append(("pulse: a fixed step with as many steps as adaptive (1e-3) has >= 2x its error",
               efx >= 2 * e1 and pfx["steps"] == p1["steps"],
               f"adaptive {p1['steps']} steps, error {e1:.3e}; fixed {pfx['steps']} steps (dt {END / pfx['steps']:.3g} ms), "
               f"error {efx:.3e}"))
checks.append(("pulse: dt varies by > 5x", max(p1["dt"]) > 5 * min(p1["dt"]),
               f"dt {min(p1['dt']):.3g} .. {max(p1['dt']):.3g} ms"))
# 1 vs 2 ranks: the same accepted/rejected steps and dp (global norms decide on every rank).
q1 = run("ad_pulse_1e-3_np2", 2, 1e-3, pulse=True, ranks=2)
ddt = max(abs(x - y) / x for x, y in zip(p1["dt"], q1["dt"])) if len(q1["dt"]) == len(p1["dt"]) else 1.0
ddp = max(abs(x - y) for x, y in zip(p1["dp"], q1["dp"])) / max(abs(v) for v in p1["dp"]) if ddt < 1 else 1.0
checks.append(("pulse tol 1e-3: 2 ranks = 1 rank (steps, dt, dp to 1e-8 rel)",
               q1["steps"] == p1["steps"] and q1["summary"]["steps_rejected"] == p1["summary"]["steps_rejected"]
               and ddt <= 1e-8 and ddp <= 1e-8,
               f"steps {p1['steps']} / {q1['steps']}, rejected {p1['summary']['steps_rejected']} / "
               f"{q1['summary']['steps_rejected']}, max rel dt diff {ddt:.1e}, dp diff {ddp:.1e}"))
out["pulse"] = {"steps": [p1["steps"], p2["steps"], pfx["steps"]], "errors": [e1, e2, efx], "order": p_ad,
                "dt_range": [min(p1["dt"]), max(p1["dt"])]}
if a.full:
    # Cosine waveform (womersley.prm), one period: fixed-step order and adaptive order.
    ref = run("ref_cos", 2.5, end=1000)
    f50, f25 = run("fix50", 50, end=1000), run("fix25", 25, end=1000)
    e50, e25 = err(f50, ref), err(f25, ref)
    p_fixed = math.log(e50 / e25) / math.log(2)
    checks.append(("cosine: fixed-step order (dt 50 -> 25 ms) >= 1.8", p_fixed >= 1.8,
                   f"errors {e50:.3e}, {e25:.3e}, order {p_fixed:.2f}"))
    c1, c2 = run("ad_cos_1e-4", 10, 1e-4, end=1000), run("ad_cos_1e-5", 10, 1e-5, end=1000)
    ec1, ec2 = err(c1, ref), err(c2, ref)
    p_c = math.log(ec1 / ec2) / math.log(c2["steps"] / c1["steps"])
    checks.append(("cosine: adaptive error ~ N^-p, p in [1.5, 3]", 1.5 <= p_c <= 3,
                   f"N {c1['steps']} -> {c2['steps']}, errors {ec1:.3e} -> {ec2:.3e}, p = {p_c:.2f}"))
    out["cosine"] = {"fixed_errors": [e50, e25], "fixed_order": p_fixed, "adaptive_steps": [c1["steps"], c2["steps"]],
                     "adaptive_errors": [ec1, ec2], "adaptive_order": p_c}
json.dump(out, open("adaptive_bdf2.json", "w"), indent=1)
otcheck.report(checks)
