#include <physics/ionic/cvode_integrator.h>
#include <solvers/ep/cell_pacing.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace organtwin::ep
{
  void
  PacingOptions::check() const
  {
    auto req = [](bool ok, const std::string &what) {
      if (!ok)
        throw std::invalid_argument("pacing options: " + what);
    };
    req(cycle_length > 0., "cycle length must be > 0 ms");
    req(stim_amplitude == -1. || stim_amplitude >= 0., "stimulus amplitude must be -1 (model default) or >= 0");
    req(stim_duration == -1. || stim_duration > 0., "stimulus duration must be -1 (model default) or > 0");
    req(stim_start >= 0. && stim_start < cycle_length, "stimulus start must be in [0, cycle length)");
    req(dt_min > 0. && dt_max >= dt_min, "need 0 < dt_min <= dt_max");
    req(dV_max > 0., "dV_max must be > 0");
    req(cvode_rtol > 0. && cvode_atol > 0. && cvode_sample > 0., "CVODE tolerances and sample interval must be > 0");
  }

  const std::vector<std::string> &
  qnet_currents()
  {
    static const std::vector<std::string> n = {"INaL", "ICaL", "Ito", "IKr", "IKs", "IK1"};
    return n;
  }

  CellPacer::CellPacer(const ionic::IonicModel &m, const PacingOptions &o)
    : model(m)
    , opt(o)
    , y(m.n_states())
    , is_gate(ionic::gate_flags(m))
    , work(m.n_states())
  {
    opt.check();
    amp = opt.stim_amplitude < 0. ? model.default_stimulus_amplitude() : opt.stim_amplitude;
    dur = opt.stim_duration < 0. ? model.default_stimulus_duration() : opt.stim_duration;
    if (opt.stim_start + dur > opt.cycle_length)
      throw std::invalid_argument("pacing options: the stimulus must end within the cycle");
    model.initial_state(y.data());
    const auto names = model.current_names();
    for (const auto &q : qnet_currents())
      {
        const auto it = std::find(names.begin(), names.end(), q);
        if (it == names.end())
          {
            // only an error when qNet is asked for (pace_beat(true, ...))
            qnet_missing = "model " + model.name() + " has no current " + q + ", needed for qNet";
            qnet_idx.clear();
            break;
          }
        qnet_idx.push_back(static_cast<unsigned int>(it - names.begin()));
      }
    const auto info = model.state_info();
    for (unsigned int i = 0; i < info.size(); ++i)
      if (info[i].name == "Ca_i" || info[i].name == "Cai")
        i_ca = static_cast<int>(i);
    if (opt.cvode)
      cvode = std::make_unique<ionic::CvodeCellIntegrator>(model, opt.cvode_rtol, opt.cvode_atol);
  }

  CellPacer::~CellPacer() = default;

  void
  CellPacer::set_state(const std::vector<double> &s)
  {
    if (s.size() != y.size())
      throw std::invalid_argument("CellPacer::set_state: wrong number of states for model " + model.name());
    y = s;
  }

  BeatResult
  CellPacer::pace_beat(bool with_qnet, BeatTrace *trace)
  {
    if (with_qnet && !qnet_missing.empty())
      throw std::invalid_argument(qnet_missing);
    BeatResult          r;
    std::vector<double> ts, Vs;
    std::vector<double> I(model.current_names().size());
    const double        T = opt.cycle_length, s0 = opt.stim_start, s1 = opt.stim_start + dur;
    double              qsum = 0., q_prev = 0.;
    double              ca_min = std::numeric_limits<double>::infinity(), ca_max = -ca_min;
    // window after the stimulus in which a large dV/dt is the upstroke, not an EAD
    const double upstroke_end = s1 + 20.;
    double       late_max     = -std::numeric_limits<double>::infinity();

    auto qnet_now = [&]() {
      model.currents(y.data(), I.data());
      double q = 0.;
      for (unsigned int k : qnet_idx)
        q += I[k];
      return q;
    };
    auto record = [&](double t) {
      ts.push_back(t);
      Vs.push_back(y[0]);
      if (i_ca >= 0)
        {
          ca_min = std::min(ca_min, y[i_ca]);
          ca_max = std::max(ca_max, y[i_ca]);
        }
      if (trace)
        {
          trace->t.push_back(t);
          trace->V.push_back(y[0]);
          trace->Ca_i.push_back(i_ca >= 0 ? y[i_ca] : postprocess::nan_value);
        }
    };
    if (trace)
      *trace = BeatTrace();
    if (with_qnet)
      q_prev = qnet_now();
    record(0.);

    // the beat is split at the stimulus on/off times into intervals of constant I_app
    const double edges[] = {0., s0, s1, T};
    if (!opt.cvode)
      {
        double dt = opt.dt_min, t = 0.;
        for (unsigned int seg = 0; seg < 3; ++seg)
          {
            const double a = edges[seg], b = edges[seg + 1];
            const double I_app = seg == 1 ? amp : 0.;
            if (b <= a)
              continue;
            t = a;
            if (seg == 1)
              dt = opt.dt_min;
            while (t < b - 1e-12)
              {
                const double h = std::min(dt, b - t);
                ionic::step_cell(model, is_gate, ionic::OdeScheme::RushLarsen2, h, I_app, y.data(), work);
                t += h;
                ++r.steps;
                const double dvdt = work.dydt[0]; // at the midpoint of the step
                if (t > upstroke_end)
                  late_max = std::max(late_max, dvdt);
                if (with_qnet)
                  {
                    const double q = qnet_now();
                    qsum += 0.5 * h * (q + q_prev);
                    q_prev = q;
                  }
                record(t);
                if (!std::isfinite(y[0]))
                  throw std::runtime_error("cell model " + model.name() + ": V is not finite at t = " +
                                           std::to_string(t) + " ms of the beat");
                const double target = std::abs(dvdt) > 0. ? opt.dV_max / std::abs(dvdt) : opt.dt_max;
                dt = std::clamp(std::min(target, 1.5 * h), opt.dt_min, opt.dt_max);
              }
          }
      }
    else
      {
        for (unsigned int seg = 0; seg < 3; ++seg)
          {
            const double a = edges[seg], b = edges[seg + 1];
            if (b <= a)
              continue;
            cvode->restart(a, y.data(), seg == 1 ? amp : 0., b);
            double t = a;
            while (t < b - 1e-12)
              {
                const double t1 = std::min(t + opt.cvode_sample, b);
                const double v0 = y[0];
                cvode->advance_to(t1, y.data());
                if (t1 > upstroke_end)
                  late_max = std::max(late_max, (y[0] - v0) / (t1 - t));
                if (with_qnet)
                  {
                    const double q = qnet_now();
                    qsum += 0.5 * (t1 - t) * (q + q_prev);
                    q_prev = q;
                  }
                t = t1;
                ++r.steps;
                record(t);
              }
          }
      }
    r.ap            = postprocess::analyse_beat(ts, Vs, s0);
    r.qnet          = with_qnet ? qsum / 1000. : postprocess::nan_value;
    r.ca_diast      = i_ca >= 0 ? ca_min : postprocess::nan_value;
    r.ca_peak       = i_ca >= 0 ? ca_max : postprocess::nan_value;
    r.dvdt_late_max = late_max;
    return r;
  }
} // namespace organtwin::ep
