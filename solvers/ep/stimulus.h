#pragma once
// Stimuli of tissue EP: a region (box or sphere, in mm), a volumetric strength
// [uA/cm^3], a start time, a duration and an optional repetition (pacing).

#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/point.h>

#include <string>
#include <vector>

namespace organtwin::ep
{
  struct Stimulus
  {
    std::string      section;         ///< deck subsection, for messages
    std::string      region = "none"; ///< none | box | sphere | boundary
    unsigned int     boundary_id = 0; ///< boundary: nodes on faces with this boundary id (tag)
    dealii::Point<3> lower, upper;    ///< box [mm]
    dealii::Point<3> centre;          ///< sphere [mm]
    double           radius   = 0;    ///< sphere [mm]
    double           strength = 0;    ///< [uA/cm^3], positive depolarises
    double           start = 0, duration = 0, period = 0; ///< [ms]
    unsigned int     n_pulses = 1;

    /// Whether the point x [mm] is stimulated (boundaries included, with a 1e-9 mm margin).
    bool contains(const dealii::Point<3> &x) const;
    /// Fraction of [t0, t1] during which a pulse is on (0..1).
    double active_fraction(double t0, double t1) const;
  };

  /// Declares "Stimulus" (and "Stimulus 2" ... "Stimulus 4", off by default).
  void declare_stimulus_parameters(dealii::ParameterHandler &prm);
  /// Reads the stimuli whose Region is not none; errors name deck and entry.
  std::vector<Stimulus> parse_stimulus_parameters(dealii::ParameterHandler &prm, const std::string &deck);
} // namespace organtwin::ep
