#pragma once
// The difference of a KPI between two scenarios over replications, with a
// 95% confidence interval (Student t).
//
// Paired (the comparison's estimator): replication r of every scenario uses
// the random streams of r (the same seed, streams keyed by source name,
// sim/ops/random_stream.hpp), so the differences d_r = variant_r - baseline_r
// are independent across r and their mean has the usual t interval. The
// citizens two variants share are the same, so most of the day-to-day noise
// cancels in d_r: that is why the paired interval is narrower than the
// interval of two independent samples (common random numbers; Law 2015,
// "Simulation Modeling and Analysis", sec. 11.2).
//
// Independent (Welch): for scenarios run with different seeds; kept to show,
// in a test, what common random numbers buy.
#include <optional>
#include <vector>

namespace halltwin::compare {

struct Difference {
  double mean = 0.0;                        // variant minus baseline, in the KPI's unit
  std::optional<double> ci95_low, ci95_high;  // absent with fewer than two pairs
  bool significant = false;                 // the interval excludes 0
  int pairs = 0;                            // replications used (both values finite)
  double half_width() const { return ci95_low ? (*ci95_high - *ci95_low) / 2.0 : 0.0; }
};

// Paired by index: baseline[r] and variant[r] come from replication r + 1.
// Pairs where either value is not finite (a KPI undefined in that
// replication, e.g. a mean wait with nobody served) are left out.
// Identical inputs give exactly 0 with the interval [0, 0].
Difference paired_difference(const std::vector<double>& baseline, const std::vector<double>& variant);

// Welch's interval for two independent samples (Welch-Satterthwaite degrees
// of freedom rounded down, which widens the interval slightly: conservative).
Difference independent_difference(const std::vector<double>& baseline, const std::vector<double>& variant);

}  // namespace halltwin::compare
