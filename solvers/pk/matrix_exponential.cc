#include <solvers/pk/matrix_exponential.h>

#include <cmath>
#include <stdexcept>

namespace organtwin::pk
{
  namespace
  {
    using Mat = std::vector<double>;

    Mat
    multiply(const Mat &a, const Mat &b, unsigned int n)
    {
      Mat c(static_cast<std::size_t>(n) * n, 0.);
      for (unsigned int i = 0; i < n; ++i)
        for (unsigned int k = 0; k < n; ++k)
          {
            const double aik = a[i * n + k];
            if (aik == 0.)
              continue;
            const double *bk = &b[static_cast<std::size_t>(k) * n];
            double       *ci = &c[static_cast<std::size_t>(i) * n];
            for (unsigned int j = 0; j < n; ++j)
              ci[j] += aik * bk[j];
          }
      return c;
    }

    /// Solve Q X = B in place (B becomes X) by LU with partial pivoting.
    void
    solve(Mat Q, Mat &B, unsigned int n)
    {
      for (unsigned int k = 0; k < n; ++k)
        {
          unsigned int p = k;
          for (unsigned int i = k + 1; i < n; ++i)
            if (std::abs(Q[i * n + k]) > std::abs(Q[p * n + k]))
              p = i;
          if (Q[p * n + k] == 0.)
            throw std::runtime_error("matrix_exponential: singular Pade denominator");
          if (p != k)
            for (unsigned int j = 0; j < n; ++j)
              {
                std::swap(Q[k * n + j], Q[p * n + j]);
                std::swap(B[k * n + j], B[p * n + j]);
              }
          for (unsigned int i = k + 1; i < n; ++i)
            {
              const double l = Q[i * n + k] / Q[k * n + k];
              if (l == 0.)
                continue;
              for (unsigned int j = k; j < n; ++j)
                Q[i * n + j] -= l * Q[k * n + j];
              for (unsigned int j = 0; j < n; ++j)
                B[i * n + j] -= l * B[k * n + j];
            }
        }
      for (unsigned int k = n; k-- > 0;)
        for (unsigned int j = 0; j < n; ++j)
          {
            double s = B[k * n + j];
            for (unsigned int i = k + 1; i < n; ++i)
              s -= Q[k * n + i] * B[i * n + j];
            B[k * n + j] = s / Q[k * n + k];
          }
    }
  } // namespace

  std::vector<double>
  matrix_exponential(const std::vector<double> &M, unsigned int n, double h)
  {
    const std::size_t nn = static_cast<std::size_t>(n) * n;
    if (M.size() != nn)
      throw std::logic_error("matrix_exponential: matrix size does not match n");
    // Pade(13) coefficients and the 1-norm bound theta_13 (Higham 2005, Table 2.3).
    static const double b[14] = {64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
                                 129060195264000.,   10559470521600.,    670442572800.,     33522128640.,
                                 1323241920.,        40840800.,          960960.,           16380.,
                                 182.,               1.};
    const double theta13 = 5.371920351148152;

    double norm = 0.; // 1-norm (largest column sum) of h M
    for (unsigned int j = 0; j < n; ++j)
      {
        double s = 0.;
        for (unsigned int i = 0; i < n; ++i)
          s += std::abs(h * M[i * n + j]);
        norm = std::max(norm, s);
      }
    if (!std::isfinite(norm))
      throw std::runtime_error("matrix_exponential: matrix is not finite");
    int s = 0;
    if (norm > theta13)
      s = static_cast<int>(std::ceil(std::log2(norm / theta13)));
    const double scale = std::ldexp(h, -s);

    Mat A(nn);
    for (std::size_t k = 0; k < nn; ++k)
      A[k] = scale * M[k];
    const Mat A2 = multiply(A, A, n), A4 = multiply(A2, A2, n), A6 = multiply(A4, A2, n);

    Mat inner_u(nn), inner_v(nn), U(nn), V(nn);
    for (std::size_t k = 0; k < nn; ++k)
      {
        inner_u[k] = b[13] * A6[k] + b[11] * A4[k] + b[9] * A2[k];
        inner_v[k] = b[12] * A6[k] + b[10] * A4[k] + b[8] * A2[k];
      }
    Mat tu = multiply(A6, inner_u, n), tv = multiply(A6, inner_v, n);
    for (std::size_t k = 0; k < nn; ++k)
      {
        tu[k] += b[7] * A6[k] + b[5] * A4[k] + b[3] * A2[k];
        V[k] = tv[k] + b[6] * A6[k] + b[4] * A4[k] + b[2] * A2[k];
      }
    for (unsigned int i = 0; i < n; ++i)
      {
        tu[i * n + i] += b[1];
        V[i * n + i] += b[0];
      }
    U = multiply(A, tu, n);

    // (V - U) E = (V + U)
    Mat Q(nn), E(nn);
    for (std::size_t k = 0; k < nn; ++k)
      {
        Q[k] = V[k] - U[k];
        E[k] = V[k] + U[k];
      }
    solve(std::move(Q), E, n);
    for (int k = 0; k < s; ++k)
      E = multiply(E, E, n);
    return E;
  }
} // namespace organtwin::pk
