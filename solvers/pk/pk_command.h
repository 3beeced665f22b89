#pragma once
// The `organtwin pk` command, split so that tests and the deck form can call it.

#include <physics/pk/pbpk_model.h>
#include <solvers/pk/dosing.h>
#include <solvers/pk/pk_simulation.h>
#include <solvers/pk/population.h>

#include <mpi.h>

#include <string>
#include <vector>

namespace organtwin::pk
{
  struct PkRunOptions
  {
    bool               help = false;
    std::string        compound_file, out, dose_table;
    std::vector<Dose>  doses;
    Individual         who;
    ModelOptions       model;
    double             ps_cell = 0.;
    SimulationSettings sim;
    bool               population = false;
    PopulationSettings pop;
    bool               plot = true, log_plot = false;
    int                verbosity = 1;
    /// Extra files written into the result folder (name, content), e.g. the deck used.
    std::vector<std::pair<std::string, std::string>> extra_files;
  };

  /// Parse and check the command line (InputError naming the option).
  PkRunOptions parse_pk_arguments(const std::vector<std::string> &args);
  /// Run and write the results (see pk_command.cc).
  int run_pk(const PkRunOptions &o, MPI_Comm comm);
  int run_pk_command(const std::vector<std::string> &args, MPI_Comm comm);
} // namespace organtwin::pk
