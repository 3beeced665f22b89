#pragma once
// Shared by the mesh unit tests: [Mesh] parameters from the defaults plus "Mesh/Entry=value"
// overrides, parsed as a deck named test.prm.
#include <deal.II/base/parameter_handler.h>

#include <meshes/mesh.h>
#include <solvers/common/parameters.h>

#include <string>
#include <vector>

namespace organtwin::testing
{
  inline meshes::MeshParameters
  mesh_parameters(const std::vector<std::string> &overrides)
  {
    dealii::ParameterHandler prm;
    meshes::MeshParameters::declare_parameters(prm);
    Deck deck(prm);
    deck.apply_overrides(overrides);
    meshes::MeshParameters p;
    p.parse_parameters(prm, "test.prm");
    return p;
  }
} // namespace organtwin::testing
