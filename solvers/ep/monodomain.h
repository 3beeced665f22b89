#pragma once
// Monodomain cardiac electrophysiology on distributed meshes:
//
//   dV/dt = div(D grad V) - I_ion(V, y) + I_stim / (chi Cm),   dy/dt = f(V, y),
//   D = 100 * (sigma_f f f^T + sigma_s s s^T + sigma_n n n^T) / (chi Cm)   [mm^2/ms]
//
// with sigma [S/m], chi [1/mm], Cm [uF/cm^2], I_stim [uA/cm^3], I_ion [uA/uF]
// (the factor 100 is the unit conversion, see docs/theory/monodomain.md), no-flux
// boundaries. Operator splitting (Godunov or Strang): the ionic ODEs are advanced
// pointwise at the DoFs (states stored per DoF, structure of arrays), the diffusion
// step is implicit (backward Euler or Crank-Nicolson) with constant matrices, solved
// by PETSc CG + hypre BoomerAMG (options prefix "ep_").

#include <solvers/common/case.h>

namespace organtwin::ep
{
  /// The "monodomain" problem type (registered in monodomain.cc).
  class MonodomainCase : public Case
  {
  public:
    static void declare_parameters(dealii::ParameterHandler &prm);
    void        run(dealii::ParameterHandler &prm, const RunContext &ctx) override;
  };
} // namespace organtwin::ep
