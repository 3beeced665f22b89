"""CiPA study on 1 and 2 MPI ranks (3 drugs, one per risk class, 1 and 4 x Cmax,
8 beats from the control steady state): the metrics agree to 1e-9 relative
(cells are independent, so they must be identical), the outputs a user reads are
there, and a second run in apply mode with the first run's classifier reproduces
its predictions without refitting."""
import csv, json, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import SRC, report, run  # noqa: E402

deck = os.path.join(SRC, "cases", "cipa", "cipa.prm")
args = ["-s", "Drugs/Drug file=" + os.path.join(SRC, "physics", "drugs", "data", "cipa_training_drugs.csv"),
        "-s", "Drugs/Drugs=dofetilide,chlorpromazine,verapamil", "-s", "Drugs/Cmax multiples=1,4",
        "-s", "Pacing/Steady state=fixed", "-s", "Pacing/Maximum beats=8", "-s", "Output/Plot=false"]
s1 = run(deck, "cipa_np1", args, ranks=1)
s2 = run(deck, "cipa_np2", args, ranks=2)
s4 = run(deck, "cipa_threads2", args + ["-s", "Parallel/Threads per rank=2"], ranks=1)


def metrics(d):
    return {(r["drug"], r["cmax_multiple"]): r for r in csv.DictReader(open(os.path.join(d, "metrics.csv")))}


def worst(ma, mb):
    w = 0.0
    for k, r in ma.items():
        for col in ("qnet_uC_per_uF", "apd90_ms", "apd50_ms", "ca_peak_mM"):
            a, b = float(r[col]), float(mb[k][col])
            w = max(w, abs(a - b) / max(abs(a), 1e-30))
    return w


def metrics_all(d):
    return {(r["drug"], r["cmax_multiple"], r["sample"]): r["qnet_uC_per_uF"]
            for r in csv.DictReader(open(os.path.join(d, "metrics.csv")))}


m1, m2, m4 = metrics("cipa_np1"), metrics("cipa_np2"), metrics("cipa_threads2")
w12, w14 = worst(m1, m2), worst(m1, m4)
checks = [("1 vs 2 ranks: max relative difference of qNet/APD/Ca over all cells", w12 < 1e-9, w12),
          ("1 vs 2 threads: max relative difference", w14 < 1e-9, w14),
          ("7 cells (control + 3 drugs x 2)", len(m1) == 7 and len(m2) == 7, len(m1)),
          ("no failed cells", s1["cells_failed"] == 0, s1["cells_failed"])]
files = ["metrics.csv", "tdp.csv", "summary.md", "summary.json", "classifier.json", "drugs/dofetilide.csv",
         "traces/control.csv", "traces/dofetilide_4x.csv"]
missing = [f for f in files if not os.path.exists(os.path.join("cipa_np1", f))]
checks.append(("result files present", not missing, missing or "all"))
q = {k: float(r["qnet_uC_per_uF"]) for k, r in m1.items()}
checks.append(("dofetilide lowers qNet: control > 1x > 4x",
               q[("control", "0")] > q[("dofetilide", "1")] > q[("dofetilide", "4")],
               (q[("control", "0")], q[("dofetilide", "1")], q[("dofetilide", "4")])))
# apply mode with the classifier of run 1
s3 = run(deck, "cipa_apply", args + ["-s", "Classifier/Mode=apply", "-s",
                                     "Classifier/Classifier file=" + os.path.abspath("cipa_np1/classifier.json")])
p1 = {d: v["predicted"] for d, v in s1["drugs"].items()}
p3 = {d: v["predicted"] for d, v in s3["drugs"].items()}
checks.append(("apply mode reproduces the fitted predictions", p1 == p3, p3))
checks.append(("apply mode says it did not refit", "no refit" in s3["classifier"], s3["classifier"]))
# uncertainty sampling: reproducible for a seed, class fractions sum to 1 per drug
unc = args + ["-s", "Uncertainty/Samples=2", "-s", "Uncertainty/Seed=7", "-s", "Pacing/Maximum beats=3"]
run(deck, "cipa_unc_a", unc)
run(deck, "cipa_unc_b", unc, ranks=2)
ua, ub = metrics_all("cipa_unc_a"), metrics_all("cipa_unc_b")
checks.append(("uncertainty: 3 parameter sets x 3 drugs x 2 concentrations + control", len(ua) == 19, len(ua)))
checks.append(("uncertainty: same seed, 1 vs 2 ranks -> identical samples", ua == ub, "equal" if ua == ub else "differ"))
fr = [sum(float(r[c]) for c in ("sample_fraction_low", "sample_fraction_intermediate", "sample_fraction_high"))
      for r in csv.DictReader(open(os.path.join("cipa_unc_a", "tdp.csv")))]
checks.append(("uncertainty: class fractions sum to 1", all(abs(f - 1) < 1e-9 for f in fr), fr))
report(checks)
