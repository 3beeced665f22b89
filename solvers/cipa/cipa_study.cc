// CiPA in-silico study (Problem type "cipa"): for each drug and each multiple of its
// free Cmax, pace CiPAORdv1 (or another model) to steady state at 2000 ms, compute
// qNet, APD90, APD50, Ca transient and EADs, form the TdP metric (mean qNet over
// 1-4 x Cmax), fit or apply the ordinal-logistic classifier and report.
//
// References: Li et al. 2017 (Circ Arrhythm Electrophysiol 10:e004628), Dutta et al.
// 2017 (Front Physiol 8:616), Li et al. 2019 (Clin Pharmacol Ther 105:466).
// Jobs (drug x concentration x uncertainty sample) are independent cells: they are
// dealt round-robin to the MPI ranks and the results gathered on rank 0.

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <physics/drugs/drug.h>
#include <physics/drugs/tdp_classifier.h>
#include <physics/ionic/ionic_model.h>
#include <solvers/common/case.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/version.h>
#include <solvers/ep/cell_pacing.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <optional>
#include <random>
#include <sstream>

namespace organtwin::cipa
{
  namespace
  {
    namespace fs = std::filesystem;

    std::string
    num(double v, int precision = 8)
    {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
      return buf;
    }

    std::vector<std::string>
    split_list(const std::string &s)
    {
      std::vector<std::string> out;
      std::stringstream        ss(s);
      std::string              item;
      while (std::getline(ss, item, ','))
        {
          const auto a = item.find_first_not_of(" \t");
          const auto b = item.find_last_not_of(" \t");
          if (a != std::string::npos)
            out.push_back(item.substr(a, b - a + 1));
        }
      return out;
    }

    struct Job
    {
      unsigned drug = 0;     ///< index into the drug list; control uses multiple 0
      double   multiple = 0; ///< x free Cmax
      unsigned sample = 0;   ///< 0 = point estimate, > 0 = uncertainty sample
    };

    /// Result of one job, as a flat vector of doubles for MPI.
    struct JobResult
    {
      double qnet = NAN, apd90 = NAN, apd50 = NAN, ca_diast = NAN, ca_peak = NAN, V_rest = NAN, V_peak = NAN;
      double ead = 0, beats = 0, wall = 0, steps_per_beat = 0, failed = 0;
      static constexpr unsigned n = 12;
      void to(double *v) const
      {
        const double a[n] = {qnet,  apd90, apd50, ca_diast, ca_peak,        V_rest,
                             V_peak, ead,  beats, wall,     steps_per_beat, failed};
        std::copy(a, a + n, v);
      }
      void from(const double *v)
      {
        qnet = v[0], apd90 = v[1], apd50 = v[2], ca_diast = v[3], ca_peak = v[4], V_rest = v[5], V_peak = v[6];
        ead = v[7], beats = v[8], wall = v[9], steps_per_beat = v[10], failed = v[11];
      }
    };

    struct Settings
    {
      std::string              drug_file, model;
      std::vector<std::string> drug_names; // empty = all
      std::vector<double>      multiples;
      double                   cycle_length = 2000.;
      unsigned                 max_beats = 1000, min_beats = 200, check_interval = 50;
      bool                     converge = true;
      double                   tolerance = 1e-3;
      ep::PacingOptions        pacing;
      std::string              classifier_mode, classifier_file;
      double                   lambda = 0.1;
      unsigned                 samples = 0, seed = 1, threads = 1;
      double                   cv_ic50 = 0.3, cv_hill = 0.1;
      std::string              directory;
      bool                     plot = true;
    };

    class CipaStudy : public Case
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        using namespace dealii::Patterns;
        ionic::declare_ionic_model_parameters(prm, "CiPAORdv1");
        prm.enter_subsection("Drugs");
        prm.declare_entry("Drug file", "physics/drugs/data/cipa_training_drugs.csv", Anything(),
                          "drug library (.csv or .json, see physics/drugs/drug.h), relative to the working "
                          "directory; the default is the 12 CiPA training drugs");
        prm.declare_entry("Drugs", "all", Anything(), "comma-separated drug names from the file, or all");
        prm.declare_entry("Cmax multiples", "1,2,3,4", Anything(),
                          "[x free Cmax] concentrations to simulate, each in (0, 25]; the TdP metric is the mean "
                          "qNet over those in [1, 4]");
        prm.leave_subsection();
        prm.enter_subsection("Pacing");
        prm.declare_entry("Cycle length", "2000", Double(1.), "[ms] basic cycle length (CiPA: 2000)");
        prm.declare_entry("Stimulus amplitude", "-1", Double(-1.), "[uA/uF] -1: the model's default (ORd: 80)");
        prm.declare_entry("Stimulus duration", "-1", Double(-1.), "[ms] -1: the model's default (ORd: 0.5)");
        prm.declare_entry("Steady state", "converged", Selection("converged|fixed"),
                          "fixed: pace Maximum beats (CiPA protocol: 1000); converged: stop once qNet changes by "
                          "less than Tolerance (relative) over Check interval beats, after Minimum beats");
        prm.declare_entry("Maximum beats", "1000", Integer(1), "[beats]");
        prm.declare_entry("Minimum beats", "200", Integer(1), "[beats] converged mode only");
        prm.declare_entry("Check interval", "50", Integer(1), "[beats] converged mode only");
        prm.declare_entry("Tolerance", "1e-3", Double(0.), "[-] relative qNet change, converged mode only");
        prm.declare_entry("Scheme", "RushLarsen2-adaptive", Selection("RushLarsen2-adaptive|CVODE"),
                          "adaptive second-order Rush-Larsen (fast) or CVODE BDF (reference)");
        prm.declare_entry("dt min", "0.01", Double(1e-6), "[ms] smallest step of the adaptive scheme");
        prm.declare_entry("dt max", "0.5", Double(1e-6), "[ms] largest step of the adaptive scheme");
        prm.declare_entry("dV max", "0.5", Double(1e-6), "[mV] target change of V per adaptive step");
        prm.declare_entry("CVODE relative tolerance", "1e-8", Double(0.), "[-]");
        prm.declare_entry("CVODE absolute tolerance", "1e-10", Double(0.), "[state units]");
        prm.leave_subsection();
        prm.enter_subsection("Classifier");
        prm.declare_entry("Mode", "fit", Selection("fit|apply"),
                          "fit: fit the ordinal logistic regression on the drugs with a known risk level and "
                          "classify all drugs; apply: classify with the classifier in Classifier file (no refit)");
        prm.declare_entry("Classifier file", "", Anything(), "classifier.json written by a previous fit (apply mode)");
        prm.declare_entry("Ridge penalty", "0.01", Double(1e-12),
                          "[-] penalty on the slope of the standardised metric (see physics/drugs/tdp_classifier.h)");
        prm.leave_subsection();
        prm.enter_subsection("Uncertainty");
        prm.declare_entry("Samples", "0", Integer(0),
                          "[-] uncertainty samples per drug (0: point estimates only). Each sample draws every IC50 "
                          "and Hill coefficient from a log-normal distribution around the file's value");
        prm.declare_entry("IC50 CV", "0.3", Double(0.), "[-] coefficient of variation of the IC50s");
        prm.declare_entry("Hill CV", "0.1", Double(0.), "[-] coefficient of variation of the Hill coefficients");
        prm.declare_entry("Seed", "1", Integer(0), "[-] random seed (results are reproducible for a seed)");
        prm.leave_subsection();
        prm.enter_subsection("Parallel");
        prm.declare_entry("Threads per rank", "1", Integer(1, 256),
                          "[-] worker threads per MPI rank; cells are dealt round-robin to the ranks, then taken by "
                          "the threads of a rank from a shared queue (results do not depend on either)");
        prm.leave_subsection();
        prm.enter_subsection("Output");
        prm.declare_entry("Directory", "results/cipa", Anything(), "result folder (replaced on success)");
        prm.declare_entry("Plot", "true", Bool(), "make PNG figures with /usr/bin/python3 + matplotlib");
        prm.leave_subsection();
      }

      void
      run(dealii::ParameterHandler &prm, const RunContext &ctx) override
      {
        const auto   t0    = std::chrono::steady_clock::now();
        const bool   root  = dealii::Utilities::MPI::this_mpi_process(ctx.comm) == 0;
        const auto   rank  = dealii::Utilities::MPI::this_mpi_process(ctx.comm);
        const auto   nproc = dealii::Utilities::MPI::n_mpi_processes(ctx.comm);
        const Settings s   = read(prm, ctx.deck_file);

        auto model0 = ionic::create_ionic_model(prm);
        // read the classifier before any work, on every rank, so that a bad file fails fast
        std::optional<drugs::TdpClassifier> given;
        if (s.classifier_mode == "apply")
          given = drugs::TdpClassifier::read(s.classifier_file);
        const auto lib = drugs::DrugLibrary::read(s.drug_file);
        std::vector<drugs::Drug> drug_list;
        if (s.drug_names.empty())
          drug_list = lib.drugs();
        else
          for (const auto &n : s.drug_names)
            drug_list.push_back(lib.get(n));
        for (const auto &d : drug_list)
          input_check(d.cmax_free_nM > 0., s.drug_file + ": drug " + d.name + " [cmax_free_nM]",
                      "is missing; concentrations are multiples of the free Cmax");
        // uncertainty: perturbed drug copies per sample (deterministic per seed)
        std::vector<std::vector<drugs::Drug>> variants(drug_list.size());
        std::mt19937_64                       rng(s.seed);
        auto lognormal = [&](double mean, double cv) {
          if (cv <= 0.)
            return mean;
          const double sig2 = std::log(1. + cv * cv);
          std::normal_distribution<double> nd(std::log(mean) - 0.5 * sig2, std::sqrt(sig2));
          return std::exp(nd(rng));
        };
        for (std::size_t k = 0; k < drug_list.size(); ++k)
          {
            variants[k].push_back(drug_list[k]);
            for (unsigned smp = 1; smp <= s.samples; ++smp)
              {
                drugs::Drug d = drug_list[k];
                for (auto &b : d.block)
                  if (b)
                    {
                      b->ic50_nM = lognormal(b->ic50_nM, s.cv_ic50);
                      b->hill    = lognormal(b->hill, s.cv_hill);
                    }
                variants[k].push_back(d);
              }
          }

        std::vector<Job> jobs;
        jobs.push_back(Job{0, 0., 0}); // control
        for (unsigned k = 0; k < drug_list.size(); ++k)
          for (unsigned smp = 0; smp <= s.samples; ++smp)
            for (double m : s.multiples)
              jobs.push_back(Job{k, m, smp});

        if (root && ctx.verbosity > 0)
          std::cout << "OrganTwin " << version_string() << " (" << git_hash() << "): CiPA study, deck " << ctx.deck_file
                    << ", ranks " << nproc << "\n  model " << model0->name() << ", " << drug_list.size()
                    << " drugs x " << s.multiples.size() << " concentrations x " << (s.samples + 1)
                    << " parameter sets + control = " << jobs.size() << " cells; CL " << s.cycle_length << " ms, "
                    << (s.converge ? "converged steady state (max " + std::to_string(s.max_beats) + " beats)"
                                   : std::to_string(s.max_beats) + " beats")
                    << ", " << (s.pacing.cvode ? "CVODE" : "adaptive RushLarsen2") << "\n";

        // ---- run this rank's jobs ----
        const unsigned                nres = JobResult::n;
        std::vector<double>           local(jobs.size() * nres, 0.);
        std::vector<double>           local_trace; // for point-estimate jobs: [job, n, t..., V..., Ca...]
        std::vector<std::size_t> my_jobs;
        for (std::size_t j = rank; j < jobs.size(); j += nproc)
          my_jobs.push_back(j);
        // models are created here, serially (ParameterHandler is not thread-safe)
        std::vector<std::unique_ptr<ionic::IonicModel>> models;
        for (std::size_t j : my_jobs)
          {
            const Job &job     = jobs[j];
            const bool control = job.multiple == 0.;
            const drugs::Drug &d = control ? drug_list.front() : variants[job.drug][job.sample];
            models.push_back(ionic::create_ionic_model(prm));
            drugs::apply_drug(*models.back(), d, control ? 0. : job.multiple * d.cmax_free_nM);
          }
        std::vector<ep::BeatTrace> my_traces(my_jobs.size());
        std::atomic<std::size_t>   next{0};
        std::atomic<unsigned>      done{0};
        std::mutex                 print_mutex;
        const auto                 tstart = std::chrono::steady_clock::now();
        auto worker = [&]() {
          for (std::size_t q = next++; q < my_jobs.size(); q = next++)
            {
              const std::size_t j   = my_jobs[q];
              const Job        &job = jobs[j];
              JobResult         r;
              try
                {
                  r = simulate(*models[q], s, job.sample == 0 ? &my_traces[q] : nullptr);
                }
              catch (const std::exception &e)
                {
                  // a cell that fails (e.g. NaN at a toxic concentration) is reported, not fatal
                  r.failed = 1.;
                  std::lock_guard<std::mutex> lock(print_mutex);
                  std::cerr << "[cipa] rank " << rank << ": cell " << j << " failed: " << e.what() << "\n";
                }
              r.to(&local[j * nres]);
              const unsigned n_done = ++done;
              if (root && ctx.verbosity > 0)
                {
                  std::lock_guard<std::mutex> lock(print_mutex);
                  const double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - tstart).count();
                  std::cout << "[cipa] rank 0: " << n_done << "/" << my_jobs.size() << " cells (" << jobs.size()
                            << " on all ranks), "
                            << (job.multiple == 0. ? std::string("control")
                                                   : drug_list[job.drug].name + " " + num(job.multiple, 3) + "x")
                            << ": qNet " << num(r.qnet, 4) << " uC/uF, APD90 " << num(r.apd90, 4) << " ms, "
                            << num(r.beats, 4) << " beats; wall " << num(w, 3) << " s, left ~"
                            << num(w / n_done * (my_jobs.size() - n_done), 3) << " s\n"
                            << std::flush;
                }
            }
        };
        {
          std::vector<std::thread> pool;
          for (unsigned t = 1; t < s.threads; ++t)
            pool.emplace_back(worker);
          worker();
          for (auto &t : pool)
            t.join();
        }
        for (std::size_t q = 0; q < my_jobs.size(); ++q)
          if (jobs[my_jobs[q]].sample == 0)
            {
              const auto &trace = my_traces[q];
              local_trace.push_back(my_jobs[q]);
              local_trace.push_back(trace.t.size());
              for (const auto *v : {&trace.t, &trace.V, &trace.Ca_i})
                local_trace.insert(local_trace.end(), v->begin(), v->end());
            }
        std::vector<double> all(local.size());
        MPI_Allreduce(local.data(), all.data(), static_cast<int>(all.size()), MPI_DOUBLE, MPI_SUM, ctx.comm);
        const auto traces = dealii::Utilities::MPI::gather(ctx.comm, local_trace, 0);
        if (!root)
          {
            ResultDirectory dummy(s.directory, ctx.comm);
            dummy.commit();
            return;
          }

        std::vector<JobResult> res(jobs.size());
        for (std::size_t j = 0; j < jobs.size(); ++j)
          res[j].from(&all[j * nres]);
        std::map<std::size_t, ep::BeatTrace> trace_of;
        for (const auto &tv : traces)
          for (std::size_t p = 0; p < tv.size();)
            {
              const std::size_t j = tv[p], n = tv[p + 1];
              ep::BeatTrace     t;
              t.t.assign(tv.begin() + p + 2, tv.begin() + p + 2 + n);
              t.V.assign(tv.begin() + p + 2 + n, tv.begin() + p + 2 + 2 * n);
              t.Ca_i.assign(tv.begin() + p + 2 + 2 * n, tv.begin() + p + 2 + 3 * n);
              trace_of[j] = std::move(t);
              p += 2 + 3 * n;
            }

        report(s, ctx, drug_list, jobs, res, trace_of, given, t0);
      }

    private:
      static Settings
      read(dealii::ParameterHandler &prm, const std::string &deck)
      {
        Settings s;
        prm.enter_subsection("Ionic model");
        s.model = prm.get("Model");
        prm.leave_subsection();
        prm.enter_subsection("Drugs");
        s.drug_file = prm.get("Drug file");
        if (prm.get("Drugs") != "all")
          s.drug_names = split_list(prm.get("Drugs"));
        for (const auto &m : split_list(prm.get("Cmax multiples")))
          {
            double v = 0.;
            try
              {
                v = std::stod(m);
              }
            catch (...)
              {
                throw InputError(deck + ": [Drugs/Cmax multiples] \"" + m + "\" is not a number");
              }
            input_check(v > 0. && v <= 25., deck + ": [Drugs/Cmax multiples]",
                        "= " + m + ": expected multiples of the free Cmax in (0, 25]");
            s.multiples.push_back(v);
          }
        input_check(!s.multiples.empty(), deck + ": [Drugs/Cmax multiples]", "is empty");
        prm.leave_subsection();
        prm.enter_subsection("Pacing");
        s.cycle_length          = prm.get_double("Cycle length");
        s.pacing.cycle_length   = s.cycle_length;
        s.pacing.stim_amplitude = prm.get_double("Stimulus amplitude");
        s.pacing.stim_duration  = prm.get_double("Stimulus duration");
        s.converge              = prm.get("Steady state") == "converged";
        s.max_beats             = prm.get_integer("Maximum beats");
        s.min_beats             = prm.get_integer("Minimum beats");
        s.check_interval        = prm.get_integer("Check interval");
        s.tolerance             = prm.get_double("Tolerance");
        s.pacing.cvode          = prm.get("Scheme") == "CVODE";
        s.pacing.dt_min         = prm.get_double("dt min");
        s.pacing.dt_max         = prm.get_double("dt max");
        s.pacing.dV_max         = prm.get_double("dV max");
        s.pacing.cvode_rtol     = prm.get_double("CVODE relative tolerance");
        s.pacing.cvode_atol     = prm.get_double("CVODE absolute tolerance");
        input_check(s.pacing.dt_max >= s.pacing.dt_min, deck + ": [Pacing/dt max]", "must be >= dt min");
        input_check(!s.converge || s.min_beats <= s.max_beats, deck + ": [Pacing/Minimum beats]", "must be <= Maximum beats");
        prm.leave_subsection();
        try
          {
            s.pacing.check();
          }
        catch (const std::invalid_argument &e)
          {
            throw InputError(deck + ": [Pacing] " + e.what());
          }
        prm.enter_subsection("Classifier");
        s.classifier_mode = prm.get("Mode");
        s.classifier_file = prm.get("Classifier file");
        s.lambda          = prm.get_double("Ridge penalty");
        input_check(s.classifier_mode != "apply" || !s.classifier_file.empty(), deck + ": [Classifier/Classifier file]",
                    "is required with Mode = apply");
        prm.leave_subsection();
        prm.enter_subsection("Uncertainty");
        s.samples = prm.get_integer("Samples");
        s.cv_ic50 = prm.get_double("IC50 CV");
        s.cv_hill = prm.get_double("Hill CV");
        s.seed    = prm.get_integer("Seed");
        prm.leave_subsection();
        prm.enter_subsection("Parallel");
        s.threads = prm.get_integer("Threads per rank");
        prm.leave_subsection();
        prm.enter_subsection("Output");
        s.directory = prm.get("Directory");
        s.plot      = prm.get_bool("Plot");
        prm.leave_subsection();
        return s;
      }

      /// Pace to steady state and analyse the last beat.
      static JobResult
      simulate(const ionic::IonicModel &model, const Settings &s, ep::BeatTrace *trace)
      {
        const auto    t0 = std::chrono::steady_clock::now();
        ep::CellPacer pacer(model, s.pacing);
        JobResult     r;
        double        q_prev   = NAN;
        unsigned      beat     = 0;
        unsigned long steps    = 0;
        bool          any_ead  = false;
        while (beat < s.max_beats)
          {
            ++beat;
            const bool last_fixed = beat == s.max_beats;
            const bool check      = s.converge && beat >= s.min_beats && beat % s.check_interval == 0;
            const auto b          = pacer.pace_beat(check || last_fixed, nullptr);
            steps += b.steps;
            any_ead = any_ead || (beat + 250 > s.max_beats && b.ap.ead);
            if (check)
              {
                const bool conv = std::isfinite(q_prev) && std::abs(b.qnet - q_prev) <= s.tolerance * std::abs(b.qnet);
                q_prev          = b.qnet;
                if (conv)
                  break;
              }
          }
        // the reported beat: one more, recorded
        const auto b = pacer.pace_beat(true, trace);
        steps += b.steps;
        ++beat;
        r.qnet           = b.qnet;
        r.apd90          = b.ap.apd90;
        r.apd50          = b.ap.apd50;
        r.ca_diast       = b.ca_diast;
        r.ca_peak        = b.ca_peak;
        r.V_rest         = b.ap.V_rest;
        r.V_peak         = b.ap.V_peak;
        r.ead            = (b.ap.ead || any_ead) ? 1. : 0.;
        r.beats          = beat;
        r.steps_per_beat = double(steps) / beat;
        r.wall           = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return r;
      }

      static void
      report(const Settings &s, const RunContext &ctx, const std::vector<drugs::Drug> &dl, const std::vector<Job> &jobs,
             const std::vector<JobResult> &res, const std::map<std::size_t, ep::BeatTrace> &traces,
             const std::optional<drugs::TdpClassifier> &given, std::chrono::steady_clock::time_point t0)
      {
        ResultDirectory out(s.directory, ctx.comm);
        const std::string dir = out.tmp();
        fs::create_directories(dir + "drugs");
        fs::create_directories(dir + "traces");

        auto write_trace = [&](std::size_t j, const std::string &name) {
          const auto it = traces.find(j);
          if (it == traces.end())
            return;
          std::ofstream f(dir + "traces/" + name + ".csv");
          f << "t_ms,V_mV,Ca_i_mM\n";
          for (std::size_t i = 0; i < it->second.t.size(); ++i)
            f << num(it->second.t[i], 10) << ',' << num(it->second.V[i], 10) << ',' << num(it->second.Ca_i[i], 10)
              << '\n';
        };

        // all metrics
        std::ofstream m(dir + "metrics.csv");
        m << "drug,known_risk,cmax_multiple,conc_nM,sample,qnet_uC_per_uF,apd90_ms,apd50_ms,ca_diastolic_mM,"
             "ca_peak_mM,V_rest_mV,V_peak_mV,ead,beats,steps_per_beat,wall_s,failed\n";
        auto line = [&](const std::string &drug, int risk, double mult, double conc, unsigned smp, const JobResult &r) {
          m << drug << ',' << drugs::risk_name(risk) << ',' << num(mult) << ',' << num(conc) << ',' << smp << ','
            << num(r.qnet) << ',' << num(r.apd90) << ',' << num(r.apd50) << ',' << num(r.ca_diast) << ','
            << num(r.ca_peak) << ',' << num(r.V_rest) << ',' << num(r.V_peak) << ',' << int(r.ead) << ','
            << int(r.beats) << ',' << num(r.steps_per_beat, 5) << ',' << num(r.wall, 4) << ',' << int(r.failed)
            << '\n';
        };
        line("control", -1, 0., 0., 0, res[0]);
        write_trace(0, "control");

        // per drug: metric per sample
        std::vector<std::vector<double>> metric(dl.size());
        std::vector<bool>                ead_drug(dl.size(), false);
        std::vector<double>              x_fit;
        std::vector<int>                 y_fit;
        for (unsigned k = 0; k < dl.size(); ++k)
          {
            std::ofstream f(dir + "drugs/" + dl[k].name + ".csv");
            f << "cmax_multiple,conc_nM,qnet_uC_per_uF,apd90_ms,apd50_ms,ca_diastolic_mM,ca_peak_mM,ead,beats\n";
            f << "0,0," << num(res[0].qnet) << ',' << num(res[0].apd90) << ',' << num(res[0].apd50) << ','
              << num(res[0].ca_diast) << ',' << num(res[0].ca_peak) << ",0," << int(res[0].beats) << '\n';
            std::map<unsigned, std::pair<double, unsigned>> sum; // sample -> (sum qNet over 1..4x, count)
            for (std::size_t j = 1; j < jobs.size(); ++j)
              if (jobs[j].drug == k)
                {
                  const auto  &r    = res[j];
                  const double conc = jobs[j].multiple * dl[k].cmax_free_nM;
                  line(dl[k].name, dl[k].risk_level, jobs[j].multiple, conc, jobs[j].sample, r);
                  if (jobs[j].sample == 0)
                    {
                      f << num(jobs[j].multiple) << ',' << num(conc) << ',' << num(r.qnet) << ',' << num(r.apd90) << ','
                        << num(r.apd50) << ',' << num(r.ca_diast) << ',' << num(r.ca_peak) << ',' << int(r.ead) << ','
                        << int(r.beats) << '\n';
                      write_trace(j, dl[k].name + "_" + num(jobs[j].multiple, 4) + "x");
                      if (r.ead > 0. && jobs[j].multiple <= 4.)
                        ead_drug[k] = true;
                    }
                  if (jobs[j].multiple >= 1. && jobs[j].multiple <= 4.)
                    {
                      sum[jobs[j].sample].first += r.qnet;
                      sum[jobs[j].sample].second += 1;
                    }
                }
            for (const auto &[smp, p] : sum)
              {
                metric[k].push_back(p.second ? p.first / p.second : NAN);
                if (dl[k].risk_level >= 0 && std::isfinite(metric[k].back()))
                  {
                    x_fit.push_back(metric[k].back());
                    y_fit.push_back(dl[k].risk_level);
                  }
              }
          }
        m.close();

        // classifier
        drugs::TdpClassifier cls;
        std::string          cls_note;
        bool                 have_cls = false;
        if (s.classifier_mode == "apply")
          {
            cls      = *given;
            have_cls = true;
            cls_note = "applied from " + s.classifier_file + " (no refit)";
          }
        else
          {
            try
              {
                cls      = drugs::TdpClassifier::fit(x_fit, y_fit, s.lambda);
                have_cls = true;
                cls_note = "fitted on " + std::to_string(x_fit.size()) + " metric values of drugs with a known class";
              }
            catch (const std::exception &e)
              {
                cls_note = std::string("not fitted: ") + e.what();
              }
          }
        if (have_cls)
          write_file_atomic(dir + "classifier.json", cls.to_json());

        // leave-one-drug-out (point estimates, fit mode)
        std::vector<int> loo(dl.size(), -1);
        if (have_cls && s.classifier_mode == "fit")
          for (unsigned k = 0; k < dl.size(); ++k)
            {
              if (dl[k].risk_level < 0 || metric[k].empty())
                continue;
              std::vector<double> xs;
              std::vector<int>    ys;
              for (unsigned q = 0; q < dl.size(); ++q)
                if (q != k && dl[q].risk_level >= 0)
                  for (double v : metric[q])
                    xs.push_back(v), ys.push_back(dl[q].risk_level);
              try
                {
                  loo[k] = drugs::TdpClassifier::fit(xs, ys, s.lambda).predict(metric[k][0]);
                }
              catch (...)
                {
                }
            }

        std::ofstream t(dir + "tdp.csv");
        t << "drug,known_risk,tdp_metric_uC_per_uF,predicted_risk,p_low,p_intermediate,p_high,"
             "sample_fraction_low,sample_fraction_intermediate,sample_fraction_high,loo_predicted_risk,ead_at_1_4x\n";
        std::ostringstream md;
        md << "# CiPA study\n\nOrganTwin " << version_string() << " (" << git_hash() << "), deck `" << ctx.deck_file
           << "`, drug file `" << s.drug_file << "`, model " << s.model << ", CL " << s.cycle_length
           << " ms.\n\nControl: qNet " << num(res[0].qnet, 4) << " uC/uF, APD90 " << num(res[0].apd90, 4)
           << " ms, APD50 " << num(res[0].apd50, 4) << " ms, Ca_i " << num(res[0].ca_diast * 1e6, 4) << " -> "
           << num(res[0].ca_peak * 1e6, 4) << " nM (" << int(res[0].beats) << " beats).\n\n";
        if (have_cls)
          md << "Classifier (" << cls_note << "): thresholds on the TdP metric (mean qNet over 1-4 x Cmax): "
             << "High < " << num(cls.threshold_intermediate_high(), 4) << " <= Intermediate < "
             << num(cls.threshold_low_intermediate(), 4) << " <= Low uC/uF.\n\n";
        else
          md << "Classifier: " << cls_note << "\n\n";
        md << "| drug | known | TdP metric [uC/uF] | predicted | P(Low) | P(Int) | P(High) | leave-one-out | EAD |\n"
           << "|---|---|---|---|---|---|---|---|---|\n";
        unsigned n_known = 0, n_right = 0, n_loo_right = 0;
        Json     jd;
        for (unsigned k = 0; k < dl.size(); ++k)
          {
            const double x = metric[k].empty() ? NAN : metric[k][0];
            std::vector<double> p = have_cls && std::isfinite(x) ? cls.probabilities(x) : std::vector<double>{NAN, NAN, NAN};
            int pred = have_cls && std::isfinite(x) ? cls.predict(x) : -1;
            double frac[3] = {NAN, NAN, NAN};
            if (have_cls && metric[k].size() > 1)
              {
                frac[0] = frac[1] = frac[2] = 0.;
                for (double v : metric[k])
                  frac[cls.predict(v)] += 1. / metric[k].size();
              }
            if (dl[k].risk_level >= 0 && pred >= 0)
              {
                ++n_known;
                n_right += pred == dl[k].risk_level;
                n_loo_right += loo[k] == dl[k].risk_level;
              }
            t << dl[k].name << ',' << drugs::risk_name(dl[k].risk_level) << ',' << num(x) << ','
              << (pred >= 0 ? drugs::risk_name(pred) : "n/a") << ',' << num(p[0], 4) << ',' << num(p[1], 4) << ','
              << num(p[2], 4) << ',' << num(frac[0], 4) << ',' << num(frac[1], 4) << ',' << num(frac[2], 4) << ','
              << (loo[k] >= 0 ? drugs::risk_name(loo[k]) : "n/a") << ',' << int(ead_drug[k]) << '\n';
            md << "| " << dl[k].name << " | " << drugs::risk_name(dl[k].risk_level) << " | " << num(x, 4) << " | "
               << (pred >= 0 ? drugs::risk_name(pred) : "n/a")
               << (dl[k].risk_level >= 0 && pred >= 0 ? (pred == dl[k].risk_level ? " (right)" : " (WRONG)") : "")
               << " | " << num(p[0], 3) << " | " << num(p[1], 3) << " | " << num(p[2], 3) << " | "
               << (loo[k] >= 0 ? drugs::risk_name(loo[k]) : "n/a") << " | " << (ead_drug[k] ? "yes" : "no")
               << " |\n";
            Json e;
            e.set("metric_uC_per_uF", x).set("known", drugs::risk_name(dl[k].risk_level));
            e.set("predicted", pred >= 0 ? drugs::risk_name(pred) : "n/a").set("p", p);
            jd.set(dl[k].name, e);
          }
        t.close();
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        double       cell_wall = 0., beats = 0.;
        for (const auto &r : res)
          cell_wall += r.wall, beats += r.beats;
        unsigned n_failed = 0;
        for (const auto &r : res)
          n_failed += r.failed > 0.;
        if (n_failed > 0)
          md << "\n**" << n_failed << " cells failed** (non-finite state; see metrics.csv, column failed); their "
             << "drugs have no TdP metric.\n";
        md << "\n" << n_right << " of " << n_known << " drugs with a known class are classified right ("
           << n_loo_right << " of " << n_known << " in leave-one-drug-out).\n\nWall time " << num(wall, 4) << " s on "
           << dealii::Utilities::MPI::n_mpi_processes(ctx.comm) << " ranks; " << jobs.size() << " cells, "
           << num(beats, 6) << " beats, " << num(1e3 * cell_wall / beats, 3) << " ms per beat per core.\n";
        write_file_atomic(dir + "summary.md", md.str());

        Json sum;
        sum.set("organtwin_version", version_string()).set("git", git_hash()).set("deck", ctx.deck_file);
        sum.set("drug_file", s.drug_file).set("model", s.model).set("cycle_length_ms", s.cycle_length);
        Json ctl;
        ctl.set("qnet_uC_per_uF", res[0].qnet).set("apd90_ms", res[0].apd90).set("apd50_ms", res[0].apd50);
        ctl.set("ca_diastolic_mM", res[0].ca_diast).set("ca_peak_mM", res[0].ca_peak).set("beats", res[0].beats);
        sum.set("control", ctl).set("drugs", jd);
        sum.set("n_known", double(n_known)).set("n_correct", double(n_right)).set("n_correct_leave_one_out", double(n_loo_right));
        if (have_cls)
          sum.set("threshold_low_intermediate", cls.threshold_low_intermediate())
            .set("threshold_intermediate_high", cls.threshold_intermediate_high());
        sum.set("cells_failed", double(n_failed));
        sum.set("classifier", cls_note).set("wall_s", wall).set("cells", static_cast<unsigned long>(jobs.size()));
        sum.set("ms_per_beat_per_core", 1e3 * cell_wall / beats);
        write_file_atomic(dir + "summary.json", sum.str());

        if (s.plot)
          {
            const std::string cmd = "/usr/bin/python3 " + shell_quote(source_file("postprocess/plot_cipa.py")) + " " +
                                    shell_quote(dir) + " > " + shell_quote(dir + "plot.log") + " 2>&1";
            if (std::system(cmd.c_str()) != 0 && ctx.verbosity > 0)
              std::cout << "[cipa] plotting failed (see plot.log); results are complete without figures\n";
          }
        out.commit();
        if (ctx.verbosity > 0)
          std::cout << md.str() << "results in " << out.final_path() << "\n";
      }
    };
  } // namespace

  OT_REGISTER(Case, "cipa", CipaStudy,
              "CiPA in-silico TdP risk study: drugs x concentrations, qNet, classifier (Li et al. 2019)")
} // namespace organtwin::cipa
