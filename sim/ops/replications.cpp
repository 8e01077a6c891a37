#include "sim/ops/replications.hpp"

#include <algorithm>

#include "sim/parallel_runs.hpp"

namespace halltwin::ops {

std::vector<RunResult> run_replications(const OpsModel& model, const ReplicationPlan& plan) {
  const int n = std::max(1, plan.replications);
  std::vector<RunResult> results(static_cast<std::size_t>(n));
  run_indexed(
      n, plan.threads,
      [&](int i) {
        RunOptions o = plan.base;
        o.replication = i + 1;
        TraceWriter* trace = plan.trace_for ? plan.trace_for(i + 1) : nullptr;
        results[static_cast<std::size_t>(i)] = simulate(model, o, trace);
        if (plan.after_run) plan.after_run(i + 1);
      },
      plan.progress);
  return results;
}

}  // namespace halltwin::ops
