#include <physics/ionic/cvode_integrator.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace organtwin::ionic
{
  struct CvodeCellIntegrator::Impl
  {
    const IonicModel   &model;
    const unsigned int  n;
    double              rtol, atol;
    double              I_app = 0.;
    double              t_now = 0.;
    SUNContext          ctx   = nullptr;
    void               *mem   = nullptr;
    N_Vector            y     = nullptr;
    SUNMatrix           A     = nullptr;
    SUNLinearSolver     LS    = nullptr;
    bool                initialised = false;
    long                steps_done = 0, rhs_done = 0; // counts of previous (re)starts
    std::vector<double> yinf, tau;
    int                 bad_state = -1; ///< first non-finite state seen in rhs, or -1
    double              bad_time  = 0.;
    std::string         last_error;

    Impl(const IonicModel &m, double rtol, double atol)
      : model(m)
      , n(m.n_states())
      , rtol(rtol)
      , atol(atol)
      , yinf(n, 0.)
      , tau(n, 1.)
    {}

    ~Impl()
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

    static int
    rhs(realtype t, N_Vector yv, N_Vector ydot, void *user_data)
    {
      auto         *self = static_cast<Impl *>(user_data);
      const double *yy   = N_VGetArrayPointer(yv);
      double       *dd   = N_VGetArrayPointer(ydot);
      self->model.rhs(yy, dd, self->yinf.data(), self->tau.data());
      self->model.add_applied_current(yy, self->I_app, dd);
      for (unsigned int i = 0; i < self->n; ++i)
        if (!std::isfinite(dd[i]) || !std::isfinite(yy[i]))
          {
            if (self->bad_state < 0)
              {
                self->bad_state = static_cast<int>(i);
                self->bad_time  = t;
              }
            return 1; // recoverable: CVODE retries with a smaller step
          }
      return 0;
    }

    static void
    error_handler(int error_code, const char *module, const char *function, char *msg, void *user_data)
    {
      auto *self       = static_cast<Impl *>(user_data);
      self->last_error = std::string(module ? module : "CVODE") + "/" + (function ? function : "") + ": " +
                         (msg ? msg : "") + " (code " + std::to_string(error_code) + ")";
    }

    void
    check(int flag, const char *what) const
    {
      if (flag < 0)
        {
          char       *name = CVodeGetReturnFlagName(flag);
          std::string s    = std::string("CVODE ") + what + " failed: " + (name ? name : "?");
          std::free(name);
          if (!last_error.empty())
            s += "; " + last_error;
          throw std::runtime_error(s);
        }
    }

    void
    count()
    {
      if (!initialised)
        return;
      long s = 0, f = 0;
      CVodeGetNumSteps(mem, &s);
      CVodeGetNumRhsEvals(mem, &f);
      steps_done += s;
      rhs_done += f;
    }
  };

  CvodeCellIntegrator::CvodeCellIntegrator(const IonicModel &model, double rtol, double atol)
    : impl(std::make_unique<Impl>(model, rtol, atol))
  {
    if (!(rtol > 0.) || !(atol > 0.))
      throw std::invalid_argument("CvodeCellIntegrator: tolerances must be positive");
    auto &d = *impl;
    if (SUNContext_Create(nullptr, &d.ctx) != 0)
      throw std::runtime_error("SUNContext_Create failed");
    d.y = N_VNew_Serial(d.n, d.ctx);
    d.A = SUNDenseMatrix(d.n, d.n, d.ctx);
    if (!d.y || !d.A)
      throw std::runtime_error("CVODE: cannot allocate the state vector or the Jacobian");
    d.LS = SUNLinSol_Dense(d.y, d.A, d.ctx);
    d.mem = CVodeCreate(CV_BDF, d.ctx);
    if (!d.LS || !d.mem)
      throw std::runtime_error("CVODE: cannot create the solver");
    d.check(CVodeSetErrHandlerFn(d.mem, &Impl::error_handler, &d), "SetErrHandlerFn");
  }

  CvodeCellIntegrator::~CvodeCellIntegrator() = default;

  void
  CvodeCellIntegrator::restart(double t, const double *y0, double I_app, double t_stop)
  {
    auto &d = *impl;
    d.I_app = I_app;
    d.t_now = t;
    std::copy(y0, y0 + d.n, N_VGetArrayPointer(d.y));
    d.last_error.clear();
    if (!d.initialised)
      {
        d.check(CVodeInit(d.mem, &Impl::rhs, t, d.y), "Init");
        d.check(CVodeSStolerances(d.mem, d.rtol, d.atol), "SStolerances");
        d.check(CVodeSetUserData(d.mem, &d), "SetUserData");
        d.check(CVodeSetLinearSolver(d.mem, d.LS, d.A), "SetLinearSolver");
        d.check(CVodeSetMaxNumSteps(d.mem, 1000000), "SetMaxNumSteps");
        d.initialised = true;
      }
    else
      {
        d.count();
        d.check(CVodeReInit(d.mem, t, d.y), "ReInit");
      }
    d.check(CVodeSetStopTime(d.mem, t_stop), "SetStopTime");
  }

  void
  CvodeCellIntegrator::advance_to(double t_out, double *y)
  {
    auto &d = *impl;
    if (!d.initialised)
      throw std::logic_error("CvodeCellIntegrator::advance_to called before restart");
    d.bad_state = -1;
    realtype   t_reached = d.t_now;
    const int  flag      = CVode(d.mem, t_out, d.y, &t_reached, CV_NORMAL);
    if (flag < 0)
      {
        std::ostringstream msg;
        msg << "CVODE failed between t = " << d.t_now << " ms and t = " << t_out << " ms";
        if (d.bad_state >= 0)
          msg << ": state \"" << d.model.state_info()[d.bad_state].name
              << "\" or its rate is not finite at t = " << d.bad_time << " ms";
        char *name = CVodeGetReturnFlagName(flag);
        msg << " (" << (name ? name : "?") << (d.last_error.empty() ? "" : "; " + d.last_error) << ")";
        std::free(name);
        throw std::runtime_error(msg.str());
      }
    d.t_now        = t_reached;
    const double *v = N_VGetArrayPointer(d.y);
    std::copy(v, v + d.n, y);
  }

  long
  CvodeCellIntegrator::n_steps() const
  {
    long s = 0;
    if (impl->initialised)
      CVodeGetNumSteps(impl->mem, &s);
    return impl->steps_done + s;
  }

  long
  CvodeCellIntegrator::n_rhs_evaluations() const
  {
    long f = 0;
    if (impl->initialised)
      CVodeGetNumRhsEvals(impl->mem, &f);
    return impl->rhs_done + f;
  }
} // namespace organtwin::ionic
