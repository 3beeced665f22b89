#pragma once
// Dosing schedules for the PBPK solver: IV bolus, IV infusion (amount over a
// duration, i.e. rate = amount / duration) and oral doses (into the gut lumen),
// single, repeated (interval, count) or from a dose table.

#include <string>
#include <vector>

namespace organtwin::pk
{
  enum class Route
  {
    iv_bolus,
    iv_infusion,
    oral
  };

  /// "iv_bolus" ... ; parse_route throws InputError naming `where` for anything else.
  const char *route_name(Route r);
  Route       parse_route(const std::string &s, const std::string &where);

  struct Dose
  {
    double time_h     = 0.;
    Route  route      = Route::iv_bolus;
    double amount_mg  = 0.;
    double duration_h = 0.; ///< infusions only
  };

  /// n_doses doses every interval_h starting at t = 0. Throws InputError naming the
  /// command-line option (--dose-mg, --interval-h, --doses, --infusion-h).
  std::vector<Dose> make_regimen(Route route, double dose_mg, double infusion_h, double interval_h,
                                 unsigned int n_doses);

  /// CSV dose table with header "time_h,route,dose_mg[,duration_h]"; errors name the
  /// file, the line and the column.
  std::vector<Dose> read_dose_table(const std::string &csv_file);

  /// Checks shared by all forms: amounts > 0, times >= 0 and sorted, infusions with a
  /// positive duration, every dose (and infusion end) before end_h.
  void check_schedule(const std::vector<Dose> &doses, double end_h, const std::string &where);

  /// Total amount given up to time t (infusions pro rata) [mg].
  double dose_given(const std::vector<Dose> &doses, double t_h);
} // namespace organtwin::pk
