// Incompressible Navier-Stokes solver (step-40/55/57 shape): Taylor-Hood elements or stabilised
// equal-order elements (SUPG/PSPG/LSIC), Newton or
// semi-implicit BDF, Trilinos block matrices with a direct (Amesos KLU) or block-preconditioned
// FGMRES solve, derived quantities (forces, fluxes, pressures, WSS/TAWSS/OSI/RRT).
// Equations and boundary terms as implemented: docs/theory/navier_stokes.md.
#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/distributed/fully_distributed_tria.h>
#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_renumbering.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/manifold_lib.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/tria_description.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/block_sparsity_pattern.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/solver_gmres.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/trilinos_block_sparse_matrix.h>
#include <deal.II/lac/trilinos_parallel_block_vector.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_solver.h>
#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_vector.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/data_out_faces.h>
#include <deal.II/numerics/vector_tools.h>

#include <meshes/mesh.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/progress.h>
#include <solvers/common/units.h>
#include <solvers/common/version.h>
#include <solvers/flow/navier_stokes.h>

#include <Amesos.h>
#include <Amesos_BaseSolver.h>
#include <Epetra_LinearProblem.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <initializer_list>
#include <limits>
#include <set>
#include <sstream>
#include <tuple>

namespace organtwin::flow
{
  using namespace dealii;
  namespace LA = TrilinosWrappers;

  namespace
  {
    /// Kovasznay (1948) flow behind a grid: exact steady Navier-Stokes solution for
    /// Re = rho U L / mu with U = L = 1; components u, v, p.
    template <int dim>
    class Kovasznay : public Function<dim>
    {
    public:
      Kovasznay(double rho, double mu)
        : Function<dim>(dim + 1)
        , rho(rho)
      {
        const double re = rho / mu;
        lambda          = 0.5 * re - std::sqrt(0.25 * re * re + 4. * M_PI * M_PI);
      }
      double
      value(const Point<dim> &x, unsigned int c) const override
      {
        const double e = std::exp(lambda * x[0]), s = std::sin(2 * M_PI * x[1]), co = std::cos(2 * M_PI * x[1]);
        if (c == 0)
          return 1. - e * co;
        if (c == 1)
          return lambda / (2 * M_PI) * e * s;
        if (c == dim)
          return rho * 0.5 * (1. - e * e);
        return 0.;
      }
      Tensor<1, dim>
      gradient(const Point<dim> &x, unsigned int c) const override
      {
        const double   e = std::exp(lambda * x[0]), s = std::sin(2 * M_PI * x[1]), co = std::cos(2 * M_PI * x[1]);
        Tensor<1, dim> g;
        if (c == 0)
          {
            g[0] = -lambda * e * co;
            g[1] = 2 * M_PI * e * s;
          }
        else if (c == 1)
          {
            g[0] = lambda * lambda / (2 * M_PI) * e * s;
            g[1] = lambda * e * co;
          }
        else if (c == dim)
          g[0] = -rho * lambda * e * e;
        return g;
      }
      double lambda, rho;
    };

    /// Geometry of a flat inflow patch: area, centroid, inward unit normal, radius.
    template <int dim>
    struct Patch
    {
      double         area = 0, radius = 0;
      Point<dim>     centre, lo, hi; // lo, hi: bounding box (duct profile)
      Tensor<1, dim> inward;
    };

    /// Velocity profile on one inflow patch carrying Q(t) (components u..., p = 0).
    template <int dim>
    class InflowVelocity : public Function<dim>
    {
    public:
      InflowVelocity(const Patch<dim> &patch, const FlowParameters &p)
        : Function<dim>(dim + 1)
        , patch(patch)
        , prm(p)
      {
        if (p.prm_profile == InflowProfile::womersley)
          womersley = std::make_unique<WomersleyProfile>(p.prm_waveform, patch.radius,
                                                         p.rheology.viscosity(0.) / p.prm_density, p.prm_harmonics);
      }
      double
      speed(const Point<dim> &x) const
      {
        const double    t = this->get_time();
        Tensor<1, dim>  d = x - patch.centre;
        d -= (d * patch.inward) * patch.inward;
        const double r = d.norm(), s2 = std::min(1., r * r / (patch.radius * patch.radius));
        double       u = 0;
        if (womersley)
          u = womersley->velocity(r, t);
        else
          {
            const double q = prm.prm_waveform(t);
            if (prm.prm_profile == InflowProfile::plug)
              u = q / patch.area;
            else if (prm.prm_profile == InflowProfile::duct)
              {
                // Product of parabolas across an axis-aligned rectangular patch; the mean of
                // prod(1 - xi_d^2) over the patch is (2/3)^(dim-1).
                u = q / (patch.area * std::pow(2. / 3., dim - 1));
                for (unsigned int c = 0; c < dim; ++c)
                  if (std::abs(patch.inward[c]) < 0.5)
                    {
                      const double h  = 0.5 * (patch.hi[c] - patch.lo[c]);
                      const double xi = (x[c] - 0.5 * (patch.hi[c] + patch.lo[c])) / h;
                      u *= std::max(0., 1. - xi * xi);
                    }
              }
            else
              u = (dim == 2 ? 1.5 : 2.) * q / patch.area * (1. - s2);
          }
        if (prm.prm_ramp_time > 0 && t < prm.prm_ramp_time)
          u *= 0.5 * (1. - std::cos(M_PI * std::max(0., t) / prm.prm_ramp_time));
        return scale * u;
      }
      double
      value(const Point<dim> &x, unsigned int c) const override
      {
        return c < dim ? speed(x) * patch.inward[c] : 0.;
      }
      Patch<dim>                        patch;
      const FlowParameters             &prm;
      std::unique_ptr<WomersleyProfile> womersley;
      double                            scale = 1; // steady continuation: fraction of the inflow
    };

    std::string
    element_name(bool simplex, bool equal_order)
    {
      return equal_order ? (simplex ? "P1-P1 SUPG/PSPG" : "Q1-Q1 SUPG/PSPG") : (simplex ? "P2-P1" : "Q2-Q1");
    }

    std::string
    fmt(double v, int prec = 6)
    {
      std::ostringstream s;
      s << std::setprecision(prec) << v;
      return s.str();
    }
  } // namespace

  template <int dim>
  class NavierStokes
  {
  public:
    NavierStokes(const FlowParameters &p, MPI_Comm comm, int verbosity);
    void run();
    std::string used_parameters;

  private:
    using BlockVector = LA::MPI::BlockVector;

    void make_mesh();
    void make_stented_channel(Triangulation<dim> &t) const;
    void make_dfg_channel_3d(Triangulation<dim> &t) const;
    void setup_system();
    void refine_and_transfer();
    void assemble_pressure_matrices();
    void set_dirichlet(double t);
    void assemble(bool with_matrix);
    void factorize();
    unsigned int solve_linear(BlockVector &update);
    std::pair<unsigned int, unsigned int> solve_step();
    std::pair<unsigned int, unsigned int> solve_steady(unsigned int stage);
    void compute_boundary_fluxes(const BlockVector &state, std::map<unsigned int, double> &flux,
                                 std::map<unsigned int, double> &mean_p) const;
    void update_outlet_pressures(const BlockVector &state);
    double max_cfl() const;
    /// out = sum of c * v over the terms (v ghosted or not; out owned): BDF extrapolations and
    /// the adaptive error estimate.
    void combine(BlockVector &out, std::initializer_list<std::pair<double, const BlockVector *>> terms) const;
    std::vector<double> pressure_at_points() const;
    void accumulate_wss(double weight, bool store_instant);
    void write_fields(unsigned int index, double t);
    void write_wss(const std::string &dir);
    void compute_errors(Json &summary);
    double womersley_profile_error(double t) const;

    const FlowParameters      &p;
    MPI_Comm                   comm;
    int                        verbosity;
    ConditionalOStream         pcout;
    TimerOutput                timer;
    std::unique_ptr<parallel::TriangulationBase<dim>> tria;
    bool                       simplex = false;
    std::unique_ptr<Mapping<dim>>       mapping;
    std::unique_ptr<FiniteElement<dim>> fe;
    DoFHandler<dim>            dof_handler;
    std::unique_ptr<Quadrature<dim>>     quadrature;
    std::unique_ptr<Quadrature<dim - 1>> face_quadrature;
    std::vector<IndexSet>      owned_partitioning, relevant_partitioning;
    IndexSet                   owned_dofs, relevant_dofs;
    types::global_dof_index    n_u = 0, n_p = 0;
    AffineConstraints<double>  zero_constraints, nonzero_constraints;
    LA::BlockSparseMatrix      system_matrix;  // iterative path
    LA::SparseMatrix           mono_matrix;    // direct path
    LA::SparseMatrix           pressure_mass, pressure_laplace;
    // Direct path: one Amesos solver for the run; the symbolic phase (ordering, analysis) is done
    // once for the fixed sparsity pattern, the numeric factorisation whenever the Jacobian is
    // refreshed (Solver/Jacobian update). Iterative path: the preconditioners of the last refresh.
    Epetra_LinearProblem                 amesos_problem;
    std::unique_ptr<Amesos_BaseSolver>   amesos;
    bool                                 symbolic_done = false, jacobian_valid = false;
    std::unique_ptr<LA::PreconditionAMG> amg_a, amg_lp;
    LA::PreconditionJacobi               jacobi_mp;
    unsigned int                         n_factorizations = 0, n_residuals = 0;
    unsigned int                         n_rejected = 0, n_at_min_dt = 0; // adaptive time stepping
    double                               jacobian_a0_dt = 0; // a0/dt of the current Jacobian
    // Steady globalisation (solve_steady): assemble() builds the Picard (Oseen) matrix instead of
    // the Newton Jacobian while set; one nonlinear.csv row per iteration; counters for summary.json.
    bool                                 picard_matrix = false;
    std::ostringstream                   nonlinear_csv;
    unsigned int                         n_picard = 0, n_newton = 0, n_backtracks = 0, n_ls_failures = 0;
    double                               min_step_taken = 1;
    double                               jacobian_theta = 1; // theta of the current Jacobian (CN: 1/2)
    BlockVector                solution, current, old1, old2, old3, residual; // old3: u^(n-2), adaptive and BDF3
    std::vector<std::unique_ptr<InflowVelocity<dim>>> inflows;
    // time stepping state
    double       time = 0, dt = 1;
    unsigned int step = 0, order = 1;
    bool         steady = true;
    double       a0 = 0, a1 = 0, a2 = 0, a3 = 0; // BDF: du/dt ~ (a0 u + a1 u^n + a2 u^(n-1) + a3 u^(n-2))/dt
    double       theta = 1;              // weight of the new level in the spatial operator (CN: 1/2)
    double       extrap = 1;             // omega = dt_n / dt_(n-1): extrapolation (1 + omega) u^n - omega u^(n-1)
    // outlets
    std::map<unsigned int, double> outlet_pressure; // [kPa] applied at the current step
    std::vector<double>            rcr_pc;          // [kPa]
    // forces: body dofs per tag (velocity dofs on that boundary), results of the last residual
    std::map<unsigned int, std::set<types::global_dof_index>> body_dofs;
    std::map<unsigned int, Tensor<1, dim>>                    force;
    // WSS accumulation at wall face quadrature points
    std::vector<Tensor<1, dim>> wss_sum, wss_now;
    std::vector<double>         wss_abs_sum;
    double                      wss_time = 0;
    // statistics
    std::vector<unsigned int> krylov_per_step, newton_per_step;
    double                    womersley_max_error = 0, womersley_l2_max = 0, womersley_ref = 0;
    std::unique_ptr<Kovasznay<dim>> kovasznay;
    std::unique_ptr<Function<dim>>  womersley_exact;
    std::unique_ptr<WomersleyProfile> womersley_profile;
    double                          exact_wss_abs = 0, exact_wss_sum = 0; // [Pa ms]
    std::string                     field_dir;
    std::vector<std::pair<double, std::string>> pvd;
    std::vector<double>             step_wall;
    // Pressure points: the owning cell and reference point, located once (the mesh is fixed).
    mutable std::vector<std::pair<typename DoFHandler<dim>::active_cell_iterator, Point<dim>>> pressure_cells;
    mutable bool                    pressure_cells_found = false;
  };

  namespace
  {
    /// Exact Womersley field in the x-aligned pipe of the "pipe" mesh.
    template <int dim>
    class WomersleyField : public Function<dim>
    {
    public:
      WomersleyField(const WomersleyProfile &w)
        : Function<dim>(dim + 1)
        , w(w)
      {}
      double
      value(const Point<dim> &x, unsigned int c) const override
      {
        if (c != 0)
          return 0.;
        double r2 = 0;
        for (unsigned int d = 1; d < dim; ++d)
          r2 += x[d] * x[d];
        return w.velocity(std::sqrt(r2), this->get_time());
      }
      WomersleyProfile w;
    };

    /// Upper block-triangular preconditioner for [A B^T; B 0]:
    ///   y_p = -(mu Mp^-1 + rho a0/dt Lp^-1) r_p   (Cahouet-Chabard Schur approximation),
    ///   y_u = A^-1 (r_u - B^T y_p),  A^-1 and Lp^-1 one AMG V-cycle, Mp^-1 Jacobi.
    class BlockPreconditioner
    {
    public:
      BlockPreconditioner(const LA::BlockSparseMatrix &m, const LA::PreconditionAMG &amg_a,
                          const LA::PreconditionJacobi &mp, const LA::PreconditionAMG *lp, double mu, double sigma)
        : matrix(m)
        , amg_a(amg_a)
        , mp(mp)
        , lp(lp)
        , mu(mu)
        , sigma(sigma)
      {}
      void
      vmult(LA::MPI::BlockVector &dst, const LA::MPI::BlockVector &src) const
      {
        tmp_p.reinit(src.block(1));
        mp.vmult(dst.block(1), src.block(1));
        dst.block(1) *= -mu;
        if (lp != nullptr && sigma > 0)
          {
            lp->vmult(tmp_p, src.block(1));
            dst.block(1).add(-sigma, tmp_p);
          }
        tmp_u.reinit(src.block(0));
        matrix.block(0, 1).vmult(tmp_u, dst.block(1));
        tmp_u.sadd(-1., 1., src.block(0));
        amg_a.vmult(dst.block(0), tmp_u);
      }

    private:
      const LA::BlockSparseMatrix    &matrix;
      const LA::PreconditionAMG      &amg_a;
      const LA::PreconditionJacobi   &mp;
      const LA::PreconditionAMG      *lp;
      double                          mu, sigma;
      mutable LA::MPI::Vector         tmp_u, tmp_p;
    };
  } // namespace

  template <int dim>
  NavierStokes<dim>::NavierStokes(const FlowParameters &p, MPI_Comm comm, int verbosity)
    : p(p)
    , comm(comm)
    , verbosity(verbosity)
    , pcout(std::cout, Utilities::MPI::this_mpi_process(comm) == 0 && verbosity > 0)
    , timer(comm, pcout, TimerOutput::never, TimerOutput::wall_times)
  {}

  template <int dim>
  void
  NavierStokes<dim>::make_mesh()
  {
    TimerOutput::Scope scope(timer, "flow / mesh");
    simplex = p.prm_element_type == "tet";
    if (p.prm_mesh_source == "file")
      {
        if constexpr (dim == 3)
          {
            meshes::MeshParameters mp;
            // a .otmesh written by `organtwin mesh` (tags by name, P2 nodes) or a Gmsh .msh
            const std::string &f = p.prm_mesh_file;
            mp.prm_source = f.size() > 7 && f.compare(f.size() - 7, 7, ".otmesh") == 0 ? "prepared" : "file";
            mp.prm_file   = f;
            mp.prm_unit_to_mm = p.prm_unit_to_mm;
            mp.prm_deck       = p.deck;
            auto mesh         = meshes::create_mesh(mp, comm);
            simplex           = mesh.simplex;
            tria              = std::move(mesh.tria);
          }
        else
          Assert(false, ExcInternalError());
      }
    else
      {
        input_check(!(simplex && (p.prm_mesh_source == "channel_with_cylinder" || p.prm_mesh_source == "dfg_channel_3d")),
                    p.deck + ": [Mesh/Element type] = tet",
                    "channel_with_cylinder is hex only");
        auto build = [&](Triangulation<dim> &t) {
          if (p.prm_mesh_source == "channel_with_cylinder")
            GridGenerator::channel_with_cylinder(t, 0.03, 2, 2.0, true);
          else if (p.prm_mesh_source == "dfg_channel_3d")
            make_dfg_channel_3d(t);
          else if (p.prm_mesh_source == "rectangle")
            {
              Point<dim>                lo, hi;
              std::vector<unsigned int> rep(dim);
              for (unsigned int d = 0; d < dim; ++d)
                {
                  lo[d]  = p.prm_lower[d];
                  hi[d]  = p.prm_upper[d];
                  rep[d] = p.prm_subdivisions[d];
                }
              GridGenerator::subdivided_hyper_rectangle(t, rep, lo, hi, true);
            }
          else if (p.prm_mesh_source == "pipe")
            GridGenerator::subdivided_cylinder(t, p.prm_pipe_subdivisions, p.prm_pipe_radius, 0.5 * p.prm_pipe_length);
          else if (p.prm_mesh_source == "stented_channel")
            make_stented_channel(t);
        };
        if (simplex)
          {
            // Split, refine in serial, then distribute the fine mesh.
            Triangulation<dim> serial;
            build(serial);
            serial.refine_global(p.prm_refinements);
            Triangulation<dim> tets;
            GridGenerator::convert_hypercube_to_simplex_mesh(serial, tets);
            if constexpr (dim == 3)
              if (p.prm_mesh_source == "pipe")
                {
                  for (const auto &cell : tets.active_cell_iterators())
                    for (const auto &face : cell->face_iterators())
                      if (face->at_boundary() && face->boundary_id() == 0)
                        face->set_all_manifold_ids(0);
                  tets.set_manifold(0, CylindricalManifold<dim>(0));
                }
            GridTools::partition_triangulation(Utilities::MPI::n_mpi_processes(comm), tets);
            auto fd = std::make_unique<parallel::fullydistributed::Triangulation<dim>>(comm);
            if constexpr (dim == 3)
              if (p.prm_mesh_source == "pipe")
                fd->set_manifold(0, CylindricalManifold<dim>(0));
            fd->create_triangulation(TriangulationDescription::Utilities::create_description_from_triangulation(tets, comm));
            tria = std::move(fd);
          }
        else
          {
            auto pd = std::make_unique<parallel::distributed::Triangulation<dim>>(comm);
            build(*pd);
            pd->refine_global(p.prm_refinements);
            tria = std::move(pd);
          }
      }
    if (simplex)
      {
        mapping = std::make_unique<MappingFE<dim>>(FE_SimplexP<dim>(1));
        fe      = std::make_unique<FESystem<dim>>(FE_SimplexP<dim>(p.prm_equal_order ? 1 : 2), dim, FE_SimplexP<dim>(1), 1);
        quadrature      = std::make_unique<QGaussSimplex<dim>>(4);
        face_quadrature = std::make_unique<QGaussSimplex<dim - 1>>(4);
      }
    else
      {
        mapping         = std::make_unique<MappingQ<dim>>(2);
        fe              = std::make_unique<FESystem<dim>>(FE_Q<dim>(p.prm_equal_order ? 1 : 2), dim, FE_Q<dim>(1), 1);
        quadrature      = std::make_unique<QGauss<dim>>(3);
        face_quadrature = std::make_unique<QGauss<dim - 1>>(3);
      }

    // Every boundary id of the mesh must have a condition; every listed id must exist.
    std::set<types::boundary_id> local_ids;
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto &face : cell->face_iterators())
          if (face->at_boundary())
            local_ids.insert(face->boundary_id());
    std::set<types::boundary_id> ids;
    for (const auto &v : Utilities::MPI::all_gather(comm, std::vector<types::boundary_id>(local_ids.begin(), local_ids.end())))
      ids.insert(v.begin(), v.end());
    std::string present;
    for (auto id : ids)
      present += (present.empty() ? "" : ",") + std::to_string(id);
    auto check_list = [&](const std::vector<unsigned int> &list, const std::string &entry) {
      for (unsigned int id : list)
        input_check(ids.count(id) != 0, p.deck + ": [" + entry + "] = " + std::to_string(id),
                    "boundary id " + std::to_string(id) + " is not in the mesh (ids present: " + present + ")");
    };
    check_list(p.prm_no_slip, "Boundary conditions/No-slip");
    check_list(p.prm_inflow, "Boundary conditions/Inflow");
    check_list(p.prm_outlets, "Boundary conditions/Outlets");
    check_list(p.prm_force_tags, "Quantities/Force tags");
    check_list(p.prm_flux_tags, "Quantities/Flux tags");
    check_list(p.prm_wall_tags, "Quantities/Wall tags");
    std::set<unsigned int> given(p.prm_no_slip.begin(), p.prm_no_slip.end());
    given.insert(p.prm_inflow.begin(), p.prm_inflow.end());
    given.insert(p.prm_outlets.begin(), p.prm_outlets.end());
    for (auto id : ids)
      input_check(given.count(id) != 0, p.deck + ": [Boundary conditions] boundary id " + std::to_string(id),
                  "has no condition; list it under No-slip, Inflow or Outlets (ids present: " + present + ")");
  }

  template <int dim>
  void
  NavierStokes<dim>::make_dfg_channel_3d(Triangulation<dim> &t) const
  {
    // DFG 3D-1Z/2Z/3Z geometry (Schaefer & Turek 1996): channel 2.5 x 0.41 x 0.41, cylinder
    // D = 0.1 with axis along z through (0.5, 0.2). Built from deal.II's 3D channel_with_cylinder
    // (2.2 long, axis through (0.2, 0.2); its first cell column is x in [0, 0.1], the cylinder
    // block starts at x = 0.1) by the continuous map x -> 4x (x <= 0.1), x + 0.3 (x > 0.1):
    // the inflow column is stretched, the cylinder block and everything behind it is shifted
    // rigidly. Ids as channel_with_cylinder: 0 inflow, 1 outflow, 2 cylinder, 3 walls.
    if constexpr (dim == 3)
      {
        Triangulation<3> serial;
        GridGenerator::channel_with_cylinder(serial, 0.03, 2, 2.0, true);
        GridTools::transform([](const Point<3> &x) { return Point<3>(x[0] <= 0.1 ? 4. * x[0] : x[0] + 0.3, x[1], x[2]); },
                             serial);
        t.copy_triangulation(serial);
        t.set_manifold(0, CylindricalManifold<3>(Tensor<1, 3>({0., 0., 1.}), Point<3>(0.5, 0.2, 0.)));
        TransfiniteInterpolationManifold<3> tfi;
        tfi.initialize(t);
        t.set_manifold(1, tfi);
        // The cylinder must have come through the map unchanged.
        for (const auto &cell : t.active_cell_iterators())
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary() && face->boundary_id() == 2)
              for (unsigned int v = 0; v < face->n_vertices(); ++v)
                {
                  const Point<3> x = face->vertex(v);
                  AssertThrow(std::abs(std::hypot(x[0] - 0.5, x[1] - 0.2) - 0.05) < 1e-10,
                              ExcMessage("dfg_channel_3d: the cylinder was distorted by the channel map"));
                }
      }
    else
      {
        (void)t;
        AssertThrow(false, ExcMessage("dfg_channel_3d needs Dimension = 3"));
      }
  }

  template <int dim>
  void
  NavierStokes<dim>::make_stented_channel(Triangulation<dim> &t) const
  {
    // Tensor grid whose lines pass through every strut edge; strut cells are removed.
    if constexpr (dim == 2)
      {
        const auto &s = p.stent;
        auto        split = [](const std::vector<double> &breaks, const std::vector<double> &sizes) {
          std::vector<double> steps;
          for (std::size_t i = 0; i + 1 < breaks.size(); ++i)
            {
              const double len = breaks[i + 1] - breaks[i];
              const int    n   = std::max(1, int(std::ceil(len / sizes[i] - 1e-9)));
              for (int k = 0; k < n; ++k)
                steps.push_back(len / n);
            }
          return steps;
        };
        const double              x_end = s.start + (s.count - 1) * s.spacing + s.strut_width;
        std::vector<double>       xb{0.}, xs;
        const double              fine_begin = std::max(0.5 * s.start, s.start - 1.), fine_end = std::min(s.length, x_end + 3.);
        xb.push_back(fine_begin);
        xs.push_back(s.h_coarse);
        for (unsigned int k = 0; k < s.count; ++k)
          {
            const double a = s.start + k * s.spacing;
            xb.push_back(a);
            xs.push_back(s.h_fine);
            xb.push_back(a + s.strut_width);
            xs.push_back(s.h_fine);
          }
        xb.push_back(fine_end);
        xs.push_back(s.h_fine);
        if (fine_end < s.length)
          {
            xb.push_back(s.length);
            xs.push_back(s.h_coarse);
          }
        const double R = 0.5 * s.width;
        const std::vector<double> yb{-R, -R + s.thickness, -R + s.wall_layer, R - s.wall_layer, R - s.thickness, R};
        const std::vector<double> ys{s.h_fine, s.h_fine, s.h_coarse, s.h_fine, s.h_fine};
        const std::vector<std::vector<double>> spacing{split(xb, xs), split(yb, ys)};
        Table<dim, types::material_id>         material(spacing[0].size(), spacing[1].size());
        double                                 x = 0;
        for (unsigned int i = 0; i < spacing[0].size(); ++i)
          {
            const double xc = x + 0.5 * spacing[0][i];
            x += spacing[0][i];
            bool in_strut = false;
            for (unsigned int k = 0; k < s.count; ++k)
              in_strut |= xc > s.start + k * s.spacing && xc < s.start + k * s.spacing + s.strut_width;
            double y = -R;
            for (unsigned int j = 0; j < spacing[1].size(); ++j)
              {
                const double yc = y + 0.5 * spacing[1][j];
                y += spacing[1][j];
                material(i, j) = in_strut && std::abs(yc) > R - s.thickness ? numbers::invalid_material_id : 0;
              }
          }
        GridGenerator::subdivided_hyper_rectangle(t, spacing, Point<dim>(0., -R), material, false);
        const double tol = 1e-9 * s.length;
        for (const auto &cell : t.active_cell_iterators())
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary())
              {
                const Point<dim> c = face->center();
                if (std::abs(c[0]) < tol)
                  face->set_boundary_id(1);
                else if (std::abs(c[0] - s.length) < tol)
                  face->set_boundary_id(2);
                else if (std::abs(std::abs(c[1]) - R) < tol)
                  face->set_boundary_id(0);
                else
                  face->set_boundary_id(3);
              }
      }
    else
      (void)t;
  }

  template <int dim>
  void
  NavierStokes<dim>::setup_system()
  {
    TimerOutput::Scope scope(timer, "flow / setup");
    dof_handler.reinit(*tria);
    dof_handler.distribute_dofs(*fe);
    std::vector<unsigned int> block_component(dim + 1, 0);
    block_component[dim] = 1;
    DoFRenumbering::component_wise(dof_handler, block_component);
    const auto per_block = DoFTools::count_dofs_per_fe_block(dof_handler, block_component);
    n_u                  = per_block[0];
    n_p                  = per_block[1];
    owned_dofs           = dof_handler.locally_owned_dofs();
    relevant_dofs        = DoFTools::extract_locally_relevant_dofs(dof_handler);
    owned_partitioning   = {owned_dofs.get_view(0, n_u), owned_dofs.get_view(n_u, n_u + n_p)};
    relevant_partitioning = {relevant_dofs.get_view(0, n_u), relevant_dofs.get_view(n_u, n_u + n_p)};

    const FEValuesExtractors::Vector velocities(0);
    zero_constraints.clear();
    zero_constraints.reinit(relevant_dofs);
    DoFTools::make_hanging_node_constraints(dof_handler, zero_constraints);
    for (unsigned int id : p.prm_no_slip)
      VectorTools::interpolate_boundary_values(*mapping, dof_handler, id, Functions::ZeroFunction<dim>(dim + 1),
                                               zero_constraints, fe->component_mask(velocities));
    for (unsigned int id : p.prm_inflow)
      VectorTools::interpolate_boundary_values(*mapping, dof_handler, id, Functions::ZeroFunction<dim>(dim + 1),
                                               zero_constraints, fe->component_mask(velocities));
    zero_constraints.close();

    BlockDynamicSparsityPattern dsp(relevant_partitioning);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, zero_constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp, owned_dofs, comm, relevant_dofs);
    if (p.prm_direct)
      {
        DynamicSparsityPattern mono(relevant_dofs);
        DoFTools::make_sparsity_pattern(dof_handler, mono, zero_constraints, false);
        SparsityTools::distribute_sparsity_pattern(mono, owned_dofs, comm, relevant_dofs);
        mono_matrix.reinit(owned_dofs, owned_dofs, mono, comm);
      }
    else
      {
        system_matrix.reinit(owned_partitioning, dsp, comm);
        pressure_mass.reinit(owned_partitioning[1], owned_partitioning[1], dsp.block(1, 1), comm);
        pressure_laplace.reinit(owned_partitioning[1], owned_partitioning[1], dsp.block(1, 1), comm);
        assemble_pressure_matrices();
      }
    solution.reinit(owned_partitioning, comm);
    residual.reinit(owned_partitioning, comm);
    current.reinit(owned_partitioning, relevant_partitioning, comm);
    old1.reinit(owned_partitioning, relevant_partitioning, comm);
    old2.reinit(owned_partitioning, relevant_partitioning, comm);
    if (p.prm_adaptive || p.prm_bdf_order == 3)
      old3.reinit(owned_partitioning, relevant_partitioning, comm);

    // Inflow patches: area, centroid and inward normal from the mesh.
    inflows.clear();
    for (unsigned int id : p.prm_inflow)
      {
        FEFaceValues<dim> fv(*mapping, *fe, *face_quadrature,
                             update_quadrature_points | update_JxW_values | update_normal_vectors);
        double         area = 0;
        Tensor<1, dim> xs, ns;
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (cell->is_locally_owned())
            for (const auto &face : cell->face_iterators())
              if (face->at_boundary() && face->boundary_id() == id)
                {
                  fv.reinit(cell, face);
                  for (unsigned int q = 0; q < fv.n_quadrature_points; ++q)
                    {
                      area += fv.JxW(q);
                      xs += fv.JxW(q) * fv.quadrature_point(q);
                      ns += fv.JxW(q) * fv.normal_vector(q);
                    }
                }
        area = Utilities::MPI::sum(area, comm);
        xs   = Utilities::MPI::sum(xs, comm);
        ns   = Utilities::MPI::sum(ns, comm);
        Patch<dim> patch;
        patch.area   = area;
        patch.centre = Point<dim>(xs / area);
        patch.inward = -ns / ns.norm();
        // Radius: the largest in-plane distance of a patch vertex from the centroid (exact for
        // a circle whose vertices lie on it; the area of the discrete patch is slightly smaller).
        double     rmax = 0;
        Point<dim> lo, hi;
        for (unsigned int c = 0; c < dim; ++c)
          {
            lo[c] = std::numeric_limits<double>::max();
            hi[c] = -std::numeric_limits<double>::max();
          }
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (cell->is_locally_owned())
            for (const auto &face : cell->face_iterators())
              if (face->at_boundary() && face->boundary_id() == id)
                for (unsigned int v = 0; v < face->n_vertices(); ++v)
                  {
                    Tensor<1, dim> d = face->vertex(v) - patch.centre;
                    d -= (d * patch.inward) * patch.inward;
                    rmax = std::max(rmax, d.norm());
                    for (unsigned int c = 0; c < dim; ++c)
                      {
                        lo[c] = std::min(lo[c], face->vertex(v)[c]);
                        hi[c] = std::max(hi[c], face->vertex(v)[c]);
                      }
                  }
        patch.radius = Utilities::MPI::max(rmax, comm);
        for (unsigned int c = 0; c < dim; ++c)
          {
            patch.lo[c] = Utilities::MPI::min(lo[c], comm);
            patch.hi[c] = Utilities::MPI::max(hi[c], comm);
          }
        inflows.push_back(std::make_unique<InflowVelocity<dim>>(patch, p));
        pcout << "  inflow id " << id << ": area " << fmt(area) << (dim == 2 ? " mm" : " mm^2") << ", centre "
              << patch.centre << ", inward normal " << patch.inward << ", radius " << fmt(patch.radius) << " mm\n";
      }

    // Velocity DoFs on each force tag (union over ranks: a rank may see a body DoF only
    // through a cell that touches the body at a vertex).
    for (unsigned int tag : p.prm_force_tags)
      {
        const IndexSet local = DoFTools::extract_boundary_dofs(dof_handler, fe->component_mask(velocities), {types::boundary_id(tag)});
        std::vector<types::global_dof_index> mine;
        for (auto i : local)
          mine.push_back(i);
        body_dofs[tag].clear();
        for (const auto &v : Utilities::MPI::all_gather(comm, mine))
          body_dofs[tag].insert(v.begin(), v.end());
      }
  }

  template <int dim>
  void
  NavierStokes<dim>::refine_and_transfer()
  {
    // Refine every cell once and interpolate u^n, u^(n-1) (and p) onto the finer mesh: Q2/Q1
    // spaces are nested under global refinement, so the transfer is an exact embedding up to the
    // curved cells at the cylinder, which follow the manifold on the finer mesh.
    TimerOutput::Scope scope(timer, "flow / refine");
    AssertThrow(dynamic_cast<parallel::distributed::Triangulation<dim> *>(tria.get()) != nullptr,
                ExcMessage("navier_stokes: [Time/Refine at] needs a hexahedral (p4est) mesh"));
    parallel::distributed::SolutionTransfer<dim, BlockVector> transfer(dof_handler);
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        cell->set_refine_flag();
    tria->prepare_coarsening_and_refinement();
    // BDF3 also needs u^(n-2) (old3).
    const bool                       with_old3 = p.prm_bdf_order == 3;
    std::vector<const BlockVector *> in{&old1, &old2};
    if (with_old3)
      in.push_back(&old3);
    transfer.prepare_for_coarsening_and_refinement(in);
    tria->execute_coarsening_and_refinement();
    // Everything tied to the old DoFs: direct solver, preconditioners, point cells.
    amesos.reset();
    symbolic_done        = false;
    jacobian_valid       = false;
    amg_a.reset();
    amg_lp.reset();
    pressure_cells_found = false;
    setup_system();
    BlockVector a(owned_partitioning, comm), b(owned_partitioning, comm), c(owned_partitioning, comm);
    std::vector<BlockVector *> out{&a, &b};
    if (with_old3)
      out.push_back(&c);
    transfer.interpolate(out);
    old1     = a;
    old2     = b;
    if (with_old3)
      old3 = c;
    solution = a;
    pcout << "[flow] t = " << fmt(time) << " ms: refined to " << tria->n_global_active_cells() << " cells, DoFs: velocity "
          << n_u << ", pressure " << n_p << "\n";
  }

  template <int dim>
  void
  NavierStokes<dim>::assemble_pressure_matrices()
  {
    // Mp = (q, psi); Lp = (grad q, grad psi) + Dirichlet-like penalty on traction outlets (the
    // pressure is fixed there) or a small mass shift when there is none.
    const FEValuesExtractors::Scalar pressure(dim);
    FEValues<dim>     fv(*mapping, *fe, *quadrature, update_values | update_gradients | update_JxW_values);
    FEFaceValues<dim> ff(*mapping, *fe, *face_quadrature, update_values | update_JxW_values);
    const unsigned int                   n = fe->n_dofs_per_cell();
    std::vector<types::global_dof_index> dofs(n);
    std::vector<unsigned int>            pdofs;
    const bool                           has_outlets = !p.prm_outlets.empty();
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fv.reinit(cell);
          cell->get_dof_indices(dofs);
          pdofs.clear();
          for (unsigned int i = 0; i < n; ++i)
            if (fe->system_to_component_index(i).first == dim)
              pdofs.push_back(i);
          FullMatrix<double> m(pdofs.size(), pdofs.size()), l(pdofs.size(), pdofs.size());
          const double       h = cell->minimum_vertex_distance();
          for (unsigned int q = 0; q < fv.n_quadrature_points; ++q)
            for (unsigned int a = 0; a < pdofs.size(); ++a)
              for (unsigned int b = 0; b < pdofs.size(); ++b)
                {
                  const double mm = fv[pressure].value(pdofs[a], q) * fv[pressure].value(pdofs[b], q) * fv.JxW(q);
                  m(a, b) += mm;
                  l(a, b) += fv[pressure].gradient(pdofs[a], q) * fv[pressure].gradient(pdofs[b], q) * fv.JxW(q) +
                             (has_outlets ? 0. : 1e-6 * mm);
                }
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary() &&
                std::find(p.prm_outlets.begin(), p.prm_outlets.end(), face->boundary_id()) != p.prm_outlets.end())
              {
                ff.reinit(cell, face);
                for (unsigned int q = 0; q < ff.n_quadrature_points; ++q)
                  for (unsigned int a = 0; a < pdofs.size(); ++a)
                    for (unsigned int b = 0; b < pdofs.size(); ++b)
                      l(a, b) += 10. / h * ff[pressure].value(pdofs[a], q) * ff[pressure].value(pdofs[b], q) * ff.JxW(q);
              }
          for (unsigned int a = 0; a < pdofs.size(); ++a)
            for (unsigned int b = 0; b < pdofs.size(); ++b)
              {
                pressure_mass.add(dofs[pdofs[a]] - n_u, dofs[pdofs[b]] - n_u, m(a, b));
                pressure_laplace.add(dofs[pdofs[a]] - n_u, dofs[pdofs[b]] - n_u, l(a, b));
              }
        }
    pressure_mass.compress(VectorOperation::add);
    pressure_laplace.compress(VectorOperation::add);
  }

  template <int dim>
  void
  NavierStokes<dim>::set_dirichlet(double t)
  {
    const FEValuesExtractors::Vector velocities(0);
    nonzero_constraints.clear();
    nonzero_constraints.reinit(relevant_dofs);
    DoFTools::make_hanging_node_constraints(dof_handler, nonzero_constraints);
    for (unsigned int id : p.prm_no_slip)
      {
        if (kovasznay)
          {
            kovasznay->set_time(t);
            VectorTools::interpolate_boundary_values(*mapping, dof_handler, id, *kovasznay, nonzero_constraints,
                                                     fe->component_mask(velocities));
          }
        else
          VectorTools::interpolate_boundary_values(*mapping, dof_handler, id, Functions::ZeroFunction<dim>(dim + 1),
                                                   nonzero_constraints, fe->component_mask(velocities));
      }
    for (unsigned int k = 0; k < p.prm_inflow.size(); ++k)
      {
        if (kovasznay)
          VectorTools::interpolate_boundary_values(*mapping, dof_handler, p.prm_inflow[k], *kovasznay,
                                                   nonzero_constraints, fe->component_mask(velocities));
        else
          {
            inflows[k]->set_time(t);
            VectorTools::interpolate_boundary_values(*mapping, dof_handler, p.prm_inflow[k], *inflows[k],
                                                     nonzero_constraints, fe->component_mask(velocities));
          }
      }
    nonzero_constraints.close();
  }

  template <int dim>
  void
  NavierStokes<dim>::compute_boundary_fluxes(const BlockVector &state, std::map<unsigned int, double> &flux,
                                             std::map<unsigned int, double> &mean_p) const
  {
    std::set<unsigned int> tags(p.prm_flux_tags.begin(), p.prm_flux_tags.end());
    tags.insert(p.prm_outlets.begin(), p.prm_outlets.end());
    tags.insert(p.prm_inflow.begin(), p.prm_inflow.end());
    const FEValuesExtractors::Vector velocities(0);
    const FEValuesExtractors::Scalar pressure(dim);
    FEFaceValues<dim> ff(*mapping, *fe, *face_quadrature, update_values | update_normal_vectors | update_JxW_values);
    std::vector<Tensor<1, dim>> u(ff.n_quadrature_points);
    std::vector<double>         pq(ff.n_quadrature_points);
    std::map<unsigned int, double> area;
    for (unsigned int t : tags)
      flux[t] = mean_p[t] = area[t] = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto &face : cell->face_iterators())
          if (face->at_boundary() && tags.count(face->boundary_id()))
            {
              ff.reinit(cell, face);
              ff[velocities].get_function_values(state, u);
              ff[pressure].get_function_values(state, pq);
              const unsigned int id = face->boundary_id();
              for (unsigned int q = 0; q < ff.n_quadrature_points; ++q)
                {
                  flux[id] += u[q] * ff.normal_vector(q) * ff.JxW(q);
                  mean_p[id] += pq[q] * ff.JxW(q);
                  area[id] += ff.JxW(q);
                }
            }
    for (unsigned int t : tags)
      {
        flux[t]      = Utilities::MPI::sum(flux[t], comm);
        mean_p[t]    = Utilities::MPI::sum(mean_p[t], comm) / std::max(1e-300, Utilities::MPI::sum(area[t], comm));
      }
  }

  template <int dim>
  void
  NavierStokes<dim>::update_outlet_pressures(const BlockVector &state)
  {
    // Outlet pressures from the flow of `state` (Picard-lagged inside Newton; explicit in time
    // for the Windkessel capacitor).
    std::map<unsigned int, double> q, pm;
    if (p.prm_outlet_model != OutletModel::traction)
      compute_boundary_fluxes(state, q, pm);
    for (unsigned int k = 0; k < p.prm_outlets.size(); ++k)
      {
        const unsigned int id = p.prm_outlets[k];
        if (p.prm_outlet_model == OutletModel::traction)
          outlet_pressure[id] = p.prm_outlet_pressure[k];
        else if (p.prm_outlet_model == OutletModel::resistance)
          outlet_pressure[id] = p.prm_outlet_pressure[k] + p.prm_resistance[k] * q[id];
        else
          outlet_pressure[id] = p.prm_rcr_rp[k] * q[id] + rcr_pc[k];
      }
  }

  template <int dim>
  void
  NavierStokes<dim>::assemble(bool with_matrix)
  {
    TimerOutput::Scope scope(timer, with_matrix ? "flow / assemble jacobian" : "flow / assemble residual");
    if (with_matrix)
      {
        if (p.prm_direct)
          mono_matrix = 0;
        else
          system_matrix = 0;
      }
    residual = 0;
    update_outlet_pressures(current);

    const FEValuesExtractors::Vector velocities(0);
    const FEValuesExtractors::Scalar pressure(dim);
    const bool        stab = p.prm_equal_order;
    FEValues<dim>     fv(*mapping, *fe, *quadrature, update_values | update_gradients | update_JxW_values |
                                                      (kovasznay ? update_quadrature_points : update_default) |
                                                      (stab ? update_hessians : update_default));
    FEFaceValues<dim> ff(*mapping, *fe, *face_quadrature,
                         update_values | update_normal_vectors | update_JxW_values | update_quadrature_points);
    const unsigned int n = fe->n_dofs_per_cell(), nq = fv.n_quadrature_points, nfq = ff.n_quadrature_points;
    FullMatrix<double>                   cm(n, n);
    Vector<double>                       cr(n);
    std::vector<types::global_dof_index> dofs(n);
    std::vector<Tensor<1, dim>>          u(nq), u1(nq), u2(nq), u3(nq), uf(nfq);
    std::vector<Tensor<2, dim>>          gu(nq), gu1(nq);
    std::vector<Tensor<1, dim>>          uf1(nfq);
    std::vector<double>                  pq(nq), divu(nq);
    std::vector<Tensor<1, dim>>          phi(n);
    std::vector<Tensor<2, dim>>          gphi(n);
    std::vector<double>                  divphi(n), psi(n), jac_eps(n);
    std::vector<Tensor<1, dim>>          jac_inertia(n);
    std::vector<Tensor<2, dim>>          jac_visc(n);
    std::vector<bool>                    is_p(n);
    for (unsigned int i = 0; i < n; ++i)
      is_p[i] = fe->system_to_component_index(i).first == dim;
    // Equal-order stabilisation: strong-residual pieces of the shape functions and the state.
    std::vector<Tensor<1, dim>>          gpsi(n), visc_div_phi(n), gp(nq);
    std::vector<Tensor<3, dim>>          hu(nq);
    const double rho = p.prm_density, beta = p.prm_backflow_beta;
    const bool   newton_conv = p.prm_newton || steady;
    // Matrix terms from differentiating the convection velocity (and mu) in the iterate: dropped
    // for the Picard (Oseen) matrix of the steady solve, whose residual is the same.
    const bool   exact_jacobian = newton_conv && !picard_matrix;
    for (auto &[tag, f] : force)
      f = 0;
    for (unsigned int tag : p.prm_force_tags)
      force[tag] = Tensor<1, dim>();

    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fv.reinit(cell);
          cell->get_dof_indices(dofs);
          cm = 0;
          cr = 0;
          fv[velocities].get_function_values(current, u);
          fv[velocities].get_function_gradients(current, gu);
          fv[pressure].get_function_values(current, pq);
          if (!steady)
            {
              fv[velocities].get_function_values(old1, u1);
              fv[velocities].get_function_values(old2, u2);
              if (a3 != 0.)
                fv[velocities].get_function_values(old3, u3);
              if (theta < 1.)
                fv[velocities].get_function_gradients(old1, gu1);
            }
          // Cell size for the stabilisation parameters: edge length of a square/cube of the
          // same diameter (hex), the diameter (simplex).
          const double h_cell = simplex ? cell->diameter() : cell->diameter() / std::sqrt(double(dim));
          if (stab)
            {
              fv[velocities].get_function_hessians(current, hu);
              fv[pressure].get_function_gradients(current, gp);
            }
          for (unsigned int q = 0; q < nq; ++q)
            {
              const double         JxW = fv.JxW(q);
              const Tensor<2, dim> eps = 0.5 * (gu[q] + transpose(gu[q]));
              const double         gamma_dot = std::sqrt(2. * scalar_product(eps, eps));
              const double         mu        = p.rheology.viscosity(gamma_dot);
              // Newton: the viscosity derivative (Carreau-Yasuda; 0 for Newtonian fluids).
              const double dmu = exact_jacobian && p.prm_symmetric_viscous && gamma_dot > 1e-12 ? p.rheology.viscosity_derivative(gamma_dot) : 0.;
              Tensor<2, dim> visc = p.prm_symmetric_viscous ? Tensor<2, dim>(2. * mu * eps) : Tensor<2, dim>(mu * gu[q]);
              Tensor<1, dim> w = u[q];
              if (!newton_conv)
                w = order == 2 && step > 1 ? Tensor<1, dim>((1. + extrap) * u1[q] - extrap * u2[q]) : u1[q];
              Tensor<1, dim> inertia = theta * rho * (gu[q] * w);
              if (theta < 1.)
                {
                  // Crank-Nicolson: convection and viscous flux averaged over u^(n+1) and u^n; the
                  // pressure (Lagrange multiplier) belongs to t_(n+1/2).
                  const Tensor<2, dim> eps1 = 0.5 * (gu1[q] + transpose(gu1[q]));
                  const double         mu1  = p.rheology.viscosity(std::sqrt(2. * scalar_product(eps1, eps1)));
                  visc = theta * visc + (1. - theta) * (p.prm_symmetric_viscous ? Tensor<2, dim>(2. * mu1 * eps1) :
                                                                                  Tensor<2, dim>(mu1 * gu1[q]));
                  inertia += (1. - theta) * rho * (gu1[q] * u1[q]);
                }
              if (!steady)
                inertia += rho / dt * (a0 * u[q] + a1 * u1[q] + a2 * u2[q] + (a3 != 0. ? a3 * u3[q] : Tensor<1, dim>()));
              const double div_u = trace(gu[q]);
              for (unsigned int i = 0; i < n; ++i)
                {
                  phi[i]    = fv[velocities].value(i, q);
                  gphi[i]   = fv[velocities].gradient(i, q);
                  divphi[i] = fv[velocities].divergence(i, q);
                  psi[i]    = fv[pressure].value(i, q);
                }
              if (with_matrix)
                for (unsigned int j = 0; j < n; ++j)
                  {
                    // d(inertia)/d u [phi_j], the viscous-flux shape (2 eps(phi_j) or grad phi_j)
                    // and eps:eps(phi_j) for the Carreau-Yasuda derivative.
                    Tensor<1, dim> di = theta * rho * (gphi[j] * w);
                    if (exact_jacobian)
                      di += theta * rho * (gu[q] * phi[j]);
                    if (!steady)
                      di += rho * a0 / dt * phi[j];
                    jac_inertia[j] = di;
                    jac_visc[j]    = theta * (p.prm_symmetric_viscous ? Tensor<2, dim>(gphi[j] + transpose(gphi[j])) : gphi[j]);
                    jac_eps[j]     = dmu != 0. ? theta * 0.5 * scalar_product(eps, gphi[j] + transpose(gphi[j])) : 0.;
                  }
              // SUPG/PSPG/LSIC (docs/theory/navier_stokes.md): strong momentum residual
              //   r_M = rho (du/dt + (w.grad) u) + grad p - div(viscous stress) (mu frozen),
              // tau_M = 1 / (rho sqrt((2/dt)^2 + (2|w|/h)^2 + (12 nu/h^2)^2)), nu_C = h^2/(12 tau_m).
              double         tau_m = 0, tau_M = 0, nu_C = 0;
              Tensor<1, dim> r_M;
              if (stab)
                {
                  const double nu  = mu / rho;
                  const double inv = (steady ? 0. : std::pow(2. / dt, 2)) + std::pow(2. * w.norm() / h_cell, 2) +
                                     std::pow(12. * nu / (h_cell * h_cell), 2);
                  tau_m = 1. / std::sqrt(inv);
                  tau_M = tau_m / rho;
                  nu_C  = h_cell * h_cell / (12. * tau_m);
                  // div(mu grad u) = mu lap u; symmetric form adds mu grad(div u).
                  Tensor<1, dim> vd;
                  for (unsigned int c = 0; c < dim; ++c)
                    for (unsigned int k = 0; k < dim; ++k)
                      {
                        vd[c] += mu * hu[q][c][k][k];
                        if (p.prm_symmetric_viscous)
                          vd[k] += mu * hu[q][c][c][k];
                      }
                  r_M = inertia + gp[q] - vd;
                  for (unsigned int i = 0; i < n; ++i)
                    {
                      gpsi[i] = fv[pressure].gradient(i, q);
                      const Tensor<3, dim> hp = fv[velocities].hessian(i, q);
                      Tensor<1, dim>       v;
                      for (unsigned int c = 0; c < dim; ++c)
                        for (unsigned int k = 0; k < dim; ++k)
                          {
                            v[c] += mu * hp[c][k][k];
                            if (p.prm_symmetric_viscous)
                              v[k] += mu * hp[c][c][k];
                          }
                      visc_div_phi[i] = v;
                    }
                }
              for (unsigned int i = 0; i < n; ++i)
                {
                  cr(i) += (inertia * phi[i] + scalar_product(visc, gphi[i]) - pq[q] * divphi[i] - psi[i] * div_u) * JxW;
                  // SUPG test function rho (w.grad) phi_i, PSPG -grad psi_i (the continuity row
                  // carries -q div u), LSIC rho nu_C div phi_i div u.
                  Tensor<1, dim> supg_i;
                  if (stab)
                    {
                      supg_i = rho * (gphi[i] * w);
                      cr(i) += (tau_M * ((supg_i - gpsi[i]) * r_M) + rho * nu_C * divphi[i] * div_u) * JxW;
                    }
                  if (with_matrix)
                    {
                      // Per-j pieces were computed once per quadrature point (jac_*); a pressure
                      // test function only meets -psi_i div phi_j (plus PSPG when stabilised).
                      if (is_p[i] && !stab)
                        {
                          for (unsigned int j = 0; j < n; ++j)
                            cm(i, j) -= psi[i] * divphi[j] * JxW;
                          continue;
                        }
                      const double eps_gi = dmu != 0. ? scalar_product(eps, gphi[i]) : 0.;
                      for (unsigned int j = 0; j < n; ++j)
                        {
                          double v = is_p[j] ? -psi[j] * divphi[i] - psi[i] * divphi[j] :
                                               jac_inertia[j] * phi[i] + mu * scalar_product(jac_visc[j], gphi[i]) -
                                                 psi[i] * divphi[j];
                          // Shear-thinning: d mu/d gdot * d gdot[phi_j] (gdot' = 2 eps:eps(phi_j)/gdot).
                          if (dmu != 0.)
                            v += 2. * dmu * (2. * jac_eps[j] / gamma_dot) * eps_gi;
                          if (stab)
                            {
                              // tau frozen; r_M linearised; SUPG test function linearised in w (Newton).
                              const Tensor<1, dim> dr = jac_inertia[j] + gpsi[j] - visc_div_phi[j];
                              v += tau_M * ((supg_i - gpsi[i]) * dr) + rho * nu_C * divphi[i] * divphi[j];
                              if (exact_jacobian)
                                v += tau_M * rho * ((gphi[i] * phi[j]) * r_M);
                            }
                          cm(i, j) += v * JxW;
                        }
                    }
                }
            }
          // Outlets: traction -P n (or the exact Kovasznay traction) and backflow stabilisation.
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary() &&
                std::find(p.prm_outlets.begin(), p.prm_outlets.end(), face->boundary_id()) != p.prm_outlets.end())
              {
                ff.reinit(cell, face);
                ff[velocities].get_function_values(current, uf);
                if (theta < 1.)
                  ff[velocities].get_function_values(old1, uf1);
                const double P = outlet_pressure[face->boundary_id()];
                for (unsigned int q = 0; q < nfq; ++q)
                  {
                    const Tensor<1, dim> nrm = ff.normal_vector(q);
                    Tensor<1, dim>       h   = -P * nrm;
                    if (kovasznay)
                      {
                        Tensor<2, dim> g;
                        for (unsigned int c = 0; c < dim; ++c)
                          g[c] = kovasznay->gradient(ff.quadrature_point(q), c);
                        const double mu = p.rheology.viscosity(0.);
                        h = (p.prm_symmetric_viscous ? mu * (g + transpose(g)) : mu * g) * nrm -
                            kovasznay->value(ff.quadrature_point(q), dim) * nrm;
                      }
                    const double un = std::min(uf[q] * nrm, 0.);
                    // Backflow term at u^(n+1) (CN: averaged with u^n, the traction is constant).
                    Tensor<1, dim> bf = theta * un * uf[q];
                    if (theta < 1.)
                      bf += (1. - theta) * std::min(uf1[q] * nrm, 0.) * uf1[q];
                    for (unsigned int i = 0; i < n; ++i)
                      {
                        const Tensor<1, dim> phi_i = ff[velocities].value(i, q);
                        cr(i) += (-h * phi_i - beta * 0.5 * rho * (bf * phi_i)) * ff.JxW(q);
                        // Jacobian of min(u.n, 0) u: min(u.n, 0) phi_j + (phi_j.n) u for u.n < 0.
                        if (with_matrix && beta > 0 && un < 0)
                          for (unsigned int j = 0; j < n; ++j)
                            {
                              const Tensor<1, dim> phi_j = ff[velocities].value(j, q);
                              cm(i, j) += -theta * beta * 0.5 * rho * (un * (phi_j * phi_i) + (phi_j * nrm) * (uf[q] * phi_i)) *
                                          ff.JxW(q);
                            }
                      }
                  }
              }
          // Forces on tags (Babuska-Miller): F.e_d = -r(v_d), v_d = sum of the basis functions of
          // the body's velocity DoFs of component d.
          for (auto &[tag, set] : body_dofs)
            for (unsigned int i = 0; i < n; ++i)
              if (set.count(dofs[i]))
                {
                  const unsigned int c = fe->system_to_component_index(i).first;
                  if (c < dim)
                    force[tag][c] -= cr(i);
                }
          cr *= -1.;
          if (with_matrix)
            {
              if (p.prm_direct)
                {
                  // Homogeneous constraints: matrix and vector can be distributed separately.
                  zero_constraints.distribute_local_to_global(cm, dofs, mono_matrix);
                  zero_constraints.distribute_local_to_global(cr, dofs, residual);
                }
              else
                zero_constraints.distribute_local_to_global(cm, cr, dofs, system_matrix, residual);
            }
          else
            zero_constraints.distribute_local_to_global(cr, dofs, residual);
        }
    if (with_matrix)
      {
        if (p.prm_direct)
          mono_matrix.compress(VectorOperation::add);
        else
          system_matrix.compress(VectorOperation::add);
      }
    residual.compress(VectorOperation::add);
    for (auto &[tag, f] : force)
      f = Utilities::MPI::sum(f, comm);
  }

  template <int dim>
  void
  NavierStokes<dim>::factorize()
  {
    // Prepare the linear solver for the Jacobian just assembled: numeric factorisation
    // (direct; the symbolic phase only on the first call) or the AMG/Jacobi preconditioners.
    TimerOutput::Scope scope(timer, "flow / factorize");
    ++n_factorizations;
    jacobian_valid = true;
    jacobian_a0_dt = steady ? 0. : a0 / dt;
    jacobian_theta = theta;
    if (p.prm_direct)
      {
        if (!amesos)
          {
            amesos_problem.SetOperator(const_cast<Epetra_CrsMatrix *>(&mono_matrix.trilinos_matrix()));
            Amesos factory;
            amesos.reset(factory.Create(p.prm_direct_package.c_str(), amesos_problem));
            AssertThrow(amesos, ExcMessage("navier_stokes: the direct solver " + p.prm_direct_package + " is not available"));
          }
        if (!symbolic_done)
          {
            AssertThrow(amesos->SymbolicFactorization() == 0, ExcMessage("navier_stokes: symbolic factorisation failed"));
            symbolic_done = true;
          }
        if (amesos->NumericFactorization() != 0)
          throw std::runtime_error("navier_stokes: the direct solver could not factorise the Jacobian at t = " +
                                   fmt(time) + " ms (singular matrix?)");
        return;
      }
    const FEValuesExtractors::Vector velocities(0);
    std::vector<std::vector<bool>>   modes;
    DoFTools::extract_constant_modes(dof_handler, fe->component_mask(velocities), modes);
    amg_a = std::make_unique<LA::PreconditionAMG>();
    LA::PreconditionAMG::AdditionalData da;
    da.elliptic              = false;
    da.higher_order_elements = !p.prm_equal_order;
    da.smoother_sweeps       = 2;
    da.aggregation_threshold = 0.02;
    da.constant_modes        = modes;
    amg_a->initialize(system_matrix.block(0, 0), da);
    jacobi_mp.initialize(pressure_mass);
    const double sigma = steady ? 0. : p.prm_density * a0 / dt;
    amg_lp.reset();
    if (sigma > 0)
      {
        amg_lp = std::make_unique<LA::PreconditionAMG>();
        LA::PreconditionAMG::AdditionalData dl;
        dl.elliptic = true;
        amg_lp->initialize(pressure_laplace, dl);
      }
  }

  template <int dim>
  unsigned int
  NavierStokes<dim>::solve_linear(BlockVector &update)
  {
    // Solve J update = residual with the Jacobian/preconditioner of the last factorize().
    TimerOutput::Scope scope(timer, "flow / linear solve");
    unsigned int       its = 0;
    if (p.prm_direct)
      {
        LA::MPI::Vector b(owned_dofs, comm), x(owned_dofs, comm);
        for (auto i : owned_dofs)
          b[i] = residual(i);
        b.compress(VectorOperation::insert);
        amesos_problem.SetLHS(&x.trilinos_vector());
        amesos_problem.SetRHS(&b.trilinos_vector());
        if (amesos->Solve() != 0)
          throw std::runtime_error("navier_stokes: the direct solve failed at t = " + fmt(time) + " ms");
        for (auto i : owned_dofs)
          update(i) = x[i];
        update.compress(VectorOperation::insert);
        its = 1;
      }
    else
      {
        // Viscosity scale of the Schur complement: the Newtonian value, or Carreau-Yasuda at 100/s.
        const double        mu    = p.rheology.viscosity(0.1);
        const double        sigma = steady ? 0. : p.prm_density * jacobian_a0_dt;
        BlockPreconditioner prec(system_matrix, *amg_a, jacobi_mp, amg_lp.get(), mu, sigma);
        SolverControl       sc(p.prm_linear_max, p.prm_linear_rtol * residual.l2_norm(), false, false);
        SolverFGMRES<BlockVector> gmres(sc, SolverFGMRES<BlockVector>::AdditionalData(100));
        update = 0;
        try
          {
            gmres.solve(system_matrix, update, residual, prec);
          }
        catch (const SolverControl::NoConvergence &e)
          {
            throw std::runtime_error("navier_stokes: FGMRES did not converge at t = " + fmt(time) + " ms in " +
                                     std::to_string(e.last_step) + " iterations (residual " +
                                     fmt(e.last_residual, 3) + "); raise [Solver/Linear max iterations] or use "
                                     "Linear solver = direct for small problems");
          }
        its = sc.last_step();
      }
    zero_constraints.distribute(update);
    return its;
  }

  template <int dim>
  std::pair<unsigned int, unsigned int>
  NavierStokes<dim>::solve_step()
  {
    // Newton on the (steady or BDF) equations at the new time level; returns (Newton, Krylov).
    // Each iteration assembles the residual (and the forces) at the current iterate; the
    // Jacobian is re-assembled and re-factorised as [Solver/Jacobian update] says:
    //   every iteration: Newton; every step: at the first iteration of a step (chord method
    //   within the step); lagged: only when the time-step coefficient changed or an iteration
    //   reduced the residual by less than a factor 4 (chord method across steps).
    // The converged solution satisfies the same residual tolerance in all three cases.
    // Transient first guess: the extrapolation (1 + omega) u^n - omega u^(n-1) (BDF2, omega = dt_n /
    // dt_(n-1), 1 for a fixed step), 3 u^n - 3 u^(n-1) + u^(n-2) (BDF3, fixed step) or u^n.
    set_dirichlet(time);
    if (!steady && (order == 2 || p.prm_crank_nicolson) && step > 1)
      combine(solution, {{1. + extrap, &old1}, {-extrap, &old2}});
    else if (!steady && order == 3)
      combine(solution, {{3., &old1}, {-3., &old2}, {1., &old3}});
    nonzero_constraints.distribute(solution);
    BlockVector  update(owned_partitioning, comm);
    unsigned int krylov = 0;
    double       r0 = 0, r_prev = 0;
    bool         small_update = false;
    const bool   semi_implicit = !p.prm_newton && !steady;
    for (unsigned int it = 0; it <= p.prm_newton_max; ++it)
      {
        current = solution;
        const bool last_check = it > 0;
        // Jacobian refresh by policy; a slowly contracting iteration refreshes as well.
        const bool policy = !jacobian_valid || semi_implicit || p.prm_jacobian_update == JacobianUpdate::every_iteration ||
                            (it == 0 && p.prm_jacobian_update == JacobianUpdate::every_step) ||
                            std::abs((steady ? 0. : a0 / dt) - jacobian_a0_dt) > 1e-12 * std::abs(jacobian_a0_dt) ||
                            theta != jacobian_theta;
        // Iteration 0 is never a convergence check: assemble the Jacobian with its residual.
        const bool with_matrix = it == 0 && policy;
        assemble(with_matrix);
        ++n_residuals;
        const double r = residual.l2_norm();
        if (!std::isfinite(r))
          throw std::runtime_error("navier_stokes: the solution diverged (NaN residual) at t = " + fmt(time) +
                                   " ms, step " + std::to_string(step) + "; reduce [Time/Time step]");
        if (it == 0)
          r0 = r;
        const bool refresh = policy || (it > 0 && r > 0.25 * r_prev);
        if (verbosity > 1)
          pcout << "    newton " << it << " |R| = " << fmt(r, 3) << (refresh ? " (jacobian)" : "") << "\n";
        if (last_check && (r <= p.prm_newton_tol * std::max(r0, 1e-300) || r < 1e-13 || small_update || semi_implicit))
          return {it, krylov};
        if (it == p.prm_newton_max)
          break;
        if (refresh)
          {
            if (!with_matrix)
              assemble(true);
            factorize();
          }
        r_prev = r;
        krylov += solve_linear(update);
        solution += update;
        small_update = update.l2_norm() <= 1e-12 * solution.l2_norm();
        if (semi_implicit)
          {
            // Semi-implicit: the system is linear; one solve, then the residual for the forces.
            current = solution;
            assemble(false);
            jacobian_valid = false;
            return {1, krylov};
          }
      }
    throw std::runtime_error("navier_stokes: Newton did not converge at t = " + fmt(time) + " ms, step " +
                             std::to_string(step) + " (|R| = " + fmt(residual.l2_norm(), 3) + " after " +
                             std::to_string(p.prm_newton_max) + " iterations, from " + fmt(r0, 3) +
                             ", CFL " + fmt(max_cfl(), 3) + "): the flow diverged; reduce [Time/Time step]");
  }

  template <int dim>
  std::pair<unsigned int, unsigned int>
  NavierStokes<dim>::solve_steady(unsigned int stage)
  {
    // Globalised steady solve (docs/theory/navier_stokes.md, "Steady nonlinear solve"): Picard
    // (Oseen) iterations first, as many as [Solver/Picard iterations] or until |r| <= Picard switch
    // x |r_0|, then Newton. Each direction du (from the Oseen matrix or the Jacobian at u) is
    // damped by backtracking: lambda = 1, 1/2, ... down to Line search min step until
    // |r(u + lambda du)| <= (1 - 1e-4 lambda) |r(u)| (Armijo); if none passes, the tried lambda
    // with the smallest |r| is taken. The residual of the accepted trial is the residual of the
    // next iteration (no second assembly). Returns (iterations, linear iterations).
    // Matrix refresh follows [Solver/Jacobian update] as in solve_step: every iteration, or reused
    // until an iteration reduces |r| by less than 4x (and always at the Picard -> Newton switch).
    const double armijo = 1e-4;
    set_dirichlet(time);
    nonzero_constraints.distribute(solution);
    BlockVector update(owned_partitioning, comm), trial(owned_partitioning, comm);
    auto residual_at = [&](const BlockVector &state) {
      current = state;
      assemble(false);
      ++n_residuals;
      return residual.l2_norm();
    };
    double r = residual_at(solution);
    if (!std::isfinite(r))
      throw std::runtime_error("navier_stokes: NaN residual at the steady initial state");
    const double r0       = r;
    double       r_prev   = 0;
    unsigned int krylov   = 0, picard_done = 0;
    bool         small_update = false, have_matrix = false, matrix_is_picard = false;
    for (unsigned int it = 0;; ++it)
      {
        const auto w0 = std::chrono::steady_clock::now();
        if (it > 0 && (r <= p.prm_newton_tol * std::max(r0, 1e-300) || r < 1e-13 || small_update))
          return {it, krylov};
        if (it == p.prm_newton_max)
          throw std::runtime_error("navier_stokes: the steady solve did not converge (|R| = " + fmt(r, 3) + " after " +
                                   std::to_string(it) + " iterations, from " + fmt(r0, 3) +
                                   "); see nonlinear iterations above; try [Solver/Picard iterations], "
                                   "[Solver/Continuation steps] or more [Solver/Newton max iterations]");
        const bool picard =
          picard_done < p.prm_picard_iterations && !(it > 0 && r <= p.prm_picard_switch * r0);
        const bool refresh = !have_matrix || picard != matrix_is_picard ||
                             p.prm_jacobian_update == JacobianUpdate::every_iteration || r > 0.25 * r_prev;
        if (refresh)
          {
            current       = solution;
            picard_matrix = picard;
            assemble(true); // the residual at u again, with the matrix
            picard_matrix = false;
            factorize();
            have_matrix      = true;
            matrix_is_picard = picard;
          }
        const unsigned int lin = solve_linear(update);
        krylov += lin;
        picard_done += picard;
        (picard ? n_picard : n_newton) += 1;

        // Backtracking on |r|_2; trials are evaluated in order, the best is remembered.
        double       lambda = 1, r_new = 0, best_lambda = 1, best_r = std::numeric_limits<double>::infinity();
        unsigned int halvings = 0;
        bool         accepted = false;
        for (;;)
          {
            trial = solution;
            trial.add(lambda, update);
            r_new = residual_at(trial);
            if (std::isfinite(r_new) && r_new < best_r)
              {
                best_r      = r_new;
                best_lambda = lambda;
              }
            if (!p.prm_line_search || (std::isfinite(r_new) && r_new <= (1. - armijo * lambda) * r))
              {
                accepted = true;
                break;
              }
            if (0.5 * lambda < p.prm_min_step * (1. - 1e-12))
              break;
            lambda *= 0.5;
            ++halvings;
            ++n_backtracks;
          }
        if (!accepted)
          {
            ++n_ls_failures;
            if (!std::isfinite(best_r))
              throw std::runtime_error("navier_stokes: the steady solve diverged (NaN residual at every step "
                                       "length down to " + fmt(lambda, 3) + ")");
            if (best_lambda != lambda)
              {
                lambda = best_lambda;
                trial  = solution;
                trial.add(lambda, update);
                r_new = residual_at(trial);
              }
          }
        if (!std::isfinite(r_new))
          throw std::runtime_error("navier_stokes: the steady solve diverged (NaN residual)");
        min_step_taken = std::min(min_step_taken, lambda);
        small_update   = lambda * update.l2_norm() <= 1e-12 * trial.l2_norm();
        solution       = trial;
        r_prev         = r;
        r              = r_new;
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
        nonlinear_csv << stage << "," << it + 1 << "," << (picard ? "picard" : "newton") << "," << r_prev << "," << r
                      << "," << lambda << "," << halvings << "," << (accepted ? 1 : 0) << "," << lin << ","
                      << (refresh ? 1 : 0) << "," << wall << "\n";
        pcout << "    " << (picard ? "picard" : "newton") << " " << std::setw(2) << it + 1 << "  |R| " << fmt(r_prev, 3)
              << " -> " << fmt(r, 3) << "  step " << fmt(lambda, 4) << (accepted ? "" : " (no Armijo decrease)")
              << "  linear its " << lin << (refresh ? "" : " (reused matrix)") << "  (" << fmt(wall, 3) << " s)\n"
              << std::flush;
      }
  }

  template <int dim>
  void
  NavierStokes<dim>::combine(BlockVector &out, std::initializer_list<std::pair<double, const BlockVector *>> terms) const
  {
    BlockVector owned(owned_partitioning, comm); // ghosted states are copied before adding
    out = 0.;
    for (const auto &[c, v] : terms)
      {
        owned = *v;
        out.add(c, owned);
      }
  }

  template <int dim>
  double
  NavierStokes<dim>::max_cfl() const
  {
    const FEValuesExtractors::Vector velocities(0);
    FEValues<dim>                    fv(*mapping, *fe, *quadrature, update_values);
    std::vector<Tensor<1, dim>>      u(fv.n_quadrature_points);
    double                           cfl = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fv.reinit(cell);
          fv[velocities].get_function_values(current, u);
          double umax = 0;
          for (const auto &v : u)
            umax = std::max(umax, v.norm());
          // Q2/P2: the node spacing is half the cell size; Q1/P1: the cell size.
          cfl = std::max(cfl, umax * dt / ((p.prm_equal_order ? 1. : 0.5) * cell->minimum_vertex_distance()));
        }
    return Utilities::MPI::max(cfl, comm);
  }

  template <int dim>
  std::vector<double>
  NavierStokes<dim>::pressure_at_points() const
  {
    if (!pressure_cells_found)
      {
        pressure_cells.clear();
        for (const auto &pt3 : p.prm_pressure_points)
          {
            Point<dim> pt;
            for (unsigned int d = 0; d < dim; ++d)
              pt[d] = pt3[d];
            typename DoFHandler<dim>::active_cell_iterator cell;
            Point<dim>                                     ref;
            try
              {
                const auto found = GridTools::find_active_cell_around_point(*mapping, dof_handler, pt);
                if (found.first.state() == IteratorState::valid && found.first->is_locally_owned())
                  {
                    cell = found.first;
                    ref  = simplex ? found.second : GeometryInfo<dim>::project_to_unit_cell(found.second);
                  }
              }
            catch (...)
              {
              }
            const double count = Utilities::MPI::sum(cell.state() == IteratorState::valid ? 1. : 0., comm);
            input_check(count > 0, p.deck + ": [Quantities/Pressure points]", "a point lies outside the mesh");
            pressure_cells.emplace_back(cell, ref);
          }
        pressure_cells_found = true;
      }
    std::vector<double> out;
    for (const auto &[cell, ref] : pressure_cells)
      {
        double value = 0, count = 0;
        if (cell.state() == IteratorState::valid)
          {
            const Quadrature<dim> q(ref);
            FEValues<dim>         fv(*mapping, *fe, q, update_values);
            fv.reinit(cell);
            std::vector<double> v(1);
            fv[FEValuesExtractors::Scalar(dim)].get_function_values(current, v);
            value = v[0];
            count = 1;
          }
        value = Utilities::MPI::sum(value, comm);
        count = Utilities::MPI::sum(count, comm);
        out.push_back(value / count);
      }
    return out;
  }

  template <int dim>
  void
  NavierStokes<dim>::accumulate_wss(double weight, bool store_instant)
  {
    // WSS = traction of the fluid on the wall, tangential part: -(I - n n) 2 mu eps(u) n [kPa],
    // stored in Pa.
    const FEValuesExtractors::Vector velocities(0);
    FEFaceValues<dim>           ff(*mapping, *fe, *face_quadrature, update_gradients | update_normal_vectors);
    std::vector<Tensor<2, dim>> gu(ff.n_quadrature_points);
    std::size_t                 k = 0;
    const std::set<unsigned int> walls(p.prm_wall_tags.begin(), p.prm_wall_tags.end());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto &face : cell->face_iterators())
          if (face->at_boundary() && walls.count(face->boundary_id()))
            {
              ff.reinit(cell, face);
              ff[velocities].get_function_gradients(current, gu);
              for (unsigned int q = 0; q < ff.n_quadrature_points; ++q, ++k)
                {
                  const Tensor<2, dim> eps = 0.5 * (gu[q] + transpose(gu[q]));
                  const double         mu  = p.rheology.viscosity(std::sqrt(2. * scalar_product(eps, eps)));
                  const Tensor<1, dim> n   = ff.normal_vector(q);
                  Tensor<1, dim>       t   = 2. * mu * eps * n;
                  t                        = -units::kPa_to_Pa(1.) * (t - (t * n) * n); // kPa -> Pa
                  if (k >= wss_now.size())
                    {
                      wss_now.push_back(Tensor<1, dim>());
                      wss_sum.push_back(Tensor<1, dim>());
                      wss_abs_sum.push_back(0.);
                    }
                  if (store_instant)
                    wss_now[k] = t;
                  wss_sum[k] += weight * t;
                  wss_abs_sum[k] += weight * t.norm();
                }
            }
    wss_time += weight;
  }

  template <int dim>
  void
  NavierStokes<dim>::write_fields(unsigned int index, double t)
  {
    TimerOutput::Scope scope(timer, "flow / output");
    (void)t;
    DataOut<dim>                                            out;
    std::vector<std::string>                                names(dim, "velocity");
    names.push_back("pressure");
    std::vector<DataComponentInterpretation::DataComponentInterpretation> interp(
      dim, DataComponentInterpretation::component_is_part_of_vector);
    interp.push_back(DataComponentInterpretation::component_is_scalar);
    out.attach_dof_handler(dof_handler);
    out.add_data_vector(current, names, DataOut<dim>::type_dof_data, interp);
    Vector<float> sub(tria->n_active_cells());
    sub = static_cast<float>(tria->locally_owned_subdomain());
    out.add_data_vector(sub, "subdomain");
    out.build_patches(*mapping, 2, DataOut<dim>::curved_inner_cells);
    out.write_vtu_with_pvtu_record(field_dir, "flow", index, comm, 4, 1);
  }

  template <int dim>
  void
  NavierStokes<dim>::write_wss(const std::string &dir)
  {
    // Surface fields: lumped L2 projection of the quadrature values onto Q1/P1 on the wall.
    TimerOutput::Scope scope(timer, "flow / wss output");
    std::unique_ptr<FiniteElement<dim>> fe1;
    if (simplex)
      fe1 = std::make_unique<FESystem<dim>>(FE_SimplexP<dim>(1), dim + 3);
    else
      fe1 = std::make_unique<FESystem<dim>>(FE_Q<dim>(1), dim + 3);
    DoFHandler<dim> dh(*tria);
    dh.distribute_dofs(*fe1);
    const IndexSet owned = dh.locally_owned_dofs(), relevant = DoFTools::extract_locally_relevant_dofs(dh);
    LinearAlgebra::distributed::Vector<double> num(owned, relevant, comm), den(owned, relevant, comm);
    FEFaceValues<dim> ff(*mapping, *fe1, *face_quadrature, update_values | update_JxW_values);
    std::vector<types::global_dof_index> dofs(fe1->n_dofs_per_cell());
    const std::set<unsigned int>         walls(p.prm_wall_tags.begin(), p.prm_wall_tags.end());
    std::size_t                          k = 0;
    const double                         T = std::max(wss_time, 1e-300);
    for (const auto &cell : dh.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto &face : cell->face_iterators())
          if (face->at_boundary() && walls.count(face->boundary_id()))
            {
              ff.reinit(cell, face);
              cell->get_dof_indices(dofs);
              for (unsigned int q = 0; q < ff.n_quadrature_points; ++q, ++k)
                {
                  const double tawss = wss_abs_sum[k] / T, mag = wss_sum[k].norm() / T;
                  const double osi   = wss_abs_sum[k] > 0 ? 0.5 * (1. - wss_sum[k].norm() / wss_abs_sum[k]) : 0.;
                  const double rrt   = mag > 0 ? 1. / mag : 0.;
                  for (unsigned int i = 0; i < dofs.size(); ++i)
                    {
                      const unsigned int c = fe1->system_to_component_index(i).first;
                      const double       v = c < dim ? wss_now[k][c] : c == dim ? tawss : c == dim + 1 ? osi : rrt;
                      const double       w = ff.shape_value(i, q) * ff.JxW(q);
                      num(dofs[i]) += v * w;
                      den(dofs[i]) += w;
                    }
                }
            }
    num.compress(VectorOperation::add);
    den.compress(VectorOperation::add);
    for (auto i : owned)
      num(i) = den(i) > 0 ? num(i) / den(i) : 0.;
    num.update_ghost_values();
    DataOutFaces<dim>        out;
    std::vector<std::string> names(dim, "wss_Pa");
    names.push_back("tawss_Pa");
    names.push_back("osi");
    names.push_back("rrt_per_Pa");
    std::vector<DataComponentInterpretation::DataComponentInterpretation> interp(
      dim, DataComponentInterpretation::component_is_part_of_vector);
    for (int c = 0; c < 3; ++c)
      interp.push_back(DataComponentInterpretation::component_is_scalar);
    out.attach_dof_handler(dh);
    out.add_data_vector(num, names, DataOutFaces<dim>::type_dof_data, interp);
    out.build_patches(*mapping, 1);
    out.write_vtu_with_pvtu_record(dir, "wss", 0, comm, 1, 1);
  }

  template <int dim>
  double
  NavierStokes<dim>::womersley_profile_error(double t) const
  {
    // max over radial samples at the mid-section x = 0 of |u_h - u_ex| (x component).
    double err = 0;
    for (unsigned int i = 0; i <= 10; ++i)
      {
        Point<dim> x;
        x[1]         = 0.95 * p.prm_pipe_radius * i / 10.;
        double value = 0, count = 0;
        try
          {
            const auto found = GridTools::find_active_cell_around_point(*mapping, dof_handler, x);
            if (found.first.state() == IteratorState::valid && found.first->is_locally_owned())
              {
                const Quadrature<dim> q(simplex ? found.second : GeometryInfo<dim>::project_to_unit_cell(found.second));
                FEValues<dim>         fv(*mapping, *fe, q, update_values);
                fv.reinit(found.first);
                std::vector<Tensor<1, dim>> v(1);
                fv[FEValuesExtractors::Vector(0)].get_function_values(current, v);
                value = v[0][0];
                count = 1;
              }
          }
        catch (...)
          {
          }
        value = Utilities::MPI::sum(value, comm) / std::max(1., Utilities::MPI::sum(count, comm));
        womersley_exact->set_time(t);
        err = std::max(err, std::abs(value - womersley_exact->value(x, 0)));
      }
    return err;
  }

  template <int dim>
  void
  NavierStokes<dim>::compute_errors(Json &summary)
  {
    if (!kovasznay)
      return;
    const ComponentSelectFunction<dim> vmask(std::make_pair(0u, unsigned(dim)), dim + 1);
    const ComponentSelectFunction<dim> pmask(dim, dim + 1);
    Vector<float>                      cellwise(tria->n_active_cells());
    const QGauss<dim>                  qerr(4);
    const QGaussSimplex<dim>           qerr_s(4);
    const Quadrature<dim>             &qe = simplex ? static_cast<const Quadrature<dim> &>(qerr_s) : qerr;
    auto err = [&](const ComponentSelectFunction<dim> &mask, VectorTools::NormType norm) {
      VectorTools::integrate_difference(*mapping, dof_handler, current, *kovasznay, cellwise, qe, norm, &mask);
      return VectorTools::compute_global_error(*tria, cellwise, norm);
    };
    const double eu = err(vmask, VectorTools::L2_norm), eh = err(vmask, VectorTools::H1_seminorm),
                 ep = err(pmask, VectorTools::L2_norm);
    summary.set("error_velocity_L2", eu).set("error_velocity_H1", eh).set("error_pressure_L2", ep);
    double hmax = 0;
    for (const auto &cell : tria->active_cell_iterators())
      if (cell->is_locally_owned())
        hmax = std::max(hmax, cell->diameter());
    summary.set("h_max", Utilities::MPI::max(hmax, comm));
    pcout << "  Kovasznay errors: |u-u_h|_L2 = " << fmt(eu, 4) << ", |u-u_h|_H1 = " << fmt(eh, 4)
          << ", |p-p_h|_L2 = " << fmt(ep, 4) << "\n";
  }

  template <int dim>
  void
  NavierStokes<dim>::run()
  {
    const auto wall0 = std::chrono::steady_clock::now();
    make_mesh();
    if (p.prm_exact == "kovasznay")
      kovasznay = std::make_unique<Kovasznay<dim>>(p.prm_density, p.rheology.viscosity(0.));
    setup_system();
    ResultDirectory dir(p.prm_directory, comm);
    field_dir = dir.tmp();
    const unsigned int ranks = Utilities::MPI::n_mpi_processes(comm);
    pcout << "[flow] OrganTwin " << version_string() << ", " << ranks << " rank(s), deck " << p.deck << "\n"
          << "  mesh: " << p.prm_mesh_source << " " << dim << "D, " << tria->n_global_active_cells() << " cells ("
          << element_name(simplex, p.prm_equal_order) << "), DoFs: velocity " << n_u << ", pressure " << n_p << "\n"
          << "  fluid: rho = " << p.prm_density << " mg/mm^3, " << p.rheology.describe() << "\n";

    steady = p.prm_steady;
    dt     = steady ? 1. : p.prm_dt;
    rcr_pc = p.prm_rcr_p0;
    if (p.prm_exact == "womersley")
      {
        WomersleyProfile w(p.prm_waveform, p.prm_pipe_radius, p.rheology.viscosity(0.) / p.prm_density, p.prm_harmonics);
        womersley_exact   = std::make_unique<WomersleyField<dim>>(w);
        womersley_profile = std::make_unique<WomersleyProfile>(w);
        pcout << "  Womersley number alpha = " << fmt(w.alpha(), 4) << "\n";
        // Start from the exact state at t = 0 (u^n = old1) and t = -dt (u^(n-1) = old2), and for
        // BDF3 t = -2 dt (u^(n-2) = old3): every step runs at the scheme's order.
        const FEValuesExtractors::Vector velocities(0);
        BlockVector                      tmp(owned_partitioning, comm);
        if (p.prm_bdf_order == 3)
          {
            womersley_exact->set_time(-2. * dt);
            VectorTools::interpolate(*mapping, dof_handler, *womersley_exact, tmp, fe->component_mask(velocities));
            old3 = tmp;
          }
        womersley_exact->set_time(-dt);
        VectorTools::interpolate(*mapping, dof_handler, *womersley_exact, tmp, fe->component_mask(velocities));
        old2 = tmp;
        womersley_exact->set_time(0.);
        VectorTools::interpolate(*mapping, dof_handler, *womersley_exact, tmp, fe->component_mask(velocities));
        solution = tmp;
        old1     = tmp;
        for (unsigned int k = 0; k <= 40; ++k)
          for (unsigned int i = 0; i <= 10; ++i)
            {
              Point<dim> x;
              x[1] = 0.95 * p.prm_pipe_radius * i / 10.;
              womersley_exact->set_time(k * p.prm_waveform.period() / 40.);
              womersley_ref = std::max(womersley_ref, std::abs(womersley_exact->value(x, 0)));
            }
      }

    std::ostringstream csv;
    csv << std::setprecision(10) << "t_ms,newton,krylov";
    for (unsigned int tag : p.prm_force_tags)
      for (unsigned int d = 0; d < dim; ++d)
        csv << ",F" << "xyz"[d] << "_" << tag;
    for (unsigned int tag : p.prm_force_tags)
      csv << ",cD_" << tag << ",cL_" << tag;
    for (unsigned int k = 0; k < p.prm_pressure_points.size(); ++k)
      csv << ",p" << k;
    if (p.prm_pressure_points.size() == 2)
      csv << ",dp";
    std::set<unsigned int> flux_tags(p.prm_flux_tags.begin(), p.prm_flux_tags.end());
    flux_tags.insert(p.prm_inflow.begin(), p.prm_inflow.end());
    flux_tags.insert(p.prm_outlets.begin(), p.prm_outlets.end());
    for (unsigned int tag : flux_tags)
      csv << ",Q_" << tag << ",pmean_" << tag;
    for (unsigned int id : p.prm_outlets)
      csv << ",Pout_" << id;
    if (womersley_exact)
      csv << ",womersley_rel_error";
    if (p.prm_adaptive && !steady)
      csv << ",dt_ms,error_estimate";
    csv << "\n";

    Json                 summary;
    std::vector<double>  last_pressures;
    std::map<unsigned int, double> last_q, last_pm;
    double error_estimate = 0; // adaptive: local error estimate of the step just accepted
    auto record = [&](unsigned int newton, unsigned int krylov) {
      TimerOutput::Scope scope(timer, "flow / quantities");
      current = solution;
      csv << time << "," << newton << "," << krylov;
      const double coef = 2. / (p.prm_density * p.prm_ref_velocity * p.prm_ref_velocity * p.prm_ref_area);
      for (unsigned int tag : p.prm_force_tags)
        for (unsigned int d = 0; d < dim; ++d)
          csv << "," << force[tag][d];
      for (unsigned int tag : p.prm_force_tags)
        csv << "," << coef * force[tag][0] << "," << coef * force[tag][1];
      last_pressures = pressure_at_points();
      for (double v : last_pressures)
        csv << "," << v;
      if (last_pressures.size() == 2)
        csv << "," << last_pressures[0] - last_pressures[1];
      compute_boundary_fluxes(current, last_q, last_pm);
      for (unsigned int tag : flux_tags)
        csv << "," << last_q[tag] << "," << last_pm[tag];
      for (unsigned int id : p.prm_outlets)
        csv << "," << outlet_pressure[id];
      if (womersley_exact)
        {
          const double e = womersley_profile_error(time) / womersley_ref;
          womersley_max_error = std::max(womersley_max_error, e);
          csv << "," << e;
        }
      if (p.prm_adaptive && !steady)
        csv << "," << dt << "," << error_estimate;
      csv << "\n";
    };

    unsigned int field_index = 0;
    if (steady)
      {
        // Continuation in the inflow (k/n of it, k = 1..n), each stage from the previous solution.
        const unsigned int n_stages = p.prm_continuation_steps;
        nonlinear_csv << std::setprecision(10)
                      << "stage,iteration,method,residual_before,residual_after,step,halvings,armijo,linear_its,"
                         "matrix_refreshed,wall_s\n";
        unsigned int newton = 0, krylov = 0;
        for (unsigned int stage = 1; stage <= n_stages; ++stage)
          {
            for (auto &f : inflows)
              f->scale = double(stage) / n_stages;
            if (n_stages > 1)
              pcout << "  continuation stage " << stage << "/" << n_stages << ": inflow x " << fmt(double(stage) / n_stages, 4)
                    << "\n";
            const auto [its, lin] = solve_steady(stage);
            newton += its;
            krylov += lin;
          }
        newton_per_step.push_back(newton);
        krylov_per_step.push_back(krylov);
        pcout << "  steady: " << newton << " iterations (picard " << n_picard << ", newton " << n_newton
              << "), line search: " << n_backtracks << " halvings, smallest step " << fmt(min_step_taken, 4)
              << ", krylov " << krylov << "\n";
        record(newton, krylov);
        if (!p.prm_wall_tags.empty())
          accumulate_wss(1., true);
      }
    else
      {
        ProgressReporter progress(pcout, "flow", p.prm_end_time, p.prm_progress_interval);
        // Adaptive BDF2 (docs/theory/navier_stokes.md): the loop runs until End time; a rejected
        // step is repeated (same step number) with a smaller dt.
        const bool         adaptive = p.prm_adaptive;
        const unsigned int n_steps  = adaptive ? 0u : static_cast<unsigned int>(std::round(p.prm_end_time / dt));
        const double       avg_end = p.prm_cycle_period > 0 ? p.prm_averaging_start + p.prm_cycle_period : 1e300;
        if (!womersley_exact)
          {
            set_dirichlet(0.);
            nonzero_constraints.distribute(solution);
            old1 = solution;
          }
        if (p.prm_field_interval > 0)
          {
            current = solution;
            write_fields(field_index++, 0.);
            pvd.emplace_back(0., "flow_" + Utilities::int_to_string(0, 4) + ".pvtu");
          }
        std::size_t next_refine = 0;
        bool        euler_step  = false; // CN: one backward Euler step after a refinement
        double       h1 = dt, h2 = dt, t_n = 0.;             // dt_(n-1), dt_(n-2), time of u^n
        double       u_norm_max = adaptive ? solution.block(0).l2_norm() : 0.; // error scale (velocity l2)
        unsigned int history = womersley_exact ? p.prm_bdf_order : 1u; // stored states u^n, u^(n-1), ...
        for (step = 1; adaptive ? t_n < p.prm_end_time * (1. - 1e-12) : step <= n_steps; ++step)
          {
            const auto w0 = std::chrono::steady_clock::now();
            if (adaptive)
              {
                // Land on End time; stretch the last step rather than leave a sliver.
                if (p.prm_end_time - t_n - dt < 0.1 * dt)
                  dt = p.prm_end_time - t_n;
                time = t_n + dt;
              }
            else
              time = step * dt;
            // Scheduled global refinement before this step (old1/old2 hold u^n, u^(n-1)).
            while (next_refine < p.prm_refine_at.size() && time - dt >= p.prm_refine_at[next_refine] - 1e-9 * dt)
              {
                refine_and_transfer();
                ++next_refine;
                euler_step = true;
              }
            // BDF-k needs k stored states: from rest BDF2 starts with one BDF1 step, BDF3 with one
            // Crank-Nicolson step and one BDF2 step (local errors O(dt^3): third order overall; a
            // BDF1 start would leave an O(dt^2) error; docs/theory/navier_stokes.md).
            order = std::min(p.prm_bdf_order, history);
            a3    = 0.;
            // CN after a refinement: the transferred u^n is not discretely divergence-free on the
            // finer mesh and CN would not damp the resulting fast transient: one backward Euler step.
            const bool cn_step = p.prm_crank_nicolson ? !euler_step : p.prm_bdf_order == 3 && order == 1;
            theta      = cn_step ? 0.5 : 1.;
            euler_step = false;
            if (cn_step)
              {
                // Crank-Nicolson: (u^(n+1) - u^n)/dt + (F(u^(n+1)) + F(u^n))/2 + grad p^(n+1/2) = 0.
                order  = 1;
                a0     = 1.;
                a1     = -1.;
                a2     = 0.;
                extrap = 1.;
              }
            else if (order == 3)
              {
                a0     = 11. / 6.;
                a1     = -3.;
                a2     = 1.5;
                a3     = -1. / 3.;
                extrap = 1.;
              }
            else if (order == 2)
              {
                // Variable-step BDF2, omega = dt_n / dt_(n-1) (1.5, -2, 0.5 for a fixed step).
                const double w = dt / h1;
                extrap         = w;
                a0             = (1. + 2. * w) / (1. + w);
                a1             = -(1. + w);
                a2             = w * w / (1. + w);
              }
            else
              {
                a0 = 1.;
                a1 = -1.;
                a2 = 0.;
              }
            unsigned int newton = 0, krylov = 0;
            try
              {
                std::tie(newton, krylov) = solve_step();
              }
            catch (const std::runtime_error &)
              {
                // Adaptive: a diverged Newton iteration (the same on every rank) repeats the step
                // with a quarter of dt, down to Min time step.
                if (!adaptive || dt <= p.prm_dt_min * (1. + 1e-12))
                  throw;
                ++n_rejected;
                dt       = std::max(p.prm_dt_min, 0.25 * dt);
                solution = old1;
                --step;
                continue;
              }
            double next_dt = dt;
            if (adaptive && history >= 3)
              {
                // Local error estimate (Milne device): P = quadratic extrapolation of u^n, u^(n-1),
                // u^(n-2) to t_(n+1); u_(n+1) - u(t) ~ Cc u''', u(t) - P ~ Cp u''' with
                // Cc = dt^2 (dt + h1) / (6 a0), Cp = dt (dt + h1) (dt + h1 + h2) / 6, so the local
                // error is Cc / (Cc + Cp) (u_(n+1) - P). Velocity block, l2 norm relative to the largest
                // velocity norm of the run so far (not |u_(n+1)|, which is small when the flow reverses).
                const double x = dt, s1 = -h1, s2 = -h1 - h2;
                const double l0 = (x - s1) * (x - s2) / (s1 * s2);
                const double l1 = x * (x - s2) / (s1 * (s1 - s2));
                const double l2 = x * (x - s1) / (s2 * (s2 - s1));
                BlockVector  e(owned_partitioning, comm);
                combine(e, {{1., &solution}, {-l0, &old1}, {-l1, &old2}, {-l2, &old3}});
                const double cc = dt * dt * (dt + h1) / (6. * a0), cp = dt * (dt + h1) * (dt + h1 + h2) / 6.;
                u_norm_max     = std::max(u_norm_max, solution.block(0).l2_norm());
                error_estimate = cc / (cc + cp) * e.block(0).l2_norm() / std::max(u_norm_max, 1e-300);
                // Step factor 0.9 (tol/est)^(1/3) in [0.2, 2] (omega <= 2 < 1 + sqrt(2) keeps
                // variable-step BDF2 zero-stable).
                const double fac = error_estimate > 0. ? 0.9 * std::cbrt(p.prm_time_tol / error_estimate) : 2.;
                if (error_estimate > p.prm_time_tol && dt > p.prm_dt_min * (1. + 1e-12))
                  {
                    ++n_rejected;
                    dt       = std::max(p.prm_dt_min, dt * std::max(0.2, fac));
                    solution = old1;
                    --step;
                    continue;
                  }
                if (error_estimate > p.prm_time_tol)
                  ++n_at_min_dt;
                next_dt = std::min(p.prm_dt_max, std::max(p.prm_dt_min, dt * std::min(2., std::max(0.2, fac))));
              }
            newton_per_step.push_back(newton);
            krylov_per_step.push_back(krylov);
            step_wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count());
            current = solution;
            if (p.prm_max_cfl > 0)
              {
                const double cfl = max_cfl();
                if (cfl > p.prm_max_cfl)
                  throw std::runtime_error("navier_stokes: CFL " + fmt(cfl, 3) + " > [Time/Max CFL] = " +
                                           fmt(p.prm_max_cfl) + " at t = " + fmt(time) + " ms; reduce [Time/Time step]");
              }
            record(newton, krylov);
            // Windkessel capacitors, explicit Euler with the flow of this step.
            if (p.prm_outlet_model == OutletModel::rcr)
              for (unsigned int k = 0; k < p.prm_outlets.size(); ++k)
                rcr_pc[k] += dt / p.prm_rcr_c[k] * (last_q[p.prm_outlets[k]] - rcr_pc[k] / p.prm_rcr_rd[k]);
            if (!p.prm_wall_tags.empty() && time > p.prm_averaging_start + 1e-9 * dt && time <= avg_end + 1e-9 * dt)
              {
                accumulate_wss(dt, true);
                if (womersley_profile)
                  {
                    const double tau = units::kPa_to_Pa(-p.rheology.viscosity(0.) * womersley_profile->wall_shear_rate(time));
                    exact_wss_abs += dt * std::abs(tau);
                    exact_wss_sum += dt * tau;
                  }
              }
            if (p.prm_field_interval > 0 && step % p.prm_field_interval == 0)
              {
                write_fields(field_index, time);
                pvd.emplace_back(time, "flow_" + Utilities::int_to_string(field_index, 4) + ".pvtu");
                ++field_index;
              }
            if (adaptive || p.prm_bdf_order == 3)
              old3 = old2;
            old2 = old1;
            old1 = current;
            h2   = h1;
            h1   = dt;
            t_n  = time;
            ++history;
            std::ostringstream extra;
            extra << "newton " << newton << " ksp " << krylov;
            if (adaptive)
              extra << " dt " << fmt(dt, 4) << " rejected " << n_rejected;
            dt = next_dt;
            progress.update(time, step, extra.str());
            if (verbosity > 1)
              pcout << "[flow] t= " << fmt(time) << " ms step " << step << " newton " << newton << " ksp " << krylov
                    << "\n";
          }
      }

    current = solution;
    if (p.prm_field_interval == 0 || steady)
      {
        write_fields(field_index, time);
        pvd.emplace_back(time, "flow_" + Utilities::int_to_string(field_index, 4) + ".pvtu");
      }
    if (Utilities::MPI::this_mpi_process(comm) == 0)
      {
        std::ofstream pvd_file(dir.tmp() + "flow.pvd");
        DataOutBase::write_pvd_record(pvd_file, pvd);
      }

    // Summary.
    summary.set("problem", "navier_stokes").set("dimension", int(dim)).set("ranks", int(ranks));
    summary.set("elements", element_name(simplex, p.prm_equal_order));
    summary.set("cells", static_cast<unsigned long>(tria->n_global_active_cells()));
    summary.set("dofs_velocity", static_cast<unsigned long>(n_u)).set("dofs_pressure", static_cast<unsigned long>(n_p));
    summary.set("steps", static_cast<unsigned long>(newton_per_step.size())).set("t_end_ms", time);
    summary.set("time_scheme", steady                 ? std::string("steady") :
                               p.prm_crank_nicolson ? std::string("CN") :
                                                      "BDF" + std::to_string(p.prm_bdf_order) + (p.prm_adaptive ? " adaptive" : ""));
    if (p.prm_adaptive && !steady)
      {
        summary.set("steps_rejected", static_cast<unsigned long>(n_rejected));
        summary.set("steps_at_min_dt_over_tolerance", static_cast<unsigned long>(n_at_min_dt));
        pcout << "  adaptive BDF2: " << newton_per_step.size() << " steps accepted, " << n_rejected << " rejected, "
              << n_at_min_dt << " accepted at Min time step above the tolerance\n";
      }
    {
      double ks = 0, km = 0;
      for (auto k : krylov_per_step)
        {
          ks += k;
          km = std::max<double>(km, k);
        }
      summary.set("krylov_mean_per_step", ks / std::max<std::size_t>(1, krylov_per_step.size()));
      summary.set("krylov_max_per_step", km);
      double ns = 0;
      for (auto k : newton_per_step)
        ns += k;
      summary.set("newton_mean_per_step", ns / std::max<std::size_t>(1, newton_per_step.size()));
      double ws = 0;
      for (double w : step_wall)
        ws += w;
      summary.set("wall_per_step_s", step_wall.empty() ? 0. : ws / step_wall.size());
    }
    {
      // Wall time per solver phase (TimerOutput sections) and the Jacobian bookkeeping.
      Json timers;
      for (const auto &[name, seconds] : timer.get_summary_data(TimerOutput::total_wall_time))
        timers.set(name, seconds);
      summary.set("timers_wall_s", timers);
      summary.set("jacobian_factorizations", static_cast<unsigned long>(n_factorizations));
      summary.set("residual_assemblies", static_cast<unsigned long>(n_residuals));
      summary.set("jacobian_update", p.prm_jacobian_update == JacobianUpdate::every_iteration ? "every iteration" :
                                     p.prm_jacobian_update == JacobianUpdate::every_step    ? "every step" :
                                                                                               "lagged");
      if (verbosity > 0)
        timer.print_summary();
    }
    if (steady)
      {
        summary.set("picard_iterations", static_cast<unsigned long>(n_picard));
        summary.set("newton_iterations", static_cast<unsigned long>(n_newton));
        summary.set("line_search", p.prm_line_search ? "backtracking" : "none");
        summary.set("line_search_halvings", static_cast<unsigned long>(n_backtracks));
        summary.set("line_search_failures", static_cast<unsigned long>(n_ls_failures));
        summary.set("smallest_step", min_step_taken);
        summary.set("continuation_steps", static_cast<unsigned long>(p.prm_continuation_steps));
      }
    summary.set("linear_solver", p.prm_direct ? "direct (" + p.prm_direct_package + ")" : std::string("FGMRES + block AMG/Cahouet-Chabard"));
    const double coef = 2. / (p.prm_density * p.prm_ref_velocity * p.prm_ref_velocity * p.prm_ref_area);
    for (unsigned int tag : p.prm_force_tags)
      {
        summary.set("cD_" + std::to_string(tag), coef * force[tag][0]);
        summary.set("cL_" + std::to_string(tag), coef * force[tag][1]);
        pcout << "  force on tag " << tag << ": " << force[tag] << " -> cD = " << fmt(coef * force[tag][0], 10)
              << ", cL = " << fmt(coef * force[tag][1], 10) << "\n";
      }
    if (last_pressures.size() == 2)
      {
        summary.set("dp", last_pressures[0] - last_pressures[1]);
        pcout << "  dp = " << fmt(last_pressures[0] - last_pressures[1], 10) << "\n";
      }
    for (unsigned int tag : flux_tags)
      summary.set("Q_" + std::to_string(tag), last_q[tag]).set("pmean_" + std::to_string(tag), last_pm[tag]);
    if (womersley_exact)
      {
        summary.set("womersley_max_profile_error", womersley_max_error);
        if (wss_time > 0)
          summary.set("womersley_exact_TAWSS_Pa", exact_wss_abs / wss_time)
            .set("womersley_exact_OSI", 0.5 * (1. - std::abs(exact_wss_sum) / exact_wss_abs));
        pcout << "  Womersley: max profile error over the run " << fmt(100 * womersley_max_error, 4)
              << " % of max |u_exact|\n";
      }
    compute_errors(summary);

    // WSS metrics per wall tag.
    if (!p.prm_wall_tags.empty())
      {
        std::ostringstream wcsv;
        wcsv << "tag,area_mm2,mean_TAWSS_Pa,low_TAWSS_area_mm2,low_TAWSS_fraction,mean_OSI,max_OSI,mean_RRT_per_Pa,"
                "median_RRT_per_Pa\n";
        const FEValuesExtractors::Vector velocities(0);
        FEFaceValues<dim> ff(*mapping, *fe, *face_quadrature, update_JxW_values | update_quadrature_points);
        std::map<unsigned int, std::array<double, 6>> acc;
        std::vector<double>                           rows; // x, y, (z), tag, area weight, TAWSS, OSI, RRT
        std::map<unsigned int, std::vector<double>>   rrts;
        std::size_t k = 0;
        const double T = std::max(wss_time, 1e-300);
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (cell->is_locally_owned())
            for (const auto &face : cell->face_iterators())
              if (face->at_boundary() && std::count(p.prm_wall_tags.begin(), p.prm_wall_tags.end(), face->boundary_id()))
                {
                  ff.reinit(cell, face);
                  auto &a = acc[face->boundary_id()];
                  for (unsigned int q = 0; q < ff.n_quadrature_points; ++q, ++k)
                    {
                      const double tawss = wss_abs_sum[k] / T;
                      const double osi   = wss_abs_sum[k] > 0 ? 0.5 * (1. - wss_sum[k].norm() / wss_abs_sum[k]) : 0.;
                      const double rrt   = wss_sum[k].norm() > 0 ? T / wss_sum[k].norm() : 1e30;
                      a[0] += ff.JxW(q);
                      a[1] += tawss * ff.JxW(q);
                      a[2] += (tawss < p.prm_low_tawss_pa ? ff.JxW(q) : 0.);
                      a[3] += osi * ff.JxW(q);
                      a[4] = std::max(a[4], osi);
                      a[5] += std::min(rrt, 1e6) * ff.JxW(q);
                      rrts[face->boundary_id()].push_back(rrt);
                      for (unsigned int d = 0; d < dim; ++d)
                        rows.push_back(ff.quadrature_point(q)[d]);
                      rows.insert(rows.end(), {double(face->boundary_id()), ff.JxW(q), tawss, osi, rrt});
                    }
                }
        Json wjson;
        for (unsigned int tag : p.prm_wall_tags)
          {
            auto a = acc[tag];
            for (int i : {0, 1, 2, 3, 5})
              a[i] = Utilities::MPI::sum(a[i], comm);
            a[4] = Utilities::MPI::max(a[4], comm);
            std::vector<double> all;
            for (const auto &v : Utilities::MPI::all_gather(comm, rrts[tag]))
              all.insert(all.end(), v.begin(), v.end());
            std::sort(all.begin(), all.end());
            const double median = all.empty() ? 0. : all[all.size() / 2];
            wcsv << tag << "," << a[0] << "," << a[1] / a[0] << "," << a[2] << "," << a[2] / a[0] << "," << a[3] / a[0]
                 << "," << a[4] << "," << a[5] / a[0] << "," << median << "\n";
            Json t;
            t.set("area_mm2", a[0]).set("mean_TAWSS_Pa", a[1] / a[0]).set("low_TAWSS_area_mm2", a[2]);
            t.set("low_TAWSS_fraction", a[2] / a[0]).set("mean_OSI", a[3] / a[0]).set("max_OSI", a[4]);
            t.set("median_RRT_per_Pa", median);
            wjson.set(std::to_string(tag), t);
            pcout << "  wall " << tag << ": area " << fmt(a[0], 5) << " mm^2, mean TAWSS " << fmt(a[1] / a[0], 4)
                  << " Pa, low-TAWSS (< " << p.prm_low_tawss_pa << " Pa) area " << fmt(a[2], 4) << " mm^2 ("
                  << fmt(100 * a[2] / a[0], 3) << " %), mean OSI " << fmt(a[3] / a[0], 3) << "\n";
          }
        summary.set("wss", wjson);
        {
          // Quadrature-point values on rank 0 (for plots): wss_points.csv.
          const auto all = Utilities::MPI::gather(comm, rows, 0);
          if (Utilities::MPI::this_mpi_process(comm) == 0)
            {
              std::ostringstream pc;
              pc << std::setprecision(8) << (dim == 2 ? "x,y" : "x,y,z") << ",tag,weight,tawss_Pa,osi,rrt_per_Pa\n";
              const unsigned int w = dim + 5;
              for (const auto &r : all)
                for (std::size_t i = 0; i + w <= r.size(); i += w)
                  {
                    for (unsigned int c = 0; c < w; ++c)
                      pc << (c ? "," : "") << r[i + c];
                    pc << "\n";
                  }
              write_file_atomic(dir.tmp() + "wss_points.csv", pc.str());
            }
        }
        summary.set("wss_averaging_ms", wss_time);
        summary.set("low_TAWSS_threshold_Pa", p.prm_low_tawss_pa);
        write_wss(dir.tmp());
        if (Utilities::MPI::this_mpi_process(comm) == 0)
          write_file_atomic(dir.tmp() + "wss_summary.csv", wcsv.str());
      }

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    summary.set("wall_time_s", Utilities::MPI::max(wall, comm));
    if (Utilities::MPI::this_mpi_process(comm) == 0)
      {
        write_file_atomic(dir.tmp() + "flow.csv", csv.str());
        if (steady)
          write_file_atomic(dir.tmp() + "nonlinear.csv", nonlinear_csv.str());
        write_file_atomic(dir.tmp() + "summary.json", summary.str() + "\n");
        write_file_atomic(dir.tmp() + "used_parameters.prm", used_parameters);
      }
    dir.commit();
    pcout << "  results: " << p.prm_directory << " (wall " << fmt(wall, 4) << " s)\n";
  }

  template <int dim>
  void
  run_navier_stokes(const FlowParameters &p, MPI_Comm comm, int verbosity, const std::string &used_parameters)
  {
    NavierStokes<dim> ns(p, comm, verbosity);
    ns.used_parameters = used_parameters;
    ns.run();
  }

  template void run_navier_stokes<2>(const FlowParameters &, MPI_Comm, int, const std::string &);
  template void run_navier_stokes<3>(const FlowParameters &, MPI_Comm, int, const std::string &);
} // namespace organtwin::flow
