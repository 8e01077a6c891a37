#pragma once
// IT failure and the service side of a power failure (docs/drill.md "IT
// failure"): the operations day of the drill's date run twice per
// replication with the same random numbers, once as usual and once with the
// plan's outage as a disruption of the windows (sim/ops/disruption.hpp);
// the difference is the outage's alone. Measures the waits of the tickets
// issued during the outage, the citizens who gave up, the longest queue and
// the time after the outage until the queue is back to its no-outage level.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "sim/drill/drill_result.hpp"
#include "sim/drill/drill_trace.hpp"
#include "sim/ops/disruption.hpp"
#include "sim/ops/ops_model.hpp"

namespace halltwin::drill {

struct DayOptions {
  std::uint64_t seed = 1;
  int replications = 1;
  int threads = 1;
  std::string date;             // YYYY-MM-DD: the drill's day (an open day)
  std::optional<double> at_s;   // --at: overrides the plan's trigger, seconds since 00:00
  std::string at_label;         // as written, for messages
};

// "Back to the no-outage level": the outage's queue is within this many
// tickets (or 10% of the no-outage queue, whichever is larger) of the
// no-outage queue and stays so for kRecoveryHold_s.
inline constexpr double kRecoveryTolerance = 2.0;
inline constexpr double kRecoveryHold_s = 15 * 60.0;

// What an IT outage reaches when the scenario has a `platform` section
// (docs/drill.md "IT failure"): the element the plan's target names (by id,
// else the first of that kind) and the window services its outage touches,
// from the transactions' routes: the terminal, the LAN or the queue server
// touch every service; the extranet the matters with a transaction to a
// provincial-platform or datacenter host; a host (kiosk included) the
// matters with a transaction to it. Without a platform section the target is
// a label and every service is touched (`element` null, `every` true).
struct OutageReach {
  const PlatformElement* element = nullptr;
  bool every = true;                   // every window service (pickups included)
  std::vector<std::uint32_t> matters;  // otherwise: these matters' first visits (indices into hall.matters)
};
OutageReach outage_reach(const Hall& hall, const EmergencyPlan& plan);

// The plan's outage on the drill's day as an ops disruption (times absolute
// on day 0 of a run starting at o.date), its `matters` from outage_reach.
// Throws InputError for a date that is
// not an open day or an --at that puts the outage outside the opening hours.
ops::Disruption outage_disruption(const Hall& hall, const ops::OpsModel& model, const EmergencyPlan& plan,
                                  const DayOptions& o);

// Appends the outage's promises and KPIs to `out`; with a trace, writes
// replication 1 of the day with the outage to it. Throws InputError for a
// date that is not an open day or an --at that puts the outage outside it.
void outage_drill(const Hall& hall, const ops::OpsModel& model, const EmergencyPlan& plan, const DayOptions& o,
                  DrillResult& out, const DrillTrace* trace = nullptr);

}  // namespace halltwin::drill
