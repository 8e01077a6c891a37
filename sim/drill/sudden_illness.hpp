#pragma once
// Sudden illness (docs/drill.md "Sudden illness"): the walking time of a
// staff member from every point of the hall to the nearest AED and first-aid
// kit, on the checker's exact walking-distance fields (sim/check's
// CheckContext, the same fields as its facility rules), the worst point and
// its time, and the stretcher's way from that point to the nearest exit.
#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/drill/drill_result.hpp"

namespace halltwin::drill {

// cell_m: the raster of the fields (0: the checker's default).
void sudden_illness_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, double cell_m,
                          DrillResult& out);

}  // namespace halltwin::drill
