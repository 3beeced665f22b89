#!/usr/bin/python3
"""Regression: a JSON deck runs, and the used_parameters.prm it leaves behind reproduces the run
exactly when fed back (decks round-trip through both formats)."""
import json, os, subprocess, sys

src = os.environ.get("OT_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
binary = os.environ.get("OT_BIN", "organtwin")


def run(deck, out):
    p = subprocess.run([binary, "run", deck, "-v", "0", "-s", f"Output/Directory={out}"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {deck}:\n{p.stdout}\n{p.stderr}")
    return json.load(open(os.path.join(out, "summary.json")))


a = run(os.path.join(src, "tests", "regression", "ep", "json_deck", "case.json"), "from_json")
b = run(os.path.join("from_json", "used_parameters.prm"), "from_prm")
ta, tb = a["activation_times_ms"]["far"], b["activation_times_ms"]["far"]
checks = [("JSON deck activates the far corner", ta is not None and 0 < ta < 20, ta),
          ("used_parameters.prm reproduces the run", ta == tb and a["dofs"] == b["dofs"], f"{ta} vs {tb}")]
fails = 0
for n, ok, v in checks:
    print(("PASS" if ok else "FAIL") + f": {n}: {v}")
    fails += not ok
print(f"{len(checks) - fails} passed, {fails} failed")
sys.exit(1 if fails else 0)
