#!/usr/bin/python3
"""plot_section.py <result dir> <png> [title]: reference and deformed nodes of the
section.csv written by the mechanics solver (Output/Section), x-z view."""
import sys
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

d = np.genfromtxt(sys.argv[1] + "/section.csv", delimiter=",", names=True)
fig, ax = plt.subplots(figsize=(5, 6) if d["Z"].min() < -5 else (7, 3.5))
ax.plot(d["X"], d["Z"], ".", ms=2, color="0.6", label="reference")
ax.plot(d["x"], d["z"], ".", ms=2, color="C3", label="deformed")
ax.set_aspect("equal")
ax.set_xlabel("x [mm]")
ax.set_ylabel("z [mm]")
if len(sys.argv) > 3:
    ax.set_title(sys.argv[3], fontsize=9)
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
