#include <physics/ionic/ionic_model.h>
#include <solvers/common/parameters.h>

#include <stdexcept>

namespace organtwin::ionic
{
  namespace
  {
    const std::array<std::string, n_channels> names = {
      {"INa", "INaL", "ICaL", "Ito", "IKr", "IKs", "IK1", "INCX", "INaK", "IpCa", "IpK", "IbNa", "IbCa"}};
  }

  const std::string &
  channel_name(Channel c)
  {
    return names.at(static_cast<unsigned int>(c));
  }

  Channel
  channel_from_name(const std::string &name)
  {
    for (unsigned int i = 0; i < n_channels; ++i)
      if (names[i] == name)
        return static_cast<Channel>(i);
    std::string all;
    for (const auto &n : names)
      all += (all.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown channel \"" + name + "\"; known channels: " + all);
  }

  ChannelScale
  no_block()
  {
    ChannelScale s;
    s.fill(1.0);
    return s;
  }

  double
  IonicModel::total_current(const double *y) const
  {
    std::vector<double> dydt(n_states()), yinf(n_states()), tau(n_states());
    rhs(y, dydt.data(), yinf.data(), tau.data());
    return -dydt[0];
  }

  void
  IonicModel::set_herg_binding(const HergBinding &)
  {
    throw std::logic_error("ionic model " + name() +
                           " has no dynamic hERG model; block IKr by conductance scaling (IC50/Hill) instead");
  }

  unsigned int
  IonicModel::state_index(const std::string &state_name) const
  {
    const auto info = state_info();
    for (unsigned int i = 0; i < info.size(); ++i)
      if (info[i].name == state_name)
        return i;
    throw std::invalid_argument("ionic model " + name() + " has no state named \"" + state_name + "\"");
  }

  void
  declare_ionic_model_parameters(dealii::ParameterHandler &prm, const std::string &default_model)
  {
    prm.enter_subsection("Ionic model");
    prm.declare_entry("Model", default_model, dealii::Patterns::Selection(IonicRegistry::selection()),
                      "Cell model used at every point. Registered: " + IonicRegistry::selection());
    for (const auto &n : IonicRegistry::names())
      {
        prm.enter_subsection(n);
        IonicRegistry::get(n).declare_parameters(prm);
        prm.leave_subsection();
      }
    prm.leave_subsection();
  }

  std::unique_ptr<IonicModel>
  create_ionic_model(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Ionic model");
    const std::string name  = prm.get("Model");
    auto              model = IonicRegistry::create(name);
    prm.enter_subsection(name);
    try
      {
        model->parse_parameters(prm);
      }
    catch (...)
      {
        prm.leave_subsection();
        prm.leave_subsection();
        throw;
      }
    prm.leave_subsection();
    prm.leave_subsection();
    return model;
  }
} // namespace organtwin::ionic
