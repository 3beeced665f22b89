"""Helpers of the mesh regression scripts: run `organtwin mesh` (optionally under mpirun)
and report named checks."""
import json, os, subprocess, sys

SRC = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
BIN = os.environ.get("OT_BIN", "organtwin")
SHARED = os.environ.get("OT_SHARED", os.path.join(SRC, "..", "shared"))
MPIRUN = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()


def mesh(deck, out, args=(), ranks=1, expect_fail=False):
    """organtwin mesh deck into folder out; returns (report.json or None, output text)."""
    cmd = ([*MPIRUN, "-np", str(ranks)] if ranks > 1 else []) + [BIN, "mesh", deck, *args,
                                                                  "-s", f"Output/Directory={out}"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    text = p.stdout + p.stderr
    if expect_fail:
        return None, text, p.returncode
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{text}")
    return json.load(open(os.path.join(out, "report.json"))), text, 0


def report(checks):
    fails = 0
    for name, ok, value in checks:
        print(("PASS" if ok else "FAIL") + f": {name}: {value}")
        fails += not ok
    print(f"{len(checks) - fails} passed, {fails} failed")
    sys.exit(1 if fails else 0)
