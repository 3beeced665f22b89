"""Helpers of the flow regression scripts: run a navier_stokes deck (optionally under mpirun)
and report named checks as 'N passed, N failed'."""
import json, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
MPIRUN = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()


def run(deck, out, args=(), ranks=1):
    """Run organtwin on deck into folder out; return its summary.json as a dict."""
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
