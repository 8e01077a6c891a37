#include "model/operations.hpp"

#include <numeric>

namespace halltwin {

double Distribution::mean() const {
  if (kind == Kind::empirical)
    return values_s.empty() ? 0.0
                            : std::accumulate(values_s.begin(), values_s.end(), 0.0) /
                                  static_cast<double>(values_s.size());
  return mean_s;
}

std::string_view name(Weekday d) {
  static constexpr std::string_view kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  return kNames[static_cast<int>(d)];
}

std::string_view name(Distribution::Kind k) {
  static constexpr std::string_view kNames[] = {"exponential", "lognormal", "gamma", "empirical",
                                                "deterministic"};
  return kNames[static_cast<int>(k)];
}

std::string_view name(QueueDiscipline q) {
  return q == QueueDiscipline::per_matter ? "per_matter" : "per_group";
}

std::string_view name(CallingPolicy p) {
  static constexpr std::string_view kNames[] = {"fifo", "priority", "longest_wait", "appointments_first"};
  return kNames[static_cast<int>(p)];
}

}  // namespace halltwin
