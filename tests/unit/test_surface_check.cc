// Self-intersection check of closed surfaces (meshes/surface_check.h): the triangle-triangle
// predicate with shared corners, the grid search on icospheres (intact, and with one vertex
// pushed through the opposite side), and the real meshes of ../shared/meshes (none may be
// reported; the check time of each is printed).
#include <meshes/surface_check.h>
#include <meshes/surface_reader.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <string>

using namespace organtwin::meshes;

namespace
{
  Vec3
  P(double x, double y, double z)
  {
    return Vec3{{x, y, z}};
  }
  Triangle
  T(const Vec3 &a, const Vec3 &b, const Vec3 &c)
  {
    return Triangle{{a, b, c}};
  }

  double
  distance_to_plane(const Vec3 &x, const Triangle &t)
  {
    const Vec3 n = vec3::area_normal(t[0], t[1], t[2]);
    return std::abs(vec3::dot(n, vec3::sub(x, t[0]))) / vec3::norm(n);
  }

  /// Unit icosphere scaled to radius r, subdivided `level` times (20 * 4^level triangles).
  TriangleSurface
  icosphere(unsigned int level, double r)
  {
    const double    t = (1 + std::sqrt(5.)) / 2;
    TriangleSurface s;
    s.points = {{{-1, t, 0}}, {{1, t, 0}}, {{-1, -t, 0}}, {{1, -t, 0}}, {{0, -1, t}}, {{0, 1, t}},
                {{0, -1, -t}}, {{0, 1, -t}}, {{t, 0, -1}}, {{t, 0, 1}}, {{-t, 0, -1}}, {{-t, 0, 1}}};
    const unsigned int faces[20][3] = {{0, 11, 5}, {0, 5, 1},  {0, 1, 7},   {0, 7, 10}, {0, 10, 11},
                                       {1, 5, 9},  {5, 11, 4}, {11, 10, 2}, {10, 7, 6}, {7, 1, 8},
                                       {3, 9, 4},  {3, 4, 2},  {3, 2, 6},   {3, 6, 8},  {3, 8, 9},
                                       {4, 9, 5},  {2, 4, 11}, {6, 2, 10},  {8, 6, 7},  {9, 8, 1}};
    for (const auto &f : faces)
      s.triangles.push_back({{f[0], f[1], f[2]}});
    auto unit = [](Vec3 p) {
      const double l = std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]);
      return Vec3{{p[0] / l, p[1] / l, p[2] / l}};
    };
    for (auto &p : s.points)
      p = unit(p);
    for (unsigned int k = 0; k < level; ++k)
      {
        std::map<std::pair<unsigned int, unsigned int>, unsigned int> mid;
        auto middle = [&](unsigned int a, unsigned int b) {
          const auto key = std::make_pair(std::min(a, b), std::max(a, b));
          const auto it  = mid.find(key);
          if (it != mid.end())
            return it->second;
          const auto &p = s.points[a], &q = s.points[b];
          s.points.push_back(unit({{p[0] + q[0], p[1] + q[1], p[2] + q[2]}}));
          return mid[key] = static_cast<unsigned int>(s.points.size() - 1);
        };
        std::vector<std::array<unsigned int, 3>> next;
        for (const auto &tr : s.triangles)
          {
            const unsigned int ab = middle(tr[0], tr[1]), bc = middle(tr[1], tr[2]), ca = middle(tr[2], tr[0]);
            next.push_back({{tr[0], ab, ca}});
            next.push_back({{tr[1], bc, ab}});
            next.push_back({{tr[2], ca, bc}});
            next.push_back({{ab, bc, ca}});
          }
        s.triangles = next;
      }
    for (auto &p : s.points)
      for (auto &c : p)
        c *= r;
    return s;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(surface_check)

BOOST_AUTO_TEST_CASE(crossing_and_disjoint)
{
  // a in z = 0; b vertical, piercing a's interior along the segment x = 0.5, y = 0.2..?
  const Triangle a = T(P(0, 0, 0), P(2, 0, 0), P(0, 2, 0));
  const Triangle b = T(P(0.5, 0.2, -1), P(0.5, 0.2, 1), P(0.5, 1.0, 0.5));
  Vec3           x;
  BOOST_TEST(triangles_intersect(a, b, 0, &x));
  BOOST_TEST(distance_to_plane(x, a) < 1e-12);
  BOOST_TEST(distance_to_plane(x, b) < 1e-12);
  BOOST_TEST(triangles_intersect(b, a, 0)); // symmetric
  // the same b moved beyond a's hypotenuse x + y = 2: planes cross, triangles do not
  const Triangle far = T(P(1.5, 1.2, -1), P(1.5, 1.2, 1), P(1.5, 2.0, 0.5));
  BOOST_TEST(!triangles_intersect(a, far, 0));
  // parallel planes
  const Triangle above = T(P(0, 0, 0.1), P(2, 0, 0.1), P(0, 2, 0.1));
  BOOST_TEST(!triangles_intersect(a, above, 0));
  // non-adjacent triangles touching at a point (b's corner on a's interior): the surface
  // touches itself, which counts
  const Triangle touch = T(P(0.5, 0.5, 0), P(0.5, 0.5, 1), P(1.0, 0.5, 1));
  BOOST_TEST(triangles_intersect(a, touch, 0, &x));
  BOOST_TEST(std::hypot(x[0] - 0.5, x[1] - 0.5, x[2]) < 1e-12);
}

BOOST_AUTO_TEST_CASE(shared_vertex)
{
  // common corner v = origin (first corner of both)
  const Triangle a = T(P(0, 0, 0), P(2, 0, 0), P(0, 2, 0));
  // only touching at v: b rises out of the plane away from a
  const Triangle b1 = T(P(0, 0, 0), P(-1, -1, 1), P(-1, 0.5, 1));
  BOOST_TEST(!triangles_intersect(a, b1, 1));
  // b's plane cuts a through v, but b lies on the other side of v along that line
  const Triangle b2 = T(P(0, 0, 0), P(-1, -1, 1), P(-1, -1, -1));
  BOOST_TEST(!triangles_intersect(a, b2, 1));
  // b passes through a's interior beyond v: a genuine crossing
  const Triangle b3 = T(P(0, 0, 0), P(1, 1, 1), P(1, 1, -1));
  Vec3           x;
  BOOST_TEST(triangles_intersect(a, b3, 1, &x));
  BOOST_TEST(x[0] > 0.01); // beyond the shared vertex
  BOOST_TEST(std::abs(x[0] - x[1]) < 1e-12);
  // coplanar neighbours in a fan: adjacent wedges (no overlap), overlapping wedges (overlap)
  const Triangle c1 = T(P(0, 0, 0), P(0, 2, 0), P(-2, 0, 0));
  BOOST_TEST(!triangles_intersect(a, c1, 1));
  const Triangle c2 = T(P(0, 0, 0), P(1, 1, 0), P(-1, 1, 0));
  BOOST_TEST(triangles_intersect(a, c2, 1));
  // one wedge inside the other (no corner direction strictly inside the other's wedge for
  // the identical case): identical wedges of different size
  const Triangle c3 = T(P(0, 0, 0), P(1, 0, 0), P(0, 1, 0));
  BOOST_TEST(triangles_intersect(a, c3, 1));
}

BOOST_AUTO_TEST_CASE(shared_edge_and_coplanar)
{
  const Triangle a = T(P(0, 0, 0), P(2, 0, 0), P(0, 2, 0));
  // common edge (first two corners), bent out of the plane: a normal surface hinge
  const Triangle hinge = T(P(0, 0, 0), P(2, 0, 0), P(1, -1, 1));
  BOOST_TEST(!triangles_intersect(a, hinge, 2));
  // coplanar on the other side of the edge: a flat neighbour
  const Triangle flat = T(P(0, 0, 0), P(2, 0, 0), P(1, -1, 0));
  BOOST_TEST(!triangles_intersect(a, flat, 2));
  // coplanar on the same side: folded onto a
  const Triangle fold = T(P(0, 0, 0), P(2, 0, 0), P(1, 0.5, 0));
  BOOST_TEST(triangles_intersect(a, fold, 2));
  // coplanar, no shared corners: overlapping (edges cross), nested (no edge crossing), disjoint
  const Triangle over = T(P(1, 1.5, 0), P(1, -0.5, 0), P(3, 1, 0));
  BOOST_TEST(triangles_intersect(a, over, 0));
  const Triangle nested = T(P(0.2, 0.2, 0), P(0.6, 0.2, 0), P(0.2, 0.6, 0));
  BOOST_TEST(triangles_intersect(a, nested, 0));
  BOOST_TEST(triangles_intersect(nested, a, 0));
  const Triangle apart = T(P(3, 3, 0), P(4, 3, 0), P(3, 4, 0));
  BOOST_TEST(!triangles_intersect(a, apart, 0));
}

// Icospheres: the intact one has no crossing; moving the top vertex through the bottom makes
// its fan cross the opposite side; a level-6 sphere (81,920 triangles) is checked in < 2 s.
BOOST_AUTO_TEST_CASE(icosphere_intact_and_pushed_through)
{
  TriangleSurface s = icosphere(3, 10);
  auto            r = find_self_intersection(s);
  BOOST_TEST(r.n_pairs == 0u);
  BOOST_TEST(r.n_candidates > s.triangles.size()); // neighbours are candidates
  // the vertex closest to +z, moved to z = -15 mm (through the bottom of the sphere)
  std::size_t top = 0;
  for (std::size_t i = 0; i < s.points.size(); ++i)
    if (s.points[i][2] > s.points[top][2])
      top = i;
  s.points[top] = P(s.points[top][0], s.points[top][1], -15);
  r             = find_self_intersection(s);
  BOOST_TEST_MESSAGE("pushed-through icosphere: " << r.n_pairs << " crossing pairs, first " << r.first << "/"
                                                  << r.second << " near " << r.point[0] << ", " << r.point[1] << ", "
                                                  << r.point[2]);
  BOOST_TEST(r.n_pairs > 0u);
  // the crossing is near the bottom of the sphere (z ~ -10 mm), not at the top
  BOOST_TEST(r.point[2] < -9);
  const Triangle ta = T(s.points[s.triangles[r.first][0]], s.points[s.triangles[r.first][1]],
                        s.points[s.triangles[r.first][2]]);
  const Triangle tb = T(s.points[s.triangles[r.second][0]], s.points[s.triangles[r.second][1]],
                        s.points[s.triangles[r.second][2]]);
  BOOST_TEST(distance_to_plane(r.point, ta) < 1e-9);
  BOOST_TEST(distance_to_plane(r.point, tb) < 1e-9);

  const TriangleSurface big = icosphere(6, 10);
  const auto            rb  = find_self_intersection(big);
  BOOST_TEST_MESSAGE("icosphere level 6: " << big.triangles.size() << " triangles, " << rb.n_candidates
                                           << " candidate pairs, " << rb.seconds << " s");
  BOOST_TEST(rb.n_pairs == 0u);
  BOOST_TEST(rb.seconds < 2.0);
}

// The closed real meshes (../shared/meshes) must pass; the check time of each is printed.
BOOST_AUTO_TEST_CASE(shared_meshes_pass)
{
  const std::string dir = std::string(OT_SHARED_DIR) + "/meshes/";
  for (const char *f : {"heart/cobiveco_geo1_ssm_mean_biv.vtp", "liver/totalseg_example_liver.stl",
                        "liver/totalseg_example_liver.vtp", "kidney/totalseg_example_kidney_left.stl",
                        "kidney/totalseg_example_kidney_right.vtp"})
    {
      if (!std::ifstream(dir + f))
        {
          BOOST_TEST_MESSAGE("not found (skipped): " << dir + f);
          continue;
        }
      TriangleSurface s    = read_surface(dir + f);
      const auto      topo = analyse(s);
      const double    diag = std::sqrt(std::pow(topo.upper[0] - topo.lower[0], 2) +
                                    std::pow(topo.upper[1] - topo.lower[1], 2) + std::pow(topo.upper[2] - topo.lower[2], 2));
      weld(s, 1e-7 * diag);
      const auto r = find_self_intersection(s);
      BOOST_TEST_MESSAGE(f << ": " << s.triangles.size() << " triangles, " << r.n_candidates << " candidate pairs, "
                           << r.n_pairs << " crossing, " << r.seconds << " s");
      BOOST_TEST(r.n_pairs == 0u, f << ": first crossing " << r.first << "/" << r.second << " near " << r.point[0]
                                    << ", " << r.point[1] << ", " << r.point[2]);
      BOOST_TEST(r.seconds < 2.0);
    }
}

BOOST_AUTO_TEST_SUITE_END()
