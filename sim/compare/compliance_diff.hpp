#pragma once
// Which rules change status between scenarios: for every rule any scenario
// was checked against, its status and measured value in each scenario, and
// whether it differs from the first (the baseline). Rules are matched by id;
// a rule one scenario's check did not produce shows as absent.
#include <optional>
#include <string>
#include <vector>

#include "sim/check/finding.hpp"

namespace halltwin::compare {

struct RuleInScenario {
  std::optional<check::Status> status;  // absent: the check did not run or has no such rule
  std::optional<double> measured, required;
};

struct RuleChange {
  std::string rule, title, clause, unit;
  std::vector<RuleInScenario> by_scenario;  // by scenario index
  // Scenario indices whose status differs from the baseline's (index 0).
  std::vector<std::size_t> changed;
};

// `findings[i]`: scenario i's findings, absent when its check failed. Every
// rule is listed (changed or not), in the baseline's rule order, then rules
// only later scenarios have.
std::vector<RuleChange> compliance_diff(const std::vector<const std::vector<check::Finding>*>& findings);

}  // namespace halltwin::compare
