// `halltwin replay`: the observed KPIs of a queue log (a CSV export through a
// mapping, or a halltwin trace) per day, hour, matter and window, through the
// KPI code of `halltwin run` (docs/queue-data.md).
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "model/trace/trace_writer.hpp"
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
    if (!opt->scenario.empty()) {
      const Hall hall = load_scenario(opt->scenario);
      hall_name = hall.name;
      if (hall.operations.present) target = hall.operations.targets.wait_s;
      for (const auto& m : hall.matters) matters.push_back(m.id);
      for (const auto& w : hall.windows) windows.push_back(w.id);
    }
    const bool trace_input = connect::looks_like_trace(opt->log);
    connect::ObservedKpis obs(target, matters, windows, days, !trace_input);
    std::vector<connect::VisitSink*> sinks{&obs};
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
    const LogRead r = read_log(opt->log, opt->mapping, sinks, &obs, nullptr);
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
    out +=
        "\ntrace-driven what-if (re-simulating these arrivals against a changed hall): not available yet; "
        "see docs/queue-data.md\n";
    if (!opt->json.empty()) {
      json j = accounting_json(r, false);
      j["log"] = opt->log;
      j["input"] = r.trace_input ? "halltwin-trace" : "csv";
      if (!opt->scenario.empty()) j["scenario"] = {{"name", hall_name}, {"file", opt->scenario}};
      j["target_wait_s"] = target;
      j["dates"] = obs.dates();
      j["observed"] = observed;
      j["replayed"] = {
          {"available", false},
          {"reason", "the operations simulator does not yet accept external arrivals (docs/queue-data.md)"}};
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
