// Benchmarks of the foundation: loading a scenario, building the geometry
// services, one walking-distance field, seat-to-window walking distances, and
// a full `check` of each bundled hall. Run: build/tests/halltwin_bench
// (docs/benchmarks.md has the figures).
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/geometry/walkable_area.hpp"
#include "model/geometry/walking_router.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/hall_geometry.hpp"
#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"
#include "sim/check/egress_spaces.hpp"

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

FloorId floor_named(const Hall& hall, const std::string& id) {
  for (std::size_t f = 0; f < hall.floors.size(); ++f)
    if (hall.floors[f].id == id) return FloorId{static_cast<std::uint32_t>(f)};
  throw std::runtime_error("no floor " + id);
}

// The operations simulator's table of walking distances: every seat on F1 to
// every window on F1, built once per scenario load.
void BM_WalkingRouterMatrix(benchmark::State& state, const char* name) {
  const Hall hall = load_scenario(scenario(name));
  const HallGeometry g(hall, 0.1);
  const FloorId f1 = floor_named(hall, "F1");
  std::vector<Vec2> seats, windows;
  for (const auto& s : hall.seats)
    if (s.floor == f1) seats.push_back(s.position);
  for (const auto& w : hall.windows)
    if (w.floor == f1) windows.push_back(w.position);
  const geom::WalkingRouter router(g.floor(f1).area);
  std::size_t unreachable = 0;
  for (auto _ : state) {
    const std::vector<double> m = router.distances(seats, windows);
    unreachable = 0;
    for (const double d : m) unreachable += !(d < geom::WalkingRouter::kUnreachable);
    benchmark::DoNotOptimize(m.data());
  }
  const double pairs = static_cast<double>(seats.size() * windows.size());
  state.counters["seats"] = static_cast<double>(seats.size());
  state.counters["windows"] = static_cast<double>(windows.size());
  state.counters["corners"] = static_cast<double>(router.graph().size());
  state.counters["unreachable"] = static_cast<double>(unreachable);
  state.counters["pairs_per_s"] = benchmark::Counter(pairs, benchmark::Counter::kIsIterationInvariantRate);
}

// One seat-to-window query at a time, cycling through the F1 pairs (all of
// them, or only those not in direct sight, which need the graph search): the
// cost of asking for a walk that the table does not hold.
void BM_WalkingRouterSingle(benchmark::State& state, const char* name, bool around_only) {
  const Hall hall = load_scenario(scenario(name));
  const HallGeometry g(hall, 0.1);
  const FloorId f1 = floor_named(hall, "F1");
  const auto& area = g.floor(f1).area;
  std::vector<std::pair<Vec2, Vec2>> pairs;
  for (const auto& s : hall.seats)
    for (const auto& w : hall.windows)
      if (s.floor == f1 && w.floor == f1 && !(around_only && area.visible(s.position, w.position)))
        pairs.emplace_back(s.position, w.position);
  const geom::WalkingRouter router(area);
  std::size_t k = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(router.distance(pairs[k].first, pairs[k].second));
    if (++k == pairs.size()) k = 0;
  }
  state.counters["pairs"] = static_cast<double>(pairs.size());
  state.counters["queries_per_s"] = benchmark::Counter(1.0, benchmark::Counter::kIsIterationInvariantRate);
}

// Building a floor's visibility graph (once per floor; the router and every
// distance field on the floor can share it).
void BM_VisibilityGraph(benchmark::State& state, const char* name) {
  const Hall hall = load_scenario(scenario(name));
  const HallGeometry g(hall, 0.1);
  const auto& area = g.floor(floor_named(hall, "F1")).area;
  std::size_t edges = 0, nodes = 0;
  for (auto _ : state) {
    const geom::VisibilityGraph graph(area);
    nodes = graph.size();
    edges = graph.edge_count();
    benchmark::DoNotOptimize(edges);
  }
  state.counters["corners"] = static_cast<double>(nodes);
  state.counters["edges"] = static_cast<double>(edges);
}

BENCHMARK_CAPTURE(BM_WalkingRouterMatrix, province, "province")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_WalkingRouterSingle, province, "province", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_WalkingRouterSingle, province_around, "province", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_VisibilityGraph, province, "province")->Unit(benchmark::kMillisecond);

// GB 50016 5.5.17's geometry on the ground floor (issue 15): the straight-line
// area (walls and full-height obstacles only), its spaces (hall, corridors,
// rooms), and the two straight-line fields the rules read (to the counting
// exits; to every evacuation door for the rooms' interiors).
void BM_StraightLineSpaces(benchmark::State& state, const char* name) {
  const Hall hall = load_scenario(scenario(name));
  std::vector<double> density(hall.zones.size(), 0.6);  // and 0.6 persons/m2 on the circulation area
  for (auto _ : state) {
    check::EgressSpaces spaces(hall, FloorId{0}, 0.1, density, 0.6, 0.0);
    benchmark::DoNotOptimize(spaces.to_exits().argmax());
    benchmark::DoNotOptimize(spaces.to_any_door().argmax());
  }
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

// ---- Sizes that hang (issue 17): growth with vertices, corners and keys. ----
// Each case is a shape a hostile or careless file can hold; the fitted
// complexity (Complexity()) and the figures are in docs/benchmarks.md.

// A comb of n/4 teeth (n vertices): valid, every edge near many others.
Polygon comb_polygon(int n) {
  Polygon p;
  for (int t = 0; t < n / 4; ++t) {
    const double x = 0.2 * t;
    p.insert(p.end(), {{x, 0}, {x + 0.1, 0}, {x + 0.1, -2}, {x + 0.2, -2}});
  }
  p.insert(p.end(), {{0.2 * (n / 4), 1}, {0, 1}});
  return p;
}

void BM_PolygonValidity(benchmark::State& state) {
  const Polygon p = comb_polygon(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(geom::invalidity(p));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_PolygonValidity)
    ->RangeMultiplier(4)
    ->Range(4000, 256000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oNLogN);

// The worst case measured for the visibility graph: the top and left walls of
// a 12 m x 8 m room lined with small notches (4 mm wide, 0.1 m deep, 8 mm
// apart), two reflex corners each, nearly all in sight of each other.
geom::WalkableArea notched_room(int corners) {
  const int notches = corners / 2;
  const int top = std::min(notches, 1400);
  Polygon b{{0, 0}, {12, 0}, {12, 8}};
  double x = 11.8;
  for (int k = 0; k < top; ++k, x -= 0.008)
    b.insert(b.end(), {{x, 8}, {x, 8.1}, {x - 0.004, 8.1}, {x - 0.004, 8}});
  b.push_back({0, 8});
  double y = 7.8;
  for (int k = top; k < notches; ++k, y -= 0.008)
    b.insert(b.end(), {{0, y}, {-0.1, y}, {-0.1, y - 0.004}, {0, y - 0.004}});
  return geom::WalkableArea({b, {}, {}, {}});
}

void BM_VisibilityGraphCorners(benchmark::State& state) {
  const geom::WalkableArea area = notched_room(static_cast<int>(state.range(0)));
  std::size_t nodes = 0, edges = 0;
  for (auto _ : state) {
    const geom::VisibilityGraph graph(area);
    nodes = graph.size();
    edges = graph.edge_count();
    benchmark::DoNotOptimize(edges);
  }
  state.counters["corners"] = static_cast<double>(nodes);
  state.counters["edges"] = static_cast<double>(edges);
  state.SetComplexityN(static_cast<std::int64_t>(nodes));
}
BENCHMARK(BM_VisibilityGraphCorners)
    ->Arg(250)
    ->Arg(500)
    ->Arg(1000)
    ->Arg(2000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();

// The bundled village hall with n unknown keys added to its `hall:` map: the
// whole load, parse included, to the InputError that lists them.
void BM_UnknownKeys(benchmark::State& state) {
  std::string text;
  {
    std::ifstream in(scenario("village"));
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto at = text.find("\nhall:\n");
  if (at == std::string::npos) throw std::runtime_error("village.yaml has no 'hall:' line");
  std::string extra;
  for (std::int64_t i = 0; i < state.range(0); ++i) extra += "  k" + std::to_string(i) + ": 1\n";
  text.insert(at + 7, extra);
  const std::string path = "/tmp/halltwin-bench-keys-" + std::to_string(::getpid()) + ".yaml";
  std::ofstream(path) << text;
  for (auto _ : state) {
    try {
      load_scenario(path);
      state.SkipWithError("expected unknown keys to be refused");
    } catch (const InputError& e) {
      benchmark::DoNotOptimize(e.problems().size());
    }
  }
  std::remove(path.c_str());
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_UnknownKeys)
    ->Arg(10000)
    ->Arg(100000)
    ->Arg(300000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

#define HALLTWIN_BENCH_ALL(fn)                                              \
  BENCHMARK_CAPTURE(fn, village, "village")->Unit(benchmark::kMillisecond); \
  BENCHMARK_CAPTURE(fn, county, "county")->Unit(benchmark::kMillisecond);   \
  BENCHMARK_CAPTURE(fn, province, "province")->Unit(benchmark::kMillisecond);

HALLTWIN_BENCH_ALL(BM_LoadScenario)
HALLTWIN_BENCH_ALL(BM_HallGeometry)
HALLTWIN_BENCH_ALL(BM_ExitDistanceField)
HALLTWIN_BENCH_ALL(BM_StraightLineSpaces)
HALLTWIN_BENCH_ALL(BM_Check)

}  // namespace

BENCHMARK_MAIN();
