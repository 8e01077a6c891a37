#pragma once
// Halls for the operations simulator's tests, built in code: a rectangle
// with c windows serving one matter, the queueing sections filled directly
// (no scenario file), so each test states exactly the model it checks.
#include "model/hall.hpp"

namespace halltwin::testing {

struct QueueHallSpec {
  int windows = 3;
  double service_mean_s = 60.0;
  Distribution::Kind service_kind = Distribution::Kind::exponential;
  double service_cv = 1.0;
  double arrivals_per_h = 162.0;  // constant rate (a sinusoid with amplitude 0)
  double amplitude_per_h = 0.0;
  double period_h = 24.0;
  std::optional<double> patience_mean_s;
  bool around_the_clock = true;  // open 00:00-24:00 all days, one 24 h shift per window
  bool walking = false;
};

inline Hall queue_hall(const QueueHallSpec& spec) {
  Hall h;
  h.source_file = "<test>";
  h.format = "halltwin-scenario/2";
  h.name = "test hall";
  h.start_date = "2026-03-02";
  Floor f;
  f.id = "F1";
  f.boundary = {{0, 0}, {30, 0}, {30, 20}, {0, 20}};
  h.floors.push_back(f);
  Door d;
  d.id = "D1";
  d.kind = DoorKind::entrance_exit;
  d.floor = FloorId{0};
  d.opening = {{12, 0}, {14, 0}};
  d.clear_width_m = 2;
  h.doors.push_back(d);
  Matter m;
  m.id = "M1";
  m.name = "matter";
  h.matters.push_back(m);
  for (int i = 0; i < spec.windows; ++i) {
    Window w;
    w.id = "W" + std::to_string(i + 1);
    w.floor = FloorId{0};
    w.position = {1.0 + 28.0 * (i + 0.5) / spec.windows, 17.0};
    w.matters = {MatterId{0}};
    h.windows.push_back(w);
  }
  for (int i = 0; i < 20; ++i) {
    Seat s;
    s.id = "S-" + std::to_string(i + 1);
    s.floor = FloorId{0};
    s.position = {5.0 + i, 8.0};
    h.seats.push_back(s);
  }
  Device t;
  t.id = "T1";
  t.kind = DeviceKind::ticket_machine;
  t.floor = FloorId{0};
  t.position = {13, 3};
  h.devices.push_back(t);

  Operations& ops = h.operations;
  ops.present = true;
  MatterService svc;
  svc.matter = MatterId{0};
  svc.share = 1.0;
  svc.service_time.kind = spec.service_kind;
  svc.service_time.mean_s = spec.service_mean_s;
  svc.service_time.cv = spec.service_cv;
  ops.services.push_back(svc);
  ops.demand.kind = Demand::Kind::sinusoid;
  ops.demand.mean_per_h = spec.arrivals_per_h;
  ops.demand.amplitude_per_h = spec.amplitude_per_h;
  ops.demand.period_h = spec.period_h;
  if (spec.patience_mean_s) {
    Distribution p;
    p.kind = Distribution::Kind::exponential;
    p.mean_s = *spec.patience_mean_s;
    ops.demand.patience = p;
  }
  Roster& r = ops.roster;
  if (spec.around_the_clock) {
    r.open_s = 0;
    r.close_s = r.ticket_stop_s = 86400;
    r.open_days = {true, true, true, true, true, true, true};
    r.shifts.push_back(Shift{"all", {0, 86400}, {}});
  } else {
    r.open_s = 9 * 3600;
    r.close_s = 17 * 3600;
    r.ticket_stop_s = 16.5 * 3600;
    r.shifts.push_back(Shift{"day", {8.75 * 3600, 17 * 3600}, {{12 * 3600, 12.5 * 3600}}});
  }
  for (int i = 0; i < spec.windows; ++i) {
    StaffMember s;
    s.id = "S" + std::to_string(i + 1);
    s.window = WindowId{static_cast<std::uint32_t>(i)};
    s.shift = 0;
    s.days = r.open_days;
    r.staff.push_back(s);
  }
  ops.targets.wait_s = 600;
  ops.walking.enabled = spec.walking;
  ops.walking.seat_limit = spec.walking;
  return h;
}

}  // namespace halltwin::testing
