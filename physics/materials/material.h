#pragma once
// Hyperelastic strain energies of myocardium. Each material writes its strain energy
// W(C) [kPa] once, as a template on the number type; the second Piola-Kirchhoff
// stress S = 2 dW/dC and the material tangent CC = 4 d2W/dC2 come out of automatic
// differentiation (Trilinos Sacado through deal.II Differentiation::AD). The AD code
// lives in the .cc files (build time); this header only has the interface.
//
// Near incompressibility: every material adds the volumetric penalty
//   U(J) = kappa/4 (J^2 - 1 - 2 ln J),   U'(1) = 0, U''(1) = kappa,
// with kappa = "Bulk modulus" [kPa] of the Material section (docs/theory/mechanics.md).
// Units: stresses and energies in kPa (= mJ/cm^3 = kJ/m^3), lengths in mm.

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/symmetric_tensor.h>
#include <deal.II/base/tensor.h>

#include <solvers/common/registry.h>

#include <memory>
#include <string>

namespace organtwin::materials
{
  /// Local orthonormal microstructure in the reference configuration: fibre f,
  /// sheet s and sheet-normal n (unit vectors).
  struct Microstructure
  {
    dealii::Tensor<1, 3> f, s, n;
  };

  class Material
  {
  public:
    virtual ~Material() = default;

    /// Registered name.
    virtual std::string name() const = 0;
    /// Read the entries of the material's own subsection (entered by the caller).
    /// Throws InputError naming deck, entry and expectation (e.g. non-positive stiffness).
    virtual void parse_parameters(dealii::ParameterHandler &prm, const std::string &where) = 0;
    /// True if the energy depends on f, s, n (the solver then requires a fibre field).
    virtual bool anisotropic() const = 0;
    /// True if the energy depends on the sheet direction s, not only on f (orthotropic,
    /// e.g. Holzapfel-Ogden): an arbitrary sheet normal to f is then not acceptable.
    virtual bool uses_sheet() const { return false; }

    /// Strain energy W(C) [kPa] including the volumetric penalty.
    double energy(const dealii::SymmetricTensor<2, 3> &C, const Microstructure &m) const;
    /// S = 2 dW/dC [kPa] and CC = 4 d2W/dC2 [kPa] by automatic differentiation.
    /// Returns W. C must have det C > 0.
    virtual double stress_tangent(const dealii::SymmetricTensor<2, 3> &C, const Microstructure &m,
                                  dealii::SymmetricTensor<2, 3> &S, dealii::SymmetricTensor<4, 3> &CC) const = 0;

    /// Mixed (two-field, perturbed-Lagrangian) form: the same energy without the penalty
    /// plus a volumetric Lagrange-multiplier term and an optional barrier,
    ///   W_p(C, p) = psi(C) + p (J - 1) - p^2 / (2 kappa) + kappa_b/4 (J^2 - 1 - 2 ln J),
    /// J = sqrt(det C), kappa_b = barrier_modulus() (0: no barrier; the term has zero value
    /// and slope at J = 1, so the incompressible limit is unchanged, and it keeps the
    /// quadrature-point J of the discrete solution away from 0 where the multiplier only
    /// constrains J weakly, e.g. Guccione, whose energy stays finite as J -> 0),
    /// with p [kPa] the multiplier (tension positive: the Cauchy hydrostatic stress).
    /// By AD over (C, p): S = 2 dW_p/dC, CC = 4 d2W_p/dC2, S_p = dS/dp = 2 d2W_p/dCdp
    /// (= J C^-1), g = dW_p/dp (= J - 1 - p/kappa) and g_p = d2W_p/dp2 (= -1/kappa).
    /// Eliminating p gives the penalty kappa/2 (J - 1)^2 (docs/theory/mechanics.md).
    /// Returns W_p.
    virtual double stress_tangent_mixed(const dealii::SymmetricTensor<2, 3> &C, double p, const Microstructure &m,
                                        dealii::SymmetricTensor<2, 3> &S, dealii::SymmetricTensor<4, 3> &CC,
                                        dealii::SymmetricTensor<2, 3> &S_p, double &g, double &g_p) const = 0;
    /// W_p(C, p) of stress_tangent_mixed (for tests).
    virtual double energy_mixed(const dealii::SymmetricTensor<2, 3> &C, double p, const Microstructure &m) const = 0;

    /// Penalty bulk modulus kappa [kPa].
    double bulk_modulus() const { return kappa; }
    void   set_bulk_modulus(double k) { kappa = k; }
    /// Barrier modulus kappa_b [kPa] of the mixed form (0 = none).
    double barrier_modulus() const { return kappa_barrier; }
    void   set_barrier_modulus(double k) { kappa_barrier = k; }

  protected:
    virtual double energy_double(const dealii::SymmetricTensor<2, 3> &C, const Microstructure &m) const = 0;
    double kappa         = 1000.; ///< [kPa]
    double kappa_barrier = 0.;    ///< [kPa] mixed form only
  };

  using MaterialRegistry = Registry<Material>;

  /// Declare the "Material" subsection: Model = <name>, Bulk modulus, and one
  /// subsection per registered material with its own entries.
  void declare_material_parameters(dealii::ParameterHandler &prm, const std::string &default_model);
  /// Create the material chosen in "Material" and parse it; deck is the file name for messages.
  std::unique_ptr<Material> create_material(dealii::ParameterHandler &prm, const std::string &deck);
} // namespace organtwin::materials

namespace organtwin::materials
{
  /// prm.get_double(entry), InputError unless > 0; where = "<deck>: [Material/<Model>/".
  double positive_entry(dealii::ParameterHandler &prm, const std::string &entry, const std::string &where);
}
