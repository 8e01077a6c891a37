// Benchmarks of the operations simulator (sim/ops/): the queueing core on the
// saturated M/M/3 benchmark hall, a provincial hall's day with walking and
// seats, and a county day writing its trace. Loading the scenario and building
// the OpsModel happen outside the timed loop. docs/benchmarks.md has the figures.
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>

#include "model/scenario_loader.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/ops/simulation.hpp"

namespace {

using namespace halltwin;

std::string ops_scenario(const char* rel) { return std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/" + rel; }

ops::RunOptions one_day(const Hall& hall, int replication) {
  ops::RunOptions o;
  o.days = 1;
  o.start_date = hall.start_date.empty() ? "2026-01-05" : hall.start_date;
  o.seed = 1;
  o.replication = replication;
  return o;
}

// Runs one simulated day per iteration (a new replication each time, so the
// iterations are not the same day over and over).
void run_days(benchmark::State& state, const char* rel, const char* counter) {
  const Hall hall = load_scenario(ops_scenario(rel));
  const ops::OpsModel model(hall);
  std::uint64_t customers = 0, events = 0;
  int r = 0;
  for (auto _ : state) {
    const auto res = ops::simulate(model, one_day(hall, ++r));
    customers += res.customers;
    events += res.kpis.events;
    benchmark::DoNotOptimize(res.kpis.values);
  }
  state.counters[counter] = benchmark::Counter(static_cast<double>(customers), benchmark::Counter::kIsRate);
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["customers/day"] = static_cast<double>(customers) / static_cast<double>(state.iterations());
}

void BM_OpsMM3(benchmark::State& state) { run_days(state, "benchmarks/mm3.yaml", "customers/s"); }
BENCHMARK(BM_OpsMM3)->Unit(benchmark::kMillisecond);

void BM_OpsProvinceDay(benchmark::State& state) { run_days(state, "province.yaml", "citizens/s"); }
BENCHMARK(BM_OpsProvinceDay)->Unit(benchmark::kMillisecond);

void BM_OpsCountyDayWithTrace(benchmark::State& state) {
  const Hall hall = load_scenario(ops_scenario("county.yaml"));
  const ops::OpsModel model(hall);
  std::uint64_t customers = 0, lines = 0, bytes = 0;
  int r = 0;
  for (auto _ : state) {
    std::ostringstream out;
    TraceHeader h;
    h.source = "halltwin run";
    h.seed = 1;
    h.replication = ++r;
    TraceWriter w(out, h);
    const auto res = ops::simulate(model, one_day(hall, r), &w);
    w.flush();
    customers += res.customers;
    lines += w.events_written();
    bytes += out.tellp();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["citizens/s"] =
      benchmark::Counter(static_cast<double>(customers), benchmark::Counter::kIsRate);
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
  state.counters["trace_bytes/day"] = static_cast<double>(bytes) / n;
}
BENCHMARK(BM_OpsCountyDayWithTrace)->Unit(benchmark::kMillisecond);

}  // namespace
