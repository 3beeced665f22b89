// Problem type "navier_stokes": `organtwin run deck.prm`; `organtwin params navier_stokes`
// prints the documented default deck (docs/flow_user_guide.md).
#include <solvers/common/case.h>
#include <solvers/common/parameters.h>
#include <solvers/flow/navier_stokes.h>

#include <sstream>

namespace organtwin::flow
{
  namespace
  {
    class NavierStokesCase : public Case
    {
    public:
      static void
      declare_parameters(dealii::ParameterHandler &prm)
      {
        FlowParameters::declare_parameters(prm);
      }
      void
      run(dealii::ParameterHandler &prm, const RunContext &ctx) override
      {
        FlowParameters p;
        p.parse_parameters(prm, ctx.deck_file);
        std::ostringstream used;
        prm.print_parameters(used, dealii::ParameterHandler::OutputStyle(dealii::ParameterHandler::PRM |
                                                                         dealii::ParameterHandler::KeepDeclarationOrder));
        if (p.dim == 2)
          run_navier_stokes<2>(p, ctx.comm, ctx.verbosity, used.str());
        else
          run_navier_stokes<3>(p, ctx.comm, ctx.verbosity, used.str());
      }
    };
  } // namespace

  OT_REGISTER(Case, "navier_stokes", NavierStokesCase,
              "incompressible Navier-Stokes (Taylor-Hood, steady Newton or BDF), DFG/Womersley/stent cases")
} // namespace organtwin::flow
