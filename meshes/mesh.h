#pragma once
// Creation of distributed meshes from a deck: an in-code box (hexahedra on p4est,
// or tetrahedra on a fully distributed triangulation) or a Gmsh file.
// Length unit inside OrganTwin: mm. File coordinates are converted here, once.

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>
#include <deal.II/distributed/tria_base.h>

#include <memory>
#include <string>

namespace organtwin::meshes
{
  struct MeshParameters
  {
    static void declare_parameters(dealii::ParameterHandler &prm);
    /// prm must be at top level; reads subsection "Mesh". deck is for messages.
    void parse_parameters(dealii::ParameterHandler &prm, const std::string &deck);

    std::string         prm_source = "box";    ///< box | file
    std::string         prm_element_type = "hex"; ///< hex | tet (box only)
    dealii::Point<3>    prm_lower, prm_upper;  ///< [mm]
    double              prm_element_size = 0.5;  ///< [mm]
    std::string         prm_file;
    double              prm_unit_to_mm = 1.0;
    std::string         prm_deck = "<deck>"; ///< deck file name, for messages
  };

  struct Mesh
  {
    std::unique_ptr<dealii::parallel::TriangulationBase<3>> tria;
    bool        simplex = false;
    double      h       = 0;   ///< nominal element size [mm]
    std::string description;   ///< one line for the banner and summary
  };

  /// Build the mesh described by p on comm (collective).
  Mesh create_mesh(const MeshParameters &p, MPI_Comm comm);
} // namespace organtwin::meshes
