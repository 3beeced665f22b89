// Pseudo-ECG in an infinite homogeneous volume conductor; see pseudo_ecg.h for the formula,
// its sign and units, and docs/theory/pseudo_ecg.md for the derivation.
#include <postprocess/pseudo_ecg.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/numbers.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>

#include <petscvec.h>

#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>
#include <stdexcept>

namespace organtwin::postprocess
{
  using namespace dealii;

  double
  Lead::operator()(const std::vector<double> &phi) const
  {
    if (plus >= phi.size() || (minus != no_electrode && minus >= phi.size()))
      throw std::invalid_argument("Lead \"" + name + "\": electrode index out of range of the potentials given");
    return minus == no_electrode ? phi[plus] : phi[plus] - phi[minus];
  }

  namespace
  {
    /// Largest vertex-to-vertex distance of a cell [mm] (its diameter, any cell shape).
    template <class CellIterator>
    double
    vertex_diameter(const CellIterator &cell)
    {
      double d = 0;
      for (unsigned int a = 0; a < cell->n_vertices(); ++a)
        for (unsigned int b = a + 1; b < cell->n_vertices(); ++b)
          d = std::max(d, cell->vertex(a).distance(cell->vertex(b)));
      return d;
    }
  } // namespace

  PseudoEcg::PseudoEcg(const DoFHandler<3>          &dof_handler,
                       const Mapping<3>             &mapping,
                       const Quadrature<3>          &quadrature,
                       const std::vector<Electrode> &electrodes,
                       const TensorFunction         &sigma_i,
                       double                        sigma_b,
                       double                        tensor_scale)
    : comm(dof_handler.get_triangulation().get_communicator())
    , owned(dof_handler.locally_owned_dofs())
    , electrode_list(electrodes)
  {
    if (electrodes.empty())
      throw std::invalid_argument("PseudoEcg: the electrode list is empty; give at least one electrode");
    std::set<std::string> names;
    for (const auto &e : electrodes)
      {
        if (e.name.empty())
          throw std::invalid_argument("PseudoEcg: an electrode has an empty name");
        if (!names.insert(e.name).second)
          throw std::invalid_argument("PseudoEcg: electrode name \"" + e.name + "\" is used twice");
        for (unsigned int d = 0; d < 3; ++d)
          if (!std::isfinite(e.x[d]))
            throw std::invalid_argument("PseudoEcg: electrode \"" + e.name + "\" has a non-finite position");
      }
    if (!(sigma_b > 0) || !std::isfinite(sigma_b))
      throw std::invalid_argument("PseudoEcg: the bath conductivity sigma_b must be positive and finite [S/m]");
    if (!(tensor_scale > 0) || !std::isfinite(tensor_scale))
      throw std::invalid_argument("PseudoEcg: tensor_scale must be positive and finite");
    if (!sigma_i)
      throw std::invalid_argument("PseudoEcg: no conductivity tensor function given");
    if (dof_handler.get_fe().n_components() != 1)
      throw std::invalid_argument("PseudoEcg: the DoFHandler must hold a scalar field (Vm)");

    const unsigned int n_e   = electrodes.size();
    const double       coeff = tensor_scale / (4. * numbers::PI * sigma_b);

    IndexSet relevant;
    DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
    std::vector<LinearAlgebra::distributed::Vector<double>> L(n_e);
    for (auto &l : L)
      l.reinit(owned, relevant, comm);

    std::vector<double> d_min(n_e, std::numeric_limits<double>::max());
    std::vector<double> ratio_min(n_e, std::numeric_limits<double>::max()); // distance / element size

    const FiniteElement<3> &fe = dof_handler.get_fe();
    FEValues<3> fev(mapping, fe, quadrature, update_gradients | update_JxW_values | update_quadrature_points);
    const unsigned int n_dofs = fe.n_dofs_per_cell();
    std::vector<types::global_dof_index> idx(n_dofs);
    std::vector<double>                  local(n_e * n_dofs); // [electrode][cell DoF]

    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fev.reinit(cell);
          cell->get_dof_indices(idx);
          const double h = vertex_diameter(cell);
          std::fill(local.begin(), local.end(), 0.);
          for (unsigned int q = 0; q < quadrature.size(); ++q)
            {
              const Point<3>     &xq    = fev.quadrature_point(q);
              const Tensor<2, 3>  sT    = transpose(sigma_i(xq));
              const double        scale = coeff * fev.JxW(q);
              for (unsigned int e = 0; e < n_e; ++e)
                {
                  const Tensor<1, 3> r = xq - electrodes[e].x; // from the electrode to the source
                  const double       d = r.norm();
                  d_min[e]             = std::min(d_min[e], d);
                  ratio_min[e]         = std::min(ratio_min[e], d / h);
                  // w_q = JxW sigma_i^T (x - x_e) / |x - x_e|^3 / (4 pi sigma_b), so that
                  // (sigma_i grad Vm) . (x - x_e) / |x - x_e|^3 JxW / (4 pi sigma_b) = grad Vm . w_q
                  if (d <= 1e-12 * h)
                    continue; // electrode on a quadrature point: singular, left out (warned below)
                  const Tensor<1, 3> wq = scale / (d * d * d) * (sT * r);
                  for (unsigned int i = 0; i < n_dofs; ++i)
                    local[e * n_dofs + i] += fev.shape_grad(i, q) * wq;
                }
            }
          for (unsigned int e = 0; e < n_e; ++e)
            for (unsigned int i = 0; i < n_dofs; ++i)
              L[e](idx[i]) += local[e * n_dofs + i];
        }

    lead_field.resize(n_e);
    min_distance.resize(n_e);
    for (unsigned int e = 0; e < n_e; ++e)
      {
        L[e].compress(VectorOperation::add);
        lead_field[e].resize(owned.n_elements());
        for (std::size_t k = 0; k < lead_field[e].size(); ++k)
          lead_field[e][k] = L[e].local_element(k);
        min_distance[e]    = Utilities::MPI::min(d_min[e], comm);
        const double ratio = Utilities::MPI::min(ratio_min[e], comm);
        if (!std::isfinite(min_distance[e]) || ratio < 1.)
          {
            std::ostringstream s;
            s << "pseudo-ECG electrode \"" << electrodes[e].name << "\" at (" << electrodes[e].x
              << ") mm is inside the tissue or within one element of it (nearest quadrature point "
              << min_distance[e] << " mm away): the kernel 1/|x - x_e| is singular there and the "
              << "potential at this electrode is inaccurate; move it outside the tissue";
            warning_list.push_back(s.str());
          }
      }
  }

  std::vector<double>
  PseudoEcg::compute_from_owned(const double *values, std::size_t n) const
  {
    if (n != owned.n_elements())
      throw std::invalid_argument("PseudoEcg::compute: Vm is not distributed like the DoFHandler given "
                                  "to the constructor");
    std::vector<double> phi(lead_field.size(), 0.);
    for (std::size_t e = 0; e < lead_field.size(); ++e)
      {
        const double *l = lead_field[e].data();
        double        s = 0;
        for (std::size_t k = 0; k < n; ++k)
          s += l[k] * values[k];
        phi[e] = s;
      }
    Utilities::MPI::sum(phi, comm, phi);
    return phi;
  }

  std::vector<double>
  PseudoEcg::compute(const PETScWrappers::MPI::Vector &Vm) const
  {
    if (Vm.locally_owned_elements() != owned)
      throw std::invalid_argument("PseudoEcg::compute: Vm is not distributed like the DoFHandler given "
                                  "to the constructor");
    // The array of a (ghosted) PETSc vector holds its owned entries first, in index order.
    const PetscScalar *a    = nullptr;
    PetscErrorCode     ierr = VecGetArrayRead(static_cast<const Vec &>(Vm), &a);
    AssertThrow(ierr == 0, ExcPETScError(ierr));
    static_assert(std::is_same_v<PetscScalar, double>, "PETSc must use real double scalars");
    std::vector<double> phi;
    try
      {
        phi = compute_from_owned(a, owned.n_elements());
      }
    catch (...)
      {
        VecRestoreArrayRead(static_cast<const Vec &>(Vm), &a);
        throw;
      }
    ierr = VecRestoreArrayRead(static_cast<const Vec &>(Vm), &a);
    AssertThrow(ierr == 0, ExcPETScError(ierr));
    return phi;
  }

  std::vector<double>
  PseudoEcg::compute(const LinearAlgebra::distributed::Vector<double> &Vm) const
  {
    if (Vm.locally_owned_elements() != owned)
      throw std::invalid_argument("PseudoEcg::compute: Vm is not distributed like the DoFHandler given "
                                  "to the constructor");
    // local_element(k), k < owned size, is the k-th owned entry in index order.
    return compute_from_owned(Vm.begin(), owned.n_elements());
  }

  unsigned int
  PseudoEcg::find(const std::vector<Electrode> &electrodes, const std::string &name)
  {
    for (unsigned int e = 0; e < electrodes.size(); ++e)
      if (electrodes[e].name == name)
        return e;
    std::string known;
    for (const auto &e : electrodes)
      known += (known.empty() ? "" : ", ") + e.name;
    throw std::invalid_argument("pseudo-ECG lead: no electrode named \"" + name + "\"; known: " + known);
  }

  Lead
  PseudoEcg::lead_difference(const std::vector<Electrode> &electrodes, const std::string &a, const std::string &b)
  {
    Lead l;
    l.name  = a + "-" + b;
    l.plus  = find(electrodes, a);
    l.minus = find(electrodes, b);
    if (l.plus == l.minus)
      throw std::invalid_argument("pseudo-ECG lead \"" + l.name + "\": the two electrodes are the same");
    return l;
  }

  std::string
  ecg_csv(const std::vector<std::string> &lead_names, const std::vector<std::vector<double>> &rows)
  {
    std::ostringstream o;
    o << "t_ms";
    for (const auto &n : lead_names)
      o << "," << n;
    o << "\n" << std::setprecision(12);
    for (const auto &r : rows)
      {
        if (r.size() != lead_names.size() + 1)
          throw std::invalid_argument("ecg_csv: a row has " + std::to_string(r.size()) + " values, expected t and " +
                                      std::to_string(lead_names.size()) + " leads");
        for (std::size_t i = 0; i < r.size(); ++i)
          o << (i ? "," : "") << r[i];
        o << "\n";
      }
    return o.str();
  }

  Lead
  PseudoEcg::lead_unipolar(const std::vector<Electrode> &electrodes, const std::string &a)
  {
    Lead l;
    l.name = a;
    l.plus = find(electrodes, a);
    return l;
  }
} // namespace organtwin::postprocess
