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
} // namespace organtwin::ionic
