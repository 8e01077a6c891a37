#include "sim/parallel_runs.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace halltwin {

void run_indexed(int n, int threads, const std::function<void(int)>& job,
                 const std::function<void(int, int)>& done) {
  if (n <= 0) return;
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex mu;
  int finished = 0;
  auto worker = [&]() {
    for (;;) {
      const int i = next.fetch_add(1);
      if (i >= n || failed.load()) return;
      try {
        job(i);
        std::lock_guard<std::mutex> lock(mu);
        ++finished;
        if (done) done(finished, n);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
    }
  };
  const int t = std::clamp(threads, 1, n);
  std::vector<std::thread> pool;
  for (int k = 1; k < t; ++k) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace halltwin
