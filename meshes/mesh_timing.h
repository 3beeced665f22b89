#pragma once
// Wall times [s] of the stages of the last create_mesh() call on this process (rank 0 does
// the generation; every rank waits for it, so the values agree to the broadcast latency).
// Kept out of meshes/mesh.h so that reporting them recompiles only the reporters.
//   generate:   Gmsh geometry + meshing + conversion to a serial deal.II triangulation, or
//               reading a file (rank 0)
//   distribute: partitioning the serial mesh and building the fully distributed triangulation
namespace organtwin::meshes
{
  struct MeshTimings
  {
    double generate   = 0;
    double distribute = 0;
  };

  /// Timings of the last create_mesh() on this process (zeros before the first call).
  const MeshTimings &last_mesh_timings();
} // namespace organtwin::meshes
