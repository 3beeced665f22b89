#!/usr/bin/python3
"""Predicted vs observed PK parameters for the drugs in validation/pbpk_<drug>/.

Each folder holds compound.json (or uses physics/pk/compounds/<drug>.json) and observed.csv
(one row per published value; scenario = dosing regimen). For every scenario the script runs
`organtwin pk` for the ICRP 89 reference man (73 kg) and extracts the metric:
  Cmax, Tmax, Tmax_last (within the last dosing interval), t_half, AUC_0_inf, CL
  (dose/AUC), Vss (model), C_at (concentration at time at_h), F (oral AUC / IV AUC).
route = table:FILE runs the dose table validation/pbpk_<drug>/FILE (time_h,route,dose_mg[,duration_h],
doses in mg for the 73 kg reference man) instead of route/dose columns (e.g. bolus + infusion).
Reports fold errors, GMFE = 10^mean|log10(pred/obs)| and the fraction within 2-fold, over
all values and over the independent ones (inputs were not taken from them).
Writes <out>/pk_results.md. Exit 1 only if a run fails: a missed target is reported.
"""
import argparse, csv, json, math, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("OT_BIN", "organtwin")
DRUGS = ["midazolam", "theophylline", "diazepam", "caffeine", "dofetilide"]
WEIGHT = 73.0  # ICRP 89 reference man
TO_MG_PER_L = {"ng/mL": 1e-3, "ug/mL": 1.0, "mg/L": 1.0}


def compound_file(drug):
    local = os.path.join(SRC, "validation", "pbpk_" + drug, "compound.json")
    return local if os.path.exists(local) else os.path.join(SRC, "physics", "pk", "compounds", drug + ".json")


def run(drug, row, out, route=None):
    route = route or row["route"]
    if route.startswith("table:"):
        # dose table (time_h,route,dose_mg[,duration_h]) in the drug's folder, doses in mg for 73 kg
        table = os.path.join(SRC, "validation", "pbpk_" + drug, route.split(":", 1)[1])
        dose = sum(float(r["dose_mg"]) for r in csv.DictReader(l for l in open(table) if not l.startswith("#")))
        args = [BIN, "pk", "--compound", compound_file(drug), "--dose-table", table,
                "--end-h", row["end_h"], "--no-plot", "-v", "0", "--output-dt-h", "0.01"]
        res = os.path.join(out, f"{drug}_{row['scenario']}_table")
        if not os.path.exists(os.path.join(res, "metrics.json")):
            p = subprocess.run(args + ["--out", res], capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit(f"FAIL: {' '.join(args)}\n{p.stderr}")
        m = json.load(open(os.path.join(res, "metrics.json")))
        rows = list(csv.DictReader(open(os.path.join(res, "concentrations.csv"))))
        return dose, m, [float(r["time_h"]) for r in rows], [float(r["plasma_venous_mg_per_L"]) for r in rows]
    dose = float(row["dose_mg"]) if row["dose_mg"] else float(row["dose_mg_per_kg"]) * WEIGHT
    args = [BIN, "pk", "--compound", compound_file(drug), "--route", route, "--dose-mg", f"{dose:.6g}",
            "--end-h", row["end_h"], "--no-plot", "-v", "0", "--output-dt-h", "0.01"]
    if route == "iv_infusion":
        args += ["--infusion-h", row["infusion_h"]]
    if row["doses"]:
        args += ["--interval-h", row["interval_h"], "--doses", row["doses"]]
    res = os.path.join(out, f"{drug}_{row['scenario']}_{route}")
    if not os.path.exists(os.path.join(res, "metrics.json")):
        p = subprocess.run(args + ["--out", res], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"FAIL: {' '.join(args)}\n{p.stderr}")
    m = json.load(open(os.path.join(res, "metrics.json")))
    rows = list(csv.DictReader(open(os.path.join(res, "concentrations.csv"))))
    t = [float(r["time_h"]) for r in rows]
    c = [float(r["plasma_venous_mg_per_L"]) for r in rows]
    return dose, m, t, c


def predicted(drug, row, out):
    metric = row["metric"]
    dose, m, t, c = run(drug, row, out)
    mm = m["metrics"]
    if metric == "Cmax":
        return mm["Cmax_mg_per_L"]
    if metric == "Tmax":
        return mm["Tmax_h"]
    if metric == "Tmax_last":
        t0 = (int(row["doses"]) - 1) * float(row["interval_h"])
        i = max((k for k in range(len(t)) if t[k] >= t0), key=lambda k: c[k])
        return t[i] - t0
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


def observed(row):
    v, u = float(row["observed"]), row["unit"]
    if u in TO_MG_PER_L:
        return v * TO_MG_PER_L[u]
    if u == "mL/min":
        return v * 0.06
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
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    lines = ["| drug | scenario | metric | unit (model) | predicted | observed | fold | independent | source |",
             "|---|---|---|---|---|---|---|---|---|"]
    all_f, ind_f, per_drug = [], [], {}
    for drug in DRUGS:
        for row in csv.DictReader(open(os.path.join(SRC, "validation", "pbpk_" + drug, "observed.csv"))):
            p, o = predicted(drug, row, a.out), observed(row)
            f = p / o
            all_f.append(f)
            per_drug.setdefault(drug, []).append(f)
            if row["independent"] == "yes":
                ind_f.append(f)
            unit = {"ng/mL": "mg/L", "ug/mL": "mg/L", "mL/min": "L/h", "ng*h/mL": "mg h/L"}.get(row["unit"], row["unit"])
            lines.append(f"| {drug} | {row['scenario']} | {row['metric']} | {unit} | {p:.4g} | {o:.4g} | {f:.2f} | "
                         f"{row['independent']} | {row['source']} |")
    g_all, w_all, n_all = stats(all_f)
    g_ind, w_ind, n_ind = stats(ind_f)
    text = "\n".join(lines) + "\n\n"
    text += "| drug | values | GMFE | within 2-fold |\n|---|---|---|---|\n"
    for drug, fs in per_drug.items():
        g, w, n = stats(fs)
        text += f"| {drug} | {n} | {g:.2f} | {w}/{n} |\n"
    text += (f"\nAll values: GMFE {g_all:.2f}, {w_all}/{n_all} within 2-fold ({100 * w_all / n_all:.0f} %).\n"
             f"Independent values: GMFE {g_ind:.2f}, {w_ind}/{n_ind} within 2-fold ({100 * w_ind / n_ind:.0f} %).\n"
             f"Targets: GMFE <= 2 and >= 70 % within 2-fold: "
             f"{'met' if g_ind <= 2 and w_ind / n_ind >= 0.7 else 'NOT met'} (independent values).\n")
    print(text)
    open(os.path.join(a.out, "pk_results.md"), "w").write(text)


if __name__ == "__main__":
    main()
