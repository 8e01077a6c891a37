// Benchmarks of the foundation: loading a scenario, building the geometry
// services, one walking-distance field, and a full `check` of each bundled
// hall. Run: build/tests/halltwin_bench (docs/benchmarks.md has the figures).
#include <benchmark/benchmark.h>

#include <string>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/walkable_area.hpp"
#include "model/hall_geometry.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"

namespace {

using namespace halltwin;

std::string scenario(const char* name) {
  return std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/" + name + ".yaml";
}

void BM_LoadScenario(benchmark::State& state, const char* name) {
  for (auto _ : state) benchmark::DoNotOptimize(load_scenario(scenario(name)));
}

void BM_HallGeometry(benchmark::State& state, const char* name) {
  const Hall hall = load_scenario(scenario(name));
  std::size_t cells = 0;
  for (auto _ : state) {
    HallGeometry g(hall, 0.1);
    cells = 0;
    for (std::size_t f = 0; f < g.floor_count(); ++f)
      cells += g.floor(FloorId{static_cast<std::uint32_t>(f)}).grid.walkable_count();
    benchmark::DoNotOptimize(cells);
  }
  state.counters["walkable_cells"] = static_cast<double>(cells);
}

void BM_ExitDistanceField(benchmark::State& state, const char* name) {
  const Hall hall = load_scenario(scenario(name));
  const HallGeometry g(hall, 0.1);
  const FloorId f0{0};
  std::vector<Segment> exits;
  for (const auto& d : hall.doors)
    if (d.floor == f0 && d.is_safety_exit()) exits.push_back(d.opening);
  const auto& fg = g.floor(f0);
  for (auto _ : state) {
    geom::DistanceField field(fg.area, fg.grid, exits);
    benchmark::DoNotOptimize(field.argmax());
  }
  state.counters["cells_per_s"] = benchmark::Counter(static_cast<double>(fg.grid.walkable_count()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Check(benchmark::State& state, const char* name) {
  const Hall hall = load_scenario(scenario(name));
  const check::Checker checker(
      load_rulebook(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/default.yaml"));
  for (auto _ : state) benchmark::DoNotOptimize(checker.run(hall));
}

// A synthetic 60 m x 40 m hall with 40 counters and three doors at 0.1 m
// (240,000 cells): the geometry services alone, independent of the bundled files.
void BM_SyntheticHallDistanceField(benchmark::State& state) {
  std::vector<Polygon> counters;
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 5; ++j) {
      const double x = 5.0 + 6.5 * i, y = 5.0 + 7.0 * j;
      counters.push_back({{x, y}, {x + 1.8, y}, {x + 1.8, y + 1.2}, {x, y + 1.2}});
    }
  const geom::WalkableArea area({{{0, 0}, {60, 0}, {60, 40}, {0, 40}}, {}, {}, counters});
  const geom::FloorGrid grid(area, 0.1);
  const std::vector<Segment> doors{{{28, 0}, {30, 0}}, {{0, 18}, {0, 20}}, {{50, 40}, {52, 40}}};
  for (auto _ : state) {
    geom::DistanceField field(area, grid, doors);
    benchmark::DoNotOptimize(field.argmax());
  }
  state.counters["cells_per_s"] = benchmark::Counter(static_cast<double>(grid.walkable_count()),
                                                     benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SyntheticHallDistanceField)->Unit(benchmark::kMillisecond);

void BM_SyntheticRaster100x60(benchmark::State& state) {
  std::vector<Polygon> counters;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 4; ++j) {
      const double x = 10.0 + 15 * i, y = 10.0 + 12 * j;
      counters.push_back({{x, y}, {x + 3, y}, {x + 3, y + 1}, {x, y + 1}});
    }
  const geom::WalkableArea area({{{0, 0}, {100, 0}, {100, 60}, {0, 60}}, {}, {}, counters});
  for (auto _ : state) benchmark::DoNotOptimize(geom::FloorGrid(area, 0.1).walkable_count());
}
BENCHMARK(BM_SyntheticRaster100x60)->Unit(benchmark::kMillisecond);

#define HALLTWIN_BENCH_ALL(fn)                                              \
  BENCHMARK_CAPTURE(fn, village, "village")->Unit(benchmark::kMillisecond); \
  BENCHMARK_CAPTURE(fn, county, "county")->Unit(benchmark::kMillisecond);   \
  BENCHMARK_CAPTURE(fn, province, "province")->Unit(benchmark::kMillisecond);

HALLTWIN_BENCH_ALL(BM_LoadScenario)
HALLTWIN_BENCH_ALL(BM_HallGeometry)
HALLTWIN_BENCH_ALL(BM_ExitDistanceField)
HALLTWIN_BENCH_ALL(BM_Check)

}  // namespace

BENCHMARK_MAIN();
