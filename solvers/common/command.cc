#include <solvers/common/command.h>

#include <map>
#include <stdexcept>

namespace organtwin
{
  namespace
  {
    std::map<std::string, Command> &
    commands()
    {
      static std::map<std::string, Command> c;
      return c;
    }
  } // namespace

  bool
  register_command(Command c)
  {
    auto &m = commands();
    if (m.count(c.name) != 0)
      throw std::logic_error("command registered twice: " + c.name);
    const std::string n = c.name;
    m.emplace(n, std::move(c));
    return true;
  }

  const Command *
  find_command(const std::string &name)
  {
    const auto it = commands().find(name);
    return it == commands().end() ? nullptr : &it->second;
  }

  std::vector<const Command *>
  registered_commands()
  {
    std::vector<const Command *> v;
    for (const auto &[k, c] : commands())
      v.push_back(&c);
    return v;
  }
} // namespace organtwin
