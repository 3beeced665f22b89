#pragma once
// Drugs and their effect on ion channels.
//
// Conductance block (the "simple pore block" of CiPA): a channel's conductance is
// multiplied by
//     s = 1 / (1 + (C / IC50)^h)
// with the free drug concentration C and IC50 in nM and the Hill coefficient h.
// IKr of models with dynamic hERG (CiPAORdv1) is not scaled: the drug binds in the
// hERG Markov model instead (physics/ionic/channel.h, HergBinding).
//
// Drug library files (one drug per row/entry):
//  * CSV, the columns of ../shared/data/cipa/training_drugs.csv:
//      drug, cmax_free_nM, [cipa_risk_level | risk_category],
//      <ch>_ic50_nM, <ch>_hill for ch in ina, inal, ical, ito, ikr, iks, ik1
//      (or any channel name of physics/ionic/channel.h, any case),
//      herg_Kmax, herg_Ku_per_ms, herg_n, herg_halfmax_nM_pow_n, herg_Vhalf_mV.
//    Informational columns ignored: ikr_fda_ic50_nM, ikr_fda_hill, ic50_source,
//    herg_dyn_source, notes. An empty cell = no block of that channel.
//  * JSON: {"drugs": [{"name": "x", "cmax_free_nM": 2, "risk_level": 2,
//      "block": {"ICaL": {"ic50_nM": 260.3, "hill": 1.163}, ...},
//      "herg_dynamic": {"Kmax": .., "Ku_per_ms": .., "n": .., "halfmax_nM_pow_n": ..,
//                       "Vhalf_mV": ..}}]}
// Errors (InputError) name the file, the line or drug, the column/key and what was
// expected: unknown channel names or columns, IC50 <= 0, a missing or non-positive
// Hill coefficient, incomplete dynamic-hERG parameter sets, duplicate drugs.

#include <physics/ionic/channel.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace organtwin::ionic
{
  class IonicModel;
}

namespace organtwin::drugs
{
  struct HillBlock
  {
    double ic50_nM = 0.; ///< [nM] > 0
    double hill    = 1.; ///< [-] > 0
    /// Remaining fraction of the conductance at concentration c [nM].
    double scale(double c_nM) const;
  };

  /// CiPA TdP risk categories (Li et al. 2019): 0 Low, 1 Intermediate, 2 High.
  const std::string &risk_name(int level);

  struct Drug
  {
    std::string name;
    int         risk_level   = -1;  ///< 0/1/2 when known (training set), -1 unknown
    double      cmax_free_nM = -1.; ///< [nM] free therapeutic Cmax; -1 unknown
    std::array<std::optional<HillBlock>, ionic::n_channels> block;
    std::optional<ionic::HergBinding> herg; ///< dynamic hERG parameters (conc_nM unused)
  };

  /// Conductance factors at concentration c [nM]. IKr is left at 1 when the model
  /// has dynamic hERG binding and the drug has dynamic parameters.
  ionic::ChannelScale conductance_scale(const Drug &d, double c_nM, bool dynamic_herg);

  /// Put drug d at concentration c [nM] into the model: channel scales, and the
  /// hERG binding if the model has dynamic hERG. Throws InputError if the model
  /// has dynamic hERG, c > 0 and the drug has neither dynamic parameters nor a
  /// static IKr IC50 (IKr block would be silently missing otherwise); with only a
  /// static IC50, IKr of a dynamic model is blocked by scaling its conductance.
  void apply_drug(ionic::IonicModel &model, const Drug &d, double c_nM);

  class DrugLibrary
  {
  public:
    /// Read a .csv or .json drug file.
    static DrugLibrary read(const std::string &file);
    const std::vector<Drug> &drugs() const { return list; }
    /// The drug of this name (case-insensitive); InputError listing the names if absent.
    const Drug &get(const std::string &name) const;
    bool has(const std::string &name) const;
    std::string file() const { return source; }

  private:
    std::vector<Drug> list;
    std::string       source;
  };
} // namespace organtwin::drugs
