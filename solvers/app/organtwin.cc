// organtwin: command-line front end. Parses the command, the deck and the
// overrides, then runs the case type named by the deck's "Problem type".

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>
#include <deal.II/base/utilities.h>

#include <physics/ionic/ionic_model.h>
#include <solvers/common/case.h>
#include <solvers/common/command.h>
#include <solvers/common/parameters.h>
#include <solvers/common/version.h>

#include <petscsys.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using namespace organtwin;

namespace
{
  const char *usage = R"(organtwin - organ-level multiphysics finite-element solver

Usage:
  organtwin run <deck.prm|deck.json> [options]   run the case described by the deck
  organtwin cell <deck> [options]                same as run, for single-cell decks
  organtwin params <what>                        print a complete, documented default deck;
                                                 <what> is a problem type (%TYPES%)
                                                 or an ionic model (%MODELS%)
%COMMANDS%  organtwin --version                            version, git hash, build type
  organtwin --help                               this text

Options for run:
  -s <Section/Entry>=<value>   override one deck entry (repeatable), e.g.
                               -s "Time/Time step=0.01" -s "Output/Directory=out"
  -v <0|1|2>                   verbosity on rank 0 (default 1)
  --petsc "<options>"          PETSc options database entries, e.g. "-ep_ksp_type gmres"

Run in parallel with: mpirun -np N organtwin run deck.prm
Exit status: 0 success, 1 bad input (message names file, entry and what was expected),
2 a failure during the run (e.g. NaN in the solution).
)";

  std::string
  fill_usage()
  {
    std::string u = usage;
    auto        replace = [&](const std::string &key, const std::string &val) {
      const auto p = u.find(key);
      if (p != std::string::npos)
        u.replace(p, key.size(), val);
    };
    replace("%TYPES%", CaseRegistry::selection());
    replace("%MODELS%", ionic::IonicRegistry::selection());
    std::string cmds;
    for (const Command *c : registered_commands())
      cmds += "  " + c->synopsis + "\n      " + c->summary + "\n";
    replace("%COMMANDS%", cmds);
    return u;
  }

  void
  declare_problem_type(dealii::ParameterHandler &prm, const std::string &def)
  {
    prm.declare_entry("Problem type", def, dealii::Patterns::Selection(CaseRegistry::selection()),
                      "What to run. Registered problem types: " + CaseRegistry::selection());
  }

  /// First pass: read only "Problem type" from the deck and the overrides.
  std::string
  read_problem_type(const std::string &deck, const std::vector<std::string> &overrides)
  {
    dealii::ParameterHandler prm;
    prm.declare_entry("Problem type", "", dealii::Patterns::Anything(), "");
    {
      std::ifstream in(deck);
      if (!in)
        throw InputError(deck + ": cannot open the deck file (does it exist and is it readable?)");
    }
    try
      {
        if (deck.size() > 5 && deck.substr(deck.size() - 5) == ".json")
          {
            std::ifstream in(deck);
            prm.parse_input_from_json(in, true);
          }
        else
          prm.parse_input(deck, "", true, false);
      }
    catch (...)
      {
        // the strict second pass reports the syntax error with its line
      }
    std::string type = prm.get("Problem type");
    for (const auto &o : overrides)
      if (o.rfind("Problem type=", 0) == 0)
        type = o.substr(13);
    if (type.empty())
      throw InputError(deck + ": [Problem type] is missing; expected one of " + CaseRegistry::selection());
    if (!CaseRegistry::has(type))
      throw InputError(deck + ": [Problem type] = \"" + type + "\" is unknown; registered: " +
                       CaseRegistry::selection());
    return type;
  }

  int
  run(const std::vector<std::string> &args, MPI_Comm comm, bool cell_only)
  {
    std::string              deck;
    std::vector<std::string> overrides;
    int                      verbosity = 1;
    for (std::size_t i = 0; i < args.size(); ++i)
      {
        const std::string &a = args[i];
        auto               next = [&]() -> std::string {
          if (i + 1 >= args.size())
            throw InputError("command line: option " + a + " needs a value");
          return args[++i];
        };
        if (a == "-s" || a == "--set")
          overrides.push_back(next());
        else if (a == "-v")
          {
            const std::string v = next();
            if (v != "0" && v != "1" && v != "2")
              throw InputError("command line: -v " + v + ": expected 0, 1 or 2");
            verbosity = std::stoi(v);
          }
        else if (a == "--petsc")
          PetscOptionsInsertString(nullptr, next().c_str());
        else if (!a.empty() && a[0] == '-')
          throw InputError("command line: unknown option \"" + a + "\" (see organtwin --help)");
        else if (deck.empty())
          deck = a;
        else
          throw InputError("command line: more than one deck given (\"" + deck + "\" and \"" + a + "\")");
      }
    if (deck.empty())
      throw InputError("command line: no deck given (usage: organtwin run <deck.prm>)");

    const std::string type = read_problem_type(deck, overrides);
    if (cell_only && type != "cell")
      throw InputError(deck + ": [Problem type] = \"" + type + "\", but 'organtwin cell' needs \"cell\"");

    dealii::ParameterHandler prm;
    declare_problem_type(prm, type);
    CaseRegistry::get(type).declare_parameters(prm);
    Deck d(prm);
    d.parse_file(deck);
    d.apply_overrides(overrides);

    auto c = CaseRegistry::create(type);
    c->run(prm, RunContext{deck, comm, verbosity});
    return 0;
  }

  int
  params(const std::string &what)
  {
    dealii::ParameterHandler prm;
    if (CaseRegistry::has(what))
      {
        declare_problem_type(prm, what);
        CaseRegistry::get(what).declare_parameters(prm);
      }
    else if (ionic::IonicRegistry::has(what))
      {
        prm.enter_subsection("Ionic model");
        prm.declare_entry("Model", what, dealii::Patterns::Selection(ionic::IonicRegistry::selection()),
                          "Cell model. Registered: " + ionic::IonicRegistry::selection());
        prm.enter_subsection(what);
        ionic::IonicRegistry::get(what).declare_parameters(prm);
        prm.leave_subsection();
        prm.leave_subsection();
      }
    else
      throw InputError("command line: params \"" + what + "\" is unknown; expected a problem type (" +
                       CaseRegistry::selection() + ") or an ionic model (" +
                       ionic::IonicRegistry::selection() + ")");
    std::cout << "# OrganTwin " << version_string() << " (" << git_hash() << "): default deck for \"" << what
              << "\"\n# Units are given in brackets at the start of each entry's documentation.\n";
    print_default_deck(prm, std::cout);
    return 0;
  }
} // namespace

int
main(int argc, char **argv)
{
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help")
    {
      std::cout << fill_usage();
      return args.empty() ? 1 : 0;
    }
  if (args[0] == "--version")
    {
      std::cout << "organtwin " << version_string() << " git " << git_hash() << " build " << build_type()
                << " (deal.II " << DEAL_II_PACKAGE_VERSION << ")\n";
      return 0;
    }

  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const MPI_Comm comm = MPI_COMM_WORLD;
  const bool     root = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
  int            status = 0;
  try
    {
      const std::string              cmd = args[0];
      const std::vector<std::string> rest(args.begin() + 1, args.end());
      if (cmd == "run" || cmd == "cell")
        status = run(rest, comm, cmd == "cell");
      else if (cmd == "params")
        {
          if (rest.size() != 1)
            throw InputError("command line: usage: organtwin params <what>");
          if (root)
            status = params(rest[0]);
        }
      else if (const Command *c = find_command(cmd))
        status = c->run(rest, comm);
      else
        throw InputError("command line: unknown command \"" + cmd + "\" (see organtwin --help)");
    }
  catch (const InputError &e)
    {
      if (root)
        std::cerr << "\n----------------------------------------------------\n"
                  << "organtwin: error in the input\n  " << e.what()
                  << "\n----------------------------------------------------\n";
      status = 1;
    }
  catch (const std::exception &e)
    {
      if (root)
        std::cerr << "\n----------------------------------------------------\n"
                  << "organtwin: the run failed\n  " << e.what()
                  << "\n----------------------------------------------------\n";
      status = 2;
    }
  return status;
}
