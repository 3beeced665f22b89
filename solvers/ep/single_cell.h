#pragma once
// Single-cell pacing: the problem type "cell" (`organtwin cell <deck>`).
//
// One ionic model is paced with a periodic square stimulus current,
//   dV/dt = -I_ion(V, y) + I_stim(t),   dy/dt = f(V, y),
//   I_stim = A on [t0 + k CL, t0 + k CL + d), k = 0..N-1, else 0,
// and integrated with a Rush-Larsen / forward Euler scheme at a fixed step (steps
// end exactly on every stimulus switch and output time) or with CVODE (BDF, dense
// Newton), restarted at every stimulus switch. Every beat is analysed (resting
// potential, peak, dV/dt max, APD30/50/90; postprocess/action_potential.h) from
// the solution at every time step.
//
// Results (written to a temporary folder, renamed into [Output/Directory] at the end):
//   trace.csv          t, V, stimulus, every current, every state; last N beats
//   beats.csv          metrics of every beat
//   summary.json       version, deck, model, scheme, last-beat metrics, wall time
//   used_parameters.prm
//   trace.png          V and main currents of the written beats (Plot = true)
//
// The run happens on rank 0; the other ranks wait and share its outcome.

#include <solvers/common/case.h>

namespace organtwin::ep
{
  class SingleCell : public Case
  {
  public:
    static void declare_parameters(dealii::ParameterHandler &prm);
    void        run(dealii::ParameterHandler &prm, const RunContext &ctx) override;
  };
} // namespace organtwin::ep
