#pragma once
/// The whole mesh on rank 0, for the writers of mesh files (.otmesh, .vtu).
#include <deal.II/base/tensor.h>

#include <array>
#include <cstdint>
#include <vector>

namespace organtwin::meshes
{
  struct Mesh;

  /// The locally owned cells and boundary faces of every rank collected on rank 0, with
  /// coincident vertices (equal coordinates) merged into one point. Points are numbered in
  /// order of first use, cells before faces. Vertices are in VTK order (tets and triangles as
  /// deal.II, hexes and quads re-ordered from deal.II's lexicographic order). Per cell: the
  /// material id and fibre/sheet vectors (0 where not given). Empty on the other ranks.
  /// Collective over the mesh's communicator.
  struct GatheredMesh
  {
    std::vector<std::array<double, 3>> points;
    std::vector<std::uint64_t>         cell_vertices; ///< concatenated, cell_offsets[c] = end of c
    std::vector<std::uint64_t>         cell_offsets;
    std::vector<std::uint32_t>         materials;
    std::vector<double>                fibres, sheets; ///< 3 per cell
    std::vector<std::uint64_t>         face_vertices; ///< concatenated, face_offsets[f] = end of f
    std::vector<std::uint64_t>         face_offsets;
    std::vector<std::uint32_t>         face_ids;
  };

  GatheredMesh gather_mesh(const Mesh &mesh, const std::vector<dealii::Tensor<1, 3>> *fibre,
                           const std::vector<dealii::Tensor<1, 3>> *sheet);
} // namespace organtwin::meshes
