#pragma once
// The `emergencies` section of a scenario (format 6, docs/scenario-format.md
// "emergencies", docs/drill.md): the hall's emergency plans (应急预案), each
// a named drill with its kind, trigger time, response and the promises the
// plan makes ("everyone out within 4 min"). `halltwin drill` simulates one
// plan and gives a verdict per promise.
#include <optional>
#include <string>
#include <vector>

namespace halltwin {

enum class EmergencyKind { it_failure, power_failure, fire, gas_leak, sudden_illness, epidemic, crowd_surge };

// What a plan promises, each measured by the drill (docs/drill.md "Promises").
enum class PromiseKind {
  everyone_out,             // "everyone out": evacuation time (RSET), min          (fire, gas-leak, power-failure)
  out_before_aset,          // "out before aset": ASET - RSET margin >= 0, s        (fire, gas-leak, power-failure)
  service_resumes,          // "service resumes": queue back to its no-outage level after the outage, min
  wait_p90_during_outage,   // "wait p90 during outage": tickets issued in the outage, min
  wait_mean_during_outage,  // "wait mean during outage": tickets issued in the outage, min
  abandoned_during_outage,  // "abandoned during outage": citizens who gave up, persons
  aed_within,               // "aed within": staff walk to the nearest AED from the worst point, min
  first_aid_within,         // "first aid within": the same to the nearest first-aid kit, min
  stretcher_out_within,     // "stretcher out within": worst point to the nearest exit on a stretcher, min
  unlit_zones,              // "unlit zones": zones without an emergency light, count
  wait_p90,                 // "wait p90": the day's p90 wait under the epidemic measures, min
  turned_away,              // "turned away": walk-ins refused at the door per day, persons
  peak_occupancy,           // "peak occupancy": citizens inside at the busiest moment, persons
  fresh_air_per_person,     // "fresh air per person": supply / persons at the peak, m3/(h person), at least
  group_at_target,          // "group at target": the surge's last member at the target, min      (crowd-surge)
  peak_density_lobby,       // "peak density lobby": persons/m2 in the lobby zone                  (crowd-surge)
  peak_density_windows,     // "peak density windows": persons/m2 in the window_area zones         (crowd-surge)
  peak_density_target,      // "peak density target": persons/m2 in the target                     (crowd-surge)
  exit_routes_clear,        // "exit routes clear": persons/m2 on the safety exits' approaches     (crowd-surge)
};

struct EmergencyPromise {
  PromiseKind kind = PromiseKind::everyone_out;
  std::string text;     // as written in the file ("everyone out")
  double limit = 0.0;   // in the promise's unit (min, persons, zones); out_before_aset: 0
  std::string unit;     // "min", "persons", "zones", "s", "m3/h per person", "persons/m2"
  bool at_least = false;  // a lower bound (fresh air per person); every other promise is an upper bound
  int line = 0;
};

enum class FallbackMode { manual_tickets, paper_intake, close };

struct EmergencyPlan {
  std::string name;
  EmergencyKind kind = EmergencyKind::it_failure;
  std::optional<double> at_s;  // trigger, seconds since 00:00 of the drill's day (`at: "HH:MM"`)
  int line = 0, at_line = 0;

  // it-failure, power-failure: what is down, for how long, and the windows' fallback.
  std::string target;           // it-failure: a platform element id or kind (queue-server, extranet, ...);
                                // crowd-surge: a zone id, window id or window row the group heads for
  double duration_min = 0.0;
  FallbackMode fallback = FallbackMode::close;
  double service_factor = 1.0;   // x service time during the outage (paper-intake, manual-tickets)
  double call_overhead_s = 0.0;  // manual-tickets: added to each service during the outage
  std::vector<std::string> windows;  // window ids or window rows affected; empty = all

  // fire, gas-leak, power-failure: the `evacuation` section's closures that
  // apply (ids of its blocked doors and hazard zones); all_closures: every one.
  bool all_closures = true;
  std::vector<std::string> blocked, hazards;
  double speed_factor = 1.0;  // power-failure: walking speed under emergency lighting

  // sudden-illness: the responder's walking speed and the stretcher's, m/s.
  double staff_speed_mps = 1.5, stretcher_speed_mps = 1.0;

  // epidemic: citizens inside at most (0: no cap), walk-ins refused, seats
  // usable only this far apart (0: every seat).
  int occupancy_cap = 0;
  bool appointment_only = false;
  double seat_spacing_m = 0.0;

  // crowd-surge: `group_size` persons come in by `door` (in the outer wall),
  // due evenly over `arrival_spread_s` (0: all at once), and head for
  // `target` (a zone id, a window id or a window row); the run lasts
  // `duration_s`. `lobby`: the zone measured as the lobby (default: the zone
  // the door opens into). `clear_exits`: the safety exits whose approaches
  // must stay clear (default: every safety exit of the door's floor).
  int group_size = 0;
  std::string door, lobby;
  double arrival_spread_s = 0.0, duration_s = 180.0;
  std::vector<std::string> clear_exits;

  std::vector<EmergencyPromise> promises;
};

struct Emergencies {
  bool present = false;
  std::vector<EmergencyPlan> plans;
  const EmergencyPlan* find(const std::string& name) const {
    for (const auto& p : plans)
      if (p.name == name) return &p;
    return nullptr;
  }
};

}  // namespace halltwin
