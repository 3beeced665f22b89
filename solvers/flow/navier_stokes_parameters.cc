// Deck of the navier_stokes problem type: declaration, parsing and cross-entry checks.
#include <solvers/common/parameters.h>
#include <solvers/flow/navier_stokes.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

namespace organtwin::flow
{
  using namespace dealii;

  namespace
  {
    std::string
    num(double v)
    {
      std::ostringstream s;
      s << v;
      return s.str();
    }

    std::vector<std::string>
    split(const std::string &text, char sep)
    {
      std::vector<std::string> out;
      std::stringstream        ss(text);
      for (std::string item; std::getline(ss, item, sep);)
        {
          const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
          if (b != std::string::npos)
            out.push_back(item.substr(b, e - b + 1));
        }
      return out;
    }

    std::vector<double>
    doubles(const std::string &text, const std::string &where)
    {
      std::vector<double> v;
      for (const auto &s : split(text, ','))
        {
          char        *end = nullptr;
          const double x   = std::strtod(s.c_str(), &end);
          input_check(end != s.c_str() && *end == '\0' && std::isfinite(x), where,
                      "\"" + text + "\": expected a comma list of numbers");
          v.push_back(x);
        }
      return v;
    }

    std::vector<unsigned int>
    ids(const std::string &text, const std::string &where)
    {
      std::vector<unsigned int> v;
      for (const auto &s : split(text, ','))
        {
          char      *end = nullptr;
          const long x   = std::strtol(s.c_str(), &end, 10);
          input_check(end != s.c_str() && *end == '\0' && x >= 0 && x < 255, where,
                      "\"" + text + "\": expected a comma list of boundary ids (integers 0..254)");
          v.push_back(static_cast<unsigned int>(x));
        }
      return v;
    }
  } // namespace

  void
  FlowParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Mesh");
    prm.declare_entry("Dimension", "3", Patterns::Integer(2, 3), "[1] 2 (benchmarks) or 3");
    prm.declare_entry("Source", "pipe", Patterns::Selection("channel_with_cylinder|dfg_channel_3d|rectangle|pipe|stented_channel|file"),
                      "channel_with_cylinder: DFG benchmark channel 2.2 x 0.41 with a cylinder D = 0.1 at "
                      "(0.2,0.2) (boundary ids 0 inflow, 1 outflow, 2 cylinder, 3 walls); dfg_channel_3d (3D): "
                      "DFG 3D-1Z channel 2.5 x 0.41 x 0.41, cylinder D = 0.1 along z through (0.5,0.2), same ids; rectangle: box from "
                      "the corners, ids 0..2*dim-1 for x-,x+,y-,y+(,z-,z+); pipe (3D): circular pipe along x "
                      "from -L/2 to L/2, ids 0 wall, 1 inlet (x = -L/2), 2 outlet; stented_channel (2D): longitudinal "
                      "section of a stented vessel, channel [0, L] x [-W/2, W/2] with rectangular struts on both walls, "
                      "ids 0 wall, 1 inlet, 2 outlet, 3 struts; file: Gmsh .msh (3D), "
                      "boundary ids = physical tags; or a .otmesh written by `organtwin mesh` (ids as in its tags.csv)");
    prm.declare_entry("Element type", "hex", Patterns::Selection("hex|tet"),
                      "hex: Q2-Q1 Taylor-Hood; tet: P2-P1 on simplices (rectangle/pipe are split; file: as stored)");
    prm.declare_entry("Formulation", "taylor-hood", Patterns::Selection("taylor-hood|equal-order"),
                      "taylor-hood: inf-sup stable Q2-Q1 / P2-P1; equal-order: Q1-Q1 / P1-P1 with residual-based "
                      "SUPG/PSPG and grad-div (LSIC) stabilisation (about 1/8 of the DoFs of Taylor-Hood on the "
                      "same mesh in 3D; for large patient meshes)");
    prm.declare_entry("Refinements", "0", Patterns::Integer(0, 10), "[1] uniform refinements of the base mesh");
    prm.declare_entry("Lower corner", "0,0", Patterns::Anything(), "[mm] rectangle: dim numbers");
    prm.declare_entry("Upper corner", "1,1", Patterns::Anything(), "[mm] rectangle: dim numbers");
    prm.declare_entry("Subdivisions", "1,1", Patterns::Anything(), "[1] rectangle: cells per direction, dim integers");
    prm.declare_entry("Pipe radius", "1", Patterns::Double(0.), "[mm] pipe radius R; > 0");
    prm.declare_entry("Pipe length", "10", Patterns::Double(0.), "[mm] pipe length L; > 0");
    prm.declare_entry("Pipe subdivisions", "4", Patterns::Integer(1, 1000), "[1] pipe: cells along the axis");
    prm.declare_entry("File", "", Patterns::Anything(), "file: Gmsh .msh volume mesh (relative to the deck first)");
    prm.enter_subsection("Stented channel");
    prm.declare_entry("Width", "3", Patterns::Double(0.), "[mm] vessel diameter W");
    prm.declare_entry("Length", "14", Patterns::Double(0.), "[mm] channel length L");
    prm.declare_entry("Strut count", "4", Patterns::Integer(0, 100), "[1] struts on each wall");
    prm.declare_entry("Strut thickness", "0.08", Patterns::Double(0.), "[mm] radial strut height (into the lumen)");
    prm.declare_entry("Strut width", "0.1", Patterns::Double(0.), "[mm] axial strut width");
    prm.declare_entry("Strut spacing", "1", Patterns::Double(0.), "[mm] centre-to-centre axial distance of struts");
    prm.declare_entry("Stent start", "3", Patterns::Double(0.), "[mm] x of the upstream edge of the first strut");
    prm.declare_entry("Fine cell size", "0.025", Patterns::Double(0.), "[mm] cells near the struts and walls");
    prm.declare_entry("Coarse cell size", "0.1", Patterns::Double(0.), "[mm] cells in the core and far from the stent");
    prm.declare_entry("Wall layer", "0.3", Patterns::Double(0.), "[mm] thickness of the fine layer at each wall");
    prm.leave_subsection();
    prm.declare_entry("Unit to mm", "1", Patterns::Double(0.), "[mm] length of one file unit");
    prm.leave_subsection();

    prm.enter_subsection("Fluid");
    prm.declare_entry("Density", "1.06", Patterns::Double(), "[mg/mm^3] = g/cm^3; blood 1.06 (Ku 1997); > 0");
    prm.declare_entry("Rheology", "Newtonian", Patterns::Selection("Newtonian|CarreauYasuda"),
                      "Newtonian (Viscosity) or Carreau-Yasuda shear thinning (constants below)");
    prm.declare_entry("Viscosity", "0.0035", Patterns::Double(),
                      "[kPa ms] = Pa s; Newtonian dynamic viscosity, blood 3.5e-3 (Ku 1997); > 0");
    prm.declare_entry("Viscous term", "symmetric", Patterns::Selection("symmetric|laplacian"),
                      "symmetric: 2 mu eps(u) (physical traction; needed for Carreau-Yasuda); laplacian: mu grad u "
                      "(do-nothing outflow of the DFG benchmark, exact for fully developed outflow)");
    prm.enter_subsection("Carreau-Yasuda");
    prm.declare_entry("mu_0", "0.056", Patterns::Double(), "[kPa ms] zero-shear viscosity (Cho & Kensey 1991)");
    prm.declare_entry("mu_inf", "0.00345", Patterns::Double(), "[kPa ms] infinite-shear viscosity (Cho & Kensey 1991)");
    prm.declare_entry("lambda", "3313", Patterns::Double(), "[ms] relaxation time, 3.313 s (Cho & Kensey 1991)");
    prm.declare_entry("n", "0.3568", Patterns::Double(), "[1] power-law index (Cho & Kensey 1991)");
    prm.declare_entry("a", "2", Patterns::Double(), "[1] Yasuda exponent (Cho & Kensey 1991)");
    prm.leave_subsection();
    prm.leave_subsection();

    prm.enter_subsection("Boundary conditions");
    prm.declare_entry("No-slip", "0", Patterns::Anything(), "boundary ids with u = 0 (walls, struts)");
    prm.declare_entry("Inflow", "1", Patterns::Anything(), "boundary ids with a prescribed inflow profile");
    prm.declare_entry("Outlets", "2", Patterns::Anything(), "boundary ids with a traction / resistance / RCR outlet");
    prm.declare_entry("Inflow profile", "parabolic", Patterns::Selection("parabolic|plug|womersley|duct"),
                      "velocity profile normal to each inflow patch carrying the flow rate Q(t): parabolic "
                      "(Poiseuille; 2D: 1.5 Q/H at the centre), plug (Q/A), womersley (3D, circular patch, Fourier "
                      "series of a periodic waveform), duct (axis-aligned rectangular patch: product of parabolas, "
                      "centre value Q/(A (2/3)^(dim-1)); the DFG 3D inflow)");
    prm.declare_entry("Flow rate", "0", Patterns::Double(),
                      "[mm^3/ms] = mL/s (2D: mm^2/ms, per unit depth) constant Q when no Waveform is given");
    prm.declare_entry("Waveform", "", Patterns::Anything(),
                      "Q(t) table: a CSV file (t [ms], Q [mm^3/ms], relative to the deck) or inline \"t,Q; t,Q; ...\"");
    prm.declare_entry("Waveform periodic", "true", Patterns::Bool(), "repeat the table with period t_last - t_first");
    prm.declare_entry("Womersley harmonics", "10", Patterns::Integer(1, 100), "[1] Fourier harmonics kept");
    prm.declare_entry("Ramp time", "0", Patterns::Double(0.),
                      "[ms] the inflow is multiplied by (1 - cos(pi t/T_ramp))/2 for t < T_ramp (0 = no ramp)");
    prm.declare_entry("Outlet model", "traction", Patterns::Selection("traction|resistance|RCR"),
                      "traction: p = Outlet pressure (do-nothing when 0); resistance: p = R Q; RCR: three-element "
                      "Windkessel p = Rp Q + Pc, C dPc/dt = Q - Pc/Rd (explicit coupling with the flow of the "
                      "previous step)");
    prm.declare_entry("Outlet pressure", "0", Patterns::Anything(), "[kPa] traction outlets: one value or one per outlet");
    prm.declare_entry("Resistance", "0", Patterns::Anything(), "[kPa ms/mm^3] resistance outlets: one per outlet");
    prm.declare_entry("RCR", "", Patterns::Anything(),
                      "RCR outlets: one \"Rp,C,Rd,Pc0\" group per outlet separated by ';' "
                      "([kPa ms/mm^3], [mm^3/kPa], [kPa ms/mm^3], [kPa])");
    prm.declare_entry("Backflow stabilisation", "0.2", Patterns::Double(0., 1.),
                      "[1] beta of the outflow term beta rho/2 min(u.n,0) u (Moghadam et al. 2011); 0 = off");
    prm.leave_subsection();

    prm.enter_subsection("Time");
    prm.declare_entry("Mode", "transient", Patterns::Selection("steady|transient"), "steady: Newton on the steady equations");
    prm.declare_entry("Scheme", "BDF2", Patterns::Selection("BDF1|BDF2|BDF3|CN"),
                      "BDF1 (backward Euler); BDF2 (starts with one BDF1 step; the only scheme with Adaptive); "
                      "BDF3 (fixed step, 11/6, -3, 3/2, -1/3; starts with one CN and one BDF2 step; "
                      "A(86 deg)-stable, not A-stable); CN: Crank-Nicolson (fixed step, convection and viscous "
                      "terms averaged over t_n and t_(n+1), pressure at t_(n+1/2): forces, pressure points and "
                      "mean pressures in flow.csv belong to t - dt/2; no amplitude error on oscillations, no "
                      "damping of fast modes). BDF3 and CN need Linearisation = newton; CN also traction outlets "
                      "and Formulation = taylor-hood");
    prm.declare_entry("Linearisation", "newton", Patterns::Selection("newton|semi-implicit"),
                      "newton: full Newton per step; semi-implicit: convection by the extrapolated velocity "
                      "2u^n - u^(n-1) (one linear solve per step)");
    prm.declare_entry("Time step", "1", Patterns::Double(), "[ms] > 0");
    prm.declare_entry("End time", "10", Patterns::Double(), "[ms] > 0");
    prm.declare_entry("Refine at", "", Patterns::Anything(),
                      "[ms] comma list of times (transient, hex meshes): at the first step at or after each, every "
                      "cell is refined once and u^n, u^(n-1) are interpolated onto the finer mesh (a fine run "
                      "started from a developed coarse flow); empty = never");
    prm.declare_entry("Adaptive", "false", Patterns::Bool(),
                      "BDF2 only: variable step size chosen by a local error estimate (BDF2 solution against the "
                      "quadratic extrapolation of the last three steps, Milne device); a step whose estimate "
                      "exceeds Error tolerance is repeated with a smaller step. Time step is the first step");
    prm.declare_entry("Error tolerance", "1e-3", Patterns::Double(0.),
                      "[1] Adaptive: accepted local error per step, l2 norm of the velocity error estimate "
                      "relative to the largest l2 norm of the velocity so far; > 0");
    prm.declare_entry("Min time step", "0", Patterns::Double(0.),
                      "[ms] Adaptive: smallest step (0 = Time step / 1000); a step at the minimum is accepted "
                      "with a warning count");
    prm.declare_entry("Max time step", "0", Patterns::Double(0.), "[ms] Adaptive: largest step (0 = End time / 10)");
    prm.declare_entry("Max CFL", "0", Patterns::Double(0.),
                      "[1] stop with a message when max |u| dt / h exceeds it (0 = no check; NaN and Newton "
                      "divergence always stop the run)");
    prm.leave_subsection();

    prm.enter_subsection("Solver");
    prm.declare_entry("Newton tolerance", "1e-10", Patterns::Double(0.), "[1] residual l2 norm, relative to the first");
    prm.declare_entry("Newton max iterations", "15", Patterns::Integer(1, 200), "[1]");
    prm.declare_entry("Jacobian update", "every iteration", Patterns::Selection("every iteration|every step|lagged"),
                      "every iteration: Newton; every step: Jacobian (and factorisation/preconditioner) of the first "
                      "iteration reused within the step; lagged: reused across steps, refreshed when an iteration "
                      "reduces the residual by less than 4x or the BDF coefficient changes. Same converged "
                      "tolerance in all cases; the sparsity pattern and the symbolic factorisation are always reused");
    prm.declare_entry("Picard iterations", "0", Patterns::Integer(0, 199),
                      "[1] Mode = steady: at most this many Picard (Oseen) iterations (convection by the current "
                      "iterate, no (du.grad)u term in the matrix) before Newton; 0 = Newton from the start. "
                      "Counted in Newton max iterations");
    prm.declare_entry("Picard switch", "0", Patterns::Double(0., 1.),
                      "[1] Mode = steady: hand over from Picard to Newton as soon as |r|_2 <= this x |r_0|_2 "
                      "(0 = only after Picard iterations)");
    prm.declare_entry("Line search", "backtracking", Patterns::Selection("backtracking|none"),
                      "Mode = steady: backtracking: each Picard/Newton step u + lambda du takes the first lambda of "
                      "1, 1/2, 1/4, ... with |r(u + lambda du)|_2 <= (1 - 1e-4 lambda) |r(u)|_2 (Armijo), "
                      "down to Line search min step; none: full steps");
    prm.declare_entry("Line search min step", "0.015625", Patterns::Double(0., 1.),
                      "[1] smallest lambda tried (0 < min <= 1); when no lambda satisfies the Armijo test the "
                      "tried step with the smallest residual is taken");
    prm.declare_entry("Continuation steps", "1", Patterns::Integer(1, 100),
                      "[1] Mode = steady: solve with the inflow scaled by k/n, k = 1..n, each from the previous "
                      "solution (continuation in the Reynolds number); 1 = the full inflow at once");
    prm.declare_entry("Linear solver", "direct", Patterns::Selection("direct|iterative"),
                      "direct: sparse LU through Amesos (Direct solver: MUMPS by default); iterative: FGMRES with the block-triangular preconditioner "
                      "(AMG on the velocity block, Cahouet-Chabard Schur approximation)");
    prm.declare_entry("Direct solver", "Amesos_Mumps", Patterns::Selection("Amesos_Mumps|Amesos_Klu"),
                      "direct only: MUMPS (multifrontal, fast for FE matrices) or KLU (gathers to one rank)");
    prm.declare_entry("Linear tolerance", "1e-8", Patterns::Double(0.), "[1] FGMRES relative residual");
    prm.declare_entry("Linear max iterations", "500", Patterns::Integer(1), "[1]");
    prm.leave_subsection();

    prm.enter_subsection("Quantities");
    prm.declare_entry("Force tags", "", Patterns::Anything(), "boundary ids on which drag/lift are computed");
    prm.declare_entry("Flux tags", "", Patterns::Anything(), "boundary ids for flow rate and mean pressure");
    prm.declare_entry("Wall tags", "", Patterns::Anything(), "boundary ids for WSS, TAWSS, OSI, RRT");
    prm.declare_entry("Reference velocity", "1", Patterns::Double(0.), "[mm/ms] U in cD = 2F/(rho U^2 A)");
    prm.declare_entry("Reference area", "1", Patterns::Double(0.), "[mm^2] A in cD (2D: a length [mm])");
    prm.declare_entry("Pressure points", "", Patterns::Anything(),
                      "[mm] 'x,y[,z]; x,y[,z]': pressure traces; with two points dp = p1 - p2 is reported");
    prm.declare_entry("Cycle period", "0", Patterns::Double(0.), "[ms] averaging window of TAWSS/OSI/RRT (0 = End time - start)");
    prm.declare_entry("Averaging start", "0", Patterns::Double(0.), "[ms] begin of the averaging window");
    prm.declare_entry("Low TAWSS threshold", "0.4", Patterns::Double(0.), "[Pa] TAWSS below this counts as low");
    prm.leave_subsection();

    prm.enter_subsection("Verification");
    prm.declare_entry("Exact solution", "none", Patterns::Selection("none|kovasznay|womersley"),
                      "kovasznay (2D, Re = rho/mu): Dirichlet data and outlet traction from the exact solution, errors "
                      "reported; womersley (3D pipe): start from the exact state, report the velocity error each step");
    prm.leave_subsection();

    prm.enter_subsection("Output");
    prm.declare_entry("Directory", "results/flow", Patterns::Anything(), "result folder (replaced at the end of a successful run)");
    prm.declare_entry("Field interval", "0", Patterns::Integer(0), "[steps] PVTU fields every N steps; 0 = final state only");
    prm.declare_entry("Progress interval", "10", Patterns::Double(0.), "[s] wall time between progress lines");
    prm.leave_subsection();
  }

  void
  FlowParameters::parse_parameters(ParameterHandler &prm, const std::string &deck_file)
  {
    deck             = deck_file;
    const auto where = [&](const std::string &entry, const std::string &value) {
      return deck + ": [" + entry + "] = " + value;
    };
    namespace fs = std::filesystem;
    auto near_deck = [&](const std::string &f) {
      if (!f.empty() && fs::path(f).is_relative())
        {
          const fs::path p = fs::path(deck).parent_path() / f;
          if (fs::exists(p))
            return p.string();
        }
      return f;
    };

    prm.enter_subsection("Mesh");
    dim              = prm.get_integer("Dimension");
    prm_mesh_source  = prm.get("Source");
    prm_element_type = prm.get("Element type");
    prm_equal_order  = prm.get("Formulation") == "equal-order";
    prm_refinements  = prm.get_integer("Refinements");
    prm_lower        = doubles(prm.get("Lower corner"), where("Mesh/Lower corner", prm.get("Lower corner")));
    prm_upper        = doubles(prm.get("Upper corner"), where("Mesh/Upper corner", prm.get("Upper corner")));
    for (const double s : doubles(prm.get("Subdivisions"), where("Mesh/Subdivisions", prm.get("Subdivisions"))))
      prm_subdivisions.push_back(static_cast<unsigned int>(std::max(1., s)));
    prm_pipe_radius       = prm.get_double("Pipe radius");
    prm_pipe_length       = prm.get_double("Pipe length");
    prm_pipe_subdivisions = prm.get_integer("Pipe subdivisions");
    prm_mesh_file         = near_deck(prm.get("File"));
    prm_unit_to_mm        = prm.get_double("Unit to mm");
    prm.enter_subsection("Stented channel");
    stent.width     = prm.get_double("Width");
    stent.length    = prm.get_double("Length");
    stent.count     = prm.get_integer("Strut count");
    stent.thickness = prm.get_double("Strut thickness");
    stent.strut_width = prm.get_double("Strut width");
    stent.spacing   = prm.get_double("Strut spacing");
    stent.start     = prm.get_double("Stent start");
    stent.h_fine    = prm.get_double("Fine cell size");
    stent.h_coarse  = prm.get_double("Coarse cell size");
    stent.wall_layer = prm.get_double("Wall layer");
    prm.leave_subsection();
    prm.leave_subsection();
    if (prm_mesh_source == "stented_channel")
      {
        const std::string w = deck + ": [Mesh/Stented channel]";
        input_check(dim == 2, w, "stented_channel needs Mesh/Dimension = 2");
        input_check(stent.width > 0 && stent.length > 0 && stent.h_fine > 0 && stent.h_coarse > 0, w,
                    "Width, Length and cell sizes must be > 0");
        input_check(stent.thickness > 0 && stent.thickness < stent.wall_layer && stent.wall_layer < 0.5 * stent.width, w,
                    "expected 0 < Strut thickness < Wall layer < Width/2");
        input_check(stent.strut_width > 0 && (stent.count <= 1 || stent.spacing > stent.strut_width), w,
                    "expected Strut width > 0 and Strut spacing > Strut width");
        input_check(stent.start > 0 && stent.start + (stent.count - 1) * stent.spacing + stent.strut_width < stent.length, w,
                    "the struts must lie inside (0, Length)");
      }
    if (prm_mesh_source == "rectangle")
      input_check(prm_lower.size() == dim && prm_upper.size() == dim && prm_subdivisions.size() == dim,
                  where("Mesh/Lower corner", prm.get("Mesh/Lower corner")),
                  "rectangle: Lower corner, Upper corner and Subdivisions need " + std::to_string(dim) + " numbers each");
    if (prm_mesh_source == "pipe" || prm_mesh_source == "file" || prm_mesh_source == "dfg_channel_3d")
      input_check(dim == 3, where("Mesh/Dimension", std::to_string(dim)), "Source = " + prm_mesh_source + " needs Dimension = 3");
    if (prm_mesh_source == "file")
      input_check(fs::exists(prm_mesh_file), where("Mesh/File", "\"" + prm_mesh_file + "\""), "cannot open the mesh file");

    prm.enter_subsection("Fluid");
    prm_density = prm.get_double("Density");
    input_check(prm_density > 0., where("Fluid/Density", num(prm_density)), "expected a density > 0 mg/mm^3");
    prm_symmetric_viscous = prm.get("Viscous term") == "symmetric";
    if (prm.get("Rheology") == "Newtonian")
      {
        const double mu = prm.get_double("Viscosity");
        input_check(mu > 0., where("Fluid/Viscosity", num(mu)), "expected a dynamic viscosity > 0 kPa ms (= Pa s)");
        rheology = fluids::Rheology::newtonian(mu);
      }
    else
      {
        prm.enter_subsection("Carreau-Yasuda");
        fluids::CarreauYasudaConstants c;
        c.mu_0      = prm.get_double("mu_0");
        c.mu_inf    = prm.get_double("mu_inf");
        c.lambda_ms = prm.get_double("lambda");
        c.n         = prm.get_double("n");
        c.a         = prm.get_double("a");
        prm.leave_subsection();
        input_check(c.mu_0 > 0. && c.mu_inf >= 0. && c.mu_inf <= c.mu_0,
                    where("Fluid/Carreau-Yasuda/mu_0", num(c.mu_0) + ", mu_inf = " + num(c.mu_inf)),
                    "expected viscosities 0 <= mu_inf <= mu_0, mu_0 > 0");
        input_check(c.lambda_ms > 0. && c.a > 0. && c.n > 0., where("Fluid/Carreau-Yasuda/lambda", num(c.lambda_ms)),
                    "expected lambda > 0, a > 0, n > 0");
        rheology = fluids::Rheology::carreau_yasuda(c);
        input_check(prm_symmetric_viscous, where("Fluid/Viscous term", "laplacian"),
                    "Carreau-Yasuda needs Viscous term = symmetric");
      }
    prm.leave_subsection();

    prm.enter_subsection("Boundary conditions");
    prm_no_slip = ids(prm.get("No-slip"), where("Boundary conditions/No-slip", prm.get("No-slip")));
    prm_inflow  = ids(prm.get("Inflow"), where("Boundary conditions/Inflow", prm.get("Inflow")));
    prm_outlets = ids(prm.get("Outlets"), where("Boundary conditions/Outlets", prm.get("Outlets")));
    const std::string profile = prm.get("Inflow profile");
    prm_profile = profile == "plug" ? InflowProfile::plug : profile == "womersley" ? InflowProfile::womersley :
                  profile == "duct" ? InflowProfile::duct : InflowProfile::parabolic;
    const bool        periodic = prm.get_bool("Waveform periodic");
    const std::string wf       = prm.get("Waveform");
    const std::string wwhere   = where("Boundary conditions/Waveform", "\"" + wf + "\"");
    if (wf.empty())
      prm_waveform = Waveform::constant(prm.get_double("Flow rate"));
    else if (wf.find_first_of(";\n") != std::string::npos ||
             (wf.find(',') != std::string::npos && !fs::exists(near_deck(wf))))
      prm_waveform = Waveform::parse(wf, wwhere, periodic);
    else
      prm_waveform = Waveform::from_file(near_deck(wf), wwhere, periodic);
    prm_harmonics = prm.get_integer("Womersley harmonics");
    prm_ramp_time = prm.get_double("Ramp time");
    const std::string om = prm.get("Outlet model");
    prm_outlet_model     = om == "resistance" ? OutletModel::resistance : om == "RCR" ? OutletModel::rcr : OutletModel::traction;
    const std::size_t n_out = prm_outlets.size();
    auto per_outlet = [&](const std::string &entry) {
      auto v = doubles(prm.get(entry), where("Boundary conditions/" + entry, prm.get(entry)));
      if (n_out == 0)
        return std::vector<double>(); // reported below: an outlet is required
      if (v.size() == 1 && n_out > 1)
        v.assign(n_out, v[0]);
      input_check(v.size() == n_out, where("Boundary conditions/" + entry, prm.get(entry)),
                  "expected one value or one per outlet (" + std::to_string(n_out) + ")");
      return v;
    };
    prm_outlet_pressure = per_outlet("Outlet pressure");
    if (prm_outlet_model == OutletModel::resistance)
      {
        prm_resistance = per_outlet("Resistance");
        for (double r : prm_resistance)
          input_check(r >= 0., where("Boundary conditions/Resistance", prm.get("Resistance")), "expected resistances >= 0");
      }
    if (prm_outlet_model == OutletModel::rcr)
      {
        const auto groups = split(prm.get("RCR"), ';');
        input_check(groups.size() == n_out, where("Boundary conditions/RCR", "\"" + prm.get("RCR") + "\""),
                    "expected one Rp,C,Rd,Pc0 group per outlet (" + std::to_string(n_out) + "), separated by ';'");
        for (const auto &g : groups)
          {
            const auto v = doubles(g, where("Boundary conditions/RCR", "\"" + g + "\""));
            input_check(v.size() == 4 && v[0] >= 0. && v[1] > 0. && v[2] > 0.,
                        where("Boundary conditions/RCR", "\"" + g + "\""), "expected Rp >= 0, C > 0, Rd > 0, Pc0");
            prm_rcr_rp.push_back(v[0]);
            prm_rcr_c.push_back(v[1]);
            prm_rcr_rd.push_back(v[2]);
            prm_rcr_p0.push_back(v[3]);
          }
      }
    prm_backflow_beta = prm.get_double("Backflow stabilisation");
    prm.leave_subsection();

    prm.enter_subsection("Verification");
    prm_exact = prm.get("Exact solution");
    prm.leave_subsection();

    input_check(!prm_outlets.empty() || prm_exact == "kovasznay", where("Boundary conditions/Outlets", "\"\""),
                "expected at least one outlet boundary id (an enclosed flow has no pressure level)");
    {
      std::set<unsigned int> seen;
      for (const auto *list : {&prm_no_slip, &prm_inflow, &prm_outlets})
        for (unsigned int id : *list)
          input_check(seen.insert(id).second, where("Boundary conditions", "id " + std::to_string(id)),
                      "boundary id " + std::to_string(id) + " is given more than one condition");
    }
    if (prm_profile == InflowProfile::womersley)
      input_check(dim == 3, where("Boundary conditions/Inflow profile", "womersley"), "needs Dimension = 3");
    if (prm_exact == "kovasznay")
      input_check(dim == 2 && prm_mesh_source == "rectangle", where("Verification/Exact solution", "kovasznay"),
                  "needs Dimension = 2 and Source = rectangle");
    if (prm_exact == "womersley")
      input_check(dim == 3 && prm_profile == InflowProfile::womersley && rheology.is_newtonian(),
                  where("Verification/Exact solution", "womersley"),
                  "needs Dimension = 3, Inflow profile = womersley and a Newtonian fluid");

    prm.enter_subsection("Time");
    prm_steady    = prm.get("Mode") == "steady";
    prm_bdf_order = prm.get("Scheme") == "BDF1" ? 1 : prm.get("Scheme") == "BDF3" ? 3 : 2;
    prm_crank_nicolson = prm.get("Scheme") == "CN";
    if (prm_crank_nicolson)
      prm_bdf_order = 1; // one stored level, like BDF1
    prm_newton    = prm.get("Linearisation") == "newton";
    prm_dt        = prm.get_double("Time step");
    prm_end_time  = prm.get_double("End time");
    prm_max_cfl   = prm.get_double("Max CFL");
    prm_refine_at = doubles(prm.get("Refine at"), where("Time/Refine at", prm.get("Refine at")));
    prm_adaptive  = prm.get_bool("Adaptive");
    prm_time_tol  = prm.get_double("Error tolerance");
    prm_dt_min    = prm.get_double("Min time step");
    prm_dt_max    = prm.get_double("Max time step");
    prm.leave_subsection();
    if ((prm_bdf_order == 3 || prm_crank_nicolson) && !prm_steady)
      input_check(prm_newton, where("Time/Scheme", prm_crank_nicolson ? "CN" : "BDF3"),
                  "needs Linearisation = newton (the semi-implicit convection is a BDF2 extrapolation)");
    if (prm_crank_nicolson && !prm_steady)
      {
        input_check(!prm_equal_order, where("Time/Scheme", "CN"),
                    "needs Mesh/Formulation = taylor-hood (the SUPG/PSPG residual is written for BDF)");
        input_check(prm_outlet_model == OutletModel::traction, where("Time/Scheme", "CN"),
                    "needs Boundary conditions/Outlet model = traction (resistance and RCR outlets are lagged in time)");
      }
    if (prm_adaptive && !prm_steady)
      {
        input_check(prm_bdf_order == 2 && !prm_crank_nicolson, where("Time/Adaptive", "true"), "needs Scheme = BDF2");
        input_check(prm_refine_at.empty(), where("Time/Adaptive", "true"), "cannot be combined with Time/Refine at");
        input_check(prm_time_tol > 0., where("Time/Error tolerance", num(prm_time_tol)), "expected a tolerance > 0");
        if (prm_dt_min == 0.)
          prm_dt_min = prm_dt / 1000.;
        if (prm_dt_max == 0.)
          prm_dt_max = prm_end_time / 10.;
        input_check(prm_dt_min <= prm_dt_max, where("Time/Min time step", num(prm_dt_min)),
                    "expected Min time step <= Max time step (" + num(prm_dt_max) + " ms)");
      }
    if (!prm_steady)
      {
        input_check(prm_dt > 0., where("Time/Time step", num(prm_dt)), "expected a time step > 0 ms");
        input_check(prm_end_time >= prm_dt, where("Time/End time", num(prm_end_time)), "expected at least one Time step");
        for (double t : prm_refine_at)
          input_check(t > 0. && t < prm_end_time, where("Time/Refine at", num(t)), "expected times in (0, End time)");
      }

    prm.enter_subsection("Solver");
    prm_newton_tol  = prm.get_double("Newton tolerance");
    prm_newton_max  = prm.get_integer("Newton max iterations");
    {
      const std::string j = prm.get("Jacobian update");
      prm_jacobian_update = j == "every step" ? JacobianUpdate::every_step :
                            j == "lagged"     ? JacobianUpdate::lagged :
                                                JacobianUpdate::every_iteration;
    }
    prm_picard_iterations  = prm.get_integer("Picard iterations");
    prm_picard_switch      = prm.get_double("Picard switch");
    prm_line_search        = prm.get("Line search") == "backtracking";
    prm_min_step           = prm.get_double("Line search min step");
    prm_continuation_steps = prm.get_integer("Continuation steps");
    prm_direct      = prm.get("Linear solver") == "direct";
    prm_direct_package = prm.get("Direct solver");
    prm_linear_rtol = prm.get_double("Linear tolerance");
    prm_linear_max  = prm.get_integer("Linear max iterations");
    prm.leave_subsection();
    input_check(prm_min_step > 0., where("Solver/Line search min step", num(prm_min_step)),
                "expected a step length in (0, 1]");
    if (prm_steady)
      input_check(prm_picard_iterations < prm_newton_max,
                  where("Solver/Picard iterations", std::to_string(prm_picard_iterations)),
                  "expected fewer Picard iterations than Newton max iterations (" + std::to_string(prm_newton_max) +
                    "), which count both");

    prm.enter_subsection("Quantities");
    prm_force_tags   = ids(prm.get("Force tags"), where("Quantities/Force tags", prm.get("Force tags")));
    prm_flux_tags    = ids(prm.get("Flux tags"), where("Quantities/Flux tags", prm.get("Flux tags")));
    prm_wall_tags    = ids(prm.get("Wall tags"), where("Quantities/Wall tags", prm.get("Wall tags")));
    prm_ref_velocity = prm.get_double("Reference velocity");
    prm_ref_area     = prm.get_double("Reference area");
    for (const auto &pt : split(prm.get("Pressure points"), ';'))
      {
        const auto v = doubles(pt, where("Quantities/Pressure points", "\"" + pt + "\""));
        input_check(v.size() == dim, where("Quantities/Pressure points", "\"" + pt + "\""),
                    "expected " + std::to_string(dim) + " coordinates per point");
        Point<3> p;
        for (unsigned int d = 0; d < dim; ++d)
          p[d] = v[d];
        prm_pressure_points.push_back(p);
      }
    prm_cycle_period    = prm.get_double("Cycle period");
    prm_averaging_start = prm.get_double("Averaging start");
    prm_low_tawss_pa    = prm.get_double("Low TAWSS threshold");
    prm.leave_subsection();
    if (!prm_refine_at.empty())
      input_check(!prm_steady && prm_element_type != "tet" && prm_wall_tags.empty() && prm_exact == "none",
                  where("Time/Refine at", prm.get("Time/Refine at")),
                  "needs Mode = transient, hexahedral elements, no Wall tags and no exact solution");

    prm.enter_subsection("Output");
    prm_directory         = prm.get("Directory");
    prm_field_interval    = prm.get_integer("Field interval");
    prm_progress_interval = prm.get_double("Progress interval");
    prm.leave_subsection();
  }
} // namespace organtwin::flow
