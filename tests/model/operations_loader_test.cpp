// The operations sections of a version-2 scenario (services, demand, roster,
// targets, walking) and stair lengths: a valid file fills Hall::operations
// completely; each kind of bad input is an error naming the line and the
// field; legal but odd input is a warning in Hall::operations.warnings.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "tests/support/load_errors.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

using testing::line_of;
std::string load_error(const std::string& text) { return testing::scenario_error(text); }
void expect_error(const std::string& text, const std::string& needle, const std::string& what) {
  testing::expect_scenario_error(text, needle, what);
}
Hall load_text(const std::string& text) { return testing::scenario_of(text); }

using testing::kMiniHall;
using testing::replaced;
using testing::TempFile;

// The mini hall as version 2 with a second matter, a window row A (A01, A02)
// and a second floor reached by two stairs.
std::string building() {
  std::string t = replaced(kMiniHall, "halltwin-scenario/1", "halltwin-scenario/2");
  t = replaced(t, "  - {id: M1, name: 社保参保登记, department: 人社局}\n",
               "  - {id: M1, name: 社保参保登记, department: 人社局}\n"
               "  - {id: M2, name: 不动产登记, department: 自然资源局}\n");
  t = replaced(t, "    seat_rows:\n",
               "    window_rows:\n"
               "      - {id: A, from: [3, 5.3], to: [6, 5.3], count: 2, kind: department, facing: [0,-1], "
               "matters: [M1, M2]}\n"
               "    seat_rows:\n");
  return t + R"(  - id: F2
    storey: 2
    height_m: 4.0
    boundary: [[0,0],[12,0],[12,8],[0,8]]
    doors:
      - {id: D21, kind: exit, from: [12,5], to: [12,6.5]}
      - {id: D22, kind: exit, from: [0,5], to: [0,6.5]}
stairs:
  - {id: ST1, from: {floor: F1, door: D2}, to: {floor: F2, door: D21}, width_m: 1.4}
  - {id: ST2, from: {floor: F1, door: D1}, to: {floor: F2, door: D22}, width_m: 1.4, length_m: 12.5}
)";
}

const std::string kOps = R"(services:
  M1: {share: 0.25, service_time: {dist: lognormal, mean_s: 420, cv: 0.8}}
  M2: {share: 0.75, service_time: {dist: exponential, mean_s: 300}}
demand:
  block_min: 30
  profile_start: "08:30"
  weekdays:
    weekday: [4, 5, 6]
    fri: [1, 2]
  date_factors:
    - {date: 2026-03-31, factor: 1.3, note: 月末}
    - {date: 2026-01-01, factor: 0}
  month_end_factor: 1.2
  patience: {dist: empirical, values_s: [600, 1200]}
roster:
  hours: {open: "09:00", close: "17:00", ticket_stop: 16:30, days: [mon, tue, wed, thu, fri]}
  queues: per_group
  shifts:
    - {id: day, start: "08:45", end: "17:15", breaks: [{start: "12:00", end: "12:30"}]}
    - {id: early, start: "08:45", end: "12:00:30"}
  staff:
    - {id: S-A, windows: [A], shift: day}
    - {id: S-W1, window: W1, shift: day, days: [mon, wed], skills: [M1]}
targets: {wait_s: 1200, within_target_rate_min: 0.9}
walking: {enabled: false, speed_mean_mps: 1.1}
)";

std::string hall_with(const std::string& ops) { return building() + ops; }


std::string ops_with(const std::string& from, const std::string& to) {
  return hall_with(replaced(kOps, from, to));
}

TEST(OperationsLoaderTest, ValidFileRoundTrips) {
  const Hall h = load_text(hall_with(kOps));
  const Operations& o = h.operations;
  EXPECT_EQ(h.format, "halltwin-scenario/2");
  ASSERT_TRUE(o.present);
  ASSERT_EQ(o.services.size(), 2u);
  EXPECT_EQ(h.matters[o.services[0].matter.value].id, "M1");
  EXPECT_DOUBLE_EQ(o.services[0].share, 0.25);
  EXPECT_EQ(o.services[0].service_time.kind, Distribution::Kind::lognormal);
  EXPECT_DOUBLE_EQ(o.services[0].service_time.mean_s, 420);
  EXPECT_DOUBLE_EQ(o.services[0].service_time.cv, 0.8);
  EXPECT_EQ(o.services[1].service_time.kind, Distribution::Kind::exponential);
  EXPECT_DOUBLE_EQ(o.services[1].service_time.mean(), 300);

  const Demand& d = o.demand;
  EXPECT_EQ(d.kind, Demand::Kind::profile);
  EXPECT_EQ(d.block_min, 30);
  EXPECT_DOUBLE_EQ(d.profile_start_s, 8.5 * 3600);
  EXPECT_EQ(d.arrivals_per_block[0], (std::vector<double>{4, 5, 6}));
  EXPECT_EQ(d.arrivals_per_block[3], (std::vector<double>{4, 5, 6}));
  EXPECT_EQ(d.arrivals_per_block[4], (std::vector<double>{1, 2}));  // fri overrides weekday
  EXPECT_TRUE(d.arrivals_per_block[5].empty());
  ASSERT_EQ(d.date_factors.size(), 2u);
  EXPECT_EQ(d.date_factors[0].date, "2026-01-01");  // sorted by date
  EXPECT_DOUBLE_EQ(d.date_factors[0].factor, 0.0);
  EXPECT_EQ(d.date_factors[1].note, "月末");
  EXPECT_DOUBLE_EQ(d.month_end_factor, 1.2);
  ASSERT_TRUE(d.patience.has_value());
  EXPECT_EQ(d.patience->kind, Distribution::Kind::empirical);
  EXPECT_DOUBLE_EQ(d.patience->mean(), 900);

  const Roster& r = o.roster;
  EXPECT_DOUBLE_EQ(r.open_s, 9 * 3600);
  EXPECT_DOUBLE_EQ(r.close_s, 17 * 3600);
  EXPECT_DOUBLE_EQ(r.ticket_stop_s, 16.5 * 3600);  // unquoted 16:30 is read too
  EXPECT_FALSE(r.open_days[5]);
  ASSERT_EQ(r.shifts.size(), 2u);
  EXPECT_DOUBLE_EQ(r.shifts[0].span.start_s, 8.75 * 3600);
  ASSERT_EQ(r.shifts[0].breaks.size(), 1u);
  EXPECT_DOUBLE_EQ(r.shifts[0].breaks[0].end_s, 12.5 * 3600);
  EXPECT_DOUBLE_EQ(r.shifts[1].span.end_s, 12 * 3600 + 30);
  // `windows: [A]` expands to one staff member per window of the row.
  ASSERT_EQ(r.staff.size(), 3u);
  EXPECT_EQ(r.staff[0].id, "S-A-A01");
  EXPECT_EQ(h.windows[r.staff[0].window.value].id, "A01");
  EXPECT_EQ(r.staff[1].id, "S-A-A02");
  EXPECT_EQ(r.staff[0].skills.size(), 2u);  // default: the window's matters
  EXPECT_TRUE(r.staff[0].days[0]);          // default: the opening days
  EXPECT_FALSE(r.staff[0].days[5]);
  EXPECT_EQ(r.staff[2].id, "S-W1");
  ASSERT_EQ(r.staff[2].skills.size(), 1u);
  EXPECT_TRUE(r.staff[2].days[2]);
  EXPECT_FALSE(r.staff[2].days[1]);
  // per_group without window_groups: single windows W1, W2, then the row A.
  EXPECT_EQ(r.queues, QueueDiscipline::per_group);
  ASSERT_EQ(r.groups.size(), 3u);
  EXPECT_EQ(r.groups[0].id, "W1");
  EXPECT_EQ(r.groups[1].id, "W2");
  EXPECT_EQ(r.groups[2].id, "A");
  EXPECT_EQ(r.groups[2].windows.size(), 2u);

  EXPECT_DOUBLE_EQ(o.targets.wait_s, 1200);
  EXPECT_DOUBLE_EQ(o.targets.within_target_rate_min.value_or(0), 0.9);
  EXPECT_FALSE(o.targets.abandon_rate_max.has_value());
  EXPECT_FALSE(o.walking.enabled);
  EXPECT_TRUE(o.walking.seat_limit);
  EXPECT_DOUBLE_EQ(o.walking.speed_mean_mps, 1.1);

  ASSERT_EQ(h.stairs.size(), 2u);
  EXPECT_NEAR(h.stairs[0].length_m, std::sqrt(5.0) * 4.5, 1e-9);  // F1's height, the default 4.5 m
  EXPECT_DOUBLE_EQ(h.stairs[1].length_m, 12.5);
}

TEST(OperationsLoaderTest, UnstaffedWindowIsAWarning) {
  const std::string text = hall_with(kOps);
  const Hall h = load_text(text);
  ASSERT_EQ(h.operations.warnings.size(), 1u);
  const std::string& w = h.operations.warnings[0];
  EXPECT_NE(w.find(":" + std::to_string(line_of(text, "{id: W2,")) +
                   ":9: warning: roster.staff: no staff member "
                   "ever staffs window 'W2'"),
            std::string::npos)
      << w;
}

TEST(OperationsLoaderTest, OpenDayWithoutDemandIsAWarning) {
  const Hall h =
      load_text(ops_with("days: [mon, tue, wed, thu, fri]", "days: [mon, tue, wed, thu, fri, sat]"));
  bool found = false;
  for (const auto& w : h.operations.warnings)
    if (w.find("warning: demand.weekdays: the hall is open on sat but the demand profile for it is empty") !=
        std::string::npos)
      found = true;
  EXPECT_TRUE(found);
}

TEST(OperationsLoaderTest, ExplicitGroupsAndIdleGroupWarning) {
  std::string ops = replaced(kOps, "share: 0.25", "share: 0");
  ops = replaced(ops, "share: 0.75", "share: 1");
  ops = replaced(ops, "  queues: per_group\n",
                 "  queues: per_group\n  window_groups:\n    - {id: G-A, windows: [A]}\n"
                 "    - {id: G-W, windows: [W1, W2]}\n");
  const std::string text = hall_with(ops);
  const Hall h = load_text(text);
  const auto& g = h.operations.roster.groups;
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].id, "G-A");
  EXPECT_EQ(g[0].windows.size(), 2u);
  EXPECT_EQ(g[1].id, "G-W");
  bool found = false;
  for (const auto& w : h.operations.warnings)
    if (w.find(":" + std::to_string(line_of(text, "{id: G-W")) +
               ":7: warning: roster.window_groups: window group 'G-W' serves none of the matters with "
               "demand") != std::string::npos)
      found = true;
  EXPECT_TRUE(found);
}

TEST(OperationsLoaderTest, WindowInTwoGroups) {
  const std::string ops = replaced(kOps, "  queues: per_group\n",
                                   "  queues: per_group\n  window_groups:\n    - {id: G-A, windows: [A]}\n"
                                   "    - {id: G-W, windows: [W1, A02]}\n");
  expect_error(hall_with(ops), "{id: G-W",
               "roster.window_groups[G-W].windows: window 'A02' is already in window group 'G-A'");
}

TEST(OperationsLoaderTest, PerMatterHasNoGroups) {
  const Hall h = load_text(ops_with("  queues: per_group\n", ""));
  EXPECT_EQ(h.operations.roster.queues, QueueDiscipline::per_matter);
  EXPECT_TRUE(h.operations.roster.groups.empty());
}

TEST(OperationsLoaderTest, Sinusoid) {
  const std::string text = ops_with(
      "  block_min: 30\n  profile_start: \"08:30\"\n  weekdays:\n    weekday: [4, 5, 6]\n    fri: [1, 2]\n"
      "  date_factors:\n    - {date: 2026-03-31, factor: 1.3, note: 月末}\n    - {date: 2026-01-01, factor: "
      "0}\n  month_end_factor: 1.2\n",
      "  sinusoid: {mean_per_h: 60, amplitude_per_h: 30, period_h: 8}\n");
  const Hall h = load_text(text);
  EXPECT_EQ(h.operations.demand.kind, Demand::Kind::sinusoid);
  EXPECT_DOUBLE_EQ(h.operations.demand.mean_per_h, 60);
  EXPECT_DOUBLE_EQ(h.operations.demand.amplitude_per_h, 30);
  EXPECT_DOUBLE_EQ(h.operations.demand.period_h, 8);
  EXPECT_TRUE(h.operations.warnings.size() == 1u);  // W2 only: no profile, no empty-day warning
}

TEST(OperationsLoaderTest, SinusoidAmplitudeAboveMean) {
  const std::string text =
      hall_with(replaced(kOps, "  block_min: 30\n", "  sinusoid: {mean_per_h: 60, amplitude_per_h: -70}\n"));
  expect_error(text, "sinusoid:", "demand.sinusoid.amplitude_per_h: |-70| is larger than mean_per_h 60");
  expect_error(text, "  weekdays:", "demand.weekdays: only with a demand profile");
}

TEST(OperationsLoaderTest, VersionOneStillLoads) {
  const Hall h = load_text(kMiniHall);
  EXPECT_EQ(h.format, "halltwin-scenario/1");
  EXPECT_FALSE(h.operations.present);
}

TEST(OperationsLoaderTest, VersionOneRejectsOperationsSections) {
  const std::string text =
      kMiniHall + "services:\n  M1: {share: 1, service_time: {dist: exponential, mean_s: 60}}\n";
  expect_error(text, "  M1: {share", "services: section 'services' needs format: halltwin-scenario/2");
  expect_error(kMiniHall + "targets: {wait_s: 600}\n",
               "targets:", "targets: section 'targets' needs format: halltwin-scenario/2");
  expect_error(kMiniHall +
                   "stairs:\n  - {id: ST1, from: {floor: F1, door: D1}, to: {floor: F1, door: D2}, "
                   "width_m: 1.4, length_m: 3}\n",
               "length_m", "stairs[ST1].length_m: needs format: halltwin-scenario/2");
}

TEST(OperationsLoaderTest, UnsupportedVersionListsBoth) {
  const auto msg = load_error(replaced(kMiniHall, "halltwin-scenario/1", "halltwin-scenario/10"));
  EXPECT_NE(
      msg.find(
          "FILE:1:9: error: format: 'halltwin-scenario/10' is not a supported format; expected "
          "'halltwin-scenario/1' or 'halltwin-scenario/2' or 'halltwin-scenario/3' or 'halltwin-scenario/4'"),
      std::string::npos)
      << msg;
}

TEST(OperationsLoaderTest, SectionsGoTogether) {
  const std::string ops = kOps.substr(0, kOps.find("roster:")) + "targets: {wait_s: 600}\n";
  const auto msg = load_error(hall_with(ops));
  EXPECT_NE(msg.find("error: roster: missing; 'services', 'demand' and 'roster' go together"),
            std::string::npos)
      << msg;
}

TEST(OperationsLoaderTest, ServiceErrors) {
  expect_error(ops_with("  M2: {share", "  M9: {share"), "  M9: {share",
               "services.M9: 'M9' is not a matter id");
  expect_error(ops_with("share: 0.75", "share: 1.5"), "share: 1.5", "services.M2.share: 1.5 is out of range");
  expect_error(ops_with("share: 0.75", "share: 0.7"), "  M1: {share",
               "services: shares add up to 0.95; expected 1");
  expect_error(ops_with("share: 0.75", "share: -0.75"), "share: -0.75",
               "services.M2.share: -0.75 is out of range");
  expect_error(ops_with("{dist: exponential, mean_s: 300}", "{dist: exponential, mean_s: 300, cv: 1}"),
               "cv: 1}", "services.M2.service_time: unknown key 'cv'");
  expect_error(ops_with("mean_s: 300", "mean_s: -300"), "mean_s: -300",
               "services.M2.service_time.mean_s: -300 is out of range");
  expect_error(ops_with("mean_s: 300", "mean_s: .nan"), "mean_s: .nan",
               "services.M2.service_time.mean_s: expected a number");
  expect_error(ops_with("cv: 0.8", "cv: 0"), "cv: 0}", "services.M1.service_time.cv: must be greater than 0");
  expect_error(ops_with("dist: lognormal", "dist: weibull"), "dist: weibull",
               "services.M1.service_time.dist: 'weibull' is not a distribution");
  expect_error(ops_with("values_s: [600, 1200]", "values_s: []"), "values_s: []",
               "demand.patience.values_s: expected at least one value");
}

TEST(OperationsLoaderTest, MatterNoStaffedWindowServes) {
  expect_error(
      ops_with("{id: S-A, windows: [A], shift: day}", "{id: S-A, windows: [A], shift: day, skills: [M1]}"),
      "  M2: {share", "services.M2: matter 'M2' has a share of 0.75 but no staffed window serves it");
}

TEST(OperationsLoaderTest, StaffErrors) {
  expect_error(ops_with("skills: [M1]", "skills: [M2]"), "skills: [M2]",
               "roster.staff[S-W1].skills[0]: window 'W1' does not list matter 'M2'");
  expect_error(ops_with("window: W1", "window: W9"), "window: W9",
               "roster.staff[S-W1].window: 'W9' is not a window id");
  expect_error(ops_with("windows: [A]", "windows: [B]"), "windows: [B]",
               "roster.staff[S-A].windows[0]: 'B' is not a window id or window row id");
  expect_error(ops_with("window: W1, shift: day", "window: W1, shift: night"), "shift: night",
               "roster.staff[S-W1].shift: 'night' is not a shift id");
  expect_error(ops_with("days: [mon, wed]", "days: [mon, wednesday]"), "wednesday",
               "roster.staff[S-W1].days[1]: 'wednesday' is not a weekday");
  const std::string twice = ops_with(
      "    - {id: S-W1,", "    - {id: S-W1b, window: W1, shift: early, days: [wed, fri]}\n    - {id: S-W1,");
  expect_error(twice, "{id: S-W1,", "staff 'S-W1' and 'S-W1b' are both at window 'W1' on wed");
}

TEST(OperationsLoaderTest, ShiftAndHoursErrors) {
  expect_error(ops_with("end: \"12:00:30\"", "end: \"08:00\""), "end: \"08:00\"",
               "roster.shifts[early].end: the shift ends at 08:00, not after it starts (08:45)");
  expect_error(ops_with("{start: \"12:00\", end: \"12:30\"}", "{start: \"17:00\", end: \"17:30\"}"), "17:30",
               "roster.shifts[day].breaks[0]: the break 17:00-17:30 is not inside its shift 08:45-17:15");
  expect_error(ops_with("{start: \"12:00\", end: \"12:30\"}",
                        "{start: \"12:00\", end: \"12:30\"}, {start: \"12:15\", end: \"13:00\"}"),
               "12:15", "roster.shifts[day].breaks: the break 12:15-13:00 overlaps the break 12:00-12:30");
  expect_error(
      ops_with("{id: early, start: \"08:45\", end: \"12:00:30\"}",
               "{id: early, start: \"17:00\", end: \"20:00\"}"),
      "{id: early",
      "roster.shifts[early]: the shift 17:00-20:00 lies entirely outside the opening hours 09:00-17:00");
  expect_error(ops_with("ticket_stop: 16:30", "ticket_stop: 17:30"), "ticket_stop: 17:30",
               "roster.hours.ticket_stop: 17:30 is outside the opening hours 09:00-17:00");
  expect_error(ops_with("open: \"09:00\"", "open: \"9h\""), "open: \"9h\"",
               "roster.hours.open: '9h' is not a time of day");
  expect_error(ops_with("open: \"09:00\"", "open: \"24:30\""), "open: \"24:30\"",
               "roster.hours.open: '24:30' is not a time of day");
  expect_error(ops_with("close: \"17:00\"", "close: \"08:00\""), "close: \"08:00\"",
               "roster.hours.close: closes at 08:00, not after it opens (09:00)");
  expect_error(ops_with("  queues: per_group", "  queues: per_window"), "per_window",
               "roster.queues: 'per_window' is not one of: per_matter, per_group");
}

TEST(OperationsLoaderTest, DemandErrors) {
  expect_error(ops_with("month_end_factor: 1.2", "month_end_factr: 1.2"), "month_end_factr",
               "demand: unknown key 'month_end_factr' (did you mean 'month_end_factor'?)");
  expect_error(ops_with("month_end_factor: 1.2", "month_end_factor: -1"), "month_end_factor: -1",
               "demand.month_end_factor: -1 is out of range");
  expect_error(ops_with("weekday: [4, 5, 6]", "weekday: [4, -5, 6]"), "weekday: [4, -5, 6]",
               "demand.weekdays.weekday[1]: -5 is out of range");
  expect_error(ops_with("profile_start: \"08:30\"", "profile_start: \"23:00\""), "weekday: [4, 5, 6]",
               "demand.weekdays.weekday: 3 blocks of 30 min from 23:00 run past 24:00; expected at most 2");
  expect_error(ops_with("block_min: 30", "block_min: 20"), "block_min: 20",
               "demand.block_min: 20 is not a block length; expected 15, 30 or 60");
  expect_error(ops_with("{date: 2026-01-01, factor: 0}", "{date: 2026-03-31, factor: 0}"),
               "{date: 2026-03-31, factor: 0}",
               "demand.date_factors[1].date: date 2026-03-31 already has a factor");
  expect_error(ops_with("{date: 2026-01-01, factor: 0}", "{date: 2026-02-30, factor: 0}"), "2026-02-30",
               "demand.date_factors[1].date: '2026-02-30' is not a date");
  expect_error(ops_with("    fri: [1, 2]", "    fry: [1, 2]"), "fry:", "demand.weekdays: unknown key 'fry'");
}

TEST(OperationsLoaderTest, TargetsAndWalkingErrors) {
  expect_error(ops_with("{wait_s: 1200, within_target_rate_min: 0.9}", "{within_target_rate_min: 1.9}"),
               "targets:", "targets.wait_s: missing");
  expect_error(
      ops_with("{wait_s: 1200, within_target_rate_min: 0.9}", "{wait_s: 1200, within_target_rate_min: 1.9}"),
      "targets:", "targets.within_target_rate_min: 1.9 is out of range");
  expect_error(ops_with("speed_mean_mps: 1.1}", "speed_mean_mps: 1.1, speed_max_mps: 1.0}"),
               "walking:", "walking: expected speed_min_mps <= speed_mean_mps <= speed_max_mps");
  expect_error(ops_with("{enabled: false,", "{enabld: false,"),
               "walking:", "walking: unknown key 'enabld' (did you mean 'enabled'?)");
}

TEST(OperationsLoaderTest, StairLengthMustBePositive) {
  expect_error(replaced(hall_with(kOps), "length_m: 12.5", "length_m: 0"), "length_m: 0",
               "stairs[ST2].length_m: must be greater than 0");
}

TEST(OperationsLoaderTest, EveryBundledScenarioHasOperations) {
  namespace fs = std::filesystem;
  int n = 0;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(HALLTWIN_SOURCE_DIR) / "scenarios")) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    if (e.path().parent_path().filename() == "rulebooks") continue;
    // The evacuation verification rooms describe a building and its evacuation only.
    if (e.path().parent_path().filename() == "evac") continue;
    if (e.path().parent_path().filename() == "connectors")
      continue;  // queue-log mappings (docs/queue-data.md)
    if (e.path().parent_path().filename() == "programs") continue;  // demand programs of new halls (docs/size.md)
    if (e.path().parent_path().filename() == "sweeps") continue;    // sweep files (docs/sweep.md)
    SCOPED_TRACE(e.path().string());
    const Hall h = load_scenario(e.path().string());
    EXPECT_GE(scenario_format_version(h.format), 2) << h.format;  // every version with operations
    EXPECT_TRUE(h.operations.present);
    ++n;
  }
  EXPECT_GE(n, 16);
}

}  // namespace
}  // namespace halltwin
