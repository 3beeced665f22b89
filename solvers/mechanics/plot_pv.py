#!/usr/bin/python3
"""plot_pv.py <result dir>: PV loop (last beat highlighted) and pressures over time
from pv.csv of a mechanics beat run -> <result dir>/pv_loop.png."""
import csv, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/pv.csv")))
beats = sorted({int(r["beat"]) for r in rows})
fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
for k in beats:
    r = [x for x in rows if int(x["beat"]) == k]
    a.plot([float(x["V_mL"]) for x in r], [float(x["p_lv_mmHg"]) for x in r], "-", lw=2 if k == beats[-1] else 0.8,
           label=f"beat {k}")
a.set_xlabel("LV volume [mL]")
a.set_ylabel("LV pressure [mmHg]")
a.legend(fontsize=8)
t = [float(x["t_ms"]) for x in rows]
b.plot(t, [float(x["p_lv_mmHg"]) for x in rows], label="LV")
b.plot(t, [float(x["p_ar_mmHg"]) for x in rows], label="arterial")
b.set_xlabel("t [ms]")
b.set_ylabel("pressure [mmHg]")
b.legend(fontsize=8)
fig.tight_layout()
fig.savefig(d + "/pv_loop.png", dpi=110)
