#pragma once
// The cell models of a tissue run: one ionic model per transmural layer (endo, M,
// epi), the states of every owned DoF, drug block from a ConcentrationSource that
// is updated during the run, and pre-pacing of each layer's cell to steady state at
// the starting concentration (cached on disk so repeated runs do not repeat it).
//
// Deck sections (declared here, read by the monodomain case):
//   Cell layers: Layers = none | transmural, Endo fraction, M fraction (the rest is
//     epi), along the Tissue section's Transmural direction and Wall extent;
//   Drug: Drug file, Drug, Concentration source = constant | table | pk results,
//     Concentration [nM] or Cmax multiple, Table file, PK results, Organ,
//     PK time at start [h], Update interval [ms];
//   Pre-pacing: Beats, Cycle length, Steady state = fixed | converged, Cache directory.
// Units: time ms (the PK clock in h is converted by units.h), concentrations nM at
// the drug-block interface, uM from ConcentrationSource.

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <physics/drugs/concentration_source.h>
#include <physics/drugs/drug.h>
#include <physics/ionic/integrators.h>
#include <physics/ionic/ionic_model.h>

#include <mpi.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace organtwin::ep
{
  class TissueCells
  {
  public:
    static void declare_parameters(dealii::ParameterHandler &prm);

    /// prototype: the model created from the deck's Ionic model section; it is the
    /// model of the single layer (Layers = none) and is used as the template of the
    /// layer models otherwise. Reads the sections above; InputError on bad input.
    TissueCells(std::unique_ptr<ionic::IonicModel> prototype, dealii::ParameterHandler &prm,
                const std::string &deck);

    /// The model of layer l (0 with Layers = none).
    ionic::IonicModel       &model(unsigned int l = 0) { return *models[l]; }
    const ionic::IonicModel &model(unsigned int l = 0) const { return *models[l]; }
    unsigned int             n_layers() const { return models.size(); }
    std::string              layer_name(unsigned int l) const { return layer_names[l]; }

    /// Assign the layer of each owned DoF (support points in mm), apply the drug at
    /// t = 0, pre-pace and set the initial states. Collective over comm.
    void setup(const std::vector<dealii::Point<3>> &points, MPI_Comm comm, dealii::ConditionalOStream &out);

    /// Re-evaluate the drug concentration if an update is due at time t [ms];
    /// returns true if the block changed.
    bool update_drug(double t_ms, dealii::ConditionalOStream &out);
    /// Current drug concentration [nM] (0 without a drug).
    double concentration_nM() const { return conc_nM; }
    bool   has_drug() const { return drug.has_value(); }
    std::string drug_description() const;

    /// Advance every DoF's cell by h with applied currents I_app (nullptr: none).
    /// Returns the number of DoFs whose V became non-finite.
    std::size_t step(ionic::OdeScheme scheme, double h, const double *I_app);

    /// V of the owned DoFs (in DoF order) out of / into the cell states.
    void get_V(double *v) const;
    void set_V(const double *v);

    /// Layer index per owned DoF.
    const std::vector<unsigned char> &layer_of_dofs() const { return layer; }

  private:
    double concentration_at(double t_ms) const;
    std::vector<double> prepaced_state(unsigned int l, MPI_Comm comm, dealii::ConditionalOStream &out);

    std::vector<std::unique_ptr<ionic::IonicModel>> models;
    std::vector<std::string>                        layer_names;
    std::vector<unsigned char>                      layer;     // per owned DoF
    std::vector<std::vector<std::size_t>>           dofs_of;   // per layer: owned DoF indices
    std::vector<ionic::CellStates>                  states;    // per layer
    std::vector<std::vector<double>>                I_buf;     // per layer scratch

    // layers
    bool                  transmural = false;
    double                f_endo = 0.3, f_M = 0.3;
    dealii::Tensor<1, 3>  normal;
    double                wall_begin = 0., wall_end = 1.;
    // drug
    std::optional<drugs::Drug>                   drug;
    std::unique_ptr<drugs::ConcentrationSource>  source;
    std::string                                  source_kind, organ;
    double                                       constant_nM = 0., pk_t0_h = 0., update_interval = 1000.;
    double                                       conc_nM = 0., last_update = -1e300;
    // pre-pacing
    unsigned int beats = 0;
    double       cycle_length = 1000.;
    bool         converge = true;
    std::string  cache_dir;
    std::string  deck;
  };
} // namespace organtwin::ep
