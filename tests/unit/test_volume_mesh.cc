// Volume meshes from VTK files (Source = file with .vtu/.vtk): hand-written small files with
// known volumes, regions, tags and fibres; the one-file VTU export read back in every
// encoding; a VTU written by deal.II's DataOut (zlib, duplicated points, point vectors).
#include <deal.II/base/function.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <meshes/mesh.h>
#include <solvers/common/parameters.h>

#include <boost/test/unit_test.hpp>

#include "input_error.h"
#include "mesh_parameters.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

using namespace organtwin;
using organtwin::testing::input_error_message;
using organtwin::testing::mesh_parameters;

namespace
{
  std::string
  data(const std::string &name)
  {
    return std::string(OT_SOURCE_DIR) + "/tests/data/meshes/" + name;
  }

  double
  region_volume(const meshes::Mesh &mesh, unsigned int id)
  {
    double v = 0;
    for (const auto &cell : mesh.tria->active_cell_iterators())
      if (cell->is_locally_owned() && cell->material_id() == id)
        v += cell->measure();
    return dealii::Utilities::MPI::sum(v, MPI_COMM_WORLD);
  }

  /// sorted vertex coordinates of a cell -> value; independent of numbering and partition
  std::vector<double>
  key(const dealii::TriaActiveIterator<dealii::CellAccessor<3, 3>> &cell)
  {
    std::vector<std::array<double, 3>> x;
    for (unsigned int v = 0; v < cell->n_vertices(); ++v)
      x.push_back({{cell->vertex(v)[0], cell->vertex(v)[1], cell->vertex(v)[2]}});
    std::sort(x.begin(), x.end());
    std::vector<double> k;
    for (const auto &p : x)
      k.insert(k.end(), p.begin(), p.end());
    return k;
  }
} // namespace

BOOST_AUTO_TEST_SUITE(volume_mesh)

// The cube [0,2]^3 as 6 Kuhn tetrahedra in three formats: volume 8 (x 1000 in cm), two regions
// of 4, tags from the triangles (x0: 1, x2: 2, y: 3), z faces untagged, fibres from a cell
// array (2,2,0) and from sign-alternating point vectors (+-1,0,0).
BOOST_AUTO_TEST_CASE(small_cube_files)
{
  for (const std::string file : {"cube_tets.vtu", "cube_tets.vtk", "cube_tets_binary.vtk"})
    for (const std::string fibre : {"fibre", "pfibre"})
      {
        const auto p = mesh_parameters({"Mesh/Source=file", "Mesh/File=" + data(file), "Mesh/Material array=region",
                                   "Mesh/Boundary array=tag", "Mesh/Boundary names=xmin: 1; xmax: 2",
                                   "Mesh/Fibre array=" + fibre, "Mesh/File length unit=cm"});
        const auto mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
        BOOST_TEST_MESSAGE(file << ": " << mesh.description << ", volume " << mesh.volume());
        BOOST_TEST(mesh.simplex);
        BOOST_TEST(mesh.tria->n_global_active_cells() == 6u);
        BOOST_TEST(std::abs(mesh.volume() - 8000) < 1e-9);
        BOOST_TEST(std::abs(region_volume(mesh, 1) - 4000) < 1e-9);
        BOOST_TEST(std::abs(region_volume(mesh, 2) - 4000) < 1e-9);
        BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("xmin")) - 400) < 1e-9);
        BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("xmax")) - 400) < 1e-9);
        BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("id3")) - 800) < 1e-9);
        BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("untagged")) - 800) < 1e-9);
        BOOST_TEST(mesh.boundary_names.size() == 4u);
        BOOST_TEST(mesh.description.find("3 negatively oriented tetrahedra reoriented") != std::string::npos);
        const dealii::Tensor<1, 3> expected =
          fibre == "fibre" ? dealii::Tensor<1, 3>({std::sqrt(0.5), std::sqrt(0.5), 0.}) : dealii::Tensor<1, 3>({1., 0., 0.});
        double err = 0;
        for (const auto &cell : mesh.tria->active_cell_iterators())
          if (cell->is_locally_owned())
            {
              const auto &f = mesh.cell_fibre[cell->active_cell_index()];
              const auto &s = mesh.cell_sheet[cell->active_cell_index()];
              err = std::max({err, std::min((f - expected).norm(), (f + expected).norm()), std::abs(f * s),
                              std::abs(s.norm() - 1)});
            }
        BOOST_TEST(err < 1e-7); // the binary file stores the cell fibres as float
      }
}

// Two unit hexahedra (legacy ASCII), quads on x = 0 and x = 2; regions 3 and 4.
BOOST_AUTO_TEST_CASE(two_hexahedra)
{
  const auto p    = mesh_parameters({"Mesh/Source=file", "Mesh/File=" + data("two_hexes.vtk"), "Mesh/Material array=region",
                                "Mesh/Boundary array=tag"});
  const auto mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
  BOOST_TEST(!mesh.simplex);
  BOOST_TEST(std::abs(mesh.volume() - 2) < 1e-12);
  BOOST_TEST(std::abs(region_volume(mesh, 3) - 1) < 1e-12);
  BOOST_TEST(std::abs(region_volume(mesh, 4) - 1) < 1e-12);
  BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("id1")) - 1) < 1e-12);
  BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("id2")) - 1) < 1e-12);
  BOOST_TEST(std::abs(mesh.boundary_area(mesh.boundary_id("untagged")) - 8) < 1e-12);
}

// Export (save_vtu) and re-import in the five encodings: same volume, tag areas, regions and,
// cell by cell, the same fibre and sheet (a rotating field, so a cell mix-up would show).
BOOST_AUTO_TEST_CASE(export_round_trip_all_encodings)
{
  const auto p    = mesh_parameters({"Mesh/Source=box", "Mesh/Element type=tet", "Mesh/Box upper corner=2,1,1",
                                "Mesh/Element size=0.5"});
  auto       mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
  std::map<std::vector<double>, std::pair<dealii::Tensor<1, 3>, dealii::Tensor<1, 3>>> frames;
  std::vector<dealii::Tensor<1, 3>> f(mesh.tria->n_active_cells()), s(mesh.tria->n_active_cells());
  for (const auto &cell : mesh.tria->active_cell_iterators())
    if (cell->is_locally_owned())
      {
        const double a = cell->center()[0] + 0.3 * cell->center()[2];
        const auto   i = cell->active_cell_index();
        f[i]           = dealii::Tensor<1, 3>({std::cos(a), std::sin(a), 0.});
        s[i]           = dealii::Tensor<1, 3>({0., 0., 1.});
        cell->set_material_id(cell->center()[0] < 1 ? 5 : 6);
        frames[key(cell)] = {f[i], s[i]};
      }
  const double v0 = mesh.volume(), a0 = mesh.boundary_area(mesh.boundary_id("xmax")), r0 = region_volume(mesh, 5);
  for (const std::string enc : {"ascii", "binary", "zlib", "raw", "appended"})
    {
      const std::string file = "volume_mesh_roundtrip_" + enc + ".vtu";
      meshes::save_vtu(mesh, file, &f, &s, enc);
      const auto q  = mesh_parameters({"Mesh/Source=file", "Mesh/File=" + file, "Mesh/Material array=material",
                                  "Mesh/Boundary array=boundary", "Mesh/Fibre array=fibre", "Mesh/Sheet array=sheet"});
      const auto m2 = meshes::create_mesh(q, MPI_COMM_WORLD);
      double     err = 0;
      for (const auto &cell : m2.tria->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            const auto &[ff, ss] = frames.at(key(cell));
            err = std::max({err, (m2.cell_fibre[cell->active_cell_index()] - ff).norm(),
                            (m2.cell_sheet[cell->active_cell_index()] - ss).norm()});
          }
      BOOST_TEST_MESSAGE(enc << ": volume " << m2.volume() << " vs " << v0 << ", max fibre/sheet difference " << err);
      BOOST_TEST(std::abs(m2.volume() / v0 - 1) < 1e-12);
      BOOST_TEST(std::abs(m2.boundary_area(m2.boundary_id("xmax")) / a0 - 1) < 1e-12); // names from the file
      BOOST_TEST(m2.boundary_names.size() == 6u);
      BOOST_TEST(std::abs(region_volume(m2, 5) / r0 - 1) < 1e-12);
      BOOST_TEST(m2.tria->n_global_active_cells() == mesh.tria->n_global_active_cells());
      BOOST_TEST(err < 1e-15);
      std::remove(file.c_str());
    }
}

// Mesh::sheets_given through the readers and the .otmesh: a file with a fibre array and no
// sheet array gives arbitrary sheets (false), kept false by a prepared mesh written from it;
// with the sheet array, and in a prepared mesh written from that, it is true; without fibres
// it is true (nothing to refuse).
BOOST_AUTO_TEST_CASE(sheets_given_flag)
{
  const auto p    = mesh_parameters({"Mesh/Source=box", "Mesh/Element type=tet", "Mesh/Element size=0.5"});
  auto       mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
  BOOST_TEST(mesh.sheets_given);
  std::vector<dealii::Tensor<1, 3>> f(mesh.tria->n_active_cells(), dealii::Tensor<1, 3>({1., 0., 0.})),
    s(mesh.tria->n_active_cells(), dealii::Tensor<1, 3>({0., 1., 0.}));
  meshes::save_vtu(mesh, "sheets_flag.vtu", &f, &s, "ascii");
  for (const bool with_sheet : {false, true})
    {
      std::vector<std::string> entries{"Mesh/Source=file", "Mesh/File=sheets_flag.vtu", "Mesh/Fibre array=fibre"};
      if (with_sheet)
        entries.push_back("Mesh/Sheet array=sheet");
      const auto m = meshes::create_mesh(mesh_parameters(entries), MPI_COMM_WORLD);
      BOOST_TEST(!m.cell_fibre.empty());
      BOOST_TEST(m.sheets_given == with_sheet);
      meshes::save_prepared(m, "sheets_flag.otmesh", &m.cell_fibre, &m.cell_sheet, m.sheets_given);
      const auto r = meshes::create_mesh(mesh_parameters({"Mesh/Source=prepared", "Mesh/File=sheets_flag.otmesh"}),
                                         MPI_COMM_WORLD);
      BOOST_TEST_MESSAGE("sheet array " << with_sheet << ": " << r.description);
      BOOST_TEST(!r.cell_fibre.empty());
      BOOST_TEST(r.sheets_given == with_sheet);
      BOOST_TEST((r.description.find("(no sheets)") != std::string::npos) == !with_sheet);
    }
  meshes::save_prepared(mesh, "sheets_flag.otmesh");
  const auto r = meshes::create_mesh(mesh_parameters({"Mesh/Source=prepared", "Mesh/File=sheets_flag.otmesh"}),
                                     MPI_COMM_WORLD);
  BOOST_TEST(r.cell_fibre.empty());
  BOOST_TEST(r.sheets_given);
  std::remove("sheets_flag.vtu");
  std::remove("sheets_flag.otmesh");
}

// Hexahedra (p4est box) exported with quads as boundary faces and read back as hexahedra:
// volume, regions, every tag's area, and the fibres cell by cell.
BOOST_AUTO_TEST_CASE(export_round_trip_hexahedra)
{
  const auto p    = mesh_parameters({"Mesh/Source=box", "Mesh/Element type=hex", "Mesh/Box upper corner=2,1,1",
                                "Mesh/Element size=0.25"});
  auto       mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
  std::map<std::vector<double>, dealii::Tensor<1, 3>> frames;
  std::vector<dealii::Tensor<1, 3>>                     f(mesh.tria->n_active_cells()), s(mesh.tria->n_active_cells());
  for (const auto &cell : mesh.tria->active_cell_iterators())
    if (cell->is_locally_owned())
      {
        const double a = 2 * cell->center()[1];
        const auto   i = cell->active_cell_index();
        f[i]           = dealii::Tensor<1, 3>({std::cos(a), 0., std::sin(a)});
        s[i]           = dealii::Tensor<1, 3>({0., 1., 0.});
        cell->set_material_id(cell->center()[2] < 0.5 ? 1 : 2);
        frames[key(cell)] = f[i];
      }
  meshes::save_vtu(mesh, "volume_mesh_hex.vtu", &f, &s, "zlib");
  const auto q  = mesh_parameters({"Mesh/Source=file", "Mesh/File=volume_mesh_hex.vtu", "Mesh/Material array=material",
                              "Mesh/Boundary array=boundary", "Mesh/Fibre array=fibre", "Mesh/Sheet array=sheet"});
  const auto m2 = meshes::create_mesh(q, MPI_COMM_WORLD);
  BOOST_TEST(!m2.simplex);
  BOOST_TEST(m2.tria->n_global_active_cells() == mesh.tria->n_global_active_cells());
  BOOST_TEST(std::abs(m2.volume() - 2) < 1e-12);
  BOOST_TEST(std::abs(region_volume(m2, 1) - 1) < 1e-12);
  for (const std::string tag : {"xmin", "xmax", "ymin", "ymax", "zmin", "zmax"})
    BOOST_TEST(std::abs(m2.boundary_area(m2.boundary_id(tag)) - mesh.boundary_area(mesh.boundary_id(tag))) < 1e-12);
  double err = 0;
  for (const auto &cell : m2.tria->active_cell_iterators())
    if (cell->is_locally_owned())
      err = std::max(err, (m2.cell_fibre[cell->active_cell_index()] - frames.at(key(cell))).norm());
  BOOST_TEST_MESSAGE("hexahedra: " << m2.description << ", max fibre difference " << err);
  BOOST_TEST(err < 1e-15);
  std::remove("volume_mesh_hex.vtu");
}

// A VTU written by deal.II's DataOut (every cell with its own copies of its vertices, points
// as Float32, zlib-compressed): the copies are merged; the point vector field (1, 0.1 x, 0.2 y)
// averaged over each cell is its value at the centroid (linear field).
BOOST_AUTO_TEST_CASE(dealii_dataout_vtu)
{
  const auto p    = mesh_parameters({"Mesh/Source=box", "Mesh/Element type=tet", "Mesh/Box upper corner=1,1,1",
                                "Mesh/Element size=0.5"});
  const auto mesh = meshes::create_mesh(p, MPI_COMM_WORLD);
  if (dealii::Utilities::MPI::n_mpi_processes(MPI_COMM_WORLD) > 1)
    return; // one file from one rank
  dealii::FESystem<3>   fe(dealii::FE_SimplexP<3>(1), 3);
  dealii::DoFHandler<3> dh(*mesh.tria);
  dh.distribute_dofs(fe);
  dealii::Vector<double> v(dh.n_dofs());
  struct Field : dealii::Function<3>
  {
    Field()
      : dealii::Function<3>(3)
    {}
    double
    value(const dealii::Point<3> &x, unsigned int c) const override
    {
      return c == 0 ? 1. : c == 1 ? 0.1 * x[0] : 0.2 * x[1];
    }
  };
  dealii::VectorTools::interpolate(dealii::MappingFE<3>(dealii::FE_SimplexP<3>(1)), dh, Field(), v);
  dealii::DataOut<3> out;
  out.attach_dof_handler(dh);
  out.add_data_vector(v, std::vector<std::string>(3, "direction"), dealii::DataOut<3>::type_dof_data,
                      std::vector<dealii::DataComponentInterpretation::DataComponentInterpretation>(
                        3, dealii::DataComponentInterpretation::component_is_part_of_vector));
  out.build_patches();
  {
    std::ofstream o("volume_mesh_dataout.vtu");
    out.write_vtu(o);
  }
  const auto q  = mesh_parameters({"Mesh/Source=file", "Mesh/File=volume_mesh_dataout.vtu", "Mesh/Fibre array=direction"});
  const auto m2 = meshes::create_mesh(q, MPI_COMM_WORLD);
  BOOST_TEST(m2.tria->n_global_active_cells() == mesh.tria->n_global_active_cells());
  BOOST_TEST(m2.tria->n_vertices() == mesh.tria->n_vertices()); // duplicates merged
  BOOST_TEST(std::abs(m2.volume() - 1) < 1e-6);                 // Float32 points
  double err = 0;
  for (const auto &cell : m2.tria->active_cell_iterators())
    {
      const auto            c = cell->center();
      dealii::Tensor<1, 3> e({1., 0.1 * c[0], 0.2 * c[1]});
      err = std::max(err, (m2.cell_fibre[cell->active_cell_index()] - e / e.norm()).norm());
    }
  BOOST_TEST_MESSAGE("DataOut VTU: " << m2.description << ", fibre error " << err);
  BOOST_TEST(err < 1e-6);
  std::remove("volume_mesh_dataout.vtu");
}

// Entries for VTK arrays with another source, and a sheet without a fibre, are refused early.
BOOST_AUTO_TEST_CASE(array_entries_need_a_vtk_file)
{
  BOOST_TEST(input_error_message([]() { mesh_parameters({"Mesh/Source=box", "Mesh/Fibre array=fibre"}); })
               .find("[Mesh/Fibre array]") != std::string::npos);
  BOOST_TEST(input_error_message([]() {
               mesh_parameters({"Mesh/Source=file", "Mesh/File=" + data("cube_tets.vtu"), "Mesh/Sheet array=fibre"});
             }).find("needs a Fibre array") != std::string::npos);
  const auto p = mesh_parameters({"Mesh/Source=file", "Mesh/File=" + data("cube_tets.vtu"), "Mesh/Boundary array=tag",
                             "Mesh/Boundary names=endo: 7"});
  BOOST_TEST(input_error_message([&]() { meshes::create_mesh(p, MPI_COMM_WORLD); }).find("names id 7") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
