#!/usr/bin/python3
"""Plot the probe traces of a monodomain run: <result dir>/probes.csv -> probes.png.
usage: plot_probes.py <result dir>"""
import csv, json, os, sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

d = sys.argv[1] if len(sys.argv) > 1 else "."
rows = list(csv.reader(open(os.path.join(d, "probes.csv"))))
head, data = rows[0], [[float(x) for x in r] for r in rows[1:]]
t = [r[0] for r in data]
fig, ax = plt.subplots(figsize=(8, 4.5))
for j, name in enumerate(head[1:], start=1):
    ax.plot(t, [r[j] for r in data], label=name.replace("V_", "").replace("_mV", ""))
summary = os.path.join(d, "summary.json")
title = "membrane potential at the probes"
if os.path.exists(summary):
    s = json.load(open(summary))
    title += f"  ({s.get('ionic_model', '')}, {s.get('dofs', '')} DoFs, git {s.get('git_hash', '')})"
ax.set_title(title, fontsize=9)
ax.set_xlabel("t [ms]")
ax.set_ylabel("V [mV]")
if len(head) <= 12:
    ax.legend(fontsize=8)
fig.tight_layout()
tmp = os.path.join(d, "probes.png.tmp.png")
fig.savefig(tmp, dpi=110)
os.replace(tmp, os.path.join(d, "probes.png"))
print(os.path.join(d, "probes.png"))
