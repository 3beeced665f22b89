#pragma once
// Self-intersection test of a closed triangle surface (before it is filled with tetrahedra).
//
// triangles_intersect: exact-topology triangle-triangle predicate. Triangles that share
// corners (the first n_shared corners of a and b are the same point) only count as
// intersecting when they meet beyond what the shared corners imply:
//   n_shared = 2 (common edge): only when coplanar and folded onto each other;
//   n_shared = 1 (common vertex): when their intersection is more than that vertex;
//   n_shared = 0: when the closed triangles have any point in common (touching counts:
//                 two non-adjacent triangles of a closed surface must not meet at all).
// Signed distances to the other triangle's plane below 1e-9 times the longest edge of the
// pair are taken as zero (coplanar / on the plane).
//
// find_self_intersection: all pairs of triangles whose bounding boxes overlap, found on a
// uniform grid of cell size ~ the mean edge length (sorted cell keys, no empty cells
// stored), each pair tested once.

#include <meshes/surface_reader.h>
#include <meshes/vec3.h>

#include <array>
#include <cstddef>

namespace organtwin::meshes
{
  using Triangle = std::array<Vec3, 3>;

  /// Do triangles a and b intersect, given that their first n_shared (0, 1 or 2) corners
  /// coincide? If so and point != nullptr, *point is a point of the intersection.
  bool triangles_intersect(const Triangle &a, const Triangle &b, unsigned int n_shared, Vec3 *point = nullptr);

  struct SelfIntersection
  {
    unsigned long n_pairs      = 0; ///< intersecting pairs found
    std::size_t   first = 0, second = 0; ///< the pair with the smallest first index (first < second)
    Vec3          point{{0, 0, 0}};      ///< a point of their intersection
    unsigned long n_candidates = 0;      ///< pairs whose bounding boxes overlap (tested)
    double        seconds      = 0;      ///< wall time of the check
  };

  /// Check every pair of triangles of s (points welded: shared corners have equal indices).
  SelfIntersection find_self_intersection(const TriangleSurface &s);

  /// Wall time [s] and candidate pairs of the last find_self_intersection() on this process
  /// (zeros before the first; only rank 0 imports surfaces).
  const SelfIntersection &last_self_intersection_check();
} // namespace organtwin::meshes
