#pragma once
// ConcentrationSource (physics/drugs/concentration_source.h) backed by the PBPK
// model: from a live solution in memory, or from the results folder of a
// `organtwin pk` run (DIR/concentrations.csv, columns time_h and
// <organ>_unbound_uM for heart, liver, kidney and plasma).

#include <physics/drugs/concentration_source.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace organtwin::pk
{
  /// Unbound concentrations [uM] of one PBPK run sampled at increasing times [h].
  struct UnboundSeries
  {
    std::vector<double>                        time_h;
    std::map<std::string, std::vector<double>> unbound_uM; ///< organ -> values at time_h
    std::string                                description;  ///< e.g. "PBPK dofetilide 0.5 mg oral"
  };

  /// Linear interpolation in time; constant before the first and after the last sample.
  /// Throws std::invalid_argument for an empty or inconsistent series.
  std::unique_ptr<drugs::ConcentrationSource> make_pbpk_source(const UnboundSeries &series);

  /// From DIR/concentrations.csv of `organtwin pk` (or a path to that file itself).
  /// Errors (InputError) name the file.
  std::unique_ptr<drugs::ConcentrationSource> make_pbpk_results_source(const std::string &dir_or_csv);
} // namespace organtwin::pk
