#!/usr/bin/python3
"""Write the small VTK volume meshes of the tests (run from tests/data/; output in meshes/ and
../bad_input/). No third-party data: every number is made here.

cube_tets.vtu / cube_tets.vtk / cube_tets_binary.vtk: the cube [0,2]^3 (file unit) split into
the 6 Kuhn tetrahedra around the diagonal (0,0,0)-(2,2,2) (three of them negatively oriented
as listed, so the reader must reorient them), plus boundary triangles on x = 0 (tag 1),
x = 2 (tag 2), y = 0 and y = 2 (tag 3); the z faces have no triangles (untagged).
Cell arrays: region (tets 1,1,1,2,2,2), tag (triangles), fibre (tets: (2,2,0), normalised by
the reader), bad2 (2 components), zero (all zero). Point array pfibre: (+-1, 0, 0), sign
alternating, so a cell average without sign alignment would vanish.
The .vtu is ASCII; cube_tets.vtk is legacy ASCII (VTK 4.2 cell list); cube_tets_binary.vtk is
legacy BINARY (big endian, VTK 5.1 OFFSETS/CONNECTIVITY).
two_hexes.vtk: [0,2]x[0,1]x[0,1] as two unit hexahedra, quads on x = 0 (tag 1) and x = 2 (tag 2).
../bad_input/mesh_vtu_wedge.vtu: one wedge (VTK 13). ../bad_input/mesh_vtu_nan.vtu: a tetrahedron
with a NaN coordinate."""
import itertools, struct

P = [(2 * (i & 1), 2 * ((i >> 1) & 1), 2 * ((i >> 2) & 1)) for i in range(8)]  # index x + 2y + 4z
TETS = []
for perm in itertools.permutations(range(3)):
    v, path = 0, [0]
    for d in perm:
        v += 1 << d
        path.append(v)
    TETS.append(path)


def vol6(t):
    a, b, c, d = (P[i] for i in t)
    u = [b[k] - a[k] for k in range(3)]
    v = [c[k] - a[k] for k in range(3)]
    w = [d[k] - a[k] for k in range(3)]
    return u[0] * (v[1] * w[2] - v[2] * w[1]) - u[1] * (v[0] * w[2] - v[2] * w[0]) + u[2] * (v[0] * w[1] - v[1] * w[0])


assert sorted(vol6(t) > 0 for t in TETS) == [False] * 3 + [True] * 3
faces = {}
for t in TETS:
    for skip in range(4):
        f = tuple(sorted(t[:skip] + t[skip + 1:]))
        faces[f] = faces.get(f, 0) + 1
TRIS, TAGS = [], []
for f, n in sorted(faces.items()):
    if n != 1:
        continue
    for d, tag0, tag1 in ((0, 1, 2), (1, 3, 3)):
        c = [P[i][d] for i in f]
        if c == [0, 0, 0] or c == [2, 2, 2]:
            TRIS.append(f)
            TAGS.append(tag0 if c[0] == 0 else tag1)
assert len(TRIS) == 8
CELLS = TETS + TRIS
TYPES = [10] * 6 + [5] * len(TRIS)
REGION = [1, 1, 1, 2, 2, 2] + [-1] * len(TRIS)
TAG = [-1] * 6 + TAGS
FIBRE = [(2.0, 2.0, 0.0)] * 6 + [(0.0, 0.0, 0.0)] * len(TRIS)
PFIBRE = [((-1.0) ** i, 0.0, 0.0) for i in range(8)]


def vtu(points, cells, types, cell_arrays, point_arrays, fn):
    o = ['<?xml version="1.0"?>', '<VTKFile type="UnstructuredGrid" version="0.1" byte_order="LittleEndian">',
         '<UnstructuredGrid>', f'<Piece NumberOfPoints="{len(points)}" NumberOfCells="{len(cells)}">',
         '<Points>', '<DataArray type="Float64" NumberOfComponents="3" format="ascii">']
    o += [" ".join(str(x) for x in p) for p in points]
    o += ['</DataArray>', '</Points>', '<Cells>', '<DataArray type="Int64" Name="connectivity" format="ascii">']
    o += [" ".join(map(str, c)) for c in cells]
    offs, n = [], 0
    for c in cells:
        n += len(c)
        offs.append(n)
    o += ['</DataArray>', '<DataArray type="Int64" Name="offsets" format="ascii">', " ".join(map(str, offs)),
          '</DataArray>', '<DataArray type="UInt8" Name="types" format="ascii">', " ".join(map(str, types)),
          '</DataArray>', '</Cells>']
    for tag, arrays in (("CellData", cell_arrays), ("PointData", point_arrays)):
        o.append(f"<{tag}>")
        for name, typ, nc, vals in arrays:
            o.append(f'<DataArray type="{typ}" Name="{name}" NumberOfComponents="{nc}" format="ascii">')
            o.append(" ".join(str(x) for v in vals for x in (v if isinstance(v, tuple) else (v,))))
            o.append("</DataArray>")
        o.append(f"</{tag}>")
    o += ['</Piece>', '</UnstructuredGrid>', '</VTKFile>']
    open(fn, "w").write("\n".join(o) + "\n")


CUBE_CELL_ARRAYS = [("region", "Int32", 1, REGION), ("tag", "Int32", 1, TAG), ("fibre", "Float64", 3, FIBRE),
                    ("bad2", "Float64", 2, [(1.0, 0.0)] * len(CELLS)), ("zero", "Float64", 3, [(0.0, 0.0, 0.0)] * len(CELLS))]
vtu(P, CELLS, TYPES, CUBE_CELL_ARRAYS, [("pfibre", "Float64", 3, PFIBRE)], "meshes/cube_tets.vtu")

# legacy ASCII, VTK 4.2 cell list
o = ["# vtk DataFile Version 4.2", "cube [0,2]^3, 6 tets, OrganTwin test", "ASCII", "DATASET UNSTRUCTURED_GRID",
     f"POINTS {len(P)} double"] + [" ".join(map(str, p)) for p in P]
o += [f"CELLS {len(CELLS)} {sum(len(c) + 1 for c in CELLS)}"] + [" ".join(map(str, [len(c)] + list(c))) for c in CELLS]
o += [f"CELL_TYPES {len(CELLS)}"] + [str(t) for t in TYPES]
o += [f"CELL_DATA {len(CELLS)}", "SCALARS region int 1", "LOOKUP_TABLE default"] + [str(r) for r in REGION]
o += ["SCALARS tag int", "LOOKUP_TABLE default"] + [str(r) for r in TAG]
o += ["VECTORS fibre double"] + [" ".join(map(str, f)) for f in FIBRE]
o += [f"POINT_DATA {len(P)}", "FIELD FieldData 1", "pfibre 3 8 double"] + [" ".join(map(str, f)) for f in PFIBRE]
open("meshes/cube_tets.vtk", "w").write("\n".join(o) + "\n")

# legacy BINARY (big endian), VTK 5.1 offsets/connectivity
b = bytearray(b"# vtk DataFile Version 5.1\ncube [0,2]^3 binary, OrganTwin test\nBINARY\nDATASET UNSTRUCTURED_GRID\n")
b += f"POINTS {len(P)} double\n".encode() + struct.pack(">%dd" % (3 * len(P)), *[x for p in P for x in p]) + b"\n"
offs = [0]
for c in CELLS:
    offs.append(offs[-1] + len(c))
conn = [i for c in CELLS for i in c]
b += f"CELLS {len(offs)} {len(conn)}\nOFFSETS vtktypeint64\n".encode() + struct.pack(">%dq" % len(offs), *offs) + b"\n"
b += b"CONNECTIVITY vtktypeint64\n" + struct.pack(">%dq" % len(conn), *conn) + b"\n"
b += f"CELL_TYPES {len(CELLS)}\n".encode() + struct.pack(">%di" % len(CELLS), *TYPES) + b"\n"
b += f"CELL_DATA {len(CELLS)}\nSCALARS region int 1\nLOOKUP_TABLE default\n".encode() + struct.pack(">%di" % len(CELLS), *REGION) + b"\n"
b += b"SCALARS tag int 1\nLOOKUP_TABLE default\n" + struct.pack(">%di" % len(CELLS), *TAG) + b"\n"
b += b"VECTORS fibre float\n" + struct.pack(">%df" % (3 * len(CELLS)), *[x for f in FIBRE for x in f]) + b"\n"
b += f"POINT_DATA {len(P)}\nVECTORS pfibre double\n".encode() + struct.pack(">%dd" % (3 * len(P)), *[x for f in PFIBRE for x in f]) + b"\n"
open("meshes/cube_tets_binary.vtk", "wb").write(bytes(b))

# two hexahedra, VTK order (bottom counter-clockwise, then top), quads on x = 0 and x = 2
HP = [(x, y, z) for z in (0, 1) for y in (0, 1) for x in (0, 1, 2)]  # index x + 3y + 6z
idx = lambda x, y, z: x + 3 * y + 6 * z
HEX = [[idx(x0, 0, 0), idx(x0 + 1, 0, 0), idx(x0 + 1, 1, 0), idx(x0, 1, 0),
        idx(x0, 0, 1), idx(x0 + 1, 0, 1), idx(x0 + 1, 1, 1), idx(x0, 1, 1)] for x0 in (0, 1)]
QUADS = [[idx(x, 0, 0), idx(x, 1, 0), idx(x, 1, 1), idx(x, 0, 1)] for x in (0, 2)]
o = ["# vtk DataFile Version 3.0", "two hexahedra, OrganTwin test", "ASCII", "DATASET UNSTRUCTURED_GRID",
     f"POINTS {len(HP)} float"] + [" ".join(map(str, p)) for p in HP]
HC = HEX + QUADS
o += [f"CELLS {len(HC)} {sum(len(c) + 1 for c in HC)}"] + [" ".join(map(str, [len(c)] + c)) for c in HC]
o += [f"CELL_TYPES {len(HC)}", "12", "12", "9", "9", f"CELL_DATA {len(HC)}", "SCALARS tag int 1",
      "LOOKUP_TABLE default", "0", "0", "1", "2", "SCALARS region int 1", "LOOKUP_TABLE default", "3", "4", "0", "0"]
open("meshes/two_hexes.vtk", "w").write("\n".join(o) + "\n")

# bad inputs
WP = [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 0, 1), (0, 1, 1)]
vtu(WP, [[0, 1, 2, 3, 4, 5]], [13], [], [], "../bad_input/mesh_vtu_wedge.vtu")
vtu([(0, 0, 0), (1, 0, 0), (0, float("nan"), 0), (0, 0, 1)], [[0, 1, 2, 3]], [10], [], [], "../bad_input/mesh_vtu_nan.vtu")
