#include <deal.II/base/utilities.h>

#include <solvers/common/parameters.h>
#include <solvers/mechanics/activation_times.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace organtwin::mechanics
{
  void
  ActivationTimes::read(const std::string &file, const std::string &where)
  {
    std::ifstream in(file);
    input_check(static_cast<bool>(in), where + " = \"" + file + "\"",
                "cannot be opened (expected the activation_times.csv of a monodomain run)");
    std::string header;
    std::getline(in, header);
    const auto cols = dealii::Utilities::split_string_list(header, ',');
    const std::vector<std::string> expected = {"X_mm", "Y_mm", "Z_mm", "t_act_ms"};
    input_check(cols == expected, where + " = \"" + file + "\"",
                "must start with the header X_mm,Y_mm,Z_mm,t_act_ms (got \"" + header + "\")");
    X.clear();
    t.clear();
    std::string line;
    unsigned int row = 1;
    t_min = std::numeric_limits<double>::infinity();
    t_max = -t_min;
    while (std::getline(in, line))
      {
        ++row;
        if (line.empty())
          continue;
        const auto v = dealii::Utilities::split_string_list(line, ',');
        std::array<double, 4> d{};
        bool ok = v.size() == 4;
        for (unsigned int k = 0; ok && k < 4; ++k)
          try
            {
              d[k] = std::stod(v[k]);
            }
          catch (...)
            {
              ok = false;
            }
        input_check(ok, where + " = \"" + file + "\" line " + std::to_string(row), "expected four numbers X,Y,Z,t_act");
        X.emplace_back(d[0], d[1], d[2]);
        t.push_back(d[3]);
        if (!std::isnan(d[3]))
          t_min = std::min(t_min, d[3]), t_max = std::max(t_max, d[3]);
      }
    input_check(std::isfinite(t_min), where + " = \"" + file + "\"", "has no activated node");
  }

  double
  ActivationTimes::at(const dealii::Point<3> &x) const
  {
    constexpr unsigned int k = 8;
    std::array<std::pair<double, std::size_t>, k> best;
    best.fill({std::numeric_limits<double>::infinity(), 0});
    for (std::size_t i = 0; i < X.size(); ++i)
      {
        const double d2 = x.distance_square(X[i]);
        if (d2 < best[k - 1].first)
          {
            unsigned int j = k - 1;
            for (; j > 0 && best[j - 1].first > d2; --j)
              best[j] = best[j - 1];
            best[j] = {d2, i};
          }
      }
    if (std::isnan(t[best[0].second]))
      return std::numeric_limits<double>::infinity();
    if (best[0].first < 1e-12)
      return t[best[0].second];
    double w = 0, s = 0;
    for (const auto &[d2, i] : best)
      if (std::isfinite(d2) && !std::isnan(t[i]))
        w += 1. / d2, s += t[i] / d2;
    return s / w;
  }
} // namespace organtwin::mechanics
