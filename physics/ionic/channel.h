#pragma once
// Fixed vocabulary of ion channels. Models map their conductances onto it so that
// drug block (Hill/IC50 scaling) is never model-specific.
#include <array>
#include <string>

namespace organtwin::ionic
{
  enum class Channel : unsigned int
  {
    INa,
    INaL,
    ICaL,
    Ito,
    IKr,
    IKs,
    IK1,
    INCX,
    INaK,
    IpCa,
    IpK,
    IbNa,
    IbCa,
    n_channels
  };

  constexpr unsigned int n_channels = static_cast<unsigned int>(Channel::n_channels);

  /// Names as used in decks and drug files ("INa", "ICaL", ...).
  const std::string &channel_name(Channel c);
  /// Inverse of channel_name; throws std::invalid_argument listing the valid names.
  Channel channel_from_name(const std::string &name);

  /// Multiplicative conductance factors per channel (1 = no block).
  using ChannelScale = std::array<double, n_channels>;
  ChannelScale no_block();

  /// Drug binding to the hERG (IKr) channel in the dynamic model of Li et al. 2017
  /// (Circ Arrhythm Electrophysiol 10:e004628): open and open-inactivated channels
  /// bind drug at rate Kmax Ku D^n / (D^n + halfmax), unbind at Ku (IObound with
  /// microscopic reversibility), and drug-bound channels can close around the drug
  /// (trapping, voltage midpoint Vhalf). Kmax = 0 means no drug.
  struct HergBinding
  {
    double Kmax             = 0.;  ///< [-] maximum drug effect
    double Ku_per_ms        = 0.;  ///< [1/ms] unbinding rate
    double n                = 1.;  ///< [-] Hill coefficient of binding
    double halfmax_nM_pow_n = 1.;  ///< [nM^n] half-maximal concentration to the power n
    double Vhalf_mV         = 0.;  ///< [mV] voltage midpoint of trapping
    double conc_nM          = 0.;  ///< [nM] drug concentration D
  };
} // namespace organtwin::ionic
