#pragma once
// A visit as the connector hands it on: one per imported record, compact and
// without heap memory (ids are interned, the ticket text is inline), so that
// a day of records is a flat array. Times are seconds since 00:00 of the
// trace's first date (start_date), in the hall's local time; NaN = did not happen.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tools/connect/mapping.hpp"

namespace halltwin::connect {

inline constexpr std::uint32_t kNoId = 0xffffffffu;
inline constexpr double kNever = std::numeric_limits<double>::quiet_NaN();
inline bool happened(double t) { return !std::isnan(t); }

struct Visit {
  std::uint64_t row = 0;  // 1-based data row of the export (the header is not a row)
  double entered = kNever, ticket = kNever, called = kNever, start = kNever, end = kNever, left = kNever;
  std::uint32_t matter = kNoId, window = kNoId, staff = kNoId;
  int priority = 0;  // 1: a priority citizen (the mapping's priority_values), else 0
  int date_day = 0;  // the record's own date, days since start_date
  Outcome outcome = Outcome::served;
  // From a halltwin trace (operations part 2): done at a self-service kiosk
  // without a ticket; a pickup visit (not a first visit: not in the KPIs).
  bool self_served = false, pickup = false;
  unsigned char ticket_len = 0;
  char ticket_id[30] = {};
  std::string_view ticket_text() const { return {ticket_id, ticket_len}; }
  // The first time the visit was seen (entered, else ticket, else called, else start).
  double first() const;
};

// Interned ids (windows, matters, staff): a handful of distinct values, looked
// up by string_view without allocating.
class Interner {
 public:
  std::uint32_t id(std::string_view s);
  const std::string& text(std::uint32_t i) const { return names_[i]; }
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint32_t, Hash, std::equal_to<>> map_;
  std::vector<std::string> names_;
};

// Why a row was rejected. Every row is imported or rejected with one of these.
enum class Reject : unsigned char {
  missing_column,                // fewer fields than the header
  extra_columns,                 // more fields than the header
  bad_encoding,                  // not valid UTF-8
  missing_id,                    // the visit id is empty
  bad_date,                      // the date does not parse or is not a calendar date
  bad_time,                      // a time does not parse
  unknown_outcome,               // an outcome value the mapping does not list
  incomplete_visit,              // still open when exported (waiting, called, on hold)
  unknown_window,                // a window the mapping's list does not have (unknown_windows: reject)
  unknown_matter,                // a matter the mapping's list does not have (unknown_matters: reject)
  missing_window,                // served, but no window or server recorded
  served_without_service_times,  // served, but no service start or end
  end_before_start,              // service ended before it started (and not across midnight)
  stages_out_of_order,           // a stage earlier than the one before it beyond the skew tolerance
  unsafe_id,                     // an id a spreadsheet would run as a formula (=, +, -, @)
  id_too_long,                   // a visit id longer than 30 bytes
  date_before_window,  // a date earlier than a day already written (rows sorted by date only within a day
                       // window)
  before_trace_start,  // the time-zone shift moves the visit before the first date
  beyond_follow_lag,   // --follow-lag S: an event earlier than the newest row's last event minus S
                       // (the trace may already hold later events)
};
inline constexpr std::size_t kRejectCount = 19;
std::string_view name(Reject r);

// Oddities that are tolerated, each counted.
enum class Note : unsigned char {
  skew_clamped,          // a stage a little earlier than the one before it: moved to it
  midnight_crossing,     // a stage after midnight of the record's date
  served_without_queue,  // served, never queued: waited 0
  service_ignored,       // an unserved record with a service period: the period is ignored
  overlapping_service,   // a server's service starting before its previous one ended
  window_ignored,        // an unserved record naming a window
};
inline constexpr std::size_t kNoteCount = 6;
std::string_view name(Note n);

struct RejectedRow {
  std::uint64_t row = 0, line = 0;
  Reject reason{};
  std::string detail;
};

struct ImportStats {
  std::uint64_t rows = 0, imported = 0;
  std::array<std::uint64_t, kRejectCount> rejected{};
  std::array<std::uint64_t, kOutcomeCount> outcomes{};  // of imported rows
  std::array<std::uint64_t, kNoteCount> notes{};
  std::map<std::string, std::uint64_t> raw_outcomes;           // every row's outcome value as written
  std::map<std::string, std::uint64_t> rejected_raw_outcomes;  // of the rejected rows
  std::vector<RejectedRow> rejected_rows;                      // the first kMaxRejectedRows
  std::uint64_t days = 0;
  std::string first_date, last_date;
  std::uint64_t bytes = 0;
  std::uint64_t rejected_total() const {
    std::uint64_t n = 0;
    for (auto r : rejected) n += r;
    return n;
  }
};
inline constexpr std::size_t kMaxRejectedRows = 100000;

// The ids and dates shared by the importer and its consumers.
struct Catalog {
  Interner windows, matters, staff;
  std::string start_date;  // YYYY-MM-DD of day 0
};

// Receives the imported visits one date at a time (the record's own date),
// sorted by first() then row. `visits` is only valid during the call.
class VisitSink {
 public:
  virtual ~VisitSink() = default;
  virtual void day(const Catalog& catalog, int date_day, std::span<const Visit> visits) = 0;
  // After the last day.
  virtual void finish(const Catalog&) {}
  // With a lateness bound (ImportOptions::follow_lag_s): the visits of the
  // current date imported since the last call, in row order, as soon as the
  // importer has them (before it waits for input, and before day() hands the
  // whole date on); `safe_before` (absolute seconds): no row still to come
  // holds an event earlier. Every visit passes here once before its day();
  // a sink that streams (the trace) works here and skips them in day().
  virtual void early(const Catalog&, std::span<const Visit> /*visits*/, double /*safe_before*/) {}
};

}  // namespace halltwin::connect
