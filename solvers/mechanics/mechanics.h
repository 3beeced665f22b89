#pragma once
// Quasi-static finite-strain solid mechanics (total Lagrangian) on distributed meshes:
//
//   find u:  int_Omega0 F S : grad(v) dV + int_Gp p J F^-T N . v dA + int_Gk k u . v dA
//            - int_Omega0 b . v dV = 0   for all v,
//   S = 2 dW/dC (hyperelastic, AD; physics/materials) + T_a f0 (x) f0 (active stress),
//
// with Q1/Q2 hexahedra (p4est) or P1/P2 tetrahedra, Newton's method with a
// backtracking line search, load stepping (pressure, active tension and body force
// scaled by the load factor; the step is cut on failure or an inverted element) and
// PETSc linear solvers (MUMPS LU or GMRES + BoomerAMG; options prefix "mech_").
// Units: mm, kPa, mN. Theory: docs/theory/mechanics.md.

#include <solvers/common/case.h>

namespace organtwin::mechanics
{
  /// The "mechanics" problem type (registered in mechanics.cc).
  class MechanicsCase : public Case
  {
  public:
    static void declare_parameters(dealii::ParameterHandler &prm);
    void        run(dealii::ParameterHandler &prm, const RunContext &ctx) override;
  };
} // namespace organtwin::mechanics
