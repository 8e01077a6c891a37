#pragma once
// Emergency (egress) lighting as the checker reads it (docs/rules.md
// `lighting.emergency_illuminance`): the design illuminance a zone states
// (its own, else its floor's) and the minimum the rulebook sets for its type.
// The power-failure drill (sim/drill/power_failure.cpp) reads the same, so a
// zone the checker finds under-lit is also dark in the drill.
#include <map>
#include <optional>
#include <string>

#include "model/hall.hpp"
#include "model/rulebook.hpp"

namespace halltwin::check {

// The scenario's design minimum emergency illuminance of a zone, lux: the
// zone's `emergency_illuminance_lx`, else its floor's; none when neither states one.
std::optional<double> stated_emergency_illuminance_lx(const Hall& hall, const Zone& zone);

// The rulebook's minima: its first rule of kind `emergency_illuminance_min`.
struct EmergencyLightingMinimum {
  std::string rule_id;               // e.g. "lighting.emergency_illuminance"
  std::map<ZoneType, double> zone_lx;  // 0: the clause sets none for the type
  double stair_lx = 0.0;
};
// None when the rulebook has no such rule. Throws InputError (file, line,
// parameter) when the rule's parameters are wrong, as the checker would.
std::optional<EmergencyLightingMinimum> emergency_lighting_minimum(const Rulebook& book);

}  // namespace halltwin::check
