// Mitchell & Schaeffer 2003, "A two-current model for the dynamics of cardiac
// membrane", Bull Math Biol 65:767-793, doi 10.1016/S0092-8240(03)00041-7.
//
// Dimensionless potential v in [0,1] is mapped to V = V_min + (V_max - V_min) v [mV]:
//   dv/dt = h v^2 (1-v)/tau_in - v/tau_out + J_stim
//   dh/dt = (1-h)/tau_open  if v < v_gate,   -h/tau_close otherwise.
// h is a gate (y_inf = 1 or 0, tau = tau_open or tau_close) for Rush-Larsen.

#include <physics/ionic/ionic_model.h>
#include <solvers/common/parameters.h>

namespace organtwin::ionic
{
  namespace
  {
    class MitchellSchaeffer : public IonicModel
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        using dealii::Patterns::Double;
        prm.declare_entry("tau_in", "0.3", Double(1e-6), "[ms] inward (depolarising) current time scale (MS 2003)");
        prm.declare_entry("tau_out", "6.0", Double(1e-6), "[ms] outward current time scale (MS 2003)");
        prm.declare_entry("tau_open", "120.0", Double(1e-6), "[ms] gate opening time constant (MS 2003)");
        prm.declare_entry("tau_close", "150.0", Double(1e-6), "[ms] gate closing time constant (MS 2003)");
        prm.declare_entry("v_gate", "0.13", Double(0., 1.), "[1] gate switching potential, dimensionless (MS 2003)");
        prm.declare_entry("V_min", "-80.0", Double(), "[mV] potential mapped to v = 0");
        prm.declare_entry("V_max", "20.0", Double(), "[mV] potential mapped to v = 1");
      }

      std::string name() const override { return "MitchellSchaeffer"; }

      void
      parse_parameters(dealii::ParameterHandler &prm) override
      {
        prm_tau_in    = prm.get_double("tau_in");
        prm_tau_out   = prm.get_double("tau_out");
        prm_tau_open  = prm.get_double("tau_open");
        prm_tau_close = prm.get_double("tau_close");
        prm_v_gate    = prm.get_double("v_gate");
        prm_V_min     = prm.get_double("V_min");
        prm_V_max     = prm.get_double("V_max");
        input_check(prm_V_max > prm_V_min, "[Ionic model/MitchellSchaeffer/V_max]",
                    "must be larger than V_min (" + std::to_string(prm_V_min) + " mV)");
      }

      unsigned int n_states() const override { return 2; }

      std::vector<StateInfo>
      state_info() const override
      {
        return {{"V", "mV", false}, {"h", "1", true}};
      }

      void
      initial_state(double *y) const override
      {
        y[0] = prm_V_min;
        y[1] = 1.0;
      }

      void
      rhs(const double *y, double *dydt, double *y_inf, double *tau) const override
      {
        double I[2];
        currents(y, I);
        dydt[0] = -(I[0] + I[1]);
        const double v = (y[0] - prm_V_min) / (prm_V_max - prm_V_min);
        y_inf[1]       = v < prm_v_gate ? 1.0 : 0.0;
        tau[1]         = v < prm_v_gate ? prm_tau_open : prm_tau_close;
        dydt[1]        = (y_inf[1] - y[1]) / tau[1];
      }

      std::vector<std::string> current_names() const override { return {"Iin", "Iout"}; }

      void
      currents(const double *y, double *I) const override
      {
        const double dV = prm_V_max - prm_V_min;
        const double v  = (y[0] - prm_V_min) / dV;
        I[0]            = -dV * y[1] * v * v * (1. - v) / prm_tau_in;
        I[1]            = dV * v / prm_tau_out;
      }

      double default_stimulus_amplitude() const override { return 0.2 * (prm_V_max - prm_V_min); }
      double default_stimulus_duration() const override { return 1.0; }

    private:
      double prm_tau_in = 0.3, prm_tau_out = 6., prm_tau_open = 120., prm_tau_close = 150., prm_v_gate = 0.13,
             prm_V_min = -80., prm_V_max = 20.;
    };
  } // namespace

  OT_REGISTER(IonicModel, "MitchellSchaeffer", MitchellSchaeffer,
              "Mitchell-Schaeffer 2003 two-current phenomenological model")
} // namespace organtwin::ionic
