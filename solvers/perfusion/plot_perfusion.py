#!/usr/bin/python3
"""Plot of a transient `perfusion` run: plot_perfusion.py RESULT_DIR
(or plot_perfusion.py --fields-only RESULT_DIR: fields.png only, for perfusion_2c)
reads RESULT_DIR/traces.csv, writes RESULT_DIR/perfusion.png with
  (1) inlet and outlet blood concentration [uM], (2) extraction ratio E(t) = 1 - out/in,
  (3) cumulative drug balance [pmol]: in, out, eliminated, stored, and the residual;
and, if fields were written, RESULT_DIR/fields.png: pressure and tissue concentration (or
arterial and venous pressure) of the last field output on two mid-slices (planes z = const and y = const through the organ's
centre; points of the VTU pieces within one element size of the plane).
Run with /usr/bin/python3 (Debian python3-matplotlib, python3-numpy)."""
import base64
import csv
import glob
import os
import re
import struct
import sys
import zlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main(folder):
    with open(os.path.join(folder, "traces.csv"), newline="") as f:
        r = csv.reader(f)
        head = next(r)
        data = np.array([[float(x) for x in row] for row in r if row])
    d = {h: data[:, i] for i, h in enumerate(head)}
    t = d["time_s"]
    fig, ax = plt.subplots(3, 1, figsize=(7, 9), sharex=True)
    ax[0].plot(t, d["c_in_blood_uM"], label="inlet (blood)")
    ax[0].plot(t, d["c_out_blood_uM"], label="outlet (flow-weighted blood)")
    ax[0].set_ylabel("concentration [uM]")
    ax[0].legend()
    e = np.where(d["in_pmol_per_s"] > 0, d["E"], np.nan)
    ax[1].plot(t, e)
    ax[1].set_ylabel("E(t) = 1 - out/in")
    ax[1].set_ylim(-0.05, 1.05)
    stored = d["stored_pmol"] - d["stored_pmol"][0]
    ax[2].plot(t, d["cum_in_pmol"], label="in")
    ax[2].plot(t, d["cum_out_pmol"], label="out")
    ax[2].plot(t, d["cum_eliminated_pmol"] + d["cum_filtered_pmol"], label="eliminated")
    ax[2].plot(t, stored, label="stored")
    ax[2].plot(t, d["balance_pmol"], "k--", label="in - out - elim. - stored")
    ax[2].set_ylabel("cumulative amount [pmol]")
    ax[2].set_xlabel("time [s]")
    ax[2].legend()
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "perfusion.png"), dpi=110)


def read_vtu(path):
    """Points and point arrays of a deal.II VTU piece (zlib-compressed base64, one block)."""
    text = open(path).read()
    out = {}
    for m in re.finditer(r'<DataArray type="(\w+)"(?: Name="(\w+)")?(?: NumberOfComponents="(\d+)")?'
                         r' format="binary">\s*(\S+)\s*</DataArray>', text):
        typ, name, ncomp, blob = m.group(1), m.group(2) or "points", int(m.group(3) or 1), m.group(4)
        head = base64.b64decode(blob[:24])
        nblocks, _, _, csize = struct.unpack("<4I", head[:16])
        if nblocks != 1:
            continue
        raw = zlib.decompress(base64.b64decode(blob[24:])[:csize])
        dt = {"Float32": np.float32, "Float64": np.float64, "Int32": np.int32, "UInt8": np.uint8}[typ]
        out[name] = np.frombuffer(raw, dtype=dt).reshape(-1, ncomp) if ncomp > 1 else np.frombuffer(raw, dtype=dt)
    return out


def plot_fields(folder):
    pvtus = sorted(glob.glob(os.path.join(folder, "fields_*.pvtu")))
    if not pvtus:
        return
    stem = os.path.basename(pvtus[-1])[: -len(".pvtu")]
    pieces = [read_vtu(p) for p in sorted(glob.glob(os.path.join(folder, stem + ".*.vtu")))]
    known = [("pressure", "pressure [kPa]"), ("c_tissue", "tissue concentration [uM]"),
             ("p_arterial", "arterial pressure [kPa]"), ("p_venous", "venous pressure [kPa]")]
    fields = [(n, l) for n, l in known if pieces and all(n in p for p in pieces)]
    if not fields or any("points" not in p for p in pieces):
        return
    x = np.concatenate([p["points"] for p in pieces]).astype(float)
    c = x.mean(0)
    span = np.ptp(x, axis=0)
    width = max(span) / 30.0
    fig, ax = plt.subplots(len(fields), 2, figsize=(11, 4.6 * len(fields)), squeeze=False)
    for row, (name, label) in enumerate(fields):
        v = np.concatenate([p[name] for p in pieces]).astype(float)
        for col, (k, a, b) in enumerate(((2, 0, 1), (1, 0, 2))):
            sel = np.abs(x[:, k] - c[k]) < width
            sc = ax[row][col].scatter(x[sel, a], x[sel, b], c=v[sel], s=4, cmap="viridis")
            ax[row][col].set_aspect("equal")
            ax[row][col].set_xlabel("xyz"[a] + " [mm]")
            ax[row][col].set_ylabel("xyz"[b] + " [mm]")
            ax[row][col].set_title(f"{name}, slice {'xyz'[k]} = {c[k]:.0f} mm")
            fig.colorbar(sc, ax=ax[row][col], label=label)
    fig.tight_layout()
    fig.savefig(os.path.join(folder, "fields.png"), dpi=90)


if __name__ == "__main__":
    if sys.argv[1] == "--fields-only":  # perfusion_2c: no traces
        plot_fields(sys.argv[2])
    else:
        main(sys.argv[1])
        plot_fields(sys.argv[1])
