#pragma once
// Shared by `halltwin import`, `replay` and `calibrate`: reading a queue log
// (a CSV export through a mapping, or a halltwin trace) and reporting its
// row accounting as text and JSON.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/connect/calibrate.hpp"
#include "tools/connect/importer.hpp"
#include "tools/connect/sinks.hpp"
#include "tools/halltwin/run_outputs.hpp"

namespace halltwin::cli {

struct LogRead {
  bool trace_input = false;  // the log was a halltwin trace
  connect::ImportStats stats;
  connect::Catalog catalog;
  double wall_s = 0.0;
};

// Reads `log` through `mapping_path` (ignored, may be empty, for a halltwin
// trace) into `sinks`. A trace's shift records give presence to `rostered_to`
// and `presence_to` (either may be null).
LogRead read_log(
    const std::string& log, const std::string& mapping_path, const std::vector<connect::VisitSink*>& sinks,
    connect::ObservedKpis* rostered_to, connect::CalibrationSink* presence_to,
    const connect::ImportOptions& options = {}, connect::Mapping* mapping_out = nullptr,
    const std::function<void(const std::string& window, double start_s, double end_s)>& on_shift = {});

// {"rows", "imported", "rejected": {REASON: n}, "outcomes", "raw_outcomes", "notes", ...}
nlohmann::json accounting_json(const LogRead& r, bool with_rows);
// The readable summary: counts per outcome, per rejection reason, per note.
std::string accounting_text(const LogRead& r);

}  // namespace halltwin::cli
