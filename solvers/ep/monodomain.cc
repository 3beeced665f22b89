#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/distributed/tria_base.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q1.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <meshes/fibres.h>
#include <meshes/mesh_fibres.h>
#include <meshes/mesh.h>
#include <physics/ionic/integrators.h>
#include <physics/ionic/manufactured_cell.h>
#include <postprocess/action_potential.h>
#include <solvers/common/output.h>
#include <solvers/common/directions.h>
#include <solvers/common/parameters.h>
#include <solvers/common/progress.h>
#include <solvers/common/units.h>
#include <solvers/common/version.h>
#include <solvers/ep/monodomain.h>
#include <solvers/ep/tissue_cells.h>
#include <postprocess/ecg_analysis.h>
#include <postprocess/pseudo_ecg.h>
#include <solvers/ep/stimulus.h>

#include <petscksp.h>

#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

namespace organtwin::ep
{
  using namespace dealii;

  namespace
  {

    /// All parameters of a monodomain run, read once and checked before any mesh is made.
    struct Parameters
    {
      meshes::MeshParameters  mesh;
      meshes::FibreParameters fibres; // [Fibres], used when Fibre field = mesh
      bool                    prm_mesh_fibres = false;
      // Tissue
      double       prm_chi, prm_cm, prm_sigma_f, prm_sigma_s, prm_sigma_n;
      Tensor<1, 3> prm_fibre, prm_sheet;
      bool         prm_rotation = false;
      Tensor<1, 3> prm_wall_normal, prm_e1;
      double       prm_wall_begin = 0, prm_wall_end = 1, prm_angle_endo = 0, prm_angle_epi = 0;
      // Time
      double             prm_end_time, prm_dt;
      bool               prm_strang, prm_crank_nicolson;
      ionic::OdeScheme   prm_ode_scheme;
      unsigned int       prm_ode_substeps;
      bool               prm_lumping;
      // Linear solver
      double       prm_rtol;
      unsigned int prm_max_iterations;
      std::string  prm_preconditioner;
      // Output
      std::string              prm_directory;
      double                   prm_field_interval, prm_trace_interval, prm_threshold, prm_progress_interval;
      std::vector<Point<3>>    prm_probes;
      std::vector<std::string> prm_probe_names;
      // ECG
      std::vector<postprocess::Electrode> prm_electrodes;
      std::vector<std::string>            prm_leads;
      double                              prm_sigma_bath = 0.2;
      std::string              prm_exact;
      std::vector<Stimulus>    stimuli;

      static void
      declare(ParameterHandler &prm)
      {
        meshes::MeshParameters::declare_parameters(prm);
        meshes::FibreParameters::declare_parameters(prm);
        prm.enter_subsection("Tissue");
        prm.declare_entry("Surface to volume ratio", "140", Patterns::Double(1e-12),
                          "[1/mm] membrane area per tissue volume chi (Niederer 2011: 140 /mm = 1400 /cm)");
        prm.declare_entry("Membrane capacitance", "1", Patterns::Double(1e-12), "[uF/cm^2] Cm");
        prm.declare_entry("Conductivity fibre", "0.1334", Patterns::Double(0.),
                          "[S/m] monodomain conductivity along the fibre (Niederer 2011: harmonic mean of "
                          "sigma_il = 0.17 and sigma_el = 0.62 S/m)");
        prm.declare_entry("Conductivity sheet", "0.0176", Patterns::Double(0.),
                          "[S/m] conductivity along the sheet direction (Niederer 2011: harmonic mean of 0.019 "
                          "and 0.24 S/m)");
        prm.declare_entry("Conductivity normal", "0.0176", Patterns::Double(0.),
                          "[S/m] conductivity along the sheet-normal direction");
        prm.declare_entry("Fibre direction", "1,0,0", Patterns::Anything(), "[1] fibre direction f (normalised)");
        prm.declare_entry("Sheet direction", "0,1,0", Patterns::Anything(),
                          "[1] sheet direction s, orthogonal to f; the normal is f x s");
        prm.declare_entry("Fibre field", "constant", Patterns::Selection("constant|transmural rotation|mesh"),
                          "constant: f and s as given everywhere; mesh: per-cell fibre and sheet from the mesh "
                          "(LDRB rule-based fibres computed with [Fibres] Method = ldrb, the fibres stored in a "
                          "prepared .otmesh, or the Fibre/Sheet array of a .vtu/.vtk mesh file); transmural rotation: the fibre angle varies "
                          "linearly through the wall (rule-based, as in slab models of the ventricular wall): "
                          "s = transmural direction n, f = cos(a) e1 + sin(a) e2 with e1 = the Fibre direction "
                          "made orthogonal to n and e2 = n x e1");
        prm.declare_entry("Transmural direction", "0,0,1", Patterns::Anything(),
                          "[1] transmural rotation: wall normal n, pointing from endocardium to epicardium");
        prm.declare_entry("Wall extent", "0,3", Patterns::List(Patterns::Double(), 2, 2),
                          "[mm] transmural rotation: x.n at the endocardium and at the epicardium");
        prm.declare_entry("Fibre angle endo", "60", Patterns::Double(-180, 180),
                          "[deg] transmural rotation: fibre angle at the endocardium");
        prm.declare_entry("Fibre angle epi", "-60", Patterns::Double(-180, 180),
                          "[deg] transmural rotation: fibre angle at the epicardium");
        prm.leave_subsection();

        ionic::declare_ionic_model_parameters(prm, ionic::IonicRegistry::has("TTP06") ? "TTP06" : "MitchellSchaeffer");
        TissueCells::declare_parameters(prm);
        declare_stimulus_parameters(prm);

        prm.enter_subsection("Time");
        prm.declare_entry("End time", "50", Patterns::Double(0.), "[ms] simulated time");
        prm.declare_entry("Time step", "0.05", Patterns::Double(), "[ms] PDE (splitting) time step; > 0");
        prm.declare_entry("Splitting", "Godunov", Patterns::Selection("Godunov|Strang"),
                          "operator splitting: Godunov (reaction, diffusion; order 1) or Strang (half reaction, "
                          "diffusion, half reaction; order 2 with Crank-Nicolson and RushLarsen2)");
        prm.declare_entry("Diffusion scheme", "BackwardEuler", Patterns::Selection("BackwardEuler|CrankNicolson"),
                          "implicit scheme of the diffusion step");
        prm.declare_entry("ODE scheme", "RushLarsen", Patterns::Selection(ionic::ode_scheme_selection()),
                          "pointwise integrator of the ionic model");
        prm.declare_entry("ODE substeps", "1", Patterns::Integer(1, 1000),
                          "[1] ionic sub-steps per reaction step");
        prm.leave_subsection();

        prm.enter_subsection("Discretisation");
        prm.declare_entry("Mass lumping", "false", Patterns::Bool(), "row-sum lumped mass matrix");
        prm.leave_subsection();

        prm.enter_subsection("Linear solver");
        prm.declare_entry("Relative tolerance", "1e-8", Patterns::Double(1e-16, 1.),
                          "[1] CG stopping criterion: preconditioned residual norm relative to that of the "
                          "right-hand side (PETSc default norm)");
        prm.declare_entry("Max iterations", "1000", Patterns::Integer(1), "[1] CG iteration limit");
        prm.declare_entry("Preconditioner", "auto", Patterns::Selection("auto|BoomerAMG|ILU|Jacobi|None"),
                          "CG preconditioner. ILU: block Jacobi with ILU(0) per rank; BoomerAMG: hypre algebraic "
                          "multigrid. auto: ILU when the system is mass-dominated (theta dt D_max / h^2 < 2, the "
                          "usual case for EP time steps: 2-3 CG iterations), BoomerAMG otherwise. Any PETSc option "
                          "with prefix ep_ overrides (--petsc \"-ep_pc_type gamg\")");
        prm.leave_subsection();

        prm.enter_subsection("Output");
        prm.declare_entry("Directory", "results/monodomain", Patterns::Anything(),
                          "result folder (written as <dir>.partial-<pid>, renamed when the run succeeds)");
        prm.declare_entry("Field interval", "1", Patterns::Double(0.),
                          "[ms] interval of the PVTU field output; 0 = only the final state");
        prm.declare_entry("Trace interval", "0", Patterns::Double(0.),
                          "[ms] sampling interval of probe traces; 0 = every time step");
        prm.declare_entry("Probe points", "", Patterns::Anything(),
                          "[mm] semicolon-separated points x,y,z where V is recorded (linear interpolation)");
        prm.declare_entry("Probe names", "", Patterns::Anything(), "comma-separated names of the probes (optional)");
        prm.declare_entry("Activation threshold", "0", Patterns::Double(),
                          "[mV] activation time = first upward crossing of this potential");
        prm.declare_entry("Progress interval", "2", Patterns::Double(0.), "[s] wall time between progress lines");
        prm.leave_subsection();

        prm.enter_subsection("ECG");
        prm.declare_entry("Electrode positions", "", Patterns::Anything(),
                          "[mm] x,y,z of virtual electrodes separated by ';' (empty: no pseudo-ECG). The "
                          "pseudo-ECG is the extracellular potential of an infinite homogeneous volume conductor "
                          "(docs/theory/pseudo_ecg.md), sampled every Output/Trace interval into ecg.csv");
        prm.declare_entry("Electrode names", "", Patterns::Anything(), "comma-separated names (default e1, e2, ...)");
        prm.declare_entry("Leads", "", Patterns::Anything(),
                          "comma-separated leads: 'a-b' (phi_a - phi_b) or 'a' (unipolar); empty: every electrode "
                          "unipolar. The first lead is analysed (QRS onset, T end by the tangent method, QT) over "
                          "the last stimulus cycle of the first Stimulus");
        prm.declare_entry("Bath conductivity", "0.2", Patterns::Double(1e-9),
                          "[S/m] conductivity of the surrounding volume conductor");
        prm.leave_subsection();
        prm.enter_subsection("Verification");
        prm.declare_entry("Exact solution", "none", Patterns::Selection("none|manufactured"),
                          "manufactured: compare with the exact solution of the Manufactured cell model "
                          "(physics/ionic/manufactured_cell.h); needs Ionic model/Model = Manufactured");
        prm.leave_subsection();
      }

      void
      parse(ParameterHandler &prm, const std::string &deck)
      {
        mesh.parse_parameters(prm, deck);
        fibres.parse_parameters(prm, deck);
        prm.enter_subsection("Tissue");
        prm_chi     = prm.get_double("Surface to volume ratio");
        prm_cm      = prm.get_double("Membrane capacitance");
        prm_sigma_f = prm.get_double("Conductivity fibre");
        prm_sigma_s = prm.get_double("Conductivity sheet");
        prm_sigma_n = prm.get_double("Conductivity normal");
        prm_fibre   = parse_direction(prm.get("Fibre direction"), deck + ": [Tissue/Fibre direction]");
        prm_sheet   = parse_direction(prm.get("Sheet direction"), deck + ": [Tissue/Sheet direction]");
        prm_rotation    = prm.get("Fibre field") == "transmural rotation";
        prm_mesh_fibres = prm.get("Fibre field") == "mesh";
        prm_wall_normal =
          parse_direction(prm.get("Transmural direction"), deck + ": [Tissue/Transmural direction]");
        {
          const auto w = Utilities::split_string_list(prm.get("Wall extent"));
          prm_wall_begin = std::stod(w[0]);
          prm_wall_end   = std::stod(w[1]);
        }
        prm_angle_endo = prm.get_double("Fibre angle endo") * M_PI / 180.;
        prm_angle_epi  = prm.get_double("Fibre angle epi") * M_PI / 180.;
        prm.leave_subsection();
        if (prm_rotation)
          {
            input_check(prm_wall_end != prm_wall_begin, deck + ": [Tissue/Wall extent]",
                        "the two positions must differ");
            prm_e1 = prm_fibre - (prm_fibre * prm_wall_normal) * prm_wall_normal;
            input_check(prm_e1.norm() > 1e-6, deck + ": [Tissue/Fibre direction]",
                        "must not be parallel to the Transmural direction");
            prm_e1 /= prm_e1.norm();
          }
        else
          input_check(std::abs(prm_fibre * prm_sheet) < 1e-6, deck + ": [Tissue/Sheet direction]",
                      "must be orthogonal to the fibre direction");
        if (prm_mesh_fibres)
          input_check(mesh.prm_source == "prepared" || fibres.prm_method == "ldrb" || !mesh.prm_fibre_array.empty(),
                      deck + ": [Tissue/Fibre field] = mesh",
                      "needs [Fibres] Method = ldrb, [Mesh] Source = prepared (a .otmesh with fibres) or [Mesh] "
                      "Source = file with a .vtu/.vtk File and [Mesh/Fibre array]");
        // a mesh file with fibres but no sheets: the sheet is an arbitrary normal to the fibre,
        // so only transversely isotropic conductivities give a defined result
        if (prm_mesh_fibres && !mesh.prm_fibre_array.empty() && mesh.prm_sheet_array.empty())
          input_check(prm_sigma_s == prm_sigma_n, deck + ": [Tissue/Conductivity sheet] = " + std::to_string(prm_sigma_s),
                      "must equal [Tissue/Conductivity normal] (" + std::to_string(prm_sigma_n) +
                        ") when the mesh file gives fibres but no sheets ([Mesh/Sheet array] is empty); name a "
                        "Sheet array for orthotropic tissue");

        stimuli = parse_stimulus_parameters(prm, deck);

        prm.enter_subsection("Time");
        prm_end_time       = prm.get_double("End time");
        prm_dt             = prm.get_double("Time step");
        prm_strang         = prm.get("Splitting") == "Strang";
        prm_crank_nicolson = prm.get("Diffusion scheme") == "CrankNicolson";
        prm_ode_scheme     = ionic::ode_scheme_from_name(prm.get("ODE scheme"));
        prm_ode_substeps   = prm.get_integer("ODE substeps");
        prm.leave_subsection();
        input_check(prm_dt > 0, deck + ": [Time/Time step]",
                    "= " + std::to_string(prm_dt) + " ms; expected a positive time step");
        input_check(prm_end_time > 0, deck + ": [Time/End time]", "must be positive");
        input_check(prm_dt <= prm_end_time, deck + ": [Time/Time step]", "is larger than the End time");
        const double n = prm_end_time / prm_dt;
        input_check(std::abs(n - std::round(n)) < 1e-6 * n, deck + ": [Time/End time]",
                    "= " + std::to_string(prm_end_time) + " ms must be a whole multiple of the Time step (" +
                      std::to_string(prm_dt) + " ms)");

        prm.enter_subsection("Discretisation");
        prm_lumping = prm.get_bool("Mass lumping");
        prm.leave_subsection();

        prm.enter_subsection("Linear solver");
        prm_rtol           = prm.get_double("Relative tolerance");
        prm_max_iterations = prm.get_integer("Max iterations");
        prm_preconditioner = prm.get("Preconditioner");
        prm.leave_subsection();

        prm.enter_subsection("Output");
        prm_directory         = prm.get("Directory");
        prm_field_interval    = prm.get_double("Field interval");
        prm_trace_interval    = prm.get_double("Trace interval");
        prm_threshold         = prm.get_double("Activation threshold");
        prm_progress_interval = prm.get_double("Progress interval");
        for (const auto &s : Utilities::split_string_list(prm.get("Probe points"), ';'))
          {
            const auto v = parse_triple(s, deck + ": [Output/Probe points] (points are separated by ';')");
            prm_probes.emplace_back(v[0], v[1], v[2]);
          }
        prm_probe_names = Utilities::split_string_list(prm.get("Probe names"), ',');
        prm.leave_subsection();
        if (prm_probe_names.empty())
          for (unsigned int i = 0; i < prm_probes.size(); ++i)
            prm_probe_names.push_back("probe" + std::to_string(i + 1));
        input_check(prm_probe_names.size() == prm_probes.size(), deck + ": [Output/Probe names]",
                    "has " + std::to_string(prm_probe_names.size()) + " names for " +
                      std::to_string(prm_probes.size()) + " probe points");
        for (const auto &[name, value] : {std::pair<std::string, double>{"Field interval", prm_field_interval},
                                          std::pair<std::string, double>{"Trace interval", prm_trace_interval}})
          if (value > 0)
            {
              input_check(prm_dt <= value * (1 + 1e-12), deck + ": [Output/" + name + "]",
                          "= " + std::to_string(value) + " ms is smaller than the Time step (" +
                            std::to_string(prm_dt) + " ms); expected an interval >= the time step");
              const double k = value / prm_dt;
              input_check(std::abs(k - std::round(k)) < 1e-6 * k, deck + ": [Output/" + name + "]",
                          "= " + std::to_string(value) + " ms must be a whole multiple of the Time step (" +
                            std::to_string(prm_dt) + " ms)");
            }

        prm.enter_subsection("ECG");
        {
          const auto pos   = Utilities::split_string_list(prm.get("Electrode positions"), ';');
          auto       names = Utilities::split_string_list(prm.get("Electrode names"), ',');
          if (names.empty())
            for (unsigned int i = 0; i < pos.size(); ++i)
              names.push_back("e" + std::to_string(i + 1));
          input_check(names.size() == pos.size(), deck + ": [ECG/Electrode names]",
                      "has " + std::to_string(names.size()) + " names for " + std::to_string(pos.size()) +
                        " electrode positions");
          for (unsigned int i = 0; i < pos.size(); ++i)
            prm_electrodes.push_back(
              {names[i], parse_point(pos[i], deck + ": [ECG/Electrode positions] (points separated by ';')")});
          prm_leads      = Utilities::split_string_list(prm.get("Leads"), ',');
          prm_sigma_bath = prm.get_double("Bath conductivity");
          input_check(prm_leads.empty() || !prm_electrodes.empty(), deck + ": [ECG/Leads]",
                      "leads need electrodes ([ECG/Electrode positions])");
          input_check(!prm_mesh_fibres || prm_electrodes.empty(), deck + ": [ECG/Electrode positions]",
                      "the pseudo-ECG does not support [Tissue/Fibre field] = mesh yet; leave it empty");
        }
        prm.leave_subsection();
        prm.enter_subsection("Verification");
        prm_exact = prm.get("Exact solution");
        prm.leave_subsection();
      }

      /// Diffusion tensor [mm^2/ms] for a constant fibre field.
      Tensor<2, 3>
      diffusivity() const
      {
        return diffusivity(prm_fibre, prm_sheet);
      }

      /// Diffusion tensor [mm^2/ms] at x [mm].
      Tensor<2, 3>
      diffusivity(const Point<3> &x) const
      {
        if (!prm_rotation)
          return diffusivity();
        double s = (x * prm_wall_normal - prm_wall_begin) / (prm_wall_end - prm_wall_begin);
        s        = std::min(1., std::max(0., s));
        const double       a  = prm_angle_endo + s * (prm_angle_epi - prm_angle_endo);
        const Tensor<1, 3> e2 = cross_product_3d(prm_wall_normal, prm_e1);
        return diffusivity(std::cos(a) * prm_e1 + std::sin(a) * e2, prm_wall_normal);
      }

      Tensor<2, 3>
      diffusivity(const Tensor<1, 3> &f, const Tensor<1, 3> &sh) const
      {
        const Tensor<1, 3> n = cross_product_3d(f, sh);
        const double       k = units::monodomain_diffusivity_factor(prm_chi, prm_cm);
        return k * (prm_sigma_f * outer_product(f, f) + prm_sigma_s * outer_product(sh, sh) +
                    prm_sigma_n * outer_product(n, n));
      }
    };

    /// A point where V is recorded: found once, evaluated on its owning rank.
    struct Probe
    {
      std::string                          name;
      Point<3>                             x;
      bool                                 mine = false;
      DoFHandler<3>::active_cell_iterator  cell;
      std::vector<double>                  shape; // shape values at the point
      postprocess::ActivationTracker       tracker; // of the interpolated V
    };

    class MonodomainSolver
    {
    public:
      MonodomainSolver(const Parameters &p, std::unique_ptr<TissueCells> cells, const RunContext &ctx);
      ~MonodomainSolver();
      void run();

    private:
      void   setup_system();
      void   assemble_matrices();
      void   setup_cells();
      void   setup_probes();
      void   reaction_step(double t, double dt);
      void   diffusion_step();
      void   track_activation(double t);
      void   check_finite(double t, const std::string &phase);
      void   sample_probes(double t, bool record);
      void   output_fields(double t);
      double l2_error(double t);
      void   finish(ResultDirectory &dir, double wall);

      const Parameters                   &p;
      const RunContext                   &ctx;
      MPI_Comm                            comm;
      ConditionalOStream                  pcout;
      TimerOutput                         timer;
      meshes::Mesh                        mesh;
      std::vector<Tensor<2, 3>>           cell_D; // per active cell when Fibre field = mesh
      std::unique_ptr<FiniteElement<3>>   fe;
      std::unique_ptr<Mapping<3>>         mapping;
      std::unique_ptr<Quadrature<3>>      quadrature;
      DoFHandler<3>                       dof_handler;
      IndexSet                            owned, relevant;
      AffineConstraints<double>           constraints;
      PETScWrappers::MPI::SparseMatrix    system_matrix, rhs_matrix;
      PETScWrappers::MPI::Vector          V, rhs, V_ghost;
      KSP                                 ksp = nullptr;
      std::unique_ptr<TissueCells>        cells;
      ionic::IonicModel                  *model; // the model of layer 0 (name, verification)
      std::vector<double>                 v_buf; // V of the owned DoFs
      std::vector<Point<3>>               points; // support points of owned DoFs
      std::vector<unsigned char>          stim_mask; // one bit per stimulus
      std::vector<double>                 I_app;
      std::vector<postprocess::ActivationTracker> trackers; // per owned DoF: activation, APD90
      std::vector<Probe>                  probes;
      std::unique_ptr<postprocess::PseudoEcg> ecg;
      std::vector<postprocess::Lead>      leads;
      std::vector<std::vector<double>>    ecg_trace; // rows: t, leads..., electrodes... (rank 0)
      std::vector<std::vector<double>>    trace; // rows: t, V at probes (rank 0)
      std::vector<std::pair<double, std::string>> pvd;
      std::vector<std::pair<double, double>>      errors; // (t, L2 error)
      unsigned long                       ksp_iterations = 0, n_solves = 0, last_iterations = 0;
      unsigned int                        n_steps = 0;
      std::string                         preconditioner; ///< the one actually used
      std::string                         tmp_dir;

    public:
      std::string used_parameters; ///< the complete deck as used, written next to the results
    };

    MonodomainSolver::MonodomainSolver(const Parameters &p, std::unique_ptr<TissueCells> c,
                                       const RunContext &ctx)
      : p(p)
      , ctx(ctx)
      , comm(ctx.comm)
      , pcout(std::cout, Utilities::MPI::this_mpi_process(ctx.comm) == 0 && ctx.verbosity > 0)
      , timer(pcout, TimerOutput::never, TimerOutput::wall_times) // rank-0 times; no MPI in its destructor
      , cells(std::move(c))
      , model(&cells->model(0))
    {}

    MonodomainSolver::~MonodomainSolver()
    {
      if (ksp)
        KSPDestroy(&ksp);
    }

    void
    MonodomainSolver::setup_system()
    {
      TimerOutput::Scope scope(timer, "ep / setup");
      mesh = meshes::create_mesh(p.mesh, comm);
      if (mesh.simplex)
        {
          fe         = std::make_unique<FE_SimplexP<3>>(1);
          mapping    = std::make_unique<MappingFE<3>>(FE_SimplexP<3>(1));
          quadrature = std::make_unique<QGaussSimplex<3>>(2);
        }
      else
        {
          fe         = std::make_unique<FE_Q<3>>(1);
          mapping    = std::make_unique<MappingQ1<3>>();
          quadrature = std::make_unique<QGauss<3>>(2);
        }
      if (p.prm_mesh_fibres)
        {
          // fibres given with the mesh (prepared .otmesh) or computed here (LDRB)
          const auto mf = meshes::mesh_fibres(mesh, p.fibres, ctx.deck_file + ": [Tissue/Fibre field] = mesh");
          // a .otmesh prepared from a mesh file without sheets: arbitrary sheets (the deck
          // check before the mesh covers Source = file)
          input_check(p.prm_sigma_s == p.prm_sigma_n || mf.ldrb || mesh.sheets_given,
                      ctx.deck_file + ": [Mesh/File] = \"" + p.mesh.prm_file + "\"",
                      "stores fibres without sheets (prepared from a mesh file with no [Mesh/Sheet array]), so "
                      "[Tissue/Conductivity sheet] (" + std::to_string(p.prm_sigma_s) +
                        ") must equal [Tissue/Conductivity normal] (" + std::to_string(p.prm_sigma_n) +
                        "); prepare the mesh again with its sheet array for orthotropic tissue");
          if (mf.ldrb)
            pcout << "fibres: LDRB (Bayer et al. 2012) in " << mf.ldrb->seconds << " s\n";
          const auto &f = mf.f, &s = mf.s;
          cell_D.resize(f.size());
          for (const auto &cell : mesh.tria->active_cell_iterators())
            if (cell->is_locally_owned())
              cell_D[cell->active_cell_index()] = p.diffusivity(f[cell->active_cell_index()], s[cell->active_cell_index()]);
        }
      dof_handler.reinit(*mesh.tria);
      dof_handler.distribute_dofs(*fe);
      owned = dof_handler.locally_owned_dofs();
      DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
      AssertThrow(owned.is_contiguous(), ExcInternalError());
      constraints.clear();
      constraints.reinit(relevant);
      constraints.close();

      DynamicSparsityPattern dsp(relevant);
      DoFTools::make_sparsity_pattern(dof_handler, dsp, constraints, false);
      SparsityTools::distribute_sparsity_pattern(dsp, owned, comm, relevant);
      system_matrix.reinit(owned, owned, dsp, comm);
      rhs_matrix.reinit(owned, owned, dsp, comm);
      V.reinit(owned, comm);
      rhs.reinit(owned, comm);
      V_ghost.reinit(owned, relevant, comm);
    }

    void
    MonodomainSolver::assemble_matrices()
    {
      TimerOutput::Scope scope(timer, "ep / assembly");
      const double       theta = p.prm_crank_nicolson ? 0.5 : 1.0;
      const double       dt    = p.prm_dt;

      FEValues<3>        fev(*mapping, *fe, *quadrature,
                      update_values | update_gradients | update_JxW_values | update_quadrature_points);
      const unsigned int n = fe->n_dofs_per_cell();
      FullMatrix<double> A(n, n), B(n, n), M(n, n), K(n, n);
      std::vector<types::global_dof_index> idx(n);
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            M = 0;
            K = 0;
            for (unsigned int q = 0; q < quadrature->size(); ++q)
              {
                const Tensor<2, 3> D =
                  cell_D.empty() ? p.diffusivity(fev.quadrature_point(q)) : cell_D[cell->active_cell_index()];
                for (unsigned int i = 0; i < n; ++i)
                {
                  const Tensor<1, 3> Dgi = D * fev.shape_grad(i, q);
                  for (unsigned int j = 0; j < n; ++j)
                    {
                      M(i, j) += fev.shape_value(i, q) * fev.shape_value(j, q) * fev.JxW(q);
                      K(i, j) += Dgi * fev.shape_grad(j, q) * fev.JxW(q);
                    }
                }
              }
            if (p.prm_lumping)
              for (unsigned int i = 0; i < n; ++i)
                {
                  double row = 0;
                  for (unsigned int j = 0; j < n; ++j)
                    {
                      row += M(i, j);
                      M(i, j) = 0;
                    }
                  M(i, i) = row;
                }
            for (unsigned int i = 0; i < n; ++i)
              for (unsigned int j = 0; j < n; ++j)
                {
                  A(i, j) = M(i, j) + theta * dt * K(i, j);
                  B(i, j) = M(i, j) - (1 - theta) * dt * K(i, j);
                }
            cell->get_dof_indices(idx);
            constraints.distribute_local_to_global(A, idx, system_matrix);
            constraints.distribute_local_to_global(B, idx, rhs_matrix);
          }
      system_matrix.compress(VectorOperation::add);
      rhs_matrix.compress(VectorOperation::add);

      // PETSc KSP built once: the operator never changes, so the AMG hierarchy is set up once.
      PetscErrorCode ierr = KSPCreate(comm, &ksp);
      AssertThrow(ierr == 0, ExcPETScError(ierr));
      KSPSetOperators(ksp, system_matrix.petsc_matrix(), system_matrix.petsc_matrix());
      KSPSetType(ksp, KSPCG);
      PC pc;
      KSPGetPC(ksp, &pc);
      preconditioner = p.prm_preconditioner;
      if (preconditioner == "auto")
        {
          const double Dmax  = p.diffusivity(Point<3>()).norm(); // Frobenius norm >= largest eigenvalue
          const double ratio = theta * dt * Dmax / (mesh.h * mesh.h);
          preconditioner     = ratio < 2. ? "ILU" : "BoomerAMG";
        }
      if (preconditioner == "ILU")
        PCSetType(pc, PCBJACOBI); // sub-solver default: ILU(0) on each rank's block
      else if (preconditioner == "BoomerAMG")
        {
          PCSetType(pc, PCHYPRE);
          PCHYPRESetType(pc, "boomeramg");
        }
      else if (preconditioner == "Jacobi")
        PCSetType(pc, PCJACOBI);
      else
        PCSetType(pc, PCNONE);
      KSPSetTolerances(ksp, p.prm_rtol, 1e-50, PETSC_DEFAULT, p.prm_max_iterations);
      KSPSetInitialGuessNonzero(ksp, PETSC_TRUE);
      KSPSetOptionsPrefix(ksp, "ep_");
      KSPSetFromOptions(ksp);
      ierr = KSPSetUp(ksp);
      AssertThrow(ierr == 0, ExcPETScError(ierr));
    }

    void
    MonodomainSolver::setup_cells()
    {
      TimerOutput::Scope scope(timer, "ep / setup");
      const std::size_t  n_owned = owned.n_elements();
      std::map<types::global_dof_index, Point<3>> sp;
      DoFTools::map_dofs_to_support_points(*mapping, dof_handler, sp);
      points.resize(n_owned);
      const auto first = *owned.begin();
      for (const auto &[i, x] : sp)
        if (owned.is_element(i))
          points[i - first] = x;

      cells->setup(points, comm, pcout);
      v_buf.assign(n_owned, 0.);
      cells->get_V(v_buf.data());
      stim_mask.assign(n_owned, 0);
      for (std::size_t i = 0; i < n_owned; ++i)
        for (unsigned int s = 0; s < p.stimuli.size() && s < 8; ++s)
          if (p.stimuli[s].contains(points[i]))
            stim_mask[i] |= (1u << s);
      // boundary-tag regions: nodes of tagged boundary faces of owned and ghost cells
      {
        std::vector<types::global_dof_index> fidx(fe->n_dofs_per_face());
        for (const auto &cell : dof_handler.active_cell_iterators())
          if (cell->is_locally_owned() || cell->is_ghost())
            for (const auto f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                for (unsigned int s = 0; s < p.stimuli.size() && s < 8; ++s)
                  if (p.stimuli[s].region == "boundary" && cell->face(f)->boundary_id() == p.stimuli[s].boundary_id)
                    {
                      cell->face(f)->get_dof_indices(fidx);
                      for (const auto i : fidx)
                        if (owned.is_element(i))
                          stim_mask[i - first] |= (1u << s);
                    }
      }
      for (unsigned int s = 0; s < p.stimuli.size(); ++s)
        {
          unsigned long n_stim = 0;
          for (auto m : stim_mask)
            n_stim += (m >> s) & 1u;
          n_stim = Utilities::MPI::sum(n_stim, comm);
          input_check(n_stim > 0, ctx.deck_file + ": [" + p.stimuli[s].section + "/Region]",
                      "the stimulus region contains no mesh node; enlarge it or refine the mesh");
        }

      I_app.assign(n_owned, 0.);
      const double *v0 = v_buf.data();
      trackers.assign(n_owned, postprocess::ActivationTracker());
      for (std::size_t i = 0; i < n_owned; ++i)
        trackers[i].update(0., v0[i], p.prm_threshold);

      for (std::size_t i = 0; i < n_owned; ++i)
        V[first + i] = v0[i];
      V.compress(VectorOperation::insert);
      V_ghost = V;
    }

    void
    MonodomainSolver::setup_probes()
    {
      const unsigned int rank = Utilities::MPI::this_mpi_process(comm);
      for (unsigned int k = 0; k < p.prm_probes.size(); ++k)
        {
          Probe pr;
          pr.name              = p.prm_probe_names[k];
          pr.x                 = p.prm_probes[k];
          unsigned int owner   = numbers::invalid_unsigned_int;
          Point<3>     ref;
          try
            {
              const auto cp = GridTools::find_active_cell_around_point(*mapping, dof_handler, pr.x);
              if (cp.first.state() == IteratorState::valid && cp.first->is_locally_owned())
                {
                  owner   = rank;
                  pr.cell = cp.first;
                  ref     = cp.second;
                }
            }
          catch (...)
            {}
          const unsigned int min_owner = Utilities::MPI::min(owner, comm);
          input_check(min_owner != numbers::invalid_unsigned_int, ctx.deck_file + ": [Output/Probe points]",
                      "probe " + pr.name + " at (" + std::to_string(pr.x[0]) + ", " + std::to_string(pr.x[1]) +
                        ", " + std::to_string(pr.x[2]) + ") mm lies outside the mesh");
          pr.mine = (min_owner == rank);
          if (pr.mine)
            for (unsigned int i = 0; i < fe->n_dofs_per_cell(); ++i)
              pr.shape.push_back(fe->shape_value(i, ref));
          probes.push_back(pr);
        }
    }

    void
    MonodomainSolver::reaction_step(double t, double dt)
    {
      TimerOutput::Scope scope(timer, "ep / ionic update");
      const std::size_t  n     = v_buf.size();
      const auto         first = *owned.begin();
      cells->update_drug(t, pcout);
      // V from the diffusion step into the cell states
      for (std::size_t i = 0; i < n; ++i)
        v_buf[i] = V[first + i];
      cells->set_V(v_buf.data());
      const unsigned int nsub = p.prm_ode_substeps;
      const double       h    = dt / nsub;
      for (unsigned int k = 0; k < nsub; ++k)
        {
          const double t0  = t + k * h;
          bool         any = false;
          double       amp[8];
          for (unsigned int s = 0; s < p.stimuli.size() && s < 8; ++s)
            {
              // charge-conserving: the pulse's overlap with [t0, t0+h] as a mean current
              amp[s] = p.stimuli[s].active_fraction(t0, t0 + h) *
                       units::stimulus_per_capacitance(p.stimuli[s].strength, p.prm_chi, p.prm_cm);
              any = any || amp[s] != 0;
            }
          if (any)
            for (std::size_t i = 0; i < n; ++i)
              {
                double a = 0;
                if (stim_mask[i])
                  for (unsigned int s = 0; s < p.stimuli.size() && s < 8; ++s)
                    if (stim_mask[i] & (1u << s))
                      a += amp[s];
                I_app[i] = a;
              }
          cells->step(p.prm_ode_scheme, h, any ? I_app.data() : nullptr);
        }
      cells->get_V(v_buf.data());
      for (std::size_t i = 0; i < n; ++i)
        V[first + i] = v_buf[i];
      V.compress(VectorOperation::insert);
    }

    void
    MonodomainSolver::diffusion_step()
    {
      {
        TimerOutput::Scope scope(timer, "ep / assembly");
        rhs_matrix.vmult(rhs, V);
      }
      TimerOutput::Scope scope(timer, "ep / linear solve");
      KSPSolve(ksp, rhs, V);
      KSPConvergedReason reason;
      KSPGetConvergedReason(ksp, &reason);
      PetscInt its;
      KSPGetIterationNumber(ksp, &its);
      ksp_iterations += its;
      last_iterations = its;
      ++n_solves;
      if (reason < 0)
        throw std::runtime_error("the diffusion solve did not converge (PETSc KSP reason " +
                                 std::to_string(static_cast<int>(reason)) + " after " + std::to_string(its) +
                                 " iterations); try a smaller time step or other -ep_ksp/-ep_pc options");
    }

    void
    MonodomainSolver::track_activation(double t)
    {
      const auto first = *owned.begin();
      for (std::size_t i = 0; i < trackers.size(); ++i)
        trackers[i].update(t, V[first + i], p.prm_threshold);
    }

    void
    MonodomainSolver::check_finite(double t, const std::string &phase)
    {
      const auto        first = *owned.begin();
      long              bad   = -1;
      for (std::size_t i = 0; i < v_buf.size(); ++i)
        if (!std::isfinite(V[first + i]))
          {
            bad = static_cast<long>(i);
            break;
          }
      const int any = Utilities::MPI::max(bad >= 0 ? 1 : 0, comm);
      if (!any)
        return;
      const unsigned int rank  = Utilities::MPI::this_mpi_process(comm);
      const unsigned int owner = Utilities::MPI::min(bad >= 0 ? rank : numbers::invalid_unsigned_int, comm);
      Point<3>           x;
      if (rank == owner)
        x = points[bad];
      x = Utilities::MPI::broadcast(comm, x, owner);
      std::ostringstream msg;
      msg << "the membrane potential is not finite (NaN or Inf) after the " << phase << " at t = " << t
          << " ms, first at x = (" << x << ") mm. The run is stopped and no results are kept; reduce "
          << "the time step or check the ionic model parameters.";
      throw std::runtime_error(msg.str());
    }

    void
    MonodomainSolver::sample_probes(double t, bool record)
    {
      if (!p.prm_electrodes.empty() && !ecg)
        {
          if (!cell_D.empty())
            throw InputError(ctx.deck_file + ": [ECG] electrodes with [Tissue/Fibre field] = mesh are not supported "
                             "yet (the lead field needs a conductivity per point); remove the electrodes");
          // the pseudo-ECG's lead fields: sigma_i = D / k with D [mm^2/ms] and
          // k = units::monodomain_diffusivity_factor(chi, Cm) (S/m -> mm^2/ms)
          const double k = units::monodomain_diffusivity_factor(p.prm_chi, p.prm_cm);
          ecg            = std::make_unique<postprocess::PseudoEcg>(
            dof_handler, *mapping, *quadrature, p.prm_electrodes,
            [this](const Point<3> &x) { return p.diffusivity(x); }, p.prm_sigma_bath, 1. / k);
          for (const auto &w : ecg->warnings())
            pcout << "[ecg] warning: " << w << "\n";
          if (p.prm_leads.empty())
            for (const auto &e : p.prm_electrodes)
              leads.push_back(postprocess::PseudoEcg::lead_unipolar(p.prm_electrodes, e.name));
          else
            for (const auto &l : p.prm_leads)
              {
                const auto dash = l.find('-');
                try
                  {
                    leads.push_back(dash == std::string::npos ?
                                      postprocess::PseudoEcg::lead_unipolar(p.prm_electrodes, l) :
                                      postprocess::PseudoEcg::lead_difference(p.prm_electrodes, l.substr(0, dash),
                                                                              l.substr(dash + 1)));
                  }
                catch (const std::exception &e)
                  {
                    throw InputError(ctx.deck_file + ": [ECG/Leads] \"" + l + "\": " + e.what());
                  }
                leads.back().name = l;
              }
        }
      if (ecg && record)
        {
          const auto phi = ecg->compute(V);
          if (Utilities::MPI::this_mpi_process(comm) == 0)
            {
              std::vector<double> row{t};
              for (const auto &l : leads)
                row.push_back(l(phi));
              row.insert(row.end(), phi.begin(), phi.end());
              ecg_trace.push_back(row);
            }
        }
      if (probes.empty())
        return;
      std::vector<double>                  v(probes.size(), 0.);
      std::vector<types::global_dof_index> idx(fe->n_dofs_per_cell());
      for (unsigned int k = 0; k < probes.size(); ++k)
        if (probes[k].mine)
          {
            probes[k].cell->get_dof_indices(idx);
            for (unsigned int i = 0; i < idx.size(); ++i)
              v[k] += probes[k].shape[i] * V_ghost[idx[i]];
          }
      Utilities::MPI::sum(ArrayView<const double>(v), comm, ArrayView<double>(v));
      for (unsigned int k = 0; k < probes.size(); ++k)
        probes[k].tracker.update(t, v[k], p.prm_threshold);
      if (record && Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::vector<double> row{t};
          row.insert(row.end(), v.begin(), v.end());
          trace.push_back(row);
        }
    }

    /// Nodal array (owned DoFs) -> ghosted PETSc vector for output.
    void
    to_ghosted(const std::vector<double> &a, const IndexSet &owned, const IndexSet &relevant, MPI_Comm comm,
               PETScWrappers::MPI::Vector &out)
    {
      PETScWrappers::MPI::Vector tmp(owned, comm);
      const auto                 first = *owned.begin();
      for (std::size_t i = 0; i < a.size(); ++i)
        tmp[first + i] = a[i];
      tmp.compress(VectorOperation::insert);
      out.reinit(owned, relevant, comm);
      out = tmp;
    }

    void
    MonodomainSolver::output_fields(double t)
    {
      TimerOutput::Scope         scope(timer, "ep / output");
      PETScWrappers::MPI::Vector act, apd;
      std::vector<double>        a(trackers.size()), d(trackers.size());
      for (std::size_t i = 0; i < trackers.size(); ++i)
        {
          // -1 marks "not (yet) activated / repolarised" in the fields
          a[i] = std::isnan(trackers[i].t_first_act) ? -1. : trackers[i].t_first_act;
          d[i] = std::isnan(trackers[i].apd90) ? -1. : trackers[i].apd90;
        }
      to_ghosted(a, owned, relevant, comm, act);
      to_ghosted(d, owned, relevant, comm, apd);
      DataOut<3> data_out;
      data_out.attach_dof_handler(dof_handler);
      data_out.add_data_vector(V_ghost, "V");
      data_out.add_data_vector(act, "activation_time");
      data_out.add_data_vector(apd, "APD90");
      Vector<float> subdomain(mesh.tria->n_active_cells());
      for (auto &s : subdomain)
        s = mesh.tria->locally_owned_subdomain();
      data_out.add_data_vector(subdomain, "rank");
      PETScWrappers::MPI::Vector layer_field;
      if (cells->n_layers() > 1)
        {
          std::vector<double> lay(cells->layer_of_dofs().begin(), cells->layer_of_dofs().end());
          to_ghosted(lay, owned, relevant, comm, layer_field);
          data_out.add_data_vector(layer_field, "cell_layer");
        }
      data_out.build_patches(*mapping);
      DataOutBase::VtkFlags flags;
      flags.time              = t;
      flags.compression_level = DataOutBase::VtkFlags::best_speed;
      data_out.set_flags(flags);
      const unsigned int index = pvd.size();
      const std::string  name =
        data_out.write_vtu_with_pvtu_record(tmp_dir, "fields", index, comm, 4, 1);
      pvd.emplace_back(t, name);
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::ofstream out(tmp_dir + "fields.pvd");
          DataOutBase::write_pvd_record(out, pvd);
        }
    }

    /// Exact solution of the Manufactured cell model as a deal.II Function.
    class ExactV : public Function<3>
    {
    public:
      ExactV(const ionic::ManufacturedCell &m, double t)
        : Function<3>(1, t)
        , m(m)
      {}
      double value(const Point<3> &x, unsigned int) const override
      {
        const double xx[3] = {x[0], x[1], x[2]};
        return m.exact(xx, get_time());
      }

    private:
      const ionic::ManufacturedCell &m;
    };

    double
    MonodomainSolver::l2_error(double t)
    {
      const auto *m = dynamic_cast<const ionic::ManufacturedCell *>(model);
      Vector<float> cellwise(mesh.tria->n_active_cells());
      std::unique_ptr<Quadrature<3>> q;
      if (mesh.simplex)
        q = std::make_unique<QGaussSimplex<3>>(3);
      else
        q = std::make_unique<QGauss<3>>(3);
      VectorTools::integrate_difference(*mapping, dof_handler, V_ghost, ExactV(*m, t), cellwise, *q,
                                        VectorTools::L2_norm);
      return VectorTools::compute_global_error(*mesh.tria, cellwise, VectorTools::L2_norm);
    }

    void
    MonodomainSolver::run()
    {
      Timer wall_clock;
      wall_clock.start();
      ResultDirectory dir(p.prm_directory, comm);
      tmp_dir = dir.tmp();

      setup_system();
      if (p.prm_exact == "manufactured")
        {
          auto *m = dynamic_cast<ionic::ManufacturedCell *>(model);
          input_check(m != nullptr, ctx.deck_file + ": [Verification/Exact solution]",
                      "= manufactured needs [Ionic model/Model] = Manufactured");
          input_check(!p.prm_rotation, ctx.deck_file + ": [Tissue/Fibre field]",
                      "the manufactured solution needs a constant fibre field");
          const Tensor<2, 3> D = p.diffusivity();
          for (unsigned int i = 0; i < 3; ++i)
            for (unsigned int j = 0; j < 3; ++j)
              input_check(i == j || std::abs(D[i][j]) < 1e-14, ctx.deck_file + ": [Tissue/Fibre direction]",
                          "the manufactured solution needs fibres along a coordinate axis");
          m->set_diffusivity({{D[0][0], D[1][1], D[2][2]}});
        }
      assemble_matrices();
      setup_cells();
      setup_probes();

      n_steps                  = static_cast<unsigned int>(std::round(p.prm_end_time / p.prm_dt));
      const unsigned int field_every =
        p.prm_field_interval > 0 ? static_cast<unsigned int>(std::round(p.prm_field_interval / p.prm_dt)) : 0;
      const unsigned int trace_every =
        p.prm_trace_interval > 0 ? static_cast<unsigned int>(std::round(p.prm_trace_interval / p.prm_dt)) : 1;

      pcout << "OrganTwin " << version_string() << " (git " << git_hash() << ", " << build_type() << "), "
            << Utilities::MPI::n_mpi_processes(comm) << " MPI rank(s)\n"
            << "deck: " << ctx.deck_file << "\nmesh: " << mesh.description << ", "
            << mesh.tria->n_global_active_cells() << " cells, " << dof_handler.n_dofs() << " DoFs ("
            << (mesh.simplex ? "P1" : "Q1") << ")\n"
            << "model: " << model->name() << " (" << model->n_states() << " states, " << cells->n_layers()
            << " layer(s)), drug: " << cells->drug_description() << ", dt = " << p.prm_dt
            << " ms, " << n_steps << " steps, " << (p.prm_strang ? "Strang" : "Godunov") << " splitting, "
            << (p.prm_crank_nicolson ? "Crank-Nicolson" : "backward Euler") << " diffusion"
            << (p.prm_lumping ? ", lumped mass" : "") << "\n"
            << "results: " << dir.final_path() << std::endl;

      sample_probes(0., true);
      if (field_every > 0)
        output_fields(0.);
      if (p.prm_exact == "manufactured")
        errors.emplace_back(0., l2_error(0.));

      ProgressReporter progress(pcout, "ep", p.prm_end_time, p.prm_progress_interval);
      const double     dt = p.prm_dt;
      for (unsigned int step = 1; step <= n_steps; ++step)
        {
          const double t0 = (step - 1) * dt, t1 = step * dt;
          if (p.prm_strang)
            {
              reaction_step(t0, 0.5 * dt);
              check_finite(t0 + 0.5 * dt, "ionic update");
              diffusion_step();
              reaction_step(t0 + 0.5 * dt, 0.5 * dt);
            }
          else
            {
              reaction_step(t0, dt);
              check_finite(t1, "ionic update");
              diffusion_step();
            }
          check_finite(t1, "time step");
          track_activation(t1);
          V_ghost = V;
          sample_probes(t1, step % trace_every == 0);
          if (field_every > 0 && step % field_every == 0)
            output_fields(t1);
          if (p.prm_exact == "manufactured" && ((field_every > 0 && step % field_every == 0) || step == n_steps))
            if (errors.empty() || errors.back().first < t1)
              errors.emplace_back(t1, l2_error(t1));
          progress.update(t1, step, "ksp " + std::to_string(n_solves ? ksp_iterations / n_solves : 0));
          if (ctx.verbosity >= 2)
            pcout << "[ep] t= " << std::fixed << std::setprecision(3) << t1 << " ms step " << step << " ksp "
                  << last_iterations << std::defaultfloat << std::endl;
        }
      if (field_every == 0)
        output_fields(p.prm_end_time);
      wall_clock.stop();
      finish(dir, wall_clock.wall_time());
    }

    void
    MonodomainSolver::finish(ResultDirectory &dir, double wall)
    {
      const bool root = Utilities::MPI::this_mpi_process(comm) == 0;
      Json       ecg_json; // pseudo-ECG metrics of lead 1 (empty without electrodes)
      // global activation statistics
      double tmin = 1e300, tmax = -1e300;
      unsigned long n_unact = 0;
      for (const auto &tr : trackers)
        {
          const double t = tr.t_first_act;
          if (std::isnan(t))
            {
              ++n_unact;
              continue;
            }
          tmin = std::min(tmin, t);
          tmax = std::max(tmax, t);
        }
      double apd_min = 1e300, apd_max = -1e300, apd_sum = 0;
      unsigned long n_apd = 0;
      for (const auto &tr : trackers)
        if (!std::isnan(tr.apd90))
          {
            apd_min = std::min(apd_min, tr.apd90);
            apd_max = std::max(apd_max, tr.apd90);
            apd_sum += tr.apd90;
            ++n_apd;
          }
      apd_min = Utilities::MPI::min(apd_min, comm);
      apd_max = Utilities::MPI::max(apd_max, comm);
      apd_sum = Utilities::MPI::sum(apd_sum, comm);
      n_apd   = Utilities::MPI::sum(n_apd, comm);
      tmin    = Utilities::MPI::min(tmin, comm);
      tmax    = Utilities::MPI::max(tmax, comm);
      n_unact = Utilities::MPI::sum(n_unact, comm);

      const auto   times    = timer.get_summary_data(TimerOutput::total_wall_time);
      auto         get_time = [&](const std::string &k) { return times.count(k) ? times.at(k) : 0.; };
      const double n_dofs   = dof_handler.n_dofs();
      const double ranks    = Utilities::MPI::n_mpi_processes(comm);

      // activation_times.csv: position [mm] and first activation time [ms] of every node
      // ("nan": never activated); the input of the mechanics' Activation = file
      std::vector<double> act_flat;
      act_flat.reserve(4 * trackers.size());
      for (std::size_t i = 0; i < trackers.size(); ++i)
        act_flat.insert(act_flat.end(), {points[i][0], points[i][1], points[i][2], trackers[i].t_first_act});
      const auto act_all = Utilities::MPI::gather(comm, act_flat, 0);

      if (root)
        {
          {
            std::ostringstream a;
            a << "X_mm,Y_mm,Z_mm,t_act_ms\n" << std::setprecision(12);
            for (const auto &part : act_all)
              for (std::size_t k = 0; k + 4 <= part.size(); k += 4)
                a << part[k] << ',' << part[k + 1] << ',' << part[k + 2] << ','
                  << (std::isnan(part[k + 3]) ? std::string("nan") : std::to_string(part[k + 3])) << '\n';
            write_file_atomic(tmp_dir + "activation_times.csv", a.str());
          }
          // probe traces
          std::ostringstream csv;
          csv << "t_ms";
          for (const auto &pr : probes)
            csv << ",V_" << pr.name << "_mV";
          csv << "\n" << std::setprecision(12);
          for (const auto &row : trace)
            {
              for (std::size_t i = 0; i < row.size(); ++i)
                csv << (i ? "," : "") << row[i];
              csv << "\n";
            }
          write_file_atomic(tmp_dir + "probes.csv", csv.str());

          if (ecg)
            {
              std::ostringstream e;
              e << "t_ms";
              for (const auto &l : leads)
                e << "," << l.name << "_mV";
              for (const auto &el : p.prm_electrodes)
                e << ",phi_" << el.name << "_mV";
              e << "\n" << std::setprecision(10);
              for (const auto &row : ecg_trace)
                {
                  for (std::size_t i = 0; i < row.size(); ++i)
                    e << (i ? "," : "") << row[i];
                  e << "\n";
                }
              write_file_atomic(tmp_dir + "ecg.csv", e.str());
              // analyse lead 1 over the last stimulus cycle of the first stimulus
              const auto  &st    = p.stimuli.front();
              double       t_stim = st.start;
              const double cl     = st.period > 0. ? st.period : NAN;
              if (st.period > 0.)
                for (unsigned int k = 1; k < st.n_pulses; ++k)
                  if (st.start + k * st.period < p.prm_end_time - 1e-9)
                    t_stim = st.start + k * st.period;
              std::vector<double> et, ephi;
              for (const auto &row : ecg_trace)
                {
                  et.push_back(row[0]);
                  ephi.push_back(row[1]);
                }
              postprocess::EcgMetrics m;
              try
                {
                  // the QRS spans ventricular activation: slope gaps shorter than the
                  // activation spread (plus 5 ms) are bridged. No blanking: the stimulated
                  // region's depolarisation is part of the QRS, and the baseline (phi at
                  // the QRS onset) is then the resting level
                  postprocess::EcgOptions o;
                  o.qrs_merge_gap = std::max(o.qrs_merge_gap, (tmax - tmin) + 5.);
                  m               = postprocess::analyse_ecg(et, ephi, t_stim, cl, p.prm_end_time + 1., o);
                }
              catch (const std::exception &ex)
                {
                  m.reason = ex.what();
                }
              write_file_atomic(tmp_dir + "ecg_metrics.json", postprocess::to_json(m));
              ecg_json.set("lead", leads.front().name)
                .set("qrs_onset_ms", m.qrs_onset)
                .set("qrs_duration_ms", m.qrs_duration)
                .set("t_peak_ms", m.t_peak)
                .set("t_end_ms", m.t_end)
                .set("qt_ms", m.qt)
                .set("qtc_bazett_ms", m.qtc_bazett)
                .set("qtc_fridericia_ms", m.qtc_fridericia)
                .set("t_amplitude_mV", m.t_amplitude)
                .set("t_wave", m.polarity_name())
                .set("analysis_note", m.reason);
            }

          Json act;
          for (const auto &pr : probes)
            act.set(pr.name, pr.tracker.t_first_act); // NaN (JSON null) if never activated
          Json timing;
          for (const auto &[k, v] : times)
            timing.set(k, v);
          timing.set("total", wall);
          const double ionic_cost = get_time("ep / ionic update") * ranks / (n_dofs * n_steps);
          const double solve_cost = get_time("ep / linear solve") * ranks / (n_dofs * n_steps);
          Json         cost;
          cost.set("ionic_update_s_per_dof_step_x_ranks", ionic_cost);
          cost.set("linear_solve_s_per_dof_step_x_ranks", solve_cost);
          Json s;
          s.set("organtwin_version", version_string())
            .set("git_hash", git_hash())
            .set("build_type", build_type())
            .set("deck", ctx.deck_file)
            .set("mpi_ranks", static_cast<int>(ranks))
            .set("mesh", mesh.description)
            .set("cells", static_cast<unsigned long>(mesh.tria->n_global_active_cells()))
            .set("dofs", static_cast<unsigned long>(n_dofs))
            .set("element", mesh.simplex ? "P1" : "Q1")
            .set("ionic_model", model->name())
            .set("ecg", ecg_json)
            .set("drug", cells->drug_description())
            .set("drug_concentration_nM_at_end", cells->concentration_nM())
            .set("time_step_ms", p.prm_dt)
            .set("steps", static_cast<unsigned long>(n_steps))
            .set("splitting", p.prm_strang ? "Strang" : "Godunov")
            .set("diffusion_scheme", p.prm_crank_nicolson ? "CrankNicolson" : "BackwardEuler")
            .set("mass_lumping", p.prm_lumping)
            .set("activation_times_ms", act)
            .set("first_activation_ms", tmin < 1e299 ? tmin : std::numeric_limits<double>::quiet_NaN())
            .set("last_activation_ms", tmax > -1e299 ? tmax : std::numeric_limits<double>::quiet_NaN())
            .set("total_activation_time_ms", tmax > -1e299 ? tmax - tmin : std::numeric_limits<double>::quiet_NaN())
            .set("nodes_not_activated", n_unact)
            .set("apd90_min_ms", n_apd ? apd_min : std::numeric_limits<double>::quiet_NaN())
            .set("apd90_mean_ms", n_apd ? apd_sum / n_apd : std::numeric_limits<double>::quiet_NaN())
            .set("apd90_max_ms", n_apd ? apd_max : std::numeric_limits<double>::quiet_NaN())
            .set("nodes_repolarised", n_apd)
            .set("mean_ksp_iterations", n_solves ? double(ksp_iterations) / n_solves : 0.)
            .set("preconditioner", preconditioner)
            .set("wall_time_s", timing)
            .set("cost", cost);
          if (!errors.empty())
            {
              std::vector<double> te, ee;
              for (const auto &[t, e] : errors)
                te.push_back(t), ee.push_back(e);
              s.set("l2_error_times_ms", te).set("l2_errors", ee).set("l2_error_final", ee.back());
            }
          write_file_atomic(tmp_dir + "summary.json", s.str() + "\n");
        }
      if (root)
        {
          std::ostringstream tt;
          tt << "phase, wall time [s]\n";
          for (const auto &[k, v] : times)
            tt << k << ", " << v << "\n";
          tt << "total, " << wall << "\n";
          write_file_atomic(tmp_dir + "timings.txt", tt.str());
        }
      if (root)
        write_file_atomic(tmp_dir + "used_parameters.prm", used_parameters);
      dir.commit();
      pcout << "\nwall time " << std::fixed << std::setprecision(2) << wall << " s:";
      for (const auto &[k, v] : times)
        pcout << "  " << k << " " << v << " s;";
      if (tmax > -1e299)
        pcout << "\nactivation: first " << tmin << " ms, last " << tmax << " ms, " << n_unact
              << " nodes not activated";
      else
        pcout << "\nactivation: no node reached the activation threshold";
      for (const auto &pr : probes)
        pcout << "\n  " << pr.name << " (" << pr.x << ") "
              << (pr.tracker.activated() ? "activated at " + std::to_string(pr.tracker.t_first_act) + " ms"
                                         : std::string("not activated"));
      if (!errors.empty())
        pcout << "\nL2 error at t = " << errors.back().first << " ms: " << std::scientific << errors.back().second;
      pcout << "\nresults in " << dir.final_path() << " (summary.json, probes.csv, fields.pvd)" << std::endl;
    }
  } // namespace

  void
  MonodomainCase::declare_parameters(ParameterHandler &prm)
  {
    Parameters::declare(prm);
  }

  void
  MonodomainCase::run(ParameterHandler &prm, const RunContext &ctx)
  {
    Parameters p;
    p.parse(prm, ctx.deck_file);
    std::unique_ptr<ionic::IonicModel> model;
    try
      {
        model = ionic::create_ionic_model(prm);
      }
    catch (const std::invalid_argument &e)
      {
        throw InputError(ctx.deck_file + ": [Ionic model/Model]: " + e.what());
      }
    catch (const InputError &e)
      {
        throw InputError(ctx.deck_file + ": " + e.what());
      }
    std::unique_ptr<TissueCells> cells;
    try
      {
        cells = std::make_unique<TissueCells>(std::move(model), prm, ctx.deck_file);
      }
    catch (const std::invalid_argument &e)
      {
        throw InputError(ctx.deck_file + ": " + e.what());
      }
    MonodomainSolver   solver(p, std::move(cells), ctx);
    std::ostringstream used;
    prm.print_parameters(used, ParameterHandler::OutputStyle(ParameterHandler::PRM |
                                                             ParameterHandler::KeepDeclarationOrder));
    solver.used_parameters = used.str();
    solver.run();
  }

  OT_REGISTER(Case, "monodomain", MonodomainCase, "monodomain tissue electrophysiology")
} // namespace organtwin::ep
