#pragma once
// Where a tissue model gets its drug concentration from. One interface, three
// kinds of source:
//   - constant (CiPA cell studies: k x Cmax held for the whole run),
//   - a table of (time, concentration) read from CSV, linearly interpolated,
//   - another solver (the whole-body PBPK model, live or from its results file;
//     implemented in physics/pk).
//
// Units at this interface: time in hours [h] (the PBPK clock; the EP solvers
// convert ms -> h through units.h), concentration = UNBOUND concentration in
// micromolar [uM]. Drug IC50s are in nM; the conversion is units::uM_to_nM.

#include <memory>
#include <string>
#include <vector>

namespace organtwin::drugs
{
  class ConcentrationSource
  {
  public:
    virtual ~ConcentrationSource() = default;

    /// Unbound concentration [uM] of the drug in `organ` ("plasma", "heart",
    /// "liver", "kidney", ...) at time t [h]. Throws InputError if the source has
    /// no data for this organ, std::out_of_range-free: times outside the data are
    /// clamped to the first/last value (documented per source).
    virtual double unbound_uM(const std::string &organ, double t_h) const = 0;

    /// Organs this source can answer for ("*" = any organ, e.g. a constant).
    virtual std::vector<std::string> organs() const = 0;

    /// One line for logs and summaries, e.g. "constant 0.002 uM" or
    /// "table results/pk/concentrations.csv (heart_unbound_uM)".
    virtual std::string description() const = 0;
  };

  /// Same concentration for every organ and every time.
  std::unique_ptr<ConcentrationSource> make_constant_source(double c_uM);

  /// CSV table with a header line: a column "time_h" and, per organ, a column
  /// "<organ>_unbound_uM" (e.g. heart_unbound_uM), or a single column "conc_uM"
  /// that is used for every organ. Times strictly increasing; concentrations >= 0.
  /// Linear interpolation; constant extrapolation before the first and after the
  /// last time. Errors name the file, the line and the column.
  std::unique_ptr<ConcentrationSource> make_table_source(const std::string &csv_file);
} // namespace organtwin::drugs
