// Playback of traces (model/trace/playback.hpp): states, positions, placement
// of people without positions, queues, density, KPIs and bad input. No
// graphics: runs in the lean build too.
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>
#include <sstream>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/playback.hpp"
#include "model/trace/trace_writer.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

using halltwin::testing::TempFile;

const Hall& mini_hall() {
  static const TempFile file(halltwin::testing::kMiniHall);
  static const Hall hall = load_scenario(file.path());
  return hall;
}

TraceHeader header(const std::string& scenario, const std::string& source = "halltwin run") {
  TraceHeader h;
  h.scenario = scenario;
  h.source = source;
  h.sample_interval_s = 1.0;
  return h;
}

TraceEvent ev(double t, EventType type, const std::string& who, EntityKind kind = EntityKind::citizen) {
  TraceEvent e;
  e.time_s = t;
  e.type = type;
  e.entity = who;
  e.kind = kind;
  return e;
}

TraceEvent at(TraceEvent e, Vec2 p) {
  e.position = p;
  e.floor = "F1";
  return e;
}

std::string write_trace(const TraceHeader& h, const std::vector<TraceEvent>& events) {
  std::ostringstream out;
  TraceWriter w(out, h);
  for (const TraceEvent& e : events) w.write(e);
  w.close();
  return out.str();
}

TEST(Playback, RecordedWalkIsInterpolatedAndTheStateFollowsTheViewColumn) {
  auto walk = at(ev(100, EventType::entered, "C1"), {1.8, 0.2});
  walk.door = "D1";
  auto pos = at(ev(102, EventType::position, "C1"), {1.8, 2.2});
  auto tk = at(ev(104, EventType::ticket_issued, "C1"), {3.8, 2.2});
  tk.ticket = "M1-001";
  tk.matter = "M1";
  auto left = at(ev(200, EventType::left, "C1"), {1.8, 0.2});
  left.door = "D1";
  TempFile f(write_trace(header("测试大厅"), {walk, pos, tk, left}), ".csv");
  std::vector<std::string> warnings;
  const Playback pb = Playback::load(mini_hall(), f.path(), warnings);
  ASSERT_EQ(pb.people().size(), 1u);
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(pb.state_at(0, 99.9), PersonState::gone);
  EXPECT_EQ(pb.state_at(0, 101), PersonState::walking);
  EXPECT_EQ(pb.state_at(0, 150), PersonState::waiting_standing);
  EXPECT_EQ(pb.state_at(0, 200), PersonState::gone);
  const PersonKeyframe k = pb.position_at(0, 101.0);
  EXPECT_NEAR(k.position.x, 1.8, 1e-9);
  EXPECT_NEAR(k.position.y, 1.2, 1e-9);  // half way between the samples
  const PersonKeyframe k2 = pb.position_at(0, 103.5);
  EXPECT_NEAR(k2.position.x, 3.3, 1e-9);
  // Waiting standing at (3.8, 2.2) until the walk out, timed at 1.2 m/s.
  EXPECT_NEAR(pb.position_at(0, 150).position.x, 3.8, 1e-9);
  std::vector<PersonAt> now;
  pb.people_at(150, now);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].state, PersonState::waiting_standing);
  pb.people_at(250, now);
  EXPECT_TRUE(now.empty());
}

// A real log: tickets, calls and services, no positions.
std::vector<TraceEvent> imported_day(const std::string& window = "W1") {
  std::vector<TraceEvent> v;
  for (int i = 0; i < 3; ++i) {
    auto t = ev(1000 + i, EventType::ticket_issued, "C" + std::to_string(i));
    t.ticket = "A00" + std::to_string(i);
    t.matter = "M1";
    v.push_back(t);
  }
  auto c = ev(1100, EventType::called, "C0");
  c.ticket = "A000";
  c.window = window;
  v.push_back(c);
  auto s = ev(1130, EventType::service_start, "C0");
  s.window = window;
  v.push_back(s);
  auto e = ev(1400, EventType::service_end, "C0");
  e.window = window;
  v.push_back(e);
  return v;
}

TEST(Playback, PeopleWithoutPositionsArePlacedAtAQueueSpotThenWalkToTheirWindow) {
  TempFile f(write_trace(header("测试大厅", "halltwin import"), imported_day()), ".csv");
  std::vector<std::string> warnings;
  const Playback pb = Playback::load(mini_hall(), f.path(), warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(pb.people().size(), 3u);
  const Polygon& waiting = mini_hall().zones[0].polygon;  // Z1, waiting
  std::vector<PersonAt> now;
  pb.people_at(1050, now);
  ASSERT_EQ(now.size(), 3u);
  for (const PersonAt& p : now) {
    EXPECT_EQ(p.state, PersonState::waiting_standing);
    EXPECT_TRUE(geom::contains(waiting, p.position)) << p.position.x << "," << p.position.y;
  }
  // Distinct spots: no two people on top of each other.
  EXPECT_GT(distance(now[0].position, now[1].position), 0.5);
  // At the window during service, exactly at its position.
  const Vec2 w1 = mini_hall().windows[0].position;
  EXPECT_LT(distance(pb.position_at(0, 1200).position, w1), 1e-9);
  EXPECT_EQ(pb.state_at(0, 1200), PersonState::at_window);
  // Smooth: just before service it is between the spot and the window, not jumping.
  const Vec2 spot = pb.position_at(0, 1050).position;
  const double walk_s = distance(spot, w1) / kPlacedWalkSpeed_mps;
  const Vec2 mid = pb.position_at(0, 1130 - 0.5 * walk_s).position;
  EXPECT_NEAR(distance(mid, spot), 0.5 * distance(spot, w1), 1e-6);
  // The log ends the visit at service_end: gone afterwards.
  EXPECT_EQ(pb.state_at(0, 1401), PersonState::gone);
}

TEST(Playback, UnknownIdsWarnWithFileAndLineAndThePersonIsStillShown) {
  TempFile f(write_trace(header("测试大厅", "halltwin import"), imported_day("X99")), ".csv");
  std::vector<std::string> warnings;
  const Playback pb = Playback::load(mini_hall(), f.path(), warnings);
  ASSERT_EQ(warnings.size(), 1u);  // once per id, not once per event
  EXPECT_NE(warnings[0].find(f.path() + ":14: warning: window 'X99'"), std::string::npos) << warnings[0];
  EXPECT_EQ(pb.state_at(0, 1200), PersonState::at_window);
  EXPECT_TRUE(geom::contains(mini_hall().floors[0].boundary, pb.position_at(0, 1200).position));
}

TEST(Playback, QueuesPerWindowAndKpisCountTheWaiting) {
  TempFile f(write_trace(header("测试大厅", "halltwin import"), imported_day()), ".csv");
  std::vector<std::string> warnings;
  const Playback pb = Playback::load(mini_hall(), f.path(), warnings, {.kpi_step_s = 10});
  // Both windows serve M1: three waiting at 1050; two once C0 is served (a
  // called ticket still waits in the view until its holder walks or is served).
  EXPECT_EQ(pb.queue_by_window(1050), (std::vector<int>{3, 3}));
  EXPECT_EQ(pb.queue_by_window(1200), (std::vector<int>{2, 2}));
  const KpiSeries& k = pb.kpis();
  ASSERT_EQ(k.t_s.front(), 1000.0);
  ASSERT_EQ(k.t_s.size(), 41u);  // 1000 .. 1400 every 10 s
  EXPECT_EQ(k.inside[5], 3.f);   // 1050
  EXPECT_EQ(k.waiting[5], 3.f);
  EXPECT_EQ(k.waiting[20], 2.f);  // 1200
  EXPECT_EQ(k.inside[20], 3.f);
  ASSERT_EQ(k.groups.size(), 2u);  // one per window (no rows, no roster groups)
  EXPECT_EQ(k.queue_by_group[0][5], 3.f);
}

TEST(Playback, DensityGridSumsToThePeoplePresent) {
  TempFile f(write_trace(header("测试大厅", "halltwin import"), imported_day()), ".csv");
  std::vector<std::string> warnings;
  const Playback pb = Playback::load(mini_hall(), f.path(), warnings);
  Vec2 origin;
  int cols = 0, rows = 0;
  const std::vector<float> d = pb.density(1050, FloorId{0}, 2.0, origin, cols, rows);
  EXPECT_EQ(cols, 6);
  EXPECT_EQ(rows, 4);
  EXPECT_NEAR(std::accumulate(d.begin(), d.end(), 0.0) * 4.0, 3.0, 1e-6);  // persons = density x cell area
}

TEST(Playback, EvacuationKeepsTheStuckAndCountsFlowPerExit) {
  auto p1 = at(ev(0, EventType::position, "E1", EntityKind::evacuee), {5, 2});
  auto p2 = at(ev(0, EventType::position, "E2", EntityKind::evacuee), {6, 2});
  auto s1 = at(ev(30, EventType::evac_start, "E1", EntityKind::evacuee), {5, 2});
  auto x1 = at(ev(40, EventType::exit, "E1", EntityKind::evacuee), {1.8, 0});
  x1.door = "D1";
  TraceHeader h = header("测试大厅", "halltwin evac");
  h.sample_interval_s = 0.5;
  TempFile f(write_trace(h, {p1, p2, s1, x1}), ".csv");
  std::vector<std::string> warnings;
  const Playback pb = Playback::load(mini_hall(), f.path(), warnings, {.kpi_step_s = 10});
  EXPECT_TRUE(pb.is_evacuation());
  EXPECT_EQ(pb.state_at(0, 10), PersonState::waiting_standing);  // pre-movement
  EXPECT_EQ(pb.state_at(0, 35), PersonState::evacuating);
  EXPECT_EQ(pb.state_at(1, 40), PersonState::waiting_standing);  // stuck: still shown
  const KpiSeries& k = pb.kpis();
  ASSERT_EQ(k.exits, (std::vector<std::string>{"D1"}));
  EXPECT_EQ(k.inside.front(), 2.f);
  EXPECT_EQ(k.inside.back(), 1.f);
  EXPECT_FLOAT_EQ(k.exit_flow_ppm[0].back(), 6.f);  // one person in 10 s = 6 per minute
}

TEST(Playback, ATraceOfAnotherHallIsRejectedWithFileAndLine) {
  TempFile f(write_trace(header("另一个大厅"), imported_day()), ".csv");
  std::vector<std::string> warnings;
  try {
    (void)Playback::load(mini_hall(), f.path(), warnings);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(f.path() + ":2:1: error: #scenario"), std::string::npos) << m;
    EXPECT_NE(m.find("另一个大厅"), std::string::npos) << m;
  }
}

TEST(Playback, AnImportedLogNamesItsMappingAndIsShownInAnyHall) {
  TempFile f(write_trace(header("Bank call center export", "halltwin import"), imported_day()), ".csv");
  std::vector<std::string> warnings;
  const Playback pb = Playback::load(mini_hall(), f.path(), warnings);
  EXPECT_EQ(pb.people().size(), 3u);
}

TEST(Playback, ADamagedTraceIsRejectedWithFileAndLine) {
  std::string text = write_trace(header("测试大厅", "halltwin import"), imported_day());
  text = halltwin::testing::replaced(text, "1100.000,called", "1100.000,calld");
  TempFile f(text, ".csv");
  std::vector<std::string> warnings;
  try {
    (void)Playback::load(mini_hall(), f.path(), warnings);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(f.path() + ":13:"), std::string::npos) << e.what();
  }
}

TEST(Playback, ViewTimesParseAndFormat) {
  EXPECT_EQ(parse_view_time("08:30"), 30600.0);
  EXPECT_EQ(parse_view_time("08:30:15"), 30615.0);
  EXPECT_EQ(parse_view_time("30600.5"), 30600.5);
  EXPECT_FALSE(parse_view_time("8h30"));
  EXPECT_FALSE(parse_view_time("25:00"));
  EXPECT_FALSE(parse_view_time("08:61"));
  EXPECT_FALSE(parse_view_time("-5"));
  EXPECT_FALSE(parse_view_time(""));
  EXPECT_EQ(format_view_time(30615.2), "08:30:15");
  EXPECT_EQ(format_view_time(86400 + 60), "+1d 00:01:00");
}

}  // namespace
}  // namespace halltwin
