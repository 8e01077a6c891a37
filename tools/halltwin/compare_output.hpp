#pragma once
// The outputs of `halltwin compare`: the text summary and the JSON document
// (docs/compare.md); the HTML page is report_html.hpp.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/compare/comparison.hpp"

namespace halltwin::cli {

// What every scenario of the comparison was run with.
struct CompareRun {
  int replications = 0, days = 0;
  std::uint64_t seed = 0;
  std::string start_date, rulebook;
  double wall_s = 0.0;
};

// "[1] county.yaml", "[2] county-department-windows.yaml": the file names (the
// variants of one hall usually share its name).
std::vector<std::string> scenario_labels(const std::vector<std::string>& files);

std::string compare_text(const std::vector<compare::ScenarioOutcome>& outcomes,
                         const std::vector<std::string>& labels, const compare::Comparison& c,
                         const CompareRun& run);

nlohmann::json compare_json(const std::vector<compare::ScenarioOutcome>& outcomes, const compare::Comparison& c,
                            const CompareRun& run);

}  // namespace halltwin::cli
