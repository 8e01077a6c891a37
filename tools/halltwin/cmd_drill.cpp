// `halltwin drill`: one emergency plan of the scenario's `emergencies`
// section simulated (sim/drill/), each of its promises against what the
// simulation shows, with a verdict; exit 1 when a promise is broken.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>
#include <nlohmann/json.hpp>

#include "model/emergencies_loader.hpp"
#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/drill/drill.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/run_outputs.hpp"

namespace halltwin::cli {

namespace {

using nlohmann::json;

std::string shown(double v, const std::string& unit) {
  if (!std::isfinite(v)) return "never";
  return unit.empty() ? fmt::format("{:.2f}", v) : fmt::format("{:.2f} {}", v, unit);
}

}  // namespace

Command add_drill_command(CLI::App& app) {
  struct Options {
    std::string scenario, emergency, at, date, json, trace, rulebook = HALLTWIN_DEFAULT_RULEBOOK;
    int replications = 1, threads = 1;
    std::uint64_t seed = 1;
    double cell_m = 0.0;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("drill", "Rehearse an emergency plan: its promises against the simulation");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML, format 6 with an emergencies section)")
      ->required();
  cmd->add_option("--emergency", opt->emergency, "The plan's name in the emergencies section")->required();
  cmd->add_option("--at", opt->at, "Trigger time HH:MM on the drill's day (overrides the plan's `at`)");
  cmd->add_option("--date", opt->date, "The drill's day YYYY-MM-DD (default: hall.start_date)");
  cmd->add_option("--replications", opt->replications, "Independent replications (95% confidence intervals)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads running replications (results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--json", opt->json, "Write the promises, verdicts and KPIs as JSON to this file");
  cmd->add_option("--trace", opt->trace,
                  "Write replication 1 as a trace (docs/trace-format.md): the day with the outage (it-failure, "
                  "power-failure), the day under the measures (epidemic), the walk (fire, gas-leak, crowd-surge)");
  cmd->add_option("--rulebook", opt->rulebook, "Rulebook (occupant densities, walking-distance raster)");
  cmd->add_option("--cell", opt->cell_m, "Raster cell of the walking-distance fields, metres (0: the checker's)")
      ->check(CLI::Range(0.0, 2.0));
  return [opt]() -> int {
    const std::vector<std::string> inputs{opt->scenario, opt->rulebook};
    if (!opt->json.empty()) probe_writable(opt->json, "--json", inputs);
    if (!opt->trace.empty()) {
      if (opt->trace == opt->json)
        throw InputError(InputProblem{opt->trace, 0, 0, "--trace", "is also the --json output"});
      probe_writable(opt->trace, "--trace", inputs);
    }
    const Hall hall = load_scenario(opt->scenario);
    const Rulebook book = load_rulebook(opt->rulebook);
    const EmergencyPlan* plan = hall.emergencies.find(opt->emergency);
    if (!plan) {
      std::string names;
      for (const auto& p : hall.emergencies.plans) names += (names.empty() ? "" : ", ") + p.name;
      throw InputError(InputProblem{
          opt->scenario, 0, 0, "--emergency",
          hall.emergencies.present
              ? fmt::format("'{}' is not a plan of the emergencies section; plans: {}", shorten(opt->emergency),
                            names.empty() ? "(none)" : names)
              : fmt::format("the scenario has no emergencies section (format {}, docs/drill.md)", kScenarioFormat)});
    }
    drill::DrillOptions o;
    o.day.seed = opt->seed;
    o.day.replications = opt->replications;
    o.day.threads = opt->threads;
    o.day.date = first_day(hall, opt->date);
    if (!is_valid_date(o.day.date))
      throw InputError(
          InputProblem{"", 0, 0, "--date", fmt::format("'{}' is not a date; expected YYYY-MM-DD", o.day.date)});
    if (!opt->at.empty()) {
      const double abs = parse_at(opt->at, o.day.date);
      if (abs < 0 || abs >= 86400.0)
        throw InputError(InputProblem{"", 0, 0, "--at",
                                      fmt::format("'{}' is not on the drill's day {}", opt->at, o.day.date)});
      o.day.at_s = abs;
      o.day.at_label = opt->at;
    }
    o.cell_m = opt->cell_m;
    if (!opt->trace.empty() && plan->kind == EmergencyKind::sudden_illness)
      throw InputError(InputProblem{"", 0, 0, "--trace",
                                    "a sudden-illness drill moves nobody (it measures walking-distance fields); "
                                    "it writes no trace"});
    // The trace is gathered in memory and written once the drill succeeded.
    std::ostringstream trace_text;
    o.trace.header.scenario = hall.name;
    o.trace.header.scenario_file = opt->scenario;
    o.trace.header.seed = opt->seed;
    if (!opt->trace.empty()) o.trace.out = &trace_text;
    const drill::DrillResult r = drill::run_drill(hall, book, *plan, o);
    if (!opt->trace.empty()) write_file_atomically(opt->trace, trace_text.str(), "--trace");

    std::string out = fmt::format("{} ({})\nscenario: {}\ndrill: {} ({}), {}, seed {}, {} replication(s)\n\n",
                                  hall.name, name(hall.level), opt->scenario, r.emergency, r.kind, o.day.date,
                                  opt->seed, opt->replications);
    for (const auto& l : r.lines) out += l + "\n";
    out += fmt::format("\n{:<8} {:<26} {:>24} {:>14}\n", "VERDICT", "PROMISE", "PROMISED", "MEASURED");
    for (const auto& p : r.promises)
      out += fmt::format("{:<8} {:<26} {:>24} {:>14}   {}\n", p.kept ? "kept" : "BROKEN", p.promise,
                         fmt::format("{} {:g} {}", p.at_least ? ">=" : "<=", p.limit, p.unit), shown(p.measured, p.unit),
                         p.note);
    out += r.all_kept() ? "\nevery promise of the plan is kept\n" : "\nthe plan BREAKS a promise\n";

    if (!opt->json.empty()) {
      json j;
      j["scenario"] = {{"name", hall.name}, {"file", hall.source_file}, {"level", std::string(name(hall.level))}};
      j["emergency"] = r.emergency;
      j["kind"] = r.kind;
      j["date"] = o.day.date;
      j["at"] = opt->at.empty() ? json(nullptr) : json(opt->at);
      j["seed"] = opt->seed;
      j["replications"] = opt->replications;
      json promises = json::array();
      for (const auto& p : r.promises)
        promises.push_back({{"promise", p.promise},
                            {"limit", number(p.limit)},
                            {"bound", p.at_least ? "at_least" : "at_most"},
                            {"measured", std::isfinite(p.measured) ? number(p.measured) : json(nullptr)},
                            {"unit", p.unit},
                            {"verdict", p.kept ? "kept" : "broken"},
                            {"note", p.note}});
      j["promises"] = promises;
      json kpis = json::object(), ci = json::object();
      for (const auto& k : r.kpis) {
        kpis[k.key] = std::isfinite(k.value) ? number(k.value) : json(nullptr);
        if (k.ci95_low) ci[k.key] = {number(*k.ci95_low), number(*k.ci95_high)};
      }
      j["kpis"] = kpis;
      j["kpis_ci95"] = ci;
      j["all_kept"] = r.all_kept();
      j["account"] = r.lines;
      write_file_atomically(opt->json, j.dump(2) + "\n", "--json");
    }
    std::cout << out;
    return r.all_kept() ? 0 : 1;
  };
}

}  // namespace halltwin::cli
