// Hyperelastic materials: every registered strain energy gives an AD stress equal to
// central finite differences of the energy, an AD tangent equal to finite differences
// of the AD stress, a stress-free reference state, and rejects non-positive stiffness.
#include <deal.II/base/parameter_handler.h>

#include <physics/materials/material.h>
#include <solvers/common/parameters.h>

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace organtwin;
using namespace organtwin::materials;
using dealii::SymmetricTensor;
using dealii::Tensor;

namespace
{
  std::unique_ptr<Material>
  make(const std::string &name, const std::vector<std::pair<std::string, std::string>> &settings = {})
  {
    dealii::ParameterHandler prm;
    declare_material_parameters(prm, name);
    prm.enter_subsection("Material");
    prm.enter_subsection(name);
    for (const auto &[k, v] : settings)
      prm.set(k, v);
    prm.leave_subsection();
    prm.leave_subsection();
    return create_material(prm, "test.prm");
  }

  /// Rotated orthonormal frame (f, s, n).
  Microstructure
  frame(double a, double b)
  {
    Microstructure m;
    m.f = Tensor<1, 3>({std::cos(a) * std::cos(b), std::sin(a) * std::cos(b), std::sin(b)});
    Tensor<1, 3> t({-std::sin(a), std::cos(a), 0.});
    m.s = t;
    m.n = dealii::cross_product_3d(m.f, m.s);
    return m;
  }

  /// C = F^T F for F = I + G with a fixed pseudo-random G of size `amp`.
  SymmetricTensor<2, 3>
  right_cauchy_green(double amp, unsigned int seed)
  {
    std::mt19937                           gen(seed);
    std::uniform_real_distribution<double> u(-amp, amp);
    Tensor<2, 3>                           F;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        F[i][j] = (i == j ? 1. : 0.) + u(gen);
    F[0][0] += 2 * amp; // stretch along x so that the fibre terms of HO are active
    return dealii::symmetrize(dealii::transpose(F) * F);
  }

  /// Symmetric unit perturbation for component (i,j): e_i e_j + e_j e_i (i != j) or e_i e_i.
  SymmetricTensor<2, 3>
  unit(unsigned int i, unsigned int j)
  {
    SymmetricTensor<2, 3> d;
    d[i][j] = 1.; // symmetric storage: sets (i,j) and (j,i)
    return d;
  }

  void
  check_material(const Material &mat, double amp, unsigned int seed)
  {
    const Microstructure          m = frame(0.4, -0.3);
    const SymmetricTensor<2, 3>   C = right_cauchy_green(amp, seed);
    SymmetricTensor<2, 3>         S;
    SymmetricTensor<4, 3>         CC;
    const double                  W = mat.stress_tangent(C, m, S, CC);
    BOOST_CHECK_CLOSE(W, mat.energy(C, m), 1e-10);
    const double eps = 1e-6;
    double       s_scale = S.norm(), c_scale = CC.norm();
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = i; j < 3; ++j)
        {
          const auto   d   = unit(i, j);
          // dW = S/2 : dC: off-diagonal dC has two entries, so dW = S_ij eps; diagonal dW = S_ii eps / 2
          const double dW  = (mat.energy(C + eps * d, m) - mat.energy(C - eps * d, m)) / (2 * eps);
          const double Sfd = (i == j ? 2. : 1.) * dW;
          BOOST_TEST_INFO(mat.name() << " S(" << i << "," << j << ") AD " << S[i][j] << " FD " << Sfd);
          BOOST_CHECK_SMALL(S[i][j] - Sfd, 1e-6 * s_scale + 1e-9);

          SymmetricTensor<2, 3> Sp, Sm;
          SymmetricTensor<4, 3> dummy;
          mat.stress_tangent(C + eps * d, m, Sp, dummy);
          mat.stress_tangent(C - eps * d, m, Sm, dummy);
          const SymmetricTensor<2, 3> dS = (Sp - Sm) / (2 * eps); // = CC : d / 2
          for (unsigned int k = 0; k < 3; ++k)
            for (unsigned int l = k; l < 3; ++l)
              {
                const double CCfd = (i == j ? 2. : 1.) * dS[k][l];
                BOOST_TEST_INFO(mat.name() << " CC(" << k << l << i << j << ") AD " << CC[k][l][i][j] << " FD "
                                           << CCfd);
                BOOST_CHECK_SMALL(CC[k][l][i][j] - CCfd, 1e-6 * c_scale + 1e-9);
              }
        }
    // stress-free reference state
    SymmetricTensor<2, 3> S0;
    mat.stress_tangent(dealii::unit_symmetric_tensor<3>(), m, S0, CC);
    BOOST_CHECK_SMALL(S0.norm(), 1e-12);
  }
  /// Mixed (u-p) energy: S, S_p = dS/dp, g = dW/dp and g_p against finite differences of
  /// W_p(C, p) and against the closed forms J C^-1, J - 1 - p/kappa, -1/kappa; CC against
  /// differences of S. p = 3.7 kPa is away from 0 so the multiplier term is exercised.
  void
  check_mixed(const Material &mat, double amp, unsigned int seed)
  {
    const Microstructure        m = frame(0.4, -0.3);
    const SymmetricTensor<2, 3> C = right_cauchy_green(amp, seed);
    const double                p = 3.7, kappa = mat.bulk_modulus();
    SymmetricTensor<2, 3>       S, S_p;
    SymmetricTensor<4, 3>       CC;
    double                      g = 0, g_p = 0;
    const double                W = mat.stress_tangent_mixed(C, p, m, S, CC, S_p, g, g_p);
    BOOST_CHECK_CLOSE(W, mat.energy_mixed(C, p, m), 1e-10);
    const double eps = 1e-6, J = std::sqrt(dealii::determinant(C));
    const double g_fd = (mat.energy_mixed(C, p + eps, m) - mat.energy_mixed(C, p - eps, m)) / (2 * eps);
    // W_p is quadratic in p, so the central difference has no truncation error, only round-off
    // of about eps_mach |W| / eps (|W| reaches ~4e3 for Holzapfel-Ogden at these strains)
    BOOST_CHECK_SMALL(g - g_fd, 1e-7 + 1e-9 * std::abs(W));
    BOOST_CHECK_SMALL(g - (J - 1. - p / kappa), 1e-12);
    BOOST_CHECK_CLOSE(g_p, -1. / kappa, 1e-9);
    const SymmetricTensor<2, 3> JCinv = J * dealii::invert(C);
    BOOST_CHECK_SMALL((S_p - JCinv).norm(), 1e-10 * JCinv.norm());
    SymmetricTensor<2, 3> Sp, Sm, Spp, dummy2;
    SymmetricTensor<4, 3> dummy;
    double                d1, d2;
    mat.stress_tangent_mixed(C, p + eps, m, Sp, dummy, dummy2, d1, d2);
    mat.stress_tangent_mixed(C, p - eps, m, Sm, dummy, dummy2, d1, d2);
    // S is linear in p: the central difference is exact up to round-off, eps_mach |S| / eps
    BOOST_TEST_INFO(mat.name() << " |S| " << S.norm() << " |S_p| " << S_p.norm());
    BOOST_CHECK_SMALL(((Sp - Sm) / (2 * eps) - S_p).norm(), 1e-6 * S_p.norm() + 1e-9 * S.norm());
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = i; j < 3; ++j)
        {
          const auto   d   = unit(i, j);
          const double dW  = (mat.energy_mixed(C + eps * d, p, m) - mat.energy_mixed(C - eps * d, p, m)) / (2 * eps);
          const double Sfd = (i == j ? 2. : 1.) * dW;
          BOOST_TEST_INFO(mat.name() << " mixed S(" << i << "," << j << ") AD " << S[i][j] << " FD " << Sfd);
          BOOST_CHECK_SMALL(S[i][j] - Sfd, 1e-6 * S.norm() + 1e-9);
          mat.stress_tangent_mixed(C + eps * d, p, m, Sp, dummy, dummy2, d1, d2);
          mat.stress_tangent_mixed(C - eps * d, p, m, Sm, dummy, dummy2, d1, d2);
          const SymmetricTensor<2, 3> dS = (Sp - Sm) / (2 * eps);
          for (unsigned int k = 0; k < 3; ++k)
            for (unsigned int l = k; l < 3; ++l)
              BOOST_CHECK_SMALL(CC[k][l][i][j] - (i == j ? 2. : 1.) * dS[k][l], 1e-6 * CC.norm() + 1e-9);
        }
    // the mixed energy without multiplier equals the penalty energy minus the penalty term
    SymmetricTensor<2, 3> S0;
    mat.stress_tangent_mixed(dealii::unit_symmetric_tensor<3>(), 0., m, S0, CC, S_p, g, g_p);
    BOOST_CHECK_SMALL(S0.norm(), 1e-12);
    BOOST_CHECK_SMALL(g, 1e-14);
  }
} // namespace

BOOST_AUTO_TEST_SUITE(materials)

BOOST_AUTO_TEST_CASE(registered)
{
  for (const std::string n : {"NeoHookean", "Guccione", "HolzapfelOgden"})
    BOOST_CHECK(MaterialRegistry::has(n));
}

BOOST_AUTO_TEST_CASE(ad_matches_finite_differences)
{
  for (const std::string n : {"NeoHookean", "Guccione", "HolzapfelOgden"})
    for (unsigned int seed : {1u, 2u, 3u})
      check_material(*make(n), 0.1, seed);
}

BOOST_AUTO_TEST_CASE(mixed_ad_matches_finite_differences)
{
  for (const std::string n : {"NeoHookean", "Guccione", "HolzapfelOgden"})
    for (unsigned int seed : {1u, 2u})
      check_mixed(*make(n), 0.1, seed);
}

BOOST_AUTO_TEST_CASE(mixed_barrier)
{
  // the barrier kappa_b/4 (J^2 - 1 - 2 ln J) of the mixed form: AD against finite differences,
  // and the stress it adds against its closed form kappa_b/2 (J^2 - 1) C^-1 (S = 2 dU/dC);
  // g and S_p (the multiplier's derivatives) do not change
  const double kb = 50.;
  for (const std::string n : {"NeoHookean", "Guccione", "HolzapfelOgden"})
    {
      auto plain = make(n), barrier = make(n);
      barrier->set_barrier_modulus(kb);
      BOOST_CHECK_EQUAL(plain->barrier_modulus(), 0.);
      for (unsigned int seed : {1u, 2u})
        {
          check_mixed(*barrier, 0.1, seed);
          const Microstructure        m = frame(0.4, -0.3);
          const SymmetricTensor<2, 3> C = right_cauchy_green(0.1, seed);
          const double                J = std::sqrt(dealii::determinant(C));
          SymmetricTensor<2, 3>       S0, S1, Sp0, Sp1;
          SymmetricTensor<4, 3>       CC;
          double                      g0, g1, gp;
          plain->stress_tangent_mixed(C, 3.7, m, S0, CC, Sp0, g0, gp);
          barrier->stress_tangent_mixed(C, 3.7, m, S1, CC, Sp1, g1, gp);
          const SymmetricTensor<2, 3> dS = kb / 2. * (J * J - 1.) * dealii::invert(C);
          BOOST_TEST_INFO(n << " seed " << seed << " J " << J << " |dS| " << dS.norm());
          BOOST_CHECK(std::abs(J - 1.) > 1e-3); // the check below must see a non-zero barrier stress
          BOOST_CHECK_SMALL((S1 - S0 - dS).norm(), 1e-10 * (S1.norm() + dS.norm()));
          BOOST_CHECK_EQUAL(g1, g0);
          BOOST_CHECK_SMALL((Sp1 - Sp0).norm(), 1e-14 * Sp0.norm());
        }
    }
}

BOOST_AUTO_TEST_CASE(guccione_small_strain_values)
{
  // Uniaxial Green strain E_ff = e along f (no penalty contribution: check the
  // fibre stress by hand): S_ff = C bf e exp(bf e^2) + penalty part.
  auto                m = make("Guccione");
  Microstructure      fr;
  fr.f = Tensor<1, 3>({1., 0., 0.});
  fr.s = Tensor<1, 3>({0., 1., 0.});
  fr.n = Tensor<1, 3>({0., 0., 1.});
  const double        e = 0.05;
  SymmetricTensor<2, 3> C = dealii::unit_symmetric_tensor<3>();
  C[0][0] += 2 * e;
  SymmetricTensor<2, 3> S;
  SymmetricTensor<4, 3> CC;
  m->stress_tangent(C, fr, S, CC);
  const double detC = C[0][0];
  const double S_pen = m->bulk_modulus() / 2. * (detC - 1.) / C[0][0]; // 2 dU/dC_ff = kappa/2 (detC - 1)/C_ff
  BOOST_CHECK_CLOSE(S[0][0], 2. * 8. * e * std::exp(8. * e * e) + S_pen, 1e-9);
  BOOST_CHECK_CLOSE(S[1][1], m->bulk_modulus() / 2. * (detC - 1.), 1e-9);
}

BOOST_AUTO_TEST_CASE(non_positive_stiffness_is_rejected)
{
  BOOST_CHECK_THROW(make("Guccione", {{"C", "0"}}), InputError);
  BOOST_CHECK_THROW(make("HolzapfelOgden", {{"af", "-1"}}), InputError);
  BOOST_CHECK_THROW(make("NeoHookean", {{"Shear modulus", "-3"}}), InputError);
  try
    {
      make("Guccione", {{"bf", "-2"}});
      BOOST_ERROR("no exception");
    }
  catch (const InputError &e)
    {
      BOOST_TEST_MESSAGE(e.what());
      BOOST_CHECK(std::string(e.what()).find("[Material/Guccione/bf] = -2") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
