#pragma once
// Temporary in-code hexahedral mesh of the truncated prolate ellipsoid of Land et al.
// 2015 (Problems 2 and 3), used until meshes/ provides the Gmsh generator:
//   x = r_s(t) sin(eta) cos(phi), y = r_s(t) sin(eta) sin(phi), z = -r_l(t) cos(eta),
//   r_s = 7 + 3t, r_l = 17 + 3t [mm], t in [0,1] (endo -> epi),
//   eta in [0, eta_b(t)], cos(eta_b) = -5/r_l (base plane z = 5 mm), phi in [-pi, pi].
// It is the image of deal.II's 5-cell half spherical shell (radii 1..2, x >= 0) under
// a smooth map; a Manifold built from that map places refined vertices and the
// support points of higher-order mappings exactly on the ellipsoidal surfaces.
// Boundary ids: 0 endocardium, 1 epicardium, 2 base.

#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/distributed/tria.h>

namespace organtwin::mechanics
{
  struct LandEllipsoid
  {
    double rs_endo = 7, rl_endo = 17, rs_epi = 10, rl_epi = 20, z_base = 5; ///< [mm]

    /// Prolate coordinates (t, eta, phi) of a physical point (t found by Newton's method).
    dealii::Point<3> coordinates(const dealii::Point<3> &x) const;
    dealii::Point<3> position(double t, double eta, double phi) const;
    /// Reference half shell point -> physical point, and back.
    dealii::Point<3> from_shell(const dealii::Point<3> &p) const;
    dealii::Point<3> to_shell(const dealii::Point<3> &x) const;

    /// Rule-based fibres of Land 2015: helix angle alpha(t) = a_endo + (a_epi - a_endo) t,
    /// f = cos(alpha) e_c + sin(alpha) e_l (e_c circumferential, e_l apex-to-base
    /// meridian), s = transmural outward normal, n = f x s. Angles in radians.
    void fibres(const dealii::Point<3> &x, double a_endo, double a_epi, dealii::Tensor<1, 3> &f,
                dealii::Tensor<1, 3> &s, dealii::Tensor<1, 3> &n) const;

    double eta_base(double t) const;
  };

  /// Create the mesh on tria (empty), refined `refinements` times.
  void make_land_ellipsoid(dealii::parallel::distributed::Triangulation<3> &tria, const LandEllipsoid &g,
                           unsigned int refinements);
} // namespace organtwin::mechanics
