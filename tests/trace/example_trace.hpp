#pragma once
// The example trace of docs/trace-format.md: one citizen's visit to the
// village hall (scenarios/village.yaml) on its first morning, with the staff
// member who serves them. The golden test holds its exact CSV text and the
// documentation test checks that the doc shows the same text.
#include <string>
#include <vector>

#include "model/trace/trace_event.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin::test {

inline TraceHeader example_header() {
  TraceHeader h;
  h.scenario = "清水塘村便民服务站";
  h.scenario_file = "scenarios/village.yaml";
  h.source = "halltwin run";
  h.seed = 42;
  h.replication = 1;
  h.start_date = "2026-03-02";
  h.sample_interval_s = 2.0;
  return h;
}

inline std::vector<TraceEvent> example_events() {
  using T = EventType;
  auto citizen = [](double t, EventType type, Vec2 at) {
    TraceEvent e;
    e.time_s = t;
    e.type = type;
    e.entity = "C0001";
    e.kind = EntityKind::citizen;
    e.position = at;
    e.floor = "F1";
    return e;
  };
  std::vector<TraceEvent> v;

  TraceEvent shift;
  shift.time_s = 30600.0;  // 08:30
  shift.type = T::shift_start;
  shift.entity = "S01";
  shift.kind = EntityKind::staff;
  shift.window = "V01";
  shift.position = Vec2{2.6, 6.9};
  shift.floor = "F1";
  v.push_back(shift);
  TraceEvent open = shift;
  open.type = T::window_open;
  open.position.reset();
  open.floor.clear();
  v.push_back(open);

  v.push_back(citizen(30842.5, T::entered, {5.9, 0.3}));
  v.back().door = "D-MAIN";
  v.push_back(citizen(30842.5, T::walk_start, {5.9, 0.3}));
  v.back().device = "DEV-HELP";
  v.push_back(citizen(30844.0, T::position, {4.58, 0.65}));
  v.push_back(citizen(30846.0, T::position, {3.24, 1.0}));
  v.push_back(citizen(30847.8, T::ticket_issued, {1.7, 1.4}));
  v.back().ticket = "A001";
  v.back().matter = "M01";
  v.back().device = "DEV-HELP";
  v.push_back(citizen(30847.8, T::walk_start, {1.7, 1.4}));
  v.back().ticket = "A001";
  v.back().seat = "S-A-1";
  v.push_back(citizen(30848.0, T::position, {1.938, 1.433}));
  v.push_back(citizen(30850.0, T::position, {4.315, 1.767}));
  v.push_back(citizen(30852.0, T::position, {6.691, 2.1}));
  v.push_back(citizen(30852.6, T::seated, {7.4, 2.2}));
  v.back().ticket = "A001";
  v.back().seat = "S-A-1";
  v.push_back(citizen(30990.0, T::called, {7.4, 2.2}));
  v.back().ticket = "A001";
  v.back().matter = "M01";
  v.back().window = "V01";
  v.back().staff = "S01";
  v.push_back(citizen(30990.0, T::walk_start, {7.4, 2.2}));
  v.back().ticket = "A001";
  v.back().window = "V01";
  v.push_back(citizen(30992.0, T::position, {5.308, 3.377}));
  v.push_back(citizen(30994.0, T::position, {3.216, 4.553}));
  v.push_back(citizen(30994.6, T::service_start, {2.6, 4.9}));
  v.back().ticket = "A001";
  v.back().matter = "M01";
  v.back().window = "V01";
  v.back().staff = "S01";
  v.push_back(v.back());
  v.back().time_s = 31294.6;
  v.back().type = T::service_end;
  v.push_back(citizen(31294.6, T::walk_start, {2.6, 4.9}));
  v.back().door = "D-MAIN";
  v.push_back(citizen(31296.0, T::position, {3.539, 3.506}));
  v.push_back(citizen(31298.0, T::position, {4.879, 1.516}));
  v.push_back(citizen(31299.5, T::left, {5.9, 0.0}));
  v.back().door = "D-MAIN";
  return v;
}

// What TraceWriter writes for example_header() and example_events().
inline const std::string kExampleCsv =
    "#format,halltwin-trace/2\n"
    "#scenario,清水塘村便民服务站\n"
    "#scenario_file,scenarios/village.yaml\n"
    "#source,halltwin run\n"
    "#seed,42\n"
    "#replication,1\n"
    "#start_date,2026-03-02\n"
    "#sample_interval_s,2\n"
    "day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor\n"
    "0,30600.000,shift_start,S01,staff,,,V01,,,,,2.600,6.900,F1\n"
    "0,30600.000,window_open,S01,staff,,,V01,,,,,,,\n"
    "0,30842.500,entered,C0001,citizen,,,,,,D-MAIN,,5.900,0.300,F1\n"
    "0,30842.500,walk_start,C0001,citizen,,,,,,,DEV-HELP,5.900,0.300,F1\n"
    "0,30844.000,position,C0001,citizen,,,,,,,,4.580,0.650,F1\n"
    "0,30846.000,position,C0001,citizen,,,,,,,,3.240,1.000,F1\n"
    "0,30847.800,ticket_issued,C0001,citizen,A001,M01,,,,,DEV-HELP,1.700,1.400,F1\n"
    "0,30847.800,walk_start,C0001,citizen,A001,,,,S-A-1,,,1.700,1.400,F1\n"
    "0,30848.000,position,C0001,citizen,,,,,,,,1.938,1.433,F1\n"
    "0,30850.000,position,C0001,citizen,,,,,,,,4.315,1.767,F1\n"
    "0,30852.000,position,C0001,citizen,,,,,,,,6.691,2.100,F1\n"
    "0,30852.600,seated,C0001,citizen,A001,,,,S-A-1,,,7.400,2.200,F1\n"
    "0,30990.000,called,C0001,citizen,A001,M01,V01,S01,,,,7.400,2.200,F1\n"
    "0,30990.000,walk_start,C0001,citizen,A001,,V01,,,,,7.400,2.200,F1\n"
    "0,30992.000,position,C0001,citizen,,,,,,,,5.308,3.377,F1\n"
    "0,30994.000,position,C0001,citizen,,,,,,,,3.216,4.553,F1\n"
    "0,30994.600,service_start,C0001,citizen,A001,M01,V01,S01,,,,2.600,4.900,F1\n"
    "0,31294.600,service_end,C0001,citizen,A001,M01,V01,S01,,,,2.600,4.900,F1\n"
    "0,31294.600,walk_start,C0001,citizen,,,,,,D-MAIN,,2.600,4.900,F1\n"
    "0,31296.000,position,C0001,citizen,,,,,,,,3.539,3.506,F1\n"
    "0,31298.000,position,C0001,citizen,,,,,,,,4.879,1.516,F1\n"
    "0,31299.500,left,C0001,citizen,,,,,,D-MAIN,,5.900,0.000,F1\n";

}  // namespace halltwin::test
