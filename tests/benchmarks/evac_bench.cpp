// Benchmarks of the evacuation simulator (sim/evac/): the collision-free speed
// model (and the social force model, 1,000 agents) at dt = 0.05 s on the 100 m x 60 m benchmark hall with obstacles and
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
#include "sim/evac/building.hpp"
#include "sim/evac/simulation.hpp"

namespace {

using namespace halltwin;

std::string source(const char* rel) { return std::string(HALLTWIN_SOURCE_DIR) + "/" + rel; }

double max_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void evac_hall(benchmark::State& state, EvacMotionModel motion) {
  const Hall hall = load_scenario(source("scenarios/benchmarks/evac/hall-100x60.yaml"));
  const Rulebook book = load_rulebook(source("scenarios/rulebooks/default.yaml"));
  evac::EvacOptions eo;
  eo.population = static_cast<int>(state.range(0));
  eo.dt_s = 0.05;
  eo.motion_model = motion;
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
void BM_EvacHall100x60(benchmark::State& state) { evac_hall(state, EvacMotionModel::cfsm); }
BENCHMARK(BM_EvacHall100x60)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_EvacHall100x60)->Arg(5000)->Unit(benchmark::kMillisecond)->Iterations(1);

// The same hall with the social force model (`--model social-force`), at the same
// dt = 0.05 s: the simulation's one step for every phase, so that both models are
// compared on the same work (SFM codes often use 0.01 s for the stiff body force;
// here the wall and overlap guards bound the contacts, docs/evac.md "Motion models").
// Three iterations (replications 1-3), as for the default model: the fluctuation
// term breaks the tie that held one walker of replication 3 head-on against a column
// until the time cap (docs/evac.md "Motion models").
void BM_EvacHall100x60SocialForce(benchmark::State& state) { evac_hall(state, EvacMotionModel::social_force); }
BENCHMARK(BM_EvacHall100x60SocialForce)->Arg(1000)->Unit(benchmark::kMillisecond)->Iterations(3);

// The province hall's full-day peak, both floors (issue 9's target: 25 times real
// time or faster): the people the operations simulator has in the hall at 13:34 of
// its first day (its busiest moment, docs/benchmarks.md), placed where they are,
// the upper floor down its six protected stairs. Timed: the whole building
// evacuation, including the operations day up to that moment, the placement and
// the navigation fields of both floors (everything `halltwin evac --at` does but
// loading and writing). Counter x_real_time = simulated evacuation time over wall time.
void BM_EvacProvincePeak(benchmark::State& state) {
  const Hall hall = load_scenario(source("scenarios/province.yaml"));
  const Rulebook book = load_rulebook(source("scenarios/rulebooks/default.yaml"));
  double evacuation_s = 0.0, persons = 0.0;
  std::uint64_t agent_steps = 0;
  for (auto _ : state) {
    evac::BuildingOptions bo;
    bo.seed = 1;
    bo.start_date = hall.start_date;
    bo.at_s = 13 * 3600.0 + 34 * 60.0;
    const evac::BuildingEvacuation b(hall, book, bo);
    evac::EvacPlan plan;
    plan.base.seed = 1;
    const evac::BuildingRuns runs = evac::run_building(b, plan);
    evacuation_s += runs.evacuation_time_s(1);
    persons += b.population;
    for (const auto& f : runs.floors) agent_steps += f.front().agent_steps;
    benchmark::DoNotOptimize(runs.building.size());
  }
  const double it = static_cast<double>(state.iterations());
  state.counters["persons"] = persons / it;
  state.counters["evacuation_s"] = evacuation_s / it;
  state.counters["x_real_time"] = benchmark::Counter(evacuation_s, benchmark::Counter::kIsRate);
  state.counters["agent_steps_per_s"] =
      benchmark::Counter(static_cast<double>(agent_steps), benchmark::Counter::kIsRate);
  state.counters["max_rss_MB"] = max_rss_mb();
}
BENCHMARK(BM_EvacProvincePeak)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

}  // namespace
