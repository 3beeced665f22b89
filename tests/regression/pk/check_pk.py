#!/usr/bin/python3
"""Regression for `organtwin pk`: four one-line runs compared with stored metrics, plus
file layout, mass balance and population reproducibility checks.

Requirement: the PBPK command gives the same metrics (relative 1e-5; CVODE rtol 1e-8) for
IV bolus, multiple IV infusions, oral multiple dosing with permeability-limited organs,
and a seeded population (with the CVODE reference integrator and with the exact propagator,
the population default; the two agree on the population percentiles to 1e-4 relative, the
accuracy of CVODE at rtol 1e-6); every run conserves mass to 1e-8 and writes the documented files.
Usage: check_pk.py [--update]  (--update rewrites reference/*.json; say why in the commit)
"""
import csv, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ep"))
from otcheck import BIN, report  # noqa: E402

SRC_DIR = os.environ.get("OT_SOURCE_DIR", os.path.join(HERE, "..", "..", ".."))

COMPOUND = os.path.join(HERE, "testamine.json")
CASES = {
    "iv_bolus": ["--route", "iv_bolus", "--dose-mg", "10", "--end-h", "24"],
    "iv_infusion_3x": ["--route", "iv_infusion", "--dose-mg", "100", "--infusion-h", "2",
                       "--interval-h", "8", "--doses", "3", "--end-h", "48"],
    "oral_perm_female": ["--route", "oral", "--dose-mg", "50", "--interval-h", "12", "--doses", "4",
                         "--end-h", "72", "--sex", "female", "--age", "60", "--weight-kg", "70",
                         "--height-cm", "165", "--permeability-limited", "heart,liver,kidney"],
    "population": ["--route", "oral", "--dose-mg", "50", "--interval-h", "12", "--doses", "4",
                   "--end-h", "72", "--population", "40", "--seed", "3", "--threads", "2",
                   "--rtol", "1e-6", "--output-dt-h", "0.25", "--integrator", "cvode"],
    "population_exact": ["--route", "oral", "--dose-mg", "50", "--interval-h", "12", "--doses", "4",
                         "--end-h", "72", "--population", "40", "--seed", "3", "--threads", "2",
                         "--rtol", "1e-6", "--output-dt-h", "0.25"],
}
METRICS = ["Cmax_mg_per_L", "Tmax_h", "AUC_0_t_mg_h_per_L", "t_half_h", "CL_L_per_h", "Vss_model_L",
           "heart_unbound_Cmax_uM"]


def run(name, args):
    out = os.path.abspath("out_" + name)
    cmd = [BIN, "pk", "--compound", COMPOUND, *args, "--out", out, "--no-plot", "-v", "0"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return out, json.load(open(os.path.join(out, "metrics.json")))


def main():
    update = "--update" in sys.argv
    checks = []
    pop = {}
    for name, args in CASES.items():
        out, m = run(name, args)
        got = {k: m["metrics"][k] for k in METRICS}
        if "population" in m:
            for k in ["Cmax_mg_per_L", "AUC_0_t_mg_h_per_L"]:
                for q in ["p05", "p50", "p95"]:
                    got[f"pop_{k}_{q}"] = m["population"][k][q]
            pop[name] = (m["population"], out)
        ref_file = os.path.join(HERE, "reference", name + ".json")
        if update:
            json.dump(got, open(ref_file, "w"), indent=1, sort_keys=True)
        ref = json.load(open(ref_file))
        for k, v in ref.items():
            rel = abs(got[k] - v) / max(abs(v), 1e-300)
            checks.append((f"{name}: {k}", rel <= 1e-5, f"{got[k]:.9g} vs reference {v:.9g} (rel {rel:.1e})"))
        mb = m["mass_balance"]["max_relative_error"]
        checks.append((f"{name}: mass balance", mb <= 1e-8, f"{mb:.2e}"))
        with open(os.path.join(out, "concentrations.csv")) as f:
            head = next(csv.reader(f))
        need = ["time_h", "plasma_venous_mg_per_L", "heart_mg_per_L", "liver_mg_per_L", "kidney_mg_per_L",
                "heart_unbound_uM", "liver_unbound_uM", "kidney_unbound_uM"]
        missing = [c for c in need if c not in head]
        checks.append((f"{name}: concentrations.csv columns", not missing, missing or "all present"))
        for f in ["metrics.json", "kp_table.csv", "mass_balance.csv"]:
            checks.append((f"{name}: {f}", os.path.exists(os.path.join(out, f)), f))
        if name.startswith("population"):
            rows = list(csv.DictReader(open(os.path.join(out, "population_percentiles.csv"))))
            ordered = all(float(r["plasma_p05_mg_per_L"]) <= float(r["plasma_p50_mg_per_L"])
                          <= float(r["plasma_p95_mg_per_L"]) for r in rows)
            checks.append((f"{name}: p05 <= p50 <= p95", ordered, f"{len(rows)} times"))
            # same seed, one thread: identical subjects and percentiles (seeding does not depend on threads)
            args1 = list(args)
            args1[args1.index("--threads") + 1] = "1"
            out1, _ = run(name + "_1thread", args1)
            for f in ["population_subjects.csv", "population_percentiles.csv"]:
                same = open(os.path.join(out, f)).read() == open(os.path.join(out1, f)).read()
                checks.append((f"{name}: 1 and 2 threads give identical {f}", same, ""))
    # Exact propagator vs CVODE (rtol 1e-6) for the same population: metrics and percentile curves.
    (pc, out_c), (pe, out_e) = pop["population"], pop["population_exact"]
    checks.append(("population_exact: integrator recorded", pe.get("integrator") == "exact"
                   and pc.get("integrator") == "cvode", f"{pe.get('integrator')} / {pc.get('integrator')}"))
    for k in ["Cmax_mg_per_L", "AUC_0_t_mg_h_per_L", "CL_L_per_h", "heart_unbound_Cmax_uM"]:
        for q in ["p05", "p50", "p95"]:
            rel = abs(pe[k][q] - pc[k][q]) / abs(pc[k][q])
            checks.append((f"population exact vs cvode: {k} {q}", rel <= 1e-4, f"rel {rel:.1e}"))
    # curves: relative 1e-4 where a value is >= 1e-3 of its column maximum; below that (the tail,
    # where CVODE's absolute tolerance dominates) absolute 1e-6 of the column maximum
    rc = [[float(x) for x in r[1:]] for r in list(csv.reader(open(os.path.join(out_c, "population_percentiles.csv"))))[1:]]
    re_ = [[float(x) for x in r[1:]] for r in list(csv.reader(open(os.path.join(out_e, "population_percentiles.csv"))))[1:]]
    cmax = [max(abs(r[j]) for r in rc) for j in range(len(rc[0]))]
    worst_rel = worst_abs = 0.
    for a, b in zip(re_, rc):
        for j, (x, y) in enumerate(zip(a, b)):
            if abs(y) >= 1e-3 * cmax[j]:
                worst_rel = max(worst_rel, abs(x - y) / abs(y))
            else:
                worst_abs = max(worst_abs, abs(x - y) / cmax[j])
    checks.append(("population exact vs cvode: percentile curves",
                   len(rc) == len(re_) and worst_rel <= 1e-4 and worst_abs <= 1e-6,
                   f"largest relative difference {worst_rel:.1e} (values >= 1e-3 of the maximum), "
                   f"{worst_abs:.1e} of the maximum below, over {len(rc)} times"))
    # The deck form gives the same run as the one-line form.
    deck = os.path.join(SRC_DIR, "cases", "pk_dofetilide", "pk_dofetilide.prm")
    out_deck = os.path.abspath("out_deck")
    p = subprocess.run([BIN, "run", deck, "-v", "0", "-s", f"Output/Directory={out_deck}", "-s", "Output/Plot=false"],
                       capture_output=True, text=True)
    checks.append(("deck form runs", p.returncode == 0, p.stderr.strip()[-300:]))
    if p.returncode == 0:
        dof = os.path.join(SRC_DIR, "physics", "pk", "compounds", "dofetilide.json")
        out_cli = os.path.abspath("out_cli")
        subprocess.run([BIN, "pk", "--compound", dof, "--route", "oral", "--dose-mg", "0.5", "--interval-h", "12",
                        "--doses", "10", "--end-h", "132", "--permeability-limited", "heart", "--output-dt-h", "0.05",
                        "--out", out_cli, "--no-plot", "-v", "0"], check=True)
        a = open(os.path.join(out_deck, "concentrations.csv")).read()
        b = open(os.path.join(out_cli, "concentrations.csv")).read()
        checks.append(("deck form = one-line form (concentrations.csv identical)", a == b, ""))
        checks.append(("deck form writes used_parameters.prm",
                       os.path.exists(os.path.join(out_deck, "used_parameters.prm")), ""))
    report(checks)


if __name__ == "__main__":
    main()
