#pragma once
// Activation times from an electrophysiology run, for the active tension of the mechanics
// (one-way electromechanics). The monodomain solver writes activation_times.csv (one row
// per mesh node: X_mm, Y_mm, Z_mm, t_act_ms; "nan" for a node that never activated); this
// class reads it and evaluates t_act at any reference point. Units: mm, ms.

#include <deal.II/base/point.h>

#include <string>
#include <vector>

namespace organtwin::mechanics
{
  class ActivationTimes
  {
  public:
    /// Read the CSV; throws InputError naming `where` (deck entry) if the file cannot be
    /// opened, lacks the columns, or has no activated node.
    void read(const std::string &file, const std::string &where);

    /// t_act [ms] at x: the value of a node closer than 1e-6 mm (same mesh: the EP nodal
    /// value), otherwise the inverse-distance (Shepard, weights 1/d^2) average of the 8
    /// nearest nodes (different meshes). +infinity (no tension) if the nearest node never
    /// activated. Brute-force search: O(nodes) per call.
    double at(const dealii::Point<3> &x) const;

    std::size_t size() const { return X.size(); }
    double      min() const { return t_min; }
    double      max() const { return t_max; }

  private:
    std::vector<dealii::Point<3>> X;
    std::vector<double>           t; ///< NaN: not activated
    double                        t_min = 0, t_max = 0;
  };
} // namespace organtwin::mechanics
