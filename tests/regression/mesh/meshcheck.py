"""Helpers of the mesh regression scripts: run `organtwin mesh` (optionally under mpirun)
and report named checks."""
import json, os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import BIN, MPIRUN, SHARED, SRC, report  # noqa: E402,F401  (shared with the other regression scripts)


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
