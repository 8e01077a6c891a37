// Benchmarks of the evacuation simulator (sim/evac/): the collision-free speed
// model at dt = 0.05 s on the 100 m x 60 m benchmark hall with obstacles and
// four exits (scenarios/benchmarks/evac/hall-100x60.yaml), 1,000 and 5,000
// agents, everyone walking from the alarm, one thread. Each iteration is one
// whole evacuation (a new replication: new placement and draws); loading the
// scenario and building the EvacModel (distance field, wall index) happen
// outside the timed loop. Counters: agent_steps_per_s (agent-steps over CPU
// time), evacuation_s (simulated), max_rss_MB (the process's peak resident set
// so far). docs/benchmarks.md ("Evacuation") has the figures.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
#include <memory>
#include <string>

#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/evac/simulation.hpp"

namespace {

using namespace halltwin;

std::string source(const char* rel) { return std::string(HALLTWIN_SOURCE_DIR) + "/" + rel; }

double max_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void BM_EvacHall100x60(benchmark::State& state) {
  const Hall hall = load_scenario(source("scenarios/benchmarks/evac/hall-100x60.yaml"));
  const Rulebook book = load_rulebook(source("scenarios/rulebooks/default.yaml"));
  evac::EvacOptions eo;
  eo.population = static_cast<int>(state.range(0));
  eo.dt_s = 0.05;
  const evac::EvacModel model(hall, book, eo);
  std::uint64_t agent_steps = 0, steps = 0;
  double evacuation_s = 0.0;
  int stuck = 0, replication = 0;
  for (auto _ : state) {
    evac::EvacRunOptions o;
    o.seed = 1;
    o.replication = ++replication;
    const evac::EvacResult r = evac::simulate(model, o);
    agent_steps += r.agent_steps;
    steps += r.steps;
    evacuation_s += r.evacuation_time_s;
    stuck += static_cast<int>(r.stuck.size());
    benchmark::DoNotOptimize(r.evacuation_time_s);
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["agents"] = static_cast<double>(state.range(0));
  state.counters["agent_steps_per_s"] =
      benchmark::Counter(static_cast<double>(agent_steps), benchmark::Counter::kIsRate);
  state.counters["steps"] = static_cast<double>(steps) / it;
  state.counters["evacuation_s"] = evacuation_s / it;
  state.counters["stuck"] = stuck / it;
  state.counters["max_rss_MB"] = max_rss_mb();
}
BENCHMARK(BM_EvacHall100x60)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_EvacHall100x60)->Arg(5000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
