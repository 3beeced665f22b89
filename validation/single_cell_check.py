"""Shared driver of the single-cell validation scripts (validation/*_single_cell/check.py).

Each script runs `organtwin cell deck.prm` for every (cell type, scheme) pair of one ionic
model, reads the per-beat table `beats.csv`, compares the last beat with the script folder's
`reference.csv` and prints/writes a pass/fail table. What differs between models (beats,
steady-state criterion, extra quantities from the trace) stays in the scripts.

reference.csv columns: quantity, cell_type ("all" or one type), value, tolerance,
tolerance_kind ("absolute", "relative", "range" = value .. tolerance), unit. Special
quantities: APD90_RL_vs_CVODE (relative difference of the schemes at the same beat) and
APD90_minus_<type>_APD90 (APD90 of the row's type longer than that of <type>).
"""
import concurrent.futures
import csv
import os
import shutil
import subprocess
import time

SCHEMES = ["RushLarsen", "CVODE"]


def binary_or_exit_code(model):
    """The organtwin binary (OT_BIN or PATH), or an exit code: 1 not found, 77 model absent."""
    binary = os.environ.get("OT_BIN") or shutil.which("organtwin")
    if not binary:
        print("check.py: set OT_BIN to the organtwin binary")
        return None, 1
    probe = subprocess.run([binary, "params", model], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if probe.returncode != 0:
        print(f"SKIP: the ionic model {model} is not registered in this build")
        return None, 77
    return binary, 0


def run_cell(binary, deck, out, model, cell_type, scheme, beats):
    """One single-cell run; returns (rows of beats.csv as floats, wall time in s)."""
    args = [binary, "cell", deck, "-v", "0",
            "-s", f"Ionic model/{model}/Cell type={cell_type}",
            "-s", f"Time integration/Scheme={scheme}",
            "-s", f"Pacing/Number of beats={beats}",
            "-s", f"Output/Directory={out}"]
    t0 = time.time()
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({p.returncode}):\n{p.stdout}")
    with open(os.path.join(out, "beats.csv"), newline="") as f:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    return rows, time.time() - t0


def run_all(binary, deck, work, model, cell_types, beats, jobs, last_beat):
    """Runs every (cell type, scheme); beats[scheme] beats each. last_beat(out, rows, beats, wall)
    turns one run into the dict of last-beat quantities (it must keep 'beats_rows' and
    'APD90_change'). Returns ({(type, scheme): dict}, total wall time in s)."""
    os.makedirs(work, exist_ok=True)

    def one(ct, sc):
        out = os.path.join(work, f"{ct}_{sc}")
        rows, wall = run_cell(binary, deck, out, model, ct, sc, beats[sc])
        return last_beat(out, rows, beats[sc], wall)

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        futures = {(ct, sc): ex.submit(one, ct, sc) for ct in cell_types for sc in SCHEMES}
        last = {k: f.result() for k, f in futures.items()}
    return last, time.time() - t0


def last_beat_basic(out, rows, beats, wall):
    """The last row of beats.csv plus the beat table, the APD90 change over the last beat and
    the run's wall time."""
    m = dict(rows[-1])
    m["beats_rows"] = rows
    m["APD90_change"] = rows[-1]["APD90"] - rows[-2]["APD90"] if len(rows) > 1 else float("nan")
    m["run_s"] = wall
    return m


def reference_checks(reference_csv, cell_types, last, value_format="{:.4g}"):
    """Compares the last beats with reference.csv; returns [(name, value, expected, ok)]."""
    with open(reference_csv, newline="") as f:
        ref = list(csv.DictReader(f))
    checks = []

    def add(name, value, expected, ok):
        checks.append((name, value, expected, bool(ok)))

    for row in ref:
        q, kind = row["quantity"], row["tolerance_kind"]
        val, tol = float(row["value"]), float(row["tolerance"])
        types = cell_types if row["cell_type"] == "all" else [row["cell_type"]]
        for ct in types:
            rl, cv = last[(ct, "RushLarsen")], last[(ct, "CVODE")]
            if q == "APD90_RL_vs_CVODE":
                # the same beat number for both schemes (a run may pace CVODE for fewer beats)
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
                        raise SystemExit(f"{reference_csv}: unknown tolerance_kind {kind}")
                    add(f"{ct} ({sc}): {q}", f"{value_format.format(x)} {row['unit']}", exp, ok)
    return checks


def steady_checks(last, tol):
    """|APD90(last) - APD90(last - 1)| < tol [ms] for every run."""
    return [(f"{ct} ({sc}): APD90 change over the last beat", f"{m['APD90_change']:+.4f} ms",
             f"|change| < {tol:g} ms", abs(m["APD90_change"]) < tol)
            for (ct, sc), m in sorted(last.items())]


def report(checks, work, extra_rows=()):
    """Prints the checks, writes work/validation_report.csv (checks, then extra_rows), returns
    the exit status (0 all pass, 1 otherwise)."""
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
        for r in extra_rows:
            w.writerow(r)
    print(f"{len(checks) - n_fail} passed, {n_fail} failed")
    return 1 if n_fail else 0
