#pragma once
// Virtual populations: N adults drawn from distributions of sex, age, height and
// body-mass index, with log-normal inter-individual variability on the hepatic and
// renal clearances; each is simulated with its own physiology. Subject i draws from
// a random stream seeded by (seed, i) only, so results do not depend on the number
// of threads. Distributions: docs/theory/pbpk.md, "Virtual population".

#include <physics/pk/pbpk_model.h>
#include <solvers/pk/pk_simulation.h>

#include <cstdint>
#include <vector>

namespace organtwin::pk
{
  struct PopulationSettings
  {
    unsigned int  n               = 1000;
    std::uint64_t seed            = 1;
    double        cv_clearance    = 0.3;  ///< coefficient of variation of clearances (log-normal)
    double        female_fraction = 0.5;
    double        age_min_y = 20., age_max_y = 60.;
    unsigned int  threads = 0;            ///< 0: std::thread::hardware_concurrency()
    Integrator    integrator = Integrator::exact; ///< per subject (exact: matrix exponential)
  };

  struct Subject
  {
    Individual who;
    double     hepatic_factor = 1., renal_factor = 1.; ///< IIV multipliers (median 1)
    Metrics    metrics;
    double     mass_balance_max_rel = 0.;
  };

  struct PopulationResult
  {
    std::vector<double>  time_h;
    std::vector<double>  plasma_p05, plasma_p50, plasma_p95;             ///< [mg/L]
    std::vector<double>  heart_unbound_p05, heart_unbound_p50, heart_unbound_p95; ///< [uM]
    std::vector<Subject> subjects;
    unsigned int         threads = 1;
    double               wall_s  = 0.;
    double               mass_balance_max_rel = 0.;
  };

  /// Draw subject i (physiology inputs and IIV factors).
  Subject draw_subject(const PopulationSettings &p, unsigned int i);

  /// Simulate the population for one compound, model options and dosing schedule.
  PopulationResult simulate_population(const Compound &c, const ModelOptions &opt, const std::vector<Dose> &doses,
                                       const SimulationSettings &sim, const PopulationSettings &p);

  /// q-quantile (0..1) of values (linear interpolation between order statistics).
  double quantile(std::vector<double> values, double q);
} // namespace organtwin::pk
