// Mesh generators (Gmsh), tags and geometry measures.
#include <deal.II/base/parameter_handler.h>

#include <meshes/fibres.h>
#include <meshes/mesh.h>
#include <meshes/shapes.h>
#include <solvers/common/parameters.h>

#include <boost/test/unit_test.hpp>

#include "input_error.h"
#include "mesh_parameters.h"

#include <cmath>

using namespace organtwin;
using organtwin::testing::input_error_message;
using organtwin::testing::mesh_parameters;

BOOST_AUTO_TEST_SUITE(mesh)

// Land et al. 2015 LV at the default resolution (h = 1 mm): cavity volume enclosed by the
// endo tag and the base plane vs the closed-form truncated-ellipsoid volume; wall volume too.
BOOST_AUTO_TEST_CASE(land_lv_cavity_volume)
{
  for (const unsigned int order : {1u, 2u})
    {
      const auto   p    = mesh_parameters({"Mesh/Source=generator", "Mesh/Generator=land_lv",
                                      "Mesh/Element order=" + std::to_string(order)});
      const auto   mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
      const double exact_cavity = meshes::truncated_ellipsoid_volume(7, 17, 5);
      const double exact_wall   = meshes::truncated_ellipsoid_volume(10, 20, 5) - exact_cavity;
      const double cavity = mesh.cavity_volume(mesh.boundary_id("endo"), dealii::Point<3>(0, 0, 5),
                                               dealii::Tensor<1, 3>({0., 0., 1.}));
      const double wall   = mesh.volume();
      const auto   q      = mesh.quality();
      BOOST_TEST_MESSAGE("Land LV order " << order << ": " << q.n_cells << " tets, cavity " << cavity << " mm^3 (exact "
                                          << exact_cavity << ", error " << 100 * (cavity / exact_cavity - 1)
                                          << " %), wall " << wall << " (exact " << exact_wall << ", error "
                                          << 100 * (wall / exact_wall - 1) << " %), min scaled Jacobian "
                                          << q.min_scaled_jacobian);
      BOOST_TEST(std::abs(cavity / exact_cavity - 1) < 0.01);
      BOOST_TEST(std::abs(wall / exact_wall - 1) < 0.01);
      BOOST_TEST(q.min_scaled_jacobian > 0);
      BOOST_TEST(mesh.boundary_names.size() == 3u);
      // the base ring: pi (10^2 (1 - 25/400) - 7^2 (1 - 25/289)) mm^2
      const double base_exact = M_PI * (100 * (1 - 25. / 400) - 49 * (1 - 25. / 289));
      BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("base")) / base_exact - 1) < 0.01);
      if (order == 2)
        BOOST_TEST(std::abs(cavity / exact_cavity - 1) < 1e-3); // curved faces: far closer
    }
}

BOOST_AUTO_TEST_CASE(unknown_tag_names_the_entry)
{
  const auto p    = mesh_parameters({"Mesh/Source=generator", "Mesh/Generator=sphere", "Mesh/Element size=4"});
  const auto mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
  const std::string msg =
    input_error_message([&]() { mesh.boundary_id("endo", "deck.prm: [Mechanics/Pressure surface] = endo"); });
  BOOST_TEST(msg.find("[Mechanics/Pressure surface]") != std::string::npos);
  BOOST_TEST(msg.find("\"endo\"") != std::string::npos);
  BOOST_TEST(msg.find("surface") != std::string::npos); // lists the tags it has
}

BOOST_AUTO_TEST_CASE(unknown_generator_and_bad_shape)
{
  BOOST_TEST(input_error_message([]() { mesh_parameters({"Mesh/Source=generator", "Mesh/Generator=torus"}); })
               .find("[Mesh/Generator]") != std::string::npos);
  const auto p = mesh_parameters({"Mesh/Source=generator", "Mesh/Generator=land_lv", "Mesh/Land LV/Epi short radius=5"});
  BOOST_TEST(input_error_message([&]() { meshes::create_mesh(p, MPI_COMM_WORLD); }).find("[Mesh/Land LV]") !=
             std::string::npos);
  const auto big = mesh_parameters({"Mesh/Source=generator", "Mesh/Generator=land_lv", "Mesh/Element size=0.01"});
  BOOST_TEST(input_error_message([&]() { meshes::create_mesh(big, MPI_COMM_WORLD); }).find("GiB") != std::string::npos);
}

// [Mesh/Size near points]: the Land LV at h = 3 mm with 0.5 mm at the endocardial apex
// (0, 0, -17) (default radius 4 x 0.5 = 2 mm) and a 3 mm transition: the longest edge of the
// cells touching the apex drops below 1 mm, the cells more than 6 mm from it keep the global
// size (their mean longest edge
// within 15 % of the unrefined mesh's), and the cell count grows. Malformed entries are
// input errors naming the entry.
BOOST_AUTO_TEST_CASE(size_near_points)
{
  const dealii::Point<3> apex(0, 0, -17);
  struct Sizes
  {
    unsigned int n;
    double       at_apex, far_mean;
  };
  auto sizes = [&](const std::string &points) {
    const auto p    = mesh_parameters({"Mesh/Source=generator", "Mesh/Generator=land_lv", "Mesh/Element size=3",
                                    "Mesh/Size transition=3", "Mesh/Size near points=" + points});
    const auto mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
    Sizes      s{0, 0, 0};
    unsigned   n_far = 0;
    for (const auto &cell : mesh.tria->active_cell_iterators())
      {
        double longest = 0, nearest = 1e30;
        for (unsigned int i = 0; i < 4; ++i)
          {
            nearest = std::min(nearest, cell->vertex(i).distance(apex));
            for (unsigned int j = i + 1; j < 4; ++j)
              longest = std::max(longest, cell->vertex(i).distance(cell->vertex(j)));
          }
        ++s.n;
        if (nearest < 1e-6 || cell->center().distance(apex) < 0.6)
          s.at_apex = std::max(s.at_apex, longest);
        if (cell->center().distance(apex) > 6)
          {
            s.far_mean += longest;
            ++n_far;
          }
      }
    s.far_mean /= std::max(1u, n_far);
    return s;
  };
  const Sizes plain = sizes(""), fine = sizes("0, 0, -17: 0.5");
  BOOST_TEST_MESSAGE("size near points: " << plain.n << " -> " << fine.n << " tets; longest edge at the apex "
                                          << plain.at_apex << " -> " << fine.at_apex << " mm; mean longest edge > 6 mm away "
                                          << plain.far_mean << " -> " << fine.far_mean << " mm");
  BOOST_TEST(fine.at_apex < 1.0);
  BOOST_TEST(plain.at_apex > 2.0);
  BOOST_TEST(fine.n > plain.n);
  BOOST_TEST(std::abs(fine.far_mean / plain.far_mean - 1) < 0.15);
  for (const std::string bad : {"0, 0: 0.5", "0, 0, -17: 0", "0, 0, -17", "a, 0, -17: 0.5", "0, 0, -17: 0.5: -1",
                                "0, 0, -17: 0.5: 1: 2"})
    BOOST_TEST(input_error_message([&]() {
                 mesh_parameters({"Mesh/Source=generator", "Mesh/Size near points=" + bad});
               }).find("[Mesh/Size near points]") != std::string::npos);
}

// LDRB on the Land LV (default resolution): helix angle at the endo and epi faces and at
// mid-wall (10-80 % of the height below the base: away from the apex, where the angle is
// undefined on the axis, and the base), in the local wall frame; every face within 10 deg.
BOOST_AUTO_TEST_CASE(land_lv_ldrb_helix_angle)
{
  const auto p    = mesh_parameters({"Mesh/Source=generator", "Mesh/Generator=land_lv"});
  const auto mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
  dealii::ParameterHandler prm;
  meshes::FibreParameters::declare_parameters(prm);
  meshes::FibreParameters fp;
  fp.parse_parameters(prm, "test.prm");
  fp.prm_method = "ldrb";
  const auto               fibres = meshes::compute_fibres(mesh, fp);
  const dealii::Point<3>   c(0, 0, 5);
  const dealii::Tensor<1, 3> axis({0., 0., 1.});
  const auto endo = mesh.boundary_id("endo"), epi = mesh.boundary_id("epi");
  std::vector<double> a_endo, a_epi, a_mid;
  double              orth = 0;
  for (const auto &cell : mesh.tria->active_cell_iterators())
    if (cell->is_locally_owned())
      {
        const unsigned int i = cell->active_cell_index();
        const auto &f = fibres.f[i], &s = fibres.s[i], &n = fibres.n[i];
        orth = std::max({orth, std::abs(f * s), std::abs(f * n), std::abs(s * n), std::abs(f.norm() - 1)});
        // away from the apex (the axis, where the helix angle is undefined) and the base:
        // height below the base plane between 10 % and 80 % of the 25 mm base-apex distance
        const double height = (5 - cell->center()[2]) / 25;
        if (height < 0.1 || height > 0.8)
          continue;
        for (const unsigned int k : cell->face_indices())
          if (cell->face(k)->at_boundary() && (cell->face(k)->boundary_id() == endo || cell->face(k)->boundary_id() == epi))
            {
              dealii::Tensor<1, 3> ff, ss, nn;
              const auto           x = cell->face(k)->center();
              fibres.frame_at(cell, x, ff, ss, nn);
              const double a = meshes::helix_angle(ff, x, c, axis, fibres.grads[i][1]);
              (cell->face(k)->boundary_id() == endo ? a_endo : a_epi).push_back(a);

            }
        if (fibres.depth[i] > 0.45 && fibres.depth[i] < 0.55)
          a_mid.push_back(meshes::helix_angle(f, cell->center(), c, axis, fibres.grads[i][1]));
      }
  auto stats = [](const std::vector<double> &a, double target) {
    double mean = 0, worst = 0;
    for (const double x : a)
      {
        mean += x / a.size();
        worst = std::max(worst, std::abs(x - target));
      }
    return std::make_pair(mean, worst);
  };
  const auto [m_endo, w_endo] = stats(a_endo, 60);
  const auto [m_epi, w_epi]   = stats(a_epi, -60);
  const auto [m_mid, w_mid]   = stats(a_mid, 0);
  BOOST_TEST_MESSAGE("LDRB Land LV: helix endo mean " << m_endo << " (max |dev| " << w_endo << ", " << a_endo.size()
                                                      << " faces), mid-wall " << m_mid << " (max |dev| " << w_mid
                                                      << "), epi " << m_epi << " (max |dev| " << w_epi << "), "
                                                      << fibres.seconds << " s; orthonormality error " << orth);
  BOOST_TEST(std::abs(m_endo - 60) < 5);
  BOOST_TEST(std::abs(m_epi + 60) < 5);
  BOOST_TEST(std::abs(m_mid) < 5);
  BOOST_TEST(w_endo < 10);
  BOOST_TEST(w_epi < 10);
  BOOST_TEST(orth < 1e-10);
  BOOST_TEST(a_endo.size() > 100u);
}

BOOST_AUTO_TEST_SUITE_END()
