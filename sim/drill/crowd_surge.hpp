#pragma once
// Crowd surge (docs/drill.md "Crowd surge"): a group of `group_size` persons
// coming in by one door at once (or over `arrival_spread_s`) and heading for
// a target (a zone, or the standing places in front of a window group), among
// the people the operations day has in the hall at the trigger time, who stay
// where they are. The evacuation engine walks the group to the target
// (sim/evac EvacOptions::surge) and keeps them there, so the crowd builds up;
// the drill measures the peak density in the lobby, in the window area and in
// the target, the time until the whole group is at the target, and the
// density on the approach of each safety exit (does the exit route stay clear).
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/drill/drill_result.hpp"
#include "sim/drill/drill_trace.hpp"
#include "sim/drill/it_failure.hpp"

namespace halltwin::drill {

// Density is counted in square cells of this side (the evacuation engine's
// kDensityCell_m), over the part of each cell that is walkable and inside
// the region; a cell with less than kMinDensityArea_m2 of it is not counted
// (one body in a sliver of a cell is no crowd).
inline constexpr double kMinDensityArea_m2 = 1.0;
// The approach of a safety exit: the walkable floor inside the door, as deep
// as this and as wide as the door plus this on each side.
inline constexpr double kExitApproachDepth_m = 2.0;
inline constexpr double kExitApproachSide_m = 1.0;
// A zone target: walkers stop this far inside it (the first ones do not stand
// on its edge and block the rest).
inline constexpr double kZoneTargetInset_m = 0.5;
// A window target: the square (this half side) about each window's standing place.
inline constexpr double kWindowTargetHalf_m = 0.6;
// After the group's last member came in by a door, its approach is judged
// from this many seconds on (the arriving flow itself is not a blocked exit).
inline constexpr double kArrivalGrace_s = 5.0;

void crowd_surge_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, const DayOptions& o,
                       double cell_m, DrillResult& out, const DrillTrace* trace = nullptr);

}  // namespace halltwin::drill
