// The whole citizen journey (issue 7): priority classes against Cobham's
// formula, appointments' punctuality and no-shows read back from the trace,
// balking, groups, self-service, back office and pickups, recalls, extended
// hours and handover, and the department-window county against the
// comprehensive one.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>

#include "model/scenario_loader.hpp"
#include "model/trace/trace_reader.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/ops/replications.hpp"
#include "tests/ops/ops_test_hall.hpp"

namespace halltwin {
namespace {

using testing::queue_hall;
using testing::QueueHallSpec;

std::vector<ops::RunResult> replicate(const Hall& h, int reps, int days, std::uint64_t seed = 5) {
  const ops::OpsModel model(h);
  ops::ReplicationPlan plan;
  plan.base.days = days;
  plan.base.start_date = h.start_date;
  plan.base.seed = seed;
  plan.replications = reps;
  plan.threads = 2;
  return ops::run_replications(model, plan);
}

void expect_conservation(const ops::RunResult& r) {
  EXPECT_EQ(r.arrivals, r.served + r.served_self + r.abandoned + r.balked + r.no_show + r.inside_at_end);
  EXPECT_EQ(r.pickup_visits, r.pickups + r.pickups_inside_at_end);
  EXPECT_LE(r.busy_s, r.rostered_s + r.overtime_s + 1e-6);
  EXPECT_EQ(r.served_without_skill, 0u);
}

double erlang_c(int c, double a) {
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  return b / (1.0 - a / c * (1.0 - b));
}

// A weekday profile of `per_block` citizens every 30 min from 09:00 to 16:30.
void office_profile(Hall& h, double per_block) {
  Demand& d = h.operations.demand;
  d.kind = Demand::Kind::profile;
  d.block_min = 30;
  d.profile_start_s = 9 * 3600;
  for (int wd = 0; wd < 5; ++wd) d.arrivals_per_block[wd].assign(15, per_block);
}

TEST(JourneyTest, PriorityClassesFollowCobham) {
  // M/M/3, rho = 0.9, 30% priority citizens, every window calls them first.
  QueueHallSpec spec;
  spec.windows = 3;
  spec.service_mean_s = 60.0;
  spec.arrivals_per_h = 162.0;
  Hall h = queue_hall(spec);
  h.operations.demand.priority_share = 0.3;
  h.operations.roster.calling = CallingPolicy::priority;
  const auto runs = replicate(h, 20, 8);
  const double mu = 1.0 / 60.0, lambda = 162.0 / 3600.0, c = 3;
  const double l1 = 0.3 * lambda;
  const double pc = erlang_c(3, lambda / mu);
  const double s1 = l1 / (c * mu), s2 = lambda / (c * mu);
  const double w1 = pc / (c * mu * (1.0 - 0.0) * (1.0 - s1));
  const double w2 = pc / (c * mu * (1.0 - s1) * (1.0 - s2));
  for (int cls : {0, 1}) {
    std::vector<double> w;
    for (const auto& r : runs) {
      const auto& t = r.kpis.by_class[cls];
      w.push_back(t.wait_sum_s / static_cast<double>(t.served));
    }
    const auto e = kpi::estimate(w);
    const double expected = cls == 1 ? w1 : w2;
    EXPECT_LE(*e.ci95_low, expected) << "class " << cls << " mean " << e.mean;
    EXPECT_GE(*e.ci95_high, expected) << "class " << cls << " mean " << e.mean;
  }
  EXPECT_LT(w1, w2);
  for (const auto& r : runs) expect_conservation(r);
}

TEST(JourneyTest, AppointmentPunctualityAndNoShowsReadBackFromTheTrace) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.windows = 4;
  spec.service_mean_s = 240.0;
  Hall h = queue_hall(spec);
  office_profile(h, 25.0);
  Appointments ap;
  ap.share = 0.4;
  ap.slot_min = 30;
  ap.punctuality_mean_s = -120.0;
  ap.punctuality_sd_s = 240.0;
  ap.no_show_rate = 0.15;
  h.operations.demand.appointments = ap;
  h.operations.roster.calling = CallingPolicy::appointments_first;
  const ops::OpsModel model(h);
  std::map<std::string, double> slot, came;
  double open_s = h.operations.roster.open_s;
  for (int day = 0; day < 5; ++day) {
    std::ostringstream out;
    TraceHeader th;
    th.source = "halltwin run";
    th.start_date = h.start_date;
    {
      TraceWriter w(out, th);
      ops::RunOptions o;
      o.days = 1;
      o.start_date = h.start_date;
      o.seed = 100 + day;
      const auto r = ops::simulate(model, o, &w);
      expect_conservation(r);
    }
    std::istringstream in(out.str());
    TraceReader reader(in, "trace");
    TraceEvent e;
    while (reader.next(e)) {
      const std::string key = std::to_string(day) + e.entity;
      if (e.type == EventType::appointment) slot[key] = e.time_s;
      if (e.type == EventType::entered) came[key] = e.time_s;
    }
  }
  // Slots starting at opening are left out: arrivals before opening wait at the door.
  double n = 0, no_show = 0, late_sum = 0, late_n = 0;
  for (const auto& [who, t] : slot) {
    if (t <= open_s) continue;
    ++n;
    auto it = came.find(who);
    if (it == came.end()) {
      ++no_show;
      continue;
    }
    late_sum += it->second - t;
    ++late_n;
  }
  ASSERT_GT(n, 100);
  const double rate = no_show / n;
  EXPECT_NEAR(rate, ap.no_show_rate, 3.0 * std::sqrt(ap.no_show_rate * (1 - ap.no_show_rate) / n));
  EXPECT_NEAR(late_sum / late_n, ap.punctuality_mean_s, 3.0 * ap.punctuality_sd_s / std::sqrt(late_n));
}

TEST(JourneyTest, BalkingGroupsSelfServiceAndPickupsAreCountedOnce) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.walking = true;
  spec.windows = 2;
  spec.service_mean_s = 300.0;
  Hall h = queue_hall(spec);
  office_profile(h, 20.0);  // 40/h against 24/h of capacity: crowds build, people balk
  Device kiosk;
  kiosk.id = "K1";
  kiosk.kind = DeviceKind::self_service_kiosk;
  kiosk.floor = FloorId{0};
  kiosk.position = {25, 3};
  h.devices.push_back(kiosk);
  Device desk;
  desk.id = "G1";
  desk.kind = DeviceKind::guide_desk;
  desk.floor = FloorId{0};
  desk.position = {8, 3};
  h.devices.push_back(desk);
  auto& svc = h.operations.services[0];
  SelfService self;
  self.share = 0.2;
  self.service_time.kind = Distribution::Kind::exponential;
  self.service_time.mean_s = 120;
  svc.self_service = self;
  BackOffice bo;
  bo.share = 0.5;
  bo.duration.kind = Distribution::Kind::deterministic;
  bo.duration.mean_s = 3600;
  bo.pickup_share = 1.0;
  bo.pickup_delay.kind = Distribution::Kind::deterministic;
  bo.pickup_delay.mean_s = 600;
  bo.pickup_time.kind = Distribution::Kind::deterministic;
  bo.pickup_time.mean_s = 60;
  svc.backoffice = bo;
  GuideDesk gd;
  gd.share = 0.3;
  gd.service_time.kind = Distribution::Kind::exponential;
  gd.service_time.mean_s = 45;
  h.operations.demand.guide_desk = gd;
  Groups g;
  g.share = 0.2;
  g.size_min = 2;
  g.size_max = 3;
  h.operations.demand.groups = g;
  Balking b;
  b.curve = {{5, 0.0}, {20, 0.8}};
  h.operations.demand.balking = b;
  h.operations.roster.no_answer_rate = 0.05;
  const auto runs = replicate(h, 6, 3);
  double arrivals = 0;
  for (const auto& r : runs) {
    expect_conservation(r);
    EXPECT_GT(r.balked, 0u);
    EXPECT_GT(r.served_self, 0u);
    EXPECT_GT(r.pickups, 0u);
    EXPECT_GT(r.no_show, 0u);
    arrivals += static_cast<double>(r.arrivals);
  }
  // Groups change how citizens come, not how many: 300 a day expected.
  const double per_day = arrivals / (6 * 3);
  EXPECT_NEAR(per_day, 300.0, 4.0 * std::sqrt(300.0 * 1.5 / 18.0));
}

TEST(JourneyTest, ExtendedHoursAndExtendedOnlyStaff) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  Hall h = queue_hall(spec);
  office_profile(h, 20.0);
  // Wednesday (2026-03-04) runs to 19:00 with demand to 18:30 and an evening member.
  h.operations.demand.arrivals_per_block[2].assign(19, 20.0);
  Roster::Extension x;
  x.weekday = Weekday::wed;
  x.close_s = 19 * 3600;
  x.ticket_stop_s = 18.5 * 3600;
  h.operations.roster.extended_hours.push_back(x);
  h.operations.roster.shifts.push_back(Shift{"evening", {16 * 3600, 19 * 3600}, {}});
  StaffMember ev;
  ev.id = "S-EV";
  ev.window = WindowId{0};
  ev.shift = 1;
  ev.days = h.operations.roster.open_days;
  ev.extended_only = true;
  h.operations.roster.staff.push_back(ev);
  h.operations.roster.staff[0].days[2] = true;
  const auto runs = replicate(h, 8, 5);
  double wed = 0, tue = 0;
  for (const auto& r : runs) {
    expect_conservation(r);
    const auto& by_day = r.kpis.by_day;
    ASSERT_EQ(by_day.size(), 5u);
    wed += by_day.at("2026-03-04")[std::size_t(kpi::Kpi::arrivals)];
    tue += by_day.at("2026-03-03")[std::size_t(kpi::Kpi::arrivals)];
  }
  // Wednesday takes tickets two more hours: 80 more citizens expected (sd of the mean difference ~9).
  EXPECT_GT((wed - tue) / 8.0, 50.0);
}

TEST(JourneyTest, HandoverAvoidsOvertimeAtAShiftChange) {
  QueueHallSpec spec;
  spec.around_the_clock = false;
  spec.windows = 2;
  spec.service_mean_s = 600.0;
  Hall h = queue_hall(spec);
  office_profile(h, 5.0);
  Roster& r = h.operations.roster;
  r.shifts = {Shift{"am", {8.75 * 3600, 13 * 3600}, {}}, Shift{"pm", {13 * 3600, 17 * 3600}, {}}};
  r.staff.clear();
  for (int w = 0; w < 2; ++w)
    for (std::uint32_t sh : {0u, 1u}) {
      StaffMember s;
      s.id = "S" + std::to_string(w) + (sh ? "pm" : "am");
      s.window = WindowId{static_cast<std::uint32_t>(w)};
      s.shift = sh;
      s.days = r.open_days;
      r.staff.push_back(s);
    }
  auto overtime = [&](bool handover) {
    r.handover = handover;
    r.handover_gap_s = 60;
    double sum = 0;
    for (const auto& res : replicate(h, 6, 5)) {
      expect_conservation(res);
      sum += res.overtime_s;
    }
    return sum;
  };
  const double without = overtime(false), with = overtime(true);
  EXPECT_GT(without, 0.0);
  EXPECT_LT(with, without);
}

TEST(JourneyTest, DepartmentWindowsWaitLongerThanComprehensiveOnTheSameDemand) {
  auto waits = [](const char* file) {
    const Hall h = load_scenario(std::string(HALLTWIN_SOURCE_DIR) + "/" + file);
    std::vector<double> w;
    for (const auto& r : replicate(h, 6, 3, 9)) {
      expect_conservation(r);
      w.push_back(r.kpis.values[std::size_t(kpi::Kpi::wait_mean_s)]);
    }
    return w;
  };
  const auto comprehensive = waits("scenarios/county.yaml");
  const auto department = waits("scenarios/county-department-windows.yaml");
  // Paired by replication (common random numbers: the same citizens).
  std::vector<double> diff;
  for (std::size_t i = 0; i < comprehensive.size(); ++i) diff.push_back(department[i] - comprehensive[i]);
  const auto e = kpi::estimate(diff);
  EXPECT_GT(*e.ci95_low, 0.0) << "department minus comprehensive mean wait: " << e.mean << " s";
}

}  // namespace
}  // namespace halltwin
