#include <deal.II/distributed/fully_distributed_tria.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/tria_description.h>

#include <meshes/mesh.h>
#include <solvers/common/parameters.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace organtwin::meshes
{
  using namespace dealii;

  void
  MeshParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Mesh");
    prm.declare_entry("Source", "box", Patterns::Selection("box|file"),
                      "box: a generated cuboid; file: a Gmsh .msh volume mesh");
    prm.declare_entry("Element type", "hex", Patterns::Selection("hex|tet"),
                      "box only: hexahedra (Q1, p4est) or tetrahedra (P1, fully distributed; each hex is split "
                      "into 24 tetrahedra with extra nodes at face and cell centres, so there are about 3.5 times "
                      "as many nodes as on the hex mesh)");
    prm.declare_entry("Box lower corner", "0,0,0", Patterns::Anything(), "[mm] x,y,z of the lower corner");
    prm.declare_entry("Box upper corner", "20,7,3", Patterns::Anything(), "[mm] x,y,z of the upper corner");
    prm.declare_entry("Element size", "0.5", Patterns::Double(1e-6), "[mm] edge length of the box elements");
    prm.declare_entry("File", "", Patterns::Anything(), "file only: path of the Gmsh .msh file (relative to the "
                                                        "working directory)");
    prm.declare_entry("File length unit", "mm", Patterns::Selection("um|mm|cm|m"),
                      "unit of the coordinates in the mesh file; converted to mm on reading");
    prm.leave_subsection();
  }

  void
  MeshParameters::parse_parameters(ParameterHandler &prm, const std::string &deck)
  {
    prm_deck = deck;
    prm.enter_subsection("Mesh");
    prm_source       = prm.get("Source");
    prm_element_type = prm.get("Element type");
    prm_lower        = parse_point(prm.get("Box lower corner"), deck + ": [Mesh/Box lower corner]");
    prm_upper        = parse_point(prm.get("Box upper corner"), deck + ": [Mesh/Box upper corner]");
    prm_element_size = prm.get_double("Element size");
    prm_file         = prm.get("File");
    const std::string u = prm.get("File length unit");
    prm_unit_to_mm      = u == "um" ? 1e-3 : u == "mm" ? 1. : u == "cm" ? 10. : 1000.;
    prm.leave_subsection();
    if (prm_source == "box")
      for (unsigned int d = 0; d < 3; ++d)
        {
          input_check(prm_upper[d] > prm_lower[d], deck + ": [Mesh/Box upper corner]",
                      "must be larger than the lower corner in every coordinate");
          const double n = (prm_upper[d] - prm_lower[d]) / prm_element_size;
          input_check(std::abs(n - std::round(n)) < 1e-6 * n && std::round(n) >= 1,
                      deck + ": [Mesh/Element size]",
                      "= " + std::to_string(prm_element_size) + " mm does not divide the box edge of length " +
                        std::to_string(prm_upper[d] - prm_lower[d]) + " mm into a whole number of elements");
        }
    else
      {
        input_check(!prm_file.empty(), deck + ": [Mesh/File]", "must name a .msh file when Source = file");
        std::ifstream in(prm_file);
        input_check(static_cast<bool>(in), deck + ": [Mesh/File] = \"" + prm_file + "\"",
                    "cannot open the mesh file (checked before anything is computed)");
      }
  }

  namespace
  {
    std::unique_ptr<parallel::TriangulationBase<3>>
    distribute_serial(Triangulation<3> &serial, MPI_Comm comm)
    {
      GridTools::partition_triangulation(Utilities::MPI::n_mpi_processes(comm), serial);
      const auto description = TriangulationDescription::Utilities::create_description_from_triangulation(serial, comm);
      auto       tria        = std::make_unique<parallel::fullydistributed::Triangulation<3>>(comm);
      tria->create_triangulation(description);
      return tria;
    }
  } // namespace

  Mesh
  create_mesh(const MeshParameters &p, MPI_Comm comm)
  {
    Mesh               mesh;
    std::ostringstream desc;
    if (p.prm_source == "box")
      {
        std::vector<unsigned int> rep(3);
        for (unsigned int d = 0; d < 3; ++d)
          rep[d] = static_cast<unsigned int>(std::round((p.prm_upper[d] - p.prm_lower[d]) / p.prm_element_size));
        mesh.h = p.prm_element_size;
        if (p.prm_element_type == "hex")
          {
            // p4est keeps one tree per coarse cell; use fewer, larger coarse cells and
            // refine globally when the counts allow it.
            unsigned int n_refine = 0;
            while (rep[0] % 2 == 0 && rep[1] % 2 == 0 && rep[2] % 2 == 0 &&
                   static_cast<double>(rep[0]) * rep[1] * rep[2] > 20000)
              {
                for (auto &r : rep)
                  r /= 2;
                ++n_refine;
              }
            auto tria = std::make_unique<parallel::distributed::Triangulation<3>>(comm);
            GridGenerator::subdivided_hyper_rectangle(*tria, rep, p.prm_lower, p.prm_upper, true);
            tria->refine_global(n_refine);
            mesh.tria = std::move(tria);
            desc << "box " << p.prm_lower << " to " << p.prm_upper << " mm, hexahedra h = " << mesh.h << " mm";
          }
        else
          {
            Triangulation<3> hex, tet;
            GridGenerator::subdivided_hyper_rectangle(hex, rep, p.prm_lower, p.prm_upper, true);
            GridGenerator::convert_hypercube_to_simplex_mesh(hex, tet);
            // boundary ids are kept by the conversion
            mesh.tria    = distribute_serial(tet, comm);
            mesh.simplex = true;
            desc << "box " << p.prm_lower << " to " << p.prm_upper << " mm, tetrahedra (24 per hex of " << mesh.h
                 << " mm)";
          }
      }
    else
      {
        {
          std::ifstream in(p.prm_file);
          if (!in)
            throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\": cannot open the mesh file");
        }
        Triangulation<3> serial;
        GridIn<3>        gi(serial);
        // deal.II's own stream reader (MSH 2.2 and 4.1 ASCII): it reports errors as
        // exceptions, where the Gmsh library aborts on some malformed files.
        std::ifstream in(p.prm_file);
        try
          {
            gi.read_msh(in);
          }
        catch (const ExceptionBase &e)
          {
            std::ostringstream o;
            e.print_info(o);
            throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file +
                             "\": not a readable Gmsh volume mesh (MSH 2.2 or 4.1 ASCII expected): " + o.str());
          }
        catch (const std::exception &e)
          {
            throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file +
                             "\": not a readable Gmsh volume mesh (MSH 2.2 or 4.1 ASCII expected): " + e.what());
          }
        input_check(serial.n_active_cells() > 0, p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\"", "the mesh has no cells");
        if (p.prm_unit_to_mm != 1.0)
          GridTools::scale(p.prm_unit_to_mm, serial);
        unsigned int n_bad = 0;
        double       vmin  = 1e300;
        for (const auto &cell : serial.active_cell_iterators())
          {
            const double v = cell->measure();
            vmin           = std::min(vmin, v);
            n_bad += (v <= 0);
          }
        input_check(n_bad == 0, p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\"",
                    std::to_string(n_bad) + " element(s) are inverted or degenerate (smallest signed volume " +
                      std::to_string(vmin) + " mm^3); expected positively oriented elements");
        mesh.simplex = !serial.all_reference_cells_are_hyper_cube();
        double hmin  = 1e300;
        for (const auto &cell : serial.active_cell_iterators())
          hmin = std::min(hmin, cell->minimum_vertex_distance());
        mesh.h = hmin;
        desc << "file " << p.prm_file << " (" << serial.n_active_cells() << (mesh.simplex ? " tetrahedra" : " hexahedra")
             << ", min edge " << hmin << " mm)";
        if (!serial.all_reference_cells_are_simplex() && mesh.simplex)
          throw InputError(p.prm_deck + ": [Mesh/File] = \"" + p.prm_file + "\": mixed element types are not supported");
        mesh.tria = distribute_serial(serial, comm);
      }
    mesh.description = desc.str();
    return mesh;
  }

} // namespace organtwin::meshes
