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
