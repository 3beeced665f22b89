#!/usr/bin/python3
"""Regression: APD90 and activation maps of a small TTP06 epi slab (4 x 1 x 1 mm, dx 0.5 mm,
dt 0.05 ms, 400 ms). Requirement: every node activates and repolarises; the APD90 field lies in
the physiological band of a TTP06 epi first beat (250-330 ms); and APD90 computed here from an
independent probe trace (V_rest = minimum before the upstroke, 90 % level from the peak,
linear interpolation) falls inside the field's range within 0.2 ms."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otcheck import NIEDERER_DECK, SRC, report, run  # noqa: E402

out = "apd90_slab"
s = run(NIEDERER_DECK, out, ["-s", "Mesh/Box upper corner=4,1,1", "-s", "Time/End time=400",
                             "-s", "Output/Field interval=0", "-s", "Output/Probe points=4,1,1",
                             "-s", "Output/Probe names=far"])
rows = [list(map(float, l.split(","))) for l in open(os.path.join(out, "probes.csv")).read().split("\n")[1:] if l]
t = [r[0] for r in rows]
v = [r[1] for r in rows]
i_up = next(i for i in range(1, len(v)) if v[i - 1] < 0 <= v[i])
t_act = t[i_up - 1] + (t[i_up] - t[i_up - 1]) * (0 - v[i_up - 1]) / (v[i_up] - v[i_up - 1])
v_rest, v_peak = min(v[:i_up]), max(v[i_up:])
level = v_peak - 0.9 * (v_peak - v_rest)
i_pk = v.index(v_peak)
i_dn = next(i for i in range(i_pk + 1, len(v)) if v[i - 1] >= level > v[i])
t_rep = t[i_dn - 1] + (t[i_dn] - t[i_dn - 1]) * (v[i_dn - 1] - level) / (v[i_dn - 1] - v[i_dn])
apd_trace = t_rep - t_act
checks = [
    ("all nodes activated", s["nodes_not_activated"] == 0, s["nodes_not_activated"]),
    ("all nodes repolarised", s["nodes_repolarised"] == s["dofs"], f"{s['nodes_repolarised']} of {s['dofs']}"),
    ("APD90 field in 250-330 ms", 250 <= s["apd90_min_ms"] and s["apd90_max_ms"] <= 330,
     f"{s['apd90_min_ms']:.2f}-{s['apd90_max_ms']:.2f} ms"),
    ("probe-trace APD90 inside the field range (0.2 ms)",
     s["apd90_min_ms"] - 0.2 <= apd_trace <= s["apd90_max_ms"] + 0.2, f"{apd_trace:.2f} ms"),
]
report(checks)
