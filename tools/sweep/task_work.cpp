#include "tools/sweep/task_work.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/platform_runs.hpp"
#include "tools/halltwin/size_program.hpp"
#include "tools/sweep/child_process.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"
#include "sim/drill/drill.hpp"
#include "sim/size/staffing.hpp"
#include "sim/evac/building.hpp"
#include "sim/ops/ops_model.hpp"
#include "sim/ops/replications.hpp"
#include "sim/parallel_runs.hpp"

namespace halltwin::sweep {

namespace {

using nlohmann::json;

// A measure that never happens (a queue that never recovers, no AED on a floor) is null.
json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

json drill_json(const Hall& hall, const Rulebook& book, const TaskRequest& q) {
  const EmergencyPlan* plan = hall.emergencies.find(q.drill);
  if (!plan)
    throw InputError(InputProblem{q.scenario, 0, 0, "emergencies",
                                  fmt::format("'{}' is not a plan of the emergencies section", q.drill)});
  drill::DrillOptions o;
  o.day.seed = q.seed;
  o.day.replications = q.drill_replications;
  o.day.threads = q.threads;
  o.day.date = cli::first_day(hall, q.start);
  const drill::DrillResult r = drill::run_drill(hall, book, *plan, o);
  json promises = json::array();
  for (const auto& p : r.promises)
    promises.push_back({{"promise", p.promise},
                        {"bound", p.at_least ? "at_least" : "at_most"},
                        {"limit", p.limit},
                        {"measured", finite_or_null(p.measured)},
                        {"unit", p.unit},
                        {"verdict", p.kept ? "kept" : "broken"}});
  json kpis = json::object(), ci = json::object();
  for (const auto& k : r.kpis) {
    kpis[k.key] = finite_or_null(k.value);
    if (k.ci95_low && k.ci95_high) ci[k.key] = {finite_or_null(*k.ci95_low), finite_or_null(*k.ci95_high)};
  }
  return {{"emergency", r.emergency}, {"kind", r.kind},          {"date", o.day.date},
          {"replications", q.drill_replications}, {"all_kept", r.all_kept()}, {"promises", promises},
          {"kpis", kpis},           {"kpis_ci95", ci}};
}

std::string hhmm(double s) {
  const long m = std::lround(s / 60.0);
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

json size_json(const Hall& hall, const TaskRequest& q) {
  if (!hall.operations.present)
    throw InputError(InputProblem{q.scenario, 0, 0, "roster",
                                  "the scenario has no operations sections (services, demand, roster) to size"});
  size::SizingOptions so;
  for (const auto& t : q.size_targets) so.targets.push_back(size::parse_target(t, "size.targets"));
  if (so.targets.empty()) so.targets = size::scenario_targets(hall.operations.targets);
  so.block_min = q.size_by_block;
  so.replications = q.size_replications;
  so.seed = q.seed;
  so.threads = q.threads;
  so.days = q.days;
  so.start_date = cli::first_day(hall, q.start);
  so.verify = !q.size_quick;
  const size::SizingResult res = size::size_staffing(hall, so);
  const auto& plan = res.plan;
  json targets = json::array();
  for (const auto& t : res.evaluation.targets) {
    json e = {{"target", t.target.text()}, {"mean", finite_or_null(t.estimate.mean)}, {"bound", finite_or_null(t.bound)},
              {"met", t.met}};
    if (t.estimate.ci95_low) e["ci95_low"] = finite_or_null(*t.estimate.ci95_low);
    if (t.estimate.ci95_high) e["ci95_high"] = finite_or_null(*t.estimate.ci95_high);
    targets.push_back(e);
  }
  json blocks = json::array();
  int peak = 0;
  for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
    peak = std::max(peak, plan.total_in_block(b));
    blocks.push_back({{"start", hhmm(plan.blocks[b].start_s)}, {"end", hhmm(plan.blocks[b].end_s)},
                      {"staff", plan.total_in_block(b)}});
  }
  std::size_t windows = 0;
  for (const auto& p : plan.pools) windows += p.windows.size();
  return {{"met", res.met},
          {"unreachable", res.unreachable},
          {"locally_minimal", res.locally_minimal},
          {"staff_hours", plan.staff_hours()},
          {"peak_staff", peak},
          {"windows", windows},
          {"evaluations", res.evaluations},
          {"targets", targets},
          {"blocks", blocks}};
}

// The new hall of a demand program, as `halltwin size --program` sizes it:
// the figures a portfolio compares (the whole report is one command away).
json size_program_json(const TaskRequest& q) {
  cli::SizeProgramOptions o;
  o.program = q.scenario;
  o.rulebook = q.rulebook;
  o.replications = q.size_replications;
  o.threads = q.threads;
  o.seed = q.seed;
  o.quick = q.size_quick;
  const cli::SizeProgramReport r = cli::size_program_report(o);
  const json& j = r.json;
  auto figure = [&](const char* key) -> json {
    for (const auto& f : j["figures"])
      if (f["key"] == key) return f["value"];
    return nullptr;
  };
  json rows = json::array();
  for (const auto& w : j["windows"])
    rows.push_back({{"row", w["row"]}, {"kind", w["kind"]}, {"department", w["department"]}, {"windows", w["windows"]}});
  json draft = json::object();
  for (const auto& [k, e] : j["draft_run"].items()) draft[k] = e["mean"];
  return {{"program", j["program"]["name"]},
          {"met", j["met"]},
          {"unreachable", j["unreachable"]},
          {"windows", figure("windows")},
          {"staff_hours", figure("staff_hours")},
          {"peak_staff", figure("peak_staff")},
          {"seats", figure("seats")},
          {"building_area_m2", figure("building_area_m2")},
          {"occupant_load", figure("occupant_load")},
          {"exit_width_required_m", figure("exit_width_required_m")},
          {"check", j["check"]},
          {"draft_run", draft},
          {"rows", rows},
          {"evaluations", j["evaluations"]}};
}

}  // namespace

nlohmann::json run_task(const TaskRequest& q) {
  using nlohmann::json;
  if (q.size_program) return {{"size_program", size_program_json(q)}};
  const Hall run_hall = load_scenario(q.scenario);
  json out = json::object();
  if (q.run && q.replications > 0) {
    const Hall& hall = run_hall;
    if (!hall.operations.present)
      throw InputError(InputProblem{q.scenario, 0, 0, "services",
                                    "the scenario has no operations sections (services, demand, roster) to run"});
    const ops::OpsModel model(hall);
    // As `halltwin run`: the hall's first day unless the sweep names one.
    const std::string start = !q.start.empty() ? q.start : !hall.start_date.empty() ? hall.start_date : cli::kDefaultStart;
    std::vector<ops::RunResult> runs(static_cast<std::size_t>(q.replications));
    if (hall.platform.present) {
      // SimGrid runs one simulation per process: each replication in a child
      // of its own, as `halltwin run` does it (tools/halltwin/platform_runs.hpp).
      const std::vector<std::string> args{self_executable(), "run", q.scenario, "--seed", std::to_string(q.seed),
                                          "--days", std::to_string(q.days), "--start", start};
      auto children = cli::run_platform_children(args, q.replications, q.threads, q.first_replication);
      for (std::size_t i = 0; i < runs.size(); ++i) runs[i] = std::move(children[i].result);
    } else {
      // Replication r always uses the random streams of r (sim/ops/replications.hpp),
      // so a block gives the same values as the same replications of one long run.
      run_indexed(q.replications, q.threads, [&](int i) {
        ops::RunOptions o;
        o.seed = q.seed;
        o.days = q.days;
        o.start_date = start;
        o.replication = q.first_replication + i;
        runs[static_cast<std::size_t>(i)] = ops::simulate(model, o);
      });
    }
    json reps = json::array();
    for (int i = 0; i < q.replications; ++i) {
      json k = json::object();
      for (std::size_t j = 0; j < kpi::kKpiCount; ++j)
        k[std::string(kpi::name(static_cast<kpi::Kpi>(j)))] = runs[static_cast<std::size_t>(i)].kpis.values[j];
      reps.push_back({{"r", q.first_replication + i}, {"kpis", k}});
    }
    out["replications"] = reps;
  }
  if (!q.drill.empty()) out["drill"] = drill_json(run_hall, load_rulebook(q.rulebook), q);
  if (q.size) out["size"] = size_json(run_hall, q);
  if (q.check || q.evac) {
    const Rulebook book = load_rulebook(q.rulebook);
    const Hall building = q.hall_file.empty() || q.hall_file == q.scenario ? Hall{} : load_scenario(q.hall_file);
    const Hall& hall = q.hall_file.empty() || q.hall_file == q.scenario ? run_hall : building;
    if (q.check) {
      const check::Checker checker(book);
      const auto findings = checker.run(hall);
      int failed = 0, warned = 0;
      json rules = json::array();
      for (const auto& f : findings) {
        if (f.status == check::Status::fail) {
          ++failed;
          rules.push_back(f.rule);
        }
        warned += f.status == check::Status::warn;
      }
      out["check"] = {{"verdict", failed ? "fail" : "pass"}, {"failed", failed}, {"warned", warned},
                      {"failed_rules", rules}};
    }
    if (q.evac && hall.evacuation.present) {
      evac::BuildingOptions bo;
      bo.seed = q.seed;
      const evac::BuildingEvacuation bld(hall, book, bo);
      evac::EvacPlan plan;
      plan.base.seed = q.seed;
      plan.replications = q.evac_replications;
      plan.threads = q.threads;
      const evac::BuildingRuns runs = evac::run_building(bld, plan);
      json times = json::array();
      bool capped = false;
      double density = 0.0;
      for (int r = 1; r <= q.evac_replications; ++r) times.push_back(runs.evacuation_time_s(r));
      for (const auto& floor : runs.floors)
        for (const auto& r : floor) {
          capped = capped || r.capped;
          density = std::max(density, r.max_density_ppm2);
        }
      for (const auto& b : runs.building) capped = capped || b.capped;
      out["evac"] = {{"time_s", times}, {"capped", capped}, {"max_density_ppm2", density}};
    } else if (q.evac) {
      out["evac"] = {{"skipped", "the scenario has no evacuation section"}};
    }
  }
  return out;
}

}  // namespace halltwin::sweep
