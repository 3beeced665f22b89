#pragma once
// Shared by the unit tests: the message of the InputError that a callable throws.
#include <solvers/common/parameters.h>

#include <string>

namespace organtwin::testing
{
  /// Message of the organtwin::InputError thrown by f(), "" if f returns normally. Any other
  /// exception propagates (and fails the test case).
  template <class F>
  std::string
  input_error_message(F &&f)
  {
    try
      {
        f();
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace organtwin::testing
