#include "tools/halltwin/queue_data.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "model/input_error.hpp"

namespace halltwin::cli {

using nlohmann::json;

LogRead read_log(const std::string& log, const std::string& mapping_path,
                 const std::vector<connect::VisitSink*>& sinks, connect::ObservedKpis* rostered_to,
                 connect::CalibrationSink* presence_to, const connect::ImportOptions& options,
                 connect::Mapping* mapping_out,
                 const std::function<void(const std::string&, double, double)>& on_shift) {
  LogRead r;
  const auto t0 = std::chrono::steady_clock::now();
  if (connect::looks_like_trace(log)) {
    r.trace_input = true;
    const auto t = connect::import_trace(log, r.catalog, sinks,
                                         [&](const std::string& window, int day, double start, double end) {
                                           if (rostered_to)
                                             rostered_to->rostered(window, end - start, day, r.catalog);
                                           if (presence_to) presence_to->presence(day, start, end, r.catalog);
                                           if (on_shift) on_shift(window, start, end);
                                         });
    r.stats.rows = t.visits;
    r.stats.imported = t.visits;
    r.stats.first_date = t.start_date;
  } else {
    if (mapping_path.empty())
      throw InputError(InputProblem{log, 0, 0, "--mapping",
                                    "a queue-system export needs a mapping file (scenarios/connectors/)"});
    const connect::Mapping m = connect::load_mapping(mapping_path);
    if (mapping_out) *mapping_out = m;
    r.stats = connect::import_csv(log, m, r.catalog, sinks, options);
  }
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

json accounting_json(const LogRead& r, bool with_rows) {
  const auto& s = r.stats;
  json j;
  j["rows"] = s.rows;
  j["imported"] = s.imported;
  json rej = json::object();
  for (std::size_t i = 0; i < connect::kRejectCount; ++i)
    if (s.rejected[i]) rej[std::string(connect::name(connect::Reject(i)))] = s.rejected[i];
  j["rejected"] = rej;
  json oc = json::object();
  for (std::size_t i = 0; i < connect::kOutcomeCount; ++i)
    if (connect::Outcome(i) != connect::Outcome::incomplete)
      oc[std::string(connect::name(connect::Outcome(i)))] = s.outcomes[i];
  j["outcomes"] = oc;
  j["raw_outcomes"] = s.raw_outcomes;
  j["rejected_raw_outcomes"] = s.rejected_raw_outcomes;
  json notes = json::object();
  for (std::size_t i = 0; i < connect::kNoteCount; ++i)
    notes[std::string(connect::name(connect::Note(i)))] = s.notes[i];
  j["notes"] = notes;
  j["days"] = s.days;
  j["first_date"] = s.first_date;
  j["last_date"] = s.last_date;
  if (with_rows) {
    json rows = json::array();
    for (const auto& x : s.rejected_rows)
      rows.push_back({{"row", x.row},
                      {"line", x.line},
                      {"reason", std::string(connect::name(x.reason))},
                      {"detail", x.detail}});
    j["rejected_rows"] = rows;
    j["rejected_rows_truncated"] = s.rejected_total() > s.rejected_rows.size();
  }
  return j;
}

std::string accounting_text(const LogRead& r) {
  const auto& s = r.stats;
  std::string out;
  if (r.trace_input)
    out += fmt::format("{} visits read from a halltwin trace (start {})\n", s.rows, s.first_date);
  else
    out += fmt::format("{} rows: {} imported, {} rejected; {} day(s) {} .. {}\n", s.rows, s.imported,
                       s.rejected_total(), s.days, s.first_date, s.last_date);
  if (r.trace_input) return out;
  out += "imported by outcome:\n";
  for (std::size_t i = 0; i < connect::kOutcomeCount; ++i)
    if (s.outcomes[i])
      out += fmt::format("  {:<30} {:>10}\n", connect::name(connect::Outcome(i)), s.outcomes[i]);
  if (s.rejected_total()) {
    out += "rejected by reason:\n";
    for (std::size_t i = 0; i < connect::kRejectCount; ++i)
      if (s.rejected[i])
        out += fmt::format("  {:<30} {:>10}\n", connect::name(connect::Reject(i)), s.rejected[i]);
    std::size_t shown = 0;
    for (const auto& x : s.rejected_rows) {
      if (++shown > 5) break;
      out += fmt::format("    row {} (line {}): {}{}{}\n", x.row, x.line, connect::name(x.reason),
                         x.detail.empty() ? "" : ": ", x.detail);
    }
    if (s.rejected_total() > 5) out += "    ... (--json lists every rejected row)\n";
  }
  out += "tolerated and counted:\n";
  for (std::size_t i = 0; i < connect::kNoteCount; ++i)
    out += fmt::format("  {:<30} {:>10}\n", connect::name(connect::Note(i)), s.notes[i]);
  if (!s.raw_outcomes.empty()) {
    out += "outcome column values (all rows):";
    for (const auto& [k, n] : s.raw_outcomes) out += fmt::format(" {}={}", k.empty() ? "(empty)" : k, n);
    out += "; of the rejected rows:";
    for (const auto& [k, n] : s.rejected_raw_outcomes)
      out += fmt::format(" {}={}", k.empty() ? "(empty)" : k, n);
    out += "\n";
  }
  return out;
}

}  // namespace halltwin::cli
