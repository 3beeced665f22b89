#pragma once
// Triangle surfaces from files: STL, PLY, VTK legacy (read by Gmsh), OBJ and VTK XML
// PolyData (.vtp, read here: ascii, inline binary or appended data, optionally zlib
// compressed). Coordinates are returned in the file's unit.

#include <array>
#include <map>
#include <string>
#include <vector>

namespace organtwin::meshes
{
  struct TriangleSurface
  {
    std::vector<std::array<double, 3>>       points;
    std::vector<std::array<unsigned int, 3>> triangles;
    /// integer label per triangle from a "class" cell or point array (empty if none)
    std::vector<int> labels;
  };

  /// Read a surface file; throws std::runtime_error with a reason on failure.
  TriangleSurface read_surface(const std::string &filename);

  /// Merge points closer than tol (grid hashing); triangles are renumbered, degenerate
  /// ones (two equal corners after merging) removed. Returns how many were removed.
  /// If kept is given, (*kept)[t] is the input index of output triangle t.
  unsigned int weld(TriangleSurface &s, double tol, std::vector<std::size_t> *kept = nullptr);

  struct SurfaceTopology
  {
    unsigned long n_boundary_edges = 0, n_nonmanifold_edges = 0, n_degenerate = 0;
    std::array<double, 3> example_open_edge{{0, 0, 0}}; ///< midpoint of one open edge
    double volume = 0;  ///< signed enclosed volume (divergence theorem) [file unit^3]
    double area   = 0;
    double mean_edge = 0;
    std::array<double, 3> lower{{0, 0, 0}}, upper{{0, 0, 0}};
  };
  SurfaceTopology analyse(const TriangleSurface &s);
} // namespace organtwin::meshes
