// End-to-end cardiac-toxicity twin (Problem type "cardiotox"): oral (or IV) dosing ->
// whole-body PBPK -> unbound heart concentration at chosen times -> transmural tissue
// with time-varying channel block (monodomain, CiPAORdv1 layers, pre-paced at each
// concentration) -> pseudo-ECG QT and its change against baseline; plus the cell-level
// CiPA TdP class of the drug from the shipped classifier.
//
// One deck: this case declares its own "Cardiotox" section and every section of the
// monodomain case (mesh, tissue, cell layers, stimulus, time, ECG, output ...). The
// PBPK run and each tissue run write into sub-folders of the result folder:
//   pk/               organtwin pk outputs (concentrations.csv, metrics.json, ...)
//   tissue_baseline/  tissue_<label>/  monodomain outputs (probes, ecg.csv, fields)
//   cipa/             CiPA study of the drug at 1-4 x Cmax (classifier applied)
//   summary.md, summary.json, qt.csv, inputs.csv (every input file with its SHA-1)

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <physics/drugs/drug.h>
#include <physics/pk/pbpk_source.h>
#include <solvers/common/case.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/units.h>
#include <solvers/common/version.h>
#include <solvers/pk/pk_command.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/uuid/detail/sha1.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

namespace organtwin::cardiotox
{
  namespace
  {
    std::string
    num(double v, int precision = 8)
    {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
      return buf;
    }

    /// SHA-1 of a file's bytes as 40 hex digits ("missing" if unreadable).
    std::string
    sha1_of(const std::string &file)
    {
      std::ifstream in(file, std::ios::binary);
      if (!in)
        return "missing";
      boost::uuids::detail::sha1 h;
      char                       buf[1 << 14];
      while (in)
        {
          in.read(buf, sizeof(buf));
          h.process_bytes(buf, static_cast<std::size_t>(in.gcount()));
        }
      unsigned int d[5];
      h.get_digest(d);
      char out[41];
      for (int i = 0; i < 5; ++i)
        std::snprintf(out + 8 * i, 9, "%08x", d[i]);
      return out;
    }

    std::vector<double>
    split_numbers(const std::string &s, const std::string &where)
    {
      std::vector<double> v;
      for (const auto &x : dealii::Utilities::split_string_list(s))
        try
          {
            v.push_back(std::stod(x));
          }
        catch (...)
          {
            throw InputError(where + ": \"" + x + "\" is not a number");
          }
      return v;
    }

    /// One numeric column of a CSV file with a header line (InputError naming file and column).
    std::vector<double>
    read_csv_column(const std::string &file, const std::string &column)
    {
      std::ifstream in(file);
      input_check(static_cast<bool>(in), file, "a readable CSV file");
      std::string line, cell;
      std::getline(in, line);
      std::stringstream  hs(line);
      int                index = -1;
      for (int k = 0; std::getline(hs, cell, ','); ++k)
        if (cell == column)
          index = k;
      input_check(index >= 0, file, "a column \"" + column + "\"");
      std::vector<double> v;
      while (std::getline(in, line))
        {
          std::stringstream ls(line);
          for (int k = 0; std::getline(ls, cell, ','); ++k)
            if (k == index)
              v.push_back(split_numbers(cell, file + ": column " + column)[0]);
        }
      return v;
    }

    /// Linear interpolation of y(x) on points sorted by x; NAN outside [x.front(), x.back()].
    double
    interpolate_sorted(const std::vector<std::pair<double, double>> &xy, double x)
    {
      for (std::size_t k = 1; k < xy.size(); ++k)
        if (x >= xy[k - 1].first && x <= xy[k].first)
          {
            const double w = xy[k].first > xy[k - 1].first ? (x - xy[k - 1].first) / (xy[k].first - xy[k - 1].first) : 0.;
            return (1. - w) * xy[k - 1].second + w * xy[k].second;
          }
      return NAN;
    }

    class CardiotoxCase : public Case
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        using namespace dealii::Patterns;
        CaseRegistry::get("monodomain").declare_parameters(prm);
        prm.enter_subsection("Cardiotox");
        prm.declare_entry("Compound file", "physics/pk/compounds/dofetilide.json", Anything(),
                          "PBPK compound JSON (docs/pbpk_user_guide.md)");
        prm.declare_entry("Drug file", "physics/drugs/data/cipa_training_drugs.csv", Anything(),
                          "drug block library (docs/cipa.md) holding the same drug");
        prm.declare_entry("Drug", "dofetilide", Anything(), "drug name in the drug file");
        prm.declare_entry("Route", "oral", Selection("iv_bolus|iv_infusion|oral"), "route of every dose");
        prm.declare_entry("Dose", "0.5", Double(0.), "[mg] per dose");
        prm.declare_entry("Infusion duration", "1", Double(0.), "[h] iv_infusion only");
        prm.declare_entry("Interval", "12", Double(0.), "[h] dosing interval (BID = 12)");
        prm.declare_entry("Number of doses", "6", Integer(1), "[1] doses from t = 0 (6 x 12 h = 3 days BID)");
        prm.declare_entry("Kp overrides", "", Anything(),
                          "tissue=Kp,... passed to the PBPK model (e.g. measured partition coefficients)");
        prm.declare_entry("Vss target", "0", Double(0.),
                          "[L/kg] > 0: scale the predicted Kp uniformly so that the PBPK Vss equals this observed "
                          "value (Kp scalar, docs/theory/pbpk.md); 0: Rodgers-Rowland prediction as it is");
        prm.declare_entry("Sex", "male", Selection("male|female"), "virtual subject (ICRP 89 reference, scaled)");
        prm.declare_entry("Age", "30", Double(18., 100.), "[y]");
        prm.declare_entry("Weight", "-1", Double(), "[kg] -1: ICRP reference");
        prm.declare_entry("Height", "-1", Double(), "[cm] -1: ICRP reference");
        prm.declare_entry("Time points", "trough,peak", Anything(),
                          "when the tissue is simulated: trough and/or peak of the unbound heart concentration in "
                          "the last dosing interval, and/or times in hours (e.g. trough,peak,30.5)");
        prm.declare_entry("Classifier file", "physics/drugs/data/cipa_classifier.json", Anything(),
                          "CiPA TdP classifier to apply to the drug (empty: skip the cell-level CiPA study)");
        prm.declare_entry("CiPA beats", "300", Integer(1),
                          "[beats] maximum beats of the cell-level CiPA study (converged criterion)");
        prm.declare_entry("Population size", "0", Integer(0),
                          "[subjects] 0: the one virtual subject above; N > 0: also a PBPK virtual population of N "
                          "subjects (docs/theory/pbpk.md); the tissue is run at the population percentiles of the "
                          "unbound heart concentration at the trough and/or peak");
        prm.declare_entry("Population seed", "1", Integer(0), "[1] seed of the virtual population (reproducible)");
        prm.declare_entry("Population CV clearance", "0.3", Double(0., 3.),
                          "[1] coefficient of variation (log-normal) of hepatic and renal clearance");
        prm.declare_entry("Population percentiles", "5,50,95", Anything(),
                          "[%] percentiles of the concentration at which the tissue is run, each in (0, 100)");
        prm.leave_subsection();
      }

      void
      run(dealii::ParameterHandler &prm, const RunContext &ctx) override
      {
        const auto t_start = std::chrono::steady_clock::now();
        const bool root    = dealii::Utilities::MPI::this_mpi_process(ctx.comm) == 0;
        dealii::ConditionalOStream out(std::cout, root && ctx.verbosity > 0);

        prm.enter_subsection("Cardiotox");
        const std::string compound = prm.get("Compound file"), drug_file = prm.get("Drug file"),
                          drug_name = prm.get("Drug"), route = prm.get("Route"), kp = prm.get("Kp overrides"),
                          points_spec = prm.get("Time points"), classifier = prm.get("Classifier file");
        const double   dose = prm.get_double("Dose"), infusion = prm.get_double("Infusion duration"),
                     interval = prm.get_double("Interval");
        const unsigned n_doses = prm.get_integer("Number of doses");
        const unsigned cipa_beats = prm.get_integer("CiPA beats");
        pk::PkRunOptions o;
        o.who.sex       = prm.get("Sex") == "female" ? pk::Sex::female : pk::Sex::male;
        o.who.age_y     = prm.get_double("Age");
        o.who.weight_kg = prm.get_double("Weight");
        o.who.height_cm = prm.get_double("Height");
        o.model.vss_target_L_per_kg = prm.get_double("Vss target");
        o.model.vss_target_where    = ctx.deck_file + ": [Cardiotox/Vss target]";
        const unsigned pop_n        = prm.get_integer("Population size");
        std::vector<double> pop_percentiles;
        if (pop_n > 0)
          {
            o.population       = true;
            o.pop.n            = pop_n;
            o.pop.seed         = prm.get_integer("Population seed");
            o.pop.cv_clearance = prm.get_double("Population CV clearance");
            pop_percentiles =
              split_numbers(prm.get("Population percentiles"), ctx.deck_file + ": [Cardiotox/Population percentiles]");
            input_check(!pop_percentiles.empty(), ctx.deck_file + ": [Cardiotox/Population percentiles]",
                        "at least one percentile, e.g. 5,50,95");
            for (double q : pop_percentiles)
              input_check(q > 0. && q < 100., ctx.deck_file + ": [Cardiotox/Population percentiles] = " + num(q),
                          "each percentile must lie in (0, 100)");
          }
        prm.leave_subsection();
        prm.enter_subsection("Output");
        const std::string directory = prm.get("Directory");
        prm.leave_subsection();

        // ---- check the inputs before anything is written ----
        const auto lib  = drugs::DrugLibrary::read(drug_file);
        const auto drug = lib.get(drug_name);
        {
          const pk::Compound comp = pk::read_compound(compound);
          const auto lower = [](std::string x) {
            std::transform(x.begin(), x.end(), x.begin(), [](unsigned char ch) { return std::tolower(ch); });
            return x;
          };
          input_check(lower(comp.name) == lower(drug.name), ctx.deck_file + ": [Cardiotox/Drug] = \"" + drug_name + "\"",
                      "the compound file " + compound + " describes \"" + comp.name +
                        "\": the drug in the block file and the compound must be the same drug");
        }
        input_check(dose > 0., ctx.deck_file + ": [Cardiotox/Dose]", "must be > 0 mg");
        input_check(interval > 0., ctx.deck_file + ": [Cardiotox/Interval]", "must be > 0 h");
        o.compound_file = compound;
        o.doses         = pk::make_regimen(pk::parse_route(route, ctx.deck_file + ": [Cardiotox/Route]"), dose,
                                   infusion, interval, n_doses);
        const double last_dose = o.doses.back().time_h;
        o.sim.end_h            = last_dose + interval;
        o.sim.output_dt_h      = 0.02;
        o.verbosity            = ctx.verbosity > 1 ? 1 : 0;
        for (const auto &item : dealii::Utilities::split_string_list(kp))
          {
            const auto eq = item.find('=');
            input_check(eq != std::string::npos, ctx.deck_file + ": [Cardiotox/Kp overrides]",
                        "\"" + item + "\": expected tissue=Kp");
            char        *end   = nullptr;
            const double value = std::strtod(item.c_str() + eq + 1, &end);
            input_check(end != item.c_str() + eq + 1 && *end == '\0', ctx.deck_file + ": [Cardiotox/Kp overrides]",
                        "\"" + item + "\": expected tissue=Kp with a number, e.g. heart=3.2");
            o.model.kp_override[item.substr(0, eq)] = value;
          }

        ResultDirectory   res(directory, ctx.comm);
        const std::string dir = res.tmp();

        // ---- 1. PBPK ----
        out << "[cardiotox] 1/4 PBPK: " << compound << ", " << n_doses << " x " << num(dose, 4) << " mg " << route
            << " every " << num(interval, 4) << " h\n";
        o.out = dir + "pk";
        using clock      = std::chrono::steady_clock;
        const auto since = [](clock::time_point t0) { return std::chrono::duration<double>(clock::now() - t0).count(); };
        auto       t0    = clock::now();
        pk::run_pk(o, ctx.comm);
        const auto src = pk::make_pbpk_results_source(dir + "pk");
        const double wall_pk = since(t0);

        // time points in the last interval
        std::vector<std::pair<std::string, double>> points;
        {
          // trough: just before the last dose (the end of the previous interval)
          const double t_trough = last_dose;
          double       t_peak = last_dose, c_peak = -1.;
          for (double t = last_dose; t <= last_dose + interval + 1e-9; t += interval / 2000.)
            {
              const double c = src->unbound_uM("heart", t);
              if (c > c_peak)
                c_peak = c, t_peak = t;
            }
          for (const auto &p : dealii::Utilities::split_string_list(points_spec))
            if (p == "peak")
              points.emplace_back("peak", t_peak);
            else if (p == "trough")
              points.emplace_back("trough", t_trough);
            else
              {
                const double t = split_numbers(p, ctx.deck_file + ": [Cardiotox/Time points]")[0];
                input_check(t >= 0. && t <= o.sim.end_h, ctx.deck_file + ": [Cardiotox/Time points]",
                            "time " + p + " h is outside the PK run [0, " + num(o.sim.end_h) + "] h");
                points.emplace_back("t" + num(t, 6) + "h", t);
              }
        }

        // ---- 2. tissue: baseline and each time point ----
        struct TissueResult
        {
          std::string label;
          double      t_h = NAN, c_nM = 0., qt = NAN, qrs_onset = NAN, t_end = NAN;
          std::string t_wave = "n/a", folder;
          double      wall_setup = NAN, wall_total = NAN; ///< [s] setup incl. pre-pacing; whole run
        };
        std::vector<TissueResult> tissue;
        // const_nM >= 0: the drug at that constant free concentration (population percentiles)
        auto run_tissue = [&](const std::string &label, double t_h, bool with_drug, double const_nM = -1.) {
          TissueResult r;
          r.label  = label;
          r.t_h    = t_h;
          r.folder = "tissue_" + label;
          out << "[cardiotox] tissue run " << label << (with_drug ? " at t = " + num(t_h, 5) + " h" : " (no drug)")
              << "\n";
          set(prm, "Drug/Drug file", with_drug ? drug_file : "");
          set(prm, "Drug/Drug", with_drug ? drug_name : "");
          set(prm, "Drug/Concentration source", const_nM >= 0. ? "constant" : "pk results");
          set(prm, "Drug/Concentration", num(std::max(const_nM, 0.), 12));
          set(prm, "Drug/PK results", dir + "pk");
          set(prm, "Drug/Organ", "heart");
          set(prm, "Drug/PK time at start", num(with_drug ? t_h : 0., 12));
          set(prm, "Output/Directory", dir + r.folder);
          auto c = CaseRegistry::create("monodomain");
          c->run(prm, RunContext{ctx.deck_file, ctx.comm, ctx.verbosity > 1 ? ctx.verbosity : 0});
          // read the ECG metrics of the run
          boost::property_tree::ptree s;
          boost::property_tree::read_json(dir + r.folder + "/summary.json", s);
          r.c_nM      = s.get<double>("drug_concentration_nM_at_end", 0.);
          r.qt        = s.get<double>("ecg.qt_ms", NAN);
          r.qrs_onset = s.get<double>("ecg.qrs_onset_ms", NAN);
          r.t_end     = s.get<double>("ecg.t_end_ms", NAN);
          r.t_wave    = s.get<std::string>("ecg.t_wave", "n/a");
          {
            std::ifstream tf(dir + r.folder + "/timings.txt");
            std::string   line;
            while (std::getline(tf, line))
              {
                const auto comma = line.rfind(',');
                if (comma == std::string::npos)
                  continue;
                const std::string key = line.substr(0, comma);
                if (key == "ep / setup")
                  r.wall_setup = std::atof(line.c_str() + comma + 1);
                else if (key == "total")
                  r.wall_total = std::atof(line.c_str() + comma + 1);
              }
          }
          out << "[cardiotox]   " << label << ": free heart concentration " << num(r.c_nM, 4) << " nM, QT "
              << num(r.qt, 5) << " ms, T wave " << r.t_wave << "\n";
          tissue.push_back(r);
        };
        out << "[cardiotox] 2/4 tissue runs (" << points.size() + 1 << ")\n";
        run_tissue("baseline", 0., false);
        for (const auto &[label, t] : points)
          run_tissue(label, t, true);

        // ---- 2b. virtual population: the tissue at percentiles of the unbound heart concentration ----
        // The tissue (one geometry and cell model) is run at the population percentiles of the
        // concentration at the trough and the peak; each subject's dQT is then interpolated on
        // the exposure-response points (0, 0), (c_k, dQT_k) of every drug run. That dQT is
        // monotone in c is checked, not assumed.
        struct PopRun
        {
          std::string kind; ///< trough or peak
          double      pct = 0., c_nM = 0., qt = NAN;
        };
        std::vector<PopRun>                    pop_runs;
        std::map<std::string, std::vector<double>> subject_nM; // kind -> each subject's conc.
        if (pop_n > 0)
          {
            const std::string pf = dir + "pk/population_subjects.csv";
            for (const auto &[kind, column] : std::vector<std::pair<std::string, std::string>>{
                   {"peak", "heart_unbound_Cmax_uM"}, {"trough", "heart_unbound_at_last_dose_uM"}})
              for (double c : read_csv_column(pf, column))
                subject_nM[kind].push_back(units::uM_to_nM(c));
            for (const auto &pt : points)
              if (pt.first == "peak" || pt.first == "trough")
                for (double q : pop_percentiles)
                  {
                    PopRun r;
                    r.kind = pt.first;
                    r.pct  = q;
                    r.c_nM = pk::quantile(subject_nM[pt.first], q / 100.);
                    run_tissue("p" + num(q, 4) + "_" + pt.first, pt.second, true, r.c_nM);
                    r.qt = tissue.back().qt;
                    pop_runs.push_back(r);
                  }
          }

        // ---- 3. cell-level CiPA class of the drug ----
        t0 = clock::now();
        std::string cipa_class = "not computed", cipa_p = "";
        double      tdp_metric = NAN;
        if (!classifier.empty() && drug.cmax_free_nM > 0.)
          {
            out << "[cardiotox] 3/4 CiPA study of " << drug.name << " at 1-4 x Cmax (classifier " << classifier
                << ")\n";
            dealii::ParameterHandler cp;
            cp.declare_entry("Problem type", "cipa", dealii::Patterns::Anything(), "");
            CaseRegistry::get("cipa").declare_parameters(cp);
            set_by_path(cp, "Drugs/Drug file", drug_file, "cardiotox case");
            set_by_path(cp, "Drugs/Drugs", drug.name, "cardiotox case");
            set_by_path(cp, "Pacing/Maximum beats", std::to_string(cipa_beats), "cardiotox case");
            set_by_path(cp, "Pacing/Minimum beats", std::to_string(std::min(cipa_beats, 100u)), "cardiotox case");
            set_by_path(cp, "Classifier/Mode", "apply", "cardiotox case");
            set_by_path(cp, "Classifier/Classifier file", classifier, "cardiotox case");
            set_by_path(cp, "Output/Directory", dir + "cipa", "cardiotox case");
            CaseRegistry::create("cipa")->run(cp, RunContext{ctx.deck_file, ctx.comm, 0});
            boost::property_tree::ptree s;
            boost::property_tree::read_json(dir + "cipa/summary.json", s);
            const auto &d = s.get_child("drugs").get_child(drug.name);
            cipa_class    = d.get<std::string>("predicted");
            tdp_metric    = d.get<double>("metric_uC_per_uF");
            std::vector<double> p;
            for (const auto &[k, v] : d.get_child("p"))
              p.push_back(v.get_value<double>());
            if (p.size() == 3)
              cipa_p = "P(Low) " + num(p[0], 3) + ", P(Intermediate) " + num(p[1], 3) + ", P(High) " + num(p[2], 3);
          }

        const double wall_cipa = since(t0);
        t0                     = clock::now();

        // The block data were measured up to about 25 x the free Cmax (the highest multiple of
        // the CiPA protocol); beyond it the Hill fits are extrapolations.
        std::string range_warning;
        if (drug.cmax_free_nM > 0.)
          for (const auto &r : tissue)
            if (r.c_nM > 25. * drug.cmax_free_nM)
              range_warning += "WARNING: " + r.label + ": free heart concentration " + num(r.c_nM, 4) +
                               " nM is above 25 x the free Cmax of " + drug.name + " (" +
                               num(25. * drug.cmax_free_nM, 4) +
                               " nM), the range of the CiPA block data; the block is extrapolated.\n";
        if (!range_warning.empty())
          out << "[cardiotox] " << range_warning;
        const double rr_ms = prm.get_double({"Pre-pacing"}, "Cycle length");

        // ---- 4. report ----
        out << "[cardiotox] 4/4 report\n";
        if (root)
          {
            const double qt0 = tissue[0].qt;
            std::ofstream q(dir + "qt.csv");
            const auto qtcf = [&](double qt) { return qt / std::cbrt(rr_ms / 1000.); };
            const auto qtcb = [&](double qt) { return qt / std::sqrt(rr_ms / 1000.); };
            q << "label,pk_time_h,free_heart_conc_nM,qrs_onset_ms,t_end_ms,qt_ms,delta_qt_ms,rr_ms,qtc_fridericia_ms,"
                 "delta_qtc_fridericia_ms,qtc_bazett_ms,delta_qtc_bazett_ms,t_wave,wall_setup_and_prepacing_s,"
                 "wall_tissue_total_s\n";
            for (const auto &r : tissue)
              q << r.label << ',' << num(r.t_h) << ',' << num(r.c_nM) << ',' << num(r.qrs_onset) << ','
                << num(r.t_end) << ',' << num(r.qt) << ',' << num(r.qt - qt0) << ',' << num(rr_ms) << ','
                << num(qtcf(r.qt)) << ',' << num(qtcf(r.qt) - qtcf(qt0)) << ',' << num(qtcb(r.qt)) << ','
                << num(qtcb(r.qt) - qtcb(qt0)) << ',' << r.t_wave << ',' << num(r.wall_setup) << ','
                << num(r.wall_total) << '\n';
            q.close();
            std::ofstream in(dir + "inputs.csv");
            in << "role,file,sha1\n";
            for (const auto &[role, f] : std::vector<std::pair<std::string, std::string>>{
                   {"deck", ctx.deck_file}, {"compound", compound}, {"drug library", drug_file},
                   {"classifier", classifier}})
              if (!f.empty())
                in << role << ',' << f << ',' << sha1_of(f) << '\n';
            in.close();
            std::ostringstream md;
            md << "# Cardiac-toxicity twin: " << drug.name << "\n\nOrganTwin " << version_string() << " ("
               << git_hash() << "), deck `" << ctx.deck_file << "` (SHA-1 " << sha1_of(ctx.deck_file)
               << "); every input file and its checksum: `inputs.csv`.\n\n"
               << "Dosing: " << n_doses << " x " << num(dose, 4) << " mg " << route << " every " << num(interval, 4)
               << " h; PBPK results in `pk/` (metrics.json, concentrations.png).\n\n"
               << "Pacing cycle length " << num(rr_ms) << " ms (QTc by Fridericia, QT / (RR/1 s)^(1/3)).\n\n"
               << "| run | PK time [h] | free heart conc. [nM] | QT [ms] | dQT [ms] | QTcF [ms] | dQTcF [ms] | T wave |\n"
               << "|---|---|---|---|---|---|---|---|\n";
            for (const auto &r : tissue)
              md << "| " << r.label << " | " << (r.label == "baseline" ? "-" : num(r.t_h, 5)) << " | " << num(r.c_nM, 4)
                 << " | " << num(r.qt, 5) << " | " << (r.label == "baseline" ? "-" : num(r.qt - qt0, 4)) << " | "
                 << num(qtcf(r.qt), 5) << " | " << (r.label == "baseline" ? "-" : num(qtcf(r.qt) - qtcf(qt0), 4))
                 << " | " << r.t_wave << " |\n";
            if (!range_warning.empty())
              md << "\n" << range_warning;

            // virtual population: percentile runs and each subject's interpolated dQT
            Json pop_json;
            if (pop_n > 0)
              {
                std::vector<std::pair<double, double>> er{{0., 0.}}; // exposure-response (c nM, dQT ms)
                for (const auto &r : tissue)
                  if (r.label != "baseline")
                    er.emplace_back(r.c_nM, r.qt - qt0);
                std::sort(er.begin(), er.end());
                bool monotone = true;
                for (std::size_t k = 1; k < er.size(); ++k)
                  monotone = monotone && er[k].second >= er[k - 1].second - 1.0; // one trace interval
                std::ofstream pc(dir + "population_qt.csv");
                pc << "kind,percentile,free_heart_conc_nM,qt_ms,delta_qt_ms,delta_qtc_fridericia_ms\n";
                for (const auto &r : pop_runs)
                  pc << r.kind << ',' << num(r.pct) << ',' << num(r.c_nM) << ',' << num(r.qt) << ',' << num(r.qt - qt0)
                     << ',' << num(qtcf(r.qt) - qtcf(qt0)) << '\n';
                pc.close();
                md << "\n## Virtual population\n\n" << pop_n << " subjects (seed " << o.pop.seed
                   << ", CV of clearances " << num(o.pop.cv_clearance, 3)
                   << "; pk/population_*.csv). The tissue was run at these percentiles of the free heart "
                      "concentration (population_qt.csv):\n\n"
                   << "| time point | percentile | free heart conc. [nM] | QT [ms] | dQT [ms] | dQTcF [ms] |\n"
                   << "|---|---|---|---|---|---|\n";
                for (const auto &r : pop_runs)
                  md << "| " << r.kind << " | " << num(r.pct, 4) << " | " << num(r.c_nM, 4) << " | " << num(r.qt, 5)
                     << " | " << num(r.qt - qt0, 4) << " | " << num(qtcf(r.qt) - qtcf(qt0), 4) << " |\n";
                md << "\nExposure-response: dQT is " << (monotone ? "" : "**not** ")
                   << "monotone in the concentration over the " << er.size() - 1
                   << " drug runs (tolerance 1 ms). Each subject's dQT interpolated linearly on it:\n\n"
                   << "| time point | subjects | mean dQT [ms] | dQT > 10 ms | dQT > 20 ms | beyond the simulated range |\n"
                   << "|---|---|---|---|---|---|\n";
                for (const auto &[kind, cs] : subject_nM)
                  {
                    bool run = false;
                    for (const auto &r : pop_runs)
                      run = run || r.kind == kind;
                    if (!run)
                      continue;
                    unsigned in_range = 0, above10 = 0, above20 = 0, beyond = 0;
                    double   sum      = 0.;
                    for (double c : cs)
                      {
                        const double d = interpolate_sorted(er, c);
                        if (std::isnan(d))
                          {
                            ++beyond;
                            continue;
                          }
                        ++in_range;
                        sum += d;
                        above10 += d > 10.;
                        above20 += d > 20.;
                      }
                    const double n = static_cast<double>(cs.size());
                    md << "| " << kind << " | " << cs.size() << " | " << num(in_range ? sum / in_range : NAN, 4)
                       << " | " << num(100. * above10 / n, 3) << " % | " << num(100. * above20 / n, 3) << " % | "
                       << num(100. * beyond / n, 3) << " % |\n";
                    Json k;
                    k.set("subjects", static_cast<int>(cs.size())).set("mean_delta_qt_ms", in_range ? sum / in_range : NAN);
                    k.set("fraction_delta_qt_above_10ms", above10 / n).set("fraction_delta_qt_above_20ms", above20 / n);
                    k.set("fraction_beyond_simulated_range", beyond / n);
                    pop_json.set(kind, k);
                  }
                md << "\n(The 10 ms threshold is the ICH E14 threshold of regulatory concern; subjects above the "
                      "highest simulated concentration are not extrapolated.)\n";
                pop_json.set("subjects", static_cast<int>(pop_n)).set("exposure_response_monotone", monotone);
                for (const auto &r : pop_runs)
                  {
                    Json k;
                    k.set("free_heart_conc_nM", r.c_nM).set("qt_ms", r.qt).set("delta_qt_ms", r.qt - qt0);
                    pop_json.set("p" + num(r.pct, 4) + "_" + r.kind, k);
                  }
              }
            double wall_prepace = 0., wall_tissue = 0.;
            for (const auto &r : tissue)
              {
                wall_prepace += r.wall_setup;
                wall_tissue += r.wall_total - r.wall_setup;
              }
            md << "\nWall time per stage [s] on " << dealii::Utilities::MPI::n_mpi_processes(ctx.comm)
               << " rank(s): PK " << num(wall_pk, 3) << ", tissue set-up and pre-pacing " << num(wall_prepace, 3)
               << ", tissue time stepping and ECG " << num(wall_tissue, 3) << ", cell-level CiPA " << num(wall_cipa, 3)
               << " (summary.json: wall_s_per_stage).\n";
            if (std::isnan(tdp_metric))
              md << "\nCell-level CiPA TdP class: not computed (no classifier file, or no free Cmax for the drug).\n";
            else
              md << "\nCell-level CiPA TdP class (CiPAORdv1, mean qNet over 1-4 x free Cmax = " << num(tdp_metric, 4)
                 << " uC/uF): **" << cipa_class << "** " << (cipa_p.empty() ? "" : "(" + cipa_p + ")") << ".\n";
            write_file_atomic(dir + "summary.md", md.str());
            Json js;
            js.set("organtwin_version", version_string()).set("git", git_hash()).set("deck", ctx.deck_file);
            js.set("drug", drug.name).set("cipa_class", cipa_class).set("tdp_metric_uC_per_uF", tdp_metric);
            for (const auto &r : tissue)
              {
                Json t;
                t.set("pk_time_h", r.t_h).set("free_heart_conc_nM", r.c_nM).set("qt_ms", r.qt);
                t.set("delta_qt_ms", r.qt - qt0).set("t_wave", r.t_wave);
                t.set("qtc_fridericia_ms", qtcf(r.qt)).set("delta_qtc_fridericia_ms", qtcf(r.qt) - qtcf(qt0));
                t.set("qtc_bazett_ms", qtcb(r.qt)).set("delta_qtc_bazett_ms", qtcb(r.qt) - qtcb(qt0));
                t.set("wall_setup_and_prepacing_s", r.wall_setup).set("wall_total_s", r.wall_total);
                js.set(r.label, t);
              }
            js.set("rr_ms", rr_ms).set("concentration_warning", range_warning);
            if (pop_n > 0)
              js.set("population", pop_json);
            Json stages;
            stages.set("pk", wall_pk).set("tissue_setup_and_prepacing", wall_prepace).set("tissue_stepping_and_ecg", wall_tissue);
            stages.set("cipa", wall_cipa).set("report_before_plots", since(t0));
            js.set("wall_s_per_stage", stages);
            js.set("wall_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count());
            write_file_atomic(dir + "summary.json", js.str());
            const std::string cmd = "/usr/bin/python3 " + shell_quote(source_file("postprocess/plot_cardiotox.py")) +
                                    " " + shell_quote(dir) + " > " + shell_quote(dir + "plot.log") + " 2>&1";
            if (std::system(cmd.c_str()) != 0)
              out << "[cardiotox] plotting failed (see plot.log)\n";
            out << md.str();
          }
        res.commit();
        out << "results in " << res.final_path() << "\n";
      }

    private:
      static void
      set(dealii::ParameterHandler &prm, const std::string &path, const std::string &value)
      {
        set_by_path(prm, path, value, "cardiotox case");
      }
    };
  } // namespace

  OT_REGISTER(Case, "cardiotox", CardiotoxCase,
              "end-to-end cardiac-toxicity twin: dosing -> PBPK -> tissue with channel block -> pseudo-ECG QT")
} // namespace organtwin::cardiotox
