#pragma once
// Per-cell fibres for solvers with "fibres from the mesh" (monodomain [Tissue/Fibre field]
// = mesh, mechanics [Fibres/Field] = mesh): the fibre/sheet stored with the mesh
// (Mesh::cell_fibre/cell_sheet, e.g. a prepared .otmesh) if it has them, otherwise LDRB
// fibres (meshes/fibres.h) computed now when [Fibres] Method = ldrb.
//
//   meshes::MeshFibres mf = meshes::mesh_fibres(mesh, fibre_prm, deck + ": [Tissue/Fibre field] = mesh");
//   mf.f[cell->active_cell_index()], mf.s[...]       // per locally owned cell
//   if (mf.ldrb) mf.ldrb->frame_at(cell, x, f, s, n)  // LDRB only: frame at a point of the cell

#include <meshes/fibres.h>
#include <meshes/mesh.h>

#include <memory>
#include <string>
#include <vector>

namespace organtwin::meshes
{
  struct MeshFibres
  {
    /// fibre and sheet per active cell (index active_cell_index(); locally owned cells)
    std::vector<dealii::Tensor<1, 3>> f, s;
    /// the LDRB field when the fibres were computed here (empty pointer: stored fibres)
    std::shared_ptr<const FibreField> ldrb;
    std::string                       origin; ///< "mesh" (stored) or "ldrb"
  };

  /// Fibres stored with the mesh, else LDRB (p.prm_method == "ldrb"); InputError naming
  /// `where` (the deck entry that asked for mesh fibres) if neither is available. Collective.
  MeshFibres mesh_fibres(const Mesh &mesh, const FibreParameters &p, const std::string &where);
} // namespace organtwin::meshes
