#pragma once
// Private to physics/materials/*.cc: the Sacado driver that turns a templated strain
// energy into stress and tangent. Include only from material .cc files.

#include <deal.II/differentiation/ad.h>
#include <deal.II/fe/fe_values_extractors.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <physics/materials/material.h>

#include <cmath>
#include <stdexcept>

namespace organtwin::materials
{
  /// Volumetric penalty U(J) = kappa/4 (J^2 - 1 - 2 ln J), J = sqrt(det C).
  template <typename Number>
  Number
  volumetric_penalty(const dealii::SymmetricTensor<2, 3, Number> &C, double kappa)
  {
    using std::log;
    using std::sqrt;
    const Number detC = dealii::determinant(C);
    // J^2 - 1 - 2 ln J = det C - 1 - ln det C
    return kappa / 4. * (detC - 1. - log(detC));
  }

  /// Perturbed-Lagrangian volumetric term p (J - 1) - p^2 / (2 kappa) of the mixed form,
  /// plus the barrier kappa_b/4 (J^2 - 1 - 2 ln J) when kappa_b > 0 (zero value and slope
  /// at J = 1, so it does not change the incompressible limit; it grows without bound as J -> 0).
  template <typename Number>
  Number
  volumetric_multiplier(const dealii::SymmetricTensor<2, 3, Number> &C, const Number &p, double kappa,
                        double kappa_b)
  {
    using std::sqrt;
    Number v = p * (sqrt(dealii::determinant(C)) - 1.) - p * p / (2. * kappa);
    if (kappa_b > 0)
      v = v + volumetric_penalty<Number>(C, kappa_b);
    return v;
  }

  namespace internal
  {
    inline dealii::SymmetricTensor<2, 3>
    as_symmetric(const dealii::SymmetricTensor<2, 3> &t)
    {
      return t;
    }
    inline dealii::SymmetricTensor<2, 3>
    as_symmetric(const dealii::Tensor<2, 3> &t)
    {
      return dealii::symmetrize(t);
    }
  } // namespace internal

  /// CRTP base: Derived provides `template <typename N> N psi(const SymmetricTensor<2,3,N>&, const Microstructure&) const`
  /// (the deviatoric/isotropic and anisotropic parts, without the penalty).
  template <class Derived>
  class EnergyMaterial : public Material
  {
  public:
    double
    stress_tangent(const dealii::SymmetricTensor<2, 3> &C, const Microstructure &m, dealii::SymmetricTensor<2, 3> &S,
                   dealii::SymmetricTensor<4, 3> &CC) const override
    {
      using namespace dealii;
      constexpr auto ad_code = Differentiation::AD::NumberTypes::sacado_dfad_dfad;
      using Helper           = Differentiation::AD::ScalarFunction<3, ad_code, double>;
      using ADNumber         = typename Helper::ad_type;
      const FEValuesExtractors::SymmetricTensor<2> C_dofs(0);

      Helper helper(SymmetricTensor<2, 3>::n_independent_components);
      helper.register_independent_variable(C, C_dofs);
      const SymmetricTensor<2, 3, ADNumber> C_ad = helper.get_sensitive_variables(C_dofs);
      const ADNumber psi = static_cast<const Derived &>(*this).template psi<ADNumber>(C_ad, m) +
                           volumetric_penalty<ADNumber>(C_ad, kappa);
      helper.register_dependent_variable(psi);
      Vector<double>     g(helper.n_independent_variables());
      FullMatrix<double> H(helper.n_independent_variables(), helper.n_independent_variables());
      helper.compute_gradient(g);
      helper.compute_hessian(H);
      S  = 2. * helper.extract_gradient_component(g, C_dofs);
      CC = 4. * helper.extract_hessian_component(H, C_dofs, C_dofs);
      return helper.compute_value();
    }

    double
    stress_tangent_mixed(const dealii::SymmetricTensor<2, 3> &C, double p, const Microstructure &m,
                         dealii::SymmetricTensor<2, 3> &S, dealii::SymmetricTensor<4, 3> &CC,
                         dealii::SymmetricTensor<2, 3> &S_p, double &g, double &g_p) const override
    {
      using namespace dealii;
      constexpr auto ad_code = Differentiation::AD::NumberTypes::sacado_dfad_dfad;
      using Helper           = Differentiation::AD::ScalarFunction<3, ad_code, double>;
      using ADNumber         = typename Helper::ad_type;
      const FEValuesExtractors::SymmetricTensor<2> C_dofs(0);
      const FEValuesExtractors::Scalar             p_dofs(SymmetricTensor<2, 3>::n_independent_components);

      Helper helper(SymmetricTensor<2, 3>::n_independent_components + 1);
      helper.register_independent_variable(C, C_dofs);
      helper.register_independent_variable(p, p_dofs);
      const SymmetricTensor<2, 3, ADNumber> C_ad = helper.get_sensitive_variables(C_dofs);
      const ADNumber                        p_ad = helper.get_sensitive_variables(p_dofs);
      const ADNumber psi = static_cast<const Derived &>(*this).template psi<ADNumber>(C_ad, m) +
                           volumetric_multiplier<ADNumber>(C_ad, p_ad, kappa, kappa_barrier);
      helper.register_dependent_variable(psi);
      Vector<double>     grad(helper.n_independent_variables());
      FullMatrix<double> H(helper.n_independent_variables(), helper.n_independent_variables());
      helper.compute_gradient(grad);
      helper.compute_hessian(H);
      S   = 2. * helper.extract_gradient_component(grad, C_dofs);
      CC  = 4. * helper.extract_hessian_component(H, C_dofs, C_dofs);
      S_p = 2. * internal::as_symmetric(helper.extract_hessian_component(H, C_dofs, p_dofs));
      g   = helper.extract_gradient_component(grad, p_dofs);
      g_p = helper.extract_hessian_component(H, p_dofs, p_dofs);
      return helper.compute_value();
    }

    double
    energy_mixed(const dealii::SymmetricTensor<2, 3> &C, double p, const Microstructure &m) const override
    {
      return static_cast<const Derived &>(*this).template psi<double>(C, m) + volumetric_multiplier<double>(C, p, kappa, kappa_barrier);
    }

  protected:
    double
    energy_double(const dealii::SymmetricTensor<2, 3> &C, const Microstructure &m) const override
    {
      return static_cast<const Derived &>(*this).template psi<double>(C, m) + volumetric_penalty<double>(C, kappa);
    }
  };

  /// Green-Lagrange component a.E.b with E = (C - I)/2.
  template <typename Number>
  Number
  green_component(const dealii::SymmetricTensor<2, 3, Number> &C, const dealii::Tensor<1, 3> &a,
                  const dealii::Tensor<1, 3> &b)
  {
    Number v = 0;
    for (unsigned int i = 0; i < 3; ++i)
      for (unsigned int j = 0; j < 3; ++j)
        v += a[i] * C[i][j] * b[j];
    return 0.5 * (v - a * b);
  }
} // namespace organtwin::materials
