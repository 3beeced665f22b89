// Holzapfel & Ogden 2009 (Phil Trans R Soc A 367:3445), orthotropic:
//   W = a/(2b) (exp(b(I1-3)) - 1) - a/2 ln det C
//     + sum_{i=f,s} a_i/(2 b_i) (exp(b_i (I4i - 1)^2) - 1)   [only where I4i > 1]
//     + a_fs/(2 b_fs) (exp(b_fs I8fs^2) - 1),
// I4f = f.Cf, I4s = s.Cs, I8fs = f.Cs. The -a/2 ln det C term makes the reference state
// stress free (the paper's isotropic term alone gives S = a I at C = I for a
// compressible formulation). Defaults: Table 1 of the paper (fit to Dokos 2002 shear data).
#include <physics/materials/ad_energy.h>

namespace organtwin::materials
{
  class HolzapfelOgden : public EnergyMaterial<HolzapfelOgden>
  {
  public:
    static void
    declare_parameters(dealii::ParameterHandler &prm)
    {
      using dealii::Patterns::Double;
      prm.declare_entry("a", "0.059", Double(), "[kPa] isotropic stiffness (HO 2009 Table 1); > 0");
      prm.declare_entry("b", "8.023", Double(), "[1] isotropic exponent; > 0");
      prm.declare_entry("af", "18.472", Double(), "[kPa] fibre stiffness; > 0");
      prm.declare_entry("bf", "16.026", Double(), "[1] fibre exponent; > 0");
      prm.declare_entry("as", "2.481", Double(), "[kPa] sheet stiffness; > 0");
      prm.declare_entry("bs", "11.120", Double(), "[1] sheet exponent; > 0");
      prm.declare_entry("afs", "0.216", Double(), "[kPa] fibre-sheet shear stiffness; > 0");
      prm.declare_entry("bfs", "11.436", Double(), "[1] fibre-sheet exponent; > 0");
    }
    std::string name() const override { return "HolzapfelOgden"; }
    bool        anisotropic() const override { return true; }
    bool        uses_sheet() const override { return true; }
    void
    parse_parameters(dealii::ParameterHandler &prm, const std::string &where) override
    {
      a = positive_entry(prm, "a", where), b = positive_entry(prm, "b", where);
      af = positive_entry(prm, "af", where), bf = positive_entry(prm, "bf", where);
      as = positive_entry(prm, "as", where), bs = positive_entry(prm, "bs", where);
      afs = positive_entry(prm, "afs", where), bfs = positive_entry(prm, "bfs", where);
    }

    template <typename N>
    N
    psi(const dealii::SymmetricTensor<2, 3, N> &C, const Microstructure &m) const
    {
      using std::exp;
      using std::log;
      const N I1 = dealii::trace(C);
      N       W  = a / (2. * b) * (exp(b * (I1 - 3.)) - 1.) - a / 2. * log(dealii::determinant(C));
      const N I4f = 2. * green_component(C, m.f, m.f) + 1., I4s = 2. * green_component(C, m.s, m.s) + 1.;
      const N I8 = 2. * green_component(C, m.f, m.s);
      if (I4f > 1.)
        W += af / (2. * bf) * (exp(bf * (I4f - 1.) * (I4f - 1.)) - 1.);
      if (I4s > 1.)
        W += as / (2. * bs) * (exp(bs * (I4s - 1.) * (I4s - 1.)) - 1.);
      W += afs / (2. * bfs) * (exp(bfs * I8 * I8) - 1.);
      return W;
    }

  private:
    double a = 0.059, b = 8.023, af = 18.472, bf = 16.026, as = 2.481, bs = 11.120, afs = 0.216, bfs = 11.436;
  };

  OT_REGISTER(Material, "HolzapfelOgden", HolzapfelOgden, "orthotropic exponential (Holzapfel & Ogden 2009)")
} // namespace organtwin::materials
