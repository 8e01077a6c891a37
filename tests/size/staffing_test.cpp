// The staffing search (sim/size/staffing.hpp): on M/M/c demand with targets
// at least 10% away from an Erlang C boundary the answer is the Erlang C
// minimum; on a bundled hall one staff fewer in any block misses a target;
// unreachable targets are reported with the best achievable values; the
// answer does not depend on the thread count; targets are parsed strictly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "sim/ops/ops_model.hpp"
#include "sim/ops/replications.hpp"
#include "sim/size/staffing.hpp"

namespace halltwin {
namespace {

using kpi::Kpi;

std::string source(const std::string& rel) { return std::string(HALLTWIN_SOURCE_DIR) + "/" + rel; }

// Erlang C written out independently of the engine: P(wait) =
// (a^c/c!) (c/(c-a)) / (sum_{k<c} a^k/k! + (a^c/c!) (c/(c-a))).
double erlang_c_textbook(int c, double a) {
  double term = 1.0, sum = 0.0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double top = term * c / (c - a);
  return top / (sum + top);
}

// The M/M/c fixture: a = 6 Erlangs, mean service 60 s (tests/size/mmc-a6.yaml).
constexpr double kA = 6.0, kEs = 60.0;
double wq(int c) { return erlang_c_textbook(c, kA) * kEs / (c - kA); }
double p90(int c) { return std::max(0.0, std::log(erlang_c_textbook(c, kA) / 0.1) * kEs / (c - kA)); }

TEST(StaffingTest, ErlangCMatchesThePublishedValue) {
  // M/M/4 at rho 0.8 (scenarios/verification/erlang-c-rho080-c4.yaml): P(wait) = 0.5964.
  EXPECT_NEAR(size::erlang_c(4, 3.2), 0.5964, 5e-4);
  for (int c = 7; c <= 12; ++c) EXPECT_NEAR(size::erlang_c(c, kA), erlang_c_textbook(c, kA), 1e-12);
}

struct MmcCase {
  const char* target;
  double (*kpi_of)(int);
  double limit;
};

class MmcTest : public ::testing::TestWithParam<MmcCase> {};

TEST_P(MmcTest, AnswerIsTheErlangCMinimum) {
  const MmcCase& k = GetParam();
  int c_min = 7;  // the first stable staffing above a = 6
  while (k.kpi_of(c_min) > k.limit) ++c_min;
  // The target is at least 10% away from the KPI at the minimum and one below.
  ASSERT_LE(k.kpi_of(c_min), 0.9 * k.limit) << k.target;
  ASSERT_GE(k.kpi_of(c_min - 1), 1.1 * k.limit) << k.target;

  const Hall hall = load_scenario(source("tests/size/mmc-a6.yaml"));
  size::SizingOptions o;
  o.targets = {size::parse_target(k.target)};
  o.block_min = 1440;  // one block: the day-long KPI is the stationary one
  o.replications = 10;
  o.start_date = "2026-01-05";
  const auto r = size::size_staffing(hall, o);
  ASSERT_TRUE(r.met);
  EXPECT_TRUE(r.locally_minimal);
  ASSERT_EQ(r.plan.blocks.size(), 1u);
  EXPECT_EQ(r.plan.total_in_block(0), c_min) << k.target;
}

INSTANTIATE_TEST_SUITE_P(Targets, MmcTest,
                         ::testing::Values(MmcCase{"wait_mean_s<=20", wq, 20.0},  // c = 8 (10.7 s; c = 7: 36.8 s)
                                           MmcCase{"wait_mean_s<=5", wq, 5.0},    // c = 9 (3.9 s; c = 8: 10.7 s)
                                           MmcCase{"wait_p90_s<=60", p90, 60.0}   // c = 8 (38 s; c = 7: 109 s)
                                           ),
                         [](const auto& info) {
                           std::string n = info.param.target;
                           for (char& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });

// What a plan yields when simulated as `halltwin run` does.
bool plan_meets(const Hall& hall, const size::StaffingPlan& plan, const size::SizingOptions& o) {
  const Hall h = size::staffed_hall(hall, plan);
  const ops::OpsModel model(h);
  ops::ReplicationPlan rp;
  rp.base.seed = o.seed;
  rp.base.days = o.days;
  rp.base.start_date = o.start_date;
  rp.replications = o.replications;
  const auto runs = ops::run_replications(model, rp);
  for (const auto& t : o.targets) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.kpis.values[static_cast<std::size_t>(t.kpi)]);
    const auto [lo, hi] = kpi::natural_range(t.kpi);
    const auto e = kpi::estimate(v, lo, hi);
    const double bound = t.at_most ? *e.ci95_high : *e.ci95_low;
    if (t.at_most ? bound > t.limit : bound < t.limit) return false;
  }
  return true;
}

TEST(StaffingTest, BundledHallMeetsTheTargetsAndOneFewerInAnyBlockMisses) {
  const Hall hall = load_scenario(source("scenarios/township.yaml"));
  size::SizingOptions o;
  o.targets = {size::parse_target("wait_p90_s<=600"), size::parse_target("abandon_rate<=0.05")};
  o.replications = 10;
  o.start_date = "2026-03-02";
  const auto r = size::size_staffing(hall, o);
  ASSERT_TRUE(r.met);
  EXPECT_TRUE(r.locally_minimal);
  EXPECT_TRUE(plan_meets(hall, r.plan, o));
  EXPECT_LT(r.plan.staff_hours(), 8.0 * 8.0);  // fewer than every window all day
  int tried = 0;
  for (std::size_t b = 0; b < r.plan.blocks.size(); ++b)
    for (std::size_t p = 0; p < r.plan.pools.size(); ++p) {
      if (r.plan.staff[p][b] == 0) continue;
      size::StaffingPlan fewer = r.plan;
      --fewer.staff[p][b];
      // A block where a matter would have no open window is not a plan.
      bool covered = true;
      for (const auto& ms : hall.operations.services) {
        bool any = false;
        for (std::size_t q = 0; q < fewer.pools.size(); ++q)
          for (std::size_t k = 0; k < static_cast<std::size_t>(fewer.staff[q][b]); ++k) {
            const auto& m = hall.windows[fewer.pools[q].windows[k]].matters;
            any = any || std::find(m.begin(), m.end(), ms.matter) != m.end();
          }
        covered = covered && (ms.share <= 0 || any);
      }
      if (!covered) continue;
      ++tried;
      EXPECT_FALSE(plan_meets(hall, fewer, o)) << "pool " << r.plan.pools[p].id << " block " << b;
    }
  EXPECT_GT(tried, 10);
}

TEST(StaffingTest, SameAnswerWhateverTheThreads) {
  const Hall hall = load_scenario(source("scenarios/township.yaml"));
  size::SizingOptions o;
  o.targets = {size::parse_target("within_target_rate>=0.85")};
  o.replications = 6;
  o.start_date = "2026-03-02";
  const auto one = size::size_staffing(hall, o);
  o.threads = 2;
  const auto two = size::size_staffing(hall, o);
  EXPECT_EQ(one.plan.staff, two.plan.staff);
  EXPECT_EQ(one.evaluation.targets[0].estimate.mean, two.evaluation.targets[0].estimate.mean);
}

TEST(StaffingTest, UnreachableTargetsReportTheBestAchievable) {
  const Hall hall = load_scenario(source("scenarios/township.yaml"));
  size::SizingOptions o;
  o.targets = {size::parse_target("wait_p90_s<=1")};
  o.replications = 4;
  o.start_date = "2026-03-02";
  const auto r = size::size_staffing(hall, o);
  EXPECT_FALSE(r.met);
  EXPECT_TRUE(r.unreachable);
  for (std::size_t p = 0; p < r.plan.pools.size(); ++p)
    for (int n : r.plan.staff[p]) EXPECT_EQ(n, static_cast<int>(r.plan.pools[p].windows.size()));
  ASSERT_EQ(r.evaluation.targets.size(), 1u);
  EXPECT_GT(r.evaluation.targets[0].estimate.mean, 1.0);
  EXPECT_FALSE(r.evaluation.targets[0].met);
}

TEST(StaffingTest, RosterRulesLimitTheShiftPieces) {
  // county: max_shift_h 9, break_after_h 6 -> no sized shift longer than 6 h, none with a break.
  const Hall hall = load_scenario(source("scenarios/county.yaml"));
  size::StaffingPlan plan;
  for (double t = hall.operations.roster.open_s; t < hall.operations.roster.close_s; t += 1800)
    plan.blocks.push_back({t, t + 1800});
  plan.pools.push_back({"A", {}, false});
  for (std::uint32_t w = 0; w < hall.windows.size(); ++w)
    if (hall.windows[w].row == "A") plan.pools[0].windows.push_back(w);
  plan.staff.assign(1, std::vector<int>(plan.blocks.size(), 3));
  const Hall h = size::staffed_hall(hall, plan);
  int sized = 0;
  for (const auto& m : h.operations.roster.staff) {
    const auto& sh = h.operations.roster.shifts[m.shift];
    if (m.extended_only) continue;
    ++sized;
    EXPECT_LE(sh.span.end_s - sh.span.start_s, 6 * 3600.0);
    EXPECT_TRUE(sh.breaks.empty());
  }
  EXPECT_EQ(sized, 3 * 2);  // 8 h a window: two pieces of 4 h
  EXPECT_EQ(size::max_piece_h(hall.operations.roster), 6.0);
}

// A window unstaffed between two pieces for 30 min to 2 h: one member works
// both with the gap as a lunch break, within max_shift_h (county: 9 h, breaks
// of at least 30 min); a longer gap, or a shift that would be too long, stays
// two members. Simulated as `halltwin run` does, the break closes the window
// exactly when the plan leaves it unstaffed.
TEST(StaffingTest, AGapInAWindowsStaffingIsOneMembersLunchBreak) {
  const Hall hall = load_scenario(source("scenarios/county.yaml"));  // 09:00-17:00
  size::StaffingPlan plan;
  for (double t = hall.operations.roster.open_s; t < hall.operations.roster.close_s; t += 1800)
    plan.blocks.push_back({t, t + 1800});
  ASSERT_EQ(plan.blocks.size(), 16u);
  plan.pools.push_back({"A", {}, false});
  for (std::uint32_t w = 0; w < hall.windows.size(); ++w)
    if (hall.windows[w].row == "A") plan.pools[0].windows.push_back(w);
  ASSERT_GE(plan.pools[0].windows.size(), 3u);
  // Window 1 (k = 0): all day. Window 2 (k = 1): 09:00-11:30 and 13:00-17:00
  // (a 90 min gap). Window 3 (k = 2): 09:00-10:00 and 14:00-17:00 (a 4 h gap).
  std::vector<int> n(16, 1);
  for (int b : {0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13}) n[static_cast<std::size_t>(b)] = 2;
  for (int b : {0, 1, 10, 11, 12, 13, 14, 15}) n[static_cast<std::size_t>(b)] = std::max(n[static_cast<std::size_t>(b)], 3);
  // Window k is staffed where n > k: blocks 14 and 15 (n = 3) staff windows 2 and 3.
  plan.staff.assign(1, n);
  const Hall h = size::staffed_hall(hall, plan);
  std::map<std::string, std::vector<const Shift*>> of_window;
  for (const auto& m : h.operations.roster.staff)
    if (!m.extended_only) of_window[hall.windows[m.window.value].id].push_back(&h.operations.roster.shifts[m.shift]);
  const std::string w1 = hall.windows[plan.pools[0].windows[0]].id, w2 = hall.windows[plan.pools[0].windows[1]].id,
                    w3 = hall.windows[plan.pools[0].windows[2]].id;
  // Window 1: 8 h without a gap, cut at 6 h (break_after_h): two members, no break.
  ASSERT_EQ(of_window[w1].size(), 2u);
  for (const Shift* sh : of_window[w1]) EXPECT_TRUE(sh->breaks.empty());
  // Window 2: 09:00-11:30, break 11:30-13:00, 13:00-17:00 = 8 h within 9 h: one member.
  ASSERT_EQ(of_window[w2].size(), 1u);
  const Shift& lunch = *of_window[w2][0];
  EXPECT_EQ(lunch.span.start_s, 9 * 3600.0);
  EXPECT_EQ(lunch.span.end_s, 17 * 3600.0);
  ASSERT_EQ(lunch.breaks.size(), 1u);
  EXPECT_EQ(lunch.breaks[0].start_s, 11.5 * 3600.0);
  EXPECT_EQ(lunch.breaks[0].end_s, 13 * 3600.0);
  EXPECT_EQ(lunch.id, "size-0900-1130-1300-1700");
  // Window 3: a 4 h gap is no lunch break: two members.
  ASSERT_EQ(of_window[w3].size(), 2u);
  for (const Shift* sh : of_window[w3]) EXPECT_TRUE(sh->breaks.empty());
  // The engine's working pieces of the shift are the plan's staffed blocks.
  const auto pieces = ops::working_pieces(lunch);
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(pieces[0].end_s, 11.5 * 3600.0);
  EXPECT_EQ(pieces[1].start_s, 13 * 3600.0);
}

// Per-block targets: every block's own citizens (by ticket time) meet the
// target at 95% confidence. The block the search reports as the worst is
// checked against a count written here from the same runs' ticket records
// (sorted waits, nearest rank), and the day-only answer, sized for
// wait_p90_s<=300 over the day, leaves some block above 300 s that the
// per-block answer brings down.
TEST(StaffingTest, PerBlockTargetsHoldInEveryBlock) {
  const Hall hall = load_scenario(source("scenarios/township.yaml"));
  size::SizingOptions o;
  o.replications = 10;
  o.start_date = "2026-03-02";
  o.targets = {size::parse_target("wait_p90_s<=300 per block")};
  const auto r = size::size_staffing(hall, o);
  ASSERT_TRUE(r.met);
  EXPECT_TRUE(r.locally_minimal);
  const auto& t = r.evaluation.targets[0];
  ASSERT_TRUE(t.worst_block);
  EXPECT_TRUE(t.missed_blocks.empty());
  EXPECT_LE(t.bound, 300.0);

  // Per-block p90 of each replication of a plan, written out independently.
  auto block_p90 = [&](const size::StaffingPlan& plan) {
    const Hall staffed = size::staffed_hall(hall, plan);  // the model keeps a reference to it
    const ops::OpsModel m(staffed);
    ops::ReplicationPlan rp;
    rp.base.seed = o.seed;
    rp.base.start_date = o.start_date;
    rp.base.observe_step_s = 3600.0;
    rp.replications = o.replications;
    std::vector<std::vector<double>> p90(plan.blocks.size());  // [block][replication]
    for (const auto& run : ops::run_replications(m, rp)) {
      std::vector<std::vector<double>> w(plan.blocks.size());
      for (const auto& tk : run.observation->tickets)
        for (std::size_t b = 0; b < plan.blocks.size(); ++b)
          if (tk.wait_s >= 0 && tk.ticket_s >= plan.blocks[b].start_s && tk.ticket_s < plan.blocks[b].end_s)
            w[b].push_back(tk.wait_s);
      for (std::size_t b = 0; b < w.size(); ++b) {
        if (w[b].empty()) continue;
        std::sort(w[b].begin(), w[b].end());
        p90[b].push_back(w[b][static_cast<std::size_t>(std::ceil(0.9 * w[b].size())) - 1]);
      }
    }
    return p90;
  };
  auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / v.size(); };
  const auto mine = block_p90(r.plan);
  // The reported worst block's mean p90, within the 1 s histogram bins.
  EXPECT_NEAR(mean(mine[*t.worst_block]), t.estimate.mean, 1.0);
  for (const auto& v : mine) {
    if (!v.empty()) {
      EXPECT_LE(mean(v), 300.0 + 1.0);
    }
  }

  o.targets = {size::parse_target("wait_p90_s<=300")};
  const auto day = size::size_staffing(hall, o);
  ASSERT_TRUE(day.met);
  double worst_day_answer = 0.0;
  for (const auto& v : block_p90(day.plan))
    if (!v.empty()) worst_day_answer = std::max(worst_day_answer, mean(v));
  EXPECT_GT(worst_day_answer, 300.0);  // the day's figure hides a slow block
}

TEST(StaffingTest, TargetsAreParsedStrictly) {
  const auto t = size::parse_target("wait_p90_s <= 600");
  EXPECT_EQ(t.kpi, Kpi::wait_p90_s);
  EXPECT_TRUE(t.at_most);
  EXPECT_EQ(t.limit, 600.0);
  EXPECT_FALSE(size::parse_target("within_target_rate>=0.8").at_most);
  auto message = [](const char* text) {
    try {
      size::parse_target(text);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("wait_p99_s<=600").find("unknown KPI 'wait_p99_s'"), std::string::npos);
  EXPECT_NE(message("wait_p90_s>=600").find("use <="), std::string::npos);
  EXPECT_NE(message("within_target_rate<=0.8").find("use >="), std::string::npos);
  EXPECT_NE(message("utilization<=0.8").find("not a service target"), std::string::npos);
  EXPECT_NE(message("wait_p90_s<600").find("expected KPI<=VALUE"), std::string::npos);
  EXPECT_NE(message("wait_p90_s<=ten").find("'ten' is not a number"), std::string::npos);
  EXPECT_NE(message("abandon_rate<=1.5").find("outside the KPI's range"), std::string::npos);
  EXPECT_NE(message("wait_p90_s<=600").find("no error"), std::string::npos);
  EXPECT_NE(message("wait_p90_s<=-1").find("outside"), std::string::npos);
  EXPECT_NE(message("x").find("--target"), std::string::npos);
  const auto pb = size::parse_target("wait_p90_s<=600 per block");
  EXPECT_TRUE(pb.per_block);
  EXPECT_EQ(pb.limit, 600.0);
  EXPECT_EQ(pb.text(), "wait_p90_s<=600 per block");
  EXPECT_FALSE(size::parse_target("wait_p90_s<=600").per_block);
  EXPECT_TRUE(size::parse_target("within_target_rate>=0.8 per block").per_block);
  EXPECT_NE(message("abandoned<=3 per block").find("a count or peak of the whole day"), std::string::npos);
  EXPECT_NE(message("max_in_hall<=50 per block").find("a count or peak of the whole day"), std::string::npos);
  EXPECT_NE(message("wait_p90_s<=600 per hour").find("is not a number"), std::string::npos);
  EXPECT_NE(message("wait_p90_s<=x").find("(command line): error: --target"), std::string::npos);
}

}  // namespace
}  // namespace halltwin
