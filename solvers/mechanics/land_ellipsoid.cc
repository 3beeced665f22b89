#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/manifold.h>
#include <deal.II/grid/manifold_lib.h>

#include <solvers/mechanics/land_ellipsoid.h>

#include <cmath>

namespace organtwin::mechanics
{
  using namespace dealii;

  double
  LandEllipsoid::eta_base(double t) const
  {
    const double rl = rl_endo + (rl_epi - rl_endo) * t;
    return std::acos(-z_base / rl);
  }

  Point<3>
  LandEllipsoid::position(double t, double eta, double phi) const
  {
    const double rs = rs_endo + (rs_epi - rs_endo) * t, rl = rl_endo + (rl_epi - rl_endo) * t;
    return Point<3>(rs * std::sin(eta) * std::cos(phi), rs * std::sin(eta) * std::sin(phi), -rl * std::cos(eta));
  }

  Point<3>
  LandEllipsoid::coordinates(const Point<3> &x) const
  {
    const double rho2 = x[0] * x[0] + x[1] * x[1], z2 = x[2] * x[2];
    // g(t) = rho^2/rs^2 + z^2/rl^2 - 1, decreasing in t; Newton from the middle of the wall
    double t = 0.5;
    for (unsigned int it = 0; it < 50; ++it)
      {
        const double rs = rs_endo + (rs_epi - rs_endo) * t, rl = rl_endo + (rl_epi - rl_endo) * t;
        const double g  = rho2 / (rs * rs) + z2 / (rl * rl) - 1.;
        const double dg = -2. * rho2 / (rs * rs * rs) * (rs_epi - rs_endo) - 2. * z2 / (rl * rl * rl) * (rl_epi - rl_endo);
        const double dt = -g / dg;
        t += dt;
        if (std::abs(dt) < 1e-15)
          break;
      }
    const double rs = rs_endo + (rs_epi - rs_endo) * t, rl = rl_endo + (rl_epi - rl_endo) * t;
    const double eta = std::atan2(std::sqrt(rho2) / rs, -x[2] / rl);
    const double phi = std::atan2(x[1], x[0]);
    return Point<3>(t, eta, phi);
  }

  Point<3>
  LandEllipsoid::from_shell(const Point<3> &p) const
  {
    const double r = p.norm(), t = r - 1.;
    const double theta = std::acos(std::max(-1., std::min(1., p[0] / r)));
    // (p_z, p_y) -> (x, y): with z = -r_l cos(eta) the map is orientation preserving
    const double phi = std::atan2(p[1], p[2]);
    return position(t, theta / (M_PI / 2) * eta_base(t), phi);
  }

  Point<3>
  LandEllipsoid::to_shell(const Point<3> &x) const
  {
    const Point<3> c     = coordinates(x);
    const double   t     = c[0];
    const double   theta = c[1] / eta_base(t) * (M_PI / 2);
    const double   r     = 1. + t;
    return Point<3>(r * std::cos(theta), r * std::sin(theta) * std::sin(c[2]), r * std::sin(theta) * std::cos(c[2]));
  }

  void
  LandEllipsoid::fibres(const Point<3> &x, double a_endo, double a_epi, Tensor<1, 3> &f, Tensor<1, 3> &s,
                        Tensor<1, 3> &n) const
  {
    const Point<3> c   = coordinates(x);
    const double   t   = std::max(0., std::min(1., c[0])), eta = c[1], phi = c[2];
    const double   rs  = rs_endo + (rs_epi - rs_endo) * t, rl = rl_endo + (rl_epi - rl_endo) * t;
    Tensor<1, 3>   el({rs * std::cos(eta) * std::cos(phi), rs * std::cos(eta) * std::sin(phi), rl * std::sin(eta)});
    el /= el.norm();
    Tensor<1, 3> ec({-std::sin(phi), std::cos(phi), 0.});
    ec -= (ec * el) * el;
    ec /= ec.norm();
    const double alpha = a_endo + (a_epi - a_endo) * t;
    f                  = std::cos(alpha) * ec + std::sin(alpha) * el;
    s                  = cross_product_3d(ec, el); // outward normal of the ellipsoidal surface
    s /= s.norm();
    n = cross_product_3d(f, s);
  }

  namespace
  {
    /// New points are computed on the spherical reference shell and mapped back.
    class EllipsoidManifold : public Manifold<3>
    {
    public:
      explicit EllipsoidManifold(const LandEllipsoid &g)
        : g(g)
        , sphere(Point<3>())
      {}
      std::unique_ptr<Manifold<3>>
      clone() const override
      {
        return std::make_unique<EllipsoidManifold>(g);
      }
      Point<3>
      get_new_point(const ArrayView<const Point<3>> &points, const ArrayView<const double> &weights) const override
      {
        std::vector<Point<3>> ref(points.size());
        for (unsigned int i = 0; i < points.size(); ++i)
          ref[i] = g.to_shell(points[i]);
        return g.from_shell(sphere.get_new_point(make_array_view(ref), weights));
      }

    private:
      LandEllipsoid            g;
      SphericalManifold<3>     sphere;
    };
  } // namespace

  void
  make_land_ellipsoid(parallel::distributed::Triangulation<3> &tria, const LandEllipsoid &g, unsigned int refinements)
  {
    GridGenerator::half_hyper_shell(tria, Point<3>(), 1., 2., 0, true); // ids: inner 0, outer 1, x = 0 plane 2
    // Boundary ids by the vertices (deal.II 9.4 colorizes the 3d half shell's outer side
    // faces as 0, like the inner ones): base = the x = 0 plane, endo = all vertices at
    // radius 1, epi = all at radius 2.
    for (const auto &cell : tria.active_cell_iterators())
      for (const auto &face : cell->face_iterators())
        if (face->at_boundary())
          {
            bool plane = true, inner = true, outer = true;
            for (unsigned int v = 0; v < face->n_vertices(); ++v)
              {
                const Point<3> &x = face->vertex(v);
                plane &= std::abs(x[0]) < 1e-10;
                inner &= std::abs(x.norm() - 1.) < 1e-10;
                outer &= std::abs(x.norm() - 2.) < 1e-10;
              }
            AssertThrow(plane + inner + outer == 1, ExcMessage("Land ellipsoid: unclassified boundary face"));
            face->set_boundary_id(plane ? 2 : inner ? 0 : 1);
          }
    GridTools::transform([&g](const Point<3> &p) { return g.from_shell(p); }, tria);
    tria.set_all_manifold_ids(0);
    // one manifold for the whole volume: the x = 0 plane of the shell maps onto the base
    // plane z = 5 mm, so base vertices stay on it as well
    tria.set_manifold(0, EllipsoidManifold(g));
    tria.refine_global(refinements);
  }
} // namespace organtwin::mechanics
