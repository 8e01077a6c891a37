#pragma once
// The header of a trace: which format, which run produced it, which day it
// starts and how often moving people are sampled. Written as '#key,value'
// lines above the column line (docs/trace-format.md, "Header").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace halltwin {

struct TraceHeader {
  // The format and version this code reads and writes. A reader rejects any
  // other value (docs/trace-format.md, "Versioning").
  static constexpr std::string_view kFormat = "halltwin-trace/2";
  // Still read: version 1 has every event type but `appointment`.
  static constexpr std::string_view kFormatV1 = "halltwin-trace/1";
  int version = 2;  // the version read (the writer always writes the newest)

  std::string scenario;       // display name of the scenario / hall, may be Chinese; empty = none
  std::string scenario_file;  // scenario path as given to the producer; empty = none
  std::string source;  // the producer, required: "halltwin run", "halltwin evac", "halltwin replay", ...
  std::optional<std::uint64_t> seed;  // the run's random seed; none for observed data
  std::optional<int> replication;     // 1-based replication number; none for observed data
  std::string start_date;             // YYYY-MM-DD, the date of day 0; empty = unknown
  // Interval between position samples of a moving person, seconds, e.g. 1.0
  // for a hall day, 0.5 for an evacuation. None: the trace holds no
  // `position` records.
  std::optional<double> sample_interval_s;
};

// The header keys in the order they are written (all are always written;
// an unknown value is an empty field).
inline constexpr std::string_view kTraceHeaderKeys[] = {
    "format", "scenario",    "scenario_file", "source",
    "seed",   "replication", "start_date",    "sample_interval_s"};

struct HeaderProblem {
  std::string_view key;  // one of kTraceHeaderKeys
  std::string message;
};

// Checks the values: source not empty, replication >= 1, start_date a real
// calendar date, sample interval within [0.001, 86400] s, text valid UTF-8.
std::optional<HeaderProblem> check_header(const TraceHeader& header);

// True when `date` is YYYY-MM-DD and a real calendar date.
bool is_valid_date(std::string_view date);

// The date of day `day` of a trace starting on `start_date` (YYYY-MM-DD), as
// YYYY-MM-DD; empty when start_date is empty or invalid.
std::string date_of_day(std::string_view start_date, int day);

}  // namespace halltwin
