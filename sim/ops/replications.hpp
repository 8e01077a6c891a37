#pragma once
// Independent replications of a run, in parallel threads. Replication r
// (1-based) always uses the random streams of r, and results are stored by
// r, so the outcome is the same whatever the thread count.
#include <functional>
#include <vector>

#include "sim/ops/simulation.hpp"

namespace halltwin::ops {

struct ReplicationPlan {
  RunOptions base;  // replication is set per run
  int replications = 1;
  int threads = 1;
  // Called in the worker thread before replication r runs; returns the
  // trace writer for it, or null for none. The writer must stay valid until
  // after_run(r) returns.
  std::function<TraceWriter*(int r)> trace_for;
  std::function<void(int r)> after_run;
  // Called (from any worker thread, serialised) after each replication.
  std::function<void(int done, int total)> progress;
};

// Runs all replications; results[r - 1] is replication r. The first
// exception thrown by any replication is rethrown after all threads stopped.
std::vector<RunResult> run_replications(const OpsModel& model, const ReplicationPlan& plan);

}  // namespace halltwin::ops
