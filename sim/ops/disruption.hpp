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

  bool covers(double t_s) const { return t_s >= from_s && t_s < to_s; }
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
};
struct RunObservation {
  double step_s = 60.0;
  // Tickets waiting in all queues at k x step_s (absolute), k = 0, 1, ...
  // up to the last event of the run.
  std::vector<std::uint32_t> waiting;
  std::vector<TicketRecord> tickets;  // first visits, in ticket order
};

}  // namespace halltwin::ops
