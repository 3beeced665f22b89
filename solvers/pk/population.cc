#include <solvers/common/parameters.h>
#include <solvers/pk/population.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>

namespace organtwin::pk
{
  namespace
  {
    /// SplitMix64 (Steele, Lea & Flood 2014): a small, well-mixed generator whose
    /// sequence is fixed by its seed on every platform (unlike std:: distributions).
    struct Rng
    {
      std::uint64_t state;
      std::uint64_t
      next()
      {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z               = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z               = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
      }
      double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); } // [0, 1)
      double
      normal()
      {
        double u1 = uniform();
        while (u1 <= 0.)
          u1 = uniform();
        return std::sqrt(-2. * std::log(u1)) * std::cos(2. * M_PI * uniform());
      }
    };
  } // namespace

  namespace
  {
    /// q-quantile of values sorted in ascending order.
    double
    quantile_sorted(const std::vector<double> &v, double q)
    {
      if (v.empty())
        return 0.;
      const double pos = q * (v.size() - 1);
      const auto   k   = static_cast<std::size_t>(std::floor(pos));
      if (k + 1 >= v.size())
        return v.back();
      return v[k] + (pos - k) * (v[k + 1] - v[k]);
    }
  } // namespace

  double
  quantile(std::vector<double> v, double q)
  {
    if (v.empty())
      return 0.;
    std::sort(v.begin(), v.end());
    const double pos = q * (v.size() - 1);
    const auto   k   = static_cast<std::size_t>(std::floor(pos));
    if (k + 1 >= v.size())
      return v.back();
    return v[k] + (pos - k) * (v[k + 1] - v[k]);
  }

  Subject
  draw_subject(const PopulationSettings &p, unsigned int i)
  {
    Rng     rng{p.seed * 0xD1B54A32D192ED03ull + i * 0x9E3779B97F4A7C15ull + 1};
    Subject s;
    for (int attempt = 0; attempt < 50; ++attempt)
      {
        s.who.sex   = rng.uniform() < p.female_fraction ? Sex::female : Sex::male;
        s.who.age_y = p.age_min_y + (p.age_max_y - p.age_min_y) * rng.uniform();
        // Height: normal around the ICRP reference height, SD 7 cm (M) / 6.5 cm (F);
        // BMI: log-normal, median 24.5 (M) / 24 (F) kg/m^2, CV 15 % (assumed; docs).
        const bool male = s.who.sex == Sex::male;
        s.who.height_cm = std::clamp(reference_height(s.who.sex) + (male ? 7. : 6.5) * rng.normal(), 145., 205.);
        const double bmi = (male ? 24.5 : 24.) * std::exp(0.15 * rng.normal());
        s.who.weight_kg  = std::clamp(bmi * std::pow(s.who.height_cm / 100., 2), 40., 160.);
        try
          {
            make_physiology(s.who);
            break;
          }
        catch (const InputError &)
          {
            // implausible combination for the organ scaling: draw again
          }
      }
    const double sigma = std::sqrt(std::log(1. + p.cv_clearance * p.cv_clearance));
    s.hepatic_factor   = std::exp(sigma * rng.normal());
    s.renal_factor     = std::exp(sigma * rng.normal());
    return s;
  }

  PopulationResult
  simulate_population(const Compound &c, const ModelOptions &opt, const std::vector<Dose> &doses,
                      const SimulationSettings &sim_in, const PopulationSettings &p)
  {
    using clock      = std::chrono::steady_clock;
    const auto start = clock::now();
    input_check(p.n >= 1, "--population", "expected at least 1 subject");
    input_check(p.cv_clearance >= 0. && p.cv_clearance <= 3., "--cv-clearance",
                "expected a coefficient of variation in [0, 3]");
    input_check(p.age_min_y >= 18. && p.age_max_y <= 100. && p.age_min_y <= p.age_max_y, "--age-range",
                "expected 18 <= min <= max <= 100 years");

    SimulationSettings sim = sim_in;
    sim.keep_states        = false;
    sim.integrator         = p.integrator;
    PopulationResult res;
    res.subjects.resize(p.n);
    std::vector<std::vector<double>> plasma(p.n), heart_u(p.n);
    std::vector<double>              time;
    std::mutex                       mtx;
    std::exception_ptr               failure;
    std::atomic<unsigned int>        next{0};

    auto work = [&]() {
      while (true)
        {
          const unsigned int i = next++;
          if (i >= p.n)
            return;
          try
            {
              Subject  s  = draw_subject(p, i);
              Compound ci = c;
              ci.cl_hepatic_intrinsic_L_per_h *= s.hepatic_factor;
              ci.cl_hepatic_plasma_L_per_h *= s.hepatic_factor;
              ci.cl_renal_plasma_L_per_h *= s.renal_factor;
              const Physiology ph = make_physiology(s.who);
              // clearances scaled above what the organ's blood flow can deliver are capped at
              // 95 % of it (liver) or 95 % of renal blood flow less filtration (kidney)
              const double bp = c.has_bp() ? c.bp : predict_distribution(c, ph, opt.kp_override).bp;
              ci.cl_hepatic_plasma_L_per_h =
                std::min(ci.cl_hepatic_plasma_L_per_h, 0.95 * ph.liver_total_flow() * bp);
              const double filtration = c.renal_filtration ? c.fu * ph.gfr_L_per_h : 0.;
              ci.cl_renal_plasma_L_per_h =
                std::max(0., std::min(ci.cl_renal_plasma_L_per_h, 0.95 * ph.flow_L_per_h[kidney] * bp - filtration));
              const PbpkModel  model(ci, ph, opt);
              const PbpkResult r = simulate(model, doses, sim);
              s.metrics              = r.metrics;
              s.mass_balance_max_rel = r.mass_balance_max_rel;
              res.subjects[i]        = s;
              plasma[i]              = r.plasma_mg_per_L;
              heart_u[i]             = r.unbound.unbound_uM.at("heart");
              if (i == 0)
                {
                  std::lock_guard<std::mutex> lock(mtx);
                  time = r.time_h;
                }
            }
          catch (...)
            {
              std::lock_guard<std::mutex> lock(mtx);
              if (!failure)
                failure = std::current_exception();
              next = p.n; // stop the others
              return;
            }
        }
    };

    res.threads = p.threads > 0 ? p.threads : std::max(1u, std::thread::hardware_concurrency());
    res.threads = std::min(res.threads, p.n);
    std::vector<std::thread> pool;
    for (unsigned int k = 1; k < res.threads; ++k)
      pool.emplace_back(work);
    work();
    for (auto &th : pool)
      th.join();
    if (failure)
      std::rethrow_exception(failure);

    res.time_h = time;
    std::vector<double> col(p.n);
    for (std::size_t j = 0; j < time.size(); ++j)
      {
        // one sort per output time and curve, three quantiles from it
        for (unsigned int i = 0; i < p.n; ++i)
          col[i] = plasma[i][j];
        std::sort(col.begin(), col.end());
        res.plasma_p05.push_back(quantile_sorted(col, 0.05));
        res.plasma_p50.push_back(quantile_sorted(col, 0.50));
        res.plasma_p95.push_back(quantile_sorted(col, 0.95));
        for (unsigned int i = 0; i < p.n; ++i)
          col[i] = heart_u[i][j];
        std::sort(col.begin(), col.end());
        res.heart_unbound_p05.push_back(quantile_sorted(col, 0.05));
        res.heart_unbound_p50.push_back(quantile_sorted(col, 0.50));
        res.heart_unbound_p95.push_back(quantile_sorted(col, 0.95));
      }
    for (const auto &s : res.subjects)
      res.mass_balance_max_rel = std::max(res.mass_balance_max_rel, s.mass_balance_max_rel);
    res.wall_s = std::chrono::duration<double>(clock::now() - start).count();
    return res;
  }
} // namespace organtwin::pk
