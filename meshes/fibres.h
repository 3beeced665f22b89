#pragma once
// Rule-based myocardial fibres (LDRB, Bayer et al. 2012, Ann Biomed Eng 40:2243) on a
// tagged tetrahedral mesh: Laplace solves (P1, PETSc CG + BoomerAMG) for the transmural
// (phi_epi, phi_lv, phi_rv) and apico-basal (psi) coordinates, local axes from their
// gradients, fibre/sheet/normal rotated by the helix angle alpha and the sheet angle beta
// (linear in the transmural depth), axes blended with bislerp. See
// docs/theory/geometry_fibres.md.
//
// Use from a solver:
//   meshes::FibreParameters::declare_parameters(prm);  fp.parse_parameters(prm, deck);
//   meshes::FibreField fibres = meshes::compute_fibres(mesh, fp);
//   fibres.fibre(cell), fibres.sheet(cell), fibres.normal(cell)   // per cell (P1: per quadrature point)

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/tensor.h>
#include <deal.II/dofs/dof_handler.h>

#include <meshes/mesh.h>

#include <array>
#include <string>
#include <vector>

namespace organtwin::meshes
{
  struct FibreParameters
  {
    static void declare_parameters(dealii::ParameterHandler &prm);
    void        parse_parameters(dealii::ParameterHandler &prm, const std::string &deck);

    std::string prm_method = "none"; ///< none | ldrb
    double      prm_alpha_endo = 60, prm_alpha_epi = -60; ///< [deg] helix angle
    double      prm_beta_endo = -65, prm_beta_epi = 25;   ///< [deg] sheet angle
    std::string prm_lv_endo = "endo", prm_rv_endo = "", prm_epi = "epi", prm_base = "base";
    std::string prm_apex = "auto"; ///< "auto" or x,y,z [mm]
    std::string prm_deck = "<deck>";
  };

  struct FibreField
  {
    /// per active cell (index = cell->active_cell_index()); valid on locally owned cells
    std::vector<dealii::Tensor<1, 3>> f, s, n;
    /// Laplace coordinates per cell (cell average): transmural depth 0 endo .. 1 epi,
    /// apico-basal 0 apex .. 1 base, LV/RV 0 LV .. 1 RV (0 without RV)
    std::vector<double> depth, apicobasal, lvrv;
    double              seconds = 0; ///< wall time of the solves

    /// Fibre, sheet, normal at a point x of a locally owned cell (e.g. a quadrature point):
    /// the Laplace coordinates are interpolated (P1) to x, the gradients are the cell's.
    template <class CellIterator>
    void
    frame_at(const CellIterator &c, const dealii::Point<3> &x, dealii::Tensor<1, 3> &fo, dealii::Tensor<1, 3> &so,
             dealii::Tensor<1, 3> &no) const
    {
      std::array<dealii::Point<3>, 4> v;
      for (unsigned int k = 0; k < 4; ++k)
        v[k] = c->vertex(k);
      frame_at(c->active_cell_index(), v, x, fo, so, no);
    }
    void frame_at(unsigned int cell_index, const std::array<dealii::Point<3>, 4> &vertices, const dealii::Point<3> &x,
                  dealii::Tensor<1, 3> &fo, dealii::Tensor<1, 3> &so, dealii::Tensor<1, 3> &no) const;
    /// Transmural depth (0 endo, 1 epi) interpolated to x in the cell.
    double depth_at(unsigned int cell_index, const std::array<dealii::Point<3>, 4> &vertices,
                    const dealii::Point<3> &x) const;

    // per cell: recovered gradients of psi, phi_epi, phi_lv, phi_rv at the centroid, at the
    // four vertices (field-major: 4 * field + vertex), and the vertex values
    std::vector<std::array<dealii::Tensor<1, 3>, 4>>  grads;
    std::vector<std::array<dealii::Tensor<1, 3>, 16>> ngrads;
    std::vector<std::array<double, 16>>              nodal;
    FibreParameters                                  prm;
    bool                                             has_rv = false;

    template <class CellIterator>
    const dealii::Tensor<1, 3> &fibre(const CellIterator &c) const { return f[c->active_cell_index()]; }
    template <class CellIterator>
    const dealii::Tensor<1, 3> &sheet(const CellIterator &c) const { return s[c->active_cell_index()]; }
    template <class CellIterator>
    const dealii::Tensor<1, 3> &normal(const CellIterator &c) const { return n[c->active_cell_index()]; }
    bool empty() const { return f.empty(); }
  };

  /// LDRB fibres on a tetrahedral mesh with the tags named in p (collective).
  FibreField compute_fibres(const Mesh &mesh, const FibreParameters &p);

  /// Helix angle [deg] of fibre f at x of a ventricle with long axis e_long (apex -> base)
  /// through c: the angle from the circumferential direction e_c = e_long x radial toward
  /// the base, measured in the wall's tangent plane (normal wall_normal; zero: the plane
  /// spanned by e_c and e_long). +60 at the endocardium in the LDRB defaults.
  double helix_angle(const dealii::Tensor<1, 3> &f, const dealii::Point<3> &x, const dealii::Point<3> &c,
                     const dealii::Tensor<1, 3> &e_long, const dealii::Tensor<1, 3> &wall_normal = dealii::Tensor<1, 3>());
} // namespace organtwin::meshes
