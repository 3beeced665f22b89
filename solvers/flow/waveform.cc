#include <solvers/common/parameters.h>
#include <solvers/flow/waveform.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace organtwin::flow
{
  Waveform
  Waveform::constant(double q)
  {
    Waveform w;
    w.times    = {0., 1.};
    w.values   = {q, q};
    w.periodic = false;
    return w;
  }

  Waveform
  Waveform::parse(const std::string &text, const std::string &where, bool periodic)
  {
    Waveform    w;
    w.periodic = periodic;
    std::string all = text;
    for (char &c : all)
      if (c == ';')
        c = '\n';
    std::istringstream in(all);
    std::string        line;
    unsigned int       lineno = 0, data_lines = 0;
    bool               header_seen = false;
    while (std::getline(in, line))
      {
        ++lineno;
        if (const auto h = line.find('#'); h != std::string::npos)
          line = line.substr(0, h);
        for (char &c : line)
          if (c == ',' || c == '\t' || c == '\r')
            c = ' ';
        std::istringstream ls(line);
        std::vector<std::string> fields;
        for (std::string f; ls >> f;)
          fields.push_back(f);
        if (fields.empty())
          continue;
        auto number = [](const std::string &s, double &v) {
          char *end = nullptr;
          v         = std::strtod(s.c_str(), &end);
          return end != s.c_str() && *end == '\0' && std::isfinite(v);
        };
        double t = 0, q = 0;
        const bool ok = fields.size() == 2 && number(fields[0], t) && number(fields[1], q);
        if (!ok && !header_seen && w.times.empty() && fields.size() == 2)
          {
            header_seen = true; // header such as "t_ms,Q_mL_per_s"
            continue;
          }
        input_check(ok, where, "waveform line " + std::to_string(lineno) + " \"" + line +
                                 "\": expected two numbers t [ms], Q [mm^3/ms]");
        input_check(w.times.empty() || t > w.times.back(), where,
                    "waveform line " + std::to_string(lineno) + ": times must increase strictly");
        w.times.push_back(t);
        w.values.push_back(q);
        ++data_lines;
      }
    input_check(w.times.size() >= 2, where, "a waveform table needs at least two points t,Q");
    if (periodic)
      input_check(std::abs(w.values.front() - w.values.back()) <= 1e-9 * (1. + std::abs(w.values.front())), where,
                  "a periodic waveform must end with the value it starts with (Q(first) = Q(last))");
    return w;
  }

  Waveform
  Waveform::from_file(const std::string &file, const std::string &where, bool periodic)
  {
    std::ifstream in(file);
    input_check(static_cast<bool>(in), where, "cannot open the waveform file \"" + file + "\"");
    std::stringstream s;
    s << in.rdbuf();
    return parse(s.str(), where + " (" + file + ")", periodic);
  }

  double
  Waveform::operator()(double t) const
  {
    if (periodic)
      {
        const double T = period();
        t              = times.front() + std::fmod(t - times.front(), T);
        if (t < times.front())
          t += T;
      }
    if (t <= times.front())
      return values.front();
    if (t >= times.back())
      return values.back();
    std::size_t i = 1;
    while (times[i] < t)
      ++i;
    const double s = (t - times[i - 1]) / (times[i] - times[i - 1]);
    return (1. - s) * values[i - 1] + s * values[i];
  }

  double
  Waveform::mean() const
  {
    if (!periodic)
      return values.back();
    double integral = 0;
    for (std::size_t i = 1; i < times.size(); ++i)
      integral += 0.5 * (values[i] + values[i - 1]) * (times[i] - times[i - 1]);
    return integral / period();
  }

  std::vector<std::complex<double>>
  Waveform::fourier(unsigned int n) const
  {
    std::vector<std::complex<double>> c(n + 1, 0.);
    c[0] = mean();
    if (!periodic)
      return c;
    const double T = period(), w = 2. * M_PI / T;
    const std::complex<double> I(0., 1.);
    for (unsigned int k = 1; k <= n; ++k)
      {
        // C_k = 2/T int Q(t) exp(-i k w t) dt, exact for each linear piece.
        const double         a = k * w;
        std::complex<double> sum = 0.;
        for (std::size_t i = 1; i < times.size(); ++i)
          {
            const double t0 = times[i - 1], t1 = times[i], q0 = values[i - 1], q1 = values[i];
            const double slope = (q1 - q0) / (t1 - t0);
            // int (q0 + slope (t - t0)) e^{-i a t} dt: antiderivative F(t) with
            // int e^{-iat} = e^{-iat}/(-ia), int t e^{-iat} = e^{-iat}(1/a^2 + i t/a).
            auto F = [&](double t) {
              const std::complex<double> e = std::exp(-I * a * t);
              return (q0 - slope * t0) * e / (-I * a) + slope * e * (1. / (a * a) + I * t / a);
            };
            sum += F(t1) - F(t0);
          }
        c[k] = 2. / T * sum;
      }
    return c;
  }

  std::complex<double>
  bessel_j0(std::complex<double> z)
  {
    const std::complex<double> q = -0.25 * z * z;
    std::complex<double>       term = 1., sum = 1.;
    for (int k = 1; k < 200; ++k)
      {
        term *= q / double(k * k);
        sum += term;
        if (std::abs(term) < 1e-17 * std::abs(sum))
          break;
      }
    return sum;
  }

  std::complex<double>
  bessel_j1(std::complex<double> z)
  {
    const std::complex<double> q = -0.25 * z * z;
    std::complex<double>       term = 0.5 * z, sum = term;
    for (int k = 1; k < 200; ++k)
      {
        term *= q / double(k * (k + 1));
        sum += term;
        if (std::abs(term) < 1e-17 * std::abs(sum))
          break;
      }
    return sum;
  }

  WomersleyProfile::WomersleyProfile(const Waveform &q, double radius, double nu, unsigned int harmonics)
    : R(radius)
  {
    const unsigned int   n = q.is_periodic() ? harmonics : 0;
    const auto           c = q.fourier(n);
    const std::complex<double> i32 = std::pow(std::complex<double>(0., 1.), 1.5);
    omega                           = q.is_periodic() ? 2. * M_PI / q.period() : 0.;
    coeff.resize(n + 1);
    lambda.resize(n + 1);
    j0_lambda.resize(n + 1);
    coeff[0] = 2. * c[0] / (M_PI * R * R);
    for (unsigned int k = 1; k <= n; ++k)
      {
        const double alpha = R * std::sqrt(k * omega / nu);
        if (k == 1)
          alpha1 = alpha;
        lambda[k]    = i32 * alpha;
        j0_lambda[k] = bessel_j0(lambda[k]);
        const std::complex<double> denom = 1. - 2. * bessel_j1(lambda[k]) / (lambda[k] * j0_lambda[k]);
        coeff[k]                         = c[k] / (M_PI * R * R) / denom;
      }
  }

  double
  WomersleyProfile::velocity(double r, double t) const
  {
    const double s = std::min(r / R, 1.);
    double       u = coeff[0].real() * (1. - s * s);
    const std::complex<double> I(0., 1.);
    for (std::size_t k = 1; k < coeff.size(); ++k)
      u += (coeff[k] * (1. - bessel_j0(lambda[k] * s) / j0_lambda[k]) * std::exp(I * double(k) * omega * t)).real();
    return u;
  }
} // namespace organtwin::flow

namespace organtwin::flow
{
  double
  WomersleyProfile::wall_shear_rate(double t) const
  {
    // d/dr [1 - J0(L r/R)/J0(L)] = (L/R) J1(L r/R)/J0(L); Poiseuille: -2 r/R^2.
    double                     g = coeff[0].real() * (-2. / R);
    const std::complex<double> I(0., 1.);
    for (std::size_t k = 1; k < coeff.size(); ++k)
      g += (coeff[k] * lambda[k] / R * bessel_j1(lambda[k]) / j0_lambda[k] * std::exp(I * double(k) * omega * t)).real();
    return g;
  }
} // namespace organtwin::flow
