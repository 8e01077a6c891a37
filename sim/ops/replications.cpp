#include "sim/ops/replications.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace halltwin::ops {

std::vector<RunResult> run_replications(const OpsModel& model, const ReplicationPlan& plan) {
  const int n = std::max(1, plan.replications);
  std::vector<RunResult> results(static_cast<std::size_t>(n));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex mu;
  int done = 0;
  auto worker = [&]() {
    for (;;) {
      const int i = next.fetch_add(1);
      if (i >= n || failed.load()) return;
      try {
        RunOptions o = plan.base;
        o.replication = i + 1;
        TraceWriter* trace = plan.trace_for ? plan.trace_for(i + 1) : nullptr;
        results[static_cast<std::size_t>(i)] = simulate(model, o, trace);
        if (plan.after_run) plan.after_run(i + 1);
        std::lock_guard<std::mutex> lock(mu);
        ++done;
        if (plan.progress) plan.progress(done, n);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
    }
  };
  const int t = std::clamp(plan.threads, 1, n);
  std::vector<std::thread> pool;
  for (int k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
  return results;
}

}  // namespace halltwin::ops
