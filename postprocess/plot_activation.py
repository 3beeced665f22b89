#!/usr/bin/python3
"""Activation map of a monodomain run on a 3D mesh: reads the last fields_*.pvtu of <result dir>
(the VTU pieces written by deal.II, zlib-compressed or raw base64 binary) and writes
activation.png: points coloured by activation time [ms] in two side views (the half y >= y_c projected
on x-z, the half x >= x_c on y-z; x_c, y_c: centre of the bounding box); never-activated points grey.
usage: plot_activation.py <result dir> [field]"""
import base64, glob, os, struct, sys, zlib
import xml.etree.ElementTree as ET

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt


def decode(text, compressed, fmt):
    """A binary DataArray of a VTU file (header UInt32)."""
    raw = text.strip().encode()
    if not compressed:
        data = base64.b64decode(raw)
        n = struct.unpack("<I", data[:4])[0]
        body = data[4:4 + n]
    else:
        head = base64.b64decode(raw[:24])  # 3 x UInt32 -> 12 bytes -> 16 chars; read enough
        nb = struct.unpack("<I", head[:4])[0]
        hlen = 4 * (3 + nb)
        enc = (hlen + 2) // 3 * 4
        h = struct.unpack(f"<{3 + nb}I", base64.b64decode(raw[:enc])[:hlen])
        payload = base64.b64decode(raw[enc:])
        body, pos = b"", 0
        for size in h[3:]:
            body += zlib.decompress(payload[pos:pos + size])
            pos += size
    size = struct.calcsize(fmt)
    return list(struct.unpack(f"<{len(body) // size}{fmt}", body))


def read_piece(path, field):
    root = ET.parse(path).getroot()
    compressed = root.get("compressor") is not None
    pts, val = [], []
    for piece in root.iter("Piece"):
        xyz = piece.find("Points/DataArray")
        ff = "f" if xyz.get("type") == "Float32" else "d"
        x = decode(xyz.text, compressed, ff)
        for da in piece.find("PointData"):
            if da.get("Name") == field:
                v = decode(da.text, compressed, "f" if da.get("type") == "Float32" else "d")
        pts += [x[3 * i:3 * i + 3] for i in range(len(x) // 3)]
        val += v
    return pts, val


d = sys.argv[1] if len(sys.argv) > 1 else "."
field = sys.argv[2] if len(sys.argv) > 2 else "activation_time"
pvtu = sorted(glob.glob(os.path.join(d, "fields_*.pvtu")))[-1]
pts, val = [], []
for p in ET.parse(pvtu).getroot().iter("Piece"):
    a, b = read_piece(os.path.join(d, p.get("Source")), field)
    pts += a
    val += b
keep = [i for i, v in enumerate(val) if v >= 0]
# halves split at the centre of the bounding box (0 for the generated shapes centred on the axis)
centre = [(min(p[d] for p in pts) + max(p[d] for p in pts)) / 2 for d in range(3)]
fig, axes = plt.subplots(1, 2, figsize=(9, 5))
for ax, (i, j, depth, name) in zip(axes, [(0, 2, 1, "x"), (1, 2, 0, "y")]):
    # the half facing the viewer (depth coordinate >= centre), far points first; points that
    # never activated in grey
    half = sorted([k for k in range(len(pts)) if pts[k][depth] >= centre[depth]], key=lambda k: pts[k][depth])
    grey = [k for k in half if val[k] < 0]
    ax.scatter([pts[k][i] for k in grey], [pts[k][j] for k in grey], c="0.8", s=4)
    order = [k for k in half if val[k] >= 0]
    sc = ax.scatter([pts[k][i] for k in order], [pts[k][j] for k in order], c=[val[k] for k in order],
                    s=4, cmap="jet", vmin=min(val[k] for k in keep), vmax=max(val[k] for k in keep))
    ax.set_aspect("equal")
    ax.set_xlabel(f"{name} [mm]")
    ax.set_ylabel("z [mm]")
    ax.set_title(f"half {'xy'[depth]} >= {centre[depth]:.3g}, seen from +{'xy'[depth]}", fontsize=9)
fig.colorbar(sc, ax=axes, label=f"{field} [ms]")
n_un = len(val) - len(keep)
fig.suptitle(f"{field}: {min(val[k] for k in keep):.1f} to {max(val[k] for k in keep):.1f} ms"
             + (f", {n_un} points not activated (grey; VTU points, one per cell vertex)" if n_un else ""), fontsize=10)
tmp = os.path.join(d, "activation.png.tmp.png")
fig.savefig(tmp, dpi=100)
os.replace(tmp, os.path.join(d, "activation.png"))
print(os.path.join(d, "activation.png"))
