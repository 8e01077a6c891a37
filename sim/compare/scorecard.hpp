#pragma once
// A scenario's scorecard: its service KPIs against its own `targets`, its
// compliance (rules failed and warned) and its evacuation margin, each item
// met or not, so an evaluator sees at a glance what each variant costs.
#include <optional>
#include <string>
#include <vector>

#include "sim/compare/scenario_outcome.hpp"
#include "sim/kpi/kpi.hpp"

namespace halltwin::compare {

struct ScoreItem {
  std::string item;  // "wait_mean_s", "within_target_rate", "abandon_rate", "max_waiting_standing",
                     // "compliance_fails", "evacuation_margin_s"
  std::string op;    // "<=" or ">="
  std::optional<double> limit;  // absent: no target stated (the item is shown, never failed)
  std::optional<double> value;  // absent: could not be measured (a failed run or check)
  std::optional<bool> met;      // absent when limit or value is absent
  std::string note;             // "no target stated", "no ASET stated", an error
};

struct Scorecard {
  std::vector<ScoreItem> items;
  int compliance_fails = -1, compliance_warns = -1;  // -1: the check did not run
  // true when no item is missed and nothing failed to run.
  bool passed = false;
};

// Service items are judged on the means over replications (as `halltwin
// run` does): wait_mean_s <= targets.wait_s, within_target_rate >=
// within_target_rate_min, abandon_rate <= abandon_rate_max,
// max_waiting_standing <= standing_max; compliance_fails <= 0; evacuation
// margin (ASET - evacuation time) >= 0 when an ASET is stated.
Scorecard make_scorecard(const ScenarioOutcome& s);

// Mean of a KPI over the replications (NaN values left out; NaN when none).
double kpi_mean(const ScenarioOutcome& s, kpi::Kpi k);

}  // namespace halltwin::compare
