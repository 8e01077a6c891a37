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
  double mean_s = 0.0;            // all but empirical: the mean (deterministic: the value)
  double cv = 1.0;                // lognormal, gamma: coefficient of variation (sd / mean), > 0
  std::vector<double> values_s;   // empirical: observed durations, drawn uniformly (bootstrap)
  double mean() const;            // the distribution's mean, seconds
};

// Days of the week, Monday first (ISO 8601 numbering minus one).
enum class Weekday { mon, tue, wed, thu, fri, sat, sun };
inline constexpr int kWeekdays = 7;

// One matter's service: share of the day's demand and its service time.
struct MatterService {
  MatterId matter;
  double share = 0.0;        // fraction of arrivals asking for this matter, 0..1; shares sum to 1
  Distribution service_time;  // at the window, seconds
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
  std::uint32_t shift = 0;            // index into Roster::shifts
  std::vector<MatterId> skills;       // empty in the file: the window's matters
  std::array<bool, kWeekdays> days{};  // works on these weekdays
};

// Windows that share ticket queues.
struct WindowGroup {
  std::string id;
  std::vector<WindowId> windows;
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
  // per_group: groups from `window_groups`, else one per window_rows entry
  // and one per single window.
  std::vector<WindowGroup> groups;
};

struct Targets {
  double wait_s = 1200.0;  // the target wait (e.g. 20 min)
  std::optional<double> within_target_rate_min;  // 0..1
  std::optional<double> abandon_rate_max;        // 0..1
  std::optional<double> standing_max;            // persons
};

// How citizens walk between the ticket machine, their seat and the window.
struct Walking {
  bool enabled = true;           // off: walking takes no time (queueing validation, benchmark)
  bool seat_limit = true;        // off: everybody finds a seat (no one stands)
  double speed_mean_mps = 1.2;   // level-floor walking speed, normal distribution
  double speed_sd_mps = 0.2;
  double speed_min_mps = 0.4;    // the drawn speed is clipped to [min, max]
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

}  // namespace halltwin
