// Calcium-driven active tension (Land et al. 2017) at the quadrature points of the
// mechanics solver: the transient (analytic or from a paced cell) and the per-point states.
#include <physics/ionic/ionic_model.h>
#include <solvers/common/parameters.h>
#include <solvers/common/units.h>
#include <solvers/ep/cell_pacing.h>
#include <solvers/mechanics/calcium_drive.h>

#include <algorithm>
#include <cmath>

namespace organtwin::mechanics
{
  using dealii::Patterns::Double;
  using dealii::Patterns::Integer;
  using dealii::Patterns::Selection;

  void CalciumDrivenTension::declare(dealii::ParameterHandler &prm)
  {
    prm.declare_entry("Model", "twitch", Selection("twitch|Land2017"),
                      "twitch: prescribed T_a(t - t_act) (Tension and Twitch entries); Land2017: the human "
                      "contraction model of Land et al. 2017 at every quadrature point, driven by a calcium "
                      "transient, the fibre stretch and the stretch rate (beat mode only)");
    prm.declare_entry("Calcium transient", "analytic", Selection("analytic|cell model"),
                      "Land2017: analytic bi-exponential (Calcium peak/diastolic/rise time/decay time), or the "
                      "Ca_i of one cell of the [Ionic model] section paced to a periodic state at the cycle "
                      "length (drug block and cell type act through that section)");
    prm.declare_entry("Calcium peak", "1.45", Double(1e-9), "[uM] analytic transient: peak Ca_p");
    prm.declare_entry("Calcium diastolic", "0.09", Double(0.), "[uM] analytic transient: diastolic Ca_d");
    prm.declare_entry("Calcium rise time", "20", Double(1e-9), "[ms] analytic transient: tau_r");
    prm.declare_entry("Calcium decay time", "110", Double(1e-9), "[ms] analytic transient: tau_d > tau_r");
    prm.declare_entry("Calcium pre-pacing beats", "20", Integer(1, 100000),
                      "cell model transient: beats paced before the recorded one");
    prm.enter_subsection("Land2017");
    const materials::Land2017Parameters d;
    prm.declare_entry("Reference tension", std::to_string(d.T_ref), Double(),
                      "[kPa] T_ref, maximal isometric tension (Land et al. 2017: 120 kPa)");
    prm.declare_entry("Calcium sensitivity", std::to_string(d.ca50), Double(),
                      "[uM] Ca50 of troponin C at lambda = 1 (0.805 uM)");
    prm.declare_entry("Length dependence beta0", std::to_string(d.beta_0), Double(),
                      "[-] beta_0 of the filament-overlap factor h(lambda) (2.3)");
    prm.declare_entry("Length dependence beta1", std::to_string(d.beta_1), Double(),
                      "[uM] beta_1 of Ca50(lambda) = Ca50 + beta_1 (min(lambda, 1.2) - 1) (-2.4)");
    prm.leave_subsection();
  }

  void CalciumDrivenTension::parse(dealii::ParameterHandler &prm, const std::string &where)
  {
    model_name      = prm.get("Model");
    source          = prm.get("Calcium transient");
    ca_p            = prm.get_double("Calcium peak");
    ca_d            = prm.get_double("Calcium diastolic");
    tau_r           = prm.get_double("Calcium rise time");
    tau_d           = prm.get_double("Calcium decay time");
    prepacing_beats = prm.get_integer("Calcium pre-pacing beats");
    input_check(!enabled() || source != "analytic" || tau_d > tau_r,
                where + "Calcium decay time] = " + std::to_string(tau_d),
                "longer than [Active stress/Calcium rise time] = " + std::to_string(tau_r));
    input_check(!enabled() || source != "analytic" || ca_p > ca_d, where + "Calcium peak] = " + std::to_string(ca_p),
                "above [Active stress/Calcium diastolic] = " + std::to_string(ca_d));
    prm.enter_subsection("Land2017");
    materials::Land2017Parameters land_prm;
    land_prm.T_ref  = prm.get_double("Reference tension");
    land_prm.ca50   = prm.get_double("Calcium sensitivity");
    land_prm.beta_0 = prm.get_double("Length dependence beta0");
    land_prm.beta_1 = prm.get_double("Length dependence beta1");
    prm.leave_subsection();
    if (enabled())
      {
        land_prm.check(where + "Land2017/");
        input_check(land_prm.beta_0 >= 0, where + "Land2017/Length dependence beta0]", "a value >= 0");
      }
    model = materials::Land2017(land_prm); // derived rates computed once, not per evaluation
  }

  void CalciumDrivenTension::setup(dealii::ParameterHandler &root_prm, double cycle_length)
  {
    cycle = cycle_length;
    trace_t.clear();
    trace_ca.clear();
    if (source == "analytic")
      {
        // peak of exp(-s/tau_d) - exp(-s/tau_r) at s* = ln(tau_d/tau_r) tau_d tau_r / (tau_d - tau_r)
        const double s_star = std::log(tau_d / tau_r) * tau_d * tau_r / (tau_d - tau_r);
        norm                = std::exp(-s_star / tau_d) - std::exp(-s_star / tau_r);
      }
    else
      {
        auto              cell = ionic::create_ionic_model(root_prm);
        ep::PacingOptions opt;
        opt.cycle_length = cycle;
        opt.check();
        ep::CellPacer pacer(*cell, opt);
        input_check(pacer.calcium_index() >= 0, "[Ionic model/Model] = " + cell->name(),
                    "a cell model with a cytosolic calcium state (Ca_i) for [Active stress/Calcium transient] = "
                    "cell model");
        for (unsigned int b = 0; b + 1 < prepacing_beats; ++b)
          pacer.pace_beat(false);
        ep::BeatTrace tr;
        pacer.pace_beat(false, &tr);
        // t_act of the cell: first upward crossing of 0 mV (the tissue's activation time is
        // a threshold crossing too), so that Ca(s) starts at the upstroke
        double t0 = 0;
        for (unsigned int i = 1; i < tr.t.size(); ++i)
          if (tr.V[i - 1] < 0 && tr.V[i] >= 0)
            {
              t0 = tr.t[i - 1] + (tr.t[i] - tr.t[i - 1]) * (0 - tr.V[i - 1]) / (tr.V[i] - tr.V[i - 1]);
              break;
            }
        for (unsigned int i = 0; i < tr.t.size(); ++i)
          {
            trace_t.push_back(tr.t[i] - t0);
            trace_ca.push_back(units::mM_to_uM(tr.Ca_i[i]));
          }
        input_check(trace_t.size() > 2 && std::all_of(trace_ca.begin(), trace_ca.end(),
                                                       [](double c) { return std::isfinite(c) && c >= 0; }),
                    "[Ionic model/Model] = " + cell->name(), "a finite, non-negative calcium transient");
      }
    ca_peak = ca_diast = calcium(0);
    for (unsigned int k = 0; k < 2000; ++k)
      {
        const double c = calcium(k * cycle / 2000);
        ca_peak        = std::max(ca_peak, c);
        ca_diast       = std::min(ca_diast, c);
      }
  }

  void CalciumDrivenTension::reset(unsigned int n_points)
  {
    states.assign(n_points, model.steady_state(ca_diast, 1.));
  }

  double CalciumDrivenTension::calcium(double s) const
  {
    s = std::fmod(s, cycle);
    if (s < 0)
      s += cycle;
    if (source == "analytic")
      return ca_d + (ca_p - ca_d) * (std::exp(-s / tau_d) - std::exp(-s / tau_r)) / norm;
    // recorded beat, shifted by the cell's activation time: samples span [-t0, cycle - t0]
    if (s > trace_t.back())
      s -= cycle;
    if (s <= trace_t.front())
      return trace_ca.front();
    const auto   it = std::upper_bound(trace_t.begin(), trace_t.end(), s);
    const size_t i  = std::min<size_t>(it - trace_t.begin(), trace_t.size() - 1);
    const double w  = (s - trace_t[i - 1]) / (trace_t[i] - trace_t[i - 1]);
    return (1 - w) * trace_ca[i - 1] + w * trace_ca[i];
  }

  void CalciumDrivenTension::begin_step(double t, double dt, const std::vector<double> &t_act,
                                        const std::vector<double> &lambda_n)
  {
    model.distortion_update(dt, decay_s, gain_s, decay_w, gain_w);
    lambda_start = lambda_n;
    trial        = states;
    for (unsigned int q = 0; q < states.size(); ++q)
      {
        // points that never activate (t_act = inf) stay at rest
        const double ca = std::isfinite(t_act[q]) ? calcium(t + 0.5 * dt - t_act[q]) : ca_diast;
        // zero stretch rate here: the distortions only decay (exactly), the stretch
        // increment is added implicitly in tension()
        model.advance(trial[q], ca, lambda_n[q], 0., dt);
      }
  }

  double CalciumDrivenTension::tension(unsigned int q, double lambda, double &dta_dlambda) const
  {
    auto                      y  = trial[q];
    const double              dl = lambda - lambda_start[q];
    y[materials::Land2017::ZetaS] += gain_s * dl;
    y[materials::Land2017::ZetaW] += gain_w * dl;
    const double ta   = model.tension(y, lambda);
    const double h    = model.overlap(lambda);
    const double core = h > 0 ? ta / h : 0.;
    dta_dlambda       = model.overlap_derivative(lambda) * core +
                  h * model.parameters().T_ref / model.parameters().r_s *
                    (gain_s * y[materials::Land2017::XS] + gain_w * y[materials::Land2017::XW]);
    return ta;
  }

  void CalciumDrivenTension::commit(const std::vector<double> &lambda, std::vector<double> &ta)
  {
    ta.resize(states.size());
    for (unsigned int q = 0; q < states.size(); ++q)
      {
        states[q] = trial[q];
        const double dl = lambda[q] - lambda_start[q];
        states[q][materials::Land2017::ZetaS] += gain_s * dl;
        states[q][materials::Land2017::ZetaW] += gain_w * dl;
        ta[q] = model.tension(states[q], lambda[q]);
      }
  }
} // namespace organtwin::mechanics
