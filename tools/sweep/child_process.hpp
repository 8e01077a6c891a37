#pragma once
// One task of a sweep runs in a child process (halltwin starting itself with
// the hidden `sweep-task` command): a crash, an abort or a SimGrid engine
// that cannot be reset stays in the child, and the sweep records the task as
// failed with the child's last words instead of dying with it.
#include <string>
#include <sys/types.h>
#include <vector>

namespace halltwin::sweep {

struct ChildOutcome {
  int exit_code = -1;  // the child's exit status; -1 when it died of a signal
  int signal = 0;      // the signal that ended it, else 0
  std::string out;     // everything it wrote to stdout
  std::string err;     // ... and to stderr
};

class ChildProcess {
 public:
  // Starts `argv` (argv[0] is the program path). Throws std::runtime_error
  // when the process cannot be started.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();  // kills and reaps a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads what the child wrote, waiting at most `timeout_ms`; returns true
  // once the child has exited and both pipes are drained.
  bool poll(int timeout_ms);
  // After poll() returned true.
  const ChildOutcome& outcome() const { return outcome_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  bool reaped_ = false;
  ChildOutcome outcome_;
};

// The path of the running program (/proc/self/exe), to start itself.
std::string self_executable();

}  // namespace halltwin::sweep
