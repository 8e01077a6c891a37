#pragma once
// Fire, hazardous gas, and the evacuation of a power failure (docs/drill.md
// "Fire and gas leak"): the building evacuation of sim/evac/building with the
// `evacuation` section's door closures and hazard zones the plan refers to
// (all of them, or the ones it lists: one definition, never repeated), from
// the people the operations day has in the hall at the trigger time.
#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/drill/drill_result.hpp"
#include "sim/drill/drill_trace.hpp"
#include "sim/drill/it_failure.hpp"

namespace halltwin::drill {

// speed_factor: x the walking speeds (a power failure: emergency lighting).
void evacuation_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, const DayOptions& o,
                      double speed_factor, DrillResult& out, const DrillTrace* trace = nullptr);

}  // namespace halltwin::drill
