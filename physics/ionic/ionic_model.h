#pragma once
// Interface of a single-cell ionic model. No finite elements here: a model is a
// small ODE right-hand side that is unit-tested on its own and evaluated by the
// tissue solvers pointwise (at every DoF).
//
// Units at this interface:
//   time ms, membrane potential mV, concentrations mM,
//   currents per unit membrane capacitance in uA/uF (= A/F = pA/pF = mV/ms).
// The tissue solver multiplies by Cm [uF/cm^2] to get uA/cm^2.
//
// State 0 is always the membrane potential V. The right-hand side is split for
// Rush-Larsen integration: for a state flagged `gate`, the model provides its
// steady state y_inf and time constant tau [ms], so that dy/dt = (y_inf - y)/tau
// and y(t+dt) = y_inf + (y - y_inf) exp(-dt/tau) is exact for frozen V.

#include <deal.II/base/parameter_handler.h>

#include <physics/ionic/channel.h>
#include <solvers/common/registry.h>

#include <memory>
#include <string>
#include <vector>

namespace organtwin::ionic
{
  struct StateInfo
  {
    std::string name; ///< e.g. "V", "m", "Ca_i"
    std::string unit; ///< e.g. "mV", "1", "mM"
    bool        gate; ///< true: integrated by Rush-Larsen with (y_inf, tau)
  };

  class IonicModel
  {
  public:
    virtual ~IonicModel() = default;

    /// Registered name (e.g. "TTP06").
    virtual std::string name() const = 0;

    /// Read the entries declared by the class' static declare_parameters(prm);
    /// prm has already entered the model's own subsection. Throws InputError
    /// (solvers/common/parameters.h) for values that break cross-entry rules.
    virtual void parse_parameters(dealii::ParameterHandler &prm) = 0;

    /// Number of states including V (index 0).
    virtual unsigned int n_states() const = 0;
    virtual std::vector<StateInfo> state_info() const = 0;
    virtual void initial_state(double *y) const = 0;
    /// Initial state at position x [mm] (3 coordinates); models whose initial state
    /// depends on position (verification models) override both functions below.
    virtual void initial_state_at(const double *x, double *y) const { (void)x; initial_state(y); }
    virtual bool has_spatial_initial_state() const { return false; }

    /// Split right-hand side at state y (n_states values):
    ///  - dydt[i] for every state i (dydt[0] = -I_ion in mV/ms, no stimulus);
    ///  - for gates, also y_inf[i] and tau[i] [ms] with dydt[i] = (y_inf[i]-y[i])/tau[i];
    ///    for non-gates y_inf[i], tau[i] are left untouched.
    virtual void rhs(const double *y, double *dydt, double *y_inf, double *tau) const = 0;

    /// Add the effect of an applied (stimulus) current I_app [uA/uF, positive
    /// depolarises] to the rates computed by rhs(). The default adds it to dV/dt
    /// only; models that conserve charge (ORd, ToR-ORd, TTP06 as published) also
    /// add the stimulus charge to an ion concentration (usually K_i). Called by
    /// every integrator after rhs(), also when I_app is 0.
    virtual void add_applied_current(const double *y, double I_app, double *dydt) const
    {
      (void)y;
      dydt[0] += I_app;
    }

    /// Optional, for stiff linear sub-systems (Markov channel models, release
    /// fluxes): the Rush-Larsen integrators call this after their update; it
    /// advances those states from y0 by dt with the transition rates evaluated at
    /// the state y_rates (start of the step, or the midpoint state for RushLarsen2)
    /// and writes them into y1, replacing the explicit (non-gate) or Rush-Larsen
    /// (gate) update the integrator made. Other states of y1 must not be touched.
    /// rhs() must still return the true dydt of these states (CVODE, forward Euler).
    /// Default: no such states.
    virtual void advance_linear_states(const double *y_rates, double dt, const double *y0, double *y1) const
    {
      (void)y_rates;
      (void)dt;
      (void)y0;
      (void)y1;
    }

    /// Names of the individual currents reported by currents(), e.g. {"INa","IK1",...}.
    virtual std::vector<std::string> current_names() const = 0;
    /// The individual currents [uA/uF] at state y, in the order of current_names().
    /// Their sum is I_ion = -dydt[0].
    virtual void currents(const double *y, double *I) const = 0;

    /// Total ionic current I_ion [uA/uF] at state y.
    double total_current(const double *y) const;

    /// Scale channel conductances (drug block, disease remodelling). Channels a model
    /// does not have are ignored; factor must be >= 0.
    void set_channel_scale(const ChannelScale &s) { scale = s; }
    const ChannelScale &channel_scale() const { return scale; }
    double g(Channel c) const { return scale[static_cast<unsigned int>(c)]; }

    /// True for models whose IKr is the dynamic hERG model of Li et al. 2017
    /// (CiPAORdv1): drugs block IKr through set_herg_binding(), not through g(IKr).
    virtual bool has_dynamic_herg() const { return false; }
    /// Drug binding parameters and concentration for the dynamic hERG model; the
    /// default throws std::logic_error (models without dynamic hERG).
    virtual void set_herg_binding(const HergBinding &b);
    virtual HergBinding herg_binding() const { return {}; }

    /// Index of the state with this name; throws std::invalid_argument if absent.
    unsigned int state_index(const std::string &state_name) const;

    /// Recommended stimulus for single-cell pacing: amplitude [uA/uF] and duration [ms].
    virtual double default_stimulus_amplitude() const { return 52.; }
    virtual double default_stimulus_duration() const { return 1.; }

  protected:
    ChannelScale scale = no_block();
  };

  using IonicRegistry = Registry<IonicModel>;

  /// Declare the "Ionic model" subsection: entry Model = <name> and one
  /// subsection per registered model with its own parameters.
  void declare_ionic_model_parameters(dealii::ParameterHandler &prm, const std::string &default_model);
  /// Create the model chosen in the "Ionic model" subsection and parse its parameters.
  std::unique_ptr<IonicModel> create_ionic_model(dealii::ParameterHandler &prm);
} // namespace organtwin::ionic
