#include "tools/sweep/sweep_driver.hpp"

#include <fmt/format.h>
#if HALLTWIN_HAS_MPI
#include <mpi.h>
#endif

#include <csignal>
#include <cstdlib>
#include <deque>
#include <memory>
#include <utility>

#include "model/input_error.hpp"
#include "tools/sweep/child_process.hpp"

namespace halltwin::sweep {

namespace {

constexpr int kTagResult = 1;  // worker -> rank 0: a finished task's record (or "ready")
constexpr int kTagTask = 2;    // rank 0 -> worker: the next task, or -1: stop

// mpirun (OpenMPI) or another PMI launcher started this process.
bool started_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

std::string last_words(const std::string& err) {
  std::string s = err;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  // The last few lines: enough for an InputError or a sanitizer's headline.
  std::size_t cut = s.size();
  for (int lines = 0; lines < 3 && cut != std::string::npos && cut > 0; ++lines) cut = s.rfind('\n', cut - 1);
  s = cut == std::string::npos ? s : s.substr(cut + 1);
  if (s.size() > 2000) s = s.substr(s.size() - 2000);
  return s;
}

#if HALLTWIN_HAS_MPI
void send_string(const std::string& s, int to, int tag) {
  MPI_Send(s.data(), static_cast<int>(s.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string receive_string(const MPI_Status& probed) {
  int n = 0;
  MPI_Get_count(&probed, MPI_CHAR, &n);
  std::string s(static_cast<std::size_t>(n), '\0');
  MPI_Recv(s.data(), n, MPI_CHAR, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return s;
}
#endif

}  // namespace

TaskRecord record_of(std::size_t task, const ChildOutcome& o) {
  TaskRecord r;
  r.task = task;
  if (o.exit_code == 0) {
    try {
      r.result = nlohmann::json::parse(o.out);
      r.ok = true;
      return r;
    } catch (const nlohmann::json::exception& e) {
      r.message = std::string("the task's output is not JSON: ") + e.what();
      return r;
    }
  }
  const std::string words = last_words(o.err);
  if (o.signal)
    r.message = fmt::format("the task crashed (signal {}: {}){}{}", o.signal, strsignal(o.signal),
                            words.empty() ? "" : ": ", words);
  else
    r.message = fmt::format("exit {}: {}", o.exit_code, words.empty() ? "(no message)" : words);
  return r;
}

#if HALLTWIN_HAS_MPI
MpiJob::MpiJob(int* argc, char*** argv) {
  if (!started_by_mpirun()) return;
  MPI_Init(argc, argv);
  active_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiJob::~MpiJob() {
  if (active_) MPI_Finalize();
}

void MpiJob::barrier() const {
  if (active_) MPI_Barrier(MPI_COMM_WORLD);
}

int MpiJob::broadcast(int value) const {
  if (active_) MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}
#else
// A build without MPI (-DHALLTWIN_MPI=OFF): every rank of an mpirun job would
// run the whole sweep into the same folder, so refuse instead.
MpiJob::MpiJob(int*, char***) {
  if (started_by_mpirun())
    throw InputError(InputProblem{"", 0, 0, "mpirun",
                                  "this halltwin was built without MPI (-DHALLTWIN_MPI=OFF); run the sweep without "
                                  "mpirun, or use a build with MPI"});
}
MpiJob::~MpiJob() = default;
void MpiJob::barrier() const {}
int MpiJob::broadcast(int value) const { return value; }
#endif

void run_tasks(const MpiJob& job, const std::vector<std::size_t>& pending, const DriverOptions& opt) {
#if HALLTWIN_HAS_MPI
  if (job.rank() != 0) {
    // A worker: ask, run, answer with the record, until told to stop.
    std::string message = "{\"ready\": true}";
    for (;;) {
      send_string(message, 0, kTagResult);
      long long task = -1;
      MPI_Recv(&task, 1, MPI_LONG_LONG, 0, kTagTask, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (task < 0) return;
      const auto t = static_cast<std::size_t>(task);
      TaskRecord r;
      try {
        ChildProcess child(opt.argv_for(t));
        while (!child.poll(200)) {
        }
        r = record_of(t, child.outcome());
      } catch (const std::exception& e) {
        r = TaskRecord{t, false, e.what(), {}};
      }
      message = record_to_json(r).dump();
    }
  }
#endif

  // Rank 0: hands out tasks in order, runs its own share, records everything.
  std::deque<std::size_t> queue(pending.begin(), pending.end());
  std::vector<std::pair<std::size_t, std::unique_ptr<ChildProcess>>> running;
  int workers = job.size() - 1;
  std::size_t done = 0;
  const std::size_t total = pending.size();
  auto finish = [&](TaskRecord r) {
    ++done;
    opt.on_record(std::move(r));
    if (opt.progress) opt.progress(done, total);
  };
  while (!queue.empty() || !running.empty() || workers > 0) {
    bool busy = false;
    while (static_cast<int>(running.size()) < opt.jobs && !queue.empty()) {
      const std::size_t t = queue.front();
      queue.pop_front();
      try {
        running.emplace_back(t, std::make_unique<ChildProcess>(opt.argv_for(t)));
      } catch (const std::exception& e) {
        finish(TaskRecord{t, false, e.what(), {}});
      }
      busy = true;
    }
    for (std::size_t i = 0; i < running.size();) {
      if (running[i].second->poll(0)) {
        TaskRecord r = record_of(running[i].first, running[i].second->outcome());
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        finish(std::move(r));
        busy = true;
      } else {
        ++i;
      }
    }
#if HALLTWIN_HAS_MPI
    if (job.active()) {
      for (;;) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &flag, &st);
        if (!flag) break;
        busy = true;
        const auto j = nlohmann::json::parse(receive_string(st));
        if (j.contains("task")) finish(record_from_json(j));
        long long next = -1;
        if (!queue.empty()) {
          next = static_cast<long long>(queue.front());
          queue.pop_front();
        } else {
          --workers;
        }
        MPI_Send(&next, 1, MPI_LONG_LONG, st.MPI_SOURCE, kTagTask, MPI_COMM_WORLD);
      }
    }
#endif
    if (!busy) {
      // Nothing happened: wait a little on a local child (or just a little).
      if (!running.empty())
        running.front().second->poll(5);
      else
        ::usleep(2000);
    }
  }
}

}  // namespace halltwin::sweep
