#!/usr/bin/python3
"""Extraction ratio E of the FE perfusion model (steady state, linear sink) against the
parallel-tube, dispersion and well-stirred models (Pang & Rowland 1977; Roberts & Rowland
1986). For each efficiency number R_N and regime the deck is run with
  plug flow:   Blood dispersion = 0                -> compared with E_pt = 1 - exp(-R_N)
  dispersion:  D_N = 0.17 (Roberts & Rowland 1986) -> compared with the dispersion model
  well mixed:  D_N = 100                           -> compared with E_ws = R_N / (1 + R_N)
and Michaelis-Menten at saturation (c_in = 2 Km) in plug flow and well mixed against the
closed-form parallel-tube and well-stirred solutions (columns E parallel tube / E well-stirred
hold the MM values there; R_N is the linear-limit fu_b Vmax/(Km Q)).
Analytic values are computed here from the deck inputs and the flow the solver reports.
The balance residual (in - out - eliminated)/in must be < 1e-8 (GMRES tolerance 1e-12: the
balance of the discrete scheme holds to the Krylov error, which the stiff PS = 1e5 CLint
rows amplify).
usage: compare.py [--out DIR] [--quick] [--tet]   (env OT_BIN, OT_SOURCE_DIR)
Exit 1 if a run fails or a comparison misses its tolerance."""
import json, math, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
DECK = os.path.join(SRC, "validation", "perfusion_extraction", "deck.prm")
args = sys.argv[1:]
out = args[args.index("--out") + 1] if "--out" in args else "."
quick = "--quick" in args
tet = "--tet" in args

FU_B = 0.5
PHI_B = 0.2
L, A = 20.0, 4.0           # mm, mm^2
Q_MM3_S = 1.0 * 1.0 / L * A  # K dp / L * A = 0.2 mm^3/s
Q_L_H = Q_MM3_S * 3600 / 1e6
PS_FACTOR = 1000.0          # PS = 1000 CLint (fast exchange; kept in the analytic CL_u)
TOL = {"plug": 0.02, "dispersion": 0.01, "well-mixed": 0.02}  # relative, on E


def e_ws(r): return r / (1 + r)
def e_pt(r): return 1 - math.exp(-r)
def e_disp(r, d):
    a = math.sqrt(1 + 4 * r * d)
    return 1 - 4 * a / ((1 + a) ** 2 * math.exp((a - 1) / (2 * d)) - (1 - a) ** 2 * math.exp(-(a + 1) / (2 * d)))


def mm_parallel_tube(c_in, km, a):
    """Outlet unbound concentration of a plug-flow organ with Michaelis-Menten elimination and
    instant blood-tissue equilibrium: Km ln(c_in/c) + (c_in - c) = a = fu_b Vmax / Q (Newton)."""
    c = c_in * math.exp(-a / (km + c_in))
    for _ in range(100):
        f = km * math.log(c_in / c) + (c_in - c) - a
        c_new = c - f / (-km / c - 1.0)
        c_new = max(c_new, 1e-3 * c)
        if abs(c_new - c) < 1e-15 * c_in:
            break
        c = c_new
    return c


def mm_well_stirred(c_in, km, a):
    """(c_in - c)(Km + c) = a c: the positive root."""
    b = km + a - c_in
    return (-b + math.sqrt(b * b + 4 * c_in * km)) / 2


def run(tag, clint, ps, dispersion, extra=()):
    folder = os.path.join(out, f"run_{tag}")
    cmd = [BIN, "run", DECK, "-v", "0", "-s", f"Drug/Intrinsic clearance={clint!r}",
           "-s", f"Drug/Permeability-surface product={ps!r}", "-s", f"Drug/Blood dispersion={dispersion!r}",
           "-s", f"Output/Directory={folder}", "-s", "Solver/Transport tolerance=1e-12", *extra]
    if tet:
        cmd += ["-s", "Mesh/Element type=tet", "-s", "Mesh/Element size=1"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return json.load(open(os.path.join(folder, "summary.json")))


rows, fails = [], 0
r_values = [1.0] if quick else [0.5, 1.0, 3.0]
for r_target in r_values:
    clint = r_target * Q_L_H / FU_B
    ps = PS_FACTOR * clint
    for regime, d_n in (("plug", 0.0), ("dispersion", 0.17), ("well-mixed", 100.0)):
        # D_N = phi_b D_b / (u L), u = Q / A
        d_b = d_n * (Q_MM3_S / A) * L / PHI_B
        s = run(f"R{r_target}_{regime}", clint, ps, d_b)
        q = s["blood_flow_L_per_h"]
        cl_u = ps * clint / (ps + clint)
        r_n = FU_B * cl_u / q
        e_fe = s["extraction_ratio"]
        ref = e_pt(r_n) if regime == "plug" else (e_disp(r_n, d_n) if regime == "dispersion" else e_ws(r_n))
        err = (e_fe - ref) / ref
        ok = abs(err) <= TOL[regime] and abs(s["balance_residual_relative"]) < 1e-8
        fails += not ok
        rows.append((r_n, regime, d_n, e_fe, e_pt(r_n), e_disp(r_n, d_n) if d_n > 0 else e_pt(r_n), e_ws(r_n), ref,
                     err, s["balance_residual_relative"], q / Q_L_H - 1, ok))

# Michaelis-Menten at saturation (c_in = 2 Km): no clearance is linear here, but plug flow and
# the well-mixed limit have closed forms (a = fu_b Vmax / Q in uM). PS = 1e5 Vmax/Km, so that
# the vessel wall does not limit (its effect is not in the closed forms).
C_IN, KM, A_MM = 1.0, 0.5, 1.0
vmax_pmol_s = A_MM * Q_MM3_S / FU_B                     # uM mm^3/s = pmol/s
vmax_umol_min = vmax_pmol_s * 60 / 1e6
ps_mm = 1e5 * vmax_pmol_s / KM * 3600 / 1e6             # L/h
for regime, d_n in (("MM plug", 0.0), ("MM well-mixed", 100.0)):
    d_b = d_n * (Q_MM3_S / A) * L / PHI_B
    s = run(f"MM_{regime.split()[1]}", 0.0, ps_mm, d_b,
            ["-s", "Drug/Kinetics=michaelis_menten", "-s", f"Drug/Vmax={vmax_umol_min!r}", "-s", f"Drug/Km={KM!r}"])
    c_out = mm_parallel_tube(C_IN, KM, A_MM) if d_n == 0 else mm_well_stirred(C_IN, KM, A_MM)
    ref = 1 - c_out / C_IN
    e_fe = s["extraction_ratio"]
    err = (e_fe - ref) / ref
    ok = abs(err) <= 0.02 and abs(s["balance_residual_relative"]) < 1e-8
    fails += not ok
    lin = A_MM / KM  # R_N of the linear limit (c << Km)
    rows.append((lin, regime + f" (c_in/Km = {C_IN / KM:g}, Picard {s['picard_iterations']})", d_n, e_fe,
                 1 - mm_parallel_tube(C_IN, KM, A_MM) / C_IN, float("nan"),
                 1 - mm_well_stirred(C_IN, KM, A_MM) / C_IN, ref, err, s["balance_residual_relative"],
                 s["blood_flow_L_per_h"] / Q_L_H - 1, ok))

head = ("| R_N | regime | D_N | E (FE) | E parallel tube | E dispersion | E well-stirred | reference | "
        "rel. error | balance residual | Q error | ok |")
lines = [head, "|" + "---|" * 12]
for r in rows:
    lines.append(f"| {r[0]:.4f} | {r[1]} | {r[2]:g} | {r[3]:.5f} | {r[4]:.5f} | {r[5]:.5f} | {r[6]:.5f} | {r[7]:.5f} | "
                 f"{100 * r[8]:+.4f} % | {r[9]:.1e} | {r[10]:.1e} | {'PASS' if r[11] else 'FAIL'} |")
table = "\n".join(lines)
print(table)
with open(os.path.join(out, "results.md"), "w") as f:
    f.write(table + "\n")
print(f"{len(rows) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
