#include "tools/halltwin/platform_runs.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <type_traits>

extern char** environ;

namespace halltwin::cli {

namespace {

// ------------------------------------------------------------ the binary form
class Writer {
 public:
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const char*>(&v);
    buf_.append(p, sizeof(T));
  }
  void str(const std::string& s) {
    pod<std::uint64_t>(s.size());
    buf_ += s;
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    for (const auto& x : v) pod(x);
  }
  const std::string& bytes() const { return buf_; }

 private:
  std::string buf_;
};

class Reader {
 public:
  explicit Reader(const std::string& b) : b_(b) {}
  template <class T>
  void pod(T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T));
    std::memcpy(&v, b_.data() + at_, sizeof(T));
    at_ += sizeof(T);
  }
  std::uint64_t size() {
    std::uint64_t n = 0;
    pod(n);
    if (n > b_.size()) throw std::runtime_error("replication child: corrupt result");
    return n;
  }
  void str(std::string& s) {
    const auto n = size();
    need(n);
    s.assign(b_.data() + at_, n);
    at_ += n;
  }
  template <class T>
  void vec(std::vector<T>& v) {
    v.resize(size());
    for (auto& x : v) pod(x);
  }
  bool done() const { return at_ == b_.size(); }

 private:
  void need(std::size_t n) const {
    if (at_ + n > b_.size()) throw std::runtime_error("replication child: short result");
  }
  const std::string& b_;
  std::size_t at_ = 0;
};

constexpr std::uint64_t kMagic = 0x68616c6c706c6174ULL;  // "hallplat"

// One list of fields for both directions, so that they cannot drift apart.
template <class IO, class Run>
void fields(IO& io, Run& run) {
  auto& r = run.result;
  auto& k = r.kpis;
  io.pod(k.values);
  std::uint64_t days = k.by_day.size();
  io.pod(days);
  if constexpr (std::is_same_v<IO, Writer>) {
    for (auto& [date, v] : k.by_day) io.str(date), io.pod(v);
  } else {
    for (std::uint64_t i = 0; i < days; ++i) {
      std::string date;
      io.str(date);
      io.pod(k.by_day[date]);
    }
  }
  io.pod(k.by_hour);
  io.vec(k.by_matter);
  io.vec(k.by_window);
  io.pod(k.by_class);
  io.pod(k.events);
  io.pod(k.inside_at_end);
  io.pod(r.customers);
  std::uint64_t n_dates = r.dates.size();
  io.pod(n_dates);
  r.dates.resize(n_dates);
  for (auto& d : r.dates) io.str(d);
  for (auto* x : {&r.arrivals, &r.served, &r.served_self, &r.abandoned, &r.balked, &r.no_show,
                  &r.inside_at_end, &r.pickup_visits, &r.pickups, &r.pickups_inside_at_end,
                  &r.backoffice_cases, &r.backoffice_done, &r.pickups_after_run, &r.appointments,
                  &r.appointment_no_shows, &r.served_without_skill, &r.external_skipped})
    io.pod(*x);
  for (auto* x : {&r.appointment_lateness_sum_s, &r.busy_s, &r.rostered_s, &r.overtime_s}) io.pod(*x);
  io.vec(r.external_waits);
  // The --at snapshot.
  std::uint8_t has_snapshot = r.snapshot.has_value();
  io.pod(has_snapshot);
  if (has_snapshot) {
    if (!r.snapshot) r.snapshot.emplace();
    auto& sn = *r.snapshot;
    io.pod(sn.day), io.pod(sn.time_s);
    std::uint64_t n = sn.persons.size();
    io.pod(n);
    sn.persons.resize(n);
    for (auto& q : sn.persons) {
      io.str(q.id), io.pod(q.kind), io.pod(q.state), io.pod(q.floor), io.pod(q.position);
      io.str(q.matter), io.str(q.window), io.str(q.seat);
    }
  }
  auto& p = run.platform;
  for (auto* x : {&p.services, &p.transactions, &p.services_delayed, &p.retries}) io.pod(*x);
  for (auto* x : {&p.transaction_mean_s, &p.transaction_p90_s, &p.transaction_max_s, &p.delay_sum_s})
    io.pod(*x);
  std::uint64_t n_el = p.elements.size();
  io.pod(n_el);
  p.elements.resize(n_el);
  for (auto& e : p.elements) io.str(e.id), io.pod(e.down_s), io.pod(e.failures);
}

struct Child {
  pid_t pid = -1;
  int fd = -1;
};

Child start_child(const std::vector<std::string>& args) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
  posix_spawn_file_actions_addclose(&fa, pipefd[0]);
  posix_spawn_file_actions_addclose(&fa, pipefd[1]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  // /proc/self/exe: this very program, wherever it was started from.
  const int rc = posix_spawn(&pid, "/proc/self/exe", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(pipefd[1]);
  if (rc != 0) {
    ::close(pipefd[0]);
    throw std::runtime_error(fmt::format("cannot start a replication child: {}", std::strerror(rc)));
  }
  return {pid, pipefd[0]};
}

// Reads the child's whole output and waits for it.
std::string finish_child(Child c, int r) {
  std::string out;
  char buf[65536];
  while (true) {
    const ssize_t n = ::read(c.fd, buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(c.fd);
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(fmt::format("the child process of replication {} failed ({} {})", r,
                                         WIFEXITED(status) ? "exit code" : "signal",
                                         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status)));
  return out;
}

}  // namespace

void write_platform_run(int fd, const PlatformRun& run) {
  Writer w;
  w.pod(kMagic);
  fields(w, const_cast<PlatformRun&>(run));  // the writer only reads
  const std::string& b = w.bytes();
  std::size_t at = 0;
  while (at < b.size()) {
    const ssize_t n = ::write(fd, b.data() + at, b.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error(fmt::format("writing the replication's result: {}", std::strerror(errno)));
    at += static_cast<std::size_t>(n);
  }
}

PlatformRun read_platform_run(const std::string& bytes) {
  Reader rd(bytes);
  std::uint64_t magic = 0;
  rd.pod(magic);
  if (magic != kMagic) throw std::runtime_error("replication child: not a result");
  PlatformRun run;
  fields(rd, run);
  if (!rd.done()) throw std::runtime_error("replication child: trailing bytes");
  return run;
}

std::vector<PlatformRun> run_platform_children(const std::vector<std::string>& self_args, int replications,
                                               int parallel, int first) {
  std::vector<PlatformRun> runs;
  std::deque<Child> running;
  int next = first;
  const int last = first + replications - 1;
  auto launch = [&] {
    auto args = self_args;
    args.push_back("--replication-child");
    args.push_back(std::to_string(next++));
    running.push_back(start_child(args));
  };
  try {
    for (int r = first; r <= last; ++r) {
      while (next <= last && static_cast<int>(running.size()) < std::max(1, parallel)) launch();
      const Child c = running.front();
      running.pop_front();
      runs.push_back(read_platform_run(finish_child(c, r)));
    }
  } catch (...) {
    for (const Child& c : running) {
      ::kill(c.pid, SIGTERM);
      ::close(c.fd);
      int status = 0;
      ::waitpid(c.pid, &status, 0);
    }
    throw;
  }
  return runs;
}

}  // namespace halltwin::cli
