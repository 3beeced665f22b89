#include <solvers/common/parameters.h>
#include <solvers/common/units.h>
#include <solvers/pk/matrix_exponential.h>
#include <solvers/pk/pk_simulation.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>

namespace organtwin::pk
{
  const char *
  integrator_name(Integrator i)
  {
    return i == Integrator::exact ? "exact" : "cvode";
  }

  Integrator
  integrator_from_name(const std::string &name, const std::string &where)
  {
    input_check(name == "cvode" || name == "exact", where, "\"" + name + "\": expected auto, cvode or exact");
    return name == "exact" ? Integrator::exact : Integrator::cvode;
  }

  namespace
  {
    /// What simulate() needs from an integrator: restart at a discontinuity with a
    /// constant infusion rate until t_stop, and advance to an output time.
    class Stepper
    {
    public:
      virtual ~Stepper() = default;
      virtual void restart(double t, const std::vector<double> &y0, double infusion, double t_stop) = 0;
      virtual void advance(double t_out, std::vector<double> &y_out) = 0;
      virtual long steps() = 0;
      virtual long exponentials() const { return 0; }
    };

    /// CVODE BDF with a dense, user-supplied Jacobian for one PbpkModel.
    class Cvode : public Stepper
    {
    public:
      Cvode(const PbpkModel &m, double rtol, double atol)
        : model(m)
        , n(m.n_states())
      {
        if (SUNContext_Create(nullptr, &ctx) != 0)
          throw std::runtime_error("SUNContext_Create failed");
        y   = N_VNew_Serial(n, ctx);
        A   = SUNDenseMatrix(n, n, ctx);
        LS  = SUNLinSol_Dense(y, A, ctx);
        mem = CVodeCreate(CV_BDF, ctx);
        if (!y || !A || !LS || !mem)
          throw std::runtime_error("CVODE: cannot allocate the solver");
        N_VConst(0., y);
        check(CVodeInit(mem, &Cvode::rhs, 0., y), "Init");
        check(CVodeSStolerances(mem, rtol, atol), "SStolerances");
        check(CVodeSetUserData(mem, this), "SetUserData");
        check(CVodeSetLinearSolver(mem, LS, A), "SetLinearSolver");
        check(CVodeSetJacFn(mem, &Cvode::jac), "SetJacFn");
        check(CVodeSetMaxNumSteps(mem, 200000), "SetMaxNumSteps");
        check(CVodeSetErrHandlerFn(mem, &Cvode::silence, this), "SetErrHandlerFn");
        J.resize(static_cast<std::size_t>(n) * n);
      }
      ~Cvode()
      {
        if (mem)
          CVodeFree(&mem);
        if (LS)
          SUNLinSolFree(LS);
        if (A)
          SUNMatDestroy(A);
        if (y)
          N_VDestroy(y);
        if (ctx)
          SUNContext_Free(&ctx);
      }
      Cvode(const Cvode &) = delete;
      Cvode &operator=(const Cvode &) = delete;

      void
      restart(double t, const std::vector<double> &y0, double infusion, double t_stop) override
      {
        count();
        rate = infusion;
        std::copy(y0.begin(), y0.end(), N_VGetArrayPointer(y));
        check(CVodeReInit(mem, t, y), "ReInit");
        check(CVodeSetStopTime(mem, t_stop), "SetStopTime");
        t_now = t;
      }

      void
      advance(double t_out, std::vector<double> &y_out) override
      {
        realtype  t_reached = t_now;
        const int flag      = CVode(mem, t_out, y, &t_reached, CV_NORMAL);
        if (flag < 0)
          {
            char       *name = CVodeGetReturnFlagName(flag);
            std::string msg  = "CVODE failed between t = " + std::to_string(t_now) +
                              " h and t = " + std::to_string(t_out) + " h (" + (name ? name : "?") + ")" +
                              (last_error.empty() ? "" : ": " + last_error);
            std::free(name);
            throw std::runtime_error(msg);
          }
        t_now           = t_reached;
        const double *v = N_VGetArrayPointer(y);
        std::copy(v, v + n, y_out.begin());
      }

      long steps() override { count(); return steps_done; }

    private:
      const PbpkModel    &model;
      const unsigned int  n;
      SUNContext          ctx = nullptr;
      N_Vector            y   = nullptr;
      SUNMatrix           A   = nullptr;
      SUNLinearSolver     LS  = nullptr;
      void               *mem = nullptr;
      double              rate = 0., t_now = 0.;
      long                steps_done = 0;
      std::vector<double> J;
      std::string         last_error;

      void
      count()
      {
        long s = 0;
        CVodeGetNumSteps(mem, &s);
        steps_done += s;
      }

      static int
      rhs(realtype t, N_Vector yv, N_Vector ydot, void *ud)
      {
        auto *self = static_cast<Cvode *>(ud);
        self->model.rhs(t, N_VGetArrayPointer(yv), self->rate, N_VGetArrayPointer(ydot));
        return 0;
      }

      static int
      jac(realtype t, N_Vector, N_Vector, SUNMatrix Jm, void *ud, N_Vector, N_Vector, N_Vector)
      {
        auto        *self = static_cast<Cvode *>(ud);
        const auto   n    = self->n;
        self->model.jacobian(t, self->J.data());
        for (unsigned int j = 0; j < n; ++j)
          {
            realtype *col = SUNDenseMatrix_Column(Jm, j);
            for (unsigned int i = 0; i < n; ++i)
              col[i] = self->J[static_cast<std::size_t>(i) * n + j];
          }
        return 0;
      }

      static void
      silence(int code, const char *module, const char *function, char *msg, void *ud)
      {
        auto *self       = static_cast<Cvode *>(ud);
        self->last_error = std::string(module ? module : "CVODE") + "/" + (function ? function : "") + ": " +
                           (msg ? msg : "") + " (code " + std::to_string(code) + ")";
      }

      void
      check(int flag, const char *what) const
      {
        if (flag < 0)
          throw std::runtime_error(std::string("CVODE ") + what + " failed (flag " + std::to_string(flag) + ")");
      }
    };

    /// Exact propagator of the linear model. Augmented state x = [y, I, r]: y the model
    /// states (with the AUMC entry unused), I = int_0^t AUC dt, r the infusion rate
    /// (constant between restarts). dx/dt = M x with M = [A 0 e_ven; e_auc^T 0 0; 0 0 0],
    /// so x(t + h) = exp(M h) x(t) exactly; AUMC(t) = t AUC(t) - I(t).
    class Exact : public Stepper
    {
    public:
      explicit Exact(const PbpkModel &m)
        : model(m)
        , n(m.n_states())
        , na(n + 2)
        , i_int(n)
        , i_rate(n + 1)
        , x(na, 0.)
        , xn(na, 0.)
      {
        M.assign(static_cast<std::size_t>(na) * na, 0.);
        const auto &A = m.matrix();
        for (unsigned int i = 0; i < n; ++i)
          if (i != m.aumc())
            for (unsigned int j = 0; j < n; ++j)
              M[i * na + j] = A[i * n + j];
        M[i_int * na + m.auc()]    = 1.;
        M[m.venous() * na + i_rate] = 1.;
      }

      void
      restart(double t, const std::vector<double> &y0, double infusion, double) override
      {
        std::copy(y0.begin(), y0.end(), x.begin());
        x[i_int]  = t * y0[model.auc()] - y0[model.aumc()];
        x[i_rate] = infusion;
        t_now     = t;
      }

      void
      advance(double t_out, std::vector<double> &y_out) override
      {
        const double h = t_out - t_now;
        if (h > 0.)
          {
            const std::vector<double> &E = propagator(h);
            for (unsigned int i = 0; i < na; ++i)
              {
                const double *row = &E[static_cast<std::size_t>(i) * na];
                double        s   = 0.;
                for (unsigned int j = 0; j < na; ++j)
                  s += row[j] * x[j];
                xn[i] = s;
              }
            x.swap(xn);
            ++n_steps;
          }
        t_now = t_out;
        std::copy(x.begin(), x.begin() + n, y_out.begin());
        y_out[model.aumc()] = t_now * x[model.auc()] - x[i_int];
      }

      long steps() override { return n_steps; }
      long exponentials() const override { return n_exp; }

    private:
      const PbpkModel    &model;
      const unsigned int  n, na, i_int, i_rate;
      std::vector<double> M, x, xn;
      double              t_now   = 0.;
      long                n_steps = 0, n_exp = 0;
      /// exp(M h) for the step lengths seen so far (a regular grid needs one or two);
      /// a step within 1e-12 relative of a cached one reuses it (time error 1e-12 h).
      std::vector<std::pair<double, std::vector<double>>> cache;

      const std::vector<double> &
      propagator(double h)
      {
        for (const auto &[hc, E] : cache)
          if (std::abs(h - hc) <= 1e-12 * hc)
            return E;
        if (cache.size() >= 16)
          cache.erase(cache.begin());
        cache.emplace_back(h, matrix_exponential(M, na, h));
        ++n_exp;
        return cache.back().second;
      }
    };

    double
    interpolate(const std::vector<double> &t, const std::vector<double> &v, double x)
    {
      if (x <= t.front())
        return v.front();
      if (x >= t.back())
        return v.back();
      const std::size_t k = std::upper_bound(t.begin(), t.end(), x) - t.begin();
      const double      w = (x - t[k - 1]) / (t[k] - t[k - 1]);
      return (1. - w) * v[k - 1] + w * v[k];
    }
  } // namespace

  PbpkResult
  simulate(const PbpkModel &model, const std::vector<Dose> &doses, const SimulationSettings &s)
  {
    const unsigned int n = model.n_states();
    double             max_dose = 0.;
    for (const auto &d : doses)
      max_dose = std::max(max_dose, d.amount_mg);
    const double atol = s.atol_mg > 0. ? s.atol_mg : 1e-12 * max_dose;
    std::unique_ptr<Stepper> stepper;
    if (s.integrator == Integrator::exact)
      stepper = std::make_unique<Exact>(model);
    else
      stepper = std::make_unique<Cvode>(model, s.rtol, atol);
    Stepper &cv = *stepper;

    // Discontinuities: dose times and infusion ends; the output grid contains them all.
    std::set<double> events{0., s.end_h};
    for (const auto &d : doses)
      {
        events.insert(d.time_h);
        if (d.route == Route::iv_infusion)
          events.insert(d.time_h + d.duration_h);
      }
    const double dt = s.output_dt_h > 0. ? s.output_dt_h : std::min(0.05, s.end_h / 2000.);
    std::vector<double> grid;
    const long          n_grid = static_cast<long>(std::floor(s.end_h / dt + 1e-9));
    for (long i = 0; i <= n_grid; ++i)
      grid.push_back(i * dt);
    for (double e : events)
      grid.push_back(e);
    std::sort(grid.begin(), grid.end());
    std::vector<double> out;
    for (double t : grid)
      if (t <= s.end_h && (out.empty() || t - out.back() > 1e-9 * std::max(1., s.end_h)))
        out.push_back(t);
    // snap event times exactly onto the grid
    for (double e : events)
      {
        auto it = std::lower_bound(out.begin(), out.end(), e - 1e-9 * std::max(1., s.end_h));
        if (it != out.end())
          *it = e;
      }

    PbpkResult r;
    for (const auto &d : doses)
      r.dose_total_mg += d.amount_mg;
    const double       mw = model.compound().mw_g_per_mol;
    std::vector<double> y(n, 0.), auc, aumc;
    r.unbound.description = "PBPK " + model.compound().name;
    const char *organs[]  = {"heart", "liver", "kidney"};
    const unsigned int organ_t[] = {heart, liver, kidney};

    auto record = [&](double t) {
      r.time_h.push_back(t);
      r.plasma_mg_per_L.push_back(model.plasma_venous(y.data()));
      for (int k = 0; k < 3; ++k)
        r.unbound.unbound_uM[organs[k]].push_back(
          units::mg_per_L_to_uM(model.tissue_unbound(organ_t[k], y.data()), mw));
      r.unbound.unbound_uM["plasma"].push_back(units::mg_per_L_to_uM(model.plasma_unbound(y.data()), mw));
      auc.push_back(y[model.auc()]);
      aumc.push_back(y[model.aumc()]);
      if (s.keep_states)
        r.states.push_back(y);
      const double given = dose_given(doses, t);
      const double err   = std::abs(model.total_amount(y.data()) - given) / std::max(given, 1e-300);
      if (given > 0.)
        {
          r.mass_balance_max_rel = std::max(r.mass_balance_max_rel, err);
          r.mass_balance_end_rel = err;
        }
    };

    const std::vector<double> ev(events.begin(), events.end());
    std::size_t               io = 0;
    for (std::size_t k = 0; k + 1 < ev.size(); ++k)
      {
        const double t0 = ev[k], t1 = ev[k + 1];
        double       rate = 0.;
        for (const auto &d : doses)
          {
            if (d.time_h == t0 && d.route == Route::iv_bolus)
              y[model.venous()] += d.amount_mg;
            if (d.time_h == t0 && d.route == Route::oral)
              y[model.lumen()] += d.amount_mg;
            if (d.route == Route::iv_infusion && d.time_h <= t0 && t0 < d.time_h + d.duration_h)
              rate += d.amount_mg / d.duration_h;
          }
        cv.restart(t0, y, rate, t1);
        ++r.restarts;
        while (io < out.size() && out[io] <= t0)
          record(out[io++]); // the state right after the doses at t0
        while (io < out.size() && out[io] < t1)
          {
            cv.advance(out[io], y);
            record(out[io++]);
          }
        cv.advance(t1, y);
        if (k + 2 == ev.size() && io < out.size())
          record(out[io++]);
      }
    r.steps        = cv.steps();
    r.exponentials = cv.exponentials();
    if (!(r.mass_balance_max_rel <= 1e-8))
      {
        char buf[200];
        std::snprintf(buf, sizeof(buf), "PBPK mass balance violated: max relative error %.3e > 1e-8",
                      r.mass_balance_max_rel);
        throw std::runtime_error(buf);
      }
    r.unbound.time_h = r.time_h;
    r.metrics        = compute_metrics(model, doses, r, auc, aumc);
    return r;
  }

  Metrics
  compute_metrics(const PbpkModel &model, const std::vector<Dose> &doses, const PbpkResult &r,
                  const std::vector<double> &auc, const std::vector<double> &aumc)
  {
    Metrics            m;
    const auto        &t = r.time_h;
    const auto        &c = r.plasma_mg_per_L;
    const std::size_t  N = t.size();
    m.vss_model_L        = model.vss_L();
    m.cl_model_L_per_h   = model.systemic_clearance();
    for (std::size_t i = 0; i < N; ++i)
      if (c[i] > m.cmax_mg_per_L)
        {
          m.cmax_mg_per_L = c[i];
          m.tmax_h        = t[i];
        }
    for (double h : r.unbound.unbound_uM.at("heart"))
      m.heart_unbound_cmax_uM = std::max(m.heart_unbound_cmax_uM, h);
    m.auc_0_t = auc.back();
    m.heart_unbound_at_last_dose_uM = interpolate(t, r.unbound.unbound_uM.at("heart"), doses.back().time_h);

    // Terminal phase: log-linear least squares over the second half (in time) of the decline
    // after the peak of the last dosing interval.
    const double t_last_dose = doses.back().time_h;
    std::size_t  i_peak      = 0;
    double       c_peak      = -1.;
    for (std::size_t i = 0; i < N; ++i)
      if (t[i] >= t_last_dose && c[i] > c_peak)
        {
          c_peak = c[i];
          i_peak = i;
        }
    // Only concentrations well above the integrator's noise floor count: below about
    // 1e-6 of the peak the computed values are dominated by the absolute tolerance
    // (1e-12 of the dose), and their logarithms made lambda_z unstable (dofetilide t1/2
    // 2.4 h vs 5.0 h for a < 1 % change of the curve). The window is the second half
    // (in time) of the decline that stays above that floor.
    const double floor_c = 1e-6 * c_peak;
    std::size_t  i_end   = i_peak;
    for (std::size_t i = i_peak + 1; i < N && c[i] > floor_c; ++i)
      i_end = i;
    const double t_start = t[i_peak] + 0.5 * (t[i_end] - t[i_peak]);
    double       sx = 0., sy = 0., sxx = 0., sxy = 0.;
    int          np = 0;
    for (std::size_t i = i_peak + 1; i <= i_end; ++i)
      if (t[i] >= t_start && c[i] > floor_c)
        {
          const double ly = std::log(c[i]);
          sx += t[i];
          sy += ly;
          sxx += t[i] * t[i];
          sxy += t[i] * ly;
          ++np;
        }
    if (np >= 3)
      {
        const double slope = (np * sxy - sx * sy) / (np * sxx - sx * sx);
        if (slope < 0.)
          {
            m.lambda_z_per_h  = -slope;
            m.lambda_z_points = np;
            m.t_half_h        = std::log(2.) / m.lambda_z_per_h;
          }
      }
    const double c_last = c.back(), t_last = t.back();
    double       aumc_inf = 0.;
    if (m.lambda_z_per_h > 0.)
      {
        m.auc_0_inf                = m.auc_0_t + c_last / m.lambda_z_per_h;
        m.auc_extrapolated_percent = 100. * (m.auc_0_inf - m.auc_0_t) / m.auc_0_inf;
        aumc_inf = aumc.back() + c_last * t_last / m.lambda_z_per_h + c_last / std::pow(m.lambda_z_per_h, 2);
      }

    bool same_route = true;
    for (const auto &d : doses)
      same_route &= d.route == doses.front().route;
    const bool iv = doses.front().route != Route::oral;
    if (doses.size() == 1 && m.auc_0_inf > 0.)
      {
        m.cl_L_per_h = doses[0].amount_mg / m.auc_0_inf;
        m.cl_kind    = iv ? "CL" : "CL/F";
        if (iv)
          {
            const double mrt = aumc_inf / m.auc_0_inf -
                               (doses[0].route == Route::iv_infusion ? 0.5 * doses[0].duration_h : 0.);
            m.vss_nca_L = m.cl_L_per_h * mrt;
          }
      }
    else if (doses.size() > 1 && same_route)
      {
        const double tau = doses.back().time_h - doses[doses.size() - 2].time_h;
        if (tau > 0. && t_last_dose + tau <= t_last + 1e-9)
          {
            m.auc_tau    = interpolate(t, auc, t_last_dose + tau) - interpolate(t, auc, t_last_dose);
            m.cl_L_per_h = doses.back().amount_mg / m.auc_tau;
            m.cl_kind    = iv ? "CL" : "CL/F";
          }
      }
    return m;
  }

  std::string
  concentrations_csv(const PbpkModel &model, const PbpkResult &r)
  {
    if (r.states.size() != r.time_h.size())
      throw std::logic_error("concentrations_csv needs the states (keep_states)");
    std::ostringstream o;
    o << "time_h,plasma_venous_mg_per_L,plasma_arterial_mg_per_L,blood_venous_mg_per_L,plasma_unbound_mg_per_L";
    for (unsigned int t = 0; t < n_tissues; ++t)
      o << ',' << tissue_name(t) << "_mg_per_L";
    o << ",heart_unbound_uM,liver_unbound_uM,kidney_unbound_uM,plasma_unbound_uM\n";
    char buf[64];
    auto put = [&](double v) {
      std::snprintf(buf, sizeof(buf), ",%.9g", v);
      o << buf;
    };
    for (std::size_t i = 0; i < r.time_h.size(); ++i)
      {
        const double *y = r.states[i].data();
        std::snprintf(buf, sizeof(buf), "%.9g", r.time_h[i]);
        o << buf;
        put(model.plasma_venous(y));
        put(model.plasma_arterial(y));
        put(model.blood_venous(y));
        put(model.plasma_unbound(y));
        for (unsigned int t = 0; t < n_tissues; ++t)
          put(model.tissue_total(t, y));
        for (const char *organ : {"heart", "liver", "kidney", "plasma"})
          put(r.unbound.unbound_uM.at(organ)[i]);
        o << '\n';
      }
    return o.str();
  }
} // namespace organtwin::pk
