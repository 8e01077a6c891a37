#include "tools/halltwin/scenario_evaluation.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include "sim/check/checker.hpp"
#include "sim/evac/building.hpp"
#include "sim/evac/evac_model.hpp"
#include "sim/ops/ops_model.hpp"
#include "sim/ops/replications.hpp"
#include "sim/parallel_runs.hpp"

namespace halltwin::cli {

namespace {

// The first hour and the hour after the last at which anyone can be inside:
// from the earliest shift start to the latest close, widened by one hour.
constexpr int kFirstHour = 7, kLastHour = 21;

}  // namespace

Evaluation evaluate_scenario(const Hall& hall, const Rulebook& book, const EvaluationOptions& options) {
  Evaluation ev;
  auto& o = ev.outcome;
  o.name = hall.name;
  o.file = hall.source_file;
  o.level = std::string(name(hall.level));
  o.hall_id = hall.name + "|" + o.level;
  o.targets = hall.operations.targets;
  o.has_evacuation = hall.evacuation.present;
  o.evacuation_skipped = hall.evacuation.present && !options.evacuation;

  // Operations. InputError (a hall that cannot run those days) and any other
  // failure are the scenario's result, reported by the caller.
  try {
    if (!hall.operations.present)
      throw std::runtime_error("the scenario has no operations sections (services, demand, roster)");
    const ops::OpsModel model(hall);
    ops::ReplicationPlan plan;
    plan.base.seed = options.seed;
    plan.base.days = options.days;
    plan.base.start_date = options.start_date;
    plan.replications = options.replications;
    plan.threads = options.threads;
    const auto t0 = std::chrono::steady_clock::now();
    auto runs = ops::run_replications(model, plan);
    ev.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (const auto& r : runs) o.replications.push_back(r.kpis.values);
    if (options.hourly_occupancy) {
      const auto days = ops::open_days(model, options.start_date, 1);
      const double day0_s = days.empty() ? 0.0 : 86400.0 * days.front();
      const int n_hours = kLastHour - kFirstHour + 1;
      std::vector<HourlyOccupancy> samples(static_cast<std::size_t>(n_hours * options.replications));
      run_indexed(static_cast<int>(samples.size()), options.threads, [&](int i) {
        const int h = kFirstHour + i % n_hours, r = i / n_hours + 1;
        ops::RunOptions ro = plan.base;
        ro.days = 1;
        ro.replication = r;
        ro.stop_at_s = day0_s + 3600.0 * h;
        const auto res = ops::simulate(model, ro);
        HourlyOccupancy& s = samples[static_cast<std::size_t>(i)];
        s.hour = h;
        if (!res.snapshot) return;
        for (const auto& p : res.snapshot->persons) {
          if (p.kind != EntityKind::citizen) continue;
          s.inside += 1;
          s.waiting += p.state == ops::PersonState::waiting_seated || p.state == ops::PersonState::waiting_standing;
          s.standing += p.state == ops::PersonState::waiting_standing;
        }
      });
      for (int h = 0; h < n_hours; ++h) {
        HourlyOccupancy m{kFirstHour + h};
        for (int r = 0; r < options.replications; ++r) {
          const auto& s = samples[static_cast<std::size_t>(r * n_hours + h)];
          m.inside += s.inside / options.replications;
          m.waiting += s.waiting / options.replications;
          m.standing += s.standing / options.replications;
        }
        ev.occupancy.push_back(m);
      }
    }
    if (options.keep_runs) ev.runs = std::move(runs);
  } catch (const std::exception& e) {
    o.replications.clear();
    o.run_error = e.what();
  }

  try {
    const check::Checker checker(book);
    o.findings = checker.run(hall);
  } catch (const std::exception& e) {
    o.check_error = e.what();
  }

  if (hall.evacuation.present && options.evacuation) {
    try {
      // Every floor, the upper ones down their stairs, as `halltwin evac` does it.
      evac::BuildingOptions bo;
      bo.seed = options.seed;
      const evac::BuildingEvacuation bld(hall, book, bo);
      evac::EvacPlan plan;
      plan.base.seed = options.seed;
      evac::BuildingRuns runs = evac::run_building(bld, plan);
      compare::EvacOutcome e;
      e.time_s = runs.evacuation_time_s(1);
      for (std::size_t i = 0; i < runs.floors.size(); ++i) {
        const evac::EvacResult& r = runs.floors[i].front();
        e.capped = e.capped || r.capped;
        e.agents += r.agents;
        e.stuck += static_cast<int>(r.stuck.size());
        e.congestion_s = std::max(e.congestion_s, r.congestion_s);
        e.max_density_ppm2 = std::max(e.max_density_ppm2, r.max_density_ppm2);
        const std::string prefix = bld.building ? hall.floor(bld.models()[i]->floor).id + ":" : "";
        for (const auto& x : r.exits) e.exits.push_back({prefix + x.id, x.count});
      }
      if (!runs.building.empty()) e.capped = e.capped || runs.building.front().capped;
      // The margin is ASET minus this one run's time (compare runs one evacuation per scenario).
      e.aset_s = hall.evacuation.aset_s;
      o.evacuation = e;
      // The page's curve and density map: the ground floor's.
      const evac::EvacModel& ground = bld.ground();
      ev.density_origin = ground.density_origin;
      ev.density_nx = ground.density_nx;
      ev.density_ny = ground.density_ny;
      ev.evac = std::move(runs.floors.front().front());
    } catch (const std::exception& e) {
      o.evacuation_error = e.what();
    }
  }
  return ev;
}

}  // namespace halltwin::cli
