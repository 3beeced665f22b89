#!/usr/bin/python3
"""One-way electromechanics: the monodomain activation times drive the active tension.

A 10 x 1 x 1 mm slab (hexahedra, h = 0.5 mm, the same mesh for both physics) is paced once
at x = 0 (boundary id 0) and once at x = 10 (id 1) by the monodomain solver (TTP06, the
Niederer deck). The mechanics (Q1, Guccione, fibres along x, x = 0 clamped) reads each
activation_times.csv (Active stress/Activation = file) and is solved at the snapshot time
t = 12 ms with T_a = twitch(t - t_act) (T_max 20 kPa, tau_c 5 ms).
Requirements:
 - the t_act the mechanics reads at the probe nodes equals the EP's activation time there
   (within 1e-5 ms: the CSV keeps 6 decimals);
 - left pacing contracts the left half first: the mid-slab point (5,0.5,0.5) moves back by
   more than 60 % of the tip (10,0.5,0.5) displacement; right pacing contracts the right half:
   the mid point moves by less than 40 % of the tip (the expected mirror pattern);
 - both tips move backwards (u_x < 0: fibre shortening) and T_a > 0 somewhere;
 - the mechanics of the right-paced case gives the same tip displacement on 2 ranks (1e-6)."""
import json, os, sys

sys.path.insert(0, os.path.join(os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "..", "..")), "tests", "regression", "ep"))
from otcheck import NIEDERER_DECK, SRC, report, run  # noqa: E402

probes = {"left": "0,0.5,0.5", "mid": "5,0.5,0.5", "tip": "10,0.5,0.5"}
mech_deck = os.path.join(SRC, "tests", "regression", "mechanics", "ep_activation_slab.prm")
checks, res = [], {}
for side, bid in (("left", 0), ("right", 1)):
    ep = run(NIEDERER_DECK, f"ep_{side}", ["-s", "Mesh/Box upper corner=10,1,1", "-s", "Time/End time=25",
                                           "-s", "Output/Field interval=0", "-s", "Stimulus/Region=boundary",
                                           "-s", f"Stimulus/Boundary id={bid}",
                                           "-s", "Output/Probe points=" + ";".join(probes.values()),
                                           "-s", "Output/Probe names=" + ",".join(probes)])
    m = run(mech_deck, f"mech_{side}", ["-s", f"Active stress/Activation times file=ep_{side}/activation_times.csv"])
    res[side] = m
    d = max(abs(m["probes"][k]["t_act_ms"] - ep["activation_times_ms"][k]) for k in probes)
    checks.append((f"{side} pacing: mechanics t_act = EP activation at the probe nodes", d <= 1e-5,
                   f"max difference {d:.1e} ms (EP: " + ", ".join(f"{k} {ep['activation_times_ms'][k]:.2f}"
                                                                  for k in probes) + " ms)"))
    checks.append((f"{side} pacing: active tension present", m["active_tension_max_kPa"] > 1,
                   f"max T_a {m['active_tension_max_kPa']:.2f} kPa"))
ratio = {}
for side in res:
    ux = {k: res[side]["probes"][k]["displacement"][0] for k in ("mid", "tip")}
    ratio[side] = ux["mid"] / ux["tip"]
    checks.append((f"{side} pacing: the tip shortens towards the clamp", ux["tip"] < 0,
                   f"u_x tip {ux['tip']:.4f} mm, mid {ux['mid']:.4f} mm"))
m2 = run(mech_deck, "mech_right_np2", ["-s", "Active stress/Activation times file=ep_right/activation_times.csv"],
         ranks=2)
t1, t2 = res["right"]["probes"]["tip"]["displacement"][0], m2["probes"]["tip"]["displacement"][0]
checks.append(("right pacing: mechanics on 1 vs 2 ranks (tip u_x, 1e-6 relative)", abs(t1 - t2) <= 1e-6 * abs(t1),
               f"{t1:.10f} vs {t2:.10f} mm"))
checks.append(("left pacing: mid/tip u_x > 0.6", ratio["left"] > 0.6, f"{ratio['left']:.3f}"))
checks.append(("right pacing: mid/tip u_x < 0.4", ratio["right"] < 0.4, f"{ratio['right']:.3f}"))
report(checks)
