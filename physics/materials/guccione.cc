// Guccione, McCulloch & Waldman 1991 (J Biomech Eng 113:42), transversely isotropic:
//   W = C/2 (exp(Q) - 1),
//   Q = b_f E_ff^2 + b_t (E_ss^2 + E_nn^2 + 2 E_sn^2) + 2 b_fs (E_fs^2 + E_fn^2),
// with E = (C - I)/2 in the local fibre/sheet/normal basis. Defaults: Land et al. 2015
// Problems 1 and 3 (C = 2 kPa, b_f = 8, b_t = 2, b_fs = 4).
#include <physics/materials/ad_energy.h>

namespace organtwin::materials
{
  class Guccione : public EnergyMaterial<Guccione>
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      using dealii::Patterns::Double;
      prm.declare_entry("C", "2", Double(), "[kPa] stiffness scale (Land 2015 P1/P3: 2; P2: 10); > 0");
      prm.declare_entry("bf", "8", Double(), "[1] fibre exponent (Land 2015 P1/P3: 8); > 0");
      prm.declare_entry("bt", "2", Double(), "[1] cross-fibre exponent (Land 2015 P1/P3: 2); > 0");
      prm.declare_entry("bfs", "4", Double(), "[1] fibre-shear exponent (Land 2015 P1/P3: 4); > 0");
    }
    std::string name() const override { return "Guccione"; }
    bool        anisotropic() const override { return prm_bf != prm_bt || prm_bf != prm_bfs; }
    void
    parse_parameters(dealii::ParameterHandler &prm, const std::string &where) override
    {
      prm_C   = positive_entry(prm, "C", where);
      prm_bf  = positive_entry(prm, "bf", where);
      prm_bt  = positive_entry(prm, "bt", where);
      prm_bfs = positive_entry(prm, "bfs", where);
    }

    template <typename N>
    N
    psi(const dealii::SymmetricTensor<2, 3, N> &C, const Microstructure &m) const
    {
      using std::exp;
      const N Eff = green_component(C, m.f, m.f), Ess = green_component(C, m.s, m.s),
              Enn = green_component(C, m.n, m.n), Efs = green_component(C, m.f, m.s),
              Efn = green_component(C, m.f, m.n), Esn = green_component(C, m.s, m.n);
      const N Q = prm_bf * Eff * Eff + prm_bt * (Ess * Ess + Enn * Enn + 2. * Esn * Esn) +
                  2. * prm_bfs * (Efs * Efs + Efn * Efn);
      return prm_C / 2. * (exp(Q) - 1.);
    }

  private:
    double prm_C = 2, prm_bf = 8, prm_bt = 2, prm_bfs = 4;
  };

  OT_REGISTER(Material, "Guccione", Guccione, "transversely isotropic Fung-type (Guccione 1991)")
} // namespace organtwin::materials
