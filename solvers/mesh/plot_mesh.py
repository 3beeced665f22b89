#!/usr/bin/env python3
"""Preview of a prepared mesh: the boundary triangles coloured by tag (two views).
Usage: plot_mesh.py <result dir>  (reads boundary.csv and tags.csv, writes preview.png)."""
import sys, os
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from mpl_toolkits.mplot3d.art3d import Poly3DCollection

d = sys.argv[1]
data = np.loadtxt(os.path.join(d, "boundary.csv"), delimiter=",", skiprows=1, ndmin=2)
names = {}
with open(os.path.join(d, "tags.csv")) as f:
    next(f)
    for line in f:
        i, n = line.strip().split(",", 1)
        names[int(i)] = n
if len(data) > 60000:  # keep the plot light
    data = data[np.random.default_rng(0).choice(len(data), 60000, replace=False)]
tris = data[:, :9].reshape(-1, 3, 3)
tags = data[:, 9].astype(int)
cmap = plt.get_cmap("tab10")
ids = sorted(set(tags))
colour = {t: cmap(k % 10) for k, t in enumerate(ids)}
lo, hi = tris.reshape(-1, 3).min(0), tris.reshape(-1, 3).max(0)
c, r = 0.5 * (lo + hi), 0.5 * (hi - lo).max()
fig = plt.figure(figsize=(11, 5.5))
for k, (elev, azim) in enumerate([(20, -60), (-20, 120)]):
    ax = fig.add_subplot(1, 2, k + 1, projection="3d")
    # light shading by the normal's z component so the shape reads
    n = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    n /= np.linalg.norm(n, axis=1)[:, None] + 1e-300
    shade = 0.55 + 0.45 * np.abs(n[:, 2])
    fc = np.array([colour[t] for t in tags])
    fc[:, :3] *= shade[:, None]
    ax.add_collection3d(Poly3DCollection(tris, facecolors=fc, edgecolors="none"))
    ax.set_xlim(c[0] - r, c[0] + r); ax.set_ylim(c[1] - r, c[1] + r); ax.set_zlim(c[2] - r, c[2] + r)
    ax.view_init(elev, azim)
    ax.set_xlabel("x [mm]"); ax.set_ylabel("y [mm]"); ax.set_zlabel("z [mm]")
handles = [plt.Rectangle((0, 0), 1, 1, color=colour[t]) for t in ids]
fig.legend(handles, [f"{names.get(t, 'id%d' % t)} ({t})" for t in ids], loc="lower center", ncol=min(6, len(ids)))
fig.suptitle("boundary tags (%d faces)" % len(tags))
fig.savefig(os.path.join(d, "preview.png"), dpi=90)
