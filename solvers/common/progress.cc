#include <solvers/common/progress.h>

#include <cstdio>

namespace organtwin
{
  ProgressReporter::ProgressReporter(dealii::ConditionalOStream &out, const std::string &tag, double end_time,
                                     double interval_seconds)
    : out(out)
    , tag(tag)
    , end_time(end_time)
    , interval(interval_seconds)
    , start(std::chrono::steady_clock::now())
    , last(start)
  {}

  void
  ProgressReporter::update(double t, unsigned long step, const std::string &extra)
  {
    const auto   now     = std::chrono::steady_clock::now();
    const double since   = std::chrono::duration<double>(now - last).count();
    const bool   at_end  = t >= end_time * (1 - 1e-12);
    if (interval <= 0 || (!at_end && since < interval))
      return;
    last                = now;
    const double wall   = std::chrono::duration<double>(now - start).count();
    const double frac   = end_time > 0 ? t / end_time : 1.;
    const double remain = frac > 0 ? wall * (1 - frac) / frac : 0.;
    char         buf[256];
    std::snprintf(buf, sizeof(buf), "[%s] t= %9.3f/%.3f ms (%5.1f%%)  step %lu  wall %.1f s  left ~%.1f s  %s",
                  tag.c_str(), t, end_time, 100 * frac, step, wall, remain, extra.c_str());
    out << buf << std::endl;
  }
} // namespace organtwin
