#pragma once
// Closed-form volumes of the generator shapes [mm^3], for tests and for cavity-volume
// checks in solvers (e.g. the Land et al. 2015 LV: cavity = truncated_ellipsoid_volume(7, 17, 5)).

#include <cmath>

namespace organtwin::meshes
{
  /// Volume of the prolate ellipsoid x^2/rs^2 + y^2/rs^2 + z^2/rl^2 <= 1 below the plane z = zb.
  inline double
  truncated_ellipsoid_volume(double rs, double rl, double zb)
  {
    auto F = [&](double z) { return z - z * z * z / (3 * rl * rl); };
    return M_PI * rs * rs * (F(zb) - F(-rl));
  }
} // namespace organtwin::meshes
