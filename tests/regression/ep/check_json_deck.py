#!/usr/bin/python3
"""Regression: a JSON deck runs, and the used_parameters.prm it leaves behind reproduces the run
exactly when fed back (decks round-trip through both formats)."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from otcheck import NIEDERER_DECK, SRC, report, run  # noqa: E402

a = run(os.path.join(SRC, "tests", "regression", "ep", "json_deck", "case.json"), "from_json")
b = run(os.path.join("from_json", "used_parameters.prm"), "from_prm")
ta, tb = a["activation_times_ms"]["far"], b["activation_times_ms"]["far"]
report([("JSON deck activates the far corner", ta is not None and 0 < ta < 20, ta),
        ("used_parameters.prm reproduces the run", ta == tb and a["dofs"] == b["dofs"], f"{ta} vs {tb}")])
