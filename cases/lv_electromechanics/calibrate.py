#!/usr/bin/python3
"""Calibration sweep of the LV beat case (README.md, "Calibration"): runs
cases/lv_electromechanics/lv_beat.prm (or --deck) for each peak active tension T_max in
--tension, with the deck's Windkessel and preload, for --beats beats, and tabulates EDV, ESV,
SV, EF and peak pressure per beat plus the beat-to-beat change of the last beat.

usage: calibrate.py [--bin organtwin] [--deck lv_beat.prm] [--tension 60 75 90] [--beats 4]
                    [--set Entry=value ...] [--out calibration_out]
Writes <out>/calibration.md and keeps each run in <out>/T<value>/ (pv.csv, pv_loop.png,
summary.json). Exits 1 if a run fails. Long: about 40 s CPU per beat (Q2, 5 cells).
"""
import argparse, json, os, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--deck", default=os.path.join(here, "lv_beat.prm"))
ap.add_argument("--tension", type=float, nargs="+", default=[60, 75, 90])
ap.add_argument("--beats", type=int, default=4)
ap.add_argument("--set", nargs="*", default=[], help="extra deck overrides Section/Entry=value")
ap.add_argument("--out", default="calibration_out")
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)

md = [f"deck `{os.path.relpath(args.deck, here)}`, {args.beats} beats, overrides {args.set or 'none'}", "",
      "| T_max [kPa] | beat | EDV [mL] | ESV [mL] | SV [mL] | EF [%] | peak p [mmHg] |",
      "|---|---|---|---|---|---|---|"]
failed = False
for T in args.tension:
    res = os.path.join(args.out, f"T{T:g}")
    cmd = [args.bin, "run", args.deck, "-v", "1", "-s", f"Output/Directory={res}", "-s", f"Active stress/Tension={T:g}",
           "-s", f"Time/Beats={args.beats}"]
    for s in args.set:
        cmd += ["-s", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout[-2000:], p.stderr[-2000:])
        md.append(f"| {T:g} | failed | | | | | |")
        failed = True
        continue
    s = json.load(open(os.path.join(res, "summary.json")))
    for b in range(args.beats):
        md.append(f"| {T:g} | {b + 1} | {s['edv_mL'][b]:.4f} | {s['esv_mL'][b]:.4f} | {s['stroke_volume_mL'][b]:.4f} | "
                  f"{s['ejection_fraction_percent'][b]:.1f} | {s['peak_pressure_mmHg'][b]:.1f} |")
    if args.beats > 1:
        md.append(f"| {T:g} | last − previous | {s['edv_mL'][-1] - s['edv_mL'][-2]:+.5f} | "
                  f"{s['esv_mL'][-1] - s['esv_mL'][-2]:+.5f} | | "
                  f"{s['ejection_fraction_percent'][-1] - s['ejection_fraction_percent'][-2]:+.2f} | "
                  f"{s['peak_pressure_mmHg'][-1] - s['peak_pressure_mmHg'][-2]:+.2f} |")
    print("\n".join(md[-args.beats - 1:]), flush=True)
open(os.path.join(args.out, "calibration.md"), "w").write("\n".join(md) + "\n")
print("\n".join(md))
sys.exit(1 if failed else 0)
