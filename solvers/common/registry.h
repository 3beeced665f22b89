#pragma once
// Registration of models by name (MOOSE-style): a model is one .cc file with one
// OT_REGISTER line; decks choose it by name; nothing else has to change.
//
//   OT_REGISTER(organtwin::ionic::IonicModel, "MitchellSchaeffer", MitchellSchaeffer)
//
// The class must be default-constructible and have a static
//   void declare_parameters(dealii::ParameterHandler &prm)
// that declares its entries inside the subsection the caller has entered.

#include <deal.II/base/parameter_handler.h>

#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace organtwin
{
  template <class Base>
  class Registry
  {
  public:
    struct Entry
    {
      std::function<std::unique_ptr<Base>()>          create;
      std::function<void(dealii::ParameterHandler &)> declare_parameters;
      std::string                                     description;
    };

    static bool
    add(const std::string &name, Entry entry)
    {
      auto &e = entries();
      if (e.count(name) != 0)
        throw std::logic_error("model name registered twice: " + name);
      e.emplace(name, std::move(entry));
      return true;
    }

    static bool
    has(const std::string &name)
    {
      return entries().count(name) != 0;
    }

    /// Names, sorted, for messages and pattern lists.
    static std::vector<std::string>
    names()
    {
      std::vector<std::string> n;
      for (const auto &[k, v] : entries())
        n.push_back(k);
      return n;
    }

    /// "A|B|C" for dealii::Patterns::Selection.
    static std::string
    selection()
    {
      std::string s;
      for (const auto &n : names())
        s += (s.empty() ? "" : "|") + n;
      return s;
    }

    static const Entry &
    get(const std::string &name)
    {
      const auto it = entries().find(name);
      if (it == entries().end())
        {
          std::ostringstream msg;
          msg << "\"" << name << "\" is unknown; registered: ";
          bool first = true;
          for (const auto &n : names())
            {
              msg << (first ? "" : ", ") << n;
              first = false;
            }
          throw std::invalid_argument(msg.str());
        }
      return it->second;
    }

    static std::unique_ptr<Base>
    create(const std::string &name)
    {
      return get(name).create();
    }

  private:
    static std::map<std::string, Entry> &
    entries()
    {
      static std::map<std::string, Entry> e;
      return e;
    }
  };
} // namespace organtwin

#define OT_REGISTER_CAT2(a, b) a##b
#define OT_REGISTER_CAT(a, b) OT_REGISTER_CAT2(a, b)
/// Register class Class under string name Name for base class Base.
#define OT_REGISTER(Base, Name, Class, Description)                         \
  namespace                                                                 \
  {                                                                         \
    const bool OT_REGISTER_CAT(ot_registered_, __LINE__) =                  \
      ::organtwin::Registry<Base>::add(                                     \
        Name,                                                               \
        {[]() -> std::unique_ptr<Base> { return std::make_unique<Class>(); }, \
         [](dealii::ParameterHandler &prm) { Class::declare_parameters(prm); }, \
         Description});                                                     \
  }
