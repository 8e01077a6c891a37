// The operations simulator's mechanics: conservation of citizens, busy time
// within rostered time plus overtime, skills respected, determinism across
// thread counts, common random numbers, snapshots, walking and seats.
#include <gtest/gtest.h>

#include <sstream>

#include "model/trace/trace_writer.hpp"
#include "sim/ops/replications.hpp"
#include "tests/ops/ops_test_hall.hpp"

namespace halltwin {
namespace {

using testing::queue_hall;
using testing::QueueHallSpec;

ops::RunResult run_one(const Hall& h, int days, std::uint64_t seed = 1, int rep = 1) {
  const ops::OpsModel model(h);
  ops::RunOptions o;
  o.seed = seed;
  o.replication = rep;
  o.days = days;
  o.start_date = h.start_date;
  return ops::simulate(model, o);
}

void expect_conservation(const ops::RunResult& r) {
  EXPECT_EQ(r.arrivals, r.served + r.served_self + r.abandoned + r.balked + r.no_show + r.inside_at_end);
  EXPECT_EQ(r.pickup_visits, r.pickups + r.pickups_inside_at_end);
  EXPECT_LE(r.busy_s, r.rostered_s + r.overtime_s + 1e-6);
  EXPECT_EQ(r.served_without_skill, 0u);
}

TEST(OpsEngineTest, ConservationAroundTheClock) {
  QueueHallSpec spec;
  spec.patience_mean_s = 300;
  const auto r = run_one(queue_hall(spec), 3);
  EXPECT_GT(r.arrivals, 10000u);
  EXPECT_GT(r.abandoned, 0u);
  expect_conservation(r);
}

TEST(OpsEngineTest, ConservationOfficeHoursWithWalkingAndSeats) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.walking = true;
  spec.arrivals_per_h = 200;  // above capacity (180/h), nobody gives up: people stand, staff stay late
  const auto r = run_one(queue_hall(spec), 5);
  expect_conservation(r);
  EXPECT_EQ(r.inside_at_end, 0u);  // the last shift serves everyone holding a ticket
  EXPECT_GT(r.kpis.values[std::size_t(kpi::Kpi::max_waiting_standing)], 0.0);
  EXPECT_GT(r.overtime_s, 0.0);
}

// Utilisation by hour (the report's plot) splits exactly the busy and rostered
// time of each window: the hourly sums give the totals, no hour holds more than
// its length per day, and office hours leave the night empty.
TEST(OpsEngineTest, BusyAndRosteredByHourAddUpToTheTotals) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.walking = true;
  spec.arrivals_per_h = 150;
  const auto r = run_one(queue_hall(spec), 2);
  ASSERT_FALSE(r.kpis.by_window.empty());
  for (const auto& w : r.kpis.by_window) {
    double busy = 0.0, rostered = 0.0;
    for (std::size_t h = 0; h < 24; ++h) {
      busy += w.busy_by_hour_s[h], rostered += w.rostered_by_hour_s[h];
      EXPECT_LE(w.busy_by_hour_s[h], 3600.0 * 2 + 1e-6);  // at most the whole hour on each of the two days
    }
    EXPECT_NEAR(busy, w.busy_s, 1e-6 * std::max(1.0, w.busy_s));
    EXPECT_NEAR(rostered, w.rostered_s, 1e-6 * std::max(1.0, w.rostered_s));
    EXPECT_GT(w.busy_s, 0.0);
    EXPECT_EQ(w.rostered_by_hour_s[2], 0.0);  // 02:00-03:00: the hall is closed
    EXPECT_EQ(w.busy_by_hour_s[2], 0.0);
    EXPECT_GT(w.rostered_by_hour_s[10], 0.0);
    EXPECT_NEAR(w.rostered_by_hour_s[12], w.rostered_by_hour_s[10] / 2, 1e-6);  // the 12:00-12:30 break
  }
}

TEST(OpsEngineTest, SameSeedSameResultWhateverTheThreads) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.walking = true;
  spec.patience_mean_s = 1200;
  const Hall h = queue_hall(spec);
  const ops::OpsModel model(h);
  ops::ReplicationPlan plan;
  plan.base.days = 2;
  plan.base.start_date = h.start_date;
  plan.base.seed = 42;
  plan.replications = 4;
  plan.threads = 1;
  const auto a = ops::run_replications(model, plan);
  plan.threads = 2;
  const auto b = ops::run_replications(model, plan);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].kpis.values, b[i].kpis.values);
    EXPECT_EQ(a[i].kpis.events, b[i].kpis.events);
  }
  EXPECT_NE(a[0].kpis.values, a[1].kpis.values);  // replications differ
}

TEST(OpsEngineTest, TraceIsValidAndDeterministic) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.walking = true;
  spec.arrivals_per_h = 150;
  spec.patience_mean_s = 1200;
  const Hall h = queue_hall(spec);
  const ops::OpsModel model(h);
  auto trace = [&]() {
    std::ostringstream out;
    TraceHeader th;
    th.source = "halltwin run";
    th.start_date = h.start_date;
    TraceWriter w(out, th);
    ops::RunOptions o;
    o.days = 1;
    o.start_date = h.start_date;
    o.seed = 9;
    ops::simulate(model, o, &w);
    w.flush();
    return out.str();
  };
  const std::string t1 = trace(), t2 = trace();
  EXPECT_EQ(t1, t2);
  EXPECT_NE(t1.find(",called,"), std::string::npos);
  EXPECT_NE(t1.find(",seated,"), std::string::npos);
  EXPECT_NE(t1.find(",shift_start,"), std::string::npos);
}

TEST(OpsEngineTest, CommonRandomNumbersKeepTheCitizens) {
  // One more window changes the service stream of that window only: the
  // same citizens arrive (same arrival count and matters).
  QueueHallSpec spec;
  spec.around_the_clock = false;
  const auto a = run_one(queue_hall(spec), 2, 5);
  spec.windows = 4;
  const auto b = run_one(queue_hall(spec), 2, 5);
  EXPECT_EQ(a.arrivals, b.arrivals);
  EXPECT_LT(b.kpis.values[std::size_t(kpi::Kpi::wait_mean_s)],
            a.kpis.values[std::size_t(kpi::Kpi::wait_mean_s)]);
}

TEST(OpsEngineTest, SnapshotAtTenThirtyAccountsForEveryone) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.walking = true;
  spec.arrivals_per_h = 165;
  const Hall h = queue_hall(spec);
  const ops::OpsModel model(h);
  ops::RunOptions o;
  o.days = 1;
  o.start_date = h.start_date;
  o.stop_at_s = 10.5 * 3600;
  const auto r = ops::simulate(model, o);
  ASSERT_TRUE(r.snapshot);
  EXPECT_EQ(r.snapshot->time_s, 10.5 * 3600);
  int staff = 0, citizens = 0;
  for (const auto& p : r.snapshot->persons) {
    (p.kind == EntityKind::staff ? staff : citizens)++;
    EXPECT_GE(p.position.x, 0.0);
    EXPECT_LE(p.position.x, 30.0);
    EXPECT_GE(p.position.y, 0.0);
    EXPECT_LE(p.position.y, 20.0);
  }
  EXPECT_EQ(staff, 3);
  EXPECT_GT(citizens, 3);
}

TEST(OpsEngineTest, SkillsRestrictWhoServesWhat) {
  // Two matters, window 1 only has the skill for M1; M2 demand must go to window 2.
  QueueHallSpec spec;
  spec.windows = 2;
  Hall h = queue_hall(spec);
  Matter m2;
  m2.id = "M2";
  h.matters.push_back(m2);
  for (auto& w : h.windows) w.matters = {MatterId{0}, MatterId{1}};
  h.operations.services[0].share = 0.5;
  MatterService s2 = h.operations.services[0];
  s2.matter = MatterId{1};
  h.operations.services.push_back(s2);
  h.operations.roster.staff[0].skills = {MatterId{0}};
  h.operations.demand.mean_per_h = 60;
  const auto r = run_one(h, 1);
  expect_conservation(r);
  EXPECT_GT(r.kpis.by_window[1].served, 0u);
  // Window 1 served only M1: its count is at most M1's.
  EXPECT_LE(r.kpis.by_window[0].served, r.kpis.by_matter[0].served);
}

}  // namespace
}  // namespace halltwin
