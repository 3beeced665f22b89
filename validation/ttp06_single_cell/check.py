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
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import single_cell_check as scc  # noqa: E402

CELL_TYPES = ["epi", "endo", "M"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20 beats, for ctest")
    ap.add_argument("--beats", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2, help="runs in parallel (the machine has 2 cores)")
    a = ap.parse_args()
    n = a.beats or (20 if a.quick else 300)
    steady_tol = 0.01 if (n >= 300 and not a.quick) else 0.1

    binary, status = scc.binary_or_exit_code("TTP06")
    if not binary:
        return status
    work = os.path.abspath("ttp06_single_cell_runs")
    last, wall = scc.run_all(binary, os.path.join(HERE, "deck.prm"), work, "TTP06", CELL_TYPES,
                             {sc: n for sc in scc.SCHEMES}, a.jobs, scc.last_beat_basic)

    checks = scc.reference_checks(os.path.join(HERE, "reference.csv"), CELL_TYPES, last, "{:.2f}")
    checks += scc.steady_checks(last, steady_tol)

    print(f"TTP06 single cell at 1 Hz, {n} beats; {len(last)} runs in {wall:.1f} s (results in {work})")
    for ct in CELL_TYPES:
        for sc in scc.SCHEMES:
            m = last[(ct, sc)]
            print(f"  {ct:4s} {sc:10s} V_rest {m['V_rest']:8.3f} mV  V_peak {m['V_peak']:6.2f} mV  "
                  f"dV/dt max {m['dVdt_max']:6.1f} mV/ms  APD30/50/90 {m['APD30']:6.1f} / {m['APD50']:6.1f} / "
                  f"{m['APD90']:6.2f} ms  (run {m['run_s']:.1f} s)")
    return scc.report(checks, work)


if __name__ == "__main__":
    sys.exit(main())
