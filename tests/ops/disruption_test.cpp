// The engine's disruptions per matter (sim/ops/disruption.hpp, docs/drill.md
// "IT failure"): windows closed for some matters call the other matters'
// tickets, pickups go on when only first visits are held, and a window that
// is closed never keeps an open one from calling.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "model/scenario_loader.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/ops/simulation.hpp"
#include "tests/ops/ops_test_hall.hpp"

namespace halltwin {
namespace {

std::string source(const std::string& rel) { return std::string(HALLTWIN_SOURCE_DIR) + "/" + rel; }

// Every window of the two-matter platform hall serves both matters.
TEST(DisruptionMattersTest, WindowsClosedForOneMatterCallTheOthersTickets) {
  Hall h = load_scenario(source("tests/drill/two-matters-platform.yaml"));
  for (auto& w : h.windows) w.matters = {MatterId{0}, MatterId{1}};
  const ops::OpsModel model(h);
  ops::RunOptions o;
  o.start_date = h.start_date;
  o.observe_step_s = 60;
  ops::Disruption d;
  d.from_s = 10 * 3600.0, d.to_s = 10.5 * 3600.0;
  d.mode = ops::DisruptionMode::close;
  d.matters = {0};
  o.disruptions = {d};
  const auto r = ops::simulate(model, o);
  int a_during = 0, b_called = 0;
  for (const auto& t : r.observation->tickets) {
    if (t.wait_s < 0) continue;
    const double called = t.ticket_s + t.wait_s;
    const bool in = called >= d.from_s && called < d.to_s - 1e-9;
    if (t.matter == 0) {
      EXPECT_FALSE(in) << "MA called at " << called;
      a_during += t.ticket_s >= d.from_s && t.ticket_s < d.to_s;
    } else {
      b_called += in;
    }
  }
  EXPECT_GT(a_during, 30);  // about 1.6/min x 30 min MA tickets held
  EXPECT_GT(b_called, 30);  // MB's tickets called all along (about 1.6/min)
  o.disruptions.clear();
  EXPECT_EQ(r.served, ops::simulate(model, o).served);  // no abandonment: everyone served either way
}

// Pickups make no platform transactions: with a matter set they are never
// held, even when they queue with their matter (no pickup window). The county
// hall's pickup window is made an ordinary one; the first week's approvals
// (three days on average, then a day) come back for pickup on the second
// Monday, when every matter's first visits are held all day.
TEST(DisruptionMattersTest, PickupsGoOnWhenOnlyFirstVisitsAreHeld) {
  Hall h = load_scenario(source("scenarios/county.yaml"));
  for (auto& w : h.windows)
    if (w.kind == WindowKind::pickup) w.kind = WindowKind::comprehensive;
  const ops::OpsModel model(h);
  ASSERT_EQ(model.pickup_queue, ops::kNone);
  const double open = h.operations.roster.open_s, close = h.operations.roster.close_s;
  auto calls_on_monday = [&](std::vector<std::uint32_t> matters, int& pickups) {
    std::ostringstream out;
    TraceHeader th;
    th.source = "halltwin run";
    th.start_date = "2026-03-02";
    TraceWriter w(out, th);
    ops::RunOptions o;
    o.days = 8;
    o.start_date = "2026-03-02";  // Monday to the next Monday (day 7)
    ops::Disruption d;
    d.from_s = 7 * 86400.0 + open, d.to_s = 7 * 86400.0 + close;
    d.mode = ops::DisruptionMode::close;
    d.matters = std::move(matters);
    o.disruptions = {d};
    ops::simulate(model, o, &w);
    w.flush();
    std::istringstream in(out.str());
    int calls = 0;
    pickups = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("7,", 0) != 0 || line.find(",called,") == std::string::npos) continue;
      const double t = std::stod(line.substr(2));
      if (t < open || t >= close) continue;
      ++calls;
      pickups += line.find(",called,P") != std::string::npos;
    }
    return calls;
  };
  std::vector<std::uint32_t> all;
  for (std::uint32_t m = 0; m < h.matters.size(); ++m) all.push_back(m);
  int pickups = 0;
  const int calls = calls_on_monday(all, pickups);
  EXPECT_GT(pickups, 50);  // about 140
  EXPECT_EQ(calls, pickups);  // only pickups are called
  EXPECT_EQ(calls_on_monday({}, pickups), 0);  // every visit held: nobody is called
}

// A ticket that the longest-idle window may not call (closed) is called by an
// open idle window at once: three windows, two closed for two hours, light
// demand (30/h, 60 s services): the open window keeps the waits short.
TEST(DisruptionMattersTest, AClosedWindowNeverKeepsAnOpenOneFromCalling) {
  testing::QueueHallSpec spec;
  spec.windows = 3;
  spec.arrivals_per_h = 30;
  const Hall h = testing::queue_hall(spec);
  const ops::OpsModel model(h);
  ops::RunOptions o;
  o.start_date = h.start_date;
  o.observe_step_s = 60;
  ops::Disruption d;
  d.from_s = 10 * 3600.0, d.to_s = 12 * 3600.0;
  d.mode = ops::DisruptionMode::close;
  d.windows = {0, 1};
  o.disruptions = {d};
  const auto r = ops::simulate(model, o);
  double sum = 0;
  int n = 0;
  for (const auto& t : r.observation->tickets)
    if (t.ticket_s >= d.from_s && t.ticket_s < d.to_s - 1800 && t.wait_s >= 0) sum += t.wait_s, ++n;
  ASSERT_GT(n, 30);
  EXPECT_LT(sum / n, 300.0);  // M/M/1 at rho 0.5: Wq = 1 min; a stuck window would wait for the end
}

}  // namespace
}  // namespace halltwin
