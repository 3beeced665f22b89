#include <deal.II/base/symmetric_tensor.h>

#include <physics/drugs/concentration_source.h>
#include <physics/pk/pbpk_source.h>
#include <solvers/common/parameters.h>
#include <solvers/perfusion/perfusion_parameters.h>

#include <cmath>
#include <filesystem>
#include <sstream>
#include <vector>

namespace organtwin::perfusion
{
  using namespace dealii;

  namespace
  {
    std::vector<double>
    parse_numbers(const std::string &text, const std::string &where)
    {
      std::vector<double> v;
      std::stringstream   ss(text);
      std::string         item;
      while (std::getline(ss, item, ','))
        {
          const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
          input_check(b != std::string::npos, where + " = \"" + text + "\"", "empty item in the comma list");
          item         = item.substr(b, e - b + 1);
          char  *end   = nullptr;
          double value = std::strtod(item.c_str(), &end);
          input_check(*end == '\0', where + " = \"" + text + "\"", "\"" + item + "\" is not a number");
          v.push_back(value);
        }
      return v;
    }

    std::set<types::boundary_id>
    parse_ids(const std::string &text, const std::string &where)
    {
      std::set<types::boundary_id> ids;
      for (const double v : parse_numbers(text, where))
        {
          input_check(v >= 0 && v < 65535 && v == std::floor(v), where + " = \"" + text + "\"",
                      "boundary ids are integers >= 0");
          ids.insert(static_cast<types::boundary_id>(v));
        }
      return ids;
    }
  } // namespace

  void
  PerfusionParameters::declare(ParameterHandler &prm)
  {
    meshes::MeshParameters::declare_parameters(prm);
    prm.enter_subsection("Perfusion");
    prm.declare_entry("Organ", "generic", Patterns::Selection("liver|kidney|generic"),
                      "organ whose ICRP 89 reference values (physics/pk) fill entries set to -1: inlet flow, "
                      "blood volume fraction, filtration clearance (kidney GFR)");
    prm.declare_entry("Organ fraction", "1", Patterns::Double(),
                      "[1] share of the ICRP 89 organ that the mesh represents, in (0,1] (one of the two kidneys: "
                      "0.5); scales the ICRP defaults (entries set to -1) of Inlet flow and Filtration clearance; "
                      "explicit values (and Intrinsic clearance, PS) are taken as given");
    prm.declare_entry("Hydraulic conductivity", "240", Patterns::Anything(),
                      "[mm^2/(kPa s)] K/mu of the Darcy law u = -(K/mu) grad p: one value (isotropic), three "
                      "(xx,yy,zz) or six (xx,yy,zz,xy,xz,yz); symmetric positive definite");
    prm.declare_entry("Inlet boundary ids", "0", Patterns::Anything(),
                      "comma list of boundary ids of the arterial/portal inlet patch(es)");
    prm.declare_entry("Outlet boundary ids", "1", Patterns::Anything(),
                      "comma list of boundary ids of the venous outlet patch(es)");
    prm.declare_entry("Inlet region", "", Patterns::Anything(),
                      "[mm] x,y,z,r: boundary faces whose centre lies in this sphere form the inlet patch (boundary "
                      "id 100, added to the inlet ids); for meshes without patch tags. Empty = not used");
    prm.declare_entry("Outlet region", "", Patterns::Anything(),
                      "[mm] x,y,z,r: as Inlet region, for the outlet patch (boundary id 101)");
    prm.declare_entry("Inlet condition", "pressure", Patterns::Selection("pressure|flow"),
                      "pressure: p = Inlet pressure on the inlet; flow: uniform normal flux carrying Inlet flow");
    prm.declare_entry("Inlet pressure", "1", Patterns::Double(), "[kPa] inlet pressure (Inlet condition = pressure)");
    prm.declare_entry("Inlet flow", "-1", Patterns::Double(),
                      "[mL/min] total blood flow into the organ (Inlet condition = flow); -1 = ICRP 89 reference "
                      "blood flow of the Organ");
    prm.declare_entry("Outlet pressure", "0", Patterns::Double(), "[kPa] venous outlet pressure");
    prm.declare_entry("Blood volume fraction", "0.1", Patterns::Double(),
                      "[1] phi_b, vascular volume per organ volume, in (0,1); -1 = ICRP 89 regional blood volume of "
                      "the Organ over its volume");
    prm.leave_subsection();

    prm.enter_subsection("Drug");
    prm.declare_entry("Enabled", "true", Patterns::Bool(), "solve drug transport after the Darcy perfusion");
    prm.declare_entry("Fraction unbound in blood", "1", Patterns::Double(),
                      "[1] fu_b = fu / (blood:plasma ratio), in (0,1]");
    prm.declare_entry("Fraction unbound in tissue", "1", Patterns::Double(), "[1] fu_t, in (0,1]");
    prm.declare_entry("Tissue volume fraction", "-1", Patterns::Double(),
                      "[1] phi_t, tissue (extravascular) volume per organ volume; -1 = 1 - phi_b");
    prm.declare_entry("Permeability-surface product", "1e4", Patterns::Double(),
                      "[L/h] organ PS of the vessel wall for unbound drug; >= 0 (large = fast exchange)");
    prm.declare_entry("Blood dispersion", "0", Patterns::Double(),
                      "[mm^2/s] D_b, dispersion of drug in blood (0 = plug flow); >= 0");
    prm.declare_entry("Tissue diffusivity", "0", Patterns::Double(), "[mm^2/s] D_t; >= 0");
    prm.declare_entry("Kinetics", "linear", Patterns::Selection("none|linear|michaelis_menten"),
                      "elimination of unbound drug in tissue (liver metabolism, kidney secretion)");
    prm.declare_entry("Intrinsic clearance", "0", Patterns::Double(),
                      "[L/h] unbound intrinsic clearance CLint of the organ (Kinetics = linear); >= 0");
    prm.declare_entry("Vmax", "1", Patterns::Double(), "[umol/min] organ Vmax (Kinetics = michaelis_menten); > 0");
    prm.declare_entry("Km", "1", Patterns::Double(), "[uM] unbound Km (Kinetics = michaelis_menten); > 0");
    prm.declare_entry("Filtration clearance", "0", Patterns::Double(),
                      "[L/h] clearance of unbound drug from blood (kidney: GFR); >= 0; -1 = ICRP GFR (kidney only)");
    prm.enter_subsection("Inlet concentration");
    prm.declare_entry("Source", "constant", Patterns::Selection("constant|table|pbpk"),
                      "constant: Value; table: CSV time_h + conc_uM or <organ>_unbound_uM; pbpk: results folder of "
                      "an `organtwin pk` run (concentrations.csv)");
    prm.declare_entry("Value", "1", Patterns::Double(), "[uM] unbound inlet concentration (Source = constant); >= 0");
    prm.declare_entry("File", "", Patterns::Anything(),
                      "CSV (table) or folder (pbpk); a relative path is looked up next to the deck first");
    prm.declare_entry("Organ", "plasma", Patterns::Anything(), "column of the table/PBPK results used at the inlet");
    prm.declare_entry("Time offset", "0", Patterns::Double(), "[h] PBPK clock at perfusion time t = 0");
    prm.leave_subsection();
    prm.leave_subsection();

    prm.enter_subsection("Time");
    prm.declare_entry("Steady state", "false", Patterns::Bool(),
                      "solve the steady drug transport (inlet at t = 0) instead of time stepping");
    prm.declare_entry("End time", "60", Patterns::Double(), "[s] simulated time; > 0");
    prm.declare_entry("Time step", "0.5", Patterns::Double(), "[s] > 0, <= End time");
    prm.declare_entry("Theta", "0.5", Patterns::Double(), "[1] theta scheme: 0.5 Crank-Nicolson, 1 backward Euler");
    prm.declare_entry("Output interval", "5", Patterns::Double(), "[s] field output interval (0 = end only)");
    prm.declare_entry("Picard iterations", "50", Patterns::Integer(1), "Michaelis-Menten steady state: limit");
    prm.leave_subsection();

    prm.enter_subsection("Solver");
    prm.declare_entry("SUPG", "true", Patterns::Bool(), "streamline-upwind Petrov-Galerkin stabilisation of blood");
    prm.declare_entry("Darcy tolerance", "1e-10", Patterns::Double(0.), "[1] CG relative residual");
    prm.declare_entry("Transport tolerance", "1e-10", Patterns::Double(0.), "[1] GMRES relative residual");
    prm.declare_entry("Transport preconditioner", "ILU", Patterns::Selection("ILU|BoomerAMG|Jacobi"),
                      "ILU = block Jacobi with ILU(0) per rank");
    prm.declare_entry("Max iterations", "2000", Patterns::Integer(1), "Krylov iteration limit");
    prm.leave_subsection();

    prm.enter_subsection("Verification");
    prm.declare_entry("Manufactured solution", "false", Patterns::Bool(),
                      "add the sources of the manufactured solution (docs/theory/perfusion.md) and report L2 errors; "
                      "needs an isotropic conductivity and flow along a box axis");
    prm.leave_subsection();

    prm.enter_subsection("Output");
    prm.declare_entry("Directory", "results/perfusion", Patterns::Anything(), "result folder");
    prm.declare_entry("Fields", "true", Patterns::Bool(), "PVD/PVTU fields");
    prm.declare_entry("Plot", "true", Patterns::Bool(), "perfusion.png from traces.csv (matplotlib)");
    prm.declare_entry("Progress interval", "10", Patterns::Double(0.), "[s] wall time between progress lines");
    prm.leave_subsection();
  }

  void
  PerfusionParameters::parse(ParameterHandler &prm, const std::string &deck_file)
  {
    deck           = deck_file;
    const auto w   = [&](const std::string &e) { return deck + ": [" + e + "]"; };
    const auto wv  = [&](const std::string &e, double v) {
      std::ostringstream s;
      s << deck << ": [" << e << "] = " << v;
      return s.str();
    };
    mesh.parse_parameters(prm, deck);

    prm.enter_subsection("Perfusion");
    prm_organ          = prm.get("Organ");
    prm_organ_fraction = prm.get_double("Organ fraction");
    input_check(prm_organ_fraction > 0. && prm_organ_fraction <= 1., wv("Perfusion/Organ fraction", prm_organ_fraction),
                "must be in (0,1] (share of the ICRP organ represented by the mesh)");
    {
      const std::string text = prm.get("Hydraulic conductivity");
      const auto        v    = parse_numbers(text, w("Perfusion/Hydraulic conductivity"));
      input_check(v.size() == 1 || v.size() == 3 || v.size() == 6,
                  w("Perfusion/Hydraulic conductivity") + " = \"" + text + "\"", "expected 1, 3 or 6 values");
      SymmetricTensor<2, 3> k;
      if (v.size() == 1)
        k = v[0] * unit_symmetric_tensor<3>();
      else
        {
          for (unsigned int d = 0; d < 3; ++d)
            k[d][d] = v[d];
          if (v.size() == 6)
            {
              k[0][1] = v[3];
              k[0][2] = v[4];
              k[1][2] = v[5];
            }
        }
      const auto ev = eigenvalues(k);
      input_check(ev[2] > 0., w("Perfusion/Hydraulic conductivity") + " = \"" + text + "\"",
                  "must be symmetric positive definite (smallest eigenvalue " + std::to_string(ev[2]) +
                    " mm^2/(kPa s)); a permeability is never negative");
      prm_conductivity = Tensor<2, 3>(k);
    }
    prm_inlet_ids  = parse_ids(prm.get("Inlet boundary ids"), w("Perfusion/Inlet boundary ids"));
    prm_outlet_ids = parse_ids(prm.get("Outlet boundary ids"), w("Perfusion/Outlet boundary ids"));
    for (const bool inlet : {true, false})
      {
        const std::string entry = inlet ? "Perfusion/Inlet region" : "Perfusion/Outlet region";
        const std::string text  = prm.get(inlet ? "Inlet region" : "Outlet region");
        if (text.find_first_not_of(" \t") == std::string::npos)
          continue;
        const auto v = parse_numbers(text, w(entry));
        input_check(v.size() == 4 && v[3] > 0., w(entry) + " = \"" + text + "\"", "expected x,y,z,r with r > 0 [mm]");
        (inlet ? prm_has_inlet_region : prm_has_outlet_region) = true;
        (inlet ? prm_inlet_centre : prm_outlet_centre)          = Point<3>(v[0], v[1], v[2]);
        (inlet ? prm_inlet_radius : prm_outlet_radius)          = v[3];
        (inlet ? prm_inlet_ids : prm_outlet_ids).insert(inlet ? inlet_region_id : outlet_region_id);
      }
    input_check(!prm_inlet_ids.empty(), w("Perfusion/Inlet boundary ids"), "at least one inlet boundary id is needed");
    input_check(!prm_outlet_ids.empty(), w("Perfusion/Outlet boundary ids"),
                "at least one outlet boundary id is needed");
    for (const auto id : prm_inlet_ids)
      input_check(prm_outlet_ids.count(id) == 0, w("Perfusion/Outlet boundary ids"),
                  "boundary id " + std::to_string(id) + " is also an inlet id; inlet and outlet must differ");
    prm_inlet_condition = prm.get("Inlet condition");
    prm_inlet_pressure  = prm.get_double("Inlet pressure");
    prm_inlet_flow      = prm.get_double("Inlet flow");
    prm_outlet_pressure = prm.get_double("Outlet pressure");
    prm_blood_fraction  = prm.get_double("Blood volume fraction");
    prm.leave_subsection();
    if (prm_inlet_condition == "pressure")
      input_check(prm_inlet_pressure > prm_outlet_pressure, wv("Perfusion/Inlet pressure", prm_inlet_pressure),
                  "must be above the Outlet pressure for flow from inlet to outlet");
    else
      input_check(prm_inlet_flow > 0. || (prm_inlet_flow == -1. && prm_organ != "generic"),
                  wv("Perfusion/Inlet flow", prm_inlet_flow), "must be > 0 (or -1 with Organ = liver or kidney)");
    input_check((prm_blood_fraction > 0. && prm_blood_fraction < 1.) ||
                  (prm_blood_fraction == -1. && prm_organ != "generic"),
                wv("Perfusion/Blood volume fraction", prm_blood_fraction),
                "must be in (0,1) (or -1 with Organ = liver or kidney)");

    prm.enter_subsection("Drug");
    prm_drug               = prm.get_bool("Enabled");
    prm_fu_blood           = prm.get_double("Fraction unbound in blood");
    prm_fu_tissue          = prm.get_double("Fraction unbound in tissue");
    prm_tissue_fraction    = prm.get_double("Tissue volume fraction");
    prm_ps_L_per_h         = prm.get_double("Permeability-surface product");
    prm_dispersion         = prm.get_double("Blood dispersion");
    prm_tissue_diffusion   = prm.get_double("Tissue diffusivity");
    prm_kinetics           = prm.get("Kinetics");
    prm_clint_L_per_h      = prm.get_double("Intrinsic clearance");
    prm_vmax_umol_per_min  = prm.get_double("Vmax");
    prm_km_uM              = prm.get_double("Km");
    prm_filtration_L_per_h = prm.get_double("Filtration clearance");
    prm.enter_subsection("Inlet concentration");
    prm_inlet_source   = prm.get("Source");
    prm_inlet_value_uM = prm.get_double("Value");
    prm_inlet_file     = prm.get("File");
    prm_inlet_organ    = prm.get("Organ");
    prm_inlet_offset_h = prm.get_double("Time offset");
    prm.leave_subsection();
    prm.leave_subsection();
    if (prm_drug)
      {
        input_check(prm_fu_blood > 0. && prm_fu_blood <= 1., wv("Drug/Fraction unbound in blood", prm_fu_blood),
                    "must be in (0,1]");
        input_check(prm_fu_tissue > 0. && prm_fu_tissue <= 1., wv("Drug/Fraction unbound in tissue", prm_fu_tissue),
                    "must be in (0,1]");
        input_check(prm_tissue_fraction == -1. || (prm_tissue_fraction > 0. && prm_tissue_fraction <= 1.),
                    wv("Drug/Tissue volume fraction", prm_tissue_fraction), "must be in (0,1] or -1");
        input_check(prm_ps_L_per_h >= 0., wv("Drug/Permeability-surface product", prm_ps_L_per_h), "must be >= 0");
        input_check(prm_dispersion >= 0., wv("Drug/Blood dispersion", prm_dispersion), "must be >= 0");
        input_check(prm_tissue_diffusion >= 0., wv("Drug/Tissue diffusivity", prm_tissue_diffusion), "must be >= 0");
        if (prm_kinetics == "linear")
          input_check(prm_clint_L_per_h >= 0., wv("Drug/Intrinsic clearance", prm_clint_L_per_h), "must be >= 0");
        if (prm_kinetics == "michaelis_menten")
          {
            input_check(prm_km_uM > 0., wv("Drug/Km", prm_km_uM), "must be > 0 (Michaelis constant, uM unbound)");
            input_check(prm_vmax_umol_per_min > 0., wv("Drug/Vmax", prm_vmax_umol_per_min), "must be > 0");
          }
        input_check(prm_filtration_L_per_h >= 0. || (prm_filtration_L_per_h == -1. && prm_organ == "kidney"),
                    wv("Drug/Filtration clearance", prm_filtration_L_per_h),
                    "must be >= 0 (or -1 with Organ = kidney for the ICRP GFR)");
        if (prm_inlet_source == "constant")
          input_check(prm_inlet_value_uM >= 0., wv("Drug/Inlet concentration/Value", prm_inlet_value_uM),
                      "must be >= 0");
        else
          {
            input_check(!prm_inlet_file.empty(), w("Drug/Inlet concentration/File"),
                        "must name a file (Source = table) or a PBPK results folder (Source = pbpk)");
            namespace fs = std::filesystem;
            if (fs::path(prm_inlet_file).is_relative())
              {
                const fs::path near = fs::path(deck).parent_path() / prm_inlet_file;
                if (fs::exists(near))
                  prm_inlet_file = near.string();
              }
            // Read now, so that a malformed table stops the run before the mesh is built.
            try
              {
                auto src = prm_inlet_source == "table" ? drugs::make_table_source(prm_inlet_file) :
                                                         pk::make_pbpk_results_source(prm_inlet_file);
                src->unbound_uM(prm_inlet_organ, prm_inlet_offset_h);
              }
            catch (const std::exception &e)
              {
                throw InputError(w("Drug/Inlet concentration/File") + " = \"" + prm_inlet_file + "\": " + e.what());
              }
          }
      }

    prm.enter_subsection("Time");
    prm_steady          = prm.get_bool("Steady state");
    prm_end_time        = prm.get_double("End time");
    prm_dt              = prm.get_double("Time step");
    prm_theta           = prm.get_double("Theta");
    prm_output_interval = prm.get_double("Output interval");
    prm_picard_max      = prm.get_integer("Picard iterations");
    prm.leave_subsection();
    if (!prm_steady)
      {
        input_check(prm_end_time > 0., wv("Time/End time", prm_end_time), "must be > 0");
        input_check(prm_dt > 0. && prm_dt <= prm_end_time, wv("Time/Time step", prm_dt), "must be in (0, End time]");
        input_check(prm_theta >= 0.5 && prm_theta <= 1., wv("Time/Theta", prm_theta),
                    "must be in [0.5, 1] (unconditionally stable theta schemes)");
        input_check(prm_output_interval >= 0., wv("Time/Output interval", prm_output_interval), "must be >= 0");
      }

    prm.enter_subsection("Solver");
    prm_supg               = prm.get_bool("SUPG");
    prm_darcy_rtol         = prm.get_double("Darcy tolerance");
    prm_adr_rtol           = prm.get_double("Transport tolerance");
    prm_adr_preconditioner = prm.get("Transport preconditioner");
    prm_max_iterations     = prm.get_integer("Max iterations");
    prm.leave_subsection();

    prm.enter_subsection("Verification");
    prm_manufactured = prm.get_bool("Manufactured solution");
    prm.leave_subsection();
    if (prm_manufactured)
      {
        input_check(prm_drug, w("Verification/Manufactured solution"), "needs [Drug/Enabled] = true");
        input_check(!prm_steady, w("Verification/Manufactured solution"), "needs [Time/Steady state] = false");
      }

    prm.enter_subsection("Output");
    prm_directory         = prm.get("Directory");
    prm_fields            = prm.get_bool("Fields");
    prm_plot              = prm.get_bool("Plot");
    prm_progress_interval = prm.get_double("Progress interval");
    prm.leave_subsection();
  }
} // namespace organtwin::perfusion
