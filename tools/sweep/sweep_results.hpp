#pragma once
// What a sweep keeps: the checkpoint (one line per finished task, appended
// and flushed as tasks finish, so that a killed sweep resumes without redoing
// them) and the results built from it once every task is done: results.csv
// (a row per point and replication), summary.json (per point, with 95%
// confidence intervals) and ranking.md (per hall, its options ranked).
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/sweep_spec.hpp"
#include "tools/sweep/sweep_plan.hpp"

namespace halltwin::sweep {

struct TaskRecord {
  std::size_t task = 0;
  bool ok = false;
  std::string message;    // a failed task: why (the child's last words)
  nlohmann::json result;  // an ok task: task_work.hpp's document
};

class Checkpoint {
 public:
  // Opens DIR/checkpoint.jsonl. `fingerprint` identifies the sweep (its file's
  // content and the expansion): resuming a different sweep is refused. Without
  // `resume`, an existing checkpoint is refused (InputError): results are
  // never mixed across sweeps. A torn last line (a kill mid-write) is ignored.
  Checkpoint(const std::string& dir, const std::string& fingerprint, std::size_t tasks, bool resume);
  ~Checkpoint();
  Checkpoint(const Checkpoint&) = delete;
  Checkpoint& operator=(const Checkpoint&) = delete;
  std::size_t done_count() const { return done_; }
  bool done(std::size_t task) const { return task < offset_.size() && offset_[task] >= 0; }
  bool ok(std::size_t task) const { return done(task) && ok_[task] != 0; }
  // Appends, flushes and syncs one task's record.
  void add(const TaskRecord& r);
  // A finished task's record, read back from the file. The checkpoint keeps
  // only where each task's line starts (8 bytes a task), never the results:
  // a province's sweep holds millions of replications, and the results files
  // are written from the checkpoint point by point (write_results).
  TaskRecord read(std::size_t task) const;

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<long long> offset_;  // per task: the byte where its record's line starts; -1 not done
  std::vector<char> ok_;           // per task: its record says ok
  std::size_t done_ = 0;
  mutable std::ifstream reader_;
};

nlohmann::json record_to_json(const TaskRecord& r);
TaskRecord record_from_json(const nlohmann::json& j);

// Writes results.csv, summary.json and ranking.md into `dir` (each whole or
// absent), streaming: the records are read back from the checkpoint one point
// at a time, so memory grows with the tasks of a hall, not with the sweep.
// Returns the number of failed tasks.
std::size_t write_results(const SweepSpec& spec, const SweepPlan& plan, const Checkpoint& records,
                          const std::string& dir, const std::vector<std::string>& kpis);

}  // namespace halltwin::sweep
