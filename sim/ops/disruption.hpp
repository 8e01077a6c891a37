#pragma once
// A disruption of the operations day (halltwin drill, docs/drill.md): for an
// interval some windows fall back to a degraded way of working because an IT
// system (queue server, extranet, provincial platform) or the power is down.
// Generic on purpose: it needs no model of the IT platform, so a drill works
// on any hall with operations; the platform co-simulation may produce the
// same intervals from its own outages.
//
// The engine's model of each mode (docs/drill.md "IT failure"):
//   close          windows call nobody during the interval; a citizen being
//                  served finishes; tickets keep being issued (by hand when
//                  the queue server is down), so queues grow and recover.
//   paper_intake   services started during the interval take
//                  service_factor x their drawn time (paper forms, data keyed
//                  in later).
//   manual_tickets the queue server is down: tickets are written by hand and
//                  numbers called out by voice; every call during the interval
//                  costs call_overhead_s more at the window (checking the hand
//                  ticket, waiting for the citizen to hear and come) on top of
//                  service_factor x the drawn service time.
// Service times are drawn exactly as without the disruption and then scaled,
// so a run with and without it share their random numbers (common random
// numbers: the difference is the disruption's alone).
//
// Affected matters (an IT outage on a hall with a `platform` section: only
// the services whose transactions reach the element that is down): with a
// non-empty `matters` each mode applies per visit. A visit is affected when
// its window is and it is a first visit of one of `matters`; pickup visits
// (back office) make no platform transactions and are never affected then.
//   close          an affected window calls no affected visit during the
//                  interval; it still calls the other tickets of its queues
//                  (the first unaffected ticket of each lane, by the calling
//                  policy as usual).
//   paper_intake, manual_tickets   only affected visits are scaled.
// With `matters` empty every visit at an affected window is affected, as
// before (the engine then runs exactly the code it ran before the field).
#include <algorithm>
#include <cstdint>
#include <vector>

namespace halltwin::ops {

enum class DisruptionMode : std::uint8_t { close, paper_intake, manual_tickets };

struct Disruption {
  double from_s = 0.0, to_s = 0.0;     // absolute: seconds since 00:00 of the run's start_date
  std::vector<std::uint32_t> windows;  // indices into hall.windows; empty = every window
  DisruptionMode mode = DisruptionMode::close;
  double service_factor = 1.0;  // x the drawn service time (paper_intake, manual_tickets)
  double call_overhead_s = 0.0;  // added to each service started during the interval (manual_tickets)
  // Indices into hall.matters whose first visits are affected; empty = every
  // visit (pickups included).
  std::vector<std::uint32_t> matters;

  bool covers(double t_s) const { return t_s >= from_s && t_s < to_s; }
  // Whether a visit of `matter` (a pickup or not) is affected, at an affected window.
  bool affects_visit(std::uint32_t matter, bool pickup) const {
    if (matters.empty()) return true;
    return !pickup && std::find(matters.begin(), matters.end(), matter) != matters.end();
  }
  bool affects(std::uint32_t window) const {
    if (windows.empty()) return true;
    for (std::uint32_t w : windows)
      if (w == window) return true;
    return false;
  }
};

// Admission at the door (an epidemic plan, docs/drill.md "Epidemic"): a
// walk-in (or a group) who would bring the citizens inside above `cap`, or
// any walk-in when only appointments are admitted, is turned away at the
// entrance: an arrival that leaves at once, counted as balked and as
// turned_away, never inside. Appointment holders are always admitted.
struct Admission {
  int cap = 0;  // citizens inside at most; 0 = no cap
  bool appointment_only = false;
};

// What a drill measures of a run (filled only when RunOptions::observe_step_s
// is set, so ordinary runs pay nothing).
struct TicketRecord {
  double ticket_s = 0.0;  // absolute time the ticket was issued
  double wait_s = -1.0;   // ticket to first call of a served first visit; < 0: not served
  bool abandoned = false;
  std::uint32_t matter = 0;  // index into hall.matters
};
struct RunObservation {
  double step_s = 60.0;
  // Tickets waiting in all queues at k x step_s (absolute), k = 0, 1, ...
  // up to the last event of the run.
  std::vector<std::uint32_t> waiting;
  std::vector<TicketRecord> tickets;  // first visits, in ticket order
};

}  // namespace halltwin::ops
