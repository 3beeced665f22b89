#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <physics/ionic/cvode_integrator.h>
#include <physics/ionic/integrators.h>
#include <physics/ionic/ionic_model.h>
#include <postprocess/action_potential.h>
#include <solvers/common/output.h>
#include <solvers/common/parameters.h>
#include <solvers/common/version.h>
#include <solvers/ep/single_cell.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <sys/wait.h>

namespace organtwin::ep
{
  namespace
  {
    using postprocess::BeatMetrics;

    /// Everything read from the deck, checked.
    struct Settings
    {
      std::string deck;
      std::string prm_model;
      double      prm_cycle_length = 1000.;
      unsigned    prm_n_beats      = 1;
      double      prm_stim_amplitude = -1., prm_stim_duration = -1., prm_stim_start = 0.;
      std::string prm_scheme;
      double      prm_dt = 0.01, prm_rtol = 1e-6, prm_atol = 1e-8;
      double      prm_output_interval = 0.5;
      unsigned    prm_beats_to_write  = 1;
      std::string prm_directory;
      bool        prm_plot = true;
      double      prm_activation_threshold = -40.;
      double      prm_steady_tolerance     = 0.1;

      // derived
      double amplitude = 0., duration = 1.;
      double t_end() const { return prm_stim_start + prm_n_beats * prm_cycle_length; }
      double stim_time(unsigned k) const { return prm_stim_start + k * prm_cycle_length; }
      bool   cvode() const { return prm_scheme == "CVODE"; }
    };

    std::string
    num(double v, int precision = 10)
    {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
      return buf;
    }

    Settings
    parse(dealii::ParameterHandler &prm, const ionic::IonicModel &model, const std::string &deck)
    {
      Settings s;
      s.deck = deck;
      prm.enter_subsection("Ionic model");
      s.prm_model = prm.get("Model");
      prm.leave_subsection();

      prm.enter_subsection("Pacing");
      s.prm_cycle_length   = prm.get_double("Cycle length");
      s.prm_n_beats        = prm.get_integer("Number of beats");
      s.prm_stim_amplitude = prm.get_double("Stimulus amplitude");
      s.prm_stim_duration  = prm.get_double("Stimulus duration");
      s.prm_stim_start     = prm.get_double("Stimulus start");
      prm.leave_subsection();

      prm.enter_subsection("Time integration");
      s.prm_scheme          = prm.get("Scheme");
      s.prm_dt              = prm.get_double("Time step");
      s.prm_rtol            = prm.get_double("CVODE relative tolerance");
      s.prm_atol            = prm.get_double("CVODE absolute tolerance");
      s.prm_output_interval = prm.get_double("Output interval");
      s.prm_beats_to_write  = prm.get_integer("Beats to write");
      prm.leave_subsection();

      prm.enter_subsection("Output");
      s.prm_directory = prm.get("Directory");
      s.prm_plot      = prm.get_bool("Plot");
      prm.leave_subsection();

      prm.enter_subsection("Analysis");
      s.prm_activation_threshold = prm.get_double("Activation threshold");
      s.prm_steady_tolerance     = prm.get_double("Steady-state APD90 change");
      prm.leave_subsection();

      // "deck: [Section/Entry] = value unit: expected ..."
      auto require = [&](bool ok, const std::string &path, double value, const std::string &unit,
                         const std::string &expected) {
        if (!ok)
          throw InputError(deck + ": [" + path + "] = " + num(value) + (unit.empty() ? "" : " " + unit) + ": " +
                           expected);
      };
      require(s.prm_cycle_length > 0., "Pacing/Cycle length", s.prm_cycle_length, "ms",
              "expected a positive cycle length");
      require(s.prm_stim_amplitude == -1. || s.prm_stim_amplitude >= 0., "Pacing/Stimulus amplitude",
              s.prm_stim_amplitude, "uA/uF", "expected -1 (the model's default) or a value >= 0");
      require(s.prm_stim_duration == -1. || s.prm_stim_duration > 0., "Pacing/Stimulus duration",
              s.prm_stim_duration, "ms", "expected -1 (the model's default) or a value > 0");
      s.amplitude = s.prm_stim_amplitude == -1. ? model.default_stimulus_amplitude() : s.prm_stim_amplitude;
      s.duration  = s.prm_stim_duration == -1. ? model.default_stimulus_duration() : s.prm_stim_duration;
      require(s.duration < s.prm_cycle_length, "Pacing/Stimulus duration", s.duration, "ms",
              "must be shorter than the Cycle length (" + num(s.prm_cycle_length) + " ms)");

      const std::string dt_path = "Time integration/Time step";
      require(s.prm_dt > 0., dt_path, s.prm_dt, "ms", "expected a positive time step (e.g. 0.01 ms)");
      require(s.prm_output_interval > 0., "Time integration/Output interval", s.prm_output_interval, "ms",
              "expected a positive sampling interval");
      require(s.prm_dt <= s.duration, dt_path, s.prm_dt, "ms",
              "is larger than the Stimulus duration (" + num(s.duration) +
                " ms); expected Time step <= Stimulus duration");
      require(s.prm_dt <= s.prm_output_interval, dt_path, s.prm_dt, "ms",
              "is larger than the Output interval (" + num(s.prm_output_interval) +
                " ms); expected Time step <= Output interval");
      input_check(!s.prm_directory.empty(), deck + ": [Output/Directory]", "must not be empty");
      return s;
    }

    /// One time-stepping method for one cell, with a piecewise constant stimulus.
    class Stepper
    {
    public:
      virtual ~Stepper() = default;
      /// Begin a segment [t, t_stop] with constant applied current I_app.
      virtual void start_segment(double t, const double *y, double I_app, double t_stop) = 0;
      /// Advance y from t0 to t1 (inside the current segment).
      virtual void advance(double t0, double t1, double *y) = 0;
      virtual std::string stats() const { return ""; }
    };

    class ExplicitStepper : public Stepper
    {
    public:
      ExplicitStepper(const ionic::IonicModel &model, ionic::OdeScheme scheme)
        : model(model)
        , scheme(scheme)
        , is_gate(ionic::gate_flags(model))
        , work(model.n_states())
      {}
      void start_segment(double, const double *, double I, double) override { I_app = I; }
      void
      advance(double t0, double t1, double *y) override
      {
        ionic::step_cell(model, is_gate, scheme, t1 - t0, I_app, y, work);
      }

    private:
      const ionic::IonicModel &model;
      ionic::OdeScheme         scheme;
      std::vector<unsigned char> is_gate;
      ionic::CellWorkspace     work;
      double                   I_app = 0.;
    };

    class CvodeStepper : public Stepper
    {
    public:
      CvodeStepper(const ionic::IonicModel &model, double rtol, double atol)
        : cv(model, rtol, atol)
      {}
      void
      start_segment(double t, const double *y, double I, double t_stop) override
      {
        cv.restart(t, y, I, t_stop);
      }
      void advance(double, double t1, double *y) override { cv.advance_to(t1, y); }
      std::string
      stats() const override
      {
        return "CVODE steps " + std::to_string(cv.n_steps()) + ", rhs evaluations " +
               std::to_string(cv.n_rhs_evaluations());
      }
      long steps() const { return cv.n_steps(); }

    private:
      ionic::CvodeCellIntegrator cv;
    };

    /// Run the plot script; returns "" on success, else the reason.
    std::string
    make_plot(const std::string &csv, const std::string &png, unsigned beats_written, const std::string &title)
    {
      const std::string script = source_file("postprocess/plot_cell.py");
      if (!std::filesystem::exists(script))
        return "plot script " + script + " not found";
      const std::string cmd = "/usr/bin/python3 " + shell_quote(script) + " " + shell_quote(csv) + " " +
                              shell_quote(png) + " --beats " + std::to_string(beats_written) + " --title " +
                              shell_quote(title) + " 2>&1";
      FILE *p = ::popen(cmd.c_str(), "r");
      if (!p)
        return "cannot start /usr/bin/python3";
      std::string out;
      char        buf[512];
      while (std::fgets(buf, sizeof(buf), p))
        out += buf;
      const int status = ::pclose(p);
      if (status != 0 || !std::filesystem::exists(png))
        return "the plot script failed (exit status " + std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
               "): " + out;
      return "";
    }

    struct Outcome
    {
      std::vector<BeatMetrics> beats;
      unsigned long            steps = 0;
      std::string              stepper_stats;
      double                   wall  = 0.;
      std::string              plot_status;
    };

    /// The simulation proper (rank 0): integrate, analyse, write every file into dir.
    Outcome
    simulate(const Settings &s, const ionic::IonicModel &model, dealii::ParameterHandler &prm,
             const std::string &dir, dealii::ConditionalOStream &pcout, int verbosity)
    {
      using clock      = std::chrono::steady_clock;
      const auto start = clock::now();
      Outcome    res;

      const unsigned                 n     = model.n_states();
      const auto                     info  = model.state_info();
      const auto                     cname = model.current_names();
      std::vector<double>            y(n), I(cname.size());
      std::unique_ptr<Stepper>       stepper;
      if (s.cvode())
        stepper = std::make_unique<CvodeStepper>(model, s.prm_rtol, s.prm_atol);
      else
        stepper = std::make_unique<ExplicitStepper>(model, ionic::ode_scheme_from_name(s.prm_scheme));
      model.initial_state(y.data());

      // trace.csv: header and rows
      std::ofstream trace(dir + "trace.csv");
      if (!trace)
        throw std::runtime_error("cannot write " + dir + "trace.csv");
      trace << "t_ms,V_mV,Istim_uA_uF";
      for (const auto &c : cname)
        trace << "," << c << "_uA_uF";
      for (unsigned i = 1; i < n; ++i)
        trace << "," << info[i].name << (info[i].unit.empty() || info[i].unit == "1" ? "" : "_" + info[i].unit);
      trace << "\n";
      auto write_row = [&](double t, double I_stim) {
        model.currents(y.data(), I.data());
        std::string line = num(t, 12) + "," + num(y[0]) + "," + num(I_stim);
        for (double c : I)
          line += "," + num(c);
        for (unsigned i = 1; i < n; ++i)
          line += "," + num(y[i]);
        trace << line << "\n";
      };

      const unsigned N        = s.prm_n_beats;
      const unsigned n_write  = std::min(s.prm_beats_to_write, N);
      const double   t_from   = n_write >= N ? 0. : s.stim_time(N - n_write);
      const double   t_end    = s.t_end();
      const double   eps      = 1e-6 * s.prm_dt;
      unsigned long  j_out    = 0;
      double         next_out = t_from;
      if (next_out <= eps)
        {
          write_row(0., 0.);
          next_out = t_from + (++j_out) * s.prm_output_interval;
        }

      // segments with a constant stimulus
      struct Segment
      {
        double a, b, I_app;
        int    beat; ///< >= 0: this segment starts beat `beat` (stimulus on)
      };
      std::vector<Segment> segments;
      {
        double t = 0.;
        for (unsigned k = 0; k < N; ++k)
          {
            const double on = s.stim_time(k), off = on + s.duration;
            if (on > t)
              segments.push_back({t, on, 0., -1});
            segments.push_back({on, off, s.amplitude, static_cast<int>(k)});
            t = off;
          }
        segments.push_back({t, t_end, 0., -1});
      }

      postprocess::ApOptions ap;
      ap.activation_threshold = s.prm_activation_threshold;
      std::vector<double> bt, bV; // samples of the current beat
      int                 beat = -1;
      auto                finish_beat = [&]() {
        if (beat < 0)
          return;
        BeatMetrics m = postprocess::analyse_beat(bt, bV, s.stim_time(beat), std::numeric_limits<double>::infinity(), ap);
        res.beats.push_back(m);
        if (verbosity >= 2)
          pcout << "[cell] beat " << beat + 1 << "/" << N << ": V_rest " << num(m.V_rest, 6) << " mV, V_peak "
                << num(m.V_peak, 6) << " mV, dV/dt max " << num(m.dVdt_max, 5) << " mV/ms, APD90 "
                << num(m.apd90, 6) << " ms" << (m.ead ? " (EAD)" : "") << std::endl;
      };

      auto last_print = clock::now();
      auto check_state = [&](double t) {
        for (unsigned i = 0; i < n; ++i)
          if (!std::isfinite(y[i]))
            throw std::runtime_error(s.deck + ": the state \"" + info[i].name + "\" is not finite (" + num(y[i]) +
                                     ") at t = " + num(t) + " ms (model " + s.prm_model + ", scheme " + s.prm_scheme +
                                     ", time step " + num(s.prm_dt) + " ms); try a smaller [Time integration/Time step]");
      };

      double t = 0.;
      for (const auto &seg : segments)
        {
          if (seg.b <= seg.a)
            continue;
          if (seg.beat >= 0)
            {
              finish_beat();
              beat = seg.beat;
              bt.assign(1, seg.a);
              bV.assign(1, y[0]);
              bt.reserve(static_cast<std::size_t>(s.prm_cycle_length / s.prm_dt) + 16);
              bV.reserve(bt.capacity());
            }
          t = seg.a;
          stepper->start_segment(t, y.data(), seg.I_app, seg.b);
          while (t < seg.b)
            {
              double tn = t + s.prm_dt;
              if (tn >= seg.b - eps)
                tn = seg.b;
              bool write = false;
              if (next_out <= tn + eps)
                {
                  tn    = next_out >= seg.b - eps ? seg.b : std::max(next_out, t + eps);
                  write = true;
                }
              stepper->advance(t, tn, y.data());
              t = tn;
              ++res.steps;
              check_state(t);
              if (beat >= 0)
                {
                  bt.push_back(t);
                  bV.push_back(y[0]);
                }
              if (write)
                {
                  write_row(t, seg.I_app);
                  next_out = t_from + (++j_out) * s.prm_output_interval;
                }
              if ((res.steps & 255u) == 0 && verbosity >= 1)
                {
                  const auto now = clock::now();
                  if (std::chrono::duration<double>(now - last_print).count() >= 2.)
                    {
                      last_print        = now;
                      const double wall = std::chrono::duration<double>(now - start).count();
                      pcout << "[cell] t= " << std::fixed << std::setprecision(1) << t << "/" << t_end
                            << " ms  beat " << std::max(beat + 1, 0) << "/" << N << "  wall "
                            << std::setprecision(1) << wall << " s  left ~" << wall * (t_end - t) / t << " s"
                            << std::defaultfloat << std::endl;
                    }
                }
            }
        }
      finish_beat();
      trace.close();
      if (!trace)
        throw std::runtime_error("error while writing " + dir + "trace.csv");
      res.stepper_stats = stepper->stats();

      // beats.csv
      {
        std::ostringstream b;
        b << "beat,t_start,V_rest,V_peak,dVdt_max,APD30,APD50,APD90,t_act,t_act_threshold,EAD\n";
        for (std::size_t k = 0; k < res.beats.size(); ++k)
          {
            const auto &m = res.beats[k];
            b << k + 1 << "," << num(m.t_start) << "," << num(m.V_rest) << "," << num(m.V_peak) << ","
              << num(m.dVdt_max) << "," << num(m.apd30) << "," << num(m.apd50) << "," << num(m.apd90) << ","
              << num(m.t_act) << "," << num(m.t_act_threshold) << "," << (m.ead ? 1 : 0) << "\n";
          }
        write_file_atomic(dir + "beats.csv", b.str());
      }
      {
        std::ofstream out(dir + "used_parameters.prm");
        prm.print_parameters(out, dealii::ParameterHandler::OutputStyle(dealii::ParameterHandler::PRM |
                                                                        dealii::ParameterHandler::KeepDeclarationOrder));
      }
      if (s.prm_plot)
        {
          const std::string why = make_plot(dir + "trace.csv", dir + "trace.png", n_write,
                                              s.prm_model + ", " + s.prm_scheme + ", CL " + num(s.prm_cycle_length) +
                                                " ms");
          res.plot_status       = why.empty() ? "trace.png" : "not made: " + why;
          if (!why.empty())
            pcout << "[cell] warning: trace.png " << res.plot_status << std::endl;
        }
      else
        res.plot_status = "disabled";
      res.wall = std::chrono::duration<double>(clock::now() - start).count();
      return res;
    }

    Json
    metrics_json(const BeatMetrics &m)
    {
      Json j;
      j.set("t_start_ms", m.t_start)
        .set("V_rest_mV", m.V_rest)
        .set("V_peak_mV", m.V_peak)
        .set("dVdt_max_mV_per_ms", m.dVdt_max)
        .set("APD30_ms", m.apd30)
        .set("APD50_ms", m.apd50)
        .set("APD90_ms", m.apd90)
        .set("t_act_ms", m.t_act)
        .set("EAD", m.ead);
      return j;
    }

    void
    write_summary(const Settings &s, const Outcome &r, const std::string &dir)
    {
      Json j;
      j.set("organtwin_version", version_string())
        .set("git_hash", git_hash())
        .set("build_type", build_type())
        .set("problem_type", "cell")
        .set("deck", s.deck)
        .set("model", s.prm_model)
        .set("scheme", s.prm_scheme)
        .set("time_step_ms", s.prm_dt);
      if (s.cvode())
        j.set("cvode_relative_tolerance", s.prm_rtol).set("cvode_absolute_tolerance", s.prm_atol);
      j.set("cycle_length_ms", s.prm_cycle_length)
        .set("number_of_beats", static_cast<int>(s.prm_n_beats))
        .set("stimulus_amplitude_uA_per_uF", s.amplitude)
        .set("stimulus_duration_ms", s.duration)
        .set("stimulus_start_ms", s.prm_stim_start);
      if (!r.beats.empty())
        j.set("last_beat", metrics_json(r.beats.back()));
      double change = postprocess::nan_value;
      if (r.beats.size() >= 2)
        change = r.beats.back().apd90 - r.beats[r.beats.size() - 2].apd90;
      j.set("APD90_change_last_two_beats_ms", change)
        .set("steady_state", std::abs(change) < s.prm_steady_tolerance)
        .set("time_steps", static_cast<double>(r.steps));
      if (!r.stepper_stats.empty())
        j.set("integrator_statistics", r.stepper_stats);
      j.set("plot", r.plot_status).set("wall_time_s", r.wall);
      write_file_atomic(dir + "summary.json", j.str() + "\n");
    }

    /// Broadcast a status code and a message from rank 0.
    void
    broadcast_outcome(MPI_Comm comm, int &status, std::string &msg)
    {
      int len = static_cast<int>(msg.size());
      int buf[2] = {status, len};
      MPI_Bcast(buf, 2, MPI_INT, 0, comm);
      status = buf[0];
      msg.resize(buf[1]);
      if (buf[1] > 0)
        MPI_Bcast(msg.data(), buf[1], MPI_CHAR, 0, comm);
    }
  } // namespace

  void
  SingleCell::declare_parameters(dealii::ParameterHandler &prm)
  {
    using namespace dealii::Patterns;
    ionic::declare_ionic_model_parameters(prm, ionic::IonicRegistry::has("TTP06") ? "TTP06" : "MitchellSchaeffer");

    prm.enter_subsection("Pacing");
    prm.declare_entry("Cycle length", "1000", Double(0.), "[ms] basic cycle length: time between stimuli; > 0");
    prm.declare_entry("Number of beats", "10", Integer(1), "[1] number of stimuli (beats) applied");
    prm.declare_entry("Stimulus amplitude", "-1", Double(-1.),
                      "[uA/uF] stimulus current per membrane capacitance (positive depolarises); "
                      "-1 = model default");
    prm.declare_entry("Stimulus duration", "-1", Double(-1.), "[ms] duration of each stimulus; -1 = model default");
    prm.declare_entry("Stimulus start", "10", Double(0.),
                      "[ms] time of the first stimulus (the cell rests before it); beat k starts at "
                      "Stimulus start + k * Cycle length");
    prm.leave_subsection();

    prm.enter_subsection("Time integration");
    prm.declare_entry("Scheme", "RushLarsen", Selection(ionic::ode_scheme_selection() + "|CVODE"),
                      "time integration: RushLarsen (order 1), RushLarsen2 (order 2), ForwardEuler (order 1) "
                      "with a fixed step, or CVODE (SUNDIALS BDF, dense Newton; the reference)");
    prm.declare_entry("Time step", "0.01", Double(),
                      "[ms] fixed step of the explicit schemes; for CVODE the interval at which the solution is "
                      "sampled for the beat analysis (CVODE picks its own steps). > 0 and at most the Stimulus "
                      "duration and the Output interval");
    prm.declare_entry("CVODE relative tolerance", "1e-6", Double(1e-15, 1.), "[1] relative tolerance of CVODE");
    prm.declare_entry("CVODE absolute tolerance", "1e-8", Double(1e-20, 1.),
                      "[state units] absolute tolerance of CVODE, the same for every state");
    prm.declare_entry("Output interval", "0.5", Double(), "[ms] sampling interval of trace.csv; > 0");
    prm.declare_entry("Beats to write", "2", Integer(1),
                      "[1] trace.csv holds the last N beats (all beats, from t = 0, if N >= Number of beats)");
    prm.leave_subsection();

    prm.enter_subsection("Analysis");
    prm.declare_entry("Activation threshold", "-40", Double(),
                      "[mV] activation time = first upward crossing of this potential (also reported: the time "
                      "of max dV/dt, from which the APDs are measured)");
    prm.declare_entry("Steady-state APD90 change", "0.1", Double(0.),
                      "[ms] summary.json reports steady_state = true when the APD90 of the last two beats "
                      "differ by less than this");
    prm.leave_subsection();

    prm.enter_subsection("Output");
    prm.declare_entry("Directory", "results/cell", Anything(),
                      "result folder (replaced at the end of a successful run; nothing is left on error)");
    prm.declare_entry("Plot", "true", Bool(),
                      "make trace.png (V and main currents of the written beats) with /usr/bin/python3 and "
                      "matplotlib; a failing plot only gives a warning");
    prm.leave_subsection();
  }

  void
  SingleCell::run(dealii::ParameterHandler &prm, const RunContext &ctx)
  {
    const bool                 root = dealii::Utilities::MPI::this_mpi_process(ctx.comm) == 0;
    dealii::ConditionalOStream pcout(std::cout, root && ctx.verbosity > 0);

    // Every rank reads and checks the deck, so bad input fails everywhere alike
    // before any folder exists.
    auto           model = ionic::create_ionic_model(prm);
    const Settings s     = parse(prm, *model, ctx.deck_file);

    pcout << "OrganTwin " << version_string() << " (" << git_hash() << ", " << build_type()
          << "): single cell, deck " << ctx.deck_file << ", ranks "
          << dealii::Utilities::MPI::n_mpi_processes(ctx.comm) << " (the cell runs on rank 0)\n"
          << "  model " << s.prm_model << ", scheme " << s.prm_scheme << ", time step " << num(s.prm_dt)
          << " ms, " << s.prm_n_beats << " beats at " << num(s.prm_cycle_length) << " ms, stimulus "
          << num(s.amplitude) << " uA/uF for " << num(s.duration) << " ms" << std::endl;

    ResultDirectory dir(s.prm_directory, ctx.comm);
    int             status = 0;
    std::string     msg;
    Outcome         res;
    if (root)
      {
        try
          {
            res = simulate(s, *model, prm, dir.tmp(), pcout, ctx.verbosity);
            write_summary(s, res, dir.tmp());
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
    broadcast_outcome(ctx.comm, status, msg);
    if (status == 1)
      throw InputError(msg);
    if (status == 2)
      throw std::runtime_error(msg);
    dir.commit();

    if (root && !res.beats.empty())
      {
        const auto &m = res.beats.back();
        pcout << "[cell] last beat: V_rest " << num(m.V_rest, 6) << " mV, V_peak " << num(m.V_peak, 6)
              << " mV, dV/dt max " << num(m.dVdt_max, 5) << " mV/ms, APD30/50/90 " << num(m.apd30, 6) << " / "
              << num(m.apd50, 6) << " / " << num(m.apd90, 6) << " ms" << (m.ead ? ", EAD" : "") << "\n"
              << "[cell] " << res.steps << " steps"
              << (res.stepper_stats.empty() ? "" : " (" + res.stepper_stats + ")") << ", wall " << num(res.wall, 4)
              << " s; results in " << dir.final_path() << std::endl;
      }
  }

  OT_REGISTER(organtwin::Case, "cell", SingleCell,
              "single-cell pacing: APD30/50/90, resting potential, dV/dt max per beat (Rush-Larsen or CVODE)")
} // namespace organtwin::ep
