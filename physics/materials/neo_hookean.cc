// Compressible neo-Hookean: W = mu/2 (I1 - 3 - 2 ln J) (+ the volumetric penalty of
// material.h, bulk modulus kappa). Stress free at C = I; small-strain shear modulus mu.
#include <physics/materials/ad_energy.h>

namespace organtwin::materials
{
  class NeoHookean : public EnergyMaterial<NeoHookean>
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      prm.declare_entry("Shear modulus", "10", dealii::Patterns::Double(), "[kPa] mu; > 0");
    }
    std::string name() const override { return "NeoHookean"; }
    bool        anisotropic() const override { return false; }
    void
    parse_parameters(dealii::ParameterHandler &prm, const std::string &where) override
    {
      prm_mu = positive_entry(prm, "Shear modulus", where);
    }

    template <typename N>
    N
    psi(const dealii::SymmetricTensor<2, 3, N> &C, const Microstructure &) const
    {
      using std::log;
      return prm_mu / 2. * (dealii::trace(C) - 3. - log(dealii::determinant(C)));
    }

  private:
    double prm_mu = 10;
  };

  OT_REGISTER(Material, "NeoHookean", NeoHookean, "compressible neo-Hookean")
} // namespace organtwin::materials
