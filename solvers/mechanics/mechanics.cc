#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/base/utilities.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/vector_tools.h>

#include <meshes/mesh.h>
#include <meshes/mesh_fibres.h>
#include <physics/materials/material.h>
#include <solvers/common/directions.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/version.h>
#include <solvers/mechanics/activation_times.h>
#include <solvers/mechanics/calcium_drive.h>
#include <solvers/mechanics/circulation.h>
#include <solvers/mechanics/land_ellipsoid.h>
#include <solvers/mechanics/mechanics.h>
#include <physics/ionic/ionic_model.h>

#include <petscksp.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iomanip>
#include <set>
#include <sstream>
#include <tuple>

namespace organtwin::mechanics
{
  using namespace dealii;

  namespace
  {
    /// "(x, y, z) mm" for messages
    std::string
    in_mm(const Point<3> &x)
    {
      std::ostringstream o;
      o << "(" << x[0] << ", " << x[1] << ", " << x[2] << ") mm";
      return o.str();
    }

    /// a number in the shortest form ("100", "0.25") for messages
    std::string
    shortest(const double v)
    {
      std::ostringstream o;
      o << v;
      return o.str();
    }

    std::vector<types::boundary_id>
    parse_ids(const std::string &s, const std::string &where)
    {
      std::vector<types::boundary_id> ids;
      for (const auto &w : Utilities::split_string_list(s, ','))
        {
          int v = -1;
          try
            {
              size_t pos = 0;
              v          = std::stoi(w, &pos);
              if (pos != w.size())
                v = -1;
            }
          catch (...)
            {}
          input_check(v >= 0 && v < 255, where, "\"" + w + "\" is not a boundary id (expected integers 0..254, "
                                                            "separated by commas)");
          ids.push_back(static_cast<types::boundary_id>(v));
        }
      return ids;
    }

    /// All parameters of a mechanics run, read and checked before the mesh is made.
    struct Parameters
    {
      meshes::MeshParameters mesh;
      std::string            prm_geometry;
      unsigned int           prm_ellipsoid_refinements;
      unsigned int           prm_degree;
      bool                   prm_mixed = false; ///< Incompressibility = mixed (u-p, Taylor-Hood)
      std::string            prm_fibre_field;
      meshes::FibreParameters fibres; ///< [Fibres] LDRB entries (Field = mesh without stored fibres)
      Tensor<1, 3>           prm_fibre, prm_sheet;
      double                 prm_helix_endo, prm_helix_epi;
      std::vector<std::pair<types::boundary_id, std::array<bool, 3>>> fixed;
      std::vector<types::boundary_id>                                 pressure_ids, spring_ids;
      double                                                          prm_pressure, prm_spring, prm_tension;
      unsigned int prm_load_steps, prm_max_cuts;
      double       prm_newton_rtol, prm_newton_atol;
      unsigned int prm_newton_max;
      bool         prm_line_search;
      std::string  prm_linear;
      double       prm_linear_rtol;
      unsigned int prm_linear_max;
      std::string  prm_directory, prm_fields;
      std::vector<Point<3>>    prm_probes;
      std::vector<std::string> prm_probe_names;
      std::string              prm_exact;
      double                   prm_mms_amplitude;
      int                      prm_section_axis = -1;
      double                   prm_section_value = 0;
      // beat mode
      std::string  prm_mode;
      double       prm_dt, prm_cycle_length;
      unsigned int prm_beats;
      Twitch       twitch;
      std::string  prm_activation;
      double       prm_activation_z0, prm_activation_velocity;
      std::string  prm_activation_file;
      double       prm_static_time = -1;
      ActivationTimes activation_times; ///< Activation = file
      CalciumDrivenTension calcium_tension; ///< Active stress/Model = Land2017
      Windkessel   windkessel;
      double       prm_base_z;
      bool         prm_plot;

      static void
      declare(ParameterHandler &prm)
      {
        meshes::MeshParameters::declare_parameters(prm);
        prm.enter_subsection("Geometry");
        prm.declare_entry("Source", "mesh", Patterns::Selection("mesh|Land ellipsoid"),
                          "mesh: the Mesh section (box or Gmsh file); Land ellipsoid: the truncated ellipsoid of "
                          "Land et al. 2015 (endo 7/17 mm, epi 10/20 mm, base z = 5 mm), in-code hexahedra, "
                          "boundary ids 0 endo, 1 epi, 2 base");
        prm.declare_entry("Ellipsoid refinements", "2", Patterns::Integer(0, 6),
                          "Land ellipsoid: global refinements of the 5-cell coarse mesh (2^n cells through the wall)");
        prm.leave_subsection();

        prm.enter_subsection("Discretisation");
        prm.declare_entry("Degree", "1", Patterns::Integer(1, 2), "polynomial degree of the displacement (Q1/Q2 "
                                                                 "hexahedra, P1/P2 tetrahedra)");
        prm.declare_entry("Incompressibility", "penalty", Patterns::Selection("penalty|mixed"),
                          "penalty: displacement only, volumetric penalty kappa/4 (J^2 - 1 - 2 ln J); mixed: "
                          "displacement-pressure (Taylor-Hood Q2-Q1 / P2-P1, needs Degree = 2 and the direct "
                          "solver), perturbed Lagrangian p (J - 1) - p^2/(2 kappa) with kappa = [Material/Bulk "
                          "modulus] (large kappa: incompressible)");
        prm.leave_subsection();

        materials::declare_material_parameters(prm, "Guccione");
        // the cell whose calcium transient drives Active stress/Model = Land2017
        ionic::declare_ionic_model_parameters(prm, ionic::IonicRegistry::has("ORd") ? "ORd" : "TTP06");

        // the LDRB entries of meshes/fibres.h (Method, angles, tags); the helix angles are
        // declared again below with the mechanics defaults and shared by both rules
        meshes::FibreParameters::declare_parameters(prm);
        prm.enter_subsection("Fibres");
        prm.declare_entry("Field", "constant", Patterns::Selection("constant|Land ellipsoid|mesh|none"),
                          "constant: f and s as given; Land ellipsoid: helix angle linear in the prolate "
                          "transmural coordinate t from endo to epi (f = cos(a) e_circ + sin(a) e_long, s = wall "
                          "normal), on Geometry = Land ellipsoid or on the meshes/ generator land_lv; mesh: per "
                          "cell f and s stored with the mesh (prepared .otmesh), else LDRB fibres computed here "
                          "(Method = ldrb, tags and angles below; the frame is evaluated at each quadrature point "
                          "from the interpolated Laplace coordinates); none: no fibres (only for isotropic "
                          "materials)");
        prm.declare_entry("Fibre direction", "1,0,0", Patterns::Anything(), "[1] constant f (normalised)");
        prm.declare_entry("Sheet direction", "0,1,0", Patterns::Anything(), "[1] constant s, orthogonal to f");
        prm.declare_entry("Helix angle endo", "90", Patterns::Double(-90, 90),
                          "[deg] helix angle at the endocardium (Land ellipsoid: t = 0; ldrb: alpha_endo)");
        prm.declare_entry("Helix angle epi", "-90", Patterns::Double(-90, 90),
                          "[deg] helix angle at the epicardium (Land ellipsoid: t = 1; ldrb: alpha_epi)");
        prm.leave_subsection();

        prm.enter_subsection("Boundary conditions");
        prm.declare_entry("Fixed", "", Patterns::Anything(),
                          "zero displacement: 'id:components' separated by ';', components from x, y, z "
                          "(e.g. '0:xyz; 4:z'). Box ids: 0/1 x min/max, 2/3 y, 4/5 z");
        prm.declare_entry("Pressure boundaries", "", Patterns::Anything(),
                          "comma-separated boundary ids loaded by the follower pressure");
        prm.declare_entry("Pressure", "0", Patterns::Double(),
                          "[kPa] follower pressure at load 1 (positive pushes against the surface: traction "
                          "-p J F^-T N)");
        prm.declare_entry("Spring boundaries", "", Patterns::Anything(),
                          "comma-separated boundary ids with Robin springs (traction -k u, pericardium-like)");
        prm.declare_entry("Spring stiffness", "0", Patterns::Double(0.), "[kPa/mm] k of the Robin springs");
        prm.leave_subsection();

        prm.enter_subsection("Active stress");
        CalciumDrivenTension::declare(prm);
        prm.declare_entry("Tension", "0", Patterns::Double(0.),
                          "[kPa] active tension T_a at load 1 (static) or peak of the twitch T_max (beat); adds "
                          "S_a = T_a f0 (x) f0 (Land 2015)");
        prm.declare_entry("Twitch contraction time", "40", Patterns::Double(1e-6),
                          "[ms] beat: tau_c of T_a(s) = T_max tanh^2(s/tau_c) tanh^2((d-s)/tau_r), 0 < s < d");
        prm.declare_entry("Twitch relaxation time", "110", Patterns::Double(1e-6), "[ms] beat: tau_r");
        prm.declare_entry("Twitch duration", "400", Patterns::Double(1e-6), "[ms] beat: d (T_a = 0 after)");
        prm.declare_entry("Activation", "uniform", Patterns::Selection("uniform|planar wave|file"),
                          "activation time t_act of each point (T_a = twitch(t - t_act)): uniform (0); planar wave "
                          "along z, t_act = max(0, (Z - z0)/v) (apex-to-base); file: the activation_times.csv of a "
                          "monodomain run (electromechanics; nodal values on the same mesh, inverse-distance "
                          "interpolation otherwise)");
        prm.declare_entry("Activation times file", "", Patterns::Anything(),
                          "Activation = file: CSV X_mm,Y_mm,Z_mm,t_act_ms (path relative to the working directory)");
        prm.declare_entry("Static time", "-1", Patterns::Double(),
                          "[ms] static mode: if >= 0, T_a = twitch(t - t_act) at this time t (a snapshot of the "
                          "activation pattern, no circulation); < 0: T_a = Tension everywhere");
        prm.declare_entry("Activation origin z", "-20", Patterns::Double(), "[mm] z0 of the planar wave");
        prm.declare_entry("Activation velocity", "0.5", Patterns::Double(1e-9), "[mm/ms] v of the planar wave");
        prm.leave_subsection();

        prm.enter_subsection("Time");
        prm.declare_entry("Mode", "static", Patterns::Selection("static|beat"),
                          "static: load stepping to the deck loads; beat: heart beats with the twitch and the "
                          "Windkessel (cavity = Pressure boundaries, four phases)");
        prm.declare_entry("Time step", "5", Patterns::Double(1e-9), "[ms] beat only");
        prm.declare_entry("Cycle length", "800", Patterns::Double(1e-9), "[ms] beat only");
        prm.declare_entry("Beats", "3", Patterns::Integer(1, 1000), "beat only");
        prm.leave_subsection();

        prm.enter_subsection("Circulation");
        prm.declare_entry("Windkessel elements", "3", Patterns::Integer(2, 3),
                          "2: R_p and C; 3: Z_c in series with (R_p || C)");
        prm.declare_entry("Peripheral resistance", "20", Patterns::Double(1e-9), "[mmHg s/mL] R_p");
        prm.declare_entry("Compliance", "0.025", Patterns::Double(1e-12), "[mL/mmHg] C");
        prm.declare_entry("Characteristic impedance", "1", Patterns::Double(0.), "[mmHg s/mL] Z_c (3 elements)");
        prm.declare_entry("Preload pressure", "8", Patterns::Double(0.),
                          "[mmHg] filling (left atrial) pressure; the cavity is inflated to it before the first "
                          "beat");
        prm.declare_entry("Initial arterial pressure", "80", Patterns::Double(0.), "[mmHg]");
        prm.declare_entry("Base plane z", "5", Patterns::Double(),
                          "[mm] the cavity is closed by the plane z = this value (the base is fixed in it); "
                          "volume V = -int_endo (z - z_b) (J F^-T N)_z dA");
        prm.declare_entry("Plot", "true", Patterns::Bool(), "write pv_loop.png (python3 + matplotlib)");
        prm.leave_subsection();

        prm.enter_subsection("Load stepping");
        prm.declare_entry("Steps", "10", Patterns::Integer(1, 100000),
                          "number of equal load increments from 0 to 1 (pressure, tension, body force)");
        prm.declare_entry("Max cuts", "6", Patterns::Integer(0, 30),
                          "a failed increment (Newton divergence or inverted element) is halved and retried "
                          "at most this many times in a row; then the run fails with the load level reached");
        prm.leave_subsection();

        prm.enter_subsection("Newton");
        prm.declare_entry("Relative tolerance", "1e-9", Patterns::Double(0., 1.),
                          "[1] residual 2-norm relative to the first residual of the load step");
        prm.declare_entry("Absolute tolerance", "1e-12", Patterns::Double(0.), "[mN] residual 2-norm");
        prm.declare_entry("Max iterations", "25", Patterns::Integer(1, 1000), "per load step");
        prm.declare_entry("Line search", "true", Patterns::Bool(),
                          "backtracking (halving, at most 6 times) until the residual norm decreases");
        prm.leave_subsection();

        prm.enter_subsection("Linear solver");
        prm.declare_entry("Type", "direct", Patterns::Selection("direct|iterative"),
                          "direct: MUMPS LU; iterative: GMRES + hypre BoomerAMG. PETSc options with prefix "
                          "mech_ override (--petsc \"-mech_ksp_type bcgs\")");
        prm.declare_entry("Relative tolerance", "1e-10", Patterns::Double(1e-16, 1.), "iterative only");
        prm.declare_entry("Max iterations", "2000", Patterns::Integer(1), "iterative only");
        prm.leave_subsection();

        prm.enter_subsection("Output");
        prm.declare_entry("Directory", "results/mechanics", Patterns::Anything(),
                          "result folder (written as <dir>.partial-<pid>, renamed when the run succeeds)");
        prm.declare_entry("Fields", "final", Patterns::Selection("none|final|every step"),
                          "PVD/PVTU output of displacement, J, Green-Lagrange E_ff/E_ss/E_nn and Cauchy fibre "
                          "stress");
        prm.declare_entry("Probe points", "", Patterns::Anything(),
                          "[mm] reference points x,y,z separated by ';'; the nearest mesh node is reported "
                          "(reference and deformed position) in probes.csv and summary.json");
        prm.declare_entry("Probe names", "", Patterns::Anything(), "comma-separated names (optional)");
        prm.declare_entry("Section", "", Patterns::Anything(),
                          "'axis,value' (e.g. 'y,0'): write the reference and deformed positions of the nodes on "
                          "the plane X_axis = value [mm] to section.csv (for plots of the deformed shape); empty: none");
        prm.leave_subsection();

        prm.enter_subsection("Verification");
        prm.declare_entry("Exact solution", "none", Patterns::Selection("none|manufactured"),
                          "manufactured: u_x = A sin(pi y) cos(pi z)(1+x), u_y = A sin(pi z) cos(pi x)(1+y), "
                          "u_z = A sin(pi x) cos(pi y)(1+z); body force -Div P(u) (central differences of P, "
                          "h = 1e-4 mm), u = exact on every boundary (ids of 'Fixed' ignored), L2/H1 errors reported");
        prm.declare_entry("Amplitude", "0.05", Patterns::Double(0.), "[mm] A of the manufactured solution");
        prm.leave_subsection();
      }

      void
      parse(ParameterHandler &prm, const std::string &deck)
      {
        prm.enter_subsection("Geometry");
        prm_geometry              = prm.get("Source");
        prm_ellipsoid_refinements = prm.get_integer("Ellipsoid refinements");
        prm.leave_subsection();
        if (prm_geometry == "mesh")
          mesh.parse_parameters(prm, deck);
        prm.enter_subsection("Discretisation");
        prm_degree = prm.get_integer("Degree");
        prm_mixed  = prm.get("Incompressibility") == "mixed";
        prm.leave_subsection();
        input_check(!prm_mixed || prm_degree == 2, deck + ": [Discretisation/Degree] = " + std::to_string(prm_degree),
                    "must be 2 with Incompressibility = mixed (Taylor-Hood Q2-Q1 / P2-P1; equal-order u-p is "
                    "not inf-sup stable)");

        prm.enter_subsection("Fibres");
        prm_fibre_field = prm.get("Field");
        prm_fibre       = parse_direction(prm.get("Fibre direction"), deck + ": [Fibres/Fibre direction]");
        prm_sheet       = parse_direction(prm.get("Sheet direction"), deck + ": [Fibres/Sheet direction]");
        prm_helix_endo  = prm.get_double("Helix angle endo") * M_PI / 180.;
        prm_helix_epi   = prm.get_double("Helix angle epi") * M_PI / 180.;
        prm.leave_subsection();
        fibres.parse_parameters(prm, deck);
        if (prm_fibre_field == "constant")
          input_check(std::abs(prm_fibre * prm_sheet) < 1e-6, deck + ": [Fibres/Sheet direction]",
                      "must be orthogonal to the fibre direction");
        if (prm_fibre_field == "Land ellipsoid")
          input_check(prm_geometry == "Land ellipsoid" ||
                        (mesh.prm_source == "generator" && mesh.prm_generator == "land_lv"),
                      deck + ": [Fibres/Field] = Land ellipsoid",
                      "needs [Geometry/Source] = Land ellipsoid or [Mesh] Source = generator with Generator = "
                      "land_lv");
        if (prm_fibre_field == "mesh")
          input_check(prm_geometry == "mesh", deck + ": [Fibres/Field] = mesh",
                      "needs [Geometry/Source] = mesh (the in-code Land ellipsoid has no stored fibres; use "
                      "Field = Land ellipsoid there)");

        prm.enter_subsection("Boundary conditions");
        for (const auto &item : Utilities::split_string_list(prm.get("Fixed"), ';'))
          {
            const auto parts = Utilities::split_string_list(item, ':');
            const std::string where = deck + ": [Boundary conditions/Fixed] item \"" + item + "\"";
            input_check(parts.size() == 2 && !parts[1].empty(), where, "expected 'id:components', e.g. '0:xyz'");
            const auto id = parse_ids(parts[0], where);
            input_check(id.size() == 1, where, "expected one boundary id before ':'");
            std::array<bool, 3> c = {{false, false, false}};
            for (char ch : parts[1])
              {
                input_check(ch == 'x' || ch == 'y' || ch == 'z', where, "components must be x, y or z");
                c[ch - 'x'] = true;
              }
            fixed.emplace_back(id[0], c);
          }
        pressure_ids = parse_ids(prm.get("Pressure boundaries"), deck + ": [Boundary conditions/Pressure boundaries]");
        spring_ids   = parse_ids(prm.get("Spring boundaries"), deck + ": [Boundary conditions/Spring boundaries]");
        prm_pressure = prm.get_double("Pressure");
        prm_spring   = prm.get_double("Spring stiffness");
        prm.leave_subsection();
        input_check(prm_pressure == 0 || !pressure_ids.empty(), deck + ": [Boundary conditions/Pressure]",
                    "a non-zero pressure needs [Boundary conditions/Pressure boundaries]");
        input_check(prm_spring == 0 || !spring_ids.empty(), deck + ": [Boundary conditions/Spring stiffness]",
                    "springs need [Boundary conditions/Spring boundaries]");

        prm.enter_subsection("Active stress");
        prm_tension             = prm.get_double("Tension");
        twitch.T_max            = prm_tension;
        twitch.tau_c            = prm.get_double("Twitch contraction time");
        twitch.tau_r            = prm.get_double("Twitch relaxation time");
        twitch.duration         = prm.get_double("Twitch duration");
        prm_activation          = prm.get("Activation");
        prm_activation_z0       = prm.get_double("Activation origin z");
        prm_activation_velocity = prm.get_double("Activation velocity");
        prm_activation_file     = prm.get("Activation times file");
        prm_static_time         = prm.get_double("Static time");
        calcium_tension.parse(prm, deck + ": [Active stress/");
        if (prm_activation == "file")
          {
            input_check(!prm_activation_file.empty(), deck + ": [Active stress/Activation times file]",
                        "is needed with Activation = file");
            activation_times.read(prm_activation_file, deck + ": [Active stress/Activation times file]");
          }
        prm.leave_subsection();
        prm.enter_subsection("Time");
        prm_mode         = prm.get("Mode");
        prm_dt           = prm.get_double("Time step");
        prm_cycle_length = prm.get_double("Cycle length");
        prm_beats        = prm.get_integer("Beats");
        prm.leave_subsection();
        prm.enter_subsection("Circulation");
        windkessel.elements  = prm.get_integer("Windkessel elements");
        // mmHg s/mL -> kPa ms/mm^3: * kPa_per_mmHg * 1000 ms/s / 1000 mm^3/mL
        windkessel.R_p       = prm.get_double("Peripheral resistance") * kPa_per_mmHg;
        windkessel.Z_c       = prm.get_double("Characteristic impedance") * kPa_per_mmHg;
        windkessel.C         = prm.get_double("Compliance") * mm3_per_mL / kPa_per_mmHg;
        windkessel.p_preload = prm.get_double("Preload pressure") * kPa_per_mmHg;
        windkessel.p_ar      = prm.get_double("Initial arterial pressure") * kPa_per_mmHg;
        prm_base_z           = prm.get_double("Base plane z");
        prm_plot             = prm.get_bool("Plot");
        prm.leave_subsection();
        input_check(!calcium_tension.enabled() || prm_mode == "beat", deck + ": [Active stress/Model] = Land2017",
                    "needs [Time/Mode] = beat (the contraction model is integrated in time)");
        if (calcium_tension.enabled())
          calcium_tension.setup(prm, prm_cycle_length);
        if (prm_mode == "beat")
          {
            input_check(!pressure_ids.empty(), deck + ": [Time/Mode] = beat",
                        "needs the cavity surface in [Boundary conditions/Pressure boundaries]");
            input_check(prm_dt < prm_cycle_length, deck + ": [Time/Time step]", "must be smaller than the Cycle length");
          }

        prm.enter_subsection("Load stepping");
        prm_load_steps = prm.get_integer("Steps");
        prm_max_cuts   = prm.get_integer("Max cuts");
        prm.leave_subsection();
        prm.enter_subsection("Newton");
        prm_newton_rtol = prm.get_double("Relative tolerance");
        prm_newton_atol = prm.get_double("Absolute tolerance");
        prm_newton_max  = prm.get_integer("Max iterations");
        prm_line_search = prm.get_bool("Line search");
        prm.leave_subsection();
        prm.enter_subsection("Linear solver");
        prm_linear      = prm.get("Type");
        prm_linear_rtol = prm.get_double("Relative tolerance");
        prm_linear_max  = prm.get_integer("Max iterations");
        prm.leave_subsection();
        input_check(!prm_mixed || prm_linear == "direct", deck + ": [Linear solver/Type] = " + prm_linear,
                    "must be direct (MUMPS) with [Discretisation/Incompressibility] = mixed (the saddle-point "
                    "system has no AMG preconditioner here)");

        prm.enter_subsection("Output");
        prm_directory = prm.get("Directory");
        prm_fields    = prm.get("Fields");
        for (const auto &s : Utilities::split_string_list(prm.get("Probe points"), ';'))
          prm_probes.push_back(parse_point(s, deck + ": [Output/Probe points] (points are separated by ';')"));
        prm_probe_names = Utilities::split_string_list(prm.get("Probe names"), ',');
        {
          const auto sec = Utilities::split_string_list(prm.get("Section"), ',');
          input_check(sec.empty() || (sec.size() == 2 && (sec[0] == "x" || sec[0] == "y" || sec[0] == "z")),
                      deck + ": [Output/Section] = \"" + prm.get("Section") + "\"", "expected 'axis,value' with axis x, y or z");
          if (!sec.empty())
            {
              prm_section_axis  = sec[0][0] - 'x';
              prm_section_value = std::stod(sec[1]);
            }
        }
        prm.leave_subsection();
        if (prm_probe_names.empty())
          for (unsigned int i = 0; i < prm_probes.size(); ++i)
            prm_probe_names.push_back("probe" + std::to_string(i + 1));
        input_check(prm_probe_names.size() == prm_probes.size(), deck + ": [Output/Probe names]",
                    "has " + std::to_string(prm_probe_names.size()) + " names for " +
                      std::to_string(prm_probes.size()) + " probe points");

        prm.enter_subsection("Verification");
        prm_exact         = prm.get("Exact solution");
        prm_mms_amplitude = prm.get_double("Amplitude");
        prm.leave_subsection();
        input_check(prm_exact == "none" || prm_geometry == "mesh", deck + ": [Verification/Exact solution]",
                    "the manufactured solution needs [Geometry/Source] = mesh");
        input_check(prm_exact == "none" || prm_fibre_field == "constant" || prm_fibre_field == "none",
                    deck + ": [Verification/Exact solution]",
                    "the manufactured solution needs [Fibres/Field] = constant or none");
      }
    };

    /// Manufactured displacement (see the Verification entry) and its gradient.
    struct Manufactured
    {
      double A = 0.05;
      Tensor<1, 3>
      u(const Point<3> &X) const
      {
        const double x = X[0], y = X[1], z = X[2];
        return Tensor<1, 3>({A * std::sin(M_PI * y) * std::cos(M_PI * z) * (1 + x),
                             A * std::sin(M_PI * z) * std::cos(M_PI * x) * (1 + y),
                             A * std::sin(M_PI * x) * std::cos(M_PI * y) * (1 + z)});
      }
      Tensor<2, 3>
      grad(const Point<3> &X) const
      {
        const double x = X[0], y = X[1], z = X[2], p = M_PI;
        Tensor<2, 3> G;
        G[0][0] = A * std::sin(p * y) * std::cos(p * z);
        G[0][1] = A * p * std::cos(p * y) * std::cos(p * z) * (1 + x);
        G[0][2] = -A * p * std::sin(p * y) * std::sin(p * z) * (1 + x);
        G[1][0] = -A * p * std::sin(p * z) * std::sin(p * x) * (1 + y);
        G[1][1] = A * std::sin(p * z) * std::cos(p * x);
        G[1][2] = A * p * std::cos(p * z) * std::cos(p * x) * (1 + y);
        G[2][0] = A * p * std::cos(p * x) * std::cos(p * y) * (1 + z);
        G[2][1] = -A * p * std::sin(p * x) * std::sin(p * y) * (1 + z);
        G[2][2] = A * std::sin(p * x) * std::cos(p * y);
        return G;
      }
    };

    /// Exact displacement (components 0-2) and, for the mixed form (4 components), the exact
    /// multiplier p = kappa (J - 1) that makes dW_p/dp = 0 at the exact displacement.
    class ExactDisplacement : public Function<3>
    {
    public:
      ExactDisplacement(const Manufactured &m, unsigned int n_components = 3, double kappa = 0)
        : Function<3>(n_components)
        , m(m)
        , kappa(kappa)
      {}
      double
      value(const Point<3> &x, unsigned int c) const override
      {
        if (c == 3)
          return kappa * (determinant(unit_symmetric_tensor<3>() + m.grad(x)) - 1.);
        return m.u(x)[c];
      }
      Tensor<1, 3>
      gradient(const Point<3> &x, unsigned int c) const override
      {
        return c == 3 ? Tensor<1, 3>() : m.grad(x)[c];
      }

    private:
      Manufactured m;
      double       kappa;
    };

    struct StepRecord
    {
      double       load;
      unsigned int newton, linear;
      double       seconds, residual;
      double       min_det_F = 1; ///< smallest J = det F over the quadrature points of the converged state
      Point<3>     min_det_F_at;  ///< [mm] centre of the cell where it occurs
    };

    class MechanicsSolver
    {
    public:
      MechanicsSolver(const Parameters &p, std::unique_ptr<materials::Material> material, const RunContext &ctx);
      ~MechanicsSolver();
      void        run();
      std::string used_parameters;

    private:
      void make_mesh();
      void setup_system();
      void setup_quadrature_data();
      /// Assemble the residual (and the tangent if with_matrix) at the current loads
      /// (cur_pressure, cur_body, T_a = ta_from + ta_alpha (ta_to - ta_from)); returns
      /// false (collectively) if an element is inverted (J <= 0 at a quadrature point).
      bool assemble(bool with_matrix);
      unsigned int solve_linear(); ///< K du = -R; returns Krylov iterations
      /// Newton at the current loads from the current u; false on failure.
      bool newton(unsigned int &iterations, unsigned int &linear, double &residual);
      /// Move the converged state to pressure p1, body-force factor b1 and the tension
      /// field ta_to in n equal increments (halved on failure, at most Max cuts in a row);
      /// throws std::runtime_error with the fraction reached.
      void continuation(double p1, double b1, unsigned int n, bool record);
      double cavity_volume();
      void   run_beats(std::ostringstream &pv_csv, Json &js);
      void output_fields(double load);
      std::vector<std::array<double, 6>> probe_positions();
      std::string                        section_csv();
      materials::Microstructure          microstructure(const Point<3> &X) const;
      /// The microstructure at the point X of a locally owned cell (Field = mesh: the
      /// mesh's / LDRB fibres of the cell; otherwise microstructure(X)).
      materials::Microstructure microstructure(const DoFHandler<3>::active_cell_iterator &cell,
                                               const Point<3>                             &X) const;
      /// Passive S and CC at C (penalty form), or with the multiplier pq (mixed form; then
      /// also S_p = dS/dp, g = dW/dp, g_p = d2W/dp2).
      void stress(const SymmetricTensor<2, 3> &C, const materials::Microstructure &m, double pq,
                  SymmetricTensor<2, 3> &S, SymmetricTensor<4, 3> &CC, SymmetricTensor<2, 3> &S_p, double &g,
                  double &g_p) const;
      /// Component mask of the displacement (all components but the multiplier).
      ComponentMask displacement_mask(const std::array<bool, 3> &c = {{true, true, true}}) const;

      const Parameters                     &p;
      std::unique_ptr<materials::Material> material;
      RunContext                           ctx;
      MPI_Comm                             comm;
      ConditionalOStream                   pcout;
      TimerOutput                          timer;
      meshes::Mesh                         mesh;
      LandEllipsoid                        ellipsoid;
      meshes::MeshFibres                   mesh_fibres; ///< Field = mesh
      std::unique_ptr<FiniteElement<3>>    fe;
      std::unique_ptr<Mapping<3>>          mapping;
      std::unique_ptr<Quadrature<3>>       quadrature;
      std::unique_ptr<Quadrature<2>>       face_quadrature;
      DoFHandler<3>                        dof_handler;
      IndexSet                             owned, relevant;
      AffineConstraints<double>            constraints; ///< homogeneous: Newton increments
      PETScWrappers::MPI::SparseMatrix     K;
      PETScWrappers::MPI::Vector           u, du, R, u_ghost;
      std::vector<materials::Microstructure> qp_micro; ///< per locally owned cell and q point
      std::vector<Tensor<1, 3>>              qp_body;  ///< manufactured body force [kPa/mm]
      std::vector<double>                    qp_ta_from, qp_ta_to, qp_t_act; ///< [kPa], [ms]
      CalciumDrivenTension                   ca_tension; ///< Land2017: per-point states
      bool land_active = false; ///< T_a = ca_tension.tension(q, lambda) in the assembly
      /// Fibre stretch |F f0| at every locally owned quadrature point (current u_ghost).
      void fibre_stretch(std::vector<double> &lambda) const;
      std::string                            last_failure; ///< why the last Newton solve failed
      Point<3> inverted_at; ///< centre of a cell where the last assemble() met J <= 0
      double   min_det_F = 1; ///< smallest det F over all quadrature points in the last assemble()
      Point<3> min_det_F_at;  ///< centre of the cell of min_det_F (reference configuration)
      /// Smallest ratio min/max of the reference mapping's det J over sample points of a cell
      /// (quadrature points and support points), over all cells; the centre of that cell;
      /// the number of cells with a ratio below 0.5. InputError if det J <= 0 somewhere.
      std::tuple<double, Point<3>, unsigned long> mapping_quality() const;
      double                                 r_reference = 0; ///< [mN] largest initial residual so far
      double                                 cur_pressure = 0, cur_body = 0, ta_alpha = 0;
      std::set<types::boundary_id>           pressure_ids, spring_ids;
      Manufactured                           mms;
      std::vector<StepRecord>                steps;
      std::vector<std::pair<double, std::string>> pvd;
      std::string                                 tmp_dir;
    };

    MechanicsSolver::MechanicsSolver(const Parameters &p, std::unique_ptr<materials::Material> m,
                                     const RunContext &ctx)
      : p(p)
      , material(std::move(m))
      , ctx(ctx)
      , comm(ctx.comm)
      , pcout(std::cout, Utilities::MPI::this_mpi_process(ctx.comm) == 0 && ctx.verbosity > 0)
      , timer(comm, pcout, TimerOutput::never, TimerOutput::wall_times)
    {
      pressure_ids.insert(p.pressure_ids.begin(), p.pressure_ids.end());
      spring_ids.insert(p.spring_ids.begin(), p.spring_ids.end());
      mms.A = p.prm_mms_amplitude;
    }

    MechanicsSolver::~MechanicsSolver()
    {
      dof_handler.clear();
    }

    void
    MechanicsSolver::make_mesh()
    {
      TimerOutput::Scope t(timer, "mechanics / mesh");
      if (p.prm_geometry == "Land ellipsoid")
        {
          auto tria = std::make_unique<parallel::distributed::Triangulation<3>>(comm);
          make_land_ellipsoid(*tria, ellipsoid, p.prm_ellipsoid_refinements);
          mesh.tria        = std::move(tria);
          mesh.simplex     = false;
          mesh.h           = 3. / std::pow(2., p.prm_ellipsoid_refinements);
          mesh.description = "Land 2015 truncated ellipsoid (in-code hexahedra, " +
                             std::to_string(1u << p.prm_ellipsoid_refinements) + " cells through the 3 mm wall)";
        }
      else
        {
          mesh = meshes::create_mesh(p.mesh, comm);
          if (p.prm_fibre_field == "Land ellipsoid")
            {
              // the analytic rule on the generator's truncated ellipsoid (its own radii)
              const auto &sh   = p.mesh.prm_shape;
              ellipsoid.rs_endo = sh.at("Endo short radius");
              ellipsoid.rl_endo = sh.at("Endo long radius");
              ellipsoid.rs_epi  = sh.at("Epi short radius");
              ellipsoid.rl_epi  = sh.at("Epi long radius");
              ellipsoid.z_base  = sh.at("Base height");
            }
          if (p.prm_fibre_field == "mesh")
            {
              mesh_fibres = meshes::mesh_fibres(mesh, p.fibres, ctx.deck_file + ": [Fibres/Field] = mesh");
              // a .otmesh prepared from a mesh file without sheets stores arbitrary normals to
              // the fibres as sheets (the deck check before the mesh covers Source = file)
              input_check(!material->uses_sheet() || mesh_fibres.ldrb || mesh.sheets_given,
                          ctx.deck_file + ": [Mesh/File] = \"" + p.mesh.prm_file + "\"",
                          "stores fibres without sheets (prepared from a mesh file with no [Mesh/Sheet array]); "
                          "material " + material->name() + " is orthotropic and needs the tissue's sheet "
                          "direction: prepare the mesh again with its sheet array, or use a transversely "
                          "isotropic material (Guccione)");
              if (mesh_fibres.ldrb)
                pcout << "fibres: LDRB (Bayer et al. 2012), helix " << p.fibres.prm_alpha_endo << " / "
                      << p.fibres.prm_alpha_epi << " deg, sheet " << p.fibres.prm_beta_endo << " / "
                      << p.fibres.prm_beta_epi << " deg (endo / epi), " << mesh_fibres.ldrb->seconds << " s\n";
              else
                pcout << "fibres: stored with the mesh (per cell)\n";
            }
        }

      // every boundary id named in the deck must exist
      std::set<types::boundary_id> present;
      for (const auto &cell : mesh.tria->active_cell_iterators())
        if (cell->is_locally_owned())
          for (const auto &face : cell->face_iterators())
            if (face->at_boundary())
              present.insert(face->boundary_id());
      std::vector<unsigned int> local(present.begin(), present.end()), all;
      for (const auto &v : Utilities::MPI::all_gather(comm, local))
        all.insert(all.end(), v.begin(), v.end());
      std::set<types::boundary_id> global(all.begin(), all.end());
      std::string                  list;
      for (auto id : global)
        list += (list.empty() ? "" : ", ") + std::to_string(id);
      auto check = [&](types::boundary_id id, const std::string &entry) {
        input_check(global.count(id) != 0, ctx.deck_file + ": [Boundary conditions/" + entry + "]",
                    "names boundary id " + std::to_string(id) + ", which the mesh does not have (ids: " + list +
                      ")");
      };
      if (p.prm_exact == "none")
        for (const auto &[id, c] : p.fixed)
          check(id, "Fixed");
      for (auto id : p.pressure_ids)
        check(id, "Pressure boundaries");
      for (auto id : p.spring_ids)
        check(id, "Spring boundaries");
    }

    void
    MechanicsSolver::setup_system()
    {
      TimerOutput::Scope t(timer, "mechanics / setup");
      const unsigned int deg = p.prm_degree;
      if (mesh.simplex)
        {
          if (p.prm_mixed)
            fe = std::make_unique<FESystem<3>>(FE_SimplexP<3>(deg), 3, FE_SimplexP<3>(deg - 1), 1);
          else
            fe = std::make_unique<FESystem<3>>(FE_SimplexP<3>(deg), 3);
          // the mesh's geometry: straight P1, or Gmsh's curved P2 with [Mesh] Element order = 2
          mapping         = mesh.mapping().clone();
          quadrature      = std::make_unique<QGaussSimplex<3>>(deg + 1);
          face_quadrature = std::make_unique<QGaussSimplex<2>>(deg + 1);
        }
      else
        {
          if (p.prm_mixed)
            fe = std::make_unique<FESystem<3>>(FE_Q<3>(deg), 3, FE_Q<3>(deg - 1), 1);
          else
            fe = std::make_unique<FESystem<3>>(FE_Q<3>(deg), 3);
          // curved cells on the ellipsoid for Q2 (its manifold places the support points)
          mapping         = std::make_unique<MappingQ<3>>(deg);
          quadrature      = std::make_unique<QGauss<3>>(deg + 1);
          face_quadrature = std::make_unique<QGauss<2>>(deg + 1);
        }
      dof_handler.reinit(*mesh.tria);
      dof_handler.distribute_dofs(*fe);
      owned = dof_handler.locally_owned_dofs();
      DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);

      constraints.clear();
      constraints.reinit(relevant);
      DoFTools::make_hanging_node_constraints(dof_handler, constraints);
      if (p.prm_exact == "manufactured")
        {
          std::set<types::boundary_id> ids;
          for (const auto &cell : mesh.tria->active_cell_iterators())
            for (const auto &face : cell->face_iterators())
              if (face->at_boundary())
                ids.insert(face->boundary_id());
          for (auto id : ids)
            VectorTools::interpolate_boundary_values(*mapping, dof_handler, id,
                                                     Functions::ZeroFunction<3>(fe->n_components()), constraints,
                                                     displacement_mask());
        }
      else
        for (const auto &[id, c] : p.fixed)
          VectorTools::interpolate_boundary_values(*mapping, dof_handler, id,
                                                   Functions::ZeroFunction<3>(fe->n_components()), constraints,
                                                   displacement_mask(c));
      constraints.close();

      DynamicSparsityPattern dsp(relevant);
      DoFTools::make_sparsity_pattern(dof_handler, dsp, constraints, false);
      SparsityTools::distribute_sparsity_pattern(dsp, owned, comm, relevant);
      K.reinit(owned, owned, dsp, comm);
      u.reinit(owned, comm);
      du.reinit(owned, comm);
      R.reinit(owned, comm);
      u_ghost.reinit(owned, relevant, comm);
      if (p.prm_exact == "manufactured")
        {
          // start from the interpolant: the boundary values are then exact and Newton
          // converges to the discrete solution, whose error is what we measure
          VectorTools::interpolate(*mapping, dof_handler,
                                   ExactDisplacement(mms, fe->n_components(), material->bulk_modulus()), u);
        }
      u_ghost = u;
    }

    ComponentMask
    MechanicsSolver::displacement_mask(const std::array<bool, 3> &c) const
    {
      std::vector<bool> mask(fe->n_components(), false);
      for (unsigned int d = 0; d < 3; ++d)
        mask[d] = c[d];
      return ComponentMask(mask);
    }

    void
    MechanicsSolver::stress(const SymmetricTensor<2, 3> &C, const materials::Microstructure &m, double pq,
                            SymmetricTensor<2, 3> &S, SymmetricTensor<4, 3> &CC, SymmetricTensor<2, 3> &S_p, double &g,
                            double &g_p) const
    {
      if (p.prm_mixed)
        material->stress_tangent_mixed(C, pq, m, S, CC, S_p, g, g_p);
      else
        material->stress_tangent(C, m, S, CC);
    }

    materials::Microstructure
    MechanicsSolver::microstructure(const Point<3> &X) const
    {
      materials::Microstructure m;
      if (p.prm_fibre_field == "Land ellipsoid")
        ellipsoid.fibres(X, p.prm_helix_endo, p.prm_helix_epi, m.f, m.s, m.n);
      else
        {
          m.f = p.prm_fibre;
          m.s = p.prm_sheet;
          m.n = cross_product_3d(m.f, m.s);
        }
      return m;
    }

    materials::Microstructure
    MechanicsSolver::microstructure(const DoFHandler<3>::active_cell_iterator &cell, const Point<3> &X) const
    {
      if (p.prm_fibre_field != "mesh")
        return microstructure(X);
      materials::Microstructure m;
      if (mesh_fibres.ldrb)
        mesh_fibres.ldrb->frame_at(cell, X, m.f, m.s, m.n);
      else
        {
          m.f = mesh_fibres.f[cell->active_cell_index()];
          m.s = mesh_fibres.s[cell->active_cell_index()];
          m.n = cross_product_3d(m.f, m.s);
        }
      return m;
    }

    void
    MechanicsSolver::setup_quadrature_data()
    {
      TimerOutput::Scope t(timer, "mechanics / setup");
      FEValues<3>        fev(*mapping, *fe, *quadrature, update_quadrature_points);
      const auto         init_ta = [this]() {
        qp_ta_from.assign(qp_micro.size(), 0.);
        qp_ta_to.assign(qp_micro.size(), 0.);
      };
      qp_micro.clear();
      qp_body.clear();
      qp_t_act.clear();
      // Activation = file: t_act at the cell vertices (EP nodal values on a matching mesh),
      // interpolated to the quadrature points with the linear element (the EP's own
      // interpolation when the meshes match)
      const bool file_activation = p.prm_activation == "file";
      std::unique_ptr<FiniteElement<3>> fe1;
      if (mesh.simplex)
        fe1 = std::make_unique<FE_SimplexP<3>>(1);
      else
        fe1 = std::make_unique<FE_Q<3>>(1);
      std::map<unsigned int, double> vertex_t_act;
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            std::vector<double> tv;
            if (file_activation)
              for (const unsigned int v : cell->vertex_indices())
                {
                  auto it = vertex_t_act.find(cell->vertex_index(v));
                  if (it == vertex_t_act.end())
                    it = vertex_t_act.emplace(cell->vertex_index(v), p.activation_times.at(cell->vertex(v))).first;
                  tv.push_back(it->second);
                }
            for (unsigned int q = 0; q < quadrature->size(); ++q)
              {
                const Point<3> X = fev.quadrature_point(q);
                const auto     m = microstructure(cell, X);
                qp_micro.push_back(m);
                if (file_activation)
                  {
                    double t = 0;
                    for (unsigned int v = 0; v < tv.size(); ++v)
                      t = std::isinf(tv[v]) ? tv[v] : t + fe1->shape_value(v, quadrature->point(q)) * tv[v];
                    qp_t_act.push_back(t);
                  }
                else
                  qp_t_act.push_back(p.prm_activation == "planar wave" ?
                                       std::max(0., (X[2] - p.prm_activation_z0) / p.prm_activation_velocity) :
                                       0.);
                if (p.prm_exact == "manufactured")
                  {
                    // b = -Div P, P = F S(C) at the exact F; central differences in X
                    const double h = 1e-4;
                    Tensor<1, 3> divP;
                    for (unsigned int J = 0; J < 3; ++J)
                      {
                        Tensor<2, 3> Pp, Pm;
                        for (int sgn : {1, -1})
                          {
                            Point<3> Y = X;
                            Y[J] += sgn * h;
                            const Tensor<2, 3>          F = unit_symmetric_tensor<3>() + mms.grad(Y);
                            SymmetricTensor<2, 3>       S, S_p;
                            SymmetricTensor<4, 3>       CC;
                            double                      g, g_p;
                            // mixed: the exact multiplier kappa (J - 1) (ExactDisplacement)
                            const double p_exact = material->bulk_modulus() * (determinant(F) - 1.);
                            stress(symmetrize(transpose(F) * F), microstructure(Y), p_exact, S, CC, S_p, g, g_p);
                            (sgn > 0 ? Pp : Pm) = F * S;
                          }
                        for (unsigned int i = 0; i < 3; ++i)
                          divP[i] += (Pp[i][J] - Pm[i][J]) / (2 * h);
                      }
                    qp_body.push_back(-divP);
                  }
              }
          }
      init_ta();
    }

    bool
    MechanicsSolver::assemble(bool with_matrix)
    {
      TimerOutput::Scope t(timer, with_matrix ? "mechanics / assemble" : "mechanics / residual");
      if (with_matrix)
        K = 0;
      R = 0;
      const unsigned int n_dofs = fe->n_dofs_per_cell(), n_q = quadrature->size();
      FEValues<3>        fev(*mapping, *fe, *quadrature, update_values | update_gradients | update_JxW_values);
      FEFaceValues<3>    ffv(*mapping, *fe, *face_quadrature,
                          update_values | update_gradients | update_normal_vectors | update_JxW_values);
      const FEValuesExtractors::Vector disp(0);
      const FEValuesExtractors::Scalar pres(3); // the multiplier (mixed form only)
      const bool                       mixed = p.prm_mixed;
      std::vector<double>              p_q(n_q, 0.), Np(n_dofs, 0.);
      FullMatrix<double>               Kc(n_dofs, n_dofs);
      Vector<double>                   Rc(n_dofs);
      std::vector<types::global_dof_index> dofs(n_dofs);
      std::vector<Tensor<2, 3>>            grad_u(n_q), grad_u_face(face_quadrature->size());
      std::vector<Tensor<1, 3>>            u_face(face_quadrature->size());
      std::vector<Tensor<2, 3>>            gN(n_dofs);
      std::vector<Tensor<1, 3>>            gradN(n_dofs), SgradN(n_dofs);
      std::vector<SymmetricTensor<2, 3>>   dE(n_dofs), CCdE(n_dofs);
      std::vector<unsigned int>            component(n_dofs);
      for (unsigned int i = 0; i < n_dofs; ++i)
        component[i] = fe->system_to_component_index(i).first;
      const double                         pressure = cur_pressure;
      const Tensor<2, 3>                   I        = unit_symmetric_tensor<3>();
      bool                                 inverted = false;
      unsigned int                         cell_index = 0;
      double                               J_min      = 1e300;
      Point<3>                             J_min_at;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          if (!cell->is_locally_owned())
            continue;
          fev.reinit(cell);
          Kc = 0;
          Rc = 0;
          fev[disp].get_function_gradients(u_ghost, grad_u);
          if (mixed)
            fev[pres].get_function_values(u_ghost, p_q);
          for (unsigned int q = 0; q < n_q && !inverted; ++q)
            {
              const Tensor<2, 3> F   = I + grad_u[q];
              const double       det = determinant(F);
              if (det < J_min)
                {
                  J_min    = det;
                  J_min_at = cell->center();
                }
              if (det <= 0)
                {
                  inverted    = true;
                  inverted_at = cell->center();
                  break;
                }
              const unsigned int          k  = cell_index * n_q + q;
              const auto                 &m  = qp_micro[k];
              // Land2017: T_a(lambda) with lambda = |F f0| at this iterate (implicit in the
              // stretch): S_a = T_a f0 (x) f0, CC_a = 2 dS_a/dC = (dT_a/dlambda / lambda) M (x) M
              double dTa = 0, lambda = 1;
              if (land_active)
                lambda = (F * m.f).norm();
              const double Ta = land_active ? ca_tension.tension(k, lambda, dTa) :
                                              qp_ta_from[k] + ta_alpha * (qp_ta_to[k] - qp_ta_from[k]);
              SymmetricTensor<2, 3>       S, S_p;
              SymmetricTensor<4, 3>       CC;
              double                      g = 0, g_p = 0;
              stress(symmetrize(transpose(F) * F), m, p_q[q], S, CC, S_p, g, g_p);
              if (Ta != 0)
                S += Ta * symmetrize(outer_product(m.f, m.f));
              if (dTa != 0 && with_matrix)
                {
                  const SymmetricTensor<2, 3> M = symmetrize(outer_product(m.f, m.f));
                  CC += (dTa / lambda) * outer_product(M, M);
                }
              const Tensor<2, 3> P   = F * S;
              const double       JxW = fev.JxW(q);
              // shape function i of the vector element: e_{c_i} (x) grad N_i, so
              // grad(phi_i) : (grad(phi_j) S) = delta_{c_i c_j} grad N_i . S grad N_j.
              // Mixed: multiplier rows R_i = int N_i dW/dp; blocks K_up = K_pu^T = int dE_i : S_p N_j,
              // K_pp = int N_i N_j d2W/dp2 (symmetric saddle point).
              for (unsigned int i = 0; i < n_dofs; ++i)
                {
                  if (component[i] == 3)
                    {
                      Np[i] = fev[pres].value(i, q);
                      Rc(i) += Np[i] * g * JxW;
                      continue;
                    }
                  gN[i] = fev[disp].gradient(i, q);
                  Rc(i) += scalar_product(P, gN[i]) * JxW;
                  if (!qp_body.empty())
                    Rc(i) -= cur_body * (qp_body[cell_index * n_q + q] * fev[disp].value(i, q)) * JxW;
                  if (with_matrix)
                    {
                      dE[i]   = symmetrize(transpose(F) * gN[i]);
                      CCdE[i] = CC * dE[i];
                      gradN[i] = gN[i][component[i]];
                      SgradN[i] = S * gradN[i];
                    }
                }
              if (with_matrix)
                for (unsigned int i = 0; i < n_dofs; ++i)
                  for (unsigned int j = 0; j <= i; ++j)
                    {
                      double k;
                      if (component[i] < 3 && component[j] < 3)
                        {
                          k = CCdE[j] * dE[i];
                          if (component[i] == component[j])
                            k += gradN[i] * SgradN[j];
                        }
                      else if (component[i] == 3 && component[j] == 3)
                        k = Np[i] * Np[j] * g_p;
                      else if (component[i] == 3)
                        k = Np[i] * (S_p * dE[j]);
                      else
                        k = Np[j] * (S_p * dE[i]);
                      Kc(i, j) += k * JxW;
                    }
            }
          if (with_matrix && !inverted)
            for (unsigned int i = 0; i < n_dofs; ++i)
              for (unsigned int j = i + 1; j < n_dofs; ++j)
                Kc(i, j) = Kc(j, i); // the volume part is symmetric; the pressure part is added below
          if (inverted)
            break;
          // follower pressure and springs
          if (!pressure_ids.empty() || !spring_ids.empty())
            for (const auto f : cell->face_indices())
              if (cell->face(f)->at_boundary())
                {
                  const auto id = cell->face(f)->boundary_id();
                  const bool is_p = pressure_ids.count(id) != 0 && pressure != 0,
                             is_k = spring_ids.count(id) != 0 && p.prm_spring != 0;
                  if (!is_p && !is_k)
                    continue;
                  ffv.reinit(cell, f);
                  ffv[disp].get_function_gradients(u_ghost, grad_u_face);
                  ffv[disp].get_function_values(u_ghost, u_face);
                  for (unsigned int q = 0; q < face_quadrature->size(); ++q)
                    {
                      const double JxW = ffv.JxW(q);
                      if (is_p)
                        {
                          const Tensor<2, 3> F  = I + grad_u_face[q];
                          const double       J  = determinant(F);
                          const Tensor<2, 3> Fi = invert(F);
                          const Tensor<1, 3> a  = transpose(Fi) * ffv.normal_vector(q); // F^-T N
                          for (unsigned int i = 0; i < n_dofs; ++i)
                            {
                              const Tensor<1, 3> phi_i = ffv[disp].value(i, q);
                              Rc(i) += pressure * J * (a * phi_i) * JxW;
                              if (with_matrix)
                                for (unsigned int j = 0; j < n_dofs; ++j)
                                  {
                                    const Tensor<2, 3> G = ffv[disp].gradient(j, q);
                                    // d(J F^-T N)[G] = J (tr(F^-1 G) F^-T N - F^-T G^T F^-T N)
                                    const Tensor<1, 3> d =
                                      J * (trace(Fi * G) * a - transpose(Fi) * (transpose(G) * a));
                                    Kc(i, j) += pressure * (d * phi_i) * JxW;
                                  }
                            }
                        }
                      if (is_k)
                        for (unsigned int i = 0; i < n_dofs; ++i)
                          {
                            const Tensor<1, 3> phi_i = ffv[disp].value(i, q);
                            Rc(i) += p.prm_spring * (u_face[q] * phi_i) * JxW;
                            if (with_matrix)
                              for (unsigned int j = 0; j < n_dofs; ++j)
                                Kc(i, j) += p.prm_spring * (ffv[disp].value(j, q) * phi_i) * JxW;
                          }
                    }
                }
          cell->get_dof_indices(dofs);
          if (with_matrix)
            constraints.distribute_local_to_global(Kc, Rc, dofs, K, R);
          else
            constraints.distribute_local_to_global(Rc, dofs, R);
          ++cell_index;
        }
      // every rank must take part in compress(); the inverted flag is reduced afterwards
      if (with_matrix)
        K.compress(VectorOperation::add);
      R.compress(VectorOperation::add);
      {
        // the smallest J over all ranks and the cell where it occurs (first rank on ties)
        const auto all = Utilities::MPI::all_gather(comm, std::array<double, 4>{{J_min, J_min_at[0], J_min_at[1], J_min_at[2]}});
        min_det_F = 1e300;
        for (const auto &a : all)
          if (a[0] < min_det_F)
            {
              min_det_F    = a[0];
              min_det_F_at = Point<3>(a[1], a[2], a[3]);
            }
      }
      if (Utilities::MPI::max(inverted ? 1 : 0, comm) == 0)
        return true;
      // where (the first rank that met it), for the failure message
      const auto all = Utilities::MPI::all_gather(
        comm, std::array<double, 4>{{inverted ? 1. : 0., inverted_at[0], inverted_at[1], inverted_at[2]}});
      for (const auto &a : all)
        if (a[0] > 0)
          {
            inverted_at = Point<3>(a[1], a[2], a[3]);
            break;
          }
      return false;
    }

    std::tuple<double, Point<3>, unsigned long>
    MechanicsSolver::mapping_quality() const
    {
      // det J of a curved P2 tetrahedron is a cubic: sample it at Gauss points and at the
      // vertices and mid-edge points (where curved elements degenerate first)
      std::vector<Point<3>> pts;
      if (mesh.simplex)
        {
          pts = QGaussSimplex<3>(4).get_points();
          const auto sp = FE_SimplexP<3>(2).get_unit_support_points();
          pts.insert(pts.end(), sp.begin(), sp.end());
        }
      else
        {
          pts = QGauss<3>(4).get_points();
          const auto sp = FE_Q<3>(2).get_unit_support_points();
          pts.insert(pts.end(), sp.begin(), sp.end());
        }
      const Quadrature<3> sample(pts);
      FEValues<3>         fev(*mapping, *fe, sample, update_jacobians);
      double              worst = 1e300, det_min = 1e300;
      Point<3>            where;
      unsigned long       n_poor = 0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            double lo = 1e300, hi = -1e300;
            for (unsigned int q = 0; q < pts.size(); ++q)
              {
                const double d = fev.jacobian(q).determinant();
                lo = std::min(lo, d), hi = std::max(hi, d);
              }
            det_min = std::min(det_min, lo);
            const double r = hi > 0 ? lo / hi : -1.;
            n_poor += r < 0.5 ? 1 : 0;
            if (r < worst)
              worst = r, where = cell->center();
          }
      // the worst cell over all ranks (the lowest rank's on a tie)
      const auto all = Utilities::MPI::all_gather(comm, std::array<double, 4>{{worst, where[0], where[1], where[2]}});
      worst          = 1e300;
      for (const auto &a : all)
        if (a[0] < worst)
          worst = a[0], where = Point<3>(a[1], a[2], a[3]);
      n_poor  = Utilities::MPI::sum(n_poor, comm);
      det_min = Utilities::MPI::min(det_min, comm);
      input_check(det_min > 0, ctx.deck_file + ": [Mesh/Element order] = " + std::to_string(mesh.order),
                  "gives a geometry with a non-positive Jacobian (an inverted curved cell) near " + in_mm(where) +
                    "; use Element order = 1 or a smaller Element size");
      return {worst, where, n_poor};
    }

    unsigned int
    MechanicsSolver::solve_linear()
    {
      TimerOutput::Scope t(timer, "mechanics / linear solve");
      PETScWrappers::MPI::Vector rhs(R);
      rhs *= -1.;
      KSP ksp;
      KSPCreate(comm, &ksp);
      KSPSetOperators(ksp, K.petsc_matrix(), K.petsc_matrix());
      PC pc;
      KSPGetPC(ksp, &pc);
      if (p.prm_linear == "direct")
        {
          KSPSetType(ksp, KSPPREONLY);
          PCSetType(pc, PCLU);
          PCFactorSetMatSolverType(pc, MATSOLVERMUMPS);
        }
      else
        {
          KSPSetType(ksp, KSPGMRES);
          KSPGMRESSetRestart(ksp, 200);
          PCSetType(pc, PCHYPRE);
          PCHYPRESetType(pc, "boomeramg");
          KSPSetTolerances(ksp, p.prm_linear_rtol, 1e-50, PETSC_DEFAULT, p.prm_linear_max);
        }
      KSPSetOptionsPrefix(ksp, "mech_");
      KSPSetFromOptions(ksp);
      du = 0;
      KSPSolve(ksp, rhs, du);
      KSPConvergedReason reason;
      KSPGetConvergedReason(ksp, &reason);
      PetscInt its = 0;
      KSPGetIterationNumber(ksp, &its);
      KSPDestroy(&ksp);
      if (reason < 0)
        throw std::runtime_error("mechanics: the linear solve failed (PETSc KSP reason " + std::to_string(reason) +
                                 " after " + std::to_string(its) + " iterations)");
      constraints.distribute(du);
      return p.prm_linear == "direct" ? 1 : static_cast<unsigned int>(its);
    }

    bool
    MechanicsSolver::newton(unsigned int &iterations, unsigned int &linear, double &residual)
    {
      iterations = 0;
      linear     = 0;
      if (!assemble(true))
        {
          last_failure = "an inverted element (J <= 0 at a quadrature point) at the start of the increment, in the "
                         "cell at " + in_mm(inverted_at);
          return false;
        }
      double r = R.l2_norm();
      // relative to the largest first residual seen in this run: an increment that
      // barely changes the loads (a beat step) must not ask for |R| below round-off
      r_reference        = std::max(r_reference, r);
      const double target = std::max(p.prm_newton_atol, p.prm_newton_rtol * r_reference);
      while (r > target)
        {
          if (iterations == p.prm_newton_max || !std::isfinite(r))
            {
              last_failure = !std::isfinite(r) ? "a non-finite residual" :
                                                 "no convergence in " + std::to_string(p.prm_newton_max) +
                                                   " iterations (|R| = " + std::to_string(r) + " mN)";
              return false;
            }
          linear += solve_linear();
          ++iterations;
          // Line search on the directional derivative s(alpha) = du . R(u + alpha du)
          // (= dPi/dalpha for a conservative load): accept when |s| <= 0.5 |s(0)|, else
          // move alpha to the zero of the secant of s (Bonet & Wood 2008, sec. 7.5.2);
          // an inverted element halves alpha. Residual-norm backtracking fails here:
          // for near incompressibility the penalty term grows like alpha^2 kappa theta^2
          // along a rotation and hides the linear decrease.
          const PETScWrappers::MPI::Vector u0(u);
          const double                     s0       = du * R;
          double                           alpha    = 1, alpha_prev = 0, s_prev = s0;
          bool                             accepted = false;
          last_failure = "an inverted element (J <= 0 at a quadrature point) at every step length tried";
          for (unsigned int ls = 0; ls <= (p.prm_line_search ? 8u : 0u); ++ls)
            {
              u = u0;
              u.add(alpha, du);
              u_ghost = u;
              if (!assemble(true))
                {
                  last_failure = "an inverted element (J <= 0 at a quadrature point) at every step length tried, "
                                 "last in the cell at " + in_mm(inverted_at);
                  if (ctx.verbosity >= 2)
                    pcout << "[mech]     line search alpha " << alpha << ": inverted element at " << in_mm(inverted_at)
                          << std::endl;
                  alpha *= 0.5;
                  continue;
                }
              const double r_new = R.l2_norm();
              const double s1    = du * R;
              last_failure       = "no acceptable step length in the line search (last alpha " + std::to_string(alpha) +
                             ", |R| " + std::to_string(r_new) + " mN)";
              if (ctx.verbosity >= 2)
                pcout << "[mech]     line search alpha " << alpha << ": |R| " << r << " -> " << r_new
                      << ", s/s0 = " << s1 / s0 << std::endl;
              if (!p.prm_line_search || std::abs(s1) <= 0.5 * std::abs(s0) || r_new <= target)
                {
                  r        = r_new;
                  accepted = std::isfinite(r_new);
                  break;
                }
              // secant zero of s between (alpha_prev, s_prev) and (alpha, s1), kept in [0.05 alpha, 0.9 alpha]
              // when s has not changed sign (s1 < 0: the minimum lies further; accept a longer step is not tried)
              double a_new = alpha - s1 * (alpha - alpha_prev) / (s1 - s_prev);
              if (!std::isfinite(a_new))
                a_new = 0.5 * alpha;
              a_new      = std::max(0.05 * alpha, std::min(0.9 * alpha, a_new));
              if (s1 < 0 && r_new < 10 * r)
                {
                  // still descending at alpha: the full step is too short to overshoot; take it
                  r        = r_new;
                  accepted = std::isfinite(r_new);
                  break;
                }
              alpha_prev = 0;
              s_prev     = s0;
              alpha      = a_new;
            }
          if (!accepted)
            return false;
          if (ctx.verbosity >= 2)
            pcout << "[mech]   newton " << iterations << " |R| = " << std::scientific << std::setprecision(3) << r
                  << " (alpha " << std::defaultfloat << alpha << ")" << std::endl;
        }
      residual = r;
      return true;
    }

    std::vector<std::array<double, 6>>
    MechanicsSolver::probe_positions()
    {
      // nearest displacement node of a locally owned cell to each probe: (distance, X, u),
      // reduced over ranks (the smallest distance wins; ties are equal nodes)
      const Quadrature<3>                  support(fe->get_unit_support_points());
      FEValues<3>                          fev(*mapping, *fe, support, update_quadrature_points);
      std::vector<types::global_dof_index> dofs(fe->n_dofs_per_cell());
      std::vector<std::array<double, 7>>   best(p.prm_probes.size(), {{1e300, 0, 0, 0, 0, 0, 0}});
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            cell->get_dof_indices(dofs);
            for (unsigned int k = 0; k < p.prm_probes.size(); ++k)
              for (unsigned int i = 0; i < dofs.size(); ++i)
                {
                  const Point<3> X = fev.quadrature_point(i);
                  const double   d = X.distance(p.prm_probes[k]);
                  auto          &b = best[k];
                  if (d < b[0] - 1e-12)
                    {
                      b = {{d, X[0], X[1], X[2], 0, 0, 0}};
                    }
                  const unsigned int c = fe->system_to_component_index(i).first;
                  if (std::abs(d - b[0]) <= 1e-12 && c < 3)
                    b[4 + c] = u_ghost[dofs[i]];
                }
          }
      std::vector<std::array<double, 6>> out;
      for (const auto &b : best)
        {
          const auto all = Utilities::MPI::all_gather(comm, b);
          const auto it =
            std::min_element(all.begin(), all.end(), [](const auto &x, const auto &y) { return x[0] < y[0]; });
          out.push_back({{(*it)[1], (*it)[2], (*it)[3], (*it)[4], (*it)[5], (*it)[6]}});
        }
      return out;
    }

    void
    MechanicsSolver::continuation(double p1, double b1, unsigned int n, bool record)
    {
      const double               p0 = cur_pressure, b0 = cur_body;
      double                     s = 0, ds = 1. / n;
      unsigned int               cuts = 0;
      PETScWrappers::MPI::Vector u_converged(u), u_before(u);
      double                     s_before = 0;
      while (s < 1. - 1e-12)
        {
          const double target = std::min(1., s + ds);
          cur_pressure        = p0 + target * (p1 - p0);
          cur_body            = b0 + target * (b1 - b0);
          ta_alpha            = target;
          if (s > 0)
            {
              // secant predictor from the last two converged states (the loads are linear in s)
              u = u_converged;
              u.add((target - s) / (s - s_before), u_converged);
              u.add(-(target - s) / (s - s_before), u_before);
              u_ghost = u;
            }
          Timer step_timer;
          step_timer.start();
          unsigned int its = 0, lin = 0;
          double       res = 0;
          const bool   ok  = newton(its, lin, res);
          step_timer.stop();
          if (!ok)
            {
              u       = u_converged;
              u_ghost = u;
              ++cuts;
              const double reached_p = p0 + s * (p1 - p0);
              if (cuts > p.prm_max_cuts)
                {
                  std::ostringstream msg;
                  msg << "mechanics: Newton failed (last failure: " << last_failure << ") after " << p.prm_max_cuts
                      << " cuts of the load increment; load level reached: " << s << " of 1 (pressure " << reached_p
                      << " kPa, active tension " << s * 100 << " % of the way from the previous to the target field)";
                  if (last_failure.find("inverted") != std::string::npos)
                    msg << ". If Newton converged up to this level and every cut fails in the same cell, the "
                           "discrete solution itself reaches J = 0 there (the mesh is too coarse for the local "
                           "deformation): refine the mesh near that cell"
                        << (p.prm_mixed && material->barrier_modulus() == 0 ?
                              ", or, with the mixed form, set [Material/Mixed barrier modulus] (about 10x the "
                              "material stiffness) so that the weakly constrained J cannot collapse" :
                              "");
                  throw std::runtime_error(msg.str());
                }
              ds *= 0.5;
              if (ctx.verbosity >= 1 && record)
                pcout << "[mech] load " << target << " failed (" << last_failure << "); increment cut to " << ds
                      << std::endl;
              continue;
            }
          cuts        = 0;
          s_before    = s;
          u_before    = u_converged;
          s           = target;
          u_converged = u;
          steps.push_back({s, its, lin, step_timer.wall_time(), res, min_det_F, min_det_F_at});
          if (record)
            {
              pcout << "[mech] load " << std::fixed << std::setprecision(4) << s << " step " << steps.size()
                    << " newton " << its << " |R|=" << std::scientific << std::setprecision(2) << res << " ksp "
                    << lin << " min det F " << std::fixed << std::setprecision(4) << min_det_F << " at " << in_mm(min_det_F_at) << " ("
                    << std::setprecision(2) << step_timer.wall_time() << " s)" << std::defaultfloat
                    << std::setprecision(6) << std::endl;
              if (p.prm_fields == "every step")
                output_fields(s);
            }
          ds = std::min(2 * ds, 1. / n);
        }
      qp_ta_from = qp_ta_to;
      ta_alpha   = 0;
    }

    void
    MechanicsSolver::fibre_stretch(std::vector<double> &lambda) const
    {
      FEValues<3>                      fev(*mapping, *fe, *quadrature, update_gradients);
      const FEValuesExtractors::Vector disp(0);
      std::vector<Tensor<2, 3>>        g(quadrature->size());
      lambda.resize(qp_micro.size());
      unsigned int k = 0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            fev[disp].get_function_gradients(u_ghost, g);
            for (unsigned int q = 0; q < quadrature->size(); ++q, ++k)
              lambda[k] = ((unit_symmetric_tensor<3>() + g[q]) * qp_micro[k].f).norm();
          }
    }

    double
    MechanicsSolver::cavity_volume()
    {
      // V = -int_endo (z - z_b) (J F^-T N)_z dA over the Pressure boundaries (cavity closed by z = z_b)
      FEFaceValues<3> ffv(*mapping, *fe, *face_quadrature,
                          update_values | update_gradients | update_normal_vectors | update_JxW_values |
                            update_quadrature_points);
      const FEValuesExtractors::Vector disp(0);
      std::vector<Tensor<2, 3>>        g(face_quadrature->size());
      std::vector<Tensor<1, 3>>        v(face_quadrature->size());
      double                           V = 0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const auto f : cell->face_indices())
            if (cell->face(f)->at_boundary() && pressure_ids.count(cell->face(f)->boundary_id()))
              {
                ffv.reinit(cell, f);
                ffv[disp].get_function_gradients(u_ghost, g);
                ffv[disp].get_function_values(u_ghost, v);
                for (unsigned int q = 0; q < face_quadrature->size(); ++q)
                  {
                    const Tensor<2, 3> F  = unit_symmetric_tensor<3>() + g[q];
                    const Tensor<1, 3> nA = determinant(F) * (transpose(invert(F)) * ffv.normal_vector(q));
                    const double       z  = ffv.quadrature_point(q)[2] + v[q][2];
                    V -= (z - p.prm_base_z) * nA[2] * ffv.JxW(q);
                  }
              }
      return Utilities::MPI::sum(V, comm);
    }

    void
    MechanicsSolver::run_beats(std::ostringstream &csv, Json &js)
    {
      // passive inflation to the preload
      Windkessel   wk = p.windkessel;
      const double V_ref = cavity_volume();
      pcout << "[mech] reference cavity volume " << V_ref / mm3_per_mL << " mL" << std::endl;
      js.set("reference_volume_mL", V_ref / mm3_per_mL);
      continuation(wk.p_preload, 0., p.prm_load_steps, true);
      double V     = cavity_volume();
      double p_lv  = wk.p_preload;
      Phase  phase = Phase::filling;
      pcout << "[mech] inflated to the preload " << p_lv / kPa_per_mmHg << " mmHg: V = " << V / mm3_per_mL
            << " mL" << std::endl;
      csv << "t_ms,beat,phase,p_lv_mmHg,V_mL,p_ar_mmHg,Q_mL_per_s,Ta_max_kPa,mechanics_solves\n";
      const unsigned int n_per_beat = static_cast<unsigned int>(std::round(p.prm_cycle_length / p.prm_dt));
      const double       dt         = p.prm_cycle_length / n_per_beat;
      std::vector<double> edv(p.prm_beats, 0), esv(p.prm_beats, 1e300), pmax(p.prm_beats, 0);
      unsigned int        total_solves = 0;

      // g(p) by mechanics solves at pressure p (tension field qp_ta_to), secant iterations
      unsigned int solves = 0;
      auto volume_at = [&](double pressure) {
        // increments of at most 0.5 kPa (3.75 mmHg) from the last solved pressure
        const unsigned int n = 1 + static_cast<unsigned int>(std::abs(pressure - cur_pressure) / 0.5);
        continuation(pressure, 0., n, false);
        ++solves;
        return cavity_volume();
      };
      auto secant = [&](const std::function<double(double)> &g, double x0, double dx, double tol) {
        double g0 = g(x0);
        if (std::abs(g0) < tol)
          return x0;
        double x1 = x0 + dx, g1 = g(x1);
        for (unsigned int k = 0; k < 40; ++k)
          {
            if (std::abs(g1) < tol)
              return x1;
            if (g1 == g0)
              {
                // stalled: the two pressures are so close that Newton (converged to its own
                // tolerance) returns the same volume; accept if within 1000 tol
                if (std::abs(g1) < 1e3 * tol)
                  return x1;
                break;
              }
            double x2 = x1 - g1 * (x1 - x0) / (g1 - g0);
            x2        = std::max(x1 - 2., std::min(x1 + 2., x2)); // at most 2 kPa per secant step
            x0 = x1, g0 = g1;
            x1 = std::max(0., x2);
            g1 = g(x1);
            if (ctx.verbosity >= 2)
              pcout << "[mech]   secant p = " << x1 << " kPa, g = " << g1 << std::endl;
          }
        throw std::runtime_error("mechanics: the cavity pressure iteration did not converge (p = " +
                                 std::to_string(x1) + " kPa, residual " + std::to_string(g1) + ")");
      };

      const auto save_u    = [&]() { return std::make_tuple(PETScWrappers::MPI::Vector(u), cur_pressure, qp_ta_from); };
      std::vector<double> lambda_now;
      if (p.calcium_tension.enabled())
        {
          ca_tension = p.calcium_tension;
          ca_tension.reset(qp_micro.size());
          fibre_stretch(lambda_now); // afterwards kept current by each step's commit
          land_active = true;
          pcout << "[mech] Land2017 active tension, calcium " << ca_tension.calcium_source() << ": diastolic "
                << ca_tension.calcium_diastolic() << " uM, peak " << ca_tension.calcium_peak() << " uM" << std::endl;
          js.set("calcium_diastolic_uM", ca_tension.calcium_diastolic());
          js.set("calcium_peak_uM", ca_tension.calcium_peak());
        }
      for (unsigned int beat = 0; beat < p.prm_beats; ++beat)
        for (unsigned int k = 1; k <= n_per_beat; ++k)
          {
            const double t      = beat * p.prm_cycle_length + k * dt;
            const double t_beat = k * dt;
            if (land_active)
              {
                // the stretch enters implicitly (tension(q, lambda) in the assembly); lambda_now is
                // the stretch of the converged state at the step start (set by the last commit)
                ca_tension.begin_step(t_beat - dt, dt, qp_t_act, lambda_now);
              }
            else
              for (unsigned int q = 0; q < qp_ta_to.size(); ++q)
                qp_ta_to[q] = p.twitch(t_beat - qp_t_act[q]);
            const auto   start = save_u();
            const double V0    = V;
            double       Q     = 0;
            solves             = 0;
            for (unsigned int attempt = 0; attempt < 5; ++attempt)
              {
                bool switched = false;
                if (attempt > 0)
                  {
                    u            = std::get<0>(start);
                    u_ghost      = u;
                    cur_pressure = std::get<1>(start);
                    qp_ta_from   = std::get<2>(start);
                  }
                if (phase == Phase::filling)
                  {
                    V = volume_at(wk.p_preload);
                    p_lv = wk.p_preload;
                    // the mitral valve closes when the ventricle stops filling during contraction
                    if (V < V0 && t_beat < p.twitch.duration)
                      phase = Phase::isovolumic_contraction, switched = true;
                    else
                      Q = 0;
                  }
                else if (phase == Phase::isovolumic_contraction || phase == Phase::isovolumic_relaxation)
                  {
                    try
                      {
                        p_lv = secant([&](double x) { return (volume_at(x) - V0) / V0; }, p_lv, 0.05, 1e-8);
                      }
                    catch (const std::runtime_error &)
                      {
                        // relaxation: the volume cannot be held even at zero pressure, so the
                        // ventricular pressure has dropped below the preload: the mitral valve opens
                        if (phase != Phase::isovolumic_relaxation)
                          throw;
                        phase = Phase::filling, switched = true;
                        continue;
                      }
                    V = cavity_volume();
                    if (phase == Phase::isovolumic_contraction && p_lv > wk.arterial_after(0., dt))
                      phase = Phase::ejection, switched = true;
                    else if (phase != Phase::ejection && p_lv < wk.p_preload)
                      // relaxation, or a contraction too weak to open the aortic valve whose
                      // pressure falls back below the filling pressure: the mitral valve opens
                      phase = Phase::filling, switched = true;
                    else
                      Q = 0;
                  }
                else // ejection
                  {
                    p_lv = secant([&](double x) { return x - wk.ventricular_pressure((V0 - volume_at(x)) / dt, dt); },
                                  p_lv, 0.05, 1e-6);
                    V = cavity_volume();
                    Q = (V0 - V) / dt;
                    if (Q < 0)
                      phase = Phase::isovolumic_relaxation, switched = true;
                  }
                if (!switched)
                  break;
              }
            wk.p_ar = wk.arterial_after(Q, dt);
            total_solves += solves;
            if (land_active)
              {
                fibre_stretch(lambda_now);
                ca_tension.commit(lambda_now, qp_ta_to);
                qp_ta_from = qp_ta_to;
              }
            double ta_max = 0;
            for (double x : qp_ta_from)
              ta_max = std::max(ta_max, x);
            ta_max = Utilities::MPI::max(ta_max, comm);
            csv << t << ',' << beat + 1 << ',' << phase_name(phase) << ',' << p_lv / kPa_per_mmHg << ','
                << V / mm3_per_mL << ',' << wk.p_ar / kPa_per_mmHg << ',' << Q / mm3_per_mL * 1000. << ','
                << ta_max << ',' << solves << '\n';
            edv[beat]  = std::max(edv[beat], V);
            esv[beat]  = std::min(esv[beat], V);
            pmax[beat] = std::max(pmax[beat], p_lv);
            if (ctx.verbosity >= 1 && (k % 10 == 0 || ctx.verbosity >= 2))
              pcout << "[mech] t= " << std::fixed << std::setprecision(1) << t << " ms beat " << beat + 1 << " "
                    << phase_name(phase) << " p= " << std::setprecision(2) << p_lv / kPa_per_mmHg
                    << " mmHg V= " << std::setprecision(4) << V / mm3_per_mL << " mL p_ar= " << std::setprecision(2)
                    << wk.p_ar / kPa_per_mmHg << " mmHg (" << solves << " solves)" << std::defaultfloat << std::endl;
            if (p.prm_fields == "every step")
              output_fields(t);
          }
      std::vector<double> ef, sv, pk;
      for (unsigned int b = 0; b < p.prm_beats; ++b)
        {
          sv.push_back((edv[b] - esv[b]) / mm3_per_mL);
          ef.push_back(100. * (edv[b] - esv[b]) / edv[b]);
          pk.push_back(pmax[b] / kPa_per_mmHg);
          edv[b] /= mm3_per_mL;
          esv[b] /= mm3_per_mL;
        }
      const unsigned int last = p.prm_beats - 1;
      js.set("edv_mL", edv)
        .set("esv_mL", esv)
        .set("stroke_volume_mL", sv)
        .set("ejection_fraction_percent", ef)
        .set("peak_pressure_mmHg", pk)
        .set("mechanics_solves", static_cast<unsigned long>(total_solves));
      pcout << "[mech] last beat: EDV " << edv[last] << " mL, ESV " << esv[last] << " mL, SV " << sv[last]
            << " mL, EF " << ef[last] << " %, peak pressure " << pk[last] << " mmHg" << std::endl;
      if (p.prm_beats > 1)
        pcout << "[mech] beat-to-beat change of the last beat: EDV " << edv[last] - edv[last - 1] << " mL, ESV "
              << esv[last] - esv[last - 1] << " mL" << std::endl;
    }

    std::string
    MechanicsSolver::section_csv()
    {
      // displacement nodes on the plane X_axis = value: (dof of x component) -> X, u
      const Quadrature<3>                  support(fe->get_unit_support_points());
      FEValues<3>                          fev(*mapping, *fe, support, update_quadrature_points);
      std::vector<types::global_dof_index> dofs(fe->n_dofs_per_cell());
      std::map<types::global_dof_index, std::array<double, 6>> nodes; // key: dof of the x component
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            fev.reinit(cell);
            cell->get_dof_indices(dofs);
            for (unsigned int i = 0; i < dofs.size(); ++i)
              if (fe->system_to_component_index(i).first == 0)
                {
                  const Point<3> X = fev.quadrature_point(i);
                  if (std::abs(X[p.prm_section_axis] - p.prm_section_value) > 1e-8)
                    continue;
                  std::array<double, 6> v = {{X[0], X[1], X[2], 0, 0, 0}};
                  for (unsigned int j = 0; j < dofs.size(); ++j)
                    if (fe->system_to_component_index(j).first < 3 &&
                        fe->system_to_component_index(j).second == fe->system_to_component_index(i).second)
                      v[3 + fe->system_to_component_index(j).first] = u_ghost[dofs[j]];
                  nodes[dofs[i]] = v;
                }
          }
      std::vector<double> flat; // dof, X, u per node
      for (const auto &[dof, v] : nodes)
        {
          flat.push_back(static_cast<double>(dof));
          flat.insert(flat.end(), v.begin(), v.end());
        }
      const auto         all = Utilities::MPI::gather(comm, flat, 0);
      std::ostringstream out;
      out << "X,Y,Z,x,y,z\n" << std::setprecision(10);
      std::map<types::global_dof_index, std::array<double, 6>> merged;
      for (const auto &m : all)
        for (std::size_t k = 0; k + 7 <= m.size(); k += 7)
          merged[static_cast<types::global_dof_index>(m[k])] = {{m[k + 1], m[k + 2], m[k + 3], m[k + 4], m[k + 5], m[k + 6]}};
      for (const auto &[dof, v] : merged)
        out << v[0] << ',' << v[1] << ',' << v[2] << ',' << v[0] + v[3] << ',' << v[1] + v[4] << ',' << v[2] + v[5]
            << '\n';
      return out.str();
    }

    void
    MechanicsSolver::output_fields(double load)
    {
      TimerOutput::Scope t(timer, "mechanics / output");
      // cell averages over the quadrature points of J, E_ff, E_ss, E_nn and sigma_ff
      const unsigned int n_q = quadrature->size();
      // values: the multiplier p of the mixed form (without update_values its shape values
      // are uninitialised: a crash with the curved P2 mapping of Gmsh tetrahedra)
      FEValues<3>        fev(*mapping, *fe, *quadrature, update_values | update_gradients | update_JxW_values);
      const FEValuesExtractors::Vector disp(0);
      const FEValuesExtractors::Scalar pres(3);
      std::vector<Tensor<2, 3>>        grad_u(n_q);
      std::vector<double>              p_q(n_q, 0.);
      const unsigned int               n_cells = mesh.tria->n_active_cells();
      Vector<float> J_c(n_cells), Eff(n_cells), Ess(n_cells), Enn(n_cells), sff(n_cells), rank(n_cells);
      unsigned int  cell_index = 0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          if (!cell->is_locally_owned())
            continue;
          fev.reinit(cell);
          fev[disp].get_function_gradients(u_ghost, grad_u);
          if (p.prm_mixed)
            fev[pres].get_function_values(u_ghost, p_q);
          double vol = 0, a[5] = {0, 0, 0, 0, 0};
          for (unsigned int q = 0; q < n_q; ++q)
            {
              const Tensor<2, 3> F = unit_symmetric_tensor<3>() + grad_u[q];
              const double       J = determinant(F);
              const auto        &m  = qp_micro[cell_index * n_q + q];
              const double       Ta = qp_ta_from[cell_index * n_q + q];
              const SymmetricTensor<2, 3> C = symmetrize(transpose(F) * F);
              const SymmetricTensor<2, 3> E = 0.5 * (C - unit_symmetric_tensor<3>());
              SymmetricTensor<2, 3>       S, S_p;
              SymmetricTensor<4, 3>       CC;
              double                      sigma_ff = 0, g, g_p;
              if (J > 0)
                {
                  stress(C, m, p_q[q], S, CC, S_p, g, g_p);
                  S += Ta * symmetrize(outer_product(m.f, m.f));
                  Tensor<1, 3> f = F * m.f;
                  f /= f.norm();
                  const Tensor<2, 3> sigma = F * S * transpose(F) / J;
                  sigma_ff                 = f * (sigma * f);
                }
              const double w = fev.JxW(q);
              vol += w;
              a[0] += J * w;
              a[1] += (m.f * (E * m.f)) * w;
              a[2] += (m.s * (E * m.s)) * w;
              a[3] += (m.n * (E * m.n)) * w;
              a[4] += sigma_ff * w;
            }
          const auto c = cell->active_cell_index();
          J_c[c]       = a[0] / vol;
          Eff[c]       = a[1] / vol;
          Ess[c]       = a[2] / vol;
          Enn[c]       = a[3] / vol;
          sff[c]       = a[4] / vol;
          rank[c]      = Utilities::MPI::this_mpi_process(comm);
          ++cell_index;
        }
      DataOut<3> data_out;
      data_out.attach_dof_handler(dof_handler);
      std::vector<DataComponentInterpretation::DataComponentInterpretation> vec(
        3, DataComponentInterpretation::component_is_part_of_vector);
      std::vector<std::string> names(3, "displacement");
      if (p.prm_mixed)
        {
          vec.push_back(DataComponentInterpretation::component_is_scalar);
          names.push_back("pressure_multiplier"); // [kPa] p of W_p (tension positive)
        }
      data_out.add_data_vector(u_ghost, names, DataOut<3>::type_dof_data, vec);
      data_out.add_data_vector(J_c, "J");
      data_out.add_data_vector(Eff, "E_ff");
      data_out.add_data_vector(Ess, "E_ss");
      data_out.add_data_vector(Enn, "E_nn");
      data_out.add_data_vector(sff, "cauchy_stress_ff");
      data_out.add_data_vector(rank, "rank");
      data_out.build_patches(*mapping, p.prm_degree, DataOut<3>::curved_inner_cells);
      DataOutBase::VtkFlags flags;
      flags.time              = load;
      flags.compression_level = DataOutBase::VtkFlags::best_speed;
      data_out.set_flags(flags);
      const std::string name = data_out.write_vtu_with_pvtu_record(tmp_dir, "fields", pvd.size(), comm, 4, 1);
      pvd.emplace_back(load, name);
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::ofstream out(tmp_dir + "fields.pvd");
          DataOutBase::write_pvd_record(out, pvd);
        }
    }

    void
    MechanicsSolver::run()
    {
      Timer wall;
      wall.start();
      ResultDirectory dir(p.prm_directory, comm);
      tmp_dir = dir.tmp();
      make_mesh();
      setup_system();
      setup_quadrature_data();
      const auto [jac_ratio, jac_where, jac_poor] = mapping_quality();
      const std::string element =
        std::string(mesh.simplex ? "P" : "Q") + std::to_string(p.prm_degree) +
        (p.prm_mixed ? std::string(mesh.simplex ? "-P" : "-Q") + std::to_string(p.prm_degree - 1) : std::string());
      pcout << "OrganTwin " << version_string() << " (git " << git_hash() << ", " << build_type() << "), "
            << Utilities::MPI::n_mpi_processes(comm) << " MPI rank(s)\n"
            << "deck: " << ctx.deck_file << "\nmesh: " << mesh.description << ", "
            << mesh.tria->n_global_active_cells() << " cells, " << dof_handler.n_dofs() << " DoFs (" << element
            << ")\nmaterial: " << material->name() << ", bulk modulus " << material->bulk_modulus() << " kPa ("
            << (p.prm_mixed ? "mixed u-p" : "penalty")
            << (material->barrier_modulus() > 0 ? ", barrier " + shortest(material->barrier_modulus()) + " kPa" : "")
            << "); pressure " << p.prm_pressure << " kPa, active tension " << p.prm_tension << " kPa, "
            << p.prm_load_steps << " load steps, " << p.prm_linear << " linear solver\n"
            << "geometry: det J ratio (min/max within a cell) down to " << jac_ratio << " in the cell at "
            << in_mm(jac_where) << "; " << jac_poor
            << " cell(s) below 0.5\n"
            << "results: " << dir.final_path() << std::endl;
      if (p.prm_fields == "every step")
        output_fields(0.);

      Json               js;
      std::ostringstream pv_csv;
      double             load = 1;
      if (p.prm_mode == "static")
        {
          if (p.prm_static_time >= 0)
            for (unsigned int q = 0; q < qp_ta_to.size(); ++q)
              qp_ta_to[q] = p.twitch(p.prm_static_time - qp_t_act[q]);
          else
            std::fill(qp_ta_to.begin(), qp_ta_to.end(), p.prm_tension);
          continuation(p.prm_pressure, 1., p.prm_load_steps, true);
        }
      else
        run_beats(pv_csv, js);
      if (p.prm_fields == "final")
        output_fields(1.);

      // probes, errors, summary
      const auto        probes  = probe_positions();
      const std::string section = p.prm_section_axis >= 0 ? section_csv() : std::string();
      js.set("problem", "mechanics")
        .set("version", version_string())
        .set("git", git_hash())
        .set("deck", ctx.deck_file)
        .set("ranks", static_cast<int>(Utilities::MPI::n_mpi_processes(comm)))
        .set("mesh", mesh.description)
        .set("element", element)
        .set("cells", static_cast<unsigned long>(mesh.tria->n_global_active_cells()))
        .set("dofs", static_cast<unsigned long>(dof_handler.n_dofs()))
        .set("h_mm", mesh.h)
        .set("material", material->name())
        .set("incompressibility", p.prm_mixed ? "mixed" : "penalty")
        .set("barrier_modulus_kPa", material->barrier_modulus())
        .set("activation", p.prm_activation)
        .set("load_reached", load)
        .set("mapping_det_j_ratio_min", jac_ratio)
        .set("mapping_cells_det_j_ratio_below_half", jac_poor)
        .set("load_steps", static_cast<unsigned long>(steps.size()));
      unsigned int n_newton = 0, n_lin = 0;
      for (const auto &s : steps)
        n_newton += s.newton, n_lin += s.linear;
      js.set("newton_iterations", static_cast<unsigned long>(n_newton))
        .set("linear_iterations", static_cast<unsigned long>(n_lin));
      std::ostringstream pcsv;
      pcsv << "name,X,Y,Z,x,y,z,ux,uy,uz\n" << std::setprecision(12);
      Json pj;
      for (unsigned int k = 0; k < probes.size(); ++k)
        {
          const auto &q = probes[k];
          pcsv << p.prm_probe_names[k] << ',' << q[0] << ',' << q[1] << ',' << q[2] << ',' << q[0] + q[3] << ','
               << q[1] + q[4] << ',' << q[2] + q[5] << ',' << q[3] << ',' << q[4] << ',' << q[5] << '\n';
          pj.set(p.prm_probe_names[k], Json()
                                          .set("reference", std::vector<double>{q[0], q[1], q[2]})
                                          .set("deformed", std::vector<double>{q[0] + q[3], q[1] + q[4], q[2] + q[5]})
                                          .set("displacement", std::vector<double>{q[3], q[4], q[5]})
                                          .set("t_act_ms", p.prm_activation == "file" ?
                                                             p.activation_times.at(Point<3>(q[0], q[1], q[2])) :
                                                             std::numeric_limits<double>::quiet_NaN()));
          pcout << "probe " << p.prm_probe_names[k] << " at (" << q[0] << ", " << q[1] << ", " << q[2]
                << ") mm -> (" << std::setprecision(8) << q[0] + q[3] << ", " << q[1] + q[4] << ", " << q[2] + q[5]
                << ") mm" << std::setprecision(6) << std::endl;
        }
      js.set("probes", pj);
      {
        // activation times at the quadrature points (finite ones: activated) and the
        // largest active tension of the final state
        double tmin = 1e300, tmax = -1e300, ta = 0;
        unsigned long n_inf = 0;
        for (unsigned int q = 0; q < qp_t_act.size(); ++q)
          {
            if (std::isinf(qp_t_act[q]))
              ++n_inf;
            else
              tmin = std::min(tmin, qp_t_act[q]), tmax = std::max(tmax, qp_t_act[q]);
            ta = std::max(ta, qp_ta_from[q]);
          }
        js.set("qp_t_act_min_ms", Utilities::MPI::min(tmin, comm))
          .set("qp_t_act_max_ms", Utilities::MPI::max(tmax, comm))
          .set("qp_not_activated", Utilities::MPI::sum(n_inf, comm))
          .set("active_tension_max_kPa", Utilities::MPI::max(ta, comm));
        if (p.prm_activation == "file")
          js.set("activation_file_nodes", static_cast<unsigned long>(p.activation_times.size()));
      }
      if (p.prm_exact == "manufactured")
        {
          Vector<float>  cellwise(mesh.tria->n_active_cells());
          std::unique_ptr<Quadrature<3>> q;
          if (mesh.simplex)
            q = std::make_unique<QGaussSimplex<3>>(p.prm_degree + 2);
          else
            q = std::make_unique<QGauss<3>>(p.prm_degree + 2);
          const unsigned int               nc = fe->n_components();
          const ExactDisplacement          exact(mms, nc, material->bulk_modulus());
          const ComponentSelectFunction<3> u_only(std::make_pair(0u, 3u), nc), p_only(3u, nc);
          VectorTools::integrate_difference(*mapping, dof_handler, u_ghost, exact, cellwise, *q,
                                            VectorTools::L2_norm, &u_only);
          const double l2 = VectorTools::compute_global_error(*mesh.tria, cellwise, VectorTools::L2_norm);
          VectorTools::integrate_difference(*mapping, dof_handler, u_ghost, exact, cellwise, *q,
                                            VectorTools::H1_seminorm, &u_only);
          const double h1 = VectorTools::compute_global_error(*mesh.tria, cellwise, VectorTools::H1_seminorm);
          js.set("l2_error", l2).set("h1_error", h1);
          pcout << "manufactured solution: L2 error " << l2 << " mm, H1 seminorm error " << h1 << std::endl;
          if (p.prm_mixed)
            {
              VectorTools::integrate_difference(*mapping, dof_handler, u_ghost, exact, cellwise, *q,
                                                VectorTools::L2_norm, &p_only);
              const double l2p = VectorTools::compute_global_error(*mesh.tria, cellwise, VectorTools::L2_norm);
              js.set("pressure_l2_error", l2p);
              pcout << "manufactured solution: multiplier L2 error " << l2p << " kPa mm^1.5" << std::endl;
            }
        }
      wall.stop();
      js.set("wall_seconds", wall.wall_time());
      if (Utilities::MPI::this_mpi_process(comm) == 0)
        {
          std::ostringstream csv;
          csv << "step,load,newton_iterations,linear_iterations,seconds,residual,min_det_F,min_det_F_x,min_det_F_y,min_det_F_z\n";
          for (unsigned int i = 0; i < steps.size(); ++i)
            csv << i + 1 << ',' << steps[i].load << ',' << steps[i].newton << ',' << steps[i].linear << ','
                << steps[i].seconds << ',' << steps[i].residual << ',' << steps[i].min_det_F << ','
                << steps[i].min_det_F_at[0] << ',' << steps[i].min_det_F_at[1] << ',' << steps[i].min_det_F_at[2] << '\n';
          write_file_atomic(tmp_dir + "load_steps.csv", csv.str());
          write_file_atomic(tmp_dir + "probes.csv", pcsv.str());
          if (!section.empty())
            write_file_atomic(tmp_dir + "section.csv", section);
          if (p.prm_mode == "beat")
            {
              write_file_atomic(tmp_dir + "pv.csv", pv_csv.str());
              if (p.prm_plot)
                {
                  const std::string cmd = "/usr/bin/python3 " + shell_quote(source_file("solvers/mechanics/plot_pv.py")) +
                                          " " + shell_quote(tmp_dir) + " > /dev/null 2>&1";
                  if (std::system(cmd.c_str()) != 0)
                    pcout << "[mech] warning: the PV plot failed (python3 + matplotlib needed): " << cmd << std::endl;
                }
            }
          write_file_atomic(tmp_dir + "summary.json", js.str() + "\n");
          write_file_atomic(tmp_dir + "used_parameters.prm", used_parameters);
          std::ostringstream tim;
          timer.print_wall_time_statistics(comm);
          const auto times = timer.get_summary_data(TimerOutput::total_wall_time);
          for (const auto &[name, sec] : times)
            tim << name << ": " << sec << " s\n";
          write_file_atomic(tmp_dir + "timings.txt", tim.str());
        }
      else
        timer.print_wall_time_statistics(comm);
      dir.commit();
      pcout << "\nresults in " << dir.final_path() << " (summary.json, probes.csv, load_steps.csv, fields.pvd)"
            << std::endl;
    }
  } // namespace
} // namespace organtwin::mechanics

namespace organtwin::mechanics
{
  void
  MechanicsCase::declare_parameters(dealii::ParameterHandler &prm)
  {
    Parameters::declare(prm);
  }

  void
  MechanicsCase::run(dealii::ParameterHandler &prm, const RunContext &ctx)
  {
    Parameters p;
    p.parse(prm, ctx.deck_file);
    auto material = materials::create_material(prm, ctx.deck_file);
    input_check(p.prm_mixed || material->barrier_modulus() == 0,
                ctx.deck_file + ": [Material/Mixed barrier modulus] = " + prm.get({"Material"}, "Mixed barrier modulus"),
                "applies only to [Discretisation/Incompressibility] = mixed (the penalty form already has the "
                "barrier kappa/4 (J^2 - 1 - 2 ln J) with kappa = Bulk modulus); set it to 0");
    input_check(!material->anisotropic() || p.prm_fibre_field != "none",
                ctx.deck_file + ": [Fibres/Field] = none",
                "material " + material->name() + " is anisotropic and needs fibres (Field = constant, Land "
                "ellipsoid or mesh)");
    // fibres from a mesh file without sheets: the reader picks an arbitrary sheet normal to
    // the fibre, which an orthotropic energy would use as if it were the tissue's sheet
    if (material->uses_sheet() && p.prm_fibre_field == "mesh" && p.prm_geometry == "mesh" &&
        p.mesh.prm_source == "file" && !p.mesh.prm_fibre_array.empty())
      input_check(!p.mesh.prm_sheet_array.empty(), ctx.deck_file + ": [Mesh/Sheet array] is empty",
                  "material " + material->name() + " is orthotropic (its energy depends on the sheet "
                  "direction) and [Fibres] Field = mesh takes the fibres of [Mesh/Fibre array] = " +
                    p.mesh.prm_fibre_array + ", which has no sheets; name the sheet array of the mesh file in "
                    "[Mesh/Sheet array] or use a transversely isotropic material (Guccione)");
    MechanicsSolver    solver(p, std::move(material), ctx);
    std::ostringstream used;
    prm.print_parameters(used, dealii::ParameterHandler::OutputStyle(dealii::ParameterHandler::PRM |
                                                                     dealii::ParameterHandler::KeepDeclarationOrder));
    solver.used_parameters = used.str();
    solver.run();
  }

  OT_REGISTER(Case, "mechanics", MechanicsCase, "quasi-static finite-strain solid mechanics (Land 2015 benchmark)")
} // namespace organtwin::mechanics
