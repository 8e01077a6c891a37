#pragma once
// Runs a sweep's tasks: locally, or over the ranks of an MPI job (mpirun),
// with dynamic load balancing: rank 0 hands the next task to whichever rank
// asks, so a provincial evacuation and a village day (orders of magnitude
// apart in cost) do not hold a rank idle. Every rank, rank 0 included, runs
// its tasks as child processes (child_process.hpp). The only code that
// calls MPI.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tools/sweep/child_process.hpp"
#include "tools/sweep/sweep_results.hpp"

namespace halltwin::sweep {

// The MPI job this process belongs to: size 1 and rank 0 without mpirun.
// Initialises MPI when the process was started by mpirun (and finalises it
// when destroyed), so the same program runs alone or under mpirun.
class MpiJob {
 public:
  MpiJob(int* argc, char*** argv);
  ~MpiJob();
  MpiJob(const MpiJob&) = delete;
  MpiJob& operator=(const MpiJob&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  bool active() const { return active_; }
  // Waits for every rank (no-op alone).
  void barrier() const;
  // Rank 0's status to every rank (so all stop on rank 0's error alike).
  int broadcast(int value) const;

 private:
  bool active_ = false;
  int rank_ = 0, size_ = 1;
};

struct DriverOptions {
  int jobs = 1;  // child processes at once on each rank
  // The child's command line for a task.
  std::function<std::vector<std::string>(std::size_t task)> argv_for;
  // Rank 0: a task finished (record it); called in task completion order.
  std::function<void(TaskRecord)> on_record;
  // Rank 0: progress after each finished task (done, total), for the user.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Runs `pending` (task indices, in order) on every rank of `job`; returns on
// every rank when all are done. The records reach on_record on rank 0 only.
void run_tasks(const MpiJob& job, const std::vector<std::size_t>& pending, const DriverOptions& options);

// A finished child's outcome as a record: ok with its JSON, or failed with its last words.
TaskRecord record_of(std::size_t task, const ChildOutcome& outcome);

}  // namespace halltwin::sweep
