// Fibres from the mesh or from LDRB. See mesh_fibres.h.
#include <meshes/mesh_fibres.h>
#include <solvers/common/parameters.h>

namespace organtwin::meshes
{
  MeshFibres
  mesh_fibres(const Mesh &mesh, const FibreParameters &p, const std::string &where)
  {
    MeshFibres out;
    if (!mesh.cell_fibre.empty())
      {
        out.f      = mesh.cell_fibre;
        out.s      = mesh.cell_sheet;
        out.origin = "mesh";
        return out;
      }
    input_check(p.prm_method == "ldrb", where, "the mesh has no stored fibres; set [Fibres] Method = ldrb");
    auto field = std::make_shared<FibreField>(compute_fibres(mesh, p));
    out.f      = field->f;
    out.s      = field->s;
    out.ldrb   = field;
    out.origin = "ldrb";
    return out;
  }
} // namespace organtwin::meshes
