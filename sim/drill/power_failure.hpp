#pragma once
// Power failure (docs/drill.md "Power failure"): the queue system and the
// lighting go down. The service side is the outage drill with the plan's
// fallback (it_failure.hpp); the zones without emergency lighting are those
// that contain no `emergency_light` fitting (the checker's rule
// lighting.emergency_present counts the same fittings, per floor); and the
// evacuation at the trigger time runs with walking speeds x speed_factor.
#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/drill/drill_result.hpp"
#include "sim/drill/it_failure.hpp"
#include "sim/ops/ops_model.hpp"

namespace halltwin::drill {

// Zone ids without an emergency light inside them, in file order.
std::vector<std::string> unlit_zones(const Hall& hall);

void power_failure_drill(const Hall& hall, const Rulebook& book, const ops::OpsModel& model,
                         const EmergencyPlan& plan, const DayOptions& o, DrillResult& out);

}  // namespace halltwin::drill
