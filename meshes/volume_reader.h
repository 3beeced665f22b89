#pragma once
// Internal to meshes/: volume meshes from VTK files, VTK XML UnstructuredGrid (.vtu: ascii,
// inline base64 or appended base64/raw data, zlib-compressed or not) and legacy VTK
// UNSTRUCTURED_GRID (.vtk: ASCII or BINARY, cell formats of VTK 4.2 and 5.1), with their
// point and cell arrays. Tetrahedra (VTK type 10) or hexahedra (12, and voxels 11) are the
// volume cells; triangles (5) and quadrilaterals (9) in the same file are boundary faces.
// Rank 0 reads; meshes/mesh.cc partitions the result once (Source = file).

#include <meshes/gmsh_bridge.h>
#include <meshes/vtk_data.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace organtwin::meshes
{
  /// The content of a .vtu/.vtk unstructured grid, in the file's unit and numbering.
  struct VolumeFile
  {
    std::vector<std::array<double, 3>> points;
    std::vector<std::uint8_t>          types;        ///< VTK cell type per cell
    std::vector<std::uint64_t>         offsets;      ///< n_cells + 1; cell c: [offsets[c], offsets[c+1])
    std::vector<std::uint64_t>         connectivity; ///< point indices
    std::map<std::string, vtk::Array>  point_data, cell_data, field_data;
  };

  /// Read a .vtu or .vtk file (by extension); throws std::runtime_error with the reason.
  VolumeFile read_volume_file(const std::string &filename);

  /// [Mesh] Source = file with a .vtu/.vtk File: cells, material ids (Material array), boundary
  /// ids and names (Boundary array, Boundary names), unit conversion, checks. fibres: 6 doubles
  /// (fibre, sheet) per cell of out.tria in creation order if Fibre array is set, else empty.
  /// Throws InputError naming the file, the entry or array and what was expected.
  void import_volume(const MeshParameters &p, SerialMesh &out, std::vector<double> &fibres);

  /// Keep the fibres of the locally owned cells of a mesh distributed from a serial one whose
  /// cell i has fibres_on_root[6i .. 6i+5] (the coarse cell id of the distributed cell is i).
  void attach_fibres_by_coarse_id(Mesh &mesh, const std::vector<double> &fibres_on_root, MPI_Comm comm);
} // namespace organtwin::meshes
