"""Shared helpers of the monodomain regression scripts: locate organtwin and the sources,
run a deck (optionally under mpirun), and report named checks in the 'N passed, N failed'
form that ctest logs show."""
import json, math, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
# CMake passes OT_MPIRUN as a list ("mpirun;--allow-run-as-root;..."): accept either separator
MPIRUN = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").replace(";", " ").split()
SHARED = os.environ.get("OT_SHARED", os.path.join(SRC, "..", "shared"))  # ../shared (data, meshes)
NIEDERER_DECK = os.path.join(SRC, "validation", "niederer2011", "deck.prm")


def run(deck, out, args=(), ranks=1):
    """Run organtwin on deck with extra args into folder out; return its summary.json."""
    cmd = ([*MPIRUN, "-np", str(ranks)] if ranks > 1 else []) + [BIN, "run", deck, "-v", "0", *args,
                                                                  "-s", f"Output/Directory={out}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return json.load(open(os.path.join(out, "summary.json")))


def report(checks):
    """checks: list of (name, ok, value). Prints them and exits 0 only if all passed."""
    fails = 0
    for name, ok, value in checks:
        print(("PASS" if ok else "FAIL") + f": {name}: {value}")
        fails += not ok
    print(f"{len(checks) - fails} passed, {fails} failed")
    sys.exit(1 if fails else 0)


def trace_error(times, values, ref_times, ref_values, t_min=-math.inf):
    """max over times >= t_min of |value - ref(t)| / max |ref|, the reference interpolated with
    the cubic through its 4 nearest samples (linear interpolation alone would add an error of
    the size the time-step studies measure). times ascending."""
    scale = max(abs(v) for v in ref_values)
    e, j = 0.0, 0
    for t, v in zip(times, values):
        if t < t_min - 1e-12:
            continue
        while j + 1 < len(ref_times) - 1 and ref_times[j + 1] < t:
            j += 1
        k = min(max(j - 1, 0), len(ref_times) - 4)
        xs, ys = ref_times[k:k + 4], ref_values[k:k + 4]
        q = sum(ys[m] * math.prod((t - xs[n]) / (xs[m] - xs[n]) for n in range(4) if n != m) for m in range(4))
        e = max(e, abs(v - q) / scale)
    return e
