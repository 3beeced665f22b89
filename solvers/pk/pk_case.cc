// Deck form of the PBPK run: `organtwin run deck.prm` with Problem type = pk. The deck holds
// the same choices as the one-line command (solvers/pk/pk_command.cc); errors name the deck
// entry. `organtwin params pk` prints the documented default deck.
#include <solvers/common/case.h>
#include <solvers/common/parameters.h>
#include <solvers/pk/pk_command.h>

#include <cmath>
#include <filesystem>
#include <sstream>

namespace organtwin::pk
{
  namespace
  {
    std::string
    num(double v)
    {
      std::ostringstream s;
      s << v;
      return s.str();
    }

    class PkCase : public Case
    {
    public:
      static void declare_parameters(dealii::ParameterHandler &prm);
      void        run(dealii::ParameterHandler &prm, const RunContext &ctx) override;
    };

    void
    PkCase::declare_parameters(dealii::ParameterHandler &prm)
    {
      using namespace dealii::Patterns;
      prm.enter_subsection("Compound");
      prm.declare_entry("File", "physics/pk/compounds/dofetilide.json", Anything(),
                        "compound JSON (docs/pbpk_user_guide.md); a relative path is looked up next to the deck "
                        "first, then from the working directory");
      prm.declare_entry("Kp overrides", "", Anything(),
                        "[1] comma list tissue=Kp replacing the Rodgers-Rowland prediction, e.g. heart=3.2, liver=5");
      prm.declare_entry("Vss target", "0", Double(0.),
                        "[L/kg] > 0: scale every predicted (not overridden) Kp by one factor so that Vss equals this "
                        "observed value (a 'Kp scalar' calibration); 0: use the prediction as it is");
      prm.leave_subsection();
      prm.enter_subsection("Dosing");
      prm.declare_entry("Route", "oral", Selection("iv_bolus|iv_infusion|oral"), "route of every dose");
      prm.declare_entry("Dose", "1", Double(), "[mg] amount per dose; > 0");
      prm.declare_entry("Infusion duration", "1", Double(), "[h] iv_infusion only; > 0 and <= Interval");
      prm.declare_entry("Interval", "12", Double(), "[h] dosing interval when Number of doses > 1; > 0");
      prm.declare_entry("Number of doses", "1", Integer(1), "[1] doses every Interval from t = 0");
      prm.declare_entry("Dose table", "", Anything(),
                        "CSV time_h,route,dose_mg[,duration_h]; when set, Route/Dose/Interval are not used");
      prm.leave_subsection();
      prm.enter_subsection("Individual");
      prm.declare_entry("Sex", "male", Selection("male|female"), "ICRP 89 reference of this sex, scaled");
      prm.declare_entry("Age", "30", Double(), "[y] 18 to 100");
      prm.declare_entry("Weight", "-1", Double(), "[kg] -1 = ICRP reference weight (73 kg male, 60 kg female)");
      prm.declare_entry("Height", "-1", Double(), "[cm] -1 = ICRP reference height (176 cm male, 163 cm female)");
      prm.leave_subsection();
      prm.enter_subsection("Model");
      prm.declare_entry("Permeability-limited organs", "", MultipleSelection("heart|liver|kidney"),
                        "organs with vascular/interstitial/intracellular sub-compartments");
      prm.declare_entry("Cell permeability-surface product", "-1", Double(),
                        "[L/h] PS of the cell membrane of those organs; -1 = the organ blood flow");
      prm.leave_subsection();
      prm.enter_subsection("Time");
      prm.declare_entry("End time", "24", Double(), "[h] simulated time; after the last dose");
      prm.declare_entry("Output interval", "0", Double(0.), "[h] 0 = min(0.05 h, End time/2000)");
      prm.declare_entry("Relative tolerance", "1e-8", Double(), "[1] CVODE BDF relative tolerance; (0, 1e-6]");
      prm.declare_entry("Integrator", "auto", Selection("auto|cvode|exact"),
                        "auto: CVODE BDF for the reference individual, exact matrix-exponential propagator "
                        "for the population; cvode or exact: that one for both");
      prm.leave_subsection();
      prm.enter_subsection("Population");
      prm.declare_entry("Subjects", "0", Integer(0), "[1] virtual subjects; 0 = reference individual only");
      prm.declare_entry("Seed", "1", Integer(0), "[1] random seed");
      prm.declare_entry("Clearance CV", "0.3", Double(0., 3.), "[1] log-normal CV of hepatic and renal clearance");
      prm.declare_entry("Minimum age", "20", Double(18., 100.), "[y]");
      prm.declare_entry("Maximum age", "60", Double(18., 100.), "[y]");
      prm.declare_entry("Female fraction", "0.5", Double(0., 1.), "[1]");
      prm.declare_entry("Threads", "0", Integer(0), "[1] 0 = all cores");
      prm.leave_subsection();
      prm.enter_subsection("Output");
      prm.declare_entry("Directory", "results/pk", Anything(),
                        "result folder (replaced at the end of a successful run; nothing is left on error)");
      prm.declare_entry("Plot", "true", Bool(), "concentrations.png (and population.png) with matplotlib");
      prm.declare_entry("Log scale", "false", Bool(), "logarithmic concentration axis in the plots");
      prm.leave_subsection();
    }

    void
    PkCase::run(dealii::ParameterHandler &prm, const RunContext &ctx)
    {
      namespace fs     = std::filesystem;
      const auto where = [&](const std::string &entry) { return ctx.deck_file + ": [" + entry + "]"; };
      PkRunOptions o;
      o.verbosity = ctx.verbosity > 0 ? 1 : 0;

      prm.enter_subsection("Compound");
      o.compound_file = prm.get("File");
      if (fs::path(o.compound_file).is_relative())
        {
          const fs::path near = fs::path(ctx.deck_file).parent_path() / o.compound_file;
          if (fs::exists(near))
            o.compound_file = near.string();
        }
      {
        std::stringstream ss(prm.get("Kp overrides"));
        std::string       item;
        while (std::getline(ss, item, ','))
          {
            const auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
            if (b == std::string::npos)
              continue;
            item          = item.substr(b, e - b + 1);
            const auto eq = item.find('=');
            input_check(eq != std::string::npos, where("Compound/Kp overrides"),
                        "\"" + item + "\": expected tissue=value, e.g. heart=3.2");
            char        *end = nullptr;
            const double kp  = std::strtod(item.c_str() + eq + 1, &end);
            input_check(*end == '\0' && kp > 0., where("Compound/Kp overrides"),
                        "\"" + item + "\": expected a Kp > 0");
            o.model.kp_override[item.substr(0, eq)] = kp;
          }
      }
      o.model.vss_target_L_per_kg = prm.get_double("Vss target");
      o.model.vss_target_where    = where("Compound/Vss target");
      prm.leave_subsection();

      prm.enter_subsection("Individual");
      o.who.sex       = prm.get("Sex") == "male" ? Sex::male : Sex::female;
      o.who.age_y     = prm.get_double("Age");
      o.who.weight_kg = prm.get_double("Weight");
      o.who.height_cm = prm.get_double("Height");
      prm.leave_subsection();

      prm.enter_subsection("Model");
      for (const std::string organ : {"heart", "liver", "kidney"})
        if (prm.get("Permeability-limited organs").find(organ) != std::string::npos)
          o.model.permeability_limited.insert(tissue_from_name(organ));
      const double ps = prm.get_double("Cell permeability-surface product");
      input_check(ps == -1. || ps > 0., where("Model/Cell permeability-surface product"),
                  num(ps) + ": expected -1 (organ blood flow) or a value > 0 L/h");
      if (ps > 0.)
        for (unsigned int t : o.model.permeability_limited)
          o.model.ps_cell_L_per_h[t] = ps;
      prm.leave_subsection();

      prm.enter_subsection("Time");
      o.sim.end_h       = prm.get_double("End time");
      o.sim.output_dt_h = prm.get_double("Output interval");
      o.sim.rtol        = prm.get_double("Relative tolerance");
      if (prm.get("Integrator") != "auto")
        o.sim.integrator = o.pop.integrator = integrator_from_name(prm.get("Integrator"), where("Time/Integrator"));
      prm.leave_subsection();
      input_check(o.sim.end_h > 0., where("Time/End time"), num(o.sim.end_h) + ": expected an end time > 0 h");
      input_check(o.sim.rtol > 0. && o.sim.rtol <= 1e-6, where("Time/Relative tolerance"),
                  num(o.sim.rtol) + ": expected 0 < rtol <= 1e-6");
      input_check(o.sim.output_dt_h <= o.sim.end_h, where("Time/Output interval"),
                  num(o.sim.output_dt_h) + " h: expected at most the End time");

      prm.enter_subsection("Dosing");
      const std::string table = prm.get("Dose table");
      if (!table.empty())
        o.doses = read_dose_table(table);
      else
        {
          const Route    route = parse_route(prm.get("Route"), where("Dosing/Route"));
          const double   dose = prm.get_double("Dose"), inf = prm.get_double("Infusion duration"),
                       tau = prm.get_double("Interval");
          const unsigned n   = prm.get_integer("Number of doses");
          input_check(dose > 0., where("Dosing/Dose"), num(dose) + " mg: expected a dose > 0 mg");
          if (n > 1)
            input_check(tau > 0., where("Dosing/Interval"),
                        num(tau) + " h: expected a dosing interval > 0 h when Number of doses > 1");
          if (route == Route::iv_infusion)
            input_check(inf > 0. && (n == 1 || inf <= tau), where("Dosing/Infusion duration"),
                        num(inf) + " h: expected > 0 and at most the Interval");
          o.doses = make_regimen(route, dose, route == Route::iv_infusion ? inf : 0., tau, n);
        }
      prm.leave_subsection();
      double last = 0.;
      for (const auto &d : o.doses)
        last = std::max(last, d.time_h + (d.route == Route::iv_infusion ? d.duration_h : 0.));
      input_check(o.doses.back().time_h < o.sim.end_h && last <= o.sim.end_h, where("Time/End time"),
                  num(o.sim.end_h) + " h: must come after the last dose (at " + num(o.doses.back().time_h) +
                    " h, ending at " + num(last) + " h)");
      check_schedule(o.doses, o.sim.end_h, ctx.deck_file + ":");

      prm.enter_subsection("Population");
      const long subjects = prm.get_integer("Subjects");
      o.population        = subjects > 0;
      o.pop.n             = static_cast<unsigned int>(std::max(1L, subjects));
      o.pop.seed          = static_cast<std::uint64_t>(prm.get_integer("Seed"));
      o.pop.cv_clearance  = prm.get_double("Clearance CV");
      o.pop.age_min_y     = prm.get_double("Minimum age");
      o.pop.age_max_y     = prm.get_double("Maximum age");
      o.pop.female_fraction = prm.get_double("Female fraction");
      o.pop.threads       = static_cast<unsigned int>(prm.get_integer("Threads"));
      prm.leave_subsection();
      input_check(o.pop.age_min_y <= o.pop.age_max_y, where("Population/Minimum age"),
                  num(o.pop.age_min_y) + " y: expected at most the Maximum age (" + num(o.pop.age_max_y) + " y)");

      prm.enter_subsection("Output");
      o.out      = prm.get("Directory");
      o.plot     = prm.get_bool("Plot");
      o.log_plot = prm.get_bool("Log scale");
      prm.leave_subsection();

      std::ostringstream used;
      prm.print_parameters(used, dealii::ParameterHandler::PRM);
      o.extra_files.emplace_back("used_parameters.prm", used.str());
      run_pk(o, ctx.comm);
    }
  } // namespace
} // namespace organtwin::pk

OT_REGISTER(organtwin::Case, "pk", organtwin::pk::PkCase,
            "whole-body PBPK run (ICRP 89 physiology, Rodgers-Rowland Kp, CVODE), reference individual or population")
