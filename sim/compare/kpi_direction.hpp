#pragma once
// Which way is better for each KPI, so a comparison can say "better" or
// "worse" rather than "higher" or "lower". Counts that only describe demand
// (arrivals, self-served, pickups) and utilisation (high is efficient for the
// hall, low is comfortable for the staff) are neutral: a verdict never rests
// on them.
#include "sim/kpi/kpi.hpp"

namespace halltwin::compare {

enum class Direction { lower_is_better, higher_is_better, neutral };

constexpr Direction direction(kpi::Kpi k) {
  using kpi::Kpi;
  switch (k) {
    case Kpi::served:
    case Kpi::within_target_rate:
      return Direction::higher_is_better;
    case Kpi::arrivals:
    case Kpi::served_self:
    case Kpi::pickups:
    case Kpi::utilization:
      return Direction::neutral;
    default:  // waits, abandoned, no-shows, balked, rates of loss, overtime, crowding
      return Direction::lower_is_better;
  }
}

// +1 when a difference `variant - baseline` of `delta` is an improvement, -1 a
// deterioration, 0 for no change or a neutral KPI.
constexpr int improvement_sign(kpi::Kpi k, double delta) {
  const Direction d = direction(k);
  if (d == Direction::neutral || delta == 0.0) return 0;
  const bool up = delta > 0.0;
  return (up == (d == Direction::higher_is_better)) ? 1 : -1;
}

}  // namespace halltwin::compare
