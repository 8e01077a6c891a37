// `halltwin run`: a hall's working days through the operations simulator;
// a readable summary of the service-level KPIs, optionally JSON and traces.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/replications.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/run_outputs.hpp"

namespace halltwin::cli {

namespace {

using kpi::Kpi;
using nlohmann::json;

struct Summary {
  std::vector<kpi::Estimate> kpis;  // by Kpi
};

std::vector<double> samples(const std::vector<ops::RunResult>& runs, Kpi k) {
  std::vector<double> v;
  for (const auto& r : runs) v.push_back(r.kpis.values[static_cast<std::size_t>(k)]);
  return v;
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

struct TargetCheck {
  std::string name, kpi, op;
  double limit = 0, value = 0;
  bool met = true;
};

std::vector<TargetCheck> check_targets(const Targets& t, const std::vector<kpi::Estimate>& est) {
  std::vector<TargetCheck> out;
  auto v = [&](Kpi k) { return est[static_cast<std::size_t>(k)].mean; };
  if (t.within_target_rate_min) {
    const double x = v(Kpi::within_target_rate);
    out.push_back({"within_target_rate_min", "within_target_rate", ">=", *t.within_target_rate_min, x,
                   x >= *t.within_target_rate_min});
  }
  if (t.abandon_rate_max) {
    const double x = v(Kpi::abandon_rate);
    out.push_back(
        {"abandon_rate_max", "abandon_rate", "<=", *t.abandon_rate_max, x, x <= *t.abandon_rate_max});
  }
  if (t.standing_max) {
    const double x = v(Kpi::max_waiting_standing);
    out.push_back({"standing_max", "max_waiting_standing", "<=", *t.standing_max, x, x <= *t.standing_max});
  }
  return out;
}

std::string fmt_value(Kpi k, double v) {
  if (!std::isfinite(v)) return "-";
  switch (k) {
    case Kpi::abandon_rate:
    case Kpi::within_target_rate:
    case Kpi::utilization:
      return fmt::format("{:.1f}%", 100.0 * v);
    case Kpi::wait_mean_s:
    case Kpi::wait_p50_s:
    case Kpi::wait_p90_s:
    case Kpi::wait_max_s:
    case Kpi::overtime_s:
      return v >= 60.0 ? fmt::format("{:.1f} min", v / 60.0) : fmt::format("{:.1f} s", v);
    default:
      return fmt::format("{:.1f}", v);
  }
}

}  // namespace

Command add_run_command(CLI::App& app) {
  struct Options {
    std::string scenario, json, trace, start, at;
    int days = 1, replications = 1, threads = 1;
    std::uint64_t seed = 1;
    bool quiet = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("run", "Simulate a hall's working days: arrivals, tickets, waiting, windows, staff");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML, format 2 with services, demand, roster)")
      ->required();
  cmd->add_option("--days", opt->days, "Open days to simulate (closed days are skipped)")
      ->check(CLI::Range(1, 3660))
      ->capture_default_str();
  cmd->add_option("--start", opt->start, "First calendar day YYYY-MM-DD (default: hall.start_date)");
  cmd->add_option("--replications", opt->replications, "Independent replications (95% confidence intervals)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads running replications (results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--json", opt->json, "Write the KPIs as JSON to this file");
  cmd->add_option(
      "--trace", opt->trace,
      "Write the event trace (CSV, docs/trace-format.md); with N replications OUT.r1.csv ... OUT.rN.csv");
  cmd->add_option(
      "--at", opt->at,
      "Stop replication 1 at HH:MM (first day) or 'YYYY-MM-DD HH:MM' and report everyone's state");
  cmd->add_flag("--quiet", opt->quiet, "Print only the KPI table");
  return [opt]() -> int {
    const std::vector<std::string> inputs{opt->scenario};
    if (!opt->json.empty()) probe_writable(opt->json, "--json", inputs);
    const std::vector<std::string> trace_paths =
        opt->trace.empty() ? std::vector<std::string>{} : replication_paths(opt->trace, opt->replications);
    for (const auto& p : trace_paths) {
      if (p == opt->json) throw InputError(InputProblem{p, 0, 0, "--trace", "is also the --json output"});
      probe_writable(p, "--trace", inputs);
    }
    const Hall hall = load_scenario(opt->scenario);
    const ops::OpsModel model(hall);
    ops::ReplicationPlan plan;
    plan.base.seed = opt->seed;
    plan.base.days = opt->days;
    plan.base.start_date = !opt->start.empty()        ? opt->start
                           : !hall.start_date.empty() ? hall.start_date
                                                      : kDefaultStart;
    if (!is_valid_date(plan.base.start_date))
      throw InputError(InputProblem{
          "", 0, 0, "--start", fmt::format("'{}' is not a date; expected YYYY-MM-DD", plan.base.start_date)});
    (void)ops::open_days(model, plan.base.start_date, opt->days);  // bad calendars fail before the run
    std::optional<double> at_s;
    if (!opt->at.empty()) at_s = parse_at(opt->at, plan.base.start_date);
    plan.replications = opt->replications;
    plan.threads = opt->threads;

    ReplicationTraces traces(trace_paths);
    if (!traces.empty()) {
      plan.trace_for = [&](int r) {
        TraceHeader h;
        h.scenario = hall.name;
        h.scenario_file = opt->scenario;
        h.source = "halltwin run";
        h.seed = opt->seed;
        h.replication = r;
        h.start_date = plan.base.start_date;
        return traces.open(r, h);
      };
      plan.after_run = [&](int r) { traces.close(r); };
    }
    const bool progress = ::isatty(2) && opt->replications * opt->days >= 20;
    if (progress)
      plan.progress = [](int done, int total) {
        std::cerr << fmt::format("\rrun: {}/{} replications", done, total) << (done == total ? "\n" : "")
                  << std::flush;
      };

    std::vector<ops::RunResult> runs;
    const auto t0 = std::chrono::steady_clock::now();
    runs = ops::run_replications(model, plan);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (at_s) {
      // Replication 1 again, stopped at the snapshot time; the KPIs come from the full runs.
      ops::RunOptions o = plan.base;
      o.replication = 1;
      o.stop_at_s = at_s;
      runs[0].snapshot = ops::simulate(model, o).snapshot;
    }

    // ---------------------------------------------------------- aggregate
    std::vector<kpi::Estimate> est;
    for (std::size_t k = 0; k < kpi::kKpiCount; ++k) {
      const auto [lo, hi] = kpi::natural_range(Kpi(k));
      est.push_back(kpi::estimate(samples(runs, Kpi(k)), lo, hi));
    }
    const auto targets = check_targets(hall.operations.targets, est);
    std::uint64_t events = 0, customers = 0;
    for (const auto& r : runs) events += r.kpis.events, customers += r.customers;
    const double n_days = static_cast<double>(opt->days);
    const double n_runs = static_cast<double>(runs.size());

    // ---------------------------------------------------------- text
    std::string out = fmt::format("{} ({})\nscenario: {}\n{} day(s) from {}, {} replication(s), seed {}\n\n",
                                  hall.name, name(hall.level), opt->scenario, opt->days, plan.base.start_date,
                                  opt->replications, opt->seed);
    out += fmt::format("{:<22}  {:>12}  {:>27}\n", "KPI", "MEAN", "95% CI");
    for (std::size_t k = 0; k < kpi::kKpiCount; ++k) {
      const auto& e = est[k];
      const std::string ci = e.ci95_low ? fmt::format("{} .. {}", fmt_value(Kpi(k), *e.ci95_low),
                                                      fmt_value(Kpi(k), *e.ci95_high))
                                        : "-";
      out += fmt::format("{:<22}  {:>12}  {:>27}\n", kpi::name(Kpi(k)), fmt_value(Kpi(k), e.mean), ci);
    }
    out += fmt::format("\ntarget wait {}: ", fmt_value(Kpi::wait_mean_s, hall.operations.targets.wait_s));
    bool all_met = true;
    if (targets.empty())
      out += "no further targets set\n";
    else {
      out += "\n";
      for (const auto& t : targets) {
        all_met = all_met && t.met;
        // Rates as percentages, counts as numbers (fmt_value knows which KPI is which).
        const auto k = *kpi::parse_kpi(t.kpi);
        out += fmt::format("  {:<5} {} {} {} (measured {})\n", t.met ? "met" : "MISSED", t.kpi, t.op,
                           fmt_value(k, t.limit), fmt_value(k, t.value));
      }
    }
    for (const auto& w : hall.operations.warnings) out += w + "\n";
    for (const auto& w : model.warnings) out += "warning: " + w + "\n";
    if (runs[0].snapshot) {
      const auto& s = *runs[0].snapshot;
      int counts[4] = {0, 0, 0, 0}, staff = 0;
      for (const auto& p : s.persons)
        p.kind == EntityKind::staff ? ++staff : ++counts[static_cast<int>(p.state)];
      out += fmt::format(
          "\nat {} {:02}:{:02} (replication 1): {} citizens inside ({} walking, {} seated, {} standing, {} "
          "at a window), {} staff at windows\n",
          date_of_day(plan.base.start_date, s.day), static_cast<int>(s.time_s / 3600),
          static_cast<int>(std::fmod(s.time_s, 3600.0) / 60), counts[0] + counts[1] + counts[2] + counts[3],
          counts[0], counts[1], counts[2], counts[3], staff);
    }
    out += fmt::format("\nsimulated {} citizens, {} events in {:.3f} s ({:.0f} citizens/s)\n", customers,
                       events, wall_s, wall_s > 0 ? static_cast<double>(customers) / wall_s : 0.0);

    // ---------------------------------------------------------- JSON
    json j;
    if (!opt->json.empty()) {
      j["scenario"] = {
          {"name", hall.name}, {"file", hall.source_file}, {"level", std::string(name(hall.level))}};
      j["replications"] = opt->replications;
      j["seed"] = opt->seed;
      j["days"] = opt->days;
      j["start_date"] = plan.base.start_date;
      j["dates"] = runs[0].dates;
      json k = json::object();
      for (std::size_t i = 0; i < kpi::kKpiCount; ++i)
        k[std::string(kpi::name(Kpi(i)))] = {
            {"mean", number(est[i].mean)},
            {"ci95_low", est[i].ci95_low ? number(*est[i].ci95_low) : json(nullptr)},
            {"ci95_high", est[i].ci95_high ? number(*est[i].ci95_high) : json(nullptr)}};
      j["kpis"] = k;
      json by_day = json::object();
      for (const auto& date : runs[0].dates) {
        json d = json::object();
        for (std::size_t i = 0; i < kpi::kKpiCount; ++i) {
          std::vector<double> v;
          for (const auto& r : runs) v.push_back(r.kpis.by_day.at(date)[i]);
          const double m = mean_of(v);
          if (std::isfinite(m)) d[std::string(kpi::name(Kpi(i)))] = number(m);
        }
        by_day[date] = d;
      }
      j["by_day"] = by_day;
      auto tally_json = [&](auto get) {
        kpi::Tally sum;
        for (const auto& r : runs) {
          const kpi::Tally& t = get(r);
          sum.arrivals += t.arrivals, sum.served += t.served, sum.abandoned += t.abandoned;
          sum.no_show += t.no_show, sum.balked += t.balked, sum.served_self += t.served_self;
          sum.pickups += t.pickups;
          sum.within_target += t.within_target, sum.wait_sum_s += t.wait_sum_s;
          sum.wait_max_s = std::max(sum.wait_max_s, t.wait_max_s);
          sum.service_sum_s += t.service_sum_s, sum.service_count += t.service_count;
        }
        const double per = n_runs * n_days;
        const double decided = static_cast<double>(sum.served + sum.abandoned);
        return json{
            {"arrivals", number(static_cast<double>(sum.arrivals) / per)},
            {"served", number(static_cast<double>(sum.served) / per)},
            {"abandoned", number(static_cast<double>(sum.abandoned) / per)},
            {"no_show", number(static_cast<double>(sum.no_show) / per)},
            {"balked", number(static_cast<double>(sum.balked) / per)},
            {"served_self", number(static_cast<double>(sum.served_self) / per)},
            {"pickups", number(static_cast<double>(sum.pickups) / per)},
            {"abandon_rate", number(decided > 0 ? static_cast<double>(sum.abandoned) / decided : 0.0)},
            {"within_target_rate",
             number(decided > 0 ? static_cast<double>(sum.within_target) / decided : 0.0)},
            {"wait_mean_s", number(sum.served ? sum.wait_sum_s / static_cast<double>(sum.served) : 0.0)},
            {"wait_max_s", number(sum.wait_max_s)},
            {"service_mean_s",
             number(sum.service_count ? sum.service_sum_s / static_cast<double>(sum.service_count) : 0.0)}};
      };
      json by_hour = json::object();
      for (std::size_t h = 0; h < 24; ++h) {
        std::uint64_t arrivals = 0;
        for (const auto& r : runs) arrivals += r.kpis.by_hour[h].arrivals;
        if (arrivals)
          by_hour[fmt::format("{:02}", h)] =
              tally_json([&](const ops::RunResult& r) -> const kpi::Tally& { return r.kpis.by_hour[h]; });
      }
      j["by_hour"] = by_hour;
      json by_matter = json::object();
      for (std::size_t m = 0; m < hall.matters.size(); ++m)
        by_matter[hall.matters[m].id] =
            tally_json([&](const ops::RunResult& r) -> const kpi::Tally& { return r.kpis.by_matter[m]; });
      j["by_matter"] = by_matter;
      json by_window = json::object();
      for (std::size_t w = 0; w < hall.windows.size(); ++w) {
        kpi::WindowTally sum;
        for (const auto& r : runs) {
          const auto& t = r.kpis.by_window[w];
          sum.served += t.served, sum.busy_s += t.busy_s, sum.rostered_s += t.rostered_s,
              sum.service_sum_s += t.service_sum_s;
        }
        const double per = n_runs * n_days;
        by_window[hall.windows[w].id] = {
            {"served", number(static_cast<double>(sum.served) / per)},
            {"busy_s", number(sum.busy_s / per)},
            {"rostered_s", number(sum.rostered_s / per)},
            {"utilization", sum.rostered_s > 0 ? number(sum.busy_s / sum.rostered_s) : json(nullptr)},
            {"service_mean_s",
             sum.served ? number(sum.service_sum_s / static_cast<double>(sum.served)) : json(nullptr)}};
      }
      j["by_window"] = by_window;
      j["by_class"] = {
          {"normal",
           tally_json([&](const ops::RunResult& r) -> const kpi::Tally& { return r.kpis.by_class[0]; })},
          {"priority",
           tally_json([&](const ops::RunResult& r) -> const kpi::Tally& { return r.kpis.by_class[1]; })}};
      // The journey beyond the queue, per simulated day averaged over replications.
      double appts = 0, appt_no = 0, late = 0, came = 0, cases = 0, done = 0, after = 0;
      for (const auto& r : runs) {
        appts += r.appointments, appt_no += r.appointment_no_shows, late += r.appointment_lateness_sum_s;
        came += static_cast<double>(r.appointments - r.appointment_no_shows);
        cases += r.backoffice_cases, done += r.backoffice_done, after += r.pickups_after_run;
      }
      const double per_day = n_runs * n_days;
      j["journey"] = {{"appointments", number(appts / per_day)},
                      {"appointment_no_show_rate", appts > 0 ? number(appt_no / appts) : json(nullptr)},
                      {"appointment_lateness_mean_s", came > 0 ? number(late / came) : json(nullptr)},
                      {"backoffice_cases", number(cases / per_day)},
                      {"backoffice_done", number(done / per_day)},
                      {"pickups_after_run", number(after / per_day)}};
      json tj = json::object();
      tj["wait_s"] = hall.operations.targets.wait_s;
      tj["checks"] = json::array();
      for (const auto& t : targets)
        tj["checks"].push_back({{"target", t.name},
                                {"kpi", t.kpi},
                                {"limit", t.limit},
                                {"value", number(t.value)},
                                {"met", t.met}});
      tj["met"] = all_met;
      j["targets"] = tj;
      json warnings = json::array();
      for (const auto& w : hall.operations.warnings) warnings.push_back(w);
      for (const auto& w : model.warnings) warnings.push_back(w);
      j["warnings"] = warnings;
      if (runs[0].snapshot) {
        const auto& s = *runs[0].snapshot;
        json persons = json::array();
        for (const auto& p : s.persons)
          persons.push_back({{"id", p.id},
                             {"kind", std::string(name(p.kind))},
                             {"state", std::string(ops::name(p.state))},
                             {"floor", hall.floors[p.floor.value].id},
                             {"x", number(p.position.x)},
                             {"y", number(p.position.y)},
                             {"matter", p.matter.empty() ? json(nullptr) : json(p.matter)},
                             {"window", p.window.empty() ? json(nullptr) : json(p.window)},
                             {"seat", p.seat.empty() ? json(nullptr) : json(p.seat)}});
        j["snapshot"] = {{"replication", 1},
                         {"date", date_of_day(plan.base.start_date, s.day)},
                         {"time_s", number(s.time_s)},
                         {"persons", persons}};
      }
      j["performance"] = {
          {"events", events},
          {"customers", customers},
          {"wall_s", number(wall_s, 6)},
          {"customers_per_s", number(wall_s > 0 ? static_cast<double>(customers) / wall_s : 0.0, 0)},
          {"threads", opt->threads}};
    }
    const std::string json_text = opt->json.empty() ? "" : j.dump(2) + "\n";
    if (!opt->json.empty()) write_file_atomically(opt->json, json_text, "--json");
    std::cout << out;
    return all_met ? 0 : 1;
  };
}

}  // namespace halltwin::cli
