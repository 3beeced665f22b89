#!/usr/bin/python3
"""ToR-ORd single-cell validation: endo, M and epi cells paced at 1 Hz.

For each cell type the deck is run with Rush-Larsen (dt 0.01 ms) and with CVODE
(rtol 1e-8, atol 1e-10), starting from the model's stored 1 Hz steady state. The last
beat is compared with reference.csv (resting potential, diastolic Ca and Na/JSR
content of the released model's steady state, APD90 range and transmural order,
Rush-Larsen vs CVODE within 1 %), the Ca transient and the cost per beat are reported.

Usage (from any folder; results go to ./tor_ord_single_cell_runs):
  check.py              full run: 1000 beats Rush-Larsen, 100 beats CVODE
  check.py --quick      ctest: 3 beats with each scheme
  check.py --beats N    N beats with each scheme
Environment: OT_BIN = the organtwin binary (default: organtwin on PATH).
Exit status: 0 all checks pass, 1 a check failed, 77 ToRORd is not registered (skip).
"""
import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import single_cell_check as scc  # noqa: E402

CELL_TYPES = ["endo", "M", "epi"]
QUANTITIES = ("V_rest", "V_peak", "dVdt_max", "APD30", "APD50", "APD90", "Cai_diastolic", "Cai_peak",
              "CaT_amplitude", "Nai", "wall_per_beat_ms")


def last_beat(out, rows, beats, wall):
    """The last beat plus the Ca transient and Na/JSR content from trace.csv and the cost per beat."""
    m = scc.last_beat_basic(out, rows, beats, wall)
    with open(os.path.join(out, "trace.csv"), newline="") as f:
        trace = list(csv.DictReader(f))
    cai = [float(r["Cai_mM"]) for r in trace]
    m["Cai_diastolic"] = 1e6 * cai[0]          # nM, just before the stimulus
    m["Cai_peak"] = 1e6 * max(cai)             # nM
    m["CaT_amplitude"] = m["Cai_peak"] - m["Cai_diastolic"]
    m["Nai"] = float(trace[0]["Nai_mM"])
    m["Cajsr"] = float(trace[0]["Cajsr_mM"])
    with open(os.path.join(out, "summary.json")) as f:
        m["wall_per_beat_ms"] = 1e3 * json.load(f)["wall_time_s"] / beats
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 beats with each scheme, for ctest")
    ap.add_argument("--beats", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2, help="runs in parallel (the machine has 2 cores)")
    a = ap.parse_args()
    if a.quick:
        beats = {"RushLarsen": 3, "CVODE": 3}
    elif a.beats:
        beats = {"RushLarsen": a.beats, "CVODE": a.beats}
    else:
        beats = {"RushLarsen": 1000, "CVODE": 100}

    binary, status = scc.binary_or_exit_code("ToRORd")
    if not binary:
        return status
    work = os.path.abspath("tor_ord_single_cell_runs")
    last, wall = scc.run_all(binary, os.path.join(HERE, "deck.prm"), work, "ToRORd", CELL_TYPES, beats,
                             a.jobs, last_beat)

    checks = scc.reference_checks(os.path.join(HERE, "reference.csv"), CELL_TYPES, last)
    # quick mode: the stored states are the Rush-Larsen limit cycle; CVODE relaxes from it to
    # its own (M: APD90 0.7 ms longer) over the first beats, by up to ~0.15 ms per beat
    checks += scc.steady_checks(last, 0.5 if a.quick else 0.01)

    print(f"ToR-ORd single cell at 1 Hz, beats {beats}; {len(last)} runs in {wall:.1f} s (results in {work})")
    for ct in CELL_TYPES:
        for sc in scc.SCHEMES:
            m = last[(ct, sc)]
            print(f"  {ct:4s} {sc:10s} V_rest {m['V_rest']:8.3f} mV  V_peak {m['V_peak']:6.2f} mV  "
                  f"dV/dt max {m['dVdt_max']:6.1f} mV/ms  APD30/50/90 {m['APD30']:6.1f} / {m['APD50']:6.1f} / "
                  f"{m['APD90']:6.2f} ms  Cai {m['Cai_diastolic']:5.1f} -> {m['Cai_peak']:6.1f} nM "
                  f"(amplitude {m['CaT_amplitude']:6.1f} nM)  Nai {m['Nai']:.3f} mM  "
                  f"cost {m['wall_per_beat_ms']:.0f} ms/beat")
    extra = [[], ["cell", "scheme", "V_rest", "V_peak", "dVdt_max", "APD30", "APD50", "APD90", "Cai_diastolic_nM",
                  "Cai_peak_nM", "CaT_amplitude_nM", "Nai_mM", "wall_per_beat_ms"]]
    extra += [[ct, sc] + [f"{m[k]:.6g}" for k in QUANTITIES] for (ct, sc), m in sorted(last.items())]
    return scc.report(checks, work, extra)


if __name__ == "__main__":
    sys.exit(main())
