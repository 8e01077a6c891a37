// The operations simulator on every bundled scenario file (scenarios/*.yaml,
// the benchmark and the verification halls), loader and engine together:
// conservation of citizens, busy time within rostered time plus overtime,
// nobody served without the skill, a trace the trace reader accepts; and the
// Erlang C mean wait of a verification file inside the 95% CI.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "model/scenario_loader.hpp"
#include "model/trace/trace_reader.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/ops/replications.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;

constexpr const char* kStart = "2026-01-05";  // a Monday, as `halltwin run` defaults to

std::vector<std::string> bundled_files() {
  std::vector<std::string> out;
  const fs::path root = fs::path(HALLTWIN_SOURCE_DIR) / "scenarios";
  for (const char* dir : {"", "benchmarks", "verification"})
    for (const auto& e : fs::directory_iterator(root / dir))
      if (e.is_regular_file() && e.path().extension() == ".yaml")
        out.push_back(fs::relative(e.path(), HALLTWIN_SOURCE_DIR).string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string start_of(const Hall& h) { return h.start_date.empty() ? kStart : h.start_date; }

class BundledHallTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BundledHallTest, ConservationOverTwoDaysAndTwoReplications) {
  const Hall hall = load_scenario(fs::path(HALLTWIN_SOURCE_DIR) / GetParam());
  const ops::OpsModel model(hall);
  ops::ReplicationPlan plan;
  plan.base.days = 2;
  plan.base.start_date = start_of(hall);
  plan.base.seed = 7;
  plan.replications = 2;
  plan.threads = 2;
  const auto runs = ops::run_replications(model, plan);
  ASSERT_EQ(runs.size(), 2u);
  for (const auto& r : runs) {
    EXPECT_GT(r.arrivals, 0u);
    EXPECT_EQ(r.arrivals, r.served + r.served_self + r.abandoned + r.balked + r.no_show + r.inside_at_end)
        << "served " << r.served << " abandoned " << r.abandoned << " inside " << r.inside_at_end;
    EXPECT_LE(r.busy_s, r.rostered_s + r.overtime_s + 1e-6);
    EXPECT_EQ(r.served_without_skill, 0u);
    EXPECT_EQ(r.pickup_visits, r.pickups + r.pickups_inside_at_end);
    EXPECT_EQ(r.dates.size(), 2u);
    EXPECT_EQ(r.kpis.inside_at_end, r.inside_at_end);
    // Every citizen who took a ticket is counted once in the by-matter tallies.
    std::uint64_t by_matter = 0;
    for (const auto& t : r.kpis.by_matter) by_matter += t.arrivals;
    EXPECT_EQ(by_matter, r.arrivals);
  }
}

TEST_P(BundledHallTest, OneDayTraceIsAcceptedByTheTraceReader) {
  const Hall hall = load_scenario(fs::path(HALLTWIN_SOURCE_DIR) / GetParam());
  const ops::OpsModel model(hall);
  ops::RunOptions o;
  o.days = 1;
  o.start_date = start_of(hall);
  o.seed = 7;
  TraceHeader th;
  th.scenario = hall.name;
  th.scenario_file = GetParam();
  th.source = "halltwin run";
  th.seed = o.seed;
  th.replication = 1;
  th.start_date = o.start_date;
  std::ostringstream out;
  ops::RunResult r;
  {
    TraceWriter w(out, th);
    r = ops::simulate(model, o, &w);
    w.flush();
  }
  std::istringstream in(out.str());
  TraceReader reader(in, GetParam());
  EXPECT_EQ(reader.header().source, "halltwin run");
  TraceEvent e;
  // The trace tells the same story as the counts (docs/trace-format.md,
  // "Deriving the KPIs"): first visits enter as C-entities, window services
  // end with a window, pickup visits (P-entities) end with `pickup`.
  std::uint64_t entered = 0, served = 0, pickups = 0, events = 0;
  try {
    while (reader.next(e)) {
      ++events;
      const bool first_visit = e.entity.starts_with("C");
      entered += e.type == EventType::entered && first_visit;
      served += e.type == EventType::service_end && first_visit && !e.window.empty();
      pickups += e.type == EventType::pickup;
    }
  } catch (const std::exception& ex) {
    FAIL() << ex.what();
  }
  EXPECT_GT(events, 0u);
  EXPECT_EQ(entered, r.arrivals);
  EXPECT_EQ(served, r.served);
  EXPECT_EQ(pickups, r.pickups);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, BundledHallTest, ::testing::ValuesIn(bundled_files()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

TEST(BundledDemandTest, ProfileBlocksBeforeOpeningArriveAtOpening) {
  // county.yaml: blocks from 08:30, 1200 expected a weekday, 46 of them in
  // 08:30-09:00, before the 09:00 opening. Those people wait at the door and
  // come in at opening: none is lost, nobody takes a ticket before 09:00.
  const Hall hall = load_scenario(fs::path(HALLTWIN_SOURCE_DIR) / "scenarios/county.yaml");
  const ops::OpsModel model(hall);
  ops::ReplicationPlan plan;
  plan.base.days = 20;  // 2026-03-02 .. 03-27: no month end, no date factor
  plan.base.start_date = "2026-03-02";
  plan.base.seed = 3;
  plan.replications = 2;
  plan.threads = 2;
  const auto runs = ops::run_replications(model, plan);
  double arrivals = 0;
  for (const auto& r : runs) {
    arrivals += r.kpis.values[static_cast<std::size_t>(kpi::Kpi::arrivals)] / 2.0;
    EXPECT_EQ(r.kpis.by_hour[8].arrivals, 0u);
    EXPECT_GT(r.kpis.by_hour[9].arrivals, 20u * 46u);  // at least the early block, every day
  }
  // Poisson: sd of the 40-day mean about sqrt(1200 / 40) = 5.5; dropping the
  // early block would give 1154.
  EXPECT_NEAR(arrivals, 1200.0, 20.0);
}

TEST(VerificationFileTest, ErlangCRho090C3MeanWaitInsideTheConfidenceInterval) {
  // lambda = 2.7/min, mu = 1/min, c = 3 (the file's header): Wq = 2.72354 min.
  const Hall hall =
      load_scenario(fs::path(HALLTWIN_SOURCE_DIR) / "scenarios/verification/erlang-c-rho090-c3.yaml");
  const ops::OpsModel model(hall);
  ops::ReplicationPlan plan;
  plan.base.days = 8;
  plan.base.start_date = start_of(hall);
  plan.base.seed = 5;
  plan.replications = 20;
  plan.threads = 2;
  const auto runs = ops::run_replications(model, plan);
  std::vector<double> waits, util;
  for (const auto& r : runs) {
    waits.push_back(r.kpis.values[static_cast<std::size_t>(kpi::Kpi::wait_mean_s)]);
    util.push_back(r.kpis.values[static_cast<std::size_t>(kpi::Kpi::utilization)]);
  }
  double b = 1.0;  // Erlang B recursion, then C
  const double a = 2.7;
  for (int k = 1; k <= 3; ++k) b = a * b / (k + a * b);
  const double pc = b / (1.0 - 0.9 * (1.0 - b));
  const double wq_s = 60.0 * pc / (3.0 - 2.7);
  EXPECT_NEAR(wq_s, 163.41, 0.01);
  const auto w = kpi::estimate(waits);
  EXPECT_LE(*w.ci95_low, wq_s) << "mean " << w.mean;
  EXPECT_GE(*w.ci95_high, wq_s) << "mean " << w.mean;
  EXPECT_NEAR(kpi::estimate(util).mean, 0.9, 0.01);
}

}  // namespace
}  // namespace halltwin
