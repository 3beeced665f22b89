#include <physics/drugs/tdp_classifier.h>
#include <solvers/common/parameters.h>

#include <boost/property_tree/json_parser.hpp>
#include <boost/property_tree/ptree.hpp>

#include <array>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace organtwin::drugs
{
  namespace
  {
    double
    sigma(double s)
    {
      return s >= 0 ? 1. / (1. + std::exp(-s)) : std::exp(s) / (1. + std::exp(s));
    }

    /// Penalised log-likelihood of (c1, c2, bs) on standardised z.
    double
    objective(const std::array<double, 3> &p, const std::vector<double> &z, const std::vector<int> &y, double lambda)
    {
      double L = -0.5 * lambda * p[2] * p[2];
      for (std::size_t i = 0; i < z.size(); ++i)
        {
          const double s1 = sigma(p[0] + p[2] * z[i]), s2 = sigma(p[1] + p[2] * z[i]);
          const double pr = y[i] == 0 ? 1. - s1 : y[i] == 1 ? s1 - s2 : s2;
          if (!(pr > 0.))
            return -std::numeric_limits<double>::infinity();
          L += std::log(pr);
        }
      return L;
    }
  } // namespace

  std::vector<double>
  TdpClassifier::probabilities(double x) const
  {
    const double s1 = sigma(a1 + b * x), s2 = sigma(a2 + b * x);
    return {1. - s1, s1 - s2, s2};
  }

  int
  TdpClassifier::predict(double x) const
  {
    const auto p = probabilities(x);
    return p[2] >= p[1] && p[2] >= p[0] ? 2 : p[1] >= p[0] ? 1 : 0;
  }

  TdpClassifier
  TdpClassifier::fit(const std::vector<double> &x, const std::vector<int> &y, double lambda)
  {
    if (x.size() != y.size() || x.empty())
      throw std::invalid_argument("TdP classifier: need as many classes as metric values");
    bool present[3] = {false, false, false};
    for (int c : y)
      {
        if (c < 0 || c > 2)
          throw std::invalid_argument("TdP classifier: classes must be 0, 1 or 2");
        present[c] = true;
      }
    if (!(present[0] && present[1] && present[2]))
      throw std::invalid_argument("TdP classifier: the training set must contain Low, Intermediate and High drugs");
    if (!(lambda > 0.))
      throw std::invalid_argument("TdP classifier: the ridge penalty must be > 0");
    double mean = 0., sd = 0.;
    for (double v : x)
      mean += v / x.size();
    for (double v : x)
      sd += (v - mean) * (v - mean) / x.size();
    sd = std::sqrt(sd);
    if (!(sd > 0.))
      throw std::invalid_argument("TdP classifier: all metric values are equal");
    std::vector<double> z(x.size());
    for (std::size_t i = 0; i < x.size(); ++i)
      z[i] = (x[i] - mean) / sd;

    // start: increasing risk with decreasing metric (b < 0), thresholds at +-0.5 sd
    std::array<double, 3> p = {{0.5, -0.5, -1.}};
    double                f = objective(p, z, y, lambda);
    for (unsigned it = 0; it < 200; ++it)
      {
        // gradient and Hessian by central differences of the objective (3 parameters)
        const double          h = 1e-4;
        std::array<double, 3> g{};
        double                H[3][3];
        for (unsigned a = 0; a < 3; ++a)
          {
            auto pp = p, pm = p;
            pp[a] += h;
            pm[a] -= h;
            g[a] = (objective(pp, z, y, lambda) - objective(pm, z, y, lambda)) / (2 * h);
            for (unsigned c = 0; c < 3; ++c)
              {
                auto ppp = p, ppm = p, pmp = p, pmm = p;
                ppp[a] += h, ppp[c] += h;
                ppm[a] += h, ppm[c] -= h;
                pmp[a] -= h, pmp[c] += h;
                pmm[a] -= h, pmm[c] -= h;
                H[a][c] = (objective(ppp, z, y, lambda) - objective(ppm, z, y, lambda) -
                           objective(pmp, z, y, lambda) + objective(pmm, z, y, lambda)) /
                          (4 * h * h);
              }
          }
        const double gnorm = std::sqrt(g[0] * g[0] + g[1] * g[1] + g[2] * g[2]);
        if (gnorm < 1e-8)
          break;
        // Newton direction d = -H^-1 g (H negative definite); fall back to gradient ascent
        std::array<double, 3> d;
        {
          double M[3][4];
          for (unsigned a = 0; a < 3; ++a)
            {
              for (unsigned c = 0; c < 3; ++c)
                M[a][c] = -H[a][c];
              M[a][3] = g[a];
            }
          bool ok = true;
          for (unsigned c = 0; c < 3 && ok; ++c)
            {
              unsigned piv = c;
              for (unsigned r = c + 1; r < 3; ++r)
                if (std::abs(M[r][c]) > std::abs(M[piv][c]))
                  piv = r;
              for (unsigned q = 0; q < 4; ++q)
                std::swap(M[c][q], M[piv][q]);
              if (std::abs(M[c][c]) < 1e-14)
                ok = false;
              else
                for (unsigned r = c + 1; r < 3; ++r)
                  {
                    const double fac = M[r][c] / M[c][c];
                    for (unsigned q = c; q < 4; ++q)
                      M[r][q] -= fac * M[c][q];
                  }
            }
          if (ok)
            for (int r = 2; r >= 0; --r)
              {
                double s = M[r][3];
                for (unsigned q = r + 1; q < 3; ++q)
                  s -= M[r][q] * d[q];
                d[r] = s / M[r][r];
              }
          if (!ok || d[0] * g[0] + d[1] * g[1] + d[2] * g[2] <= 0.)
            d = g;
        }
        double step = 1.;
        bool   improved = false;
        for (unsigned ls = 0; ls < 60; ++ls, step *= 0.5)
          {
            std::array<double, 3> q = {{p[0] + step * d[0], p[1] + step * d[1], p[2] + step * d[2]}};
            const double          fq = objective(q, z, y, lambda);
            if (q[0] > q[1] && fq > f)
              {
                p        = q;
                f        = fq;
                improved = true;
                break;
              }
          }
        if (!improved)
          break;
      }
    if (!std::isfinite(f))
      throw std::runtime_error("TdP classifier: the fit failed (non-finite likelihood)");
    TdpClassifier c;
    // back to the original metric: c_j + bs (x - mean)/sd = (c_j - bs mean/sd) + (bs/sd) x
    c.b       = p[2] / sd;
    c.a1      = p[0] - p[2] * mean / sd;
    c.a2      = p[1] - p[2] * mean / sd;
    c.lambda  = lambda;
    c.n_train = x.size();
    return c;
  }

  std::string
  TdpClassifier::to_json() const
  {
    std::ostringstream s;
    s.precision(12);
    s << "{\n  \"model\": \"ordinal logistic regression (proportional odds), P(risk >= j) = 1/(1+exp(-(a_j + b x)))\",\n"
      << "  \"metric\": \"" << metric << "\",\n"
      << "  \"a1\": " << a1 << ",\n  \"a2\": " << a2 << ",\n  \"b\": " << b << ",\n"
      << "  \"threshold_low_intermediate\": " << threshold_low_intermediate() << ",\n"
      << "  \"threshold_intermediate_high\": " << threshold_intermediate_high() << ",\n"
      << "  \"ridge_penalty_standardised_slope\": " << lambda << ",\n"
      << "  \"n_training_points\": " << n_train << "\n}\n";
    return s.str();
  }

  TdpClassifier
  TdpClassifier::read(const std::string &file)
  {
    namespace pt = boost::property_tree;
    pt::ptree root;
    try
      {
        pt::read_json(file, root);
      }
    catch (const pt::json_parser_error &e)
      {
        throw InputError(file + ":" + std::to_string(e.line()) + ": cannot read the classifier: " + e.message());
      }
    TdpClassifier c;
    auto          get = [&](const char *key) {
      const auto v = root.get_optional<double>(key);
      input_check(bool(v), file + ": key \"" + std::string(key) + "\"", "missing or not a number");
      return *v;
    };
    c.a1 = get("a1");
    c.a2 = get("a2");
    c.b  = get("b");
    input_check(c.a1 > c.a2 && c.b != 0., file, "expected a1 > a2 and b != 0 (an ordinal logistic regression)");
    c.lambda  = root.get<double>("ridge_penalty_standardised_slope", 0.);
    c.n_train = root.get<unsigned>("n_training_points", 0);
    c.metric  = root.get<std::string>("metric", c.metric);
    return c;
  }
} // namespace organtwin::drugs
