#!/usr/bin/python3
"""Mesh generation + LDRB fibre cost for the idealised bi-ventricle (generator biv) on N MPI ranks:
tetrahedra, Gmsh generation time (rank 0: geometry, tetrahedralisation, conversion to a serial
deal.II mesh), partition + distribution time (METIS-style partition of the serial mesh, fully
distributed triangulation), LDRB time (four P1 Laplace solves, CG + BoomerAMG, and the fibre
frames), whole-command wall time and peak resident memory per rank (GNU time, max RSS).

usage: run.py [--bin organtwin] [--sizes 0.8 0.6 0.45] [--ranks 2] [--out bench/results]
Writes <out>/mesh_biv.csv and <out>/mesh_biv.md (appends a section with the machine load).
"""
import argparse, csv, datetime, json, os, re, subprocess, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
src = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.environ.get("OT_BIN", "organtwin"))
ap.add_argument("--sizes", type=float, nargs="+", default=[0.8, 0.6, 0.45], help="element sizes [mm]")
ap.add_argument("--ranks", type=int, default=2)
ap.add_argument("--out", default=os.path.join(src, "bench", "results"))
args = ap.parse_args()
os.makedirs(args.out, exist_ok=True)
mpirun = os.environ.get("OT_MPIRUN", "mpirun --allow-run-as-root --oversubscribe").split()
DECK = """set Problem type = mesh
subsection Mesh
  set Source       = generator
  set Generator    = biv
  set Element size = {h}
end
subsection Fibres
  set Method      = ldrb
  set LV endo tag = lv_endo
  set RV endo tag = rv_endo
end
subsection Output
  set Directory          = {out}
  set Write VTU          = false
  set Preview            = false
  set Save prepared mesh = false
end
"""


def load():
    return open("/proc/loadavg").read().split()[:3]


rows = []
for h in args.sizes:
    with tempfile.TemporaryDirectory() as tmp:
        deck = os.path.join(tmp, "biv.prm")
        res = os.path.join(tmp, "r")
        open(deck, "w").write(DECK.format(h=h, out=res))
        # one time file per rank: a tiny shell wrapper expands the rank
        wrapper = os.path.join(tmp, "timed.sh")
        open(wrapper, "w").write('#!/bin/sh\nexec /usr/bin/time -f "maxrss_kb %M" -o "$RSSDIR/rss_${OMPI_COMM_WORLD_RANK:-0}" "$@"\n')
        os.chmod(wrapper, 0o755)
        cmd = ([*mpirun, "-np", str(args.ranks), "-x", "RSSDIR"] if args.ranks > 1 else []) + [wrapper, args.bin, "mesh", deck]
        before = load()
        t0 = time.time()
        p = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "RSSDIR": tmp})
        wall = time.time() - t0
        if p.returncode != 0:
            print(p.stdout[-3000:], p.stderr[-3000:])
            rows.append(dict(h=h, status="failed", wall_s=round(wall, 1)))
            continue
        r = json.load(open(os.path.join(res, "report.json")))
        rss = []
        for k in range(args.ranks):
            m = re.search(r"maxrss_kb (\d+)", open(os.path.join(tmp, f"rss_{k}")).read())
            rss.append(int(m.group(1)) / 1024 ** 2)
        rows.append(dict(h=h, status="ok", tets=r["cells"], p1_dofs=r["dofs"]["P1"], ranks=args.ranks,
                         generation_s=round(r["generation_seconds"], 2),
                         distribution_s=round(r["distribution_seconds"], 2),
                         fibres_s=round(r["fibre_seconds"], 2), wall_s=round(wall, 1),
                         peak_rss_rank0_gib=round(rss[0], 3), peak_rss_max_other_gib=round(max(rss[1:] or [0]), 3),
                         min_scaled_jacobian=round(r["min_scaled_jacobian"], 3),
                         load_before=" ".join(before), load_after=" ".join(load())))
        print(rows[-1], flush=True)

stamp = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
with open(os.path.join(args.out, "mesh_biv.csv"), "a", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["date", *rows[0].keys()] if rows else ["date"], extrasaction="ignore")
    if f.tell() == 0:
        w.writeheader()
    for r in rows:
        w.writerow({"date": stamp, **r})
md = [f"\n## {stamp}, {args.ranks} ranks, {os.cpu_count()} cores, "
      f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}\n",
      "| h [mm] | tets | P1 DoFs | generation [s] | partition + distribution [s] | LDRB fibres [s] | "
      "whole command [s] | peak RSS rank 0 [GiB] | peak RSS other ranks [GiB] | min scaled Jacobian | load avg before / after |",
      "|---|---|---|---|---|---|---|---|---|---|---|"]
for r in rows:
    if r["status"] != "ok":
        md.append(f"| {r['h']} | failed | | | | | {r['wall_s']} | | | | |")
        continue
    md.append(f"| {r['h']} | {r['tets']:,} | {r['p1_dofs']:,} | {r['generation_s']} | {r['distribution_s']} | "
              f"{r['fibres_s']} | {r['wall_s']} | {r['peak_rss_rank0_gib']} | {r['peak_rss_max_other_gib']} | "
              f"{r['min_scaled_jacobian']} | {r['load_before']} / {r['load_after']} |")
path = os.path.join(args.out, "mesh_biv.md")
new = not os.path.exists(path)
with open(path, "a") as f:
    if new:
        f.write("# Bi-ventricle mesh generation + LDRB fibres (bench/mesh_biv/run.py)\n\n"
                "Generator `biv` (Land LV 7/17, 10/20 mm + RV), P1 tetrahedra, LDRB with LV and RV endocardium.\n"
                "Generation runs on rank 0 only (Gmsh, one thread); the Laplace solves run on all ranks.\n"
                "Peak RSS from GNU time per rank. Load average from /proc/loadavg (other sessions share the machine).\n")
    f.write("\n".join(md) + "\n")
print("\n".join(md))
