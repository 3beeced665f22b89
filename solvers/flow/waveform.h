#pragma once
// Inflow data of the Navier-Stokes solver: a flow-rate waveform Q(t) from a table and the
// Womersley velocity profile that carries it through a circular inlet.
//
// Units: t [ms], Q [mm^3/ms] (= mL/s), r and R [mm], nu [mm^2/ms], velocity [mm/ms] (= m/s).

#include <complex>
#include <string>
#include <vector>

namespace organtwin::flow
{
  /// Piecewise-linear Q(t) through the table points; periodic with the period
  /// t_last - t_first when periodic (then Q(t_first) must equal Q(t_last)), else
  /// held constant outside the table.
  class Waveform
  {
  public:
    static Waveform constant(double q);
    /// Table text: "t,Q" pairs, one per line or separated by ';'; '#' starts a comment;
    /// a first line that is not numeric is a header. where names the deck entry or file
    /// for errors (InputError): fewer than 2 points, non-numeric fields, times not strictly
    /// increasing, periodic table with Q(first) != Q(last).
    static Waveform parse(const std::string &text, const std::string &where, bool periodic);
    /// parse() of a CSV file.
    static Waveform from_file(const std::string &file, const std::string &where, bool periodic);

    double operator()(double t) const;
    bool   is_periodic() const { return periodic; }
    double period() const { return periodic ? times.back() - times.front() : 0.; }
    /// Time average over one period (periodic) or the table value (constant).
    double mean() const;
    /// Coefficients C_k, k = 0..n, with Q(t) ~ Re sum_k C_k exp(i k w t), w = 2 pi / period,
    /// from the exact integrals of the piecewise-linear table (C_0 = mean).
    std::vector<std::complex<double>> fourier(unsigned int n) const;

  private:
    std::vector<double> times, values;
    bool                periodic = false;
  };

  /// Bessel functions of the first kind of complex argument (power series; |z| < ~40).
  std::complex<double> bessel_j0(std::complex<double> z);
  std::complex<double> bessel_j1(std::complex<double> z);

  /// Fully developed pulsatile flow in a rigid circular pipe of radius R carrying Q(t):
  /// the Womersley (1955) solution, harmonic by harmonic, normalised by the flow rate:
  ///   u_k(r) = C_k/(pi R^2) [1 - J0(L r/R)/J0(L)] / [1 - 2 J1(L)/(L J0(L))],
  ///   L = i^(3/2) alpha_k, alpha_k = R sqrt(k w / nu);   k = 0: 2 C_0/(pi R^2)(1 - r^2/R^2).
  class WomersleyProfile
  {
  public:
    WomersleyProfile(const Waveform &q, double radius, double nu, unsigned int harmonics);
    /// Axial velocity [mm/ms] at distance r [mm] from the axis at time t [ms].
    double velocity(double r, double t) const;
    /// du/dr at the wall r = R [1/ms] (negative for forward flow); WSS = -mu du/dr.
    double wall_shear_rate(double t) const;
    /// Womersley number of the first harmonic.
    double alpha() const { return alpha1; }

  private:
    double                            R, omega = 0., alpha1 = 0.;
    std::vector<std::complex<double>> coeff;  // C_k / (pi R^2) / denominator_k
    std::vector<std::complex<double>> lambda; // L_k
    std::vector<std::complex<double>> j0_lambda;
  };
} // namespace organtwin::flow
