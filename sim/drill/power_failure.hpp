#pragma once
// Power failure (docs/drill.md "Power failure"): the queue system and the
// lighting go down. The service side is the outage drill with the plan's
// fallback (it_failure.hpp); a zone stays dark when it contains no
// `emergency_light` fitting, or when the design emergency illuminance it
// states (its own or its floor's) is below the minimum the rulebook's
// `emergency_illuminance_min` rule sets for its type (the checker's reading,
// sim/check/emergency_lighting.hpp); the evacuation at the trigger time runs
// with walking speeds x speed_factor.
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/drill/drill_result.hpp"
#include "sim/drill/it_failure.hpp"
#include "sim/ops/ops_model.hpp"

namespace halltwin::drill {

struct DarkZone {
  std::string zone;  // id
  std::string why;   // "no emergency light", or "2.0 lx < 3.0 lx"
};
// The zones that stay dark, in file order. Throws InputError for a rulebook
// whose illuminance rule has wrong parameters.
std::vector<DarkZone> unlit_zones(const Hall& hall, const Rulebook& book);

// The dark zones, then the outage of the window services and the evacuation
// at the plan's speed factor. A trace gets the day with the outage
// (replication 1), as the IT failure drill writes it.
void power_failure_drill(const Hall& hall, const Rulebook& book, const ops::OpsModel& model,
                         const EmergencyPlan& plan, const DayOptions& o, DrillResult& out,
                         const DrillTrace* trace = nullptr);

}  // namespace halltwin::drill
