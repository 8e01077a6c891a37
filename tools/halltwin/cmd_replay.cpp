// `halltwin replay`: the observed KPIs of a queue log (a CSV export through a
// mapping, or a halltwin trace) per day, hour, matter and window, through the
// KPI code of `halltwin run` (docs/queue-data.md).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/ops/ops_model.hpp"
#include "tools/connect/what_if.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/queue_data.hpp"

namespace halltwin::cli {

namespace {
using kpi::Kpi;
using nlohmann::json;
}  // namespace

// "1999-08-02,1999-08-05..1999-08-07"
std::set<std::string> parse_days(const std::string& list) {
  std::set<std::string> out;
  std::size_t i = 0;
  while (i <= list.size() && !list.empty()) {
    const std::size_t comma = std::min(list.find(',', i), list.size());
    const std::string item = list.substr(i, comma - i);
    const std::size_t dots = item.find("..");
    const std::string a = dots == std::string::npos ? item : item.substr(0, dots);
    const std::string b = dots == std::string::npos ? item : item.substr(dots + 2);
    if (!is_valid_date(a) || !is_valid_date(b) || b < a)
      throw InputError(InputProblem{
          "", 0, 0, "--days",
          fmt::format("'{}' is not a date or range; expected YYYY-MM-DD[..YYYY-MM-DD][,...]", item)});
    for (int d = 0;; ++d) {
      const std::string x = date_of_day(a, d);
      out.insert(x);
      if (x >= b || d > 4000) break;
    }
    i = comma + 1;
  }
  return out;
}

namespace {
json tally_json(const kpi::Tally& t, double n_days) {
  const double decided = static_cast<double>(t.served + t.abandoned);
  return json{
      {"arrivals", number(static_cast<double>(t.arrivals) / n_days)},
      {"served", number(static_cast<double>(t.served) / n_days)},
      {"abandoned", number(static_cast<double>(t.abandoned) / n_days)},
      {"no_show", number(static_cast<double>(t.no_show) / n_days)},
      {"abandon_rate", number(decided > 0 ? static_cast<double>(t.abandoned) / decided : 0.0)},
      {"within_target_rate", number(decided > 0 ? static_cast<double>(t.within_target) / decided : 0.0)},
      {"wait_mean_s", number(t.served ? t.wait_sum_s / static_cast<double>(t.served) : 0.0)},
      {"wait_max_s", number(t.wait_max_s)},
      {"service_mean_s",
       number(t.service_count ? t.service_sum_s / static_cast<double>(t.service_count) : 0.0)}};
}
}  // namespace

nlohmann::json observed_json(const connect::ObservedKpis& obs) {
  const kpi::ReplicationKpis k = obs.finish_kpis();
  const auto& acc = obs.accumulator();
  const double n_days = std::max<double>(1.0, static_cast<double>(obs.days_selected()));
  json j;
  json kj = json::object();
  for (std::size_t i = 0; i < kpi::kKpiCount; ++i) kj[std::string(kpi::name(Kpi(i)))] = number(k.values[i]);
  j["kpis"] = kj;
  kpi::Tally total;
  for (const auto& t : k.by_matter) {
    total.arrivals += t.arrivals, total.served += t.served, total.abandoned += t.abandoned,
        total.no_show += t.no_show;
  }
  json totals = {{"days", obs.days_selected()}, {"visits", obs.visit_count},    {"arrivals", total.arrivals},
                 {"served", total.served},      {"abandoned", total.abandoned}, {"no_show", total.no_show}};
  for (std::size_t i = 0; i < connect::kOutcomeCount; ++i)
    if (connect::Outcome(i) == connect::Outcome::left_before_queue ||
        connect::Outcome(i) == connect::Outcome::phantom)
      totals[std::string(connect::name(connect::Outcome(i)))] = obs.outcomes[i];
  j["totals"] = totals;
  json by_day = json::object();
  for (const auto& [date, v] : k.by_day) {
    json d = json::object();
    for (std::size_t i = 0; i < kpi::kKpiCount; ++i)
      if (std::isfinite(v[i])) d[std::string(kpi::name(Kpi(i)))] = number(v[i]);
    by_day[date] = d;
  }
  j["by_day"] = by_day;
  json by_hour = json::object();
  for (std::size_t h = 0; h < 24; ++h)
    if (k.by_hour[h].arrivals) by_hour[fmt::format("{:02}", h)] = tally_json(k.by_hour[h], n_days);
  j["by_hour"] = by_hour;
  json by_matter = json::object();
  for (std::size_t m = 0; m < k.by_matter.size(); ++m)
    by_matter[acc.matter_ids()[m]] = tally_json(k.by_matter[m], n_days);
  j["by_matter"] = by_matter;
  json by_window = json::object();
  for (std::size_t w = 0; w < k.by_window.size(); ++w) {
    const auto& t = k.by_window[w];
    by_window[acc.window_ids()[w]] = {
        {"served", number(static_cast<double>(t.served) / n_days)},
        {"busy_s", number(t.busy_s / n_days)},
        {"rostered_s", number(t.rostered_s / n_days)},
        {"utilization", t.rostered_s > 0 ? number(t.busy_s / t.rostered_s) : json(nullptr)},
        {"service_mean_s",
         t.served ? number(t.service_sum_s / static_cast<double>(t.served)) : json(nullptr)}};
  }
  j["by_window"] = by_window;
  return j;
}

Command add_replay_command(CLI::App& app) {
  struct Options {
    std::string log, mapping, scenario, days, json, trace;
    std::string skills = "auto", calling, presence = "pickups";
    double presence_gap_s = connect::kPresenceGap_s;
    double pickup_window_s = connect::kPickupWindow_s;
    std::uint64_t seed = 1;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "replay", "Observed KPIs of a queue log (CSV export or halltwin trace) per day, hour, matter, window");
  cmd->add_option("log", opt->log, "The export (CSV) or a halltwin trace")->required();
  cmd->add_option("--mapping", opt->mapping,
                  "Mapping file (YAML, halltwin-mapping/1); not needed for a halltwin trace");
  cmd->add_option("--scenario", opt->scenario, "The hall (its matters, windows and target wait)");
  cmd->add_option("--days", opt->days, "Dates to report: YYYY-MM-DD[..YYYY-MM-DD][,...] (default: all)");
  cmd->add_option("--json", opt->json, "Write the observed KPIs as JSON");
  cmd->add_option("--trace", opt->trace, "Write the imported visits as an event trace");
  cmd->add_option("--skills", opt->skills,
                  "What-if skills: log (each server serves on a date the matters the export shows it "
                  "serving that date), scenario (the hall's roster), auto (log for an export, scenario for "
                  "a halltwin trace)")
      ->check(CLI::IsMember({"auto", "log", "scenario"}))
      ->capture_default_str();
  cmd->add_option("--presence", opt->presence,
                  "What-if servers of an export: pickups (each logged service is a slot of its server: at its "
                  "logged start, as long as it lasted, for the call the log gave it when that call waits, else "
                  "by the calling policy), present (first to last service, gaps over --presence-gap out) or "
                  "available (also out: gaps in which a call the server serves was left waiting)")
      ->check(CLI::IsMember({"present", "available", "pickups"}))
      ->capture_default_str();
  cmd->add_option("--presence-gap", opt->presence_gap_s,
                  "What-if presence inferred from an export's service periods: a server's gap between "
                  "services longer than this many seconds is an absence")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  cmd->add_option("--pickup-window", opt->pickup_window_s,
                  "With --presence pickups: seconds a slot waits for a call when nobody is waiting at its start")
      ->check(CLI::Range(0.001, 3600.0))
      ->capture_default_str();
  cmd->add_option("--calling", opt->calling,
                  "What-if calling policy of every window, instead of the scenario's: fifo, priority, "
                  "longest_wait, appointments_first (with --presence pickups, the logged slots then choose "
                  "by it instead of taking the call the log gave them)")
      ->check(CLI::IsMember({"fifo", "priority", "longest_wait", "appointments_first"}));
  cmd->add_option("--seed", opt->seed, "Random seed of the what-if (walking speeds, draws the log lacks)")
      ->capture_default_str();
  return [opt]() -> int {
    std::vector<std::string> inputs{opt->log};
    if (!opt->mapping.empty()) inputs.push_back(opt->mapping);
    if (!opt->scenario.empty()) inputs.push_back(opt->scenario);
    register_inputs(inputs);
    if (!opt->json.empty()) probe_writable(opt->json, "--json", inputs);
    if (!opt->trace.empty()) {
      if (opt->trace == opt->json)
        throw InputError(InputProblem{opt->trace, 0, 0, "--trace", "is also the --json output"});
      probe_writable(opt->trace, "--trace", inputs);
    }
    const std::set<std::string> days = opt->days.empty() ? std::set<std::string>{} : parse_days(opt->days);
    double target = 1200.0;
    std::vector<std::string> matters, windows;
    std::string hall_name;
    std::optional<Hall> hall_opt;
    if (!opt->scenario.empty()) {
      hall_opt = load_scenario(opt->scenario);
      const Hall& hall = *hall_opt;
      hall_name = hall.name;
      if (hall.operations.present) target = hall.operations.targets.wait_s;
      for (const auto& m : hall.matters) matters.push_back(m.id);
      for (const auto& w : hall.windows) windows.push_back(w.id);
    }
    const bool trace_input = connect::looks_like_trace(opt->log);
    connect::ObservedKpis obs(target, matters, windows, days, !trace_input);
    std::vector<connect::VisitSink*> sinks{&obs};
    // The trace-driven what-if needs a hall that can be simulated.
    std::unique_ptr<connect::WhatIfCollector> what_if;
    if (hall_opt && hall_opt->operations.present) {
      what_if = std::make_unique<connect::WhatIfCollector>(*hall_opt, days, !trace_input);
      what_if->presence_gap_s = opt->presence_gap_s;
      using P = connect::WhatIfCollector::Presence;
      what_if->presence = opt->presence == "available" ? P::available
                          : opt->presence == "pickups" ? P::pickups
                                                       : P::present;
      what_if->pickup_window_s = opt->pickup_window_s;
      // Skills: by default as the export shows them (a CSV: who served what on
      // each date); a halltwin trace keeps the scenario's (its run had them).
      what_if->logged_skills = opt->skills == "log" || (opt->skills == "auto" && !trace_input);
      // Another calling policy is a what-if of its own: the slots choose by it, not as the log did.
      if (!opt->calling.empty()) {
        static const std::map<std::string, CallingPolicy> kPolicies{
            {"fifo", CallingPolicy::fifo},
            {"priority", CallingPolicy::priority},
            {"longest_wait", CallingPolicy::longest_wait},
            {"appointments_first", CallingPolicy::appointments_first}};
        what_if->calling = kPolicies.at(opt->calling);
      }
      what_if->seed = opt->seed;
      // The windows the log names anywhere are staffed by its presence alone
      // from its first date on: a first pass over a file finds them (the
      // import alone, a few per cent of the replay's time; memory as the
      // import). From standard input, a window counts from the date the log
      // first names it (docs/queue-data.md, "Streaming").
      std::error_code ec;
      if (!trace_input && opt->log != "-" && std::filesystem::is_regular_file(opt->log, ec)) {
        const LogRead first = read_log(opt->log, opt->mapping, {}, nullptr, nullptr);
        what_if->windows_of_log(first.catalog.windows.names());
      } else if (!trace_input) {
        // A pipe is read once: the windows it names are known only at its
        // end, so the what-if keeps the whole log (as before streaming) and
        // gives what a file gives, at the cost of memory.
        what_if->streaming = false;
        std::cerr << "replay: the log is not a regular file, so it is read once and the what-if keeps all of it in "
                     "memory (not streamed: the windows the log names are known only at its end; "
                     "docs/queue-data.md, \"Streaming\")\n";
      }
      sinks.push_back(what_if.get());
    }
    std::unique_ptr<OutputFile> file;
    std::unique_ptr<TraceWriter> writer;
    std::unique_ptr<connect::TraceSink> trace_sink;
    if (!opt->trace.empty()) {
      trace_sink = std::make_unique<connect::TraceSink>(
          [&](const connect::Catalog& c) -> TraceWriter& {
            TraceHeader h;
            h.scenario = hall_name;
            h.scenario_file = opt->scenario;
            h.source = "halltwin replay";
            h.start_date = c.start_date;
            file = std::make_unique<OutputFile>(opt->trace, "--trace");
            writer = std::make_unique<TraceWriter>(file->stream(), h, opt->trace);
            return *writer;
          },
          0.0);
      sinks.push_back(trace_sink.get());
    }
    const LogRead r = read_log(opt->log, opt->mapping, sinks, &obs, nullptr, {}, nullptr,
                               [&](const std::string& w, double a, double b) {
                                 if (what_if) what_if->shift(w, a, b);
                               });
    if (writer) {
      writer->flush();
      writer.reset();
      file->commit();
    }
    const json observed = observed_json(obs);
    std::string out = accounting_text(r);
    out += fmt::format("\nobserved over {} day(s) (counts per day, waits over all served visits):\n",
                       obs.days_selected());
    for (std::size_t i = 0; i < kpi::kKpiCount; ++i) {
      const auto& v = observed["kpis"][std::string(kpi::name(Kpi(i)))];
      out += fmt::format("  {:<22} {:>12}\n", kpi::name(Kpi(i)),
                         v.is_null() ? std::string("-") : fmt::format("{:.3f}", v.get<double>()));
    }
    // The what-if: the logged citizens through the scenario's hall.
    json replayed = {{"available", false}};
    if (!what_if) {
      replayed["reason"] =
          hall_opt ? "the scenario has no operations sections (format 2 or later)" : "no --scenario given";
      out += "\ntrace-driven what-if: give --scenario HALL.yaml (with operations sections)\n";
    } else if (what_if->totals().visits == 0 || !what_if->totals().kpis) {
      replayed["reason"] = "no served or abandoned visit of the selected days";
    } else {
      // Simulated while the log was read, in chunks of dates (what_if.hpp).
      const connect::WhatIfTotals& t = what_if->totals();
      const kpi::ReplicationKpis run_kpis = t.kpis->finish(0, 0);
      const bool logged_skills = what_if->logged_skills;
      // Per ticket: the simulated wait against the observed one, where both served;
      // nearest rank as a sorted list's element [p n].
      const auto& diff = t.abs_diff_s;
      auto q = [&](double p) {
        return diff.count() == 0
                   ? json(nullptr)
                   : number(diff.at_rank(std::min(diff.count() - 1, static_cast<std::uint64_t>(
                                                                         p * static_cast<double>(diff.count())))));
      };
      json k = json::object();
      for (std::size_t i = 0; i < kpi::kKpiCount; ++i)
        k[std::string(kpi::name(Kpi(i)))] = number(run_kpis.values[i]);
      json skipped = json::object();
      for (const auto& [why, n] : what_if->skipped) skipped[why] = n;
      replayed = {{"available", true},
                  {"scenario", {{"name", hall_name}, {"file", opt->scenario}}},
                  {"visits", t.visits},
                  {"skipped", skipped},
                  {"skipped_matter_not_served", t.external_skipped},
                  {"presence", trace_input                     ? "shift records of the trace"
                               : opt->presence == "available" ? "available: inferred from service periods and waiting calls"
                               : opt->presence == "pickups"
                                   ? fmt::format("pickups: each logged service a slot of its server, the logged call first; a slot waits {} s", opt->pickup_window_s)
                                   : "present: inferred from service periods"},
                  {"presence_gap_s", trace_input ? json(nullptr) : number(opt->presence_gap_s)},
                  {"skills", logged_skills ? "log: the matters each server served on each date" : "scenario"},
                  {"calling", opt->calling.empty() ? "scenario" : opt->calling},
                  {"kpis", k},
                  {"per_ticket",
                   {{"compared", diff.count()},
                    {"median_abs_diff_s", q(0.5)},
                    {"p90_abs_diff_s", q(0.9)},
                    {"zero_wait_baseline_median_abs_diff_s",
                     t.observed_s.count() == 0 ? json(nullptr)
                                               : number(t.observed_s.at_rank(t.observed_s.count() / 2))},
                    {"max_abs_diff_s", diff.count() == 0 ? json(nullptr) : number(diff.max())},
                    {"resolution_s", number(std::max(diff.resolution_s(), t.observed_s.resolution_s()), 6)}}},
                  {"chunks", {{"simulated", t.chunks},
                              {"simulations", t.attempts},
                              {"largest_visits", t.largest_chunk_visits},
                              {"largest_days", t.largest_chunk_days}}},
                  {"wall_s", number(t.wall_s, 6)}};
      out += fmt::format("\ntrace-driven what-if through {} ({} visits, presence {}):\n", opt->scenario,
                         t.visits,
                         trace_input ? "from shift records" : opt->presence + ", inferred from service periods");
      for (Kpi x : {Kpi::wait_mean_s, Kpi::wait_p90_s, Kpi::served, Kpi::abandoned, Kpi::abandon_rate,
                    Kpi::utilization})
        out +=
            fmt::format("  {:<22} {:>12.3f}  (observed {})\n", kpi::name(x), run_kpis.values[std::size_t(x)],
                        observed["kpis"][std::string(kpi::name(x))].dump());
      if (diff.count() != 0)
        out += fmt::format(
            "  per ticket |simulated - observed wait|: median {:.3f} s, p90 {:.3f} s, max {:.3f} s over {} "
            "tickets\n",
            q(0.5).get<double>(), q(0.9).get<double>(), diff.max(), diff.count());
    }
    if (!opt->json.empty()) {
      json j = accounting_json(r, false);
      j["log"] = opt->log;
      j["input"] = r.trace_input ? "halltwin-trace" : "csv";
      if (!opt->scenario.empty()) j["scenario"] = {{"name", hall_name}, {"file", opt->scenario}};
      j["target_wait_s"] = target;
      j["dates"] = obs.dates();
      j["observed"] = observed;
      j["replayed"] = replayed;
      j["performance"] = {
          {"wall_s", number(r.wall_s, 6)},
          {"rows_per_s", number(r.wall_s > 0 ? static_cast<double>(r.stats.rows) / r.wall_s : 0.0, 0)}};
      write_file_atomically(opt->json, j.dump(2) + "\n", "--json");
    }
    std::cout << out;
    return 0;
  };
}

}  // namespace halltwin::cli
