// Fibres from the mesh for the mechanics solver (meshes/mesh_fibres.h): LDRB with the
// Land 2015 Problem 3 angles against the analytic rule of the benchmark on the same Gmsh
// LV, and the choice between stored fibres and LDRB.
#include <deal.II/base/parameter_handler.h>

#include <meshes/fibres.h>
#include <meshes/mesh.h>
#include <meshes/mesh_fibres.h>
#include <solvers/common/parameters.h>
#include <solvers/mechanics/land_ellipsoid.h>

#include <boost/test/unit_test.hpp>

#include "input_error.h"

#include <cmath>

using namespace organtwin;
using organtwin::testing::input_error_message;

namespace
{
  meshes::Mesh
  land_lv(double h)
  {
    dealii::ParameterHandler prm;
    meshes::MeshParameters::declare_parameters(prm);
    Deck deck(prm);
    deck.apply_overrides({"Mesh/Source=generator", "Mesh/Generator=land_lv", "Mesh/Element size=" + std::to_string(h)});
    meshes::MeshParameters p;
    p.parse_parameters(prm, "test.prm");
    return meshes::create_mesh(p, MPI_COMM_WORLD);
  }

  meshes::FibreParameters
  fibre_parameters(const std::string &method, double a_endo, double a_epi)
  {
    dealii::ParameterHandler prm;
    meshes::FibreParameters::declare_parameters(prm);
    meshes::FibreParameters fp;
    fp.parse_parameters(prm, "test.prm");
    fp.prm_method     = method;
    fp.prm_alpha_endo = a_endo;
    fp.prm_alpha_epi  = a_epi;
    fp.prm_beta_endo  = 0;
    fp.prm_beta_epi   = 0;
    return fp;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(mechanics_fibres)

// Land 2015 Problem 3 fibres (helix +90 deg endo -> -90 deg epi, linear through the wall):
// LDRB on the Gmsh Land LV (h = 2 mm) vs the analytic rule alpha(t) of the benchmark
// (mechanics::LandEllipsoid::fibres) at the quadrature-free cell centres between 10 % and
// 80 % of the base-apex height. The two transmural coordinates differ (Laplace depth vs the
// ellipsoidal t), so agreement is close, not exact; the rule with the opposite handedness
// (-90 -> +90) must disagree (f and -f are the same fibre: |f . g| is compared).
BOOST_AUTO_TEST_CASE(ldrb_matches_land_rule)
{
  const auto                 mesh = land_lv(2.0);
  const auto                 mf   = meshes::mesh_fibres(mesh, fibre_parameters("ldrb", 90, -90), "test.prm: [Fibres/Field] = mesh");
  const mechanics::LandEllipsoid land; // the generator's default shape is the benchmark's
  BOOST_TEST(mf.origin == "ldrb");
  BOOST_REQUIRE(mf.ldrb);
  double       sum = 0, sum_flip = 0, worst = 1;
  unsigned int n = 0;
  for (const auto &cell : mesh.tria->active_cell_iterators())
    if (cell->is_locally_owned())
      {
        const auto   x      = cell->center();
        const double height = (5 - x[2]) / 25;
        if (height < 0.1 || height > 0.8)
          continue;
        dealii::Tensor<1, 3> f, s, nn, g, gs, gn, h, hs, hn;
        mf.ldrb->frame_at(cell, x, f, s, nn);
        land.fibres(x, M_PI / 2, -M_PI / 2, g, gs, gn);
        land.fibres(x, -M_PI / 2, M_PI / 2, h, hs, hn);
        const double c = std::abs(f * g);
        sum += c;
        sum_flip += std::abs(f * h);
        worst = std::min(worst, c);
        ++n;
        // the per-cell fibre of the shared helper is the LDRB centroid frame
        BOOST_TEST((mf.f[cell->active_cell_index()] - mf.ldrb->f[cell->active_cell_index()]).norm() == 0.);
      }
  const double mean      = dealii::Utilities::MPI::sum(sum, MPI_COMM_WORLD) /
                      dealii::Utilities::MPI::sum(n, MPI_COMM_WORLD);
  const double mean_flip = dealii::Utilities::MPI::sum(sum_flip, MPI_COMM_WORLD) /
                           dealii::Utilities::MPI::sum(n, MPI_COMM_WORLD);
  worst = dealii::Utilities::MPI::min(worst, MPI_COMM_WORLD);
  BOOST_TEST_MESSAGE("LDRB +90/-90 vs Land rule on the Gmsh LV (h = 2 mm, " << n << " cells): mean |f.g| " << mean
                                                                            << ", worst " << worst
                                                                            << "; opposite handedness: mean "
                                                                            << mean_flip);
  BOOST_TEST(mean > 0.97);
  BOOST_TEST(worst > 0.8);
  BOOST_TEST(mean_flip < 0.85);
}

// Stored fibres take precedence; without them the helper needs Method = ldrb and names the
// deck entry that asked for mesh fibres.
BOOST_AUTO_TEST_CASE(stored_fibres_and_missing_fibres)
{
  auto mesh = land_lv(4.0);
  const std::string msg = input_error_message(
    [&]() { meshes::mesh_fibres(mesh, fibre_parameters("none", 90, -90), "deck.prm: [Fibres/Field] = mesh"); });
  BOOST_TEST(msg.find("deck.prm: [Fibres/Field] = mesh") != std::string::npos);
  BOOST_TEST(msg.find("Method = ldrb") != std::string::npos);

  mesh.cell_fibre.assign(mesh.tria->n_active_cells(), dealii::Tensor<1, 3>({0., 0., 1.}));
  mesh.cell_sheet.assign(mesh.tria->n_active_cells(), dealii::Tensor<1, 3>({1., 0., 0.}));
  const auto mf = meshes::mesh_fibres(mesh, fibre_parameters("ldrb", 90, -90), "deck.prm");
  BOOST_TEST(mf.origin == "mesh");
  BOOST_TEST(!mf.ldrb);
  BOOST_TEST(mf.f.size() == mesh.tria->n_active_cells());
  BOOST_TEST(mf.f[0][2] == 1.);
  BOOST_TEST(mf.s[0][0] == 1.);
}

BOOST_AUTO_TEST_SUITE_END()
