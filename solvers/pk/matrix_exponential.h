#pragma once
// Matrix exponential of a small dense matrix: diagonal Pade approximant of degree 13
// with scaling and squaring (Higham 2005, "The scaling and squaring method for the
// matrix exponential revisited", SIAM J. Matrix Anal. Appl. 26:1179-1193, Algorithm 2.3
// with the degree-13 branch only). Used by the PBPK exact propagator
// (solvers/pk/pk_simulation.cc), where exp(A h) advances the linear model over a step h.

#include <vector>

namespace organtwin::pk
{
  /// E = exp(h M) for the row-major n x n matrix M. Backward error of the order of the
  /// unit round-off for any ||h M||; cost 6 + s matrix products and one LU solve, with
  /// s = max(0, ceil(log2(||h M||_1 / 5.37))).
  std::vector<double> matrix_exponential(const std::vector<double> &M, unsigned int n, double h = 1.);
} // namespace organtwin::pk
