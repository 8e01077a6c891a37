#pragma once
// The CSV connector: reads a queue-system export through a mapping, row by
// row in constant memory per day, and hands each date's visits to sinks
// (trace writer, observed KPIs, calibration). Every row is imported or
// rejected with a reason (ImportStats).
//
// Day window: the export must be ordered by date (rows of one date may come
// in any order). The importer keeps one date's records, sorts them and hands
// them on when the date changes; a row dated before the current date is
// rejected as `date_before_window`. With a lateness bound
// (ImportOptions::follow_lag_s) the current date's visits are also handed on
// as they come. docs/queue-data.md.
#include <string>
#include <vector>

#include "tools/connect/mapping.hpp"
#include "tools/connect/visit.hpp"

namespace halltwin::connect {

struct ImportOptions {
  // Keep reading at the end of the file (a growing export or standard input)
  // until `stop` returns true (polled every follow_poll_ms).
  bool follow = false;
  int follow_poll_ms = 200;
  bool (*stop)() = nullptr;
  // With follow: end the import once the file has not grown for this long
  // (seconds; 0: never), for a feed that ends without a signal (and tests).
  double idle_exit_s = 0.0;
  // A lateness bound (seconds; 0: none). The queue system writes a visit's
  // row when the visit ends, so a row still to come is a visit still open; a
  // visit stays open at most this long, counting the delay before its row is
  // written. Then no row still to come holds an event earlier than the newest
  // imported row's last event minus follow_lag_s: sinks get the visits as
  // they come (VisitSink::early) with that horizon, and the trace is written
  // up to it during the day. A row with an event before the horizon is
  // rejected as beyond_follow_lag (its events may precede events already
  // written). Decided by row order alone: the same rows give the same result
  // however the file grew. docs/queue-data.md, "Memory: the day window".
  double follow_lag_s = 0.0;
};

// Imports `path` ("-": standard input). Throws InputError when the file cannot
// be read or its header lacks a mapped column (exit 2); rejected rows are
// results, counted in the returned stats.
ImportStats import_csv(const std::string& path, const Mapping& mapping, Catalog& catalog,
                       const std::vector<VisitSink*>& sinks, const ImportOptions& options = {});

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian).
long days_from_civil(int y, unsigned m, unsigned d);
std::string civil_from_days(long days);  // YYYY-MM-DD

// True when the file starts like a halltwin trace ("#format,halltwin-trace/").
bool looks_like_trace(const std::string& path);

}  // namespace halltwin::connect
