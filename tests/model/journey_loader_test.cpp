// The whole citizen journey (scenario format 4, kJourneyFormatVersion): guide
// desk, self-service, back office and pickup, appointments, groups, balking,
// priority citizens, calling policies, recalls, handover, roster rules and
// extended hours. A valid file fills every format-4 field of
// model/operations.hpp; each kind of bad input is an error naming the line and
// the field; legal but odd input is a warning; the fields are errors in
// version-2 files, naming version 4.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

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

const std::string kJourneyFormat = "halltwin-scenario/" + std::to_string(kJourneyFormatVersion);

// The mini hall with a second matter, a window row A (A01, A02), a guide desk,
// a self-service kiosk and a ticket machine, in the given format.
std::string building(const std::string& format = kJourneyFormat) {
  std::string t = replaced(kMiniHall, "halltwin-scenario/1", format);
  t = replaced(t, "  - {id: M1, name: 社保参保登记, department: 人社局}\n",
               "  - {id: M1, name: 社保参保登记, department: 人社局}\n"
               "  - {id: M2, name: 不动产登记, department: 自然资源局}\n");
  t = replaced(t, "    seat_rows:\n",
               "    window_rows:\n"
               "      - {id: A, from: [3, 5.3], to: [6, 5.3], count: 2, kind: department, facing: [0,-1], "
               "matters: [M1, M2]}\n"
               "    seat_rows:\n");
  t = replaced(t, "    facilities:\n",
               "    devices:\n"
               "      - {id: DEV-T, kind: ticket_machine, position: [5, 1]}\n"
               "      - {id: DEV-G, kind: guide_desk, position: [6, 1]}\n"
               "      - {id: DEV-K, kind: self_service_kiosk, position: [7, 1]}\n"
               "    facilities:\n");
  return t;
}

// Every format-4 field, valid. Single windows W1 and W2 are covered all day by
// a morning and an afternoon shift; the row A staggers its lunches.
const std::string kJourney = R"(services:
  M1:
    share: 0.25
    service_time: {dist: lognormal, mean_s: 420, cv: 0.8}
    self_service: {share: 0.3, service_time: {dist: lognormal, mean_s: 180, cv: 0.5}}
    backoffice: {share: 0.6, duration: {dist: lognormal, mean_s: 172800, cv: 0.5}, pickup_share: 0.8, pickup_delay: {dist: exponential, mean_s: 86400}, pickup_time: {dist: exponential, mean_s: 90}}
  M2:
    share: 0.75
    service_time: {dist: exponential, mean_s: 300}
    backoffice: {share: 0.5, duration: {dist: deterministic, mean_s: 3600}}
demand:
  block_min: 30
  profile_start: "08:30"
  weekdays:
    weekday: [4, 5, 6]
  guide_desk: {share: 0.3, service_time: {dist: exponential, mean_s: 60}, staff_per_desk: 2}
  priority_share: 0.1
  appointments: {share: 0.2, slot_min: 15, punctuality_mean_s: -120, punctuality_sd_s: 300, no_show_rate: 0.1}
  groups: {share: 0.1, size_min: 2, size_max: 4}
  balking: {curve: [[20, 0.1], [40, 0.4], [60, 0.9]]}
roster:
  hours: {open: "09:00", close: "17:00", ticket_stop: "16:30", days: [mon, tue, wed, thu, fri]}
  calling: longest_wait
  calling_by_window: {W1: appointments_first, A: priority}
  recalls: 3
  recall_interval_s: 45
  no_answer_rate: 0.03
  handover: true
  handover_gap_s: 120
  rules: {max_shift_h: 9, min_break_min: 30, break_after_h: 6, groups_never_close: true}
  extended_hours:
    - {weekday: wed, close: "19:00", ticket_stop: "18:30"}
    - {date: 2026-03-31, close: "18:00"}
  shifts:
    - {id: early, start: "08:45", end: "17:15", breaks: [{start: "11:30", end: "12:30"}]}
    - {id: late, start: "08:45", end: "17:15", breaks: [{start: "12:30", end: "13:30"}]}
    - {id: am, start: "08:45", end: "12:30"}
    - {id: pm, start: "12:30", end: "17:15"}
    - {id: evening, start: "17:15", end: "19:15"}
  staff:
    - {id: S-A01, window: A01, shift: early}
    - {id: S-A02, window: A02, shift: late}
    - {id: S-AM, windows: [W1, W2], shift: am}
    - {id: S-PM, windows: [W1, W2], shift: pm}
    - {id: S-EV, windows: [A], shift: evening, extended_only: true}
)";

std::string journey_with(const std::string& from, const std::string& to) {
  return building() + replaced(kJourney, from, to);
}

bool has_warning(const Hall& h, const std::string& what) {
  for (const auto& w : h.operations.warnings)
    if (w.find(what) != std::string::npos) return true;
  return false;
}

TEST(JourneyLoaderTest, EveryFieldRoundTrips) {
  const Hall h = load_text(building() + kJourney);
  const Operations& o = h.operations;
  EXPECT_EQ(h.format, kJourneyFormat);
  EXPECT_TRUE(o.warnings.empty()) << o.warnings.front();
  ASSERT_EQ(o.services.size(), 2u);

  const MatterService& m1 = o.services[0];
  ASSERT_TRUE(m1.self_service.has_value());
  EXPECT_DOUBLE_EQ(m1.self_service->share, 0.3);
  EXPECT_EQ(m1.self_service->service_time.kind, Distribution::Kind::lognormal);
  EXPECT_DOUBLE_EQ(m1.self_service->service_time.mean_s, 180);
  EXPECT_DOUBLE_EQ(m1.self_service->service_time.cv, 0.5);
  ASSERT_TRUE(m1.backoffice.has_value());
  EXPECT_DOUBLE_EQ(m1.backoffice->share, 0.6);
  EXPECT_DOUBLE_EQ(m1.backoffice->duration.mean_s, 172800);
  EXPECT_DOUBLE_EQ(m1.backoffice->pickup_share, 0.8);
  EXPECT_EQ(m1.backoffice->pickup_delay.kind, Distribution::Kind::exponential);
  EXPECT_DOUBLE_EQ(m1.backoffice->pickup_delay.mean_s, 86400);
  EXPECT_EQ(m1.backoffice->pickup_time.kind, Distribution::Kind::exponential);
  EXPECT_DOUBLE_EQ(m1.backoffice->pickup_time.mean_s, 90);
  // Defaults: pickup share 1, pickup right at approval, 120 s at the pickup window.
  const MatterService& m2 = o.services[1];
  EXPECT_FALSE(m2.self_service.has_value());
  ASSERT_TRUE(m2.backoffice.has_value());
  EXPECT_EQ(m2.backoffice->duration.kind, Distribution::Kind::deterministic);
  EXPECT_DOUBLE_EQ(m2.backoffice->pickup_share, 1.0);
  EXPECT_EQ(m2.backoffice->pickup_delay.kind, Distribution::Kind::deterministic);
  EXPECT_DOUBLE_EQ(m2.backoffice->pickup_delay.mean_s, 0.0);
  EXPECT_EQ(m2.backoffice->pickup_time.kind, Distribution::Kind::deterministic);
  EXPECT_DOUBLE_EQ(m2.backoffice->pickup_time.mean_s, 120.0);

  const Demand& d = o.demand;
  ASSERT_TRUE(d.guide_desk.has_value());
  EXPECT_DOUBLE_EQ(d.guide_desk->share, 0.3);
  EXPECT_DOUBLE_EQ(d.guide_desk->service_time.mean_s, 60);
  EXPECT_EQ(d.guide_desk->staff_per_desk, 2);
  EXPECT_DOUBLE_EQ(d.priority_share, 0.1);
  ASSERT_TRUE(d.appointments.has_value());
  EXPECT_DOUBLE_EQ(d.appointments->share, 0.2);
  EXPECT_EQ(d.appointments->slot_min, 15);
  EXPECT_DOUBLE_EQ(d.appointments->punctuality_mean_s, -120);
  EXPECT_DOUBLE_EQ(d.appointments->punctuality_sd_s, 300);
  EXPECT_DOUBLE_EQ(d.appointments->no_show_rate, 0.1);
  ASSERT_TRUE(d.groups.has_value());
  EXPECT_DOUBLE_EQ(d.groups->share, 0.1);
  EXPECT_EQ(d.groups->size_min, 2);
  EXPECT_EQ(d.groups->size_max, 4);
  ASSERT_TRUE(d.balking.has_value());
  EXPECT_EQ(d.balking->curve, (std::vector<std::pair<double, double>>{{20, 0.1}, {40, 0.4}, {60, 0.9}}));

  const Roster& r = o.roster;
  EXPECT_EQ(r.calling, CallingPolicy::longest_wait);
  ASSERT_EQ(r.calling_by_window.size(), 3u);  // W1, then the row A as A01, A02
  EXPECT_EQ(h.windows[r.calling_by_window[0].first.value].id, "W1");
  EXPECT_EQ(r.calling_by_window[0].second, CallingPolicy::appointments_first);
  EXPECT_EQ(h.windows[r.calling_by_window[1].first.value].id, "A01");
  EXPECT_EQ(h.windows[r.calling_by_window[2].first.value].id, "A02");
  EXPECT_EQ(r.calling_by_window[2].second, CallingPolicy::priority);
  EXPECT_EQ(r.recalls, 3);
  EXPECT_DOUBLE_EQ(r.recall_interval_s, 45);
  EXPECT_DOUBLE_EQ(r.no_answer_rate, 0.03);
  EXPECT_TRUE(r.handover);
  EXPECT_DOUBLE_EQ(r.handover_gap_s, 120);
  EXPECT_DOUBLE_EQ(r.max_shift_h, 9);
  EXPECT_DOUBLE_EQ(r.min_break_min, 30);
  EXPECT_DOUBLE_EQ(r.break_after_h, 6);
  EXPECT_TRUE(r.groups_never_close);
  ASSERT_EQ(r.extended_hours.size(), 2u);
  EXPECT_EQ(r.extended_hours[0].weekday, Weekday::wed);
  EXPECT_TRUE(r.extended_hours[0].date.empty());
  EXPECT_DOUBLE_EQ(r.extended_hours[0].close_s, 19 * 3600);
  EXPECT_DOUBLE_EQ(r.extended_hours[0].ticket_stop_s, 18.5 * 3600);
  EXPECT_EQ(r.extended_hours[1].date, "2026-03-31");
  EXPECT_FALSE(r.extended_hours[1].weekday.has_value());
  EXPECT_DOUBLE_EQ(r.extended_hours[1].ticket_stop_s, 18 * 3600);  // default: the extended close
  ASSERT_EQ(r.staff.size(), 8u);
  EXPECT_FALSE(r.staff[0].extended_only);
  EXPECT_EQ(r.staff[6].id, "S-EV-A01");
  EXPECT_TRUE(r.staff[6].extended_only);
  EXPECT_TRUE(r.staff[7].extended_only);
}

TEST(JourneyLoaderTest, EveryNewFieldIsOptional) {
  const std::string ops = R"(services:
  M1: {share: 1, service_time: {dist: exponential, mean_s: 300}}
demand:
  weekdays: {weekday: [4, 5]}
roster:
  hours: {open: "09:00", close: "17:00"}
  shifts:
    - {id: day, start: "09:00", end: "17:00"}
  staff:
    - {id: S, windows: [W1, W2, A], shift: day}
)";
  const Hall h = load_text(building() + ops);
  const Operations& o = h.operations;
  EXPECT_TRUE(o.warnings.empty());
  EXPECT_FALSE(o.services[0].self_service || o.services[0].backoffice);
  EXPECT_FALSE(o.demand.guide_desk || o.demand.appointments || o.demand.groups || o.demand.balking);
  EXPECT_DOUBLE_EQ(o.demand.priority_share, 0.0);
  EXPECT_EQ(o.roster.calling, CallingPolicy::fifo);
  EXPECT_TRUE(o.roster.calling_by_window.empty());
  EXPECT_EQ(o.roster.recalls, 2);
  EXPECT_DOUBLE_EQ(o.roster.recall_interval_s, 60);
  EXPECT_DOUBLE_EQ(o.roster.no_answer_rate, 0);
  EXPECT_FALSE(o.roster.handover);
  EXPECT_DOUBLE_EQ(o.roster.max_shift_h, 0);
  EXPECT_FALSE(o.roster.groups_never_close);
  EXPECT_TRUE(o.roster.extended_hours.empty());
}

TEST(JourneyLoaderTest, BalkingThresholdIsAStep) {
  const Hall h = load_text(journey_with("{curve: [[20, 0.1], [40, 0.4], [60, 0.9]]}", "{threshold: 80}"));
  ASSERT_TRUE(h.operations.demand.balking.has_value());
  EXPECT_EQ(h.operations.demand.balking->curve, (std::vector<std::pair<double, double>>{{79, 0}, {80, 1}}));
}

TEST(JourneyLoaderTest, DemandJourneyKeysGoWithASinusoid) {
  const Hall h = load_text(
      journey_with("  block_min: 30\n  profile_start: \"08:30\"\n  weekdays:\n    weekday: [4, 5, 6]\n",
                   "  sinusoid: {mean_per_h: 60}\n"));
  EXPECT_EQ(h.operations.demand.kind, Demand::Kind::sinusoid);
  EXPECT_TRUE(h.operations.demand.guide_desk.has_value());
  EXPECT_TRUE(h.operations.demand.balking.has_value());
}

TEST(JourneyLoaderTest, ServiceErrors) {
  expect_error(journey_with("self_service: {share: 0.3", "self_service: {share: 1.3"),
               "self_service:", "services.M1.self_service.share: 1.3 is out of range");
  expect_error(
      journey_with("self_service: {share: 0.3, service_time: {dist: lognormal, mean_s: 180, cv: 0.5}}",
                   "self_service: {share: 0.3}"),
      "self_service:", "services.M1.self_service.service_time: missing");
  expect_error(journey_with("backoffice: {share: 0.5, duration: {dist: deterministic, mean_s: 3600}}",
                            "backoffice: {share: 0.5}"),
               "backoffice: {share: 0.5}", "services.M2.backoffice.duration: missing");
  expect_error(journey_with("pickup_share: 0.8", "pickup_share: -0.1"), "pickup_share",
               "services.M1.backoffice.pickup_share: -0.1 is out of range");
  expect_error(
      journey_with("pickup_time: {dist: exponential, mean_s: 90}", "pickup_time: {dist: exponential}"),
      "pickup_time", "services.M1.backoffice.pickup_time.mean_s: missing");
  expect_error(journey_with("backoffice: {share: 0.5,", "backoffice: {shares: 0.5,"), "backoffice: {shares",
               "services.M2.backoffice: unknown key 'shares'");
}

TEST(JourneyLoaderTest, DevicesAreNeeded) {
  std::string text = replaced(building() + kJourney,
                              "      - {id: DEV-K, kind: self_service_kiosk, position: [7, 1]}\n", "");
  expect_error(text, "self_service:",
               "services.M1.self_service: self-service needs at least one device of kind self_service_kiosk");
  text = replaced(building() + kJourney, "      - {id: DEV-G, kind: guide_desk, position: [6, 1]}\n", "");
  expect_error(
      text, "guide_desk:", "demand.guide_desk: the guide desk needs at least one device of kind guide_desk");
}

TEST(JourneyLoaderTest, DemandErrors) {
  expect_error(journey_with("staff_per_desk: 2", "staff_per_desk: 0"), "staff_per_desk",
               "demand.guide_desk.staff_per_desk: 0 is out of range");
  expect_error(journey_with("priority_share: 0.1", "priority_share: 1.1"), "priority_share",
               "demand.priority_share: 1.1 is out of range");
  expect_error(journey_with("slot_min: 15", "slot_min: 20"), "slot_min",
               "demand.appointments.slot_min: 20 is not a slot length; expected 15, 30 or 60");
  expect_error(journey_with("punctuality_sd_s: 300", "punctuality_sd_s: -1"), "punctuality_sd_s",
               "demand.appointments.punctuality_sd_s: -1 is out of range");
  expect_error(journey_with("no_show_rate: 0.1", "no_show_rate: 2"), "no_show_rate",
               "demand.appointments.no_show_rate: 2 is out of range");
  expect_error(journey_with("size_min: 2, size_max: 4", "size_min: 5, size_max: 4"), "size_max",
               "demand.groups.size_max: size_max 4 is smaller than size_min 5");
  expect_error(journey_with("size_max: 4", "size_max: 21"), "size_max",
               "demand.groups.size_max: 21 is out of range");
  expect_error(journey_with("size_min: 2", "size_min: 1"), "size_min",
               "demand.groups.size_min: 1 is out of range");
}

TEST(JourneyLoaderTest, BalkingErrors) {
  const std::string curve = "{curve: [[20, 0.1], [40, 0.4], [60, 0.9]]}";
  expect_error(journey_with(curve, "{threshold: 80, curve: [[20, 0.1]]}"),
               "balking:", "demand.balking: give either `threshold` or `curve`, not both");
  expect_error(journey_with(curve, "{}"), "balking:", "demand.balking.threshold: missing");
  expect_error(journey_with(curve, "{curve: [[20, 0.1], [20, 0.4]]}"),
               "balking:", "demand.balking.curve[1][0]: 20 waiting is not more than the previous point's 20");
  expect_error(journey_with(curve, "{curve: [[20, 0.5], [40, 0.4]]}"), "balking:",
               "demand.balking.curve[1][1]: probability 0.4 is less than the previous point's 0.5");
  expect_error(journey_with(curve, "{curve: [[20, 1.5]]}"),
               "balking:", "demand.balking.curve[0][1]: 1.5 is out of range");
  expect_error(journey_with(curve, "{curve: [[20, 0.1, 3]]}"),
               "balking:", "demand.balking.curve[0]: expected a pair [waiting, probability]");
  expect_error(journey_with(curve, "{threshold: 0}"),
               "balking:", "demand.balking.threshold: 0 is out of range");
}

TEST(JourneyLoaderTest, CallingErrors) {
  expect_error(
      journey_with("calling: longest_wait", "calling: random"), "calling: random",
      "roster.calling: 'random' is not a calling policy; expected one of: fifo, priority, longest_wait, "
      "appointments_first");
  expect_error(journey_with("{W1: appointments_first, A: priority}", "{W9: appointments_first, A: priority}"),
               "calling_by_window", "roster.calling_by_window.W9: 'W9' is not a window id or window row id");
  expect_error(journey_with("{W1: appointments_first, A: priority}", "{W1: appointments_first, A: first}"),
               "calling_by_window", "roster.calling_by_window.A: 'first' is not a calling policy");
  expect_error(
      journey_with("{W1: appointments_first, A: priority}", "{A01: appointments_first, A: priority}"),
      "calling_by_window", "roster.calling_by_window.A: window 'A01' already has a calling policy");
  expect_error(journey_with("recalls: 3", "recalls: 11"), "recalls:", "roster.recalls: 11 is out of range");
  expect_error(journey_with("recall_interval_s: 45", "recall_interval_s: 0"), "recall_interval_s",
               "roster.recall_interval_s: must be greater than 0");
  expect_error(journey_with("no_answer_rate: 0.03", "no_answer_rate: 1.03"), "no_answer_rate",
               "roster.no_answer_rate: 1.03 is out of range");
  expect_error(journey_with("handover_gap_s: 120", "handover_gap_s: -5"), "handover_gap_s",
               "roster.handover_gap_s: -5 is out of range");
}

TEST(JourneyLoaderTest, RosterRules) {
  expect_error(
      journey_with("max_shift_h: 9", "max_shift_h: 8"), "{id: early",
      "roster.shifts[early]: the shift 08:45-17:15 lasts 8.5 h, longer than roster.rules.max_shift_h (8 h)");
  expect_error(journey_with("min_break_min: 30", "min_break_min: 75"), "{start: \"11:30\"",
               "roster.shifts[early].breaks[0]: the break 11:30-12:30 lasts 60 min, shorter than "
               "roster.rules.min_break_min (75 min)");
  expect_error(
      journey_with("break_after_h: 6", "break_after_h: 3.5"), "{id: am",
      "roster.shifts[am]: the shift 08:45-12:30 lasts 3.75 h without a break; roster.rules.break_after_h "
      "(3.5 h) asks for one");
  // Both windows of the row A lunch at 11:30.
  const std::string text =
      journey_with("{id: S-A02, window: A02, shift: late}", "{id: S-A02, window: A02, shift: early}");
  expect_error(
      text, "groups_never_close",
      "roster.rules.groups_never_close: window group 'A' (A01, A02) has no staffed window on mon from 11:30 "
      "(also on tue, wed, thu, fri)");
  // Without the rule the same roster is fine.
  EXPECT_NO_THROW(load_text(replaced(text, "groups_never_close: true", "groups_never_close: false")));
}

TEST(JourneyLoaderTest, GroupsNeverCloseUsesTheQueueGroups) {
  // per_group with one group of W1, W2 and the row: the row's common lunch is
  // covered by W1 or W2.
  std::string text =
      journey_with("{id: S-A02, window: A02, shift: late}", "{id: S-A02, window: A02, shift: early}");
  text = replaced(text, "  calling: longest_wait\n",
                  "  calling: longest_wait\n  queues: per_group\n  window_groups:\n    - {id: G, windows: "
                  "[W1, W2, A]}\n");
  const Hall h = load_text(text);
  ASSERT_EQ(h.operations.roster.groups.size(), 1u);
  // A single window with one member of staff who lunches closes.
  text = replaced(text, "    - {id: S-PM, windows: [W1, W2], shift: pm}\n", "");
  text = replaced(text, "    - {id: S-AM, windows: [W1, W2], shift: am}\n",
                  "    - {id: S-W, windows: [W1, W2], shift: late}\n");
  text = replaced(text, "    - {id: G, windows: [W1, W2, A]}\n", "    - {id: G, windows: [A]}\n");
  expect_error(text, "groups_never_close", "window group 'W1' (W1) has no staffed window on mon from 12:30");
}

TEST(JourneyLoaderTest, ExtendedHoursErrors) {
  expect_error(journey_with("{weekday: wed, close: \"19:00\"", "{weekday: wed, close: \"16:00\""),
               "weekday: wed", "roster.extended_hours[0].close: 16:00 is not after the normal close 17:00");
  expect_error(
      journey_with("ticket_stop: \"18:30\"", "ticket_stop: \"19:30\""), "weekday: wed",
      "roster.extended_hours[0].ticket_stop: 19:30 is outside the extended opening hours 09:00-19:00");
  expect_error(journey_with("{weekday: wed,", "{weekday: sat,"), "weekday: sat",
               "roster.extended_hours[0].weekday: the hall is closed on sat (roster.hours.days)");
  expect_error(journey_with("{weekday: wed,", "{weekday: wednesday,"), "weekday: wednesday",
               "roster.extended_hours[0].weekday: 'wednesday' is not a weekday");
  expect_error(journey_with("{date: 2026-03-31,", "{date: 2026-03-29,"), "date: 2026-03-29",
               "roster.extended_hours[1].date: 2026-03-29 is a sun, a day the hall is closed");
  expect_error(journey_with("{date: 2026-03-31,", "{date: 2026-02-30,"), "date: 2026-02-30",
               "roster.extended_hours[1].date: '2026-02-30' is not a date");
  expect_error(
      journey_with("{date: 2026-03-31,", "{weekday: wed, date: 2026-03-31,"), "date: 2026-03-31",
      "roster.extended_hours[1]: give either `weekday` (every such day) or `date` (one day), not both");
  expect_error(journey_with("{date: 2026-03-31,", "{weekday: wed,"), "close: \"18:00\"",
               "roster.extended_hours[1]: wed already has extended hours");
  expect_error(journey_with("{date: 2026-03-31, close: \"18:00\"}", "{close: \"18:00\"}"),
               "{close: \"18:00\"}", "roster.extended_hours[1].weekday: missing");
}

TEST(JourneyLoaderTest, ExtendedOnlyStaffMustMeetAnExtension) {
  // A shift after every extended close.
  expect_error(
      journey_with("{id: evening, start: \"17:15\", end: \"19:15\"}",
                   "{id: evening, start: \"19:00\", end: \"20:00\"}"),
      "extended_only: true",
      "roster.staff[S-EV].extended_only: works only on days with extended hours, but its shift 'evening' "
      "(19:00-20:00) on its days overlaps no extended time");
  // The evening shift on days without an extension (wed is an extension; 2026-03-31 is a tue).
  expect_error(journey_with("shift: evening, extended_only: true",
                            "shift: evening, days: [mon, thu], extended_only: true"),
               "extended_only: true",
               "roster.staff[S-EV].extended_only: works only on days with extended hours");
  EXPECT_NO_THROW(load_text(journey_with("shift: evening, extended_only: true",
                                         "shift: evening, days: [tue], extended_only: true")));
  expect_error(journey_with("extended_only: true", "extended_only: 1"), "extended_only: 1",
               "roster.staff[S-EV].extended_only");
  // Shifts may reach into the extended hours, not beyond them.
  expect_error(
      journey_with("{id: evening, start: \"17:15\", end: \"19:15\"}",
                   "{id: evening, start: \"19:00\", end: \"20:00\"}"),
      "{id: evening",
      "roster.shifts[evening]: the shift 19:00-20:00 lies entirely outside the opening hours 09:00-19:00 "
      "(with the extended hours)");
}

TEST(JourneyLoaderTest, ErrorsAreAllCollected) {
  std::string text = journey_with("slot_min: 15", "slot_min: 20");
  text = replaced(text, "recalls: 3", "recalls: 11");
  text = replaced(text, "{weekday: wed,", "{weekday: sat,");
  const auto msg = load_error(text);
  EXPECT_NE(msg.find("demand.appointments.slot_min"), std::string::npos) << msg;
  EXPECT_NE(msg.find("roster.recalls"), std::string::npos) << msg;
  EXPECT_NE(msg.find("roster.extended_hours[0].weekday"), std::string::npos) << msg;
}

TEST(JourneyLoaderTest, Warnings) {
  std::string text = journey_with("{W1: appointments_first, A: priority}", "{W1: fifo}");
  Hall h = load_text(text);
  const std::string appt = ":" + std::to_string(line_of(text, "  appointments:")) +
                           ":17: warning: demand.appointments: appointments are booked but no window calls "
                           "`appointments_first`";
  const std::string prio =
      ":" + std::to_string(line_of(text, "  priority_share:")) +
      ":19: warning: demand.priority_share: priority citizens come but no window calls `priority`";
  EXPECT_TRUE(has_warning(h, appt)) << (h.operations.warnings.empty() ? "" : h.operations.warnings.front());
  EXPECT_TRUE(has_warning(h, prio));
  // The default policy counts for every window it is not overridden on.
  h = load_text(replaced(text, "calling: longest_wait", "calling: priority"));
  EXPECT_FALSE(has_warning(h, "demand.priority_share"));
  EXPECT_TRUE(has_warning(h, "demand.appointments"));
  // No appointments or priority citizens: nothing to say.
  text = replaced(text, "  priority_share: 0.1\n", "");
  text = replaced(text, "appointments: {share: 0.2,", "appointments: {share: 0,");
  EXPECT_TRUE(load_text(text).operations.warnings.empty());
}

TEST(JourneyLoaderTest, VersionTwoRejectsJourneyFields) {
  const std::string want = "needs format: " + kJourneyFormat + " (this file says halltwin-scenario/2)";
  const std::string text = building("halltwin-scenario/2") + kJourney;
  expect_error(text, "self_service:", "services.M1.self_service: " + want);
  expect_error(text, "backoffice: {share: 0.6", "services.M1.backoffice: " + want);
  expect_error(text, "guide_desk:", "demand.guide_desk: " + want);
  expect_error(text, "priority_share:", "demand.priority_share: " + want);
  expect_error(text, "appointments:", "demand.appointments: " + want);
  expect_error(text, "groups: {share", "demand.groups: " + want);
  expect_error(text, "balking:", "demand.balking: " + want);
  expect_error(text, "calling: longest_wait", "roster.calling: " + want);
  expect_error(text, "calling_by_window", "roster.calling_by_window: " + want);
  expect_error(text, "recalls:", "roster.recalls: " + want);
  expect_error(text, "recall_interval_s:", "roster.recall_interval_s: " + want);
  expect_error(text, "no_answer_rate:", "roster.no_answer_rate: " + want);
  expect_error(text, "handover: true", "roster.handover: " + want);
  expect_error(text, "handover_gap_s:", "roster.handover_gap_s: " + want);
  expect_error(text, "rules:", "roster.rules: " + want);
  expect_error(text, "    - {weekday: wed", "roster.extended_hours: " + want);
  expect_error(text, "extended_only: true", "roster.staff[S-EV].extended_only: " + want);
  // The same file without them is a valid version-2 file.
  const std::string v2 = building("halltwin-scenario/2") + R"(services:
  M1: {share: 1, service_time: {dist: exponential, mean_s: 300}}
demand:
  weekdays: {weekday: [4, 5]}
roster:
  hours: {open: "09:00", close: "17:00"}
  shifts:
    - {id: day, start: "09:00", end: "17:00"}
  staff:
    - {id: S, windows: [W1, W2, A], shift: day}
)";
  EXPECT_EQ(load_text(v2).format, "halltwin-scenario/2");
}

TEST(JourneyLoaderTest, FormatVersionIsOneConstant) {
  // Format 5 (evacuation part 2) came after the journey's version 4.
  EXPECT_GE(scenario_format_version(kScenarioFormat), kJourneyFormatVersion);
  EXPECT_EQ(scenario_format_version(kJourneyFormat), kJourneyFormatVersion);
  EXPECT_EQ(scenario_format_version("halltwin-scenario/2"), 2);
  EXPECT_EQ(scenario_format_version("halltwin-scenario/"), 0);
  EXPECT_EQ(scenario_format_version("other/4"), 0);
}

TEST(JourneyLoaderTest, BundledCountyPairLoads) {
  const std::filesystem::path dir = std::filesystem::path(HALLTWIN_SOURCE_DIR) / "scenarios";
  const Hall comprehensive = load_scenario((dir / "county.yaml").string());
  const Hall department = load_scenario((dir / "county-department-windows.yaml").string());
  for (const Hall* h : {&comprehensive, &department}) {
    SCOPED_TRACE(h->source_file);
    // county.yaml carries the emergency plans of format 6, its pair stays at the journey's version.
    EXPECT_GE(scenario_format_version(h->format), kJourneyFormatVersion);
    const Operations& o = h->operations;
    EXPECT_TRUE(o.demand.guide_desk.has_value());
    EXPECT_TRUE(o.demand.appointments.has_value());
    EXPECT_TRUE(o.demand.balking.has_value());
    EXPECT_GT(o.demand.priority_share, 0.0);
    EXPECT_FALSE(o.roster.extended_hours.empty());
    EXPECT_TRUE(std::any_of(o.roster.staff.begin(), o.roster.staff.end(),
                            [](const StaffMember& m) { return m.extended_only; }));
    EXPECT_TRUE(std::any_of(o.services.begin(), o.services.end(),
                            [](const MatterService& m) { return m.self_service.has_value(); }));
    EXPECT_TRUE(std::any_of(o.services.begin(), o.services.end(),
                            [](const MatterService& m) { return m.backoffice.has_value(); }));
    EXPECT_FALSE(has_warning(*h, "demand.appointments"));
    EXPECT_FALSE(has_warning(*h, "demand.priority_share"));
  }
  // The comprehensive windows keep every window group open at lunch; a
  // department with one window cannot.
  EXPECT_TRUE(comprehensive.operations.roster.groups_never_close);
  EXPECT_FALSE(department.operations.roster.groups_never_close);
  // The pair differs in its windows only: same building, demand and staff count.
  EXPECT_EQ(comprehensive.windows.size(), department.windows.size());
  EXPECT_EQ(comprehensive.operations.roster.staff.size(), department.operations.roster.staff.size());
  EXPECT_EQ(comprehensive.operations.demand.arrivals_per_block,
            department.operations.demand.arrivals_per_block);
  ASSERT_EQ(comprehensive.operations.services.size(), department.operations.services.size());
  for (std::size_t i = 0; i < comprehensive.operations.services.size(); ++i)
    EXPECT_DOUBLE_EQ(comprehensive.operations.services[i].share, department.operations.services[i].share);
  EXPECT_EQ(department.operations.roster.queues, QueueDiscipline::per_group);
  // Every department window serves the matters of one department only (B09
  // stays comprehensive, as the rulebook asks for one; the accessible,
  // help-desk, problem-solving and pickup windows stay as they are).
  int department_windows = 0;
  for (const Window& w : department.windows) {
    if (w.kind != WindowKind::department) continue;
    ++department_windows;
    std::set<std::string> departments;
    for (MatterId m : w.matters) departments.insert(department.matters[m.value].department);
    EXPECT_EQ(departments.size(), 1u) << w.id;
  }
  EXPECT_EQ(department_windows, 25);
}

}  // namespace
}  // namespace halltwin
