#pragma once
// A comparison of scenarios (`halltwin compare`): every scenario's KPIs with
// their 95% intervals, the paired difference of every later scenario against
// the first (the baseline), the compliance diff, the scorecards and a plain
// verdict line per pair. Pure computation on ScenarioOutcome; the CLI runs the
// engines and writes the outputs.
#include <array>
#include <string>
#include <vector>

#include "sim/compare/compliance_diff.hpp"
#include "sim/compare/paired_difference.hpp"
#include "sim/compare/scenario_outcome.hpp"
#include "sim/compare/scorecard.hpp"
#include "sim/kpi/kpi.hpp"

namespace halltwin::compare {

using KpiEstimates = std::array<kpi::Estimate, kpi::kKpiCount>;
using KpiDifferences = std::array<Difference, kpi::kKpiCount>;

struct PairComparison {
  std::size_t scenario = 0, against = 0;  // indices into the outcomes
  KpiDifferences kpis;                     // scenario minus against, paired by replication
  // Significant improvements / deteriorations among the key KPIs (wait_mean_s,
  // within_target_rate, abandon_rate, served, max_waiting_standing, balked).
  int better = 0, worse = 0;
  std::string verdict;                     // one plain sentence (several clauses)
};

struct Comparison {
  std::vector<KpiEstimates> estimates;      // by scenario; all-zero for a scenario whose run failed
  std::vector<PairComparison> differences;  // scenario k >= 1 against 0, when both ran
  std::vector<RuleChange> compliance;
  std::vector<Scorecard> scorecards;
  bool same_hall = true;  // every scenario describes the same building (name and level)
};

KpiEstimates estimates(const std::vector<kpi::KpiValues>& replications);
KpiDifferences differences(const std::vector<kpi::KpiValues>& baseline, const std::vector<kpi::KpiValues>& variant);

// `labels[i]`: how scenario i is named in verdicts (e.g. "[2] county-department-windows.yaml").
Comparison compare_outcomes(const std::vector<ScenarioOutcome>& outcomes, const std::vector<std::string>& labels);

// A KPI value or difference for people: rates in % (differences in
// percentage points), times in s or min, counts with one decimal.
std::string format_kpi(kpi::Kpi k, double v, bool difference = false);

}  // namespace halltwin::compare
