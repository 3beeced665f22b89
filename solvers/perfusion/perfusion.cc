// Problem type = perfusion: Darcy perfusion of an organ volume and two-compartment drug
// transport (blood/tissue) with elimination, inlet concentration from a constant, a table
// or a PBPK run. Equations, units and discretisation: docs/theory/perfusion.md.
//
// Darcy: continuous P1 (tetrahedra) / Q1 (hexahedra) pressure, -div(K grad p) = 0; SPD, so
// CG + BoomerAMG scales on distributed meshes; the velocity u = -K grad p is taken
// element-wise. Inflow/outflow are reported twice: as the face integral of u.n and as the
// variationally consistent flux (reaction at the Dirichlet nodes), which is conservative
// to solver tolerance.
// Transport: same P1/Q1 space for blood and tissue, conservative Galerkin form with
// Danckwerts (total-flux) inlet and a free outflow, SUPG on blood, theta scheme; the
// global balance in - out - eliminated - stored is exact for the discrete scheme. The
// advective fluxes through the inlet and outlet use the consistent nodal Darcy fluxes
// (Hughes et al. 2000), so blood enters and leaves at the same total rate even where the
// element-wise u_h.n is not conservative (coarse or curved patches).
#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_solver.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/data_postprocessor.h>
#include <deal.II/numerics/vector_tools.h>

#include <meshes/mesh.h>
#include <physics/drugs/concentration_source.h>
#include <physics/perfusion/tissue_transport.h>
#include <physics/pk/pbpk_model.h>
#include <physics/pk/pbpk_source.h>
#include <physics/pk/physiology.h>
#include <solvers/common/case.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/progress.h>
#include <solvers/common/units.h>
#include <solvers/common/version.h>
#include <solvers/perfusion/perfusion_parameters.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace organtwin::perfusion
{
  using namespace dealii;

  namespace
  {
    /// Manufactured solution of the transport model (docs/theory/perfusion.md):
    ///   c_b = 2 + sin(kb.x - w t),  c_t = 1.5 + 0.5 cos(kt.x + w t).
    struct Manufactured
    {
      Tensor<1, 3> kb, kt;
      double       w = 1.;
      Manufactured()
      {
        kb[0] = M_PI;
        kb[1] = 0.5 * M_PI;
        kb[2] = 0.25 * M_PI;
        kt[0] = 0.5 * M_PI;
        kt[1] = M_PI;
        kt[2] = 0.5 * M_PI;
      }

      double cb(const Point<3> &x, double t) const { return 2. + std::sin(kb * x - w * t); }
      double ct(const Point<3> &x, double t) const { return 1.5 + 0.5 * std::cos(kt * x + w * t); }
      Tensor<1, 3> grad_cb(const Point<3> &x, double t) const { return kb * std::cos(kb * x - w * t); }
      Tensor<1, 3> grad_ct(const Point<3> &x, double t) const { return -0.5 * kt * std::sin(kt * x + w * t); }
      double lap_cb(const Point<3> &x, double t) const { return -(kb * kb) * std::sin(kb * x - w * t); }
      double lap_ct(const Point<3> &x, double t) const { return -0.5 * (kt * kt) * std::cos(kt * x + w * t); }
      double dt_cb(const Point<3> &x, double t) const { return -w * std::cos(kb * x - w * t); }
      double dt_ct(const Point<3> &x, double t) const { return -0.5 * w * std::sin(kt * x + w * t); }
    };

    class ManufacturedFunction : public Function<3>
    {
    public:
      ManufacturedFunction(const Manufactured &m, double t)
        : Function<3>(2, t)
        , m(m)
      {}
      double value(const Point<3> &x, unsigned int c) const override
      {
        return c == 0 ? m.cb(x, get_time()) : m.ct(x, get_time());
      }

    private:
      const Manufactured &m;
    };

    /// u = -K grad p for DataOut.
    class VelocityPostprocessor : public DataPostprocessorVector<3>
    {
    public:
      explicit VelocityPostprocessor(const Tensor<2, 3> &K)
        : DataPostprocessorVector<3>("darcy_velocity", update_gradients)
        , K(K)
      {}
      void evaluate_scalar_field(const DataPostprocessorInputs::Scalar<3> &in,
                                 std::vector<Vector<double>> &out) const override
      {
        for (unsigned int q = 0; q < in.solution_gradients.size(); ++q)
          {
            const Tensor<1, 3> u = -(K * in.solution_gradients[q]);
            for (unsigned int d = 0; d < 3; ++d)
              out[q](d) = u[d];
          }
      }

    private:
      Tensor<2, 3> K;
    };

    /// Rates of the global drug balance [pmol/s] and the stored amount [pmol]. out is the
    /// net outflow: leaving through the outflow nodes (gross_out) minus the drug that venous
    /// backflow carries in at reversed outlet nodes (back).
    struct Rates
    {
      double in = 0, out = 0, eliminated = 0, filtered = 0, stored = 0, gross_out = 0, back = 0;
    };

    std::string
    num(double v, int prec = 6)
    {
      std::ostringstream s;
      s << std::setprecision(prec) << v;
      return s.str();
    }

    class PerfusionSolver
    {
    public:
      PerfusionSolver(const PerfusionParameters &p, const RunContext &ctx, std::string used);
      void run();

    private:
      // Darcy
      void setup_mesh_and_check_ids();
      void setup_darcy();
      void solve_darcy();
      void darcy_fluxes();
      // Transport
      void   setup_transport();
      void   assemble_operators(const PETScWrappers::MPI::Vector &c_star_ghost, bool steady);
      void   assemble_rhs(double t, PETScWrappers::MPI::Vector &f);
      Rates  rates(const PETScWrappers::MPI::Vector &c_ghost, const PETScWrappers::MPI::Vector &c_star_ghost,
                   double t);
      unsigned int solve_transport(PETScWrappers::MPI::Vector &x, const PETScWrappers::MPI::Vector &b,
                                   bool rebuild_preconditioner);
      std::pair<double, double> manufactured_errors(const PETScWrappers::MPI::Vector &c_ghost, double t);
      void   output_fields(double t, const PETScWrappers::MPI::Vector *c_ghost);
      double inlet_unbound(double t) const;
      void   run_steady();
      void   run_transient();
      void   finish();

      /// The Darcy cell matching a transport cell.
      typename DoFHandler<3>::active_cell_iterator
      pressure_cell(const typename DoFHandler<3>::active_cell_iterator &c) const
      {
        return typename DoFHandler<3>::active_cell_iterator(&c->get_triangulation(), c->level(), c->index(),
                                                            &dof_p);
      }

      const PerfusionParameters &p;
      RunContext                 ctx;
      MPI_Comm                   comm;
      std::string                used_parameters;
      ConditionalOStream         pcout;
      TimerOutput                timer;
      Timer                      wall_clock;

      meshes::Mesh                            mesh;
      std::unique_ptr<FiniteElement<3>>       fe_p, fe_c;
      std::unique_ptr<Mapping<3>>             mapping;
      std::unique_ptr<Quadrature<3>>          quadrature;
      std::unique_ptr<Quadrature<2>>          face_quadrature;
      DoFHandler<3>                           dof_p, dof_c;
      IndexSet                                owned_p, relevant_p, owned_c, relevant_c;
      AffineConstraints<double>               constraints_p, constraints_c;
      PETScWrappers::MPI::SparseMatrix        A_p, A_c, B_c;
      PETScWrappers::MPI::Vector              p_owned, p_ghost;
      std::unique_ptr<PETScWrappers::PreconditionBase> prec_c;

      // organ-level inputs resolved (ICRP defaults) and model coefficients
      TransportCoefficients coef;
      double                volume_mm3 = 0, inlet_area = 0, outlet_area = 0, q_inlet_mm3_s = 0, phi_b = 0;
      double                clint_L_h = 0, clf_L_h = 0, ps_L_h = 0;
      Point<3>              inlet_centroid, outlet_centroid;
      std::unique_ptr<drugs::ConcentrationSource> inlet;
      Manufactured          mms;

      // results
      Json         summary;
      unsigned int darcy_iterations = 0, transport_iterations = 0, transport_solves = 0;
      double       q_in_face = 0, q_out_face = 0, q_in_cons = 0, q_out_cons = 0, p_min = 0, p_max = 0;
      /// Consistent nodal blood flow [mm^3/s] at the locally owned blood DoFs of the inlet
      /// (into the organ) and outlet (out of it), with the node position (inlet).
      std::vector<std::pair<types::global_dof_index, double>> q_in_nodes, q_out_nodes;
      std::vector<Point<3>>                                   x_in_nodes;
      unsigned int                                            n_negative_nodal_fluxes = 0;
      /// [mm^3/s] sum of |q| over patch nodes with reversed flow (outlet backflow, inlet
      /// outflow), and the blood leaving by the transport's outflow nodes (all > 0).
      double reversed_patch_flow = 0, q_out_transport = 0;
      /// Reversed outlet nodes (venous backflow |q| [mm^3/s]); the backflow carries c_back
      /// [uM], the mixed outlet blood concentration of the last known solution (lagged).
      std::vector<std::pair<types::global_dof_index, double>> q_back_nodes;
      unsigned int                                            n_back_nodes = 0;
      double                                                  c_back       = 0;
      PETScWrappers::MPI::Vector                              r_ghost; ///< A p (no constraints)
      IndexSet                                                in_dofs_p, out_dofs_p;
      std::string  tmp_dir;
      std::vector<std::pair<double, std::string>> pvd;
      std::ostringstream                          traces;
      /// Rows (quantity, value) of summary.md.
      std::vector<std::pair<std::string, std::string>> md;
    };

    PerfusionSolver::PerfusionSolver(const PerfusionParameters &p, const RunContext &ctx, std::string used)
      : p(p)
      , ctx(ctx)
      , comm(ctx.comm)
      , used_parameters(std::move(used))
      , pcout(std::cout, Utilities::MPI::this_mpi_process(ctx.comm) == 0 && ctx.verbosity > 0)
      , timer(pcout, TimerOutput::never, TimerOutput::wall_times)
    {}

    void
    PerfusionSolver::setup_mesh_and_check_ids()
    {
      TimerOutput::Scope scope(timer, "perfusion / setup");
      mesh = meshes::create_mesh(p.mesh, comm);
      // patches given as spheres (locally owned and ghost cells, so that neighbours agree)
      if (p.prm_has_inlet_region || p.prm_has_outlet_region)
        for (const auto &cell : mesh.tria->active_cell_iterators())
          if (!cell->is_artificial())
            for (const auto f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                {
                  const Point<3> c = cell->face(f)->center();
                  if (p.prm_has_inlet_region && c.distance(p.prm_inlet_centre) <= p.prm_inlet_radius)
                    cell->face(f)->set_boundary_id(PerfusionParameters::inlet_region_id);
                  else if (p.prm_has_outlet_region && c.distance(p.prm_outlet_centre) <= p.prm_outlet_radius)
                    cell->face(f)->set_boundary_id(PerfusionParameters::outlet_region_id);
                }
      std::set<types::boundary_id> local_ids;
      for (const auto &cell : mesh.tria->active_cell_iterators())
        if (cell->is_locally_owned())
          for (const auto f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              local_ids.insert(cell->face(f)->boundary_id());
      const std::vector<types::boundary_id> lv(local_ids.begin(), local_ids.end());
      const auto                            all = Utilities::MPI::compute_set_union(lv, comm);
      const std::set<types::boundary_id>    ids(all.begin(), all.end());
      std::string                           have;
      for (const auto id : ids)
        have += (have.empty() ? "" : ",") + std::to_string(id);
      for (const auto &[entry, set] : {std::make_pair(std::string("Inlet boundary ids"), &p.prm_inlet_ids),
                                       std::make_pair(std::string("Outlet boundary ids"), &p.prm_outlet_ids)})
        for (const auto id : *set)
          input_check(ids.count(id) != 0, p.deck + ": [Perfusion/" + entry + "]",
                      "boundary id " + std::to_string(id) + " is not on the mesh (" + mesh.description +
                        ", boundary ids " + have + ")" +
                        (id == PerfusionParameters::inlet_region_id || id == PerfusionParameters::outlet_region_id ?
                           "; no boundary face centre lies inside the Inlet/Outlet region sphere" :
                           ""));
    }

    void
    PerfusionSolver::setup_darcy()
    {
      TimerOutput::Scope scope(timer, "perfusion / setup");
      if (mesh.simplex)
        {
          fe_p            = std::make_unique<FE_SimplexP<3>>(1);
          mapping         = std::make_unique<MappingFE<3>>(FE_SimplexP<3>(1));
          quadrature      = std::make_unique<QGaussSimplex<3>>(3);
          face_quadrature = std::make_unique<QGaussSimplex<2>>(3);
        }
      else
        {
          fe_p            = std::make_unique<FE_Q<3>>(1);
          mapping         = std::make_unique<MappingQ1<3>>();
          quadrature      = std::make_unique<QGauss<3>>(2);
          face_quadrature = std::make_unique<QGauss<2>>(2);
        }
      dof_p.reinit(*mesh.tria);
      dof_p.distribute_dofs(*fe_p);
      owned_p = dof_p.locally_owned_dofs();
      DoFTools::extract_locally_relevant_dofs(dof_p, relevant_p);
      constraints_p.clear();
      constraints_p.reinit(relevant_p);
      for (const auto id : p.prm_outlet_ids)
        VectorTools::interpolate_boundary_values(*mapping, dof_p, id,
                                                 Functions::ConstantFunction<3>(p.prm_outlet_pressure),
                                                 constraints_p);
      if (p.prm_inlet_condition == "pressure")
        for (const auto id : p.prm_inlet_ids)
          VectorTools::interpolate_boundary_values(*mapping, dof_p, id,
                                                   Functions::ConstantFunction<3>(p.prm_inlet_pressure),
                                                   constraints_p);
      constraints_p.close();
      DynamicSparsityPattern dsp(relevant_p);
      DoFTools::make_sparsity_pattern(dof_p, dsp, constraints_p, false);
      SparsityTools::distribute_sparsity_pattern(dsp, owned_p, comm, relevant_p);
      A_p.reinit(owned_p, owned_p, dsp, comm);
      p_owned.reinit(owned_p, comm);
      p_ghost.reinit(owned_p, relevant_p, comm);

      // organ volume, inlet area and patch centroids
      FEValues<3>     fev(*mapping, *fe_p, *quadrature, update_JxW_values);
      FEFaceValues<3> fv(*mapping, *fe_p, *face_quadrature, update_JxW_values | update_quadrature_points);
      double          vol = 0, a_in = 0, a_out = 0;
      Tensor<1, 3>    x_in, x_out;
      for (const auto &cell : dof_p.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            for (unsigned int q = 0; q < quadrature->size(); ++q)
              vol += fev.JxW(q);
            for (const auto f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                {
                  const auto id  = cell->face(f)->boundary_id();
                  const bool in  = p.prm_inlet_ids.count(id) != 0;
                  const bool out = p.prm_outlet_ids.count(id) != 0;
                  if (!in && !out)
                    continue;
                  fv.reinit(cell, f);
                  for (unsigned int q = 0; q < face_quadrature->size(); ++q)
                    {
                      (in ? a_in : a_out) += fv.JxW(q);
                      (in ? x_in : x_out) += fv.JxW(q) * fv.quadrature_point(q);
                    }
                }
          }
      volume_mm3      = Utilities::MPI::sum(vol, comm);
      inlet_area      = Utilities::MPI::sum(a_in, comm);
      const double ao = Utilities::MPI::sum(a_out, comm);
      outlet_area     = ao;
      x_in            = Utilities::MPI::sum(x_in, comm);
      x_out           = Utilities::MPI::sum(x_out, comm);
      inlet_centroid  = Point<3>(x_in / inlet_area);
      outlet_centroid = Point<3>(x_out / ao);
    }

    void
    PerfusionSolver::solve_darcy()
    {
      {
        TimerOutput::Scope scope(timer, "perfusion / darcy assembly");
        PETScWrappers::MPI::Vector rhs(owned_p, comm);
        FEValues<3>        fev(*mapping, *fe_p, *quadrature, update_gradients | update_JxW_values);
        FEFaceValues<3>    fv(*mapping, *fe_p, *face_quadrature, update_values | update_JxW_values);
        const unsigned int n = fe_p->n_dofs_per_cell();
        FullMatrix<double> A(n, n);
        Vector<double>     b(n);
        std::vector<types::global_dof_index> idx(n);
        const double       g = p.prm_inlet_condition == "flow" ? q_inlet_mm3_s / inlet_area : 0.; // [mm/s]
        for (const auto &cell : dof_p.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              fev.reinit(cell);
              A = 0;
              b = 0;
              for (unsigned int q = 0; q < quadrature->size(); ++q)
                for (unsigned int i = 0; i < n; ++i)
                  {
                    const Tensor<1, 3> kgi = p.prm_conductivity * fev.shape_grad(i, q);
                    for (unsigned int j = 0; j < n; ++j)
                      A(i, j) += kgi * fev.shape_grad(j, q) * fev.JxW(q);
                  }
              if (g != 0.)
                for (const auto f : cell->face_indices())
                  if (cell->face(f)->at_boundary() && p.prm_inlet_ids.count(cell->face(f)->boundary_id()))
                    {
                      fv.reinit(cell, f);
                      for (unsigned int q = 0; q < face_quadrature->size(); ++q)
                        for (unsigned int i = 0; i < n; ++i)
                          b(i) += g * fv.shape_value(i, q) * fv.JxW(q);
                    }
              cell->get_dof_indices(idx);
              constraints_p.distribute_local_to_global(A, b, idx, A_p, rhs);
            }
        A_p.compress(VectorOperation::add);
        rhs.compress(VectorOperation::add);

        TimerOutput::Scope s2(timer, "perfusion / darcy solve");
        SolverControl      control(p.prm_max_iterations, std::max(1e-300, p.prm_darcy_rtol * rhs.l2_norm()));
        PETScWrappers::SolverCG cg(control, comm);
        PETScWrappers::PreconditionBoomerAMG::AdditionalData data;
        data.symmetric_operator = true;
        PETScWrappers::PreconditionBoomerAMG amg(A_p, data);
        try
          {
            cg.solve(A_p, p_owned, rhs, amg);
          }
        catch (const std::exception &e)
          {
            throw std::runtime_error("the Darcy pressure solve (CG + BoomerAMG) did not converge in " +
                                     std::to_string(control.last_step()) + " iterations: " + e.what());
          }
        darcy_iterations = control.last_step();
        constraints_p.distribute(p_owned);
        p_ghost = p_owned;
      }
      darcy_fluxes();
    }

    void
    PerfusionSolver::darcy_fluxes()
    {
      TimerOutput::Scope scope(timer, "perfusion / darcy fluxes");
      // (1) face integrals of u.n; (2) consistent flux: r = A p without constraints, summed
      //     over the Dirichlet nodes of a patch (exactly conservative up to solver tolerance).
      PETScWrappers::MPI::Vector r(owned_p, comm);
      FEValues<3>                fev(*mapping, *fe_p, *quadrature, update_gradients | update_JxW_values);
      FEFaceValues<3>            fv(*mapping, *fe_p, *face_quadrature,
                         update_gradients | update_normal_vectors | update_JxW_values);
      const unsigned int         n = fe_p->n_dofs_per_cell();
      Vector<double>             rl(n), pl(n);
      std::vector<types::global_dof_index> idx(n);
      std::vector<Tensor<1, 3>>  gp(face_quadrature->size());
      double                     qin = 0, qout = 0, pmin = 1e300, pmax = -1e300;
      AffineConstraints<double>  none;
      none.close();
      for (const auto &cell : dof_p.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            cell->get_dof_indices(idx);
            for (unsigned int i = 0; i < n; ++i)
              {
                pl(i) = p_ghost[idx[i]];
                pmin  = std::min(pmin, pl(i));
                pmax  = std::max(pmax, pl(i));
              }
            rl = 0;
            for (unsigned int q = 0; q < quadrature->size(); ++q)
              {
                Tensor<1, 3> grad;
                for (unsigned int j = 0; j < n; ++j)
                  grad += pl(j) * fev.shape_grad(j, q);
                const Tensor<1, 3> kg = p.prm_conductivity * grad;
                for (unsigned int i = 0; i < n; ++i)
                  rl(i) += kg * fev.shape_grad(i, q) * fev.JxW(q);
              }
            none.distribute_local_to_global(rl, idx, r);
            for (const auto f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                {
                  const auto id  = cell->face(f)->boundary_id();
                  const bool in  = p.prm_inlet_ids.count(id) != 0;
                  const bool out = p.prm_outlet_ids.count(id) != 0;
                  if (!in && !out)
                    continue;
                  fv.reinit(cell, f);
                  fv.get_function_gradients(p_ghost, gp);
                  for (unsigned int q = 0; q < face_quadrature->size(); ++q)
                    {
                      const double un = -(p.prm_conductivity * gp[q]) * fv.normal_vector(q);
                      (in ? qin : qout) += (in ? -un : un) * fv.JxW(q);
                    }
                }
          }
      r.compress(VectorOperation::add);
      q_in_face  = Utilities::MPI::sum(qin, comm);
      q_out_face = Utilities::MPI::sum(qout, comm);
      p_min      = Utilities::MPI::min(pmin, comm);
      p_max      = Utilities::MPI::max(pmax, comm);
      r_ghost.reinit(owned_p, relevant_p, comm);
      r_ghost    = r;
      out_dofs_p = DoFTools::extract_boundary_dofs(dof_p, ComponentMask(), p.prm_outlet_ids);
      in_dofs_p  = DoFTools::extract_boundary_dofs(dof_p, ComponentMask(), p.prm_inlet_ids);
      double s_out = 0, s_in = 0;
      for (const auto i : out_dofs_p)
        if (owned_p.is_element(i))
          s_out += r[i];
      // inlet: r = A p equals the Neumann load b there for Inlet condition = flow
      for (const auto i : in_dofs_p)
        if (owned_p.is_element(i))
          s_in += r[i];
      q_out_cons = -Utilities::MPI::sum(s_out, comm);
      q_in_cons  = Utilities::MPI::sum(s_in, comm);
    }

    double
    PerfusionSolver::inlet_unbound(double t) const
    {
      return inlet->unbound_uM(p.prm_inlet_organ, p.prm_inlet_offset_h + units::s_to_h(t));
    }

    void
    PerfusionSolver::setup_transport()
    {
      TimerOutput::Scope scope(timer, "perfusion / setup");
      fe_c = std::make_unique<FESystem<3>>(*fe_p, 2);
      dof_c.reinit(*mesh.tria);
      dof_c.distribute_dofs(*fe_c);
      owned_c = dof_c.locally_owned_dofs();
      DoFTools::extract_locally_relevant_dofs(dof_c, relevant_c);
      constraints_c.clear();
      constraints_c.reinit(relevant_c);
      constraints_c.close();
      DynamicSparsityPattern dsp(relevant_c);
      DoFTools::make_sparsity_pattern(dof_c, dsp, constraints_c, false);
      SparsityTools::distribute_sparsity_pattern(dsp, owned_c, comm, relevant_c);
      A_c.reinit(owned_c, owned_c, dsp, comm);
      B_c.reinit(owned_c, owned_c, dsp, comm);

      // consistent nodal fluxes of the Darcy solution at the blood DoFs of the patches
      {
        std::set<types::global_dof_index>    seen;
        std::vector<types::global_dof_index> idx_c(fe_c->n_dofs_per_cell()), idx_p(fe_p->n_dofs_per_cell());
        unsigned int                         n_neg = 0;
        double                               reversed = 0;
        for (const auto &cell : dof_c.active_cell_iterators())
          if (cell->is_locally_owned())
            {
              cell->get_dof_indices(idx_c);
              pressure_cell(cell)->get_dof_indices(idx_p);
              for (unsigned int k = 0; k < idx_c.size(); ++k)
                {
                  const auto [comp, base] = fe_c->system_to_component_index(k);
                  const auto cd = idx_c[k], pd = idx_p[base];
                  if (comp != 0 || !owned_c.is_element(cd) || !seen.insert(cd).second)
                    continue;
                  // P1/Q1: DoF `base` of the scalar element sits at vertex `base`. Upwind by the
                  // sign of the nodal flux: blood entering carries the external concentration
                  // (inlet: c_in; outlet backflow: drug-free venous blood, no term), blood
                  // leaving carries the nodal c_b (implicit). Negative nodal fluxes occur at the
                  // rims of patches on unstructured tetrahedra (non-M-matrix stiffness); taking
                  // them with their sign made the transport operator indefinite (the liver
                  // surface mesh blew up); with the upwind choice every patch node contributes
                  // |q| c^2 / 2 >= 0 to the energy and the balance stays exact.
                  const bool in_node = in_dofs_p.is_element(pd);
                  if (!in_node && !out_dofs_p.is_element(pd))
                    continue;
                  const double q = in_node ? r_ghost[pd] : -r_ghost[pd]; // inlet: into, outlet: out of the organ
                  n_neg += q < 0;
                  if (in_node && q >= 0)
                    {
                      q_in_nodes.emplace_back(cd, q);
                      x_in_nodes.push_back(cell->vertex(base));
                    }
                  else if (in_node)
                    {
                      q_out_nodes.emplace_back(cd, -q);
                      reversed += -q;
                    }
                  else if (q >= 0)
                    q_out_nodes.emplace_back(cd, q);
                  else
                    {
                      q_back_nodes.emplace_back(cd, -q);
                      reversed += -q;
                    }
                }
            }
        n_negative_nodal_fluxes = Utilities::MPI::sum(n_neg, comm);
        reversed_patch_flow     = Utilities::MPI::sum(reversed, comm);
        n_back_nodes            = Utilities::MPI::sum(static_cast<unsigned int>(q_back_nodes.size()), comm);
        double qo = 0;
        for (const auto &[i, q] : q_out_nodes)
          qo += q;
        q_out_transport = Utilities::MPI::sum(qo, comm);
      }

      // per organ volume coefficients from the organ totals
      const double v_L = volume_mm3 * 1e-6;
      coef.phi_b       = phi_b;
      coef.phi_t       = p.prm_tissue_fraction > 0 ? p.prm_tissue_fraction : 1. - phi_b;
      coef.fu_b        = p.prm_fu_blood;
      coef.fu_t        = p.prm_fu_tissue;
      coef.D_b         = p.prm_dispersion;
      coef.D_t         = p.prm_tissue_diffusion;
      coef.ps          = units::L_per_h_to_mm3_per_s(ps_L_h) / volume_mm3;
      coef.kf          = units::L_per_h_to_mm3_per_s(clf_L_h) / volume_mm3;
      if (p.prm_kinetics == "linear")
        {
          coef.kinetics.type = Kinetics::Type::linear;
          coef.kinetics.k    = units::L_per_h_to_mm3_per_s(clint_L_h) / volume_mm3;
        }
      else if (p.prm_kinetics == "michaelis_menten")
        {
          coef.kinetics.type = Kinetics::Type::michaelis_menten;
          coef.kinetics.vmax = units::umol_per_min_to_pmol_per_s(p.prm_vmax_umol_per_min) / volume_mm3;
          coef.kinetics.km   = p.prm_km_uM;
        }
      (void)v_L;
      if (p.prm_steady)
        input_check(coef.ps > 0. || coef.kinetics.type != Kinetics::Type::none || coef.D_t > 0.,
                    p.deck + ": [Time/Steady state]",
                    "the steady tissue equation is singular with PS = 0, no elimination and no tissue diffusion");
    }

    void
    PerfusionSolver::assemble_operators(const PETScWrappers::MPI::Vector &c_star_ghost, bool steady)
    {
      // steady: A = K. transient: A = M/dt + theta K, B = M/dt - (1 - theta) K.
      TimerOutput::Scope scope(timer, "perfusion / transport assembly");
      A_c = 0;
      if (!steady)
        B_c = 0;
      const double theta = p.prm_theta, dt = p.prm_dt;
      const auto  &K     = p.prm_conductivity;
      FEValues<3>  fev(*mapping, *fe_c, *quadrature, update_values | update_gradients | update_JxW_values);
      FEValues<3>  fevp(*mapping, *fe_p, *quadrature, update_gradients);
      const FEValuesExtractors::Scalar cb(0), ct(1);
      const unsigned int               n = fe_c->n_dofs_per_cell(), nq = quadrature->size();
      FullMatrix<double>               Mc(n, n), Kc(n, n), Ac(n, n), Bc(n, n);
      std::vector<types::global_dof_index> idx(n);
      std::vector<Tensor<1, 3>>        gp(nq);
      std::vector<double>              cstar_t(nq);
      std::vector<double>              vb(n), vt(n);
      std::vector<Tensor<1, 3>>        gb(n), gt(n);
      for (const auto &cell : dof_c.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            const auto cp = pressure_cell(cell);
            fevp.reinit(cp);
            fevp.get_function_gradients(p_ghost, gp);
            fev[ct].get_function_values(c_star_ghost, cstar_t);
            const double h = cell->diameter() / std::sqrt(3.);
            Mc             = 0;
            Kc             = 0;
            for (unsigned int q = 0; q < nq; ++q)
              {
                const Tensor<1, 3> u   = -(K * gp[q]);
                const double       un  = u.norm();
                double             tau = 0.;
                if (p.prm_supg && un > 0.)
                  {
                    const double pe = coef.D_b > 0. ? un * h / (2. * coef.phi_b * coef.D_b) : 1e300;
                    const double xi = pe > 20. ? 1. - 1. / pe : (pe < 1e-8 ? pe / 3. : 1. / std::tanh(pe) - 1. / pe);
                    tau             = h / (2. * un) * xi;
                  }
                const double a_el  = coef.kinetics.coefficient(coef.fu_t * cstar_t[q]); // [1/s]
                const double k_bb  = coef.ps * coef.fu_b + coef.kf * coef.fu_b;      // blood loss
                const double k_bt  = -coef.ps * coef.fu_t;                            // blood gain from tissue
                const double k_tt  = coef.ps * coef.fu_t + a_el * coef.fu_t;          // tissue loss
                const double k_tb  = -coef.ps * coef.fu_b;                            // tissue gain from blood
                const double JxW   = fev.JxW(q);
                for (unsigned int i = 0; i < n; ++i)
                  {
                    vb[i] = fev[cb].value(i, q);
                    vt[i] = fev[ct].value(i, q);
                    gb[i] = fev[cb].gradient(i, q);
                    gt[i] = fev[ct].gradient(i, q);
                  }
                for (unsigned int i = 0; i < n; ++i)
                  {
                    const double supg = tau * (u * gb[i]); // streamline test function of the blood row
                    for (unsigned int j = 0; j < n; ++j)
                      {
                        // mass
                        Mc(i, j) += (coef.phi_b * vb[j] * (vb[i] + supg) + coef.phi_t * vt[j] * vt[i]) * JxW;
                        // blood row: -c u.grad w + phi D grad c.grad w + reactions; SUPG on the strong residual
                        double kij = -vb[j] * (u * gb[i]) + coef.phi_b * coef.D_b * (gb[j] * gb[i]) +
                                     (k_bb * vb[j] + k_bt * vt[j]) * vb[i] +
                                     supg * ((u * gb[j]) + k_bb * vb[j] + k_bt * vt[j]);
                        // tissue row
                        kij += coef.phi_t * coef.D_t * (gt[j] * gt[i]) + (k_tt * vt[j] + k_tb * vb[j]) * vt[i];
                        Kc(i, j) += kij * JxW;
                      }
                  }
              }
            if (steady)
              Ac = Kc;
            else
              for (unsigned int i = 0; i < n; ++i)
                for (unsigned int j = 0; j < n; ++j)
                  {
                    Ac(i, j) = Mc(i, j) / dt + theta * Kc(i, j);
                    Bc(i, j) = Mc(i, j) / dt - (1. - theta) * Kc(i, j);
                  }
            cell->get_dof_indices(idx);
            constraints_c.distribute_local_to_global(Ac, idx, A_c);
            if (!steady)
              constraints_c.distribute_local_to_global(Bc, idx, B_c);
          }
      // outflow q_i c_b,i at the outlet nodes (consistent nodal Darcy flux)
      for (const auto &[i, q] : q_out_nodes)
        {
          A_c.add(i, i, steady ? q : theta * q);
          if (!steady)
            B_c.add(i, i, -(1. - theta) * q);
        }
      A_c.compress(VectorOperation::add);
      if (!steady)
        B_c.compress(VectorOperation::add);
    }

    void
    PerfusionSolver::assemble_rhs(double t, PETScWrappers::MPI::Vector &f)
    {
      // Danckwerts inlet: the drug flux into the organ is q_i c_in at the inlet nodes (q_i the
      // consistent nodal blood inflow); plus the sources of the manufactured solution (volume
      // and boundary corrections).
      TimerOutput::Scope scope(timer, "perfusion / transport assembly");
      f.reinit(owned_c, comm);
      const auto      &K = p.prm_conductivity;
      FEValues<3>      fev(*mapping, *fe_c, *quadrature,
                      update_values | update_gradients | update_JxW_values | update_quadrature_points);
      FEValues<3>      fevp(*mapping, *fe_p, *quadrature, update_gradients);
      FEFaceValues<3>  fv(*mapping, *fe_c, *face_quadrature,
                         update_values | update_JxW_values | update_normal_vectors | update_quadrature_points);
      const FEValuesExtractors::Scalar cb(0), ct(1);
      const unsigned int               n = fe_c->n_dofs_per_cell();
      Vector<double>                   fl(n);
      std::vector<types::global_dof_index> idx(n);
      std::vector<Tensor<1, 3>>        gp(quadrature->size());
      const double c_in_uniform = p.prm_manufactured ? 0. : inlet_unbound(t) / coef.fu_b;
      for (const auto &cell : dof_c.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fl             = 0;
            const auto cp  = pressure_cell(cell);
            bool       any = false;
            if (p.prm_manufactured)
              {
                any = true;
                fev.reinit(cell);
                fevp.reinit(cp);
                fevp.get_function_gradients(p_ghost, gp);
                const double h = cell->diameter() / std::sqrt(3.);
                for (unsigned int q = 0; q < quadrature->size(); ++q)
                  {
                    const Point<3>    &x   = fev.quadrature_point(q);
                    const Tensor<1, 3> u   = -(K * gp[q]);
                    const double       cbx = mms.cb(x, t), ctx_ = mms.ct(x, t);
                    const double       ex  = coef.ps * (coef.fu_b * cbx - coef.fu_t * ctx_);
                    const double       sb  = coef.phi_b * mms.dt_cb(x, t) + u * mms.grad_cb(x, t) -
                                      coef.phi_b * coef.D_b * mms.lap_cb(x, t) + ex + coef.kf * coef.fu_b * cbx;
                    const double st = coef.phi_t * mms.dt_ct(x, t) - coef.phi_t * coef.D_t * mms.lap_ct(x, t) - ex +
                                      coef.kinetics.rate(coef.fu_t * ctx_);
                    double tau = 0.;
                    const double un = u.norm();
                    if (p.prm_supg && un > 0.)
                      {
                        const double pe = coef.D_b > 0. ? un * h / (2. * coef.phi_b * coef.D_b) : 1e300;
                        const double xi =
                          pe > 20. ? 1. - 1. / pe : (pe < 1e-8 ? pe / 3. : 1. / std::tanh(pe) - 1. / pe);
                        tau = h / (2. * un) * xi;
                      }
                    for (unsigned int i = 0; i < n; ++i)
                      fl(i) += (sb * (fev[cb].value(i, q) + tau * (u * fev[cb].gradient(i, q))) +
                                st * fev[ct].value(i, q)) *
                               fev.JxW(q);
                  }
              }
            if (p.prm_manufactured)
              for (const auto fi : cell->face_indices())
                if (cell->face(fi)->at_boundary())
                  {
                    fv.reinit(cell, fi);
                    for (unsigned int q = 0; q < face_quadrature->size(); ++q)
                      {
                        const Point<3>     &x   = fv.quadrature_point(q);
                        const Tensor<1, 3> &nv  = fv.normal_vector(q);
                        const double        gb_ = coef.phi_b * coef.D_b * (mms.grad_cb(x, t) * nv);
                        const double        gt_ = coef.phi_t * coef.D_t * (mms.grad_ct(x, t) * nv);
                        for (unsigned int i = 0; i < n; ++i)
                          fl(i) += (gb_ * fv[cb].value(i, q) + gt_ * fv[ct].value(i, q)) * fv.JxW(q);
                      }
                  }
            if (!any)
              continue;
            cell->get_dof_indices(idx);
            constraints_c.distribute_local_to_global(fl, idx, f);
          }
      for (std::size_t k = 0; k < q_in_nodes.size(); ++k)
        f(q_in_nodes[k].first) += q_in_nodes[k].second * (p.prm_manufactured ? mms.cb(x_in_nodes[k], t) : c_in_uniform);
      for (const auto &[i, q] : q_back_nodes)
        f(i) += q * c_back;
      f.compress(VectorOperation::add);
    }

    Rates
    PerfusionSolver::rates(const PETScWrappers::MPI::Vector &c_ghost, const PETScWrappers::MPI::Vector &c_star_ghost,
                           double t)
    {
      TimerOutput::Scope scope(timer, "perfusion / balance");
      FEValues<3>        fev(*mapping, *fe_c, *quadrature, update_values | update_JxW_values);
      const FEValuesExtractors::Scalar cb(0), ct(1);
      const unsigned int nq = quadrature->size();
      std::vector<double> vb(nq), vt(nq), vs(nq);
      Rates                     r;
      const double              c_in = p.prm_manufactured ? 0. : inlet_unbound(t) / coef.fu_b;
      for (const auto &cell : dof_c.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            fev[cb].get_function_values(c_ghost, vb);
            fev[ct].get_function_values(c_ghost, vt);
            fev[ct].get_function_values(c_star_ghost, vs);
            for (unsigned int q = 0; q < nq; ++q)
              {
                const double JxW = fev.JxW(q);
                r.stored += (coef.phi_b * vb[q] + coef.phi_t * vt[q]) * JxW;
                r.eliminated += coef.kinetics.coefficient(coef.fu_t * vs[q]) * coef.fu_t * vt[q] * JxW;
                r.filtered += coef.kf * coef.fu_b * vb[q] * JxW;
              }
          }
      for (std::size_t k = 0; k < q_in_nodes.size(); ++k)
        r.in += q_in_nodes[k].second * (p.prm_manufactured ? mms.cb(x_in_nodes[k], t) : c_in);
      for (const auto &[i, q] : q_out_nodes)
        r.gross_out += q * c_ghost[i];
      for (const auto &[i, q] : q_back_nodes)
        r.back += q * c_back;
      r.in         = Utilities::MPI::sum(r.in, comm);
      r.gross_out  = Utilities::MPI::sum(r.gross_out, comm);
      r.back       = Utilities::MPI::sum(r.back, comm);
      r.out        = r.gross_out - r.back;
      r.eliminated = Utilities::MPI::sum(r.eliminated, comm);
      r.filtered   = Utilities::MPI::sum(r.filtered, comm);
      r.stored     = Utilities::MPI::sum(r.stored, comm);
      return r;
    }

    unsigned int
    PerfusionSolver::solve_transport(PETScWrappers::MPI::Vector &x, const PETScWrappers::MPI::Vector &b,
                                     bool rebuild_preconditioner)
    {
      TimerOutput::Scope scope(timer, "perfusion / transport solve");
      if (rebuild_preconditioner || !prec_c)
        {
          if (p.prm_adr_preconditioner == "BoomerAMG")
            prec_c = std::make_unique<PETScWrappers::PreconditionBoomerAMG>(A_c);
          else if (p.prm_adr_preconditioner == "Jacobi")
            prec_c = std::make_unique<PETScWrappers::PreconditionJacobi>(A_c);
          else
            prec_c = std::make_unique<PETScWrappers::PreconditionBlockJacobi>(A_c);
        }
      SolverControl control(p.prm_max_iterations, std::max(1e-300, p.prm_adr_rtol * b.l2_norm()));
      PETScWrappers::SolverGMRES gmres(control, comm, PETScWrappers::SolverGMRES::AdditionalData(200));
      try
        {
          gmres.solve(A_c, x, b, *prec_c);
        }
      catch (const std::exception &e)
        {
          throw std::runtime_error("the drug transport solve (GMRES + " + p.prm_adr_preconditioner +
                                   ") did not converge in " + std::to_string(control.last_step()) +
                                   " iterations; try a smaller time step or -s Solver/Transport preconditioner=...: " +
                                   e.what());
        }
      transport_iterations += control.last_step();
      ++transport_solves;
      return control.last_step();
    }

    std::pair<double, double>
    PerfusionSolver::manufactured_errors(const PETScWrappers::MPI::Vector &c_ghost, double t)
    {
      ManufacturedFunction          exact(mms, t);
      std::unique_ptr<Quadrature<3>> q;
      if (mesh.simplex)
        q = std::make_unique<QGaussSimplex<3>>(4);
      else
        q = std::make_unique<QGauss<3>>(4);
      std::pair<double, double> e;
      for (unsigned int c = 0; c < 2; ++c)
        {
          const ComponentSelectFunction<3> mask(c, 2);
          Vector<float>                    cellwise(mesh.tria->n_active_cells());
          VectorTools::integrate_difference(*mapping, dof_c, c_ghost, exact, cellwise, *q, VectorTools::L2_norm,
                                            &mask);
          (c == 0 ? e.first : e.second) = VectorTools::compute_global_error(*mesh.tria, cellwise, VectorTools::L2_norm);
        }
      return e;
    }

    void
    PerfusionSolver::output_fields(double t, const PETScWrappers::MPI::Vector *c_ghost)
    {
      if (!p.prm_fields)
        return;
      TimerOutput::Scope    scope(timer, "perfusion / output");
      DataOut<3>            data_out;
      VelocityPostprocessor velocity(p.prm_conductivity);
      data_out.attach_triangulation(*mesh.tria);
      data_out.add_data_vector(dof_p, p_ghost, "pressure");
      data_out.add_data_vector(dof_p, p_ghost, velocity);
      if (c_ghost)
        data_out.add_data_vector(dof_c, *c_ghost, std::vector<std::string>{"c_blood", "c_tissue"});
      Vector<float> subdomain(mesh.tria->n_active_cells());
      for (auto &s : subdomain)
        s = mesh.tria->locally_owned_subdomain();
      data_out.add_data_vector(subdomain, "rank");
      data_out.build_patches(*mapping);
      DataOutBase::VtkFlags flags;
      flags.time              = t;
      flags.compression_level = DataOutBase::VtkFlags::best_speed;
      data_out.set_flags(flags);
      const std::string name =
        data_out.write_vtu_with_pvtu_record(tmp_dir, "fields", pvd.size(), comm, 4, 1);
      pvd.emplace_back(t, name);
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::ofstream out(tmp_dir + "fields.pvd");
          DataOutBase::write_pvd_record(out, pvd);
        }
    }

    void
    PerfusionSolver::run_steady()
    {
      PETScWrappers::MPI::Vector c(owned_c, comm), c_prev(owned_c, comm), f, cg(owned_c, relevant_c, comm),
        cs(owned_c, relevant_c, comm);
      unsigned int it = 0;
      double       change = 0, back_change = 0;
      const bool   nonlinear = coef.kinetics.type == Kinetics::Type::michaelis_menten;
      const bool   backflow  = n_back_nodes > 0; // fixed point on the lagged backflow concentration
      c_back                 = 0.;
      for (it = 1; it <= (nonlinear || backflow ? p.prm_picard_max : 1u); ++it)
        {
          cs = c; // Picard: coefficient at the previous iterate
          assemble_operators(cs, true);
          assemble_rhs(0., f);
          c_prev = c;
          const unsigned int its = solve_transport(c, f, true);
          c_prev -= c;
          change = c.l2_norm() > 0 ? c_prev.l2_norm() / c.l2_norm() : 0.;
          double c_back_next = c_back;
          if (backflow)
            {
              cg          = c;
              c_back_next = q_out_transport > 0 ? rates(cg, cs, 0.).gross_out / q_out_transport : 0.;
              back_change = std::abs(c_back_next - c_back) / std::max(std::abs(c_back_next), 1e-300);
            }
          if (ctx.verbosity >= 2)
            pcout << "[perfusion] Picard " << it << " gmres " << its << " |dc|/|c| = " << change
                  << " backflow conc. change " << back_change << std::endl;
          if ((!nonlinear || change < 1e-10) && back_change < 1e-12)
            break;
          c_back = c_back_next;
        }
      if ((nonlinear && change >= 1e-10) || back_change >= 1e-12)
        throw std::runtime_error("the steady state did not converge in " + std::to_string(p.prm_picard_max) +
                                 " Picard iterations (|dc|/|c| = " + num(change) +
                                 ", relative change of the backflow concentration " + num(back_change) + ")");
      // balance with the coefficient of the last linear solve (its Picard point), as in the
      // transient scheme: then in - out - eliminated = 0 holds to the Krylov tolerance
      cg = c;
      const Rates  r   = rates(cg, cs, 0.);
      const double E   = r.in > 0 ? 1. - r.out / r.in : 0.;
      const double imb = r.in - r.out - r.eliminated - r.filtered;
      summary.set("steady_state", true)
        .set("picard_iterations", static_cast<int>(std::min(it, p.prm_picard_max)))
        .set("extraction_ratio", E)
        .set("extraction_ratio_from_elimination", r.in > 0 ? (r.eliminated + r.filtered) / r.in : 0.)
        .set("inflow_rate_pmol_per_s", r.in)
        .set("outflow_rate_pmol_per_s", r.out)
        .set("elimination_rate_pmol_per_s", r.eliminated)
        .set("filtration_rate_pmol_per_s", r.filtered)
        .set("balance_residual_relative", r.in > 0 ? imb / r.in : 0.)
        .set("outlet_blood_conc_uM", q_out_transport > 0 ? r.gross_out / q_out_transport : 0.)
        .set("clearance_blood_L_per_h", E * units::mm3_per_s_to_L_per_h(q_in_cons));
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        traces << "time_s,c_in_unbound_uM,c_in_blood_uM,c_out_blood_uM,E,in_pmol_per_s,out_pmol_per_s,"
                  "eliminated_pmol_per_s,filtered_pmol_per_s,stored_pmol\n"
               << 0 << "," << inlet_unbound(0.) << "," << inlet_unbound(0.) / coef.fu_b << ","
               << (q_out_transport > 0 ? r.gross_out / q_out_transport : 0.) << "," << E << "," << r.in << "," << r.out << ","
               << r.eliminated << "," << r.filtered << "," << r.stored << "\n";
      md.emplace_back("extraction ratio E (FE, steady state)", num(E));
      md.emplace_back("blood clearance Q E [L/h]", num(E * units::mm3_per_s_to_L_per_h(q_in_cons)));
      md.emplace_back("mass balance residual (in - out - eliminated) / in", num(r.in > 0 ? imb / r.in : 0., 3));
      pcout << "[perfusion] steady state: E = " << num(E) << ", in " << num(r.in) << " pmol/s, out " << num(r.out)
            << ", eliminated " << num(r.eliminated + r.filtered) << ", balance residual " << num(imb) << " pmol/s"
            << std::endl;
      output_fields(0., &cg);
    }

    void
    PerfusionSolver::run_transient()
    {
      const double       dt = p.prm_dt, theta = p.prm_theta;
      const unsigned int n_steps   = static_cast<unsigned int>(std::ceil(p.prm_end_time / dt - 1e-9));
      const unsigned int out_every = p.prm_output_interval > 0 ?
                                       std::max(1u, static_cast<unsigned int>(std::round(p.prm_output_interval / dt))) :
                                       n_steps;
      const bool nonlinear = coef.kinetics.type == Kinetics::Type::michaelis_menten;
      PETScWrappers::MPI::Vector c(owned_c, comm), c_old(owned_c, comm), c_older(owned_c, comm), c_star(owned_c, comm),
        rhs(owned_c, comm), f_old, f_new, cg(owned_c, relevant_c, comm), csg(owned_c, relevant_c, comm),
        cog(owned_c, relevant_c, comm);
      if (p.prm_manufactured)
        {
          VectorTools::interpolate(*mapping, dof_c, ManufacturedFunction(mms, 0.), c);
          c_old   = c;
          c_older = c;
        }
      cg  = c;
      csg = c;
      assemble_operators(csg, false);
      assemble_rhs(0., f_old);
      Rates r_old = rates(cg, csg, 0.);
      const double m0 = r_old.stored;
      double cum_in = 0, cum_out = 0, cum_el = 0, cum_filt = 0, max_rel_imb = 0;
      const bool rank0 = Utilities::MPI::this_mpi_process(comm) == 0;
      if (rank0)
        traces << "time_s,time_pbpk_h,c_in_unbound_uM,c_in_blood_uM,c_out_blood_uM,E,in_pmol_per_s,out_pmol_per_s,"
                  "eliminated_pmol_per_s,filtered_pmol_per_s,stored_pmol,cum_in_pmol,cum_out_pmol,"
                  "cum_eliminated_pmol,cum_filtered_pmol,balance_pmol\n";
      const auto trace = [&](double t, const Rates &r, double imb) {
        if (!rank0)
          return;
        const double cin = p.prm_manufactured ? 0. : inlet_unbound(t);
        traces << std::setprecision(10) << t << "," << p.prm_inlet_offset_h + units::s_to_h(t) << "," << cin << ","
               << cin / coef.fu_b << "," << (q_out_transport > 0 ? r.gross_out / q_out_transport : 0.) << ","
               << (r.in > 0 ? 1. - r.out / r.in : 0.) << "," << r.in << "," << r.out << "," << r.eliminated << ","
               << r.filtered << "," << r.stored << "," << cum_in << "," << cum_out << "," << cum_el << ","
               << cum_filt << "," << imb << "\n";
      };
      trace(0., r_old, 0.);
      output_fields(0., &cg);
      // ProgressReporter prints ms: hand it ms
      ProgressReporter progress(pcout, "perfusion", 1e3 * p.prm_end_time, p.prm_progress_interval);
      std::vector<std::pair<double, std::pair<double, double>>> errors;
      if (p.prm_manufactured)
        errors.emplace_back(0., manufactured_errors(cg, 0.));
      Rates r_new;
      for (unsigned int step = 1; step <= n_steps; ++step)
        {
          const double t0 = (step - 1) * dt, t1 = step * dt;
          if (nonlinear)
            {
              // coefficient at t^{n+theta}, extrapolated from the last two levels (second order)
              c_star = c_old;
              if (step > 1)
                {
                  c_star *= 1. + theta;
                  c_star.add(-theta, c_older);
                }
              csg = c_star;
              assemble_operators(csg, false);
              cog = c_old;
              r_old = rates(cog, csg, t0); // same linearisation at both ends of the step
            }
          // venous backflow at reversed outlet nodes carries the mixed outlet concentration of
          // the last step (lagged: r_old and f_old keep the value they were built with)
          c_back = q_out_transport > 0 ? r_old.gross_out / q_out_transport : 0.;
          assemble_rhs(t1, f_new);
          B_c.vmult(rhs, c_old);
          rhs.add(theta, f_new);
          rhs.add(1. - theta, f_old);
          c = c_old;
          const unsigned int its = solve_transport(c, rhs, nonlinear || step == 1);
          cg    = c;
          r_new = rates(cg, csg, t1);
          cum_in += dt * (theta * r_new.in + (1 - theta) * r_old.in);
          cum_out += dt * (theta * r_new.out + (1 - theta) * r_old.out);
          cum_el += dt * (theta * r_new.eliminated + (1 - theta) * r_old.eliminated);
          cum_filt += dt * (theta * r_new.filtered + (1 - theta) * r_old.filtered);
          const double imb = cum_in - cum_out - cum_el - cum_filt - (r_new.stored - m0);
          if (!p.prm_manufactured)
            max_rel_imb = std::max(max_rel_imb, std::abs(imb) / std::max(cum_in, 1e-300));
          trace(t1, r_new, imb);
          if (step % out_every == 0 || step == n_steps)
            {
              output_fields(t1, &cg);
              if (p.prm_manufactured)
                errors.emplace_back(t1, manufactured_errors(cg, t1));
            }
          progress.update(1e3 * t1, step,
                          "gmres " + std::to_string(its) + "  E " +
                            num(r_new.in > 0 ? 1. - r_new.out / r_new.in : 0., 4));
          if (ctx.verbosity >= 2)
            pcout << "[perfusion] t= " << t1 << " s step " << step << " gmres " << its << " in " << r_new.in
                  << " out " << r_new.out << " balance " << imb << " pmol" << std::endl;
          c_older = c_old;
          c_old   = c;
          f_old   = f_new;
          r_old   = r_new;
        }
      const double E = r_new.in > 0 ? 1. - r_new.out / r_new.in : 0.;
      summary.set("steady_state", false)
        .set("time_steps", static_cast<int>(n_steps))
        .set("extraction_ratio_end", E)
        .set("clearance_blood_L_per_h_end", E * units::mm3_per_s_to_L_per_h(q_in_cons))
        .set("outlet_blood_conc_uM_end", q_out_transport > 0 ? r_new.gross_out / q_out_transport : 0.)
        .set("cumulative_in_pmol", cum_in)
        .set("cumulative_out_pmol", cum_out)
        .set("cumulative_eliminated_pmol", cum_el)
        .set("cumulative_filtered_pmol", cum_filt)
        .set("stored_end_pmol", r_new.stored)
        .set("balance_max_relative", max_rel_imb)
        .set("transport_iterations_per_step", transport_solves ? double(transport_iterations) / transport_solves : 0.);
      if (p.prm_manufactured)
        {
          summary.set("l2_error_blood", errors.back().second.first)
            .set("l2_error_tissue", errors.back().second.second)
            .set("h_mm", mesh.h)
            .set("dt_s", dt);
          pcout << "[perfusion] manufactured solution: L2 error at t = " << errors.back().first
                << " s: blood " << errors.back().second.first << ", tissue " << errors.back().second.second
                << std::endl;
        }
      md.emplace_back("extraction ratio E(t) = 1 - out/in at the end (FE)", num(E));
      md.emplace_back("blood clearance Q E at the end [L/h]", num(E * units::mm3_per_s_to_L_per_h(q_in_cons)));
      md.emplace_back("cumulative in / out / eliminated / filtered [pmol]",
                      num(cum_in) + " / " + num(cum_out) + " / " + num(cum_el) + " / " + num(cum_filt));
      md.emplace_back("largest relative mass-balance residual", num(max_rel_imb, 3));
      if (p.prm_manufactured)
        md.emplace_back("L2 error blood / tissue (manufactured)",
                        num(errors.back().second.first, 4) + " / " + num(errors.back().second.second, 4));
      pcout << "[perfusion] t = " << p.prm_end_time << " s: E = " << num(E) << ", cumulative in " << num(cum_in)
            << " pmol, out " << num(cum_out) << ", eliminated " << num(cum_el + cum_filt) << ", stored "
            << num(r_new.stored - m0) << "; largest relative balance residual " << num(max_rel_imb, 3) << std::endl;
    }

    void
    PerfusionSolver::run()
    {
      wall_clock.start();
      ResultDirectory dir(p.prm_directory, comm);
      tmp_dir = dir.tmp();
      setup_mesh_and_check_ids();
      setup_darcy();

      // organ-level values, ICRP defaults where the deck says -1
      const bool       organ = p.prm_organ != "generic";
      pk::Physiology   phys;
      unsigned int     tissue = 0;
      if (organ)
        {
          phys   = pk::make_physiology(pk::Individual{});
          tissue = p.prm_organ == "liver" ? pk::liver : pk::kidney;
        }
      const double organ_flow_L_h =
        organ ? (p.prm_organ == "liver" ? phys.liver_total_flow() : phys.flow_L_per_h[tissue]) : 0.;
      q_inlet_mm3_s = p.prm_inlet_flow > 0 ? units::mL_per_min_to_mm3_per_s(p.prm_inlet_flow) :
                                             units::L_per_h_to_mm3_per_s(p.prm_organ_fraction * organ_flow_L_h);
      phi_b = p.prm_blood_fraction > 0 ?
                p.prm_blood_fraction :
                pk::regional_blood_fraction(tissue) * phys.blood_volume() / phys.volume_L[tissue];
      clint_L_h = p.prm_kinetics == "linear" ?
                    p.prm_clint_L_per_h :
                    (p.prm_kinetics == "michaelis_menten" ?
                       units::mm3_per_s_to_L_per_h(units::umol_per_min_to_pmol_per_s(p.prm_vmax_umol_per_min) /
                                                   p.prm_km_uM) :
                       0.);
      clf_L_h = p.prm_filtration_L_per_h >= 0 ? p.prm_filtration_L_per_h : p.prm_organ_fraction * phys.gfr_L_per_h;
      ps_L_h  = p.prm_ps_L_per_h;

      pcout << "OrganTwin " << version_string() << " (git " << git_hash() << ", " << build_type() << "), "
            << Utilities::MPI::n_mpi_processes(comm) << " MPI rank(s)\n"
            << "deck: " << ctx.deck_file << "\nmesh: " << mesh.description << ", "
            << mesh.tria->n_global_active_cells() << " cells, volume " << num(volume_mm3) << " mm^3, "
            << dof_p.n_dofs() << " pressure DoFs (" << (mesh.simplex ? "P1" : "Q1") << ")\n"
            << "results: " << dir.final_path() << std::endl;
      solve_darcy();
      const double q_L_h = units::mm3_per_s_to_L_per_h(q_in_cons);
      pcout << "[perfusion] Darcy: CG+AMG " << darcy_iterations << " iterations; inflow " << num(q_in_face)
            << " mm^3/s (" << num(q_L_h) << " L/h), outflow " << num(q_out_face)
            << " mm^3/s; consistent fluxes in " << num(q_in_cons) << ", out " << num(q_out_cons)
            << " mm^3/s; pressure " << num(p_min) << " to " << num(p_max) << " kPa" << std::endl;

      md.emplace_back("mesh", mesh.description + ", " + std::to_string(mesh.tria->n_global_active_cells()) + " cells");
      md.emplace_back("organ volume [mL]", num(volume_mm3 * 1e-3));
      md.emplace_back("blood flow in / out (consistent) [L/h]",
                      num(q_L_h) + " / " + num(units::mm3_per_s_to_L_per_h(q_out_cons)));
      md.emplace_back("pressure range [kPa]", num(p_min) + " to " + num(p_max));
      summary.set("problem", "perfusion")
        .set("git_hash", git_hash())
        .set("ranks", static_cast<int>(Utilities::MPI::n_mpi_processes(comm)))
        .set("mesh", mesh.description)
        .set("cells", static_cast<unsigned long>(mesh.tria->n_global_active_cells()))
        .set("volume_mm3", volume_mm3)
        .set("inlet_area_mm2", inlet_area)
        .set("pressure_dofs", static_cast<unsigned long>(dof_p.n_dofs()))
        .set("darcy_iterations", static_cast<int>(darcy_iterations))
        .set("inflow_mm3_per_s", q_in_face)
        .set("outflow_mm3_per_s", q_out_face)
        .set("inflow_consistent_mm3_per_s", q_in_cons)
        .set("outflow_consistent_mm3_per_s", q_out_cons)
        .set("flow_mismatch_relative", (q_in_face - q_out_face) / q_in_face)
        .set("flow_mismatch_consistent_relative", (q_in_cons - q_out_cons) / q_in_cons)
        .set("blood_flow_L_per_h", q_L_h)
        .set("pressure_min_kPa", p_min)
        .set("pressure_max_kPa", p_max)
        .set("blood_volume_fraction", phi_b)
        .set("organ_fraction", p.prm_organ_fraction)
        .set("filtration_clearance_L_per_h", clf_L_h)
        .set("intrinsic_clearance_L_per_h", clint_L_h)
        .set("inlet_centroid_mm", std::vector<double>{inlet_centroid[0], inlet_centroid[1], inlet_centroid[2]})
        .set("outlet_centroid_mm", std::vector<double>{outlet_centroid[0], outlet_centroid[1], outlet_centroid[2]})
        .set("outlet_area_mm2", outlet_area);

      if (p.prm_drug)
        {
          if (p.prm_inlet_source == "constant")
            inlet = drugs::make_constant_source(p.prm_inlet_value_uM);
          else if (p.prm_inlet_source == "table")
            inlet = drugs::make_table_source(p.prm_inlet_file);
          else
            inlet = pk::make_pbpk_results_source(p.prm_inlet_file);
          setup_transport();
          // organ-level predictions of the classical models, from the same inputs and the
          // Darcy flow: R_N = fu_b CL_u / Q_b (docs/theory/perfusion.md)
          const double cl_u  = unbound_organ_clearance(ps_L_h, clint_L_h, clf_L_h);
          const double r_n   = coef.fu_b * cl_u / q_L_h;
          const double len   = inlet_centroid.distance(outlet_centroid);
          const double d_n   = coef.phi_b * coef.D_b * volume_mm3 / (q_in_cons * len); // D / (v L), v L = Q L / V
          summary.set("transport_dofs", static_cast<unsigned long>(dof_c.n_dofs()))
            .set("negative_nodal_patch_fluxes", static_cast<int>(n_negative_nodal_fluxes))
            .set("reversed_patch_flow_relative", reversed_patch_flow / q_in_cons)
            .set("inlet", inlet->description())
            .set("kinetics", coef.kinetics.description())
            .set("unbound_clearance_L_per_h", cl_u)
            .set("efficiency_number", r_n)
            .set("path_length_mm", len)
            .set("dispersion_number", d_n)
            .set("extraction_well_stirred", extraction_well_stirred(r_n))
            .set("extraction_parallel_tube", extraction_parallel_tube(r_n))
            .set("extraction_dispersion_model", d_n > 0 ? extraction_dispersion(r_n, d_n) : extraction_parallel_tube(r_n));
          md.emplace_back("efficiency number R_N = fu_b CL_u / Q, dispersion number D_N", num(r_n) + ", " + num(d_n));
          md.emplace_back("patch nodes with reversed flow; their flow / inflow (taken upwind)",
                          std::to_string(n_negative_nodal_fluxes) + "; " + num(reversed_patch_flow / q_in_cons, 3));
          md.emplace_back("E well-stirred / dispersion / parallel tube (same R_N, D_N)",
                          num(extraction_well_stirred(r_n)) + " / " +
                            num(d_n > 0 ? extraction_dispersion(r_n, d_n) : extraction_parallel_tube(r_n)) + " / " +
                            num(extraction_parallel_tube(r_n)));
          pcout << "[perfusion] drug: " << dof_c.n_dofs() << " DoFs (blood+tissue), inlet " << inlet->description()
                << ", " << coef.kinetics.description() << "; R_N = " << num(r_n) << ", D_N = " << num(d_n)
                << " -> E well-stirred " << num(extraction_well_stirred(r_n)) << ", parallel-tube "
                << num(extraction_parallel_tube(r_n)) << std::endl;
          if (p.prm_steady)
            run_steady();
          else
            run_transient();
        }
      else
        output_fields(0., nullptr);
      finish();
      dir.commit();
      pcout << "results in " << dir.final_path() << " (summary.json, traces.csv, fields.pvd)" << std::endl;
    }

    void
    PerfusionSolver::finish()
    {
      wall_clock.stop();
      const double wall  = Utilities::MPI::max(wall_clock.wall_time(), comm);
      Json         times;
      for (const auto &[k, v] : timer.get_summary_data(TimerOutput::total_wall_time))
        times.set(k, v);
      summary.set("wall_time_s", wall).set("timings_s", times);
      if (Utilities::MPI::this_mpi_process(comm) != 0)
        return;
      write_file_atomic(tmp_dir + "summary.json", summary.str() + "\n");
      write_file_atomic(tmp_dir + "used_parameters.prm", used_parameters);
      {
        std::ostringstream o;
        o << "# Perfusion run\n\ndeck: `" << ctx.deck_file << "`, git " << git_hash() << ", "
          << Utilities::MPI::n_mpi_processes(comm) << " rank(s), wall " << num(wall, 3) << " s\n\n"
          << "| quantity | value |\n|---|---|\n";
        for (const auto &[k, v] : md)
          o << "| " << k << " | " << v << " |\n";
        write_file_atomic(tmp_dir + "summary.md", o.str());
      }
      if (p.prm_drug)
        write_file_atomic(tmp_dir + "traces.csv", traces.str());
      if (p.prm_drug && p.prm_plot && !p.prm_steady)
        {
          const std::string script = source_file("solvers/perfusion/plot_perfusion.py");
          const std::string cmd = "/usr/bin/python3 " + shell_quote(script) + " " + shell_quote(tmp_dir) + " 2>&1";
          FILE *pp = ::popen(cmd.c_str(), "r");
          std::string out;
          if (pp)
            {
              char buf[512];
              while (std::fgets(buf, sizeof(buf), pp))
                out += buf;
              if (::pclose(pp) != 0)
                pcout << "[perfusion] warning: plot failed: " << out << std::endl;
            }
        }
      pcout << "wall time " << std::fixed << std::setprecision(2) << wall << " s" << std::defaultfloat << std::endl;
    }

    class PerfusionCase : public Case
    {
    public:
      static void declare_parameters(ParameterHandler &prm) { PerfusionParameters::declare(prm); }
      void        run(ParameterHandler &prm, const RunContext &ctx) override
      {
        PerfusionParameters p;
        p.parse(prm, ctx.deck_file);
        std::ostringstream used;
        prm.print_parameters(used, ParameterHandler::OutputStyle(ParameterHandler::PRM |
                                                                 ParameterHandler::KeepDeclarationOrder));
        PerfusionSolver solver(p, ctx, used.str());
        solver.run();
      }
    };
  } // namespace

  OT_REGISTER(Case, "perfusion", PerfusionCase,
              "Darcy organ perfusion with blood/tissue drug transport and elimination (liver, kidney)")
} // namespace organtwin::perfusion
