#!/usr/bin/env python3
"""RCR Windkessel outlet (channel.prm, transient BDF2, triangular inflow waveform 0.05-0.15
mm^2/ms with period 20 ms, Rp = 0.02, C = 50, Rd = 0.2 (tau = Rd C = 10 ms), Pc(0) = 0.01 kPa).
The solver couples the 0D model explicitly: P_n = Rp Q_n + Pc_(n-1), Pc_n = Pc_(n-1) + dt/C
(Q_n - Pc_(n-1)/Rd). The test takes the outlet flow Q_n the solver computed, integrates
C dPc/dt = Q - Pc/Rd exactly for Q linear between steps (closed form), and compares the
capacitor pressure Pc = P_n - Rp Q_n written by the solver with it. The coupling is first
order (Euler with the end-of-step flow: leading error Rd dt/2 |dQ/dt| = 5e-4 kPa at dt = 0.5 ms,
which the error must not exceed; 4.5 % of the pressure range): the error must halve with dt (observed order in [0.8, 1.2]), and the Richardson
extrapolation 2 Pc(dt/2) - Pc(dt) must match the closed form within 0.5 % of the range. The applied outlet pressure is also checked against the mean
outlet pressure of the field (within 1 % of the range: the profile is not exactly parabolic
at this Womersley number)."""
import csv, math, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
import otcheck  # noqa: E402  (the shared run/report helpers)

deck = os.path.join(otcheck.SRC, "tests", "regression", "flow", "channel.prm")
Rp, C, Rd, Pc0 = 0.02, 50.0, 0.2, 0.01
tau = Rd * C
wave = "0,0.05; 10,0.15; 20,0.05"


def run(dt):
    out = f"rcr_dt{dt}"
    otcheck.run(deck, out, ["-s", "Mesh/Refinements=0", "-s", "Boundary conditions/Outlet model=RCR",
                            "-s", f"Boundary conditions/RCR={Rp},{C},{Rd},{Pc0}",
                            "-s", f"Boundary conditions/Waveform={wave}", "-s", "Time/Mode=transient",
                            "-s", f"Time/Time step={dt}", "-s", "Time/End time=30"])
    rows = list(csv.DictReader(open(os.path.join(out, "flow.csv"))))
    t = [0.0] + [float(r["t_ms"]) for r in rows]
    q = [0.05] + [float(r["Q_1"]) for r in rows]            # Q(0): the prescribed inflow at t = 0
    pout = [float(r["Pout_1"]) for r in rows]
    pmean = [float(r["pmean_1"]) for r in rows]
    # Solver's capacitor pressure at t_(n-1): Pc = P_n - Rp Q_n.
    pc_num = [pout[n] - Rp * q[n + 1] for n in range(len(pout))]
    # Closed form for Q linear on [t_k, t_k+1]: Pc = Rd (Q(s) - tau m) + (Pc_k - Rd (Q_k - tau m)) e^(-s/tau).
    pc_ex = [Pc0]
    for k in range(len(t) - 2):
        h = t[k + 1] - t[k]
        m = (q[k + 1] - q[k]) / h
        part0, part1 = Rd * (q[k] - tau * m), Rd * (q[k + 1] - tau * m)
        pc_ex.append(part1 + (pc_ex[-1] - part0) * math.exp(-h / tau))
    err = max(abs(a - b) for a, b in zip(pc_num, pc_ex))
    rng = max(pc_ex) - min(pc_ex)
    perr = max(abs(a - b) for a, b in zip(pout, pmean))
    return err, rng, perr, min(q), max(q), dict(zip(t[:-1], pc_num)), dict(zip(t[:-1], pc_ex))


e1, rng, perr1, qmin, qmax, pc1, ex1 = run(1.0)
e2, _, perr2, _, _, pc2, _ = run(0.5)
order = math.log(e1 / e2, 2)
bound = Rd * 0.5 / 2 * 0.01   # max |dQ/dt| = 0.1 / 10 mm^2/ms^2
rich = max(abs(2 * pc2[tk] - pc1[tk] - ex1[tk]) for tk in pc1)
otcheck.report([
    ("outlet flow follows the waveform 0.05..0.15", abs(qmin - 0.05) < 1e-3 and abs(qmax - 0.15) < 1e-3,
     f"Q_out in [{qmin:.5f}, {qmax:.5f}]"),
    ("Pc vs closed form below the leading-order estimate Rd dt/2 max|dQ/dt| at dt = 0.5 ms", e2 < bound,
     f"max |err| {e2:.3e} kPa vs {bound:.3e} ({100 * e2 / rng:.2f} % of the range {rng:.4f}); dt = 1: {e1:.3e}"),
    ("explicit coupling first order (0.8..1.2)", 0.8 < order < 1.2, f"observed order {order:.3f}"),
    ("Richardson 2 Pc(dt/2) - Pc(dt) vs closed form < 0.5 % of range", rich < 0.005 * rng,
     f"max |err| {rich:.2e} kPa ({100 * rich / rng:.3f} %)"),
    ("applied outlet P = mean outlet pressure (1 % of range)", max(perr1, perr2) < 0.01 * rng,
     f"max |P - pmean| {max(perr1, perr2):.2e} kPa"),
])
