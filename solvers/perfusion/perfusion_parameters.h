#pragma once
// Deck of Problem type = perfusion (solvers/perfusion/perfusion.cc): Darcy perfusion of an
// organ volume and two-compartment drug transport. Units: mm, s, kPa, uM; organ-level
// clearances in L/h, flows in mL/min, Vmax in umol/min (converted in solvers/common/units.h).

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/tensor.h>
#include <deal.II/base/types.h>

#include <meshes/mesh.h>

#include <set>
#include <string>

namespace organtwin::perfusion
{
  struct PerfusionParameters
  {
    static void declare(dealii::ParameterHandler &prm);
    /// Reads every entry and checks the rules between entries (before the mesh is built).
    void parse(dealii::ParameterHandler &prm, const std::string &deck);

    std::string            deck;
    meshes::MeshParameters mesh;

    // Perfusion (Darcy)
    std::string                     prm_organ = "generic"; ///< liver | kidney | generic (ICRP defaults)
    double                          prm_organ_fraction = 1.; ///< share of the ICRP organ in the mesh (one kidney: 0.5)
    dealii::Tensor<2, 3>            prm_conductivity;      ///< [mm^2/(kPa s)] K/mu, symmetric positive definite
    std::set<dealii::types::boundary_id> prm_inlet_ids, prm_outlet_ids;
    /// Optional spheres (centre [mm], radius [mm]): boundary faces whose centre lies inside
    /// get the id inlet_region_id / outlet_region_id (meshes without patch tags, e.g. STL).
    bool                            prm_has_inlet_region = false, prm_has_outlet_region = false;
    dealii::Point<3>                prm_inlet_centre, prm_outlet_centre;
    double                          prm_inlet_radius = 0., prm_outlet_radius = 0.;
    static constexpr dealii::types::boundary_id inlet_region_id = 100, outlet_region_id = 101;
    std::string                     prm_inlet_condition = "pressure"; ///< pressure | flow
    double                          prm_inlet_pressure  = 1.;  ///< [kPa]
    double                          prm_inlet_flow      = -1.; ///< [mL/min] total; < 0: ICRP organ flow
    double                          prm_outlet_pressure = 0.;  ///< [kPa]
    double                          prm_blood_fraction  = 0.1; ///< [1] phi_b; < 0: ICRP regional blood

    // Drug
    bool        prm_drug             = true;
    double      prm_fu_blood         = 1.;  ///< [1]
    double      prm_fu_tissue        = 1.;  ///< [1]
    double      prm_tissue_fraction  = -1.; ///< [1] phi_t; < 0: 1 - phi_b
    double      prm_ps_L_per_h       = 1e4; ///< [L/h] organ total
    double      prm_dispersion       = 0.;  ///< [mm^2/s] D_b
    double      prm_tissue_diffusion = 0.;  ///< [mm^2/s] D_t
    std::string prm_kinetics         = "linear"; ///< none | linear | michaelis_menten
    double      prm_clint_L_per_h    = 0.;  ///< [L/h] unbound intrinsic clearance (linear)
    double      prm_vmax_umol_per_min = 0.; ///< [umol/min] organ total
    double      prm_km_uM            = 1.;  ///< [uM] unbound
    double      prm_filtration_L_per_h = 0.; ///< [L/h] blood sink on unbound drug; < 0: ICRP GFR
    std::string prm_inlet_source     = "constant"; ///< constant | table | pbpk
    double      prm_inlet_value_uM   = 1.;  ///< [uM] unbound (constant)
    std::string prm_inlet_file;             ///< CSV (table) or PBPK results folder (pbpk)
    std::string prm_inlet_organ      = "plasma";
    double      prm_inlet_offset_h   = 0.;  ///< [h] PBPK clock at t = 0

    // Time
    bool   prm_steady          = false;
    double prm_end_time        = 60.;  ///< [s]
    double prm_dt              = 0.5;  ///< [s]
    double prm_theta           = 0.5;
    double prm_output_interval = 5.;   ///< [s] fields; traces every step
    unsigned int prm_picard_max = 50;

    // Solver
    bool        prm_supg       = true;
    double      prm_darcy_rtol = 1e-10;
    double      prm_adr_rtol   = 1e-10;
    std::string prm_adr_preconditioner = "ILU"; ///< ILU | BoomerAMG | Jacobi
    unsigned int prm_max_iterations = 2000;

    // Verification
    bool prm_manufactured = false;

    // Output
    std::string prm_directory = "results/perfusion";
    bool        prm_fields    = true;
    bool        prm_plot      = true;
    double      prm_progress_interval = 10.; ///< [s] wall time between progress lines
  };
} // namespace organtwin::perfusion
