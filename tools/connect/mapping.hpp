#pragma once
// The mapping of a queue-system export onto the twin's visits: which column
// holds which stage of a visit, how times and dates are written, which value
// means "did not happen", how outcomes read, and the corrections a real file
// needs (a wrong year, midnight crossings, a time zone, clock skew).
// Format `halltwin-mapping/1`, documented in docs/queue-data.md; read through
// the one YAML entry point with file:line:column errors.
#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace halltwin::connect {

// What a record's outcome value means.
enum class Outcome : unsigned char {
  served,             // served at a window
  abandoned,          // joined a queue and left before being called
  no_show,            // called, nobody came
  left_before_queue,  // never joined a queue, not served (hung up in the voice menu, walked out)
  phantom,            // a ghost record (no visit behind it): entered and left, no ticket
  incomplete,         // still open when exported (issued, waiting, called, on hold): rejected
};
inline constexpr std::size_t kOutcomeCount = 6;
std::string_view name(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view s);

// The fields of a visit a mapping may name a column for.
enum class Field : unsigned char {
  visit_id,
  date,
  entered,
  ticket_issued,
  called,
  service_start,
  service_end,
  left,
  window,
  matter,
  priority,
  outcome,
  staff,
};
inline constexpr std::size_t kFieldCount = 13;
std::string_view name(Field f);

enum class DateFormat : unsigned char { ymd_dash, ymd_slash, dmy_slash };
enum class TimeFormat : unsigned char { hms, datetime };  // H:MM[:SS] | YYYY-MM-DD HH:MM[:SS]

struct Mapping {
  static constexpr std::string_view kFormat = "halltwin-mapping/1";
  std::string file;  // as given
  std::string name;
  char delimiter = ',';
  // Column names by Field; empty = not in the export.
  std::array<std::string, kFieldCount> columns;
  DateFormat date_format = DateFormat::ymd_dash;
  TimeFormat time_format = TimeFormat::hms;
  std::vector<std::string> none_values;        // a time with one of these values did not happen
  std::vector<std::string> no_window_values;   // a window value meaning "none" (NO_SERVER)
  std::map<std::string, Outcome> outcomes;     // raw outcome value -> outcome
  std::optional<Outcome> default_outcome;      // no outcome column: derived from the stages when absent
  std::map<std::string, std::string> windows;  // raw -> window id (rename); empty: as logged
  bool reject_unknown_windows = false;         // true: a window not in `windows` is rejected
  std::map<std::string, std::string> matters;  // raw -> matter id
  bool reject_unknown_matters = false;
  std::optional<int> set_year;                // date correction: replace the year
  int add_days = 0;                           // date correction: shift dates
  bool midnight_crossing = true;              // a stage earlier than the one before it by more
  double max_visit_s = 12 * 3600.0;           //   than 24 h - max_visit_s crossed midnight
  double time_shift_s = 0.0;                  // hall offset - log offset (time zone)
  double skew_tolerance_s = 60.0;             // stages out of order by at most this are clamped
  std::vector<std::string> personal_columns;  // never read, never written
  // The priority column's values that mark a priority citizen (called ahead
  // of the others by a window whose calling policy is `priority`); empty:
  // every value other than 0 does. The bank log: 2 (1 is a regular customer).
  std::vector<int> priority_values;
  // The longest a visit stays open before the queue system writes its row,
  // seconds (what `import --follow-lag` takes; the flag overrides it). 0: not
  // stated, so a live import writes a date's events only when the next date begins.
  double follow_lag_s = 0.0;
};

// The top-level keys a mapping may have (docs/mapping.schema.json lists the same).
std::span<const std::string_view> mapping_keys();

// Loads and validates a mapping; throws InputError with every problem.
Mapping load_mapping(const std::string& path);

}  // namespace halltwin::connect
