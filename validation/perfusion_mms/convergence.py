#!/usr/bin/python3
"""Observed order of the perfusion transport discretisation on the manufactured solution
(validation/perfusion_mms/deck.prm): h and dt halved together (Crank-Nicolson, P1/Q1),
L2 errors of blood and tissue concentration at t = 0.5 s; expected order 2.
usage: convergence.py [--out DIR] [--levels N] [--tet] [--no-supg]   (env OT_BIN, OT_SOURCE_DIR)
Exit 1 if the last observed order is below 1.8 for the tissue (Galerkin, expected 2) or
below 1.5 for the SUPG-stabilised blood: with linear elements the SUPG residual misses the
diffusion term (Delta c_h = 0), an O(tau D) inconsistency; the SUPG L2 estimate is
O(h^{3/2}) (Johnson, Navert & Pitkaranta 1984) and 2 is reached only once Pe_h < 1.
With --no-supg (Galerkin) both limits are 1.8."""
import json, math, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
DECK = os.path.join(SRC, "validation", "perfusion_mms", "deck.prm")
args = sys.argv[1:]
out = args[args.index("--out") + 1] if "--out" in args else "."
levels = int(args[args.index("--levels") + 1]) if "--levels" in args else 3
tet = "--tet" in args
no_supg = "--no-supg" in args
min_order = (1.8 if no_supg else 1.5, 1.8)  # blood, tissue

rows = []
for k in range(levels):
    h, dt = 0.25 / 2 ** k, 0.1 / 2 ** k
    if tet:
        h *= 2  # each hex is split into 24 tetrahedra
    folder = os.path.join(out, f"mms_{k}")
    cmd = [BIN, "run", DECK, "-v", "0", "-s", f"Mesh/Element size={h!r}", "-s", f"Time/Time step={dt!r}",
           "-s", f"Output/Directory={folder}"] + (["-s", "Mesh/Element type=tet"] if tet else []) + \
          (["-s", "Solver/SUPG=false"] if no_supg else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    s = json.load(open(os.path.join(folder, "summary.json")))
    rows.append((h, dt, s["transport_dofs"], s["l2_error_blood"], s["l2_error_tissue"]))

lines = ["| h [mm] | dt [s] | DoFs | L2 error c_b | order | L2 error c_t | order |", "|---|---|---|---|---|---|---|"]
orders = []
for i, r in enumerate(rows):
    ob = ot = float("nan")
    if i > 0:
        ob = math.log(rows[i - 1][3] / r[3]) / math.log(2)
        ot = math.log(rows[i - 1][4] / r[4]) / math.log(2)
        orders = (ob, ot)
    lines.append(f"| {r[0]:g} | {r[1]:g} | {int(r[2])} | {r[3]:.3e} | {ob:.2f} | {r[4]:.3e} | {ot:.2f} |")
table = "\n".join(lines)
print(table)
with open(os.path.join(out, "convergence.md"), "w") as f:
    f.write(table + "\n")
ok = bool(orders) and orders[0] >= min_order[0] and orders[1] >= min_order[1]
print(("PASS" if ok else "FAIL") + f": last observed orders {orders} (required >= {min_order} for blood, tissue)")
sys.exit(0 if ok else 1)
