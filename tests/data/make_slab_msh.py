#!/usr/bin/python3
"""Write a structured tetrahedral box mesh in Gmsh MSH 2.2 ASCII format (for tests of the
file-mesh path). Each cube of edge h is split into 6 tetrahedra (Kuhn subdivision), which
gives a conforming mesh. Physical volume 1 "tissue"; boundary triangles tagged 1..6
(x-, x+, y-, y+, z-, z+). usage: make_slab_msh.py Lx Ly Lz h out.msh"""
import itertools, sys

Lx, Ly, Lz, h = map(float, sys.argv[1:5])
nx, ny, nz = round(Lx / h), round(Ly / h), round(Lz / h)
nid = lambda i, j, k: 1 + i + (nx + 1) * (j + (ny + 1) * k)
nodes = [(nid(i, j, k), i * h, j * h, k * h) for k in range(nz + 1) for j in range(ny + 1) for i in range(nx + 1)]
tets = []
perms = list(itertools.permutations(range(3)))
for i, j, k in itertools.product(range(nx), range(ny), range(nz)):
    for p in perms:  # path from (0,0,0) to (1,1,1) along the axes in order p
        c = [0, 0, 0]
        path = [tuple(c)]
        for ax in p:
            c[ax] += 1
            path.append(tuple(c))
        v = [nid(i + a, j + b, k + d) for a, b, d in path]
        # orient positively
        P = {n[0]: n[1:] for n in ()}
        tets.append(v)
coords = {n[0]: n[1:] for n in nodes}
def vol(t):
    a, b, c, d = (coords[x] for x in t)
    u = [b[m] - a[m] for m in range(3)]; v = [c[m] - a[m] for m in range(3)]; w = [d[m] - a[m] for m in range(3)]
    return (u[0] * (v[1] * w[2] - v[2] * w[1]) - u[1] * (v[0] * w[2] - v[2] * w[0]) + u[2] * (v[0] * w[1] - v[1] * w[0]))
tets = [t if vol(t) > 0 else [t[1], t[0], t[2], t[3]] for t in tets]
with open(sys.argv[5], "w") as f:
    f.write("$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$PhysicalNames\n1\n3 1 \"tissue\"\n$EndPhysicalNames\n")
    f.write(f"$Nodes\n{len(nodes)}\n")
    for n in nodes:
        f.write("%d %.10g %.10g %.10g\n" % n)
    f.write(f"$EndNodes\n$Elements\n{len(tets)}\n")
    for e, t in enumerate(tets, start=1):
        f.write(f"{e} 4 2 1 1 {t[0]} {t[1]} {t[2]} {t[3]}\n")
    f.write("$EndElements\n")
