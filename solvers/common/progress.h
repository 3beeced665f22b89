#pragma once
// Progress line on rank 0 for long runs:
//   [ep] t=  12.50/50.00 ms (25.0%)  step 250  wall 3.2 s  left ~9.6 s  ksp 5

#include <deal.II/base/conditional_ostream.h>

#include <chrono>
#include <string>

namespace organtwin
{
  class ProgressReporter
  {
  public:
    ProgressReporter(dealii::ConditionalOStream &out, const std::string &tag, double end_time,
                     double interval_seconds);
    /// Print a line if interval_seconds of wall time passed since the last one (or at the end).
    void update(double t, unsigned long step, const std::string &extra = "");

  private:
    dealii::ConditionalOStream                     &out;
    std::string                                     tag;
    double                                          end_time, interval;
    std::chrono::steady_clock::time_point           start, last;
  };
} // namespace organtwin
