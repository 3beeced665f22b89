#pragma once
// Sub-commands of the organtwin executable beyond run/cell/params (e.g. "pk",
// "cipa"). A command lives in its own .cc file of the library and registers
// itself with one line, so the front end never has to be edited:
//
//   OT_REGISTER_COMMAND("pk", "organtwin pk --compound FILE ... --out DIR",
//                       "one-line whole-body PBPK run", run_pk_command)
//
// The function receives the arguments after the command name and the world
// communicator; it returns the exit status (0 success). It throws InputError
// (solvers/common/parameters.h) for bad input (exit 1) and any other
// std::exception for a failed run (exit 2); the front end prints both.

#include <mpi.h>

#include <functional>
#include <string>
#include <vector>

namespace organtwin
{
  struct Command
  {
    std::string name;     ///< first word on the command line
    std::string synopsis; ///< one usage line for --help
    std::string summary;  ///< one sentence for --help
    std::function<int(const std::vector<std::string> &args, MPI_Comm comm)> run;
  };

  /// Register a command; throws std::logic_error if the name is taken.
  bool register_command(Command c);
  /// The command of this name, or nullptr.
  const Command *find_command(const std::string &name);
  /// All registered commands, sorted by name.
  std::vector<const Command *> registered_commands();
} // namespace organtwin

#define OT_COMMAND_CONCAT_(a, b) a##b
#define OT_COMMAND_CONCAT(a, b) OT_COMMAND_CONCAT_(a, b)
#define OT_REGISTER_COMMAND(name, synopsis, summary, function)                                          \
  namespace                                                                                            \
  {                                                                                                    \
    const bool OT_COMMAND_CONCAT(ot_command_registered_, __LINE__) =                                   \
      organtwin::register_command(organtwin::Command{name, synopsis, summary, function});              \
  }
