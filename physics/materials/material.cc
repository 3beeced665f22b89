#include <physics/materials/material.h>
#include <solvers/common/parameters.h>

#include <stdexcept>

namespace organtwin::materials
{
  double
  Material::energy(const dealii::SymmetricTensor<2, 3> &C, const Microstructure &m) const
  {
    return energy_double(C, m);
  }

  void
  declare_material_parameters(dealii::ParameterHandler &prm, const std::string &default_model)
  {
    prm.enter_subsection("Material");
    prm.declare_entry("Model", default_model, dealii::Patterns::Selection(MaterialRegistry::selection()),
                      "strain energy of the tissue. Registered: " + MaterialRegistry::selection());
    prm.declare_entry("Bulk modulus", "1000", dealii::Patterns::Double(),
                      "[kPa] kappa of the volumetric penalty U(J) = kappa/4 (J^2 - 1 - 2 ln J) that makes the "
                      "material nearly incompressible; > 0 (larger = closer to incompressible, stiffer Newton)");
    prm.declare_entry("Mixed barrier modulus", "0", dealii::Patterns::Double(),
                      "[kPa] >= 0; only with [Discretisation/Incompressibility] = mixed: adds the barrier "
                      "kappa_b/4 (J^2 - 1 - 2 ln J) to the multiplier term p (J - 1) - p^2/(2 kappa). Zero value "
                      "and slope at J = 1 (the incompressible limit is unchanged); it keeps the quadrature-point J "
                      "of the discrete solution away from 0 where the multiplier constrains J only weakly "
                      "(Guccione's energy stays finite as J -> 0). About 10x the material stiffness (e.g. 100 for "
                      "Guccione C = 10 kPa); 0 = pure two-field form");
    for (const auto &n : MaterialRegistry::names())
      {
        prm.enter_subsection(n);
        MaterialRegistry::get(n).declare_parameters(prm);
        prm.leave_subsection();
      }
    prm.leave_subsection();
  }

  std::unique_ptr<Material>
  create_material(dealii::ParameterHandler &prm, const std::string &deck)
  {
    prm.enter_subsection("Material");
    const std::string name  = prm.get("Model");
    const double      kappa = prm.get_double("Bulk modulus");
    std::unique_ptr<Material> model;
    try
      {
        input_check(kappa > 0, deck + ": [Material/Bulk modulus] = " + prm.get("Bulk modulus"),
                    "must be > 0 kPa (penalty stiffness)");
        model = MaterialRegistry::create(name);
        model->set_bulk_modulus(kappa);
        const double kappa_b = prm.get_double("Mixed barrier modulus");
        input_check(kappa_b >= 0, deck + ": [Material/Mixed barrier modulus] = " + prm.get("Mixed barrier modulus"),
                    "must be >= 0 kPa (0 = no barrier)");
        model->set_barrier_modulus(kappa_b);
        prm.enter_subsection(name);
        try
          {
            model->parse_parameters(prm, deck + ": [Material/" + name + "/");
          }
        catch (...)
          {
            prm.leave_subsection();
            throw;
          }
        prm.leave_subsection();
      }
    catch (const std::invalid_argument &e)
      {
        prm.leave_subsection();
        throw InputError(deck + ": [Material/Model] = \"" + name + "\" " + e.what());
      }
    catch (...)
      {
        prm.leave_subsection();
        throw;
      }
    prm.leave_subsection();
    return model;
  }

  namespace
  {
    /// Shared check for stiffness-like entries: value > 0 (where ends in "[Material/Model/").
    double
    positive(dealii::ParameterHandler &prm, const std::string &entry, const std::string &where)
    {
      const double v = prm.get_double(entry);
      input_check(v > 0, where + entry + "] = " + prm.get(entry), "must be > 0 (a non-positive stiffness "
                                                                   "or exponent makes the energy non-convex)");
      return v;
    }
  } // namespace

  double
  positive_entry(dealii::ParameterHandler &prm, const std::string &entry, const std::string &where)
  {
    return positive(prm, entry, where);
  }
} // namespace organtwin::materials
