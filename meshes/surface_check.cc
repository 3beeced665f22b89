// Triangle-triangle intersection with shared-corner handling, and the grid search over a
// surface (meshes/surface_check.h).
//
// Predicate (non-coplanar case): each triangle is cut by the other's plane in a segment
// (vertices on the plane and edge crossings); both segments lie on the line where the planes
// meet, and the triangles intersect where the segments overlap. Coplanar triangles are
// tested in 2D (projection along the dominant normal component): edge crossings and
// vertex containment; with one shared vertex, by whether the angular wedges at that vertex
// overlap (two triangles with a common apex overlap iff their wedges do); with a shared
// edge, by whether the third corners lie on the same side of it (a fold).
#include <meshes/surface_check.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace organtwin::meshes
{
  namespace
  {
    using namespace vec3;

    int
    sgn(double v, double tol)
    {
      return v > tol ? 1 : (v < -tol ? -1 : 0);
    }

    /// Unit normal of a triangle.
    Vec3
    unit_normal(const Triangle &t)
    {
      Vec3         n = cross(sub(t[1], t[0]), sub(t[2], t[0]));
      const double l = norm(n);
      return l > 0 ? Vec3{{n[0] / l, n[1] / l, n[2] / l}} : Vec3{{0, 0, 0}};
    }

    /// The part of triangle t in the plane where the signed distances s vanish: 1 or 2 points.
    std::vector<Vec3>
    plane_section(const Triangle &t, const double s[3])
    {
      std::vector<Vec3> pts;
      for (unsigned int i = 0; i < 3; ++i)
        if (s[i] == 0)
          pts.push_back(t[i]);
      for (unsigned int i = 0; i < 3; ++i)
        {
          const unsigned int j = (i + 1) % 3;
          if ((s[i] > 0 && s[j] < 0) || (s[i] < 0 && s[j] > 0))
            pts.push_back(lerp(t[i], t[j], s[i] / (s[i] - s[j])));
        }
      return pts;
    }

    // ---- coplanar case, in 2D -----------------------------------------------------------
    struct P2
    {
      double x, y;
    };
    double
    orient2(const P2 &p, const P2 &q, const P2 &r)
    {
      return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    }

    struct Plane2D
    {
      unsigned int i, j; // the two kept coordinates
      explicit Plane2D(const Vec3 &n)
      {
        const unsigned int k = std::abs(n[0]) >= std::abs(n[1]) && std::abs(n[0]) >= std::abs(n[2]) ? 0 :
                               (std::abs(n[1]) >= std::abs(n[2]) ? 1 : 2);
        i = (k + 1) % 3;
        j = (k + 2) % 3;
      }
      P2
      operator()(const Vec3 &x) const
      {
        return {x[i], x[j]};
      }
    };

    /// Closed segments pq and rs (2D) meet? tol: on orientation values (area), eps: on lengths.
    /// On success, *t is the parameter along pq of a common point.
    bool
    segments_meet(const P2 &p, const P2 &q, const P2 &r, const P2 &s, double tol, double eps, double *t)
    {
      const double o1 = orient2(p, q, r), o2 = orient2(p, q, s), o3 = orient2(r, s, p), o4 = orient2(r, s, q);
      const int    d1 = sgn(o1, tol), d2 = sgn(o2, tol), d3 = sgn(o3, tol), d4 = sgn(o4, tol);
      if (d1 * d2 < 0 && d3 * d4 < 0)
        {
          *t = o3 / (o3 - o4);
          return true;
        }
      const double len2 = (q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y);
      auto         on   = [&](const P2 &a, const P2 &b, const P2 &c, int d) {
        return d == 0 && c.x >= std::min(a.x, b.x) - eps && c.x <= std::max(a.x, b.x) + eps &&
               c.y >= std::min(a.y, b.y) - eps && c.y <= std::max(a.y, b.y) + eps;
      };
      auto param = [&](const P2 &c) {
        return len2 > 0 ? ((c.x - p.x) * (q.x - p.x) + (c.y - p.y) * (q.y - p.y)) / len2 : 0.;
      };
      if (on(p, q, r, d1))
        *t = param(r);
      else if (on(p, q, s, d2))
        *t = param(s);
      else if (on(r, s, p, d3))
        *t = 0;
      else if (on(r, s, q, d4))
        *t = 1;
      else
        return false;
      *t = std::clamp(*t, 0., 1.);
      return true;
    }

    bool
    inside_closed(const P2 &p, const P2 t[3], double tol)
    {
      const int o = sgn(orient2(t[0], t[1], t[2]), 0);
      for (unsigned int k = 0; k < 3; ++k)
        if (o * orient2(t[k], t[(k + 1) % 3], p) < -tol)
          return false;
      return true;
    }

    bool
    coplanar_intersect(const Triangle &a, const Triangle &b, unsigned int n_shared, double L, const Vec3 &n, Vec3 *point)
    {
      const double tol = 1e-9 * L * L, eps = 1e-9 * L;
      if (n_shared == 2)
        {
          // a fold: the third corners on the same side of the common edge
          const Vec3 e = sub(a[1], a[0]);
          if (dot(cross(e, sub(a[2], a[0])), cross(e, sub(b[2], a[0]))) > tol * L * L)
            {
              if (point)
                *point = {{(a[0][0] + a[1][0] + a[2][0]) / 3, (a[0][1] + a[1][1] + a[2][1]) / 3,
                           (a[0][2] + a[1][2] + a[2][2]) / 3}};
              return true;
            }
          return false;
        }
      const Plane2D proj(n);
      P2            pa[3], pb[3];
      for (unsigned int k = 0; k < 3; ++k)
        {
          pa[k] = proj(a[k]);
          pb[k] = proj(b[k]);
        }
      if (n_shared == 1)
        {
          // wedges at the common apex v = a[0] = b[0]: do their interiors overlap?
          const P2 &v = pa[0];
          auto strictly_in = [&](const P2 &p, const P2 &q, const P2 &w) {
            const int o = sgn(orient2(v, p, q), 0);
            return sgn(orient2(v, p, w), tol) == o && sgn(orient2(v, w, q), tol) == o;
          };
          const P2 ca{(pa[0].x + pa[1].x + pa[2].x) / 3, (pa[0].y + pa[1].y + pa[2].y) / 3};
          const P2 cb{(pb[0].x + pb[1].x + pb[2].x) / 3, (pb[0].y + pb[1].y + pb[2].y) / 3};
          if (strictly_in(pa[1], pa[2], pb[1]) || strictly_in(pa[1], pa[2], pb[2]) || strictly_in(pb[1], pb[2], pa[1]) ||
              strictly_in(pb[1], pb[2], pa[2]) || strictly_in(pb[1], pb[2], ca) || strictly_in(pa[1], pa[2], cb))
            {
              if (point)
                *point = a[0];
              return true;
            }
          return false;
        }
      for (unsigned int i = 0; i < 3; ++i)
        for (unsigned int j = 0; j < 3; ++j)
          {
            double t;
            if (segments_meet(pa[i], pa[(i + 1) % 3], pb[j], pb[(j + 1) % 3], tol, eps, &t))
              {
                if (point)
                  *point = lerp(a[i], a[(i + 1) % 3], t);
                return true;
              }
          }
      for (unsigned int k = 0; k < 3; ++k)
        {
          if (inside_closed(pb[k], pa, tol))
            {
              if (point)
                *point = b[k];
              return true;
            }
          if (inside_closed(pa[k], pb, tol))
            {
              if (point)
                *point = a[k];
              return true;
            }
        }
      return false;
    }
  } // namespace

  bool
  triangles_intersect(const Triangle &a, const Triangle &b, unsigned int n_shared, Vec3 *point)
  {
    double L = 0;
    for (const Triangle *t : {&a, &b})
      for (unsigned int k = 0; k < 3; ++k)
        L = std::max(L, norm(sub((*t)[k], (*t)[(k + 1) % 3])));
    const double tol = 1e-9 * L;
    const Vec3   na = unit_normal(a), nb = unit_normal(b);
    // signed distances to the other plane, measured from a shared corner when there is one
    // (then that corner's distance is exactly 0)
    double sa[3], sb[3];
    for (unsigned int k = 0; k < 3; ++k)
      {
        sa[k] = dot(nb, sub(a[k], b[0]));
        sb[k] = dot(na, sub(b[k], a[0]));
        if (std::abs(sa[k]) <= tol)
          sa[k] = 0;
        if (std::abs(sb[k]) <= tol)
          sb[k] = 0;
      }
    auto one_side = [](const double s[3]) {
      return (s[0] > 0 && s[1] > 0 && s[2] > 0) || (s[0] < 0 && s[1] < 0 && s[2] < 0);
    };
    if (one_side(sa) || one_side(sb))
      return false;
    const bool coplanar = (sa[0] == 0 && sa[1] == 0 && sa[2] == 0) || (sb[0] == 0 && sb[1] == 0 && sb[2] == 0);
    if (coplanar)
      return coplanar_intersect(a, b, n_shared, L, na, point);
    if (n_shared == 2)
      return false; // two planes through a common edge meet only in that edge
    const std::vector<Vec3> ga = plane_section(a, sa), gb = plane_section(b, sb);
    if (ga.empty() || gb.empty())
      return false;
    // parametrise the common line by the longer of the two segments
    const auto   len = [](const std::vector<Vec3> &g) { return g.size() < 2 ? 0. : norm(sub(g[1], g[0])); };
    const auto  &g   = len(ga) >= len(gb) ? ga : gb;
    const double lg  = len(g);
    if (lg <= tol)
      {
        // both sections are points
        if (n_shared == 0 && norm(sub(ga[0], gb[0])) <= tol)
          {
            if (point)
              *point = ga[0];
            return true;
          }
        return false;
      }
    const Vec3 u{{(g[1][0] - g[0][0]) / lg, (g[1][1] - g[0][1]) / lg, (g[1][2] - g[0][2]) / lg}};
    auto       range = [&](const std::vector<Vec3> &h, double &lo, double &hi) {
      lo = hi = dot(sub(h[0], g[0]), u);
      for (const auto &x : h)
        {
          const double t = dot(sub(x, g[0]), u);
          lo             = std::min(lo, t);
          hi             = std::max(hi, t);
        }
    };
    double a0, a1, b0, b1;
    range(ga, a0, a1);
    range(gb, b0, b1);
    const double lo = std::max(a0, b0), hi = std::min(a1, b1);
    // without shared corners any common point counts; with a shared vertex (which lies on both
    // segments) only an overlap of positive length does
    const bool hit = n_shared == 0 ? hi >= lo - tol : hi > lo + tol;
    if (hit && point)
      {
        const double t = 0.5 * (lo + hi);
        *point         = {{g[0][0] + t * u[0], g[0][1] + t * u[1], g[0][2] + t * u[2]}};
      }
    return hit;
  }

  namespace
  {
    SelfIntersection last_check;
  }

  const SelfIntersection &
  last_self_intersection_check()
  {
    return last_check;
  }

  SelfIntersection
  find_self_intersection(const TriangleSurface &s)
  {
    const auto       start = std::chrono::steady_clock::now();
    SelfIntersection r;
    const std::size_t nt = s.triangles.size();
    if (nt < 2)
      {
        last_check = r;
        return r;
      }
    std::vector<std::array<double, 6>> box(nt);
    Vec3                               lo{{1e300, 1e300, 1e300}}, hi{{-1e300, -1e300, -1e300}};
    double                             edge_sum = 0;
    for (std::size_t t = 0; t < nt; ++t)
      {
        auto &b = box[t];
        for (unsigned int d = 0; d < 3; ++d)
          {
            b[d]     = 1e300;
            b[3 + d] = -1e300;
          }
        for (unsigned int k = 0; k < 3; ++k)
          {
            const Vec3 &x = s.points[s.triangles[t][k]];
            edge_sum += norm(sub(x, s.points[s.triangles[t][(k + 1) % 3]]));
            for (unsigned int d = 0; d < 3; ++d)
              {
                b[d]     = std::min(b[d], x[d]);
                b[3 + d] = std::max(b[3 + d], x[d]);
              }
          }
        for (unsigned int d = 0; d < 3; ++d)
          {
            lo[d] = std::min(lo[d], b[d]);
            hi[d] = std::max(hi[d], b[3 + d]);
          }
      }
    const double mean_edge = edge_sum / (3. * nt);
    const double tol       = 1e-9 * mean_edge;
    // grid cell ~ the mean edge (a triangle then covers a few cells), but at most ~ 64 nt cells
    double h = mean_edge;
    for (;;)
      {
        double cells = 1;
        for (unsigned int d = 0; d < 3; ++d)
          cells *= std::floor((hi[d] - lo[d]) / h) + 1;
        if (cells <= 64. * nt + 1e6)
          break;
        h *= 1.5;
      }
    std::array<std::uint64_t, 3> n;
    for (unsigned int d = 0; d < 3; ++d)
      n[d] = static_cast<std::uint64_t>(std::floor((hi[d] - lo[d]) / h)) + 1;
    auto cell = [&](unsigned int d, double x) {
      const double c = std::floor((x - lo[d]) / h);
      return static_cast<std::uint64_t>(std::clamp(c, 0., static_cast<double>(n[d] - 1)));
    };
    auto key = [&](std::uint64_t i, std::uint64_t j, std::uint64_t k) { return i + n[0] * (j + n[1] * k); };
    std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
    entries.reserve(4 * nt);
    for (std::size_t t = 0; t < nt; ++t)
      {
        const auto &b = box[t];
        for (std::uint64_t k = cell(2, b[2]); k <= cell(2, b[5]); ++k)
          for (std::uint64_t j = cell(1, b[1]); j <= cell(1, b[4]); ++j)
            for (std::uint64_t i = cell(0, b[0]); i <= cell(0, b[3]); ++i)
              entries.emplace_back(key(i, j, k), static_cast<std::uint32_t>(t));
      }
    std::sort(entries.begin(), entries.end());
    for (std::size_t begin = 0; begin < entries.size();)
      {
        std::size_t end = begin;
        while (end < entries.size() && entries[end].first == entries[begin].first)
          ++end;
        const std::uint64_t here = entries[begin].first;
        for (std::size_t p = begin; p < end; ++p)
          for (std::size_t q = p + 1; q < end; ++q)
            {
              const std::size_t ta = entries[p].second, tb = entries[q].second;
              const auto       &ba = box[ta], &bb = box[tb];
              bool              overlap = true;
              double            m[3];
              for (unsigned int d = 0; d < 3 && overlap; ++d)
                {
                  overlap = ba[d] <= bb[3 + d] + tol && bb[d] <= ba[3 + d] + tol;
                  m[d]    = std::min(std::max(ba[d], bb[d]), std::min(ba[3 + d], bb[3 + d]));
                }
              // each pair once: in the cell holding the lower corner of the boxes' overlap
              if (!overlap || key(cell(0, m[0]), cell(1, m[1]), cell(2, m[2])) != here)
                continue;
              ++r.n_candidates;
              const auto &A = s.triangles[ta], &B = s.triangles[tb];
              int         shared_a[3], shared_b[3], n_shared = 0;
              for (unsigned int i = 0; i < 3; ++i)
                for (unsigned int j = 0; j < 3; ++j)
                  if (A[i] == B[j])
                    {
                      shared_a[n_shared] = i;
                      shared_b[n_shared] = j;
                      ++n_shared;
                    }
              Vec3 x;
              bool hit;
              if (n_shared == 3)
                {
                  hit = true; // the same triangle twice
                  x   = s.points[A[0]];
                }
              else
                {
                  // shared corners first, in matching order
                  Triangle a, b;
                  bool     used_a[3] = {false, false, false}, used_b[3] = {false, false, false};
                  for (int k = 0; k < n_shared; ++k)
                    {
                      a[k]               = s.points[A[shared_a[k]]];
                      b[k]               = s.points[B[shared_b[k]]];
                      used_a[shared_a[k]] = used_b[shared_b[k]] = true;
                    }
                  for (unsigned int i = 0, ka = n_shared, kb = n_shared; i < 3; ++i)
                    {
                      if (!used_a[i])
                        a[ka++] = s.points[A[i]];
                      if (!used_b[i])
                        b[kb++] = s.points[B[i]];
                    }
                  hit = triangles_intersect(a, b, n_shared, &x);
                }
              if (hit)
                {
                  const std::size_t f = std::min(ta, tb), g = std::max(ta, tb);
                  if (r.n_pairs == 0 || f < r.first || (f == r.first && g < r.second))
                    {
                      r.first  = f;
                      r.second = g;
                      r.point  = x;
                    }
                  ++r.n_pairs;
                }
            }
        begin = end;
      }
    r.seconds  = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    last_check = r;
    return r;
  }
} // namespace organtwin::meshes
