#include "sim/drill/drill_trace.hpp"

#include "model/trace/trace_writer.hpp"
#include "sim/ops/replications.hpp"

namespace halltwin::drill {

std::unique_ptr<TraceWriter> trace_day(const DrillTrace* trace, const std::string& date, ops::ReplicationPlan& rp) {
  if (!trace || !trace->out) return nullptr;
  auto writer = std::make_unique<TraceWriter>(*trace->out, trace->header_for(date, std::nullopt), "--trace");
  rp.trace_for = [w = writer.get()](int r) { return r == 1 ? w : nullptr; };
  return writer;
}

}  // namespace halltwin::drill
