#pragma once
/// Small 3-vector helpers on std::array<double, 3>, the point type of the surface readers and
/// checks (kept as arrays there: they hash and sort as keys, which dealii::Point does not).
#include <array>
#include <cmath>

namespace organtwin::meshes
{
  using Vec3 = std::array<double, 3>;

  namespace vec3
  {
    inline Vec3
    sub(const Vec3 &a, const Vec3 &b)
    {
      return {{a[0] - b[0], a[1] - b[1], a[2] - b[2]}};
    }
    inline Vec3
    lerp(const Vec3 &a, const Vec3 &b, double t)
    {
      return {{a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])}};
    }
    inline Vec3
    cross(const Vec3 &u, const Vec3 &v)
    {
      return {{u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]}};
    }
    inline double
    dot(const Vec3 &u, const Vec3 &v)
    {
      return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
    }
    inline double
    norm(const Vec3 &u)
    {
      return std::sqrt(dot(u, u));
    }
    /// (b - a) x (c - a): twice the area times the unit normal of the triangle a, b, c
    inline Vec3
    area_normal(const Vec3 &a, const Vec3 &b, const Vec3 &c)
    {
      return cross(sub(b, a), sub(c, a));
    }
  } // namespace vec3
} // namespace organtwin::meshes
