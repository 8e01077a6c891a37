#pragma once
// Epidemic of respiratory disease (docs/drill.md "Epidemic"): the hall's day
// under the plan's measures against the same day without them (common random
// numbers): an occupancy cap at the door and, optionally, appointment-only
// admission (sim/ops/disruption.hpp Admission); seats spaced apart (the hall
// with only the usable seats: the walking model seats fewer, the rest stand);
// and the fresh air per person at the simulated peak against the supply.
#include <vector>

#include "model/hall.hpp"
#include "sim/drill/drill_result.hpp"
#include "sim/drill/drill_trace.hpp"
#include "sim/drill/it_failure.hpp"

namespace halltwin::drill {

// The reference fresh-air rate per person in public halls, m3/(h person)
// (GB/T 18883-2002, as the default rulebook's air.fresh_air rule).
inline constexpr double kFreshAirPerPerson_m3h = 30.0;

// The seats usable at `spacing_m`: taken greedily in the file's order, a seat
// is usable when no seat already usable on its floor lies closer than the
// spacing (indices into hall.seats). 0: every seat.
std::vector<std::size_t> usable_seats(const Hall& hall, double spacing_m);

// trace: replication 1 of the day under the measures.
void epidemic_drill(const Hall& hall, const EmergencyPlan& plan, const DayOptions& o, DrillResult& out,
                    const DrillTrace* trace = nullptr);

}  // namespace halltwin::drill
