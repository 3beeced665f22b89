#!/usr/bin/python3
"""TTP06 single-cell validation: epi, endo and M cells paced at 1 Hz.

For each cell type the deck is run twice, with Rush-Larsen (dt 0.01 ms) and with
CVODE (rtol 1e-8), and the last beat is compared with reference.csv:
  - V_rest and APD90 against the published values (tolerances in reference.csv),
  - APD90 of Rush-Larsen against CVODE (within 1 %),
  - steady state: |APD90(last) - APD90(last-1)| below the criterion of the mode.

Usage (from any folder; results go to ./ttp06_single_cell_runs):
  check.py               full run: 300 beats, steady state = APD90 change < 0.01 ms
  check.py --quick       ctest:     20 beats, steady state = APD90 change < 0.1 ms
  check.py --beats N     N beats, criterion 0.1 ms
Environment: OT_BIN = the organtwin binary (default: organtwin on PATH).
Exit status: 0 all checks pass, 1 a check failed, 77 TTP06 is not registered (skip).
"""
import argparse
import concurrent.futures
import csv
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CELL_TYPES = ["epi", "endo", "M"]


def run(binary, deck, out, cell_type, scheme, beats):
    args = [binary, "cell", deck, "-v", "0",
            "-s", f"Ionic model/TTP06/Cell type={cell_type}",
            "-s", f"Time integration/Scheme={scheme}",
            "-s", f"Pacing/Number of beats={beats}",
            "-s", f"Output/Directory={out}"]
    t0 = time.time()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({p.returncode}):\n{p.stdout}")
    with open(os.path.join(out, "beats.csv"), newline="") as f:
        beats_rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    return beats_rows, time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20 beats, for ctest")
    ap.add_argument("--beats", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2, help="runs in parallel (the machine has 2 cores)")
    a = ap.parse_args()
    beats = a.beats or (20 if a.quick else 300)
    steady_tol = 0.01 if (beats >= 300 and not a.quick) else 0.1

    binary = os.environ.get("OT_BIN") or shutil.which("organtwin")
    if not binary:
        print("check.py: set OT_BIN to the organtwin binary")
        return 1
    probe = subprocess.run([binary, "params", "TTP06"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        print("SKIP: the ionic model TTP06 is not registered in this build")
        return 77

    deck = os.path.join(HERE, "deck.prm")
    work = os.path.abspath("ttp06_single_cell_runs")
    os.makedirs(work, exist_ok=True)

    jobs = {}
    t_start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        for ct in CELL_TYPES:
            for scheme in ("RushLarsen", "CVODE"):
                out = os.path.join(work, f"{ct}_{scheme}")
                jobs[(ct, scheme)] = ex.submit(run, binary, deck, out, ct, scheme, beats)
        results = {k: f.result() for k, f in jobs.items()}
    wall = time.time() - t_start

    with open(os.path.join(HERE, "reference.csv"), newline="") as f:
        ref = list(csv.DictReader(f))

    last = {k: r[0][-1] for k, r in results.items()}
    change = {k: r[0][-1]["APD90"] - r[0][-2]["APD90"] if len(r[0]) > 1 else math.nan
              for k, r in results.items()}

    checks = []  # (name, value, expected, ok)

    def add(name, value, expected, ok):
        checks.append((name, value, expected, bool(ok)))

    for row in ref:
        q, kind = row["quantity"], row["tolerance_kind"]
        val, tol = float(row["value"]), float(row["tolerance"])
        types = CELL_TYPES if row["cell_type"] == "all" else [row["cell_type"]]
        for ct in types:
            rl, cv = last[(ct, "RushLarsen")], last[(ct, "CVODE")]
            if q == "APD90_RL_vs_CVODE":
                rel = abs(rl["APD90"] - cv["APD90"]) / cv["APD90"]
                add(f"{ct}: APD90 RL {rl['APD90']:.2f} vs CVODE {cv['APD90']:.2f} ms", f"{100 * rel:.3f} %",
                    f"< {100 * tol:g} %", rel < tol)
            elif q == "APD90_minus_epi_APD90":
                d = rl["APD90"] - last[("epi", "RushLarsen")]["APD90"]
                add(f"{ct}: APD90 - epi APD90", f"{d:.1f} ms", "> 0 ms", d > val)
            else:
                for scheme, m in (("RL", rl), ("CVODE", cv)):
                    x = m[q]
                    if kind == "absolute":
                        ok, exp = abs(x - val) <= tol, f"{val:g} +- {tol:g} {row['unit']}"
                    elif kind == "relative":
                        ok, exp = abs(x - val) <= tol * abs(val), f"{val:g} {row['unit']} +- {100 * tol:g} %"
                    else:
                        raise SystemExit(f"reference.csv: unknown tolerance_kind {kind}")
                    add(f"{ct} ({scheme}): {q}", f"{x:.2f} {row['unit']}", exp, ok)
    for (ct, scheme), d in sorted(change.items()):
        add(f"{ct} ({scheme}): steady state, APD90 change over the last beat", f"{d:+.4f} ms",
            f"|change| < {steady_tol:g} ms", abs(d) < steady_tol)

    width = max(len(c[0]) for c in checks)
    print(f"TTP06 single cell at 1 Hz, {beats} beats; {len(results)} runs in {wall:.1f} s (results in {work})")
    for ct in CELL_TYPES:
        for scheme in ("RushLarsen", "CVODE"):
            m = last[(ct, scheme)]
            print(f"  {ct:4s} {scheme:10s} V_rest {m['V_rest']:8.3f} mV  V_peak {m['V_peak']:6.2f} mV  "
                  f"dV/dt max {m['dVdt_max']:6.1f} mV/ms  APD30/50/90 {m['APD30']:6.1f} / {m['APD50']:6.1f} / "
                  f"{m['APD90']:6.2f} ms  (run {results[(ct, scheme)][1]:.1f} s)")
    n_fail = 0
    for name, value, expected, ok in checks:
        n_fail += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {name:{width}s}  {value:>14s}  expected {expected}")
    with open(os.path.join(work, "validation_report.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["check", "value", "expected", "pass"])
        for c in checks:
            w.writerow(c)
    print(f"{len(checks) - n_fail} passed, {n_fail} failed")
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
