#!/usr/bin/python3
"""Regression: monodomain with [Tissue] Fibre field = mesh (LDRB fibres on the generated Land LV,
h = 1.5 mm, cases/lv_activation/lv_activation.prm). Stimulus in the mid-wall at the equator;
two mid-wall probes at the same arc length (12.9 mm), one circumferential, one along the meridian.
Requirements: (1) with all fibres circumferential (helix 0 deg endo and epi) conduction along the
fibres is faster: t_longitudinal / t_circumferential > 1.4 (conductivity ratio 7.6, i.e. a CV
ratio of about 2.8 on a fine mesh; the coarse mesh and the curved path reduce it); (2) the
+60/-60 deg transmural rotation lowers that ratio (fibres cross the meridian in the outer and
inner wall); (3) both probes activate; (4) 1 and 2 ranks give the same activation times within
0.01 ms (same mesh, partitioned once). Time step 0.1 ms here (deck: 0.05 ms; the probe times
move by 0.13 and 0.07 ms) to keep the three runs short."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otcheck import SRC, report, run  # noqa: E402

DECK = os.path.join(SRC, "cases", "lv_activation", "lv_activation.prm")
DT = ["-s", "Time/Time step=0.1"]
a1 = run(DECK, "rot_1", DT + ["-s", "Time/End time=64"])["activation_times_ms"]
a2 = run(DECK, "rot_2", DT + ["-s", "Time/End time=64"], ranks=2)["activation_times_ms"]
c = run(DECK, "circ", DT + ["-s", "Time/End time=78", "-s", "Fibres/Helix angle endo=0",
                       "-s", "Fibres/Helix angle epi=0"])["activation_times_ms"]
ok = lambda a: all(a[k] is not None for k in ("circumferential", "longitudinal"))
checks = [("both probes activate", ok(a1) and ok(c), f"+-60: {a1}, 0/0: {c}")]
if ok(a1) and ok(c):
    rc = c["longitudinal"] / c["circumferential"]
    ra = a1["longitudinal"] / a1["circumferential"]
    checks.append(("circumferential fibres: t_long / t_circ > 1.4", rc > 1.4,
                   f"{c['longitudinal']:.2f} / {c['circumferential']:.2f} ms = {rc:.3f}"))
    checks.append(("+-60 deg rotation lowers the ratio", ra < rc - 0.2,
                   f"{a1['longitudinal']:.2f} / {a1['circumferential']:.2f} ms = {ra:.3f} vs {rc:.3f}"))
    d = max(abs(a1[k] - a2[k]) for k in a1 if a1[k] is not None and a2.get(k) is not None)
    checks.append(("1 vs 2 ranks within 0.01 ms", ok(a2) and d < 0.01, f"max difference {d:.2e} ms"))
report(checks)
