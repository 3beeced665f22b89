#pragma once
// TdP risk classifier on a scalar metric (CiPA: the mean qNet over 1-4 x Cmax).
//
// Ordinal logistic regression (proportional odds), as in Li et al. 2019 (Clin
// Pharmacol Ther 105:466):
//   P(risk >= j | x) = sigma(a_j + b x),  j = 1 (Intermediate), 2 (High),
// with a_1 > a_2. Class probabilities are differences of these. The thresholds on
// the metric are t_j = -a_j / b (the metric value at which P(risk >= j) = 1/2).
//
// The fit maximises the log-likelihood minus a ridge term (lambda/2) b_s^2 on the
// slope b_s of the standardised metric z = (x - mean)/sd. Without it the
// maximum-likelihood estimate does not exist when the training classes are
// separated by the metric (which they are for 12 point-estimate drugs): the slope
// grows without bound. The penalty keeps it finite; the thresholds depend on it
// weakly, the predicted classes not at all unless a drug lies between classes.
// Newton's method with a backtracking line search on the 3 parameters.

#include <string>
#include <vector>

namespace organtwin::drugs
{
  struct TdpClassifier
  {
    double a1 = 0., a2 = 0., b = 0.; ///< in the units of the metric x
    double lambda = 0.;              ///< ridge penalty used in the fit
    std::string metric = "qNet mean over 1-4 x Cmax [uC/uF]";
    unsigned    n_train = 0;

    /// Thresholds t_1 (Low|Intermediate) and t_2 (Intermediate|High) on the metric.
    double threshold_low_intermediate() const { return -a1 / b; }
    double threshold_intermediate_high() const { return -a2 / b; }

    /// P(Low), P(Intermediate), P(High) at metric value x.
    std::vector<double> probabilities(double x) const;
    /// The most probable class (0, 1, 2).
    int predict(double x) const;

    /// Fit on metric values x and known classes y in {0,1,2}; every class must be
    /// present. Throws std::invalid_argument otherwise or if Newton fails.
    static TdpClassifier fit(const std::vector<double> &x, const std::vector<int> &y, double lambda);

    /// JSON text with the coefficients, thresholds and metric definition.
    std::string to_json() const;
    /// Read what to_json wrote; InputError naming the file and key otherwise.
    static TdpClassifier read(const std::string &file);
  };
} // namespace organtwin::drugs
