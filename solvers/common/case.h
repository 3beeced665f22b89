#pragma once
// A case type is a runnable problem (a "Problem type" in a deck): single cell,
// monodomain, ... It declares the complete deck it reads and runs it.

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <solvers/common/registry.h>

#include <string>

namespace organtwin
{
  struct RunContext
  {
    std::string deck_file;     ///< deck path, for messages and the summary
    MPI_Comm    comm;          ///< communicator of the run
    int         verbosity = 1; ///< 0 silent, 1 a line per output step, 2 solver detail
  };

  class Case
  {
  public:
    virtual ~Case() = default;
    /// prm has been declared with the class' declare_parameters and parsed.
    virtual void run(dealii::ParameterHandler &prm, const RunContext &ctx) = 0;
  };

  using CaseRegistry = Registry<Case>;
} // namespace organtwin
