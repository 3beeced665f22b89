#!/usr/bin/python3
"""A mesh file with fibres and no sheets, prepared by `organtwin mesh` (.otmesh), keeps the
record that its sheets are arbitrary normals to the fibres (Mesh::sheets_given): the
orthotropic Holzapfel-Ogden material and orthotropic monodomain conductivities are refused on
it (non-zero exit, the message names the deck, the .otmesh and the cause, no result folder);
transversely isotropic Guccione runs on the same file; mesh.vtu of the mesh command carries
the fibre but no sheet array. Input: tests/data/meshes/cube_tets.vtu (6 tetrahedra, cell
array "fibre" only)."""
import os, subprocess, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ep"))
from otcheck import BIN, SRC, report, run  # noqa: E402

vtu = os.path.join(SRC, "tests", "data", "meshes", "cube_tets.vtu")
mesh_deck = os.path.join(SRC, "cases", "meshes", "surface.prm")
cmd = [BIN, "mesh", mesh_deck, "-s", "Mesh/Source=file", "-s", f"Mesh/File={vtu}",
       "-s", "Mesh/Fibre array=fibre", "-s", "Mesh/Boundary array=tag", "-s", "Mesh/Material array=region",
       "-s", "Output/Directory=sheets_mesh", "-s", "Output/Preview=false", "-s", "Output/VTU encoding=ascii"]
p = subprocess.run(cmd, capture_output=True, text=True)
if p.returncode != 0:
    sys.exit(f"FAIL: {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
otmesh = os.path.abspath(os.path.join("sheets_mesh", "mesh.otmesh"))
vtu_out = open(os.path.join("sheets_mesh", "mesh.vtu")).read()


def refused(deck, out, args):
    """Run deck expecting an input error: (exit code, stderr, result folder exists)."""
    c = [BIN, "run", deck, "-v", "0", *args, "-s", f"Output/Directory={out}"]
    q = subprocess.run(c, capture_output=True, text=True)
    return q.returncode, q.stderr, os.path.exists(out)


prepared = ["-s", "Mesh/Source=prepared", "-s", f"Mesh/File={otmesh}", "-s", "Mesh/Fibre array="]
mech = os.path.join(SRC, "tests", "bad_input", "mech_ho_mesh_fibres_without_sheet.prm")
ep = os.path.join(SRC, "tests", "bad_input", "ep_vtu_fibres_without_sheet.prm")
rc_ho, err_ho, dir_ho = refused(mech, "sheets_ho", prepared)
rc_ep, err_ep, dir_ep = refused(ep, "sheets_ep", prepared)
guc = run(mech, "sheets_guccione", prepared + ["-s", "Material/Model=Guccione", "-s", "Load stepping/Steps=1"])
want_ho = [mech, otmesh, "stores fibres without sheets", "HolzapfelOgden is orthotropic"]
want_ep = [ep, otmesh, "stores fibres without sheets", "[Tissue/Conductivity sheet]"]
report([
    ("mesh.vtu of the mesh command: fibre array, no sheet array",
     'Name="fibre"' in vtu_out and 'Name="sheet"' not in vtu_out, "fibre only"),
    ("Holzapfel-Ogden on the .otmesh refused (exit != 0, no result folder)", rc_ho != 0 and not dir_ho,
     f"exit {rc_ho}, folder {dir_ho}"),
    ("its message names the deck, the .otmesh and the cause", all(w in err_ho for w in want_ho), err_ho.strip()[-400:]),
    ("orthotropic monodomain on the .otmesh refused (exit != 0, no result folder)", rc_ep != 0 and not dir_ep,
     f"exit {rc_ep}, folder {dir_ep}"),
    ("its message names the deck, the .otmesh and the cause", all(w in err_ep for w in want_ep), err_ep.strip()[-400:]),
    ("Guccione on the same .otmesh runs to the full load", guc["load_reached"] == 1.0, guc["load_reached"]),
])
