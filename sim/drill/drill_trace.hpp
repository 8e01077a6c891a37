#pragma once
// `halltwin drill --trace` (docs/drill.md "Trace"): replication 1 of what the
// drill simulated, in the trace format (docs/trace-format.md), so the view
// can play the drill back. The drill writes the records; the caller owns the
// stream and writes it to the file once the drill succeeded (no half-written
// output on an error).
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "model/trace/trace_header.hpp"

namespace halltwin {
class TraceWriter;
namespace ops {
struct ReplicationPlan;
}
}  // namespace halltwin

namespace halltwin::drill {

struct DrillTrace {
  std::ostream* out = nullptr;  // null: no trace
  // Scenario, scenario file and seed; the drill sets the source ("halltwin
  // drill"), the replication (1), the start date (the drill's day) and, for
  // walking people, the sample interval.
  TraceHeader header;

  // The header of the drill's trace: replication 1 of the drill's day,
  // position samples every `sample_interval_s` (none: the operations
  // engine's trace, which has no positions).
  TraceHeader header_for(const std::string& date, std::optional<double> sample_interval_s) const {
    TraceHeader h = header;
    h.source = "halltwin drill";
    h.replication = 1;
    h.start_date = date;
    h.sample_interval_s = sample_interval_s;
    return h;
  }
};

// For a drill that runs whole days (outages, epidemic): with a trace, a writer
// of the day `date` whose replication 1 `rp` sends to it; null without one.
// The caller keeps the writer while `rp` runs and flushes it afterwards.
std::unique_ptr<TraceWriter> trace_day(const DrillTrace* trace, const std::string& date, ops::ReplicationPlan& rp);

}  // namespace halltwin::drill
