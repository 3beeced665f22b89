#!/usr/bin/python3
"""Predicted vs observed PK parameters for the drugs in validation/pbpk_<drug>/.

Each folder holds compound.json (or uses physics/pk/compounds/<drug>.json) and observed.csv
(one row per published value; scenario = dosing regimen). For every scenario the script runs
`organtwin pk` for the ICRP 89 reference man (73 kg) and extracts the metric:
  Cmax, Tmax, Cmax_last and Tmax_last (within the last dosing interval), t_half, AUC_0_inf,
  AUC_tau and Cavg (= AUC_tau / interval; multiple dosing), CL (dose/AUC; CL/F for oral,
  dose/AUC_tau for multiple dosing), Vss (model), C_at (concentration at time at_h),
  F (oral AUC / IV AUC).
route = table:FILE runs the dose table validation/pbpk_<drug>/FILE (time_h,route,dose_mg[,duration_h],
doses in mg for the 73 kg reference man) instead of route/dose columns (e.g. bolus + infusion).
Reports fold errors, GMFE = 10^mean|log10(pred/obs)| and the fraction within 2-fold, over
all values and over the independent ones (inputs were not taken from them).
Writes <out>/pk_results.md.

Checks (exit 1 if any fails):
  - every organtwin run succeeds;
  - every predicted value equals reference_pk.csv within REF_RTOL (guards the model, the inputs
    and the scenario definitions against unnoticed change; --update-reference rewrites the file
    after a deliberate, documented change);
  - the GMFE of the independent values is <= 2 (issue-5 target). The second target (>= 70 %
    within 2-fold) is reported, not asserted: it is missed (validation/pbpk_summary/README.md).
"""
import argparse, csv, json, math, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("OT_BIN", "organtwin")
# the first five: the original set; the rest: the Vss-set drugs added under the rule in README.md
ORIGINAL = ["midazolam", "theophylline", "diazepam", "caffeine", "dofetilide"]
ADDED = ["digoxin", "lidocaine", "propranolol", "metoprolol", "verapamil", "diltiazem", "atenolol",
         "diclofenac", "phenytoin", "valproate"]
DRUGS = ORIGINAL + ADDED
REFERENCE = os.path.join(HERE, "reference_pk.csv")
REF_RTOL = 5e-3
TMAX_ATOL = 0.0101  # Tmax is read on the 0.01-h output grid: allow one grid step
MAX_GMFE = 2.0  # issue 5 target, independent values
WEIGHT = 73.0  # ICRP 89 reference man
TO_MG_PER_L = {"ng/mL": 1e-3, "ug/mL": 1.0, "mg/L": 1.0}
MODEL_UNIT = {"ng/mL": "mg/L", "ug/mL": "mg/L", "nmol/L": "mg/L", "mL/min": "L/h", "mL/min/kg": "L/h",
              "L/min": "L/h", "ng*h/mL": "mg h/L"}


def compound_file(drug):
    local = os.path.join(SRC, "validation", "pbpk_" + drug, "compound.json")
    return local if os.path.exists(local) else os.path.join(SRC, "physics", "pk", "compounds", drug + ".json")


def run_cached(args, res):
    """organtwin pk args --out res unless res already holds a run; (metrics, times [h], venous plasma [mg/L])."""
    if not os.path.exists(os.path.join(res, "metrics.json")):
        p = subprocess.run(args + ["--out", res], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"FAIL: {' '.join(args)}\n{p.stderr}")
    m = json.load(open(os.path.join(res, "metrics.json")))
    rows = list(csv.DictReader(open(os.path.join(res, "concentrations.csv"))))
    return m, [float(r["time_h"]) for r in rows], [float(r["plasma_venous_mg_per_L"]) for r in rows]


def run(drug, row, out, route=None):
    route = route or row["route"]
    if route.startswith("table:"):
        # dose table (time_h,route,dose_mg[,duration_h]) in the drug's folder, doses in mg for 73 kg
        table = os.path.join(SRC, "validation", "pbpk_" + drug, route.split(":", 1)[1])
        dose = sum(float(r["dose_mg"]) for r in csv.DictReader(l for l in open(table) if not l.startswith("#")))
        args = [BIN, "pk", "--compound", compound_file(drug), "--dose-table", table,
                "--end-h", row["end_h"], "--no-plot", "-v", "0", "--output-dt-h", "0.01"]
        return (dose, *run_cached(args, os.path.join(out, f"{drug}_{row['scenario']}_table")))
    dose = float(row["dose_mg"]) if row["dose_mg"] else float(row["dose_mg_per_kg"]) * WEIGHT
    args = [BIN, "pk", "--compound", compound_file(drug), "--route", route, "--dose-mg", f"{dose:.6g}",
            "--end-h", row["end_h"], "--no-plot", "-v", "0", "--output-dt-h", "0.01"]
    if route == "iv_infusion":
        args += ["--infusion-h", row["infusion_h"]]
    if row["doses"]:
        args += ["--interval-h", row["interval_h"], "--doses", row["doses"]]
    return (dose, *run_cached(args, os.path.join(out, f"{drug}_{row['scenario']}_{route}")))


def predicted(drug, row, out):
    metric = row["metric"]
    dose, m, t, c = run(drug, row, out)
    mm = m["metrics"]
    if metric == "Cmax":
        return mm["Cmax_mg_per_L"]
    if metric == "Tmax":
        return mm["Tmax_h"]
    if metric in ("Tmax_last", "Cmax_last"):
        t0 = (int(row["doses"]) - 1) * float(row["interval_h"])
        i = max((k for k in range(len(t)) if t[k] >= t0), key=lambda k: c[k])
        return t[i] - t0 if metric == "Tmax_last" else c[i]
    if metric == "AUC_tau":
        return mm["AUC_tau_mg_h_per_L"]
    if metric == "Cavg":
        return mm["AUC_tau_mg_h_per_L"] / float(row["interval_h"])
    if metric == "t_half":
        return mm["t_half_h"]
    if metric == "AUC_0_inf":
        return mm["AUC_0_inf_mg_h_per_L"]
    if metric == "CL":
        return mm["CL_L_per_h"]
    if metric == "Vss":
        return mm["Vss_model_L"] / (WEIGHT if row["unit"] == "L/kg" else 1.0)
    if metric == "C_at":
        x = float(row["at_h"])
        k = next(k for k in range(len(t)) if t[k] >= x)
        w = (x - t[k - 1]) / (t[k] - t[k - 1])
        return (1 - w) * c[k - 1] + w * c[k]
    if metric == "F":
        _, miv, _, _ = run(drug, row, out, route="iv_bolus")
        return mm["AUC_0_inf_mg_h_per_L"] / miv["metrics"]["AUC_0_inf_mg_h_per_L"]
    raise ValueError(metric)


def observed(drug, row):
    v, u = float(row["observed"]), row["unit"]
    if u in TO_MG_PER_L:
        return v * TO_MG_PER_L[u]
    if u == "nmol/L":
        return v * 1e-6 * json.load(open(compound_file(drug)))["molecular_weight_g_per_mol"]
    if u == "mL/min":
        return v * 0.06
    if u == "mL/min/kg":
        return v * 0.06 * WEIGHT
    if u == "L/min":
        return v * 60.0
    if u == "ng*h/mL":
        return v * 1e-3
    return v


def stats(folds):
    if not folds:
        return float("nan"), 0, 0
    g = 10 ** (sum(abs(math.log10(f)) for f in folds) / len(folds))
    return g, sum(0.5 <= f <= 2 for f in folds), len(folds)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=".")
    ap.add_argument("--update-reference", action="store_true", help="rewrite reference_pk.csv")
    ap.add_argument("--drugs", choices=["all", "original", "added"], default="all",
                    help="subset (ctest runs the two subsets as two tests to stay short)")
    a = ap.parse_args()
    drug_set = {"all": DRUGS, "original": ORIGINAL, "added": ADDED}[a.drugs]
    os.makedirs(a.out, exist_ok=True)
    lines = ["| drug | scenario | metric | unit (model) | predicted | observed | fold | independent | source |",
             "|---|---|---|---|---|---|---|---|---|"]
    ind_by_drug, all_by_drug, preds = {}, {}, {}
    for drug in drug_set:
        for row in csv.DictReader(open(os.path.join(SRC, "validation", "pbpk_" + drug, "observed.csv"))):
            p, o = predicted(drug, row, a.out), observed(drug, row)
            f = p / o
            key = f"{drug}/{row['scenario']}/{row['metric']}"
            if key in preds:
                sys.exit(f"FAIL: duplicate observation {key}")
            preds[key] = p
            all_by_drug.setdefault(drug, []).append(f)
            if row["independent"] == "yes":
                ind_by_drug.setdefault(drug, []).append(f)
            unit = MODEL_UNIT.get(row["unit"], row["unit"])
            lines.append(f"| {drug} | {row['scenario']} | {row['metric']} | {unit} | {p:.4g} | {o:.4g} | {f:.2f} | "
                         f"{row['independent']} | {row['source']} |")

    def pooled(by_drug, drugs):
        return [f for d in drugs for f in by_drug.get(d, [])]

    text = "\n".join(lines) + "\n\n"
    text += ("| drug | independent values | GMFE | within 2-fold | all values | GMFE | within 2-fold |\n"
             "|---|---|---|---|---|---|---|\n")
    for drug in drug_set:
        gi, wi, ni = stats(ind_by_drug.get(drug, []))
        ga, wa, na = stats(all_by_drug.get(drug, []))
        text += f"| {drug} | {ni} | {gi:.2f} | {wi}/{ni} | {na} | {ga:.2f} | {wa}/{na} |\n"
    text += "\n"
    summary = {}
    groups = (("original 5 drugs", ORIGINAL), ("added drugs", ADDED), ("all drugs", DRUGS))
    for label, drugs in (g for g in groups if set(g[1]) <= set(drug_set)):
        for kind, by_drug in (("independent", ind_by_drug), ("all", all_by_drug)):
            g, w, n = stats(pooled(by_drug, drugs))
            summary[(label, kind)] = (g, w, n)
            text += f"{label}, {kind} values: GMFE {g:.2f}, {w}/{n} within 2-fold ({100 * w / n:.0f} %).\n"
    g_ind, w_ind, n_ind = stats(pooled(ind_by_drug, drug_set))
    text += (f"Targets (independent values, {a.drugs} drugs): GMFE <= 2: {'met' if g_ind <= MAX_GMFE else 'NOT met'}; "
             f">= 70 % within 2-fold: {'met' if w_ind / n_ind >= 0.7 else 'NOT met'} ({100 * w_ind / n_ind:.0f} %).\n")
    print(text)
    open(os.path.join(a.out, "pk_results.md"), "w").write(text)

    failures = []
    if a.update_reference:
        if a.drugs != "all":
            sys.exit("--update-reference needs --drugs all")
        with open(REFERENCE, "w") as fh:
            fh.write("key,predicted_model_units\n")
            for k, v in preds.items():
                fh.write(f"{k},{v:.6g}\n")
        print(f"wrote {REFERENCE}")
    ref = {r["key"]: float(r["predicted_model_units"]) for r in csv.DictReader(open(REFERENCE))
           if r["key"].split("/")[0] in drug_set}
    for k, v in preds.items():
        if k not in ref:
            failures.append(f"{k}: no reference prediction in {REFERENCE}")
        elif abs(v - ref[k]) > max(REF_RTOL * abs(ref[k]), TMAX_ATOL if k.split("/")[2].startswith("Tmax") else 0):
            failures.append(f"{k}: predicted {v:.6g} differs from reference {ref[k]:.6g} by more than {100 * REF_RTOL:g} %")
    for k in ref:
        if k not in preds:
            failures.append(f"{k}: in {REFERENCE} but not observed")
    if not g_ind <= MAX_GMFE:
        failures.append(f"GMFE of the independent values {g_ind:.2f} > {MAX_GMFE}")
    for msg in failures:
        print("FAIL:", msg)
    print(f"{len(failures)} check(s) failed" if failures else "all checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
