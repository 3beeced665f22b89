"""Shared helpers of the monodomain regression scripts: locate organtwin and the sources,
run a deck (optionally under mpirun), and report named checks in the 'N passed, N failed'
form that ctest logs show."""
import json, os, subprocess, sys

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
