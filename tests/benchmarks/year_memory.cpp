// A simulated year of a county hall with flat memory (issue 17): the
// operations engine (sim/ops/) runs 250 working days of a hall day after day
// in ONE replication, and the process's resident memory is sampled at every
// simulated day change, read from /proc/self/statm, with the heap in use
// (mallinfo2). The engine means to keep one day's state (pooled citizens,
// queues, a wait histogram); what must grow with the days is the per-day KPI
// table (about 200 bytes a day). The appointment bookings and back-office cases
// are a recycling pool (sim/ops/simulation.cpp): before that, they grew the heap
// by about 12 KB per county open day. The trace of the run goes to a stream that discards it but watches
// the day column: that is how a sample is taken inside one long run without a
// hook in the engine. Then the same year without a trace (the engine alone),
// compared with runs of 25 and 100 days by their peak memory.
//
//   build-cc/tests/halltwin_year_memory [SCENARIO] [--days N] [--max-growth-mb M]
//
// Prints the samples and the growth from the 25th day on; exit 1 when the
// resident growth exceeds M MB (default 4), 2 for bad arguments or an unusable scenario.
// docs/benchmarks.md ("A simulated year") has the figures.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/ops/simulation.hpp"

namespace {

using namespace halltwin;

// Resident set size now, MB (/proc/self/statm, second field, in pages).
double resident_mb() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// Peak resident set size of the process so far, MB.
double peak_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // KiB on Linux
}

// Bytes the program holds on the heap now, MB (glibc's mallinfo2: allocated
// and not freed), which separates live data from the allocator's retained pages.
double heap_mb() {
  const struct mallinfo2 m = ::mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd) / (1024.0 * 1024.0);
}

struct Sample {
  int day = 0;  // calendar days since the start date
  double resident_mb = 0.0, heap_mb = 0.0;
};

// A stream buffer that drops the trace's bytes but reads the first column
// (`day`) of each record, and samples the resident memory whenever it changes.
// The samples vector is reserved up front, so sampling itself does not grow
// the heap during the run.
class DaySampler : public std::streambuf {
 public:
  explicit DaySampler(std::size_t max_days) { samples_.reserve(max_days + 1); }
  const std::vector<Sample>& samples() const { return samples_; }
  std::uint64_t bytes() const { return bytes_; }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) put(s[i]);
    bytes_ += static_cast<std::uint64_t>(n);
    return n;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      put(traits_type::to_char_type(c));
      ++bytes_;
    }
    return traits_type::not_eof(c);
  }

 private:
  void put(char c) {
    if (c == '\n') {
      state_ = State::line_start;
      value_ = 0;
      return;
    }
    if (state_ == State::line_start) state_ = (c >= '0' && c <= '9') ? State::in_day : State::rest;
    if (state_ != State::in_day) return;
    if (c >= '0' && c <= '9') {
      value_ = value_ * 10 + (c - '0');
    } else {  // the comma after the day: a record of day value_
      state_ = State::rest;
      if (samples_.empty() || value_ != samples_.back().day) {
        if (samples_.size() < samples_.capacity()) samples_.push_back({value_, resident_mb(), heap_mb()});
      }
    }
  }
  enum class State { line_start, in_day, rest } state_ = State::line_start;
  int value_ = 0;
  std::vector<Sample> samples_;
  std::uint64_t bytes_ = 0;
};

int usage(const char* msg) {
  std::fprintf(stderr, "halltwin_year_memory: %s\nusage: halltwin_year_memory [SCENARIO] [--days N] [--max-growth-mb M]\n",
               msg);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/county.yaml";
  int days = 250;
  double max_growth_mb = 4.0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--days" || a == "--max-growth-mb") && i + 1 < argc) {
      char* end = nullptr;
      const double v = std::strtod(argv[++i], &end);
      if (end == argv[i] || *end != '\0' || !(v > 0) || v > 100000) return usage(("bad value for " + a).c_str());
      if (a == "--days") {
        days = static_cast<int>(v);
        if (days < 30 || days != v) return usage("--days expects a whole number of at least 30");
      } else {
        max_growth_mb = v;
      }
    } else if (!a.empty() && a[0] == '-') {
      return usage(("unknown option " + a).c_str());
    } else {
      path = a;
    }
  }

  try {
    const Hall hall = load_scenario(path);
    const ops::OpsModel model(hall);
    ops::RunOptions o;
    o.days = days;
    o.start_date = hall.start_date.empty() ? "2026-01-05" : hall.start_date;
    o.seed = 1;
    o.replication = 1;
    std::printf("%s: %d working days from %s, one replication\n", path.c_str(), days, o.start_date.c_str());
    std::printf("before the run: resident %.1f MB, peak %.1f MB\n", resident_mb(), peak_mb());

    // 1. One long run with its trace watched: resident memory at each day change.
    const auto t0 = std::chrono::steady_clock::now();
    DaySampler sampler(static_cast<std::size_t>(days) * 2 + 16);  // calendar days: closed days too
    std::ostream out(&sampler);
    TraceHeader h;
    h.source = "halltwin run";
    h.seed = o.seed;
    h.replication = o.replication;
    h.start_date = o.start_date;
    ops::RunResult r;
    {
      TraceWriter w(out, h);
      r = ops::simulate(model, o, &w);
      w.flush();
    }
    const double traced_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto& s = sampler.samples();
    if (s.size() < 30) {
      std::fprintf(stderr, "halltwin_year_memory: only %zu simulated days were seen in the trace\n", s.size());
      return 3;
    }
    // Days with records: the open days, and closed days on which something still happens
    // (back-office approvals run on calendar time).
    std::printf("run with trace: %zu days with records over %d calendar days, %llu citizens, %.0f MB of trace "
                "discarded, %.2f s\n",
                s.size(), s.back().day + 1, static_cast<unsigned long long>(r.customers),
                static_cast<double>(sampler.bytes()) / 1e6, traced_s);
    std::printf("%8s %14s %10s\n", "day", "resident MB", "heap MB");
    const std::size_t step = s.size() / 10;
    for (std::size_t i = 0; i < s.size(); i += step)
      std::printf("%8d %14.2f %10.3f\n", s[i].day, s[i].resident_mb, s[i].heap_mb);
    std::printf("%8d %14.2f %10.3f\n", s.back().day, s.back().resident_mb, s.back().heap_mb);
    // From the 25th sample on: the first days fill the pools, the allocator's arenas and the trace buffer.
    const double base = s[24].resident_mb;
    double high = base;
    for (std::size_t i = 24; i < s.size(); ++i) high = std::max(high, s[i].resident_mb);
    const double growth = high - base;
    const double days_after = static_cast<double>(s.back().day - s[24].day);
    std::printf("resident growth from day %d to %d: %+.2f MB (highest %.2f MB), %.1f KB a calendar day\n", s[24].day,
                s.back().day, growth, high, growth * 1024.0 / days_after);
    std::printf("heap growth over the same days: %+.3f MB, %.2f KB a calendar day (%d open days: %.2f KB each)\n",
                s.back().heap_mb - s[24].heap_mb, (s.back().heap_mb - s[24].heap_mb) * 1024.0 / days_after, days,
                (s.back().heap_mb - s[24].heap_mb) * 1024.0 / (days * days_after / (s.back().day + 1)));

    // 2. The engine alone, no trace: peak memory after runs of 25, 100 and `days` days.
    for (int d : {25, 100, days}) {
      ops::RunOptions od = o;
      od.days = d;
      const auto t1 = std::chrono::steady_clock::now();
      const ops::RunResult rd = ops::simulate(model, od);
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
      std::printf("no trace, %3d days: %.3f s (%.1f ms a day), %llu citizens, resident %.2f MB, peak %.2f MB, %zu KPI days\n",
                  d, secs, 1000.0 * secs / d, static_cast<unsigned long long>(rd.customers), resident_mb(), peak_mb(),
                  rd.kpis.by_day.size());
    }
    if (growth > max_growth_mb) {
      std::printf("NOT FLAT: resident memory grew %.2f MB (limit %.2f MB)\n", growth, max_growth_mb);
      return 1;
    }
    std::printf("flat: growth %.2f MB within %.2f MB\n", growth, max_growth_mb);
    return 0;
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "halltwin_year_memory: internal error: %s\n", e.what());
    return 3;
  }
}
