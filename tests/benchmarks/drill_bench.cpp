// Benchmark of `halltwin drill` (sim/drill/): a provincial hall's day with a
// one-hour extranet outage (windows on paper intake), the whole drill as the
// command runs it: the day without and with the outage (common random
// numbers), one replication, and the measures. Loading happens outside the
// timed loop. Target (issue 14): under 2 s. docs/benchmarks.md has the figures.
#include <benchmark/benchmark.h>

#include <string>

#include "model/scenario_loader.hpp"
#include "sim/drill/it_failure.hpp"

namespace {

using namespace halltwin;

void BM_DrillProvinceItOutage(benchmark::State& state) {
  const Hall hall = load_scenario(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/province.yaml");
  const ops::OpsModel model(hall);
  EmergencyPlan plan;
  plan.name = "it-outage";
  plan.kind = EmergencyKind::it_failure;
  plan.target = "extranet";
  plan.at_s = 10 * 3600.0;
  plan.duration_min = 60;
  plan.fallback = FallbackMode::paper_intake;
  plan.service_factor = 1.5;
  plan.promises = {{PromiseKind::service_resumes, "service resumes", 120, "min", 0}};
  drill::DayOptions o;
  o.date = hall.start_date.empty() ? "2026-01-05" : hall.start_date;
  for (auto _ : state) {
    drill::DrillResult r;
    drill::outage_drill(hall, model, plan, o, r);
    benchmark::DoNotOptimize(r.kpis);
  }
}
BENCHMARK(BM_DrillProvinceItOutage)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace
