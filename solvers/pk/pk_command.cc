// `organtwin pk`: the one-line PBPK run.
//
//   organtwin pk --compound FILE --route iv_bolus|iv_infusion|oral --dose-mg D
//                [--infusion-h T] [--interval-h TAU --doses N] --end-h T --out DIR
//
// Writes DIR/concentrations.csv, metrics.json, kp_table.csv, mass_balance.csv,
// concentrations.png (and population_*.csv/json/png with --population N). All input
// is checked before DIR is created; a failed run leaves no DIR behind.
#include <solvers/common/command.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/units.h>
#include <solvers/common/version.h>
#include <solvers/pk/pk_command.h>
#include <solvers/pk/population.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <sys/wait.h>

namespace organtwin::pk
{
  namespace
  {
    const char *help = R"(organtwin pk: whole-body PBPK run (ICRP 89 physiology, Rodgers-Rowland distribution)

Required:
  --compound FILE          compound JSON (docs/pbpk_user_guide.md)
  --route R                iv_bolus | iv_infusion | oral   (or --dose-table FILE)
  --dose-mg D              dose per administration [mg]
  --end-h T                simulated time [h]
  --out DIR                result folder (replaced if it exists)
Dosing:
  --infusion-h T           infusion duration [h] (iv_infusion)
  --interval-h TAU         dosing interval [h] (with --doses N > 1)
  --doses N                number of doses (default 1)
  --dose-table FILE        CSV time_h,route,dose_mg[,duration_h] instead of --route/--dose-mg
Individual (default: ICRP 89 reference adult male, 30 y):
  --sex male|female  --age Y  --weight-kg W  --height-cm H
Model:
  --permeability-limited LIST   comma list of heart,liver,kidney
  --ps-cell-L-per-h X      cell-membrane PS of those tissues [L/h] (default: tissue blood flow)
  --kp TISSUE=VALUE        override a predicted Kp (repeatable)
  --vss-target L_PER_KG    scale the predicted Kp uniformly to this observed Vss
  --integrator I           auto | cvode | exact (default auto: CVODE BDF for the individual,
                           the exact matrix-exponential propagator for --population)
  --rtol R                 CVODE relative tolerance (default 1e-8, at most 1e-6)
  --output-dt-h DT         output interval [h] (default min(0.05, end/2000))
Population:
  --population N           N virtual subjects (1000 if N is omitted as 0)
  --seed S                 random seed (default 1)
  --cv-clearance CV        log-normal CV of hepatic and renal clearance (default 0.3)
  --age-range MIN,MAX      ages [y] (default 20,60)
  --female-fraction F      default 0.5
  --threads T              worker threads (default: all cores)
Output:
  --log                    logarithmic concentration axis in the plots
  --no-plot                no PNG
  -v 0|1                   verbosity (default 1)
)";

    std::string
    num(double v, int precision = 6)
    {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
      return buf;
    }

    double
    to_double(const std::string &opt, const std::string &s)
    {
      char        *end = nullptr;
      const double x   = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || !std::isfinite(x))
        throw InputError("command line: " + opt + " \"" + s + "\" is not a number");
      return x;
    }

    long
    to_int(const std::string &opt, const std::string &s)
    {
      char      *end = nullptr;
      const long x   = std::strtol(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0')
        throw InputError("command line: " + opt + " \"" + s + "\" is not an integer");
      return x;
    }

    /// Run the plot script; "" on success, else why not.
    std::string
    plot(const std::string &args)
    {
      const std::string script = source_file("solvers/pk/plot_pk.py");
      if (!std::filesystem::exists(script))
        return "plot script " + script + " not found";
      const std::string cmd = "/usr/bin/python3 " + shell_quote(script) + " " + args + " 2>&1";
      FILE             *p   = ::popen(cmd.c_str(), "r");
      if (!p)
        return "cannot start /usr/bin/python3";
      std::string out;
      char        buf[512];
      while (std::fgets(buf, sizeof(buf), p))
        out += buf;
      const int status = ::pclose(p);
      if (status != 0)
        return "the plot script failed: " + out;
      return "";
    }

    Json
    metrics_json(const Metrics &m)
    {
      Json j;
      j.set("Cmax_mg_per_L", m.cmax_mg_per_L)
        .set("Tmax_h", m.tmax_h)
        .set("AUC_0_t_mg_h_per_L", m.auc_0_t)
        .set("AUC_0_inf_mg_h_per_L", m.auc_0_inf)
        .set("AUC_extrapolated_percent", m.auc_extrapolated_percent)
        .set("AUC_tau_mg_h_per_L", m.auc_tau)
        .set("lambda_z_per_h", m.lambda_z_per_h)
        .set("lambda_z_points", m.lambda_z_points)
        .set("t_half_h", m.t_half_h)
        .set("CL_L_per_h", m.cl_L_per_h)
        .set("CL_kind", m.cl_kind)
        .set("Vss_nca_L", m.vss_nca_L)
        .set("Vss_model_L", m.vss_model_L)
        .set("CL_model_L_per_h", m.cl_model_L_per_h)
        .set("heart_unbound_Cmax_uM", m.heart_unbound_cmax_uM);
      return j;
    }
  } // namespace

  PkRunOptions
  parse_pk_arguments(const std::vector<std::string> &args)
  {
    PkRunOptions o;
    bool         have_route = false, have_dose = false, have_end = false;
    std::string  route_text;
    double       dose_mg = 0., infusion_h = 0., interval_h = 0.;
    long         n_doses = 1;
    bool         have_interval = false;
    for (std::size_t i = 0; i < args.size(); ++i)
      {
        const std::string &a    = args[i];
        auto               next = [&]() -> std::string {
          if (i + 1 >= args.size())
            throw InputError("command line: option " + a + " needs a value");
          return args[++i];
        };
        if (a == "--help" || a == "-h")
          o.help = true;
        else if (a == "--compound")
          o.compound_file = next();
        else if (a == "--route")
          {
            route_text = next();
            have_route = true;
          }
        else if (a == "--dose-mg")
          {
            dose_mg   = to_double(a, next());
            have_dose = true;
          }
        else if (a == "--infusion-h")
          infusion_h = to_double(a, next());
        else if (a == "--interval-h")
          {
            interval_h    = to_double(a, next());
            have_interval = true;
          }
        else if (a == "--doses")
          n_doses = to_int(a, next());
        else if (a == "--dose-table")
          o.dose_table = next();
        else if (a == "--end-h")
          {
            o.sim.end_h = to_double(a, next());
            have_end    = true;
          }
        else if (a == "--out")
          o.out = next();
        else if (a == "--sex")
          {
            const std::string s = next();
            if (s != "male" && s != "female")
              throw InputError("command line: --sex \"" + s + "\": expected male or female");
            o.who.sex = s == "male" ? Sex::male : Sex::female;
          }
        else if (a == "--age")
          o.who.age_y = to_double(a, next());
        else if (a == "--weight-kg")
          o.who.weight_kg = to_double(a, next());
        else if (a == "--height-cm")
          o.who.height_cm = to_double(a, next());
        else if (a == "--permeability-limited")
          {
            std::stringstream ss(next());
            std::string       name;
            while (std::getline(ss, name, ','))
              {
                const unsigned int t = tissue_from_name(name);
                if (t != heart && t != liver && t != kidney)
                  throw InputError("command line: --permeability-limited \"" + name +
                                   "\": expected a comma list of heart, liver, kidney");
                o.model.permeability_limited.insert(t);
              }
          }
        else if (a == "--ps-cell-L-per-h")
          o.ps_cell = to_double(a, next());
        else if (a == "--kp")
          {
            const std::string kv = next();
            const auto        eq = kv.find('=');
            if (eq == std::string::npos)
              throw InputError("command line: --kp \"" + kv + "\": expected TISSUE=VALUE, e.g. heart=3.5");
            o.model.kp_override[kv.substr(0, eq)] = to_double("--kp " + kv.substr(0, eq), kv.substr(eq + 1));
          }
        else if (a == "--vss-target")
          {
            o.model.vss_target_L_per_kg = to_double(a, next());
            o.model.vss_target_where    = "command line: --vss-target";
          }
        else if (a == "--rtol")
          o.sim.rtol = to_double(a, next());
        else if (a == "--integrator")
          {
            const std::string v = next();
            if (v != "auto")
              o.sim.integrator = o.pop.integrator = integrator_from_name(v, "command line: --integrator");
          }
        else if (a == "--output-dt-h")
          o.sim.output_dt_h = to_double(a, next());
        else if (a == "--population")
          {
            const long n = to_int(a, next());
            if (n < 0)
              throw InputError("command line: --population " + std::to_string(n) + ": expected N >= 1");
            o.pop.n       = n == 0 ? 1000 : static_cast<unsigned int>(n);
            o.population = true;
          }
        else if (a == "--seed")
          o.pop.seed = static_cast<std::uint64_t>(to_int(a, next()));
        else if (a == "--cv-clearance")
          o.pop.cv_clearance = to_double(a, next());
        else if (a == "--female-fraction")
          o.pop.female_fraction = to_double(a, next());
        else if (a == "--age-range")
          {
            const std::string v     = next();
            const auto        comma = v.find(',');
            if (comma == std::string::npos)
              throw InputError("command line: --age-range \"" + v + "\": expected MIN,MAX in years");
            o.pop.age_min_y = to_double(a, v.substr(0, comma));
            o.pop.age_max_y = to_double(a, v.substr(comma + 1));
          }
        else if (a == "--threads")
          o.pop.threads = static_cast<unsigned int>(std::max(0L, to_int(a, next())));
        else if (a == "--log")
          o.log_plot = true;
        else if (a == "--no-plot")
          o.plot = false;
        else if (a == "-v")
          {
            const std::string v = next();
            if (v != "0" && v != "1")
              throw InputError("command line: -v " + v + ": expected 0 or 1");
            o.verbosity = v == "1";
          }
        else
          throw InputError("command line: unknown option \"" + a + "\" for organtwin pk (see organtwin pk --help)");
      }
    if (o.help)
      return o;

    // Required options and their meaning, before anything is read or written.
    input_check(!o.compound_file.empty(), "command line: --compound", "is missing; expected a compound JSON file");
    input_check(!o.out.empty(), "command line: --out", "is missing; expected a result directory");
    input_check(have_end, "command line: --end-h", "is missing; expected the simulated time in h");
    input_check(o.sim.end_h > 0., "command line: --end-h", num(o.sim.end_h) + ": expected an end time > 0 h");
    input_check(o.sim.rtol > 0. && o.sim.rtol <= 1e-6, "command line: --rtol",
                num(o.sim.rtol) + ": expected 0 < rtol <= 1e-6");
    input_check(o.sim.output_dt_h >= 0. && o.sim.output_dt_h <= o.sim.end_h, "command line: --output-dt-h",
                num(o.sim.output_dt_h) + ": expected 0 (automatic) or 0 < dt <= --end-h");
    if (o.ps_cell > 0. || o.ps_cell < 0.)
      {
        input_check(o.ps_cell > 0., "command line: --ps-cell-L-per-h", num(o.ps_cell) + ": expected > 0");
        for (unsigned int t : o.model.permeability_limited)
          o.model.ps_cell_L_per_h[t] = o.ps_cell;
      }
    if (o.population)
      {
        input_check(o.pop.female_fraction >= 0. && o.pop.female_fraction <= 1., "command line: --female-fraction",
                    num(o.pop.female_fraction) + ": expected a fraction in [0, 1]");
        input_check(o.pop.cv_clearance >= 0. && o.pop.cv_clearance <= 3., "command line: --cv-clearance",
                    num(o.pop.cv_clearance) + ": expected a coefficient of variation in [0, 3]");
        input_check(o.pop.age_min_y >= 18. && o.pop.age_max_y <= 100. && o.pop.age_min_y <= o.pop.age_max_y,
                    "command line: --age-range", "expected 18 <= MIN <= MAX <= 100 years");
      }

    if (!o.dose_table.empty())
      {
        input_check(!have_route && !have_dose, "command line: --dose-table",
                    "cannot be combined with --route/--dose-mg");
        o.doses = read_dose_table(o.dose_table);
      }
    else
      {
        input_check(have_route, "command line: --route", "is missing; expected iv_bolus, iv_infusion or oral");
        input_check(have_dose, "command line: --dose-mg", "is missing; expected the dose in mg");
        const Route route = parse_route(route_text, "command line: --route");
        input_check(n_doses >= 1, "command line: --doses", std::to_string(n_doses) + ": expected at least 1 dose");
        if (have_interval)
          input_check(interval_h > 0., "command line: --interval-h",
                      num(interval_h) + ": expected a dosing interval in h > 0");
        input_check(n_doses == 1 || have_interval, "command line: --interval-h",
                    "is missing; expected the dosing interval for --doses " + std::to_string(n_doses));
        input_check(route == Route::iv_infusion || infusion_h == 0., "command line: --infusion-h",
                    "only applies to --route iv_infusion");
        o.doses = make_regimen(route, dose_mg, infusion_h, interval_h, static_cast<unsigned int>(n_doses));
      }
    check_schedule(o.doses, o.sim.end_h, "command line:");
    return o;
  }

  int
  run_pk(const PkRunOptions &o, MPI_Comm comm)
  {
    const bool root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
    // Everything that can be wrong with the input is found here, before DIR exists.
    const Compound   c  = read_compound(o.compound_file);
    const Physiology ph = make_physiology(o.who, "command line: --age/--weight-kg/--height-cm");
    for (const auto &d : o.doses)
      if (d.route == Route::oral)
        input_check(c.has_absorption, c.where("absorption"),
                    "is missing; oral dosing needs \"absorption\": {\"ka_per_h\": ...}");
    const PbpkModel model(c, ph, o.model);

    ResultDirectory dir(o.out, comm);
    // The run is serial (rank 0); its outcome is broadcast so that every rank either commits
    // the folder or fails with the same error (the partial folder is then removed).
    auto work = [&]() {
      using clock          = std::chrono::steady_clock;
      const auto       t0  = clock::now();
      const PbpkResult r   = simulate(model, o.doses, o.sim);
      const double     wall = std::chrono::duration<double>(clock::now() - t0).count();
      const auto      &d   = model.distribution();
      const auto      &m   = r.metrics;

      write_file_atomic(dir.tmp() + "concentrations.csv", concentrations_csv(model, r));

      std::ostringstream kp;
      kp << "tissue,composition,volume_L,blood_flow_L_per_h,Kp,Kpu,source\n";
      for (unsigned int t = 0; t < n_tissues; ++t)
        kp << tissue_name(t) << ',' << composition_name(t) << ',' << num(ph.volume_L[t], 8) << ','
           << num(t == liver ? ph.liver_total_flow() : ph.flow_L_per_h[t], 8) << ',' << num(d.kp[t], 8) << ','
           << num(d.kpu[t], 8) << ','
           << (d.overridden[t] ? "user" : d.kp_scale != 1. ? "Rodgers-Rowland x " + num(d.kp_scale, 4) : "Rodgers-Rowland")
           << '\n';
      write_file_atomic(dir.tmp() + "kp_table.csv", kp.str());

      std::ostringstream mb;
      mb << "time_h,dose_given_mg,body_mg,gut_lumen_mg,unabsorbed_mg,gut_wall_metabolised_mg,hepatic_eliminated_mg,"
            "renal_eliminated_mg,relative_error\n";
      for (std::size_t i = 0; i < r.time_h.size(); ++i)
        {
          const double *y     = r.states[i].data();
          const double  given = dose_given(o.doses, r.time_h[i]);
          const double  tot   = model.total_amount(y);
          mb << num(r.time_h[i], 9) << ',' << num(given, 12) << ',' << num(model.body_amount(y), 12) << ','
             << num(y[model.lumen()], 12) << ',' << num(y[model.sink_unabsorbed()], 12) << ','
             << num(y[model.sink_gut()], 12) << ',' << num(y[model.sink_hepatic()], 12) << ','
             << num(y[model.sink_renal()], 12) << ',' << num(given > 0. ? (tot - given) / given : 0., 4) << '\n';
        }
      write_file_atomic(dir.tmp() + "mass_balance.csv", mb.str());

      Json who;
      who.set("sex", ph.who.sex == Sex::male ? "male" : "female")
        .set("age_y", ph.who.age_y)
        .set("weight_kg", ph.who.weight_kg)
        .set("height_cm", ph.who.height_cm)
        .set("bsa_m2", ph.bsa_m2)
        .set("cardiac_output_L_per_h", ph.cardiac_output_L_per_h)
        .set("gfr_L_per_h", ph.gfr_L_per_h)
        .set("hematocrit", ph.hematocrit);
      Json dist;
      dist.set("method", d.method)
        .set("ion_class", d.ion_class)
        .set("blood_to_plasma_ratio", d.bp)
        .set("blood_to_plasma_ratio_predicted", d.bp_predicted)
        .set("Ka_acidic_phospholipids", d.ka_ap)
        .set("Vss_L", d.vss_L)
        .set("Vss_L_per_kg", d.vss_L / ph.who.weight_kg)
        .set("Kp_scale_to_target_Vss", d.kp_scale);
      {
        std::string joined; // one string: the Json writer has no string arrays
        for (const auto &w : d.warnings)
          joined += (joined.empty() ? "" : " | ") + w;
        dist.set("warnings", joined);
      }
      Json kpj;
      for (unsigned int t = 0; t < n_tissues; ++t)
        kpj.set(tissue_name(t), d.kp[t]);
      dist.set("Kp", kpj);
      Json cl;
      cl.set("hepatic_intrinsic_unbound_L_per_h", model.clint_L_per_h())
        .set("renal_plasma_L_per_h", model.renal_clearance())
        .set("systemic_plasma_L_per_h", model.systemic_clearance());
      Json bal;
      bal.set("dose_total_mg", r.dose_total_mg)
        .set("max_relative_error", r.mass_balance_max_rel)
        .set("end_relative_error", r.mass_balance_end_rel)
        .set("tolerance", 1e-8);
      const double *y_end = r.states.back().data();
      bal.set("body_mg", model.body_amount(y_end))
        .set("hepatic_eliminated_mg", y_end[model.sink_hepatic()])
        .set("renal_eliminated_mg", y_end[model.sink_renal()])
        .set("gut_wall_metabolised_mg", y_end[model.sink_gut()])
        .set("unabsorbed_mg", y_end[model.sink_unabsorbed()])
        .set("gut_lumen_mg", y_end[model.lumen()]);
      Json solver;
      solver.set("integrator", o.sim.integrator == Integrator::exact
                                 ? "exact: matrix exponential (Pade 13, scaling and squaring)"
                                 : "SUNDIALS CVODE BDF, dense exact Jacobian")
        .set("rtol", o.sim.rtol)
        .set("steps", static_cast<double>(r.steps))
        .set("matrix_exponentials", static_cast<double>(r.exponentials))
        .set("restarts", static_cast<double>(r.restarts))
        .set("wall_time_s", wall);
      Json j;
      j.set("organtwin", std::string(version_string()) + " " + git_hash())
        .set("compound", c.name)
        .set("compound_file", o.compound_file)
        .set("doses", static_cast<int>(o.doses.size()))
        .set("route", route_name(o.doses.front().route))
        .set("end_h", o.sim.end_h)
        .set("metrics", metrics_json(m))
        .set("individual", who)
        .set("distribution", dist)
        .set("clearance", cl)
        .set("mass_balance", bal)
        .set("solver", solver);

      std::string plot_status = "disabled";
      if (o.plot)
        {
          const std::string why = plot("single " + shell_quote(dir.tmp() + "concentrations.csv") + " " +
                                       shell_quote(dir.tmp() + "concentrations.png") + (o.log_plot ? " --log" : "") +
                                       " --title " + shell_quote(c.name + " " + route_name(o.doses.front().route)));
          plot_status = why.empty() ? "concentrations.png" : "not made: " + why;
          if (!why.empty() && o.verbosity > 0)
            std::cerr << "[pk] warning: concentrations.png " << plot_status << "\n";
        }
      j.set("plot", plot_status);

      if (o.population)
        {
          const PopulationResult pr = simulate_population(c, o.model, o.doses, o.sim, o.pop);
          std::ostringstream     pc;
          pc << "time_h,plasma_p05_mg_per_L,plasma_p50_mg_per_L,plasma_p95_mg_per_L,heart_unbound_p05_uM,"
                "heart_unbound_p50_uM,heart_unbound_p95_uM\n";
          for (std::size_t i = 0; i < pr.time_h.size(); ++i)
            pc << num(pr.time_h[i], 9) << ',' << num(pr.plasma_p05[i], 9) << ',' << num(pr.plasma_p50[i], 9) << ','
               << num(pr.plasma_p95[i], 9) << ',' << num(pr.heart_unbound_p05[i], 9) << ','
               << num(pr.heart_unbound_p50[i], 9) << ',' << num(pr.heart_unbound_p95[i], 9) << '\n';
          write_file_atomic(dir.tmp() + "population_percentiles.csv", pc.str());
          std::ostringstream ps;
          ps << "subject,sex,age_y,weight_kg,height_cm,hepatic_factor,renal_factor,Cmax_mg_per_L,Tmax_h,AUC_0_t,"
                "AUC_0_inf,t_half_h,CL_L_per_h,heart_unbound_Cmax_uM,heart_unbound_at_last_dose_uM\n";
          std::vector<double> cmax, auc, thalf, clv, hu;
          for (std::size_t i = 0; i < pr.subjects.size(); ++i)
            {
              const auto &s = pr.subjects[i];
              ps << i << ',' << (s.who.sex == Sex::male ? "male" : "female") << ',' << num(s.who.age_y) << ','
                 << num(s.who.weight_kg) << ',' << num(s.who.height_cm) << ',' << num(s.hepatic_factor) << ','
                 << num(s.renal_factor) << ',' << num(s.metrics.cmax_mg_per_L) << ',' << num(s.metrics.tmax_h) << ','
                 << num(s.metrics.auc_0_t) << ',' << num(s.metrics.auc_0_inf) << ',' << num(s.metrics.t_half_h)
                 << ',' << num(s.metrics.cl_L_per_h) << ',' << num(s.metrics.heart_unbound_cmax_uM) << ','
                 << num(s.metrics.heart_unbound_at_last_dose_uM) << '\n';
              cmax.push_back(s.metrics.cmax_mg_per_L);
              auc.push_back(s.metrics.auc_0_t);
              thalf.push_back(s.metrics.t_half_h);
              clv.push_back(s.metrics.cl_L_per_h);
              hu.push_back(s.metrics.heart_unbound_cmax_uM);
            }
          write_file_atomic(dir.tmp() + "population_subjects.csv", ps.str());
          auto pct = [](const std::vector<double> &v) {
            Json q;
            q.set("p05", quantile(v, 0.05)).set("p50", quantile(v, 0.5)).set("p95", quantile(v, 0.95));
            return q;
          };
          Json pj;
          pj.set("subjects", static_cast<int>(pr.subjects.size()))
            .set("seed", static_cast<double>(o.pop.seed))
            .set("cv_clearance", o.pop.cv_clearance)
            .set("threads", static_cast<int>(pr.threads))
            .set("integrator", integrator_name(o.pop.integrator))
            .set("wall_time_s", pr.wall_s)
            .set("mass_balance_max_relative_error", pr.mass_balance_max_rel)
            .set("Cmax_mg_per_L", pct(cmax))
            .set("AUC_0_t_mg_h_per_L", pct(auc))
            .set("t_half_h", pct(thalf))
            .set("CL_L_per_h", pct(clv))
            .set("heart_unbound_Cmax_uM", pct(hu));
          write_file_atomic(dir.tmp() + "population_metrics.json", pj.str() + "\n");
          j.set("population", pj);
          if (o.plot)
            {
              const std::string why =
                plot("population " + shell_quote(dir.tmp() + "population_percentiles.csv") + " " +
                     shell_quote(dir.tmp() + "population.png") + (o.log_plot ? " --log" : "") + " --title " +
                     shell_quote(c.name + ": " + std::to_string(pr.subjects.size()) + " subjects"));
              if (!why.empty() && o.verbosity > 0)
                std::cerr << "[pk] warning: population.png not made: " << why << "\n";
            }
          if (o.verbosity > 0)
            std::cout << "[pk] population: " << pr.subjects.size() << " subjects on " << pr.threads << " threads in "
                      << num(pr.wall_s, 3) << " s; Cmax p05/p50/p95 " << num(quantile(cmax, 0.05), 4) << " / "
                      << num(quantile(cmax, 0.5), 4) << " / " << num(quantile(cmax, 0.95), 4) << " mg/L\n";
        }
      write_file_atomic(dir.tmp() + "metrics.json", j.str() + "\n");
      for (const auto &[name, content] : o.extra_files)
        write_file_atomic(dir.tmp() + name, content);

      if (o.verbosity > 0)
        std::cout << "[pk] " << c.name << " (" << d.ion_class << ", " << d.method << "): Vss " << num(d.vss_L, 4)
                  << " L (" << num(d.vss_L / ph.who.weight_kg, 3) << " L/kg), CL " << num(model.systemic_clearance(), 4)
                  << " L/h\n"
                  << "[pk] Cmax " << num(m.cmax_mg_per_L, 4) << " mg/L at " << num(m.tmax_h, 4) << " h, AUC0-t "
                  << num(m.auc_0_t, 5) << " mg h/L, t1/2 " << num(m.t_half_h, 4) << " h; mass balance "
                  << num(r.mass_balance_max_rel, 2) << " (max relative error); " << r.steps << " CVODE steps, "
                  << num(wall, 3) << " s\n";
      if (o.verbosity > 0)
        for (const auto &w : d.warnings)
          std::cout << "[pk] warning: " << w << "\n";
    };
    int         status = 0;
    std::string msg;
    if (root)
      {
        try
          {
            work();
          }
        catch (const InputError &e)
          {
            status = 1;
            msg    = e.what();
          }
        catch (const std::exception &e)
          {
            status = 2;
            msg    = e.what();
          }
      }
    status = dealii::Utilities::MPI::broadcast(comm, status, 0);
    msg    = dealii::Utilities::MPI::broadcast(comm, msg, 0);
    if (status == 1)
      throw InputError(msg);
    if (status == 2)
      throw std::runtime_error(msg);
    dir.commit();
    if (o.verbosity > 0)
      std::cout << "[pk] results in " << dir.final_path() << "\n";
    return 0;
  }

  int
  run_pk_command(const std::vector<std::string> &args, MPI_Comm comm)
  {
    const PkRunOptions o = parse_pk_arguments(args);
    if (o.help)
      {
        std::cout << help;
        return 0;
      }
    return run_pk(o, comm);
  }
} // namespace organtwin::pk

OT_REGISTER_COMMAND("pk",
                    "organtwin pk --compound FILE --route iv_bolus|iv_infusion|oral --dose-mg D [--infusion-h T] "
                    "[--interval-h TAU --doses N] --end-h T --out DIR [--population N]",
                    "whole-body PBPK run (organtwin pk --help for all options)", organtwin::pk::run_pk_command)
