#pragma once
// Pseudo-ECG: extracellular potential at virtual electrodes in an infinite, homogeneous
// volume conductor, computed from the transmembrane potential Vm of a tissue simulation.
//
// Formula implemented (Plonsey & Barr, Bioelectricity, 3rd ed. 2007, ch. 8; Gima & Rudy,
// Circ Res 90:889, 2002, eq. 1), for an electrode at x_e outside the tissue Omega:
//
//   phi_e(x_e) = 1/(4 pi sigma_b) * Int_Omega  (sigma_i(x) grad Vm(x)) . (x - x_e) / |x - x_e|^3  dx
//              = -1/(4 pi sigma_b) * Int_Omega (sigma_i(x) grad Vm(x)) . grad_x (1 / |x - x_e|)  dx
//
// (grad_x acts on the source point x). It is the solution of
// sigma_b Lap phi_e = -div(sigma_i grad Vm) in free space, integrated by parts with the
// no-flux condition (sigma_i grad Vm) . n = 0 on the tissue boundary; the impressed
// current density is J_i = -sigma_i grad Vm. Note the sign: with grad_x acting on the
// source point, the integrand carries a minus sign (Gima & Rudy write (-grad Vm) . grad(1/r)).
//
// Sign convention that follows (tested in tests/unit/test_pseudo_ecg.cc):
//  - Vm increasing towards the electrode gives phi_e < 0;
//  - an activation front travelling towards the electrode (depolarised tissue behind it,
//    so Vm decreases towards the electrode) gives phi_e > 0: an upright R wave;
//  - far field: phi_e -> p . (x_e - x_c) / (4 pi sigma_b |x_e - x_c|^3) with the current
//    dipole p = -Int sigma_i grad Vm dx.
//
// Units: Vm [mV], lengths [mm], sigma_i and sigma_b [S/m] (only their ratio matters), so
// phi_e is in [mV]. With a monodomain diffusivity D = sigma / (chi Cm) [mm^2/ms] the caller
// may pass D(x) and tensor_scale = chi Cm in consistent units
// (= 1 / units::monodomain_diffusivity_factor(chi, Cm) for chi [1/mm], Cm [uF/cm^2]).
// A monodomain conductivity is the harmonic mean sigma_i sigma_e / (sigma_i + sigma_e), not
// sigma_i: using it scales the amplitude (by sigma_e / (sigma_i + sigma_e)) but hardly the timing.
//
// Discretisation: phi_e is linear in Vm, so it is a fixed linear functional of the DoF
// values. The constructor integrates, once, with the caller's mapping and quadrature,
//   L_e[j] = sum_cells sum_q  grad N_j(x_q) . sigma_i(x_q)^T (x_q - x_e) / |x_q - x_e|^3
//            * JxW_q / (4 pi sigma_b)
// (the per-quadrature-point weights w_q contracted with the shape gradients), and
// compute(Vm) is then one dot product per electrode over the locally owned DoFs plus one
// MPI sum. Only the locally owned entries of Vm are read (ghosts are not needed).
// The quadrature error of the kernel is about (h / d)^(2 n_q) for an electrode at distance
// d from the tissue (Gauss rule with n_q points per direction, element size h).
//
// Electrodes inside or next to the tissue: the kernel is singular at x_e; the formula is
// still defined (the singularity is integrable) but the quadrature is inaccurate when the
// electrode is within about one element of a quadrature point. Such electrodes are allowed;
// they are listed in warnings() (the caller prints them; nothing here prints).

#include <deal.II/base/point.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/base/tensor.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_vector.h>

#include <functional>
#include <string>
#include <vector>

namespace organtwin::postprocess
{
  /// A virtual electrode.
  struct Electrode
  {
    std::string      name;
    dealii::Point<3> x; ///< [mm]
  };

  /// A lead: phi[plus] - phi[minus], or phi[plus] alone if unipolar.
  struct Lead
  {
    std::string  name;
    unsigned int plus  = 0;
    unsigned int minus = static_cast<unsigned int>(-1); ///< unipolar if no_electrode
    static constexpr unsigned int no_electrode = static_cast<unsigned int>(-1);

    /// The lead voltage [mV] from the electrode potentials phi (as returned by compute()).
    double operator()(const std::vector<double> &phi) const;
  };

  class PseudoEcg
  {
  public:
    /// Conductivity-like tensor at a point x [mm]; the constructor multiplies it by
    /// tensor_scale to obtain sigma_i [S/m].
    using TensorFunction = std::function<dealii::Tensor<2, 3>(const dealii::Point<3> &)>;

    /// Precomputes the lead fields (collective over the triangulation's communicator).
    /// dof_handler: scalar FE (Q1 on hexahedra, P1 on simplices) holding Vm;
    /// mapping, quadrature: those of the solver (e.g. MappingQ1 + QGauss(2) on hexahedra,
    /// MappingFE(FE_SimplexP(1)) + QGaussSimplex(2) on simplices); a higher-order
    /// quadrature reduces the kernel quadrature error for electrodes near the tissue.
    /// Throws std::invalid_argument for an empty electrode list, duplicate or empty
    /// names, non-finite positions, sigma_b <= 0, tensor_scale <= 0 or a vector-valued FE.
    PseudoEcg(const dealii::DoFHandler<3>   &dof_handler,
              const dealii::Mapping<3>      &mapping,
              const dealii::Quadrature<3>   &quadrature,
              const std::vector<Electrode>  &electrodes,
              const TensorFunction          &sigma_i,
              double                         sigma_b,
              double                         tensor_scale = 1.0);

    /// phi_e [mV] at every electrode, in the order of the constructor (collective).
    /// Vm [mV] must be distributed like dof_handler's DoFs (ghosted or not).
    std::vector<double> compute(const dealii::PETScWrappers::MPI::Vector &Vm) const;
    std::vector<double> compute(const dealii::LinearAlgebra::distributed::Vector<double> &Vm) const;

    const std::vector<Electrode> &
    electrodes() const
    {
      return electrode_list;
    }

    /// Smallest distance [mm] from electrode e to a quadrature point of the tissue.
    double
    distance_to_tissue(unsigned int e) const
    {
      return min_distance.at(e);
    }

    /// One sentence per electrode that lies inside the tissue or within one element of it.
    const std::vector<std::string> &
    warnings() const
    {
      return warning_list;
    }

    /// Index of the electrode called name; throws std::invalid_argument if there is none.
    static unsigned int find(const std::vector<Electrode> &electrodes, const std::string &name);

    /// The standard bipolar lead phi(a) - phi(b), named "a-b".
    static Lead lead_difference(const std::vector<Electrode> &electrodes, const std::string &a,
                                const std::string &b);

    /// A unipolar lead phi(a) (against the zero at infinity of the infinite conductor).
    static Lead lead_unipolar(const std::vector<Electrode> &electrodes, const std::string &a);

  private:
    std::vector<double> compute_from_owned(const double *values, std::size_t n) const;

    MPI_Comm                         comm;
    dealii::IndexSet                 owned;
    std::vector<Electrode>           electrode_list;
    std::vector<std::vector<double>> lead_field; ///< [electrode][k-th owned DoF], dimensionless
    std::vector<double>              min_distance;
    std::vector<std::string>         warning_list;
  };

  /// CSV text read by postprocess/plot_ecg.py: header "t_ms,<lead names>", then one row
  /// per entry of rows = {t [ms], lead values [mV]...}. Throws if a row has the wrong length.
  std::string ecg_csv(const std::vector<std::string> &lead_names, const std::vector<std::vector<double>> &rows);
} // namespace organtwin::postprocess
