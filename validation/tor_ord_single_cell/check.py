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
import concurrent.futures
import csv
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CELL_TYPES = ["endo", "M", "epi"]
SCHEMES = ["RushLarsen", "CVODE"]


def run(binary, deck, out, cell_type, scheme, beats):
    args = [binary, "cell", deck, "-v", "0",
            "-s", f"Ionic model/ToRORd/Cell type={cell_type}",
            "-s", f"Time integration/Scheme={scheme}",
            "-s", f"Pacing/Number of beats={beats}",
            "-s", f"Output/Directory={out}"]
    t0 = time.time()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({p.returncode}):\n{p.stdout}")
    with open(os.path.join(out, "beats.csv"), newline="") as f:
        beats_rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    last = dict(beats_rows[-1])
    last["beats_rows"] = beats_rows
    last["APD90_change"] = beats_rows[-1]["APD90"] - beats_rows[-2]["APD90"] if len(beats_rows) > 1 else float("nan")
    with open(os.path.join(out, "trace.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    cai = [float(r["Cai_mM"]) for r in rows]
    last["Cai_diastolic"] = 1e6 * cai[0]          # nM, just before the stimulus
    last["Cai_peak"] = 1e6 * max(cai)             # nM
    last["CaT_amplitude"] = last["Cai_peak"] - last["Cai_diastolic"]
    last["Nai"] = float(rows[0]["Nai_mM"])
    last["Cajsr"] = float(rows[0]["Cajsr_mM"])
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    last["wall_per_beat_ms"] = 1e3 * s["wall_time_s"] / beats
    return last, time.time() - t0


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

    binary = os.environ.get("OT_BIN") or shutil.which("organtwin")
    if not binary:
        print("check.py: set OT_BIN to the organtwin binary")
        return 1
    probe = subprocess.run([binary, "params", "ToRORd"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        print("SKIP: the ionic model ToRORd is not registered in this build")
        return 77

    deck = os.path.join(HERE, "deck.prm")
    work = os.path.abspath("tor_ord_single_cell_runs")
    os.makedirs(work, exist_ok=True)
    t_start = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        jobs = {(ct, sc): ex.submit(run, binary, deck, os.path.join(work, f"{ct}_{sc}"), ct, sc, beats[sc])
                for ct in CELL_TYPES for sc in SCHEMES}
        results = {k: f.result() for k, f in jobs.items()}
    wall = time.time() - t_start
    last = {k: r[0] for k, r in results.items()}

    with open(os.path.join(HERE, "reference.csv"), newline="") as f:
        ref = list(csv.DictReader(f))

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
                # same beat number for both schemes (the full run paces CVODE for fewer beats)
                k = min(len(rl["beats_rows"]), len(cv["beats_rows"])) - 1
                a_rl, a_cv = rl["beats_rows"][k]["APD90"], cv["beats_rows"][k]["APD90"]
                rel = abs(a_rl - a_cv) / a_cv
                add(f"{ct}: APD90 beat {k + 1} RL {a_rl:.2f} vs CVODE {a_cv:.2f} ms", f"{100 * rel:.3f} %",
                    f"< {100 * tol:g} %", rel < tol)
            elif q.startswith("APD90_minus_"):
                other = q[len("APD90_minus_"):].split("_")[0]
                d = rl["APD90"] - last[(other, "RushLarsen")]["APD90"]
                add(f"{ct}: APD90 - {other} APD90", f"{d:.1f} ms", "> 0 ms", d > val)
            else:
                for sc, m in (("RL", rl), ("CVODE", cv)):
                    x = m[q]
                    if kind == "absolute":
                        ok, exp = abs(x - val) <= tol, f"{val:g} +- {tol:g} {row['unit']}"
                    elif kind == "relative":
                        ok, exp = abs(x - val) <= tol * abs(val), f"{val:g} {row['unit']} +- {100 * tol:g} %"
                    elif kind == "range":
                        ok, exp = val <= x <= tol, f"{val:g} .. {tol:g} {row['unit']}"
                    else:
                        raise SystemExit(f"reference.csv: unknown tolerance_kind {kind}")
                    add(f"{ct} ({sc}): {q}", f"{x:.4g} {row['unit']}", exp, ok)
    # quick mode: the stored states are the Rush-Larsen limit cycle; CVODE relaxes from it to
    # its own (M: APD90 0.7 ms longer) over the first beats, by up to ~0.15 ms per beat
    steady_tol = 0.5 if a.quick else 0.01
    for (ct, sc), m in sorted(last.items()):
        add(f"{ct} ({sc}): APD90 change over the last beat", f"{m['APD90_change']:+.4f} ms",
            f"|change| < {steady_tol:g} ms", abs(m["APD90_change"]) < steady_tol)

    print(f"ToR-ORd single cell at 1 Hz, beats {beats}; {len(results)} runs in {wall:.1f} s (results in {work})")
    for ct in CELL_TYPES:
        for sc in SCHEMES:
            m = last[(ct, sc)]
            print(f"  {ct:4s} {sc:10s} V_rest {m['V_rest']:8.3f} mV  V_peak {m['V_peak']:6.2f} mV  "
                  f"dV/dt max {m['dVdt_max']:6.1f} mV/ms  APD30/50/90 {m['APD30']:6.1f} / {m['APD50']:6.1f} / "
                  f"{m['APD90']:6.2f} ms  Cai {m['Cai_diastolic']:5.1f} -> {m['Cai_peak']:6.1f} nM "
                  f"(amplitude {m['CaT_amplitude']:6.1f} nM)  Nai {m['Nai']:.3f} mM  "
                  f"cost {m['wall_per_beat_ms']:.0f} ms/beat")
    width = max(len(c[0]) for c in checks)
    n_fail = 0
    for name, value, expected, ok in checks:
        n_fail += not ok
        print(f"  {'ok  ' if ok else 'FAIL'} {name:{width}s}  {value:>14s}  expected {expected}")
    with open(os.path.join(work, "validation_report.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["check", "value", "expected", "pass"])
        for c in checks:
            w.writerow(c)
        w.writerow([])
        w.writerow(["cell", "scheme", "V_rest", "V_peak", "dVdt_max", "APD30", "APD50", "APD90", "Cai_diastolic_nM",
                    "Cai_peak_nM", "CaT_amplitude_nM", "Nai_mM", "wall_per_beat_ms"])
        for (ct, sc), m in sorted(last.items()):
            w.writerow([ct, sc] + [f"{m[k]:.6g}" for k in ("V_rest", "V_peak", "dVdt_max", "APD30", "APD50", "APD90",
                                                          "Cai_diastolic", "Cai_peak", "CaT_amplitude", "Nai",
                                                          "wall_per_beat_ms")])
    print(f"{len(checks) - n_fail} passed, {n_fail} failed")
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
