#!/usr/bin/env python3
"""Observed temporal order of [Time/Scheme] = BDF3 and CN (docs/theory/navier_stokes.md) on the
DFG 2D-2 deck (validation/dfg2d/dfg2d2.prm) at level 0 (Q2-Q1, 1000 DoFs) with nu = 0.01
(Re 0 -> 10 over the inflow ramp (1 - cos(pi t))/2, t = 0..1: smooth, nonlinear, no shedding),
started from rest. The time error is measured against a BDF3 run with dt = 0.005 on the same mesh
(the spatial error cancels; all schemes converge to the same semi-discrete solution), for the drag
coefficient cD and the pressure difference dp = p(0.15, 0.2) - p(0.25, 0.2), max over the steps
relative to max |ref|; the reference is interpolated with the cubic through its 4 nearest levels.
CN writes the forces and pressures of t - dt/2 (its pressure level) and is compared there.
BDF errors are taken over t >= 0.3: the pressure (an algebraic variable) of the low-order start
steps (BDF1 for BDF2; CN with its half-step pressure, then BDF2, for BDF3) is O(dt) off at those
steps; the velocity error they leave is O(dt^2) (BDF2) and O(dt^3) (BDF3).
Checks (each can fail):
  - BDF3: order in cD and dp in [2.6, 3.4] for dt 0.1 -> 0.05 and 0.05 -> 0.025;
  - CN: order in cD and dp in [1.8, 2.2] for dt 0.1 -> 0.05 (all steps, from the first);
  - BDF3 at dt 0.05 has <= 1/4 of the BDF2 error at dt 0.05 (cD and dp);
  - 2 MPI ranks = 1 rank (BDF3 and CN, dt 0.05): cD, cL, dp every step to 1e-8 relative.
"""
import csv, json, math, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402

DECK = os.path.join(otcheck.SRC, "validation", "dfg2d", "dfg2d2.prm")
BASE = ["-s", "Mesh/Refinements=0", "-s", "Fluid/Viscosity=0.01", "-s", "Time/End time=1",
        "-s", "Solver/Newton tolerance=1e-11", "-s", "Solver/Jacobian update=every iteration"]
KEYS = ("cD_2", "dp")


def run(scheme, dt, ranks=1):
    name = f"{scheme}_dt{dt}_np{ranks}"
    s = otcheck.run(DECK, name, BASE + ["-s", f"Time/Scheme={scheme}", "-s", f"Time/Time step={dt}"], ranks=ranks)
    rows = list(csv.DictReader(open(os.path.join(name, "flow.csv"))))
    off = dt / 2 if scheme == "CN" else 0.0
    r = {k: ([float(x["t_ms"]) - off for x in rows], [float(x[k]) for x in rows]) for k in KEYS + ("cL_2",)}
    r["scheme"], r["ranks"] = s["time_scheme"], s["ranks"]
    return r


def err(r, ref, key, tmin):
    return otcheck.trace_error(*r[key], *ref[key], t_min=tmin)


ref = run("BDF3", 0.005)
b3 = {dt: run("BDF3", dt) for dt in (0.1, 0.05, 0.025)}
cn = {dt: run("CN", dt) for dt in (0.1, 0.05)}
b2 = run("BDF2", 0.05)
checks, out = [], {}
for key in KEYS:
    e3 = [err(b3[dt], ref, key, 0.3) for dt in (0.1, 0.05, 0.025)]
    p3 = [math.log2(e3[0] / e3[1]), math.log2(e3[1] / e3[2])]
    ec = [err(cn[dt], ref, key, 0.0) for dt in (0.1, 0.05)]
    pc = math.log2(ec[0] / ec[1])
    e2 = err(b2, ref, key, 0.3)
    checks.append((f"BDF3 order in {key}, dt 0.1 -> 0.05 -> 0.025, in [2.6, 3.4]", all(2.6 <= p <= 3.4 for p in p3),
                   "errors " + ", ".join(f"{e:.3e}" for e in e3) + f"; orders {p3[0]:.2f}, {p3[1]:.2f}"))
    checks.append((f"CN order in {key}, dt 0.1 -> 0.05, in [1.8, 2.2]", 1.8 <= pc <= 2.2,
                   f"errors {ec[0]:.3e}, {ec[1]:.3e}; order {pc:.2f}"))
    checks.append((f"{key} at dt 0.05: BDF3 error <= BDF2 error / 4", e3[1] <= e2 / 4,
                   f"BDF3 {e3[1]:.3e}, BDF2 {e2:.3e} (ratio {e2 / e3[1]:.1f})"))
    out[key] = {"bdf3_errors": e3, "bdf3_orders": p3, "cn_errors": ec, "cn_order": pc, "bdf2_error_dt0.05": e2}
for scheme, one in (("BDF3", b3[0.05]), ("CN", cn[0.05])):
    two = run(scheme, 0.05, ranks=2)
    d = 0.0
    for key in KEYS + ("cL_2",):
        scale = max(abs(v) for v in one[key][1])
        d = max(d, max(abs(x - y) for x, y in zip(one[key][1], two[key][1])) / scale)
    ok = len(one["dp"][1]) == len(two["dp"][1]) and d <= 1e-8 and two["scheme"] == scheme and two["ranks"] == 2
    checks.append((f"{scheme} dt 0.05: 2 ranks = 1 rank (cD, cL, dp every step, 1e-8 relative)", ok,
                   f"max rel diff {d:.1e} (flow.csv has 10 digits), {len(two['dp'][1])} steps, ranks {two['ranks']}, "
                   f"time_scheme {two['scheme']}"))
    out[f"np2_diff_{scheme}"] = d
json.dump(out, open("time_schemes.json", "w"), indent=1)
otcheck.report(checks)
