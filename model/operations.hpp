#pragma once
// The operating side of a hall, as loaded from the scenario sections
// `services`, `demand`, `roster`, `targets` and `walking` (scenario format
// version 2, docs/scenario-format.md): how long each matter takes, how many
// citizens come when, who staffs which window when, and what service level
// the hall promises. Data only; the operations simulator (sim/ops/) runs it.
//
// Times of day are seconds since 00:00 local time (e.g. 30600 = 08:30);
// durations are seconds; rates are citizens per hour.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.hpp"

namespace halltwin {

// A non-negative random duration, seconds.
struct Distribution {
  enum class Kind { exponential, lognormal, gamma, empirical, deterministic };
  Kind kind = Kind::exponential;
  double mean_s = 0.0;           // all but empirical: the mean (deterministic: the value)
  double cv = 1.0;               // lognormal, gamma: coefficient of variation (sd / mean), > 0
  std::vector<double> values_s;  // empirical: observed durations, drawn uniformly (bootstrap)
  double mean() const;           // the distribution's mean, seconds
};

// Days of the week, Monday first (ISO 8601 numbering minus one).
enum class Weekday { mon, tue, wed, thu, fri, sat, sun };
inline constexpr int kWeekdays = 7;

// One matter's service: share of the day's demand and its service time.
// Part of a matter done at a self-service kiosk instead of a window.
struct SelfService {
  double share = 0.0;         // of the matter's citizens, 0..1
  Distribution service_time;  // at the kiosk, seconds
};

// Back-office approval after the window and the later visit to pick up the result.
struct BackOffice {
  double share = 0.0;         // of the matter's window services that go to the back office, 0..1
  Distribution duration;      // approval time, seconds (may span days: 2 days = 172800)
  double pickup_share = 1.0;  // of approved cases collected in person (the rest are mailed), 0..1
  Distribution pickup_delay;  // from approval to the pickup visit, seconds; the visit moves
                              // to the next opening time when it falls outside opening hours
  Distribution pickup_time;   // at the pickup window, seconds
};

struct MatterService {
  MatterId matter;
  double share = 0.0;         // fraction of arrivals asking for this matter, 0..1; shares sum to 1
  Distribution service_time;  // at the window, seconds
  std::optional<SelfService> self_service;  // format 4
  std::optional<BackOffice> backoffice;     // format 4
};

// The guide desk (咨询导办): a share of citizens asks there first (format 4).
struct GuideDesk {
  double share = 0.0;         // of arriving citizens, 0..1
  Distribution service_time;  // seconds, typically 30-120
  int staff_per_desk = 1;     // servers at each guide_desk device of the hall
};

// Appointments (预约): a share of each block's demand books a slot (format 4).
struct Appointments {
  double share = 0.0;             // of the demand, 0..1
  int slot_min = 30;              // slot length, minutes (15, 30 or 60)
  double punctuality_mean_s = 0;  // arrival relative to the slot start, seconds (negative: early)
  double punctuality_sd_s = 0;    // spread, seconds (normal)
  double no_show_rate = 0.0;      // booked slots nobody comes to, 0..1
};

// Groups arriving together (families, a company's staff), each member with a ticket (format 4).
struct Groups {
  double share = 0.0;  // of arrival events that are groups, 0..1
  int size_min = 2;    // members, drawn uniformly in [size_min, size_max]
  int size_max = 3;
};

// Balking (format 4): an arriving citizen leaves without a ticket when the hall
// is crowded. Probability by the number waiting, linear between the points
// (0 below the first, the last value above the last); a threshold T is the
// curve {T-1: 0, T: 1}.
struct Balking {
  std::vector<std::pair<double, double>> curve;  // (citizens waiting, probability), increasing
};

// A date with a demand factor: month-end rush (1.3), a holiday (0 = closed).
struct DateFactor {
  std::string date;  // YYYY-MM-DD
  double factor = 1.0;
  std::string note;  // e.g. "国庆节"
};

struct Demand {
  enum class Kind { profile, sinusoid };
  Kind kind = Kind::profile;

  // kind == profile: expected arrivals per block, from `profile_start_s`,
  // per weekday (an empty profile: no arrivals that weekday).
  int block_min = 30;  // 15, 30 or 60
  double profile_start_s = 8 * 3600.0;
  std::array<std::vector<double>, kWeekdays> arrivals_per_block;
  std::vector<DateFactor> date_factors;  // sorted by date, unique
  // Multiplies the demand of the last open day of each month (1 = off).
  double month_end_factor = 1.0;

  // kind == sinusoid (validation): lambda(t) = mean + amplitude * sin(2 pi t / period),
  // t in seconds since 00:00 of the first simulated day, continuous over days.
  double mean_per_h = 0.0;
  double amplitude_per_h = 0.0;  // |amplitude| <= mean
  double period_h = 24.0;

  // Patience of a waiting citizen (abandonment); absent: nobody abandons.
  std::optional<Distribution> patience;

  // Format 4.
  std::optional<GuideDesk> guide_desk;  // absent: nobody asks at the guide desk first
  double priority_share = 0.0;          // elderly, disabled: called before the others by `priority` windows
  std::optional<Appointments> appointments;
  std::optional<Groups> groups;
  std::optional<Balking> balking;
};

struct TimeSpan {
  double start_s = 0.0;  // seconds since 00:00
  double end_s = 0.0;    // > start_s; at most 86400
};

struct Shift {
  std::string id;
  TimeSpan span;
  std::vector<TimeSpan> breaks;  // inside the span, ordered, not overlapping
};

// A member of staff: works one shift at one window on the listed weekdays,
// serving the matters that are both in `skills` and on the window.
struct StaffMember {
  std::string id;  // e.g. "S-A01"
  WindowId window;
  std::uint32_t shift = 0;             // index into Roster::shifts
  std::vector<MatterId> skills;        // empty in the file: the window's matters
  std::array<bool, kWeekdays> days{};  // works on these weekdays
  bool extended_only = false;          // format 4: works only on days with extended hours
};

// Windows that share ticket queues.
struct WindowGroup {
  std::string id;
  std::vector<WindowId> windows;
};

// How a window chooses the next ticket among the queues it serves (format 4).
enum class CallingPolicy {
  fifo,                // the oldest ticket over its matters (format 2's only policy)
  priority,            // priority citizens first, FIFO within each class (non-preemptive)
  longest_wait,        // the queue whose head has waited longest, weighting nothing else
  appointments_first,  // appointment holders whose slot has begun first, then FIFO
};

enum class QueueDiscipline {
  per_matter,  // one ticket queue per matter, shared by the whole hall
  per_group,   // one ticket queue per matter and window group
};

struct Roster {
  // Opening hours: the doors open at `open_s`, tickets stop at
  // `ticket_stop_s` (<= close_s); citizens holding a ticket are still served.
  double open_s = 9 * 3600.0;
  double close_s = 17 * 3600.0;
  double ticket_stop_s = 17 * 3600.0;
  std::array<bool, kWeekdays> open_days{true, true, true, true, true, false, false};
  std::vector<Shift> shifts;
  std::vector<StaffMember> staff;
  QueueDiscipline queues = QueueDiscipline::per_matter;
  // Format 4: the calling policy of every window, unless overridden per window.
  CallingPolicy calling = CallingPolicy::fifo;
  std::vector<std::pair<WindowId, CallingPolicy>> calling_by_window;
  // Format 4: a called ticket is recalled this many times (every recall_interval_s)
  // before it is given up as a no-show; the probability that a called citizen
  // does not come (left, not listening).
  int recalls = 2;
  double recall_interval_s = 60.0;
  double no_answer_rate = 0.0;
  // Format 4: at a shift end the member finishes the current citizen
  // (overtime, the default) or hands the citizen over to the next shift at the
  // same window when one starts within `handover_gap_s`.
  bool handover = false;
  double handover_gap_s = 0.0;
  // Format 4 roster rules, checked at load (0 = no rule).
  double max_shift_h = 0.0;         // longest shift span
  double min_break_min = 0.0;       // each break at least this long
  double break_after_h = 0.0;       // a break needed when a shift is longer than this
  bool groups_never_close = false;  // in opening hours every window group keeps one window staffed
  // Format 4: extended hours (延时服务) on given dates or weekdays: a later close.
  struct Extension {
    std::string date;  // YYYY-MM-DD, or empty for every `weekday`
    std::optional<Weekday> weekday;
    double close_s = 0.0;        // the extended closing time
    double ticket_stop_s = 0.0;  // the extended ticket stop
  };
  std::vector<Extension> extended_hours;
  // per_group: groups from `window_groups`, else one per window_rows entry
  // and one per single window.
  std::vector<WindowGroup> groups;
};

struct Targets {
  double wait_s = 1200.0;                        // the target wait (e.g. 20 min)
  std::optional<double> within_target_rate_min;  // 0..1
  std::optional<double> abandon_rate_max;        // 0..1
  std::optional<double> standing_max;            // persons
};

// How citizens walk between the ticket machine, their seat and the window.
struct Walking {
  bool enabled = true;          // off: walking takes no time (queueing validation, benchmark)
  bool seat_limit = true;       // off: everybody finds a seat (no one stands)
  double speed_mean_mps = 1.2;  // level-floor walking speed, normal distribution
  double speed_sd_mps = 0.2;
  double speed_min_mps = 0.4;  // the drawn speed is clipped to [min, max]
  double speed_max_mps = 1.8;
  double stair_speed_mps = 0.6;  // along the stair's slope
};

struct Operations {
  bool present = false;  // the scenario has the sections (format 2 or later)
  std::vector<MatterService> services;
  Demand demand;
  Roster roster;
  Targets targets;
  Walking walking;
  // Legal but odd (a window nobody staffs, a weekday without demand while
  // open): "FILE:LINE:COLUMN: warning: FIELD: MESSAGE", shown with results.
  std::vector<std::string> warnings;
};

std::string_view name(Weekday d);
std::string_view name(Distribution::Kind k);
std::string_view name(QueueDiscipline q);
std::string_view name(CallingPolicy p);

}  // namespace halltwin
