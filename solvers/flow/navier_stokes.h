#pragma once
// Incompressible Navier-Stokes (Taylor-Hood Q2-Q1 on hexahedra/quadrilaterals, P2-P1 on
// simplices, or stabilised equal-order Q1-Q1 / P1-P1 with SUPG/PSPG/LSIC), steady (Newton) or transient (BDF1/BDF2/BDF3 or Crank-Nicolson fixed step, or adaptive BDF2; Newton or semi-implicit
// linearisation), on distributed meshes with Trilinos block matrices. Theory and deck:
// docs/theory/navier_stokes.md, docs/flow_user_guide.md.
//
// Flow unit system: length mm, time ms, mass mg, so velocity mm/ms (= m/s), pressure and
// stress kPa, density mg/mm^3 (= g/cm^3), dynamic viscosity kPa ms (= Pa s), flow rate
// mm^3/ms (= mL/s). Benchmarks given in nondimensional units (DFG) run unchanged.

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <physics/fluids/blood_rheology.h>
#include <solvers/flow/waveform.h>

#include <map>
#include <string>
#include <vector>

namespace organtwin::flow
{
  enum class InflowProfile
  {
    parabolic,
    plug,
    womersley,
    duct
  };
  /// When the Newton Jacobian is re-assembled and re-factorised (solvers/flow/navier_stokes.cc,
  /// solve_step): every iteration (Newton), every step (chord within a step), lagged (chord
  /// across steps, refreshed on slow contraction or a change of the BDF coefficient).
  enum class JacobianUpdate
  {
    every_iteration,
    every_step,
    lagged
  };
  enum class OutletModel
  {
    traction,
    resistance,
    rcr
  };

  /// Every entry of a navier_stokes deck, read and checked before any mesh is built.
  struct FlowParameters
  {
    static void declare_parameters(dealii::ParameterHandler &prm);
    /// deck: file name for messages. Throws InputError naming the entry.
    void parse_parameters(dealii::ParameterHandler &prm, const std::string &deck);

    std::string deck = "<deck>";
    // Mesh
    unsigned int        dim = 2;
    std::string         prm_mesh_source; // channel_with_cylinder | rectangle | pipe | file
    std::string         prm_element_type;
    bool                prm_equal_order = false; // Q1-Q1 / P1-P1 with SUPG/PSPG/LSIC
    unsigned int        prm_refinements = 0;
    std::vector<double> prm_lower, prm_upper;
    std::vector<unsigned int> prm_subdivisions;
    double              prm_pipe_radius = 1, prm_pipe_length = 10;
    unsigned int        prm_pipe_subdivisions = 4;
    std::string         prm_mesh_file;
    struct StentedChannel
    {
      double       width = 3, length = 14, thickness = 0.08, strut_width = 0.1, spacing = 1, start = 3;
      double       h_fine = 0.025, h_coarse = 0.1, wall_layer = 0.3;
      unsigned int count = 4;
    } stent; ///< [mm]
    double              prm_unit_to_mm = 1;
    // Fluid
    double                         prm_density = 1;
    fluids::Rheology               rheology;
    bool                           prm_symmetric_viscous = true;
    // Boundary conditions (boundary ids)
    std::vector<unsigned int> prm_no_slip, prm_inflow, prm_outlets;
    InflowProfile             prm_profile = InflowProfile::parabolic;
    Waveform                  prm_waveform = Waveform::constant(0.);
    unsigned int              prm_harmonics = 10;
    double                    prm_ramp_time = 0;
    OutletModel               prm_outlet_model = OutletModel::traction;
    std::vector<double>       prm_outlet_pressure, prm_resistance, prm_rcr_rp, prm_rcr_c, prm_rcr_rd, prm_rcr_p0;
    double                    prm_backflow_beta = 0.2;
    // Time
    bool         prm_steady = true;
    unsigned int prm_bdf_order = 2; // 1..3 (BDF3: fixed step, Newton only)
    bool         prm_crank_nicolson = false; // Scheme = CN (fixed step, Newton, traction outlets)
    bool         prm_newton = true; // false: semi-implicit (extrapolated convection)
    double       prm_dt = 1, prm_end_time = 1;
    double       prm_max_cfl = 0; // 0 = no CFL check
    std::vector<double> prm_refine_at; // [ms] global refinement (with solution transfer) times
    bool         prm_adaptive = false;       // variable-step BDF2 with local error control
    double       prm_time_tol = 1e-3;        // [1] relative local error per step (velocity, l2)
    double       prm_dt_min = 0, prm_dt_max = 0; // [ms] step bounds of the adaptive scheme
    // Nonlinear / linear solver
    double       prm_newton_tol = 1e-10;
    unsigned int prm_newton_max = 15;
    JacobianUpdate prm_jacobian_update = JacobianUpdate::every_iteration;
    // Steady globalisation (Mode = steady only; docs/theory/navier_stokes.md, "Steady nonlinear solve")
    unsigned int prm_picard_iterations = 0;   // Picard (Oseen) iterations before Newton
    double       prm_picard_switch     = 0;   // [1] hand over to Newton once |r|/|r0| <= this
    bool         prm_line_search       = true; // backtracking (Armijo) on |r|_2
    double       prm_min_step          = 1. / 64; // [1] smallest step length of the line search
    unsigned int prm_continuation_steps = 1;  // inflow ramp k/n, k = 1..n
    bool         prm_direct = true;
    std::string  prm_direct_package = "Amesos_Mumps";
    double       prm_linear_rtol = 1e-8;
    unsigned int prm_linear_max = 500;
    // Derived quantities
    std::vector<unsigned int>    prm_force_tags, prm_flux_tags, prm_wall_tags;
    double                       prm_ref_velocity = 1, prm_ref_area = 1;
    std::vector<dealii::Point<3>> prm_pressure_points;
    double                       prm_cycle_period = 0, prm_averaging_start = 0, prm_low_tawss_pa = 0.4;
    // Verification
    std::string prm_exact = "none"; // none | kovasznay | womersley
    // Output
    std::string  prm_directory;
    unsigned int prm_field_interval = 0;
    double       prm_progress_interval = 10;
  };

  /// Run a parsed deck on comm (collective); writes prm_directory. ctx verbosity 0..2.
  template <int dim>
  void run_navier_stokes(const FlowParameters &p, MPI_Comm comm, int verbosity, const std::string &used_parameters);
} // namespace organtwin::flow
