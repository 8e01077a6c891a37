#pragma once
// One drill of one emergency plan of a hall (halltwin drill, docs/drill.md):
// dispatches to the file of its kind and returns its promises with verdicts.
#include <optional>
#include <string>

#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/drill/drill_result.hpp"
#include "sim/drill/drill_trace.hpp"
#include "sim/drill/it_failure.hpp"

namespace halltwin::drill {

struct DrillOptions {
  DayOptions day;
  double cell_m = 0.0;  // raster of the walking-distance fields (sudden illness); 0 = the checker's
  // --trace of an evacuation (fire, gas leak), a crowd surge or an epidemic
  // day; an outage's trace is the CLI's (the day with the outage).
  DrillTrace trace;
};

// Throws InputError for what the plan or the options cannot run (a closed
// day, an --at outside the day, a hall without operations for a drill that
// needs them).
DrillResult run_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, const DrillOptions& o);

}  // namespace halltwin::drill
