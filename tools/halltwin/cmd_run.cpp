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
#include "tools/halltwin/platform_runs.hpp"
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

// ------------------------------------------------------------ the IT platform
// Means over the replications; counts per simulated day.
struct PlatformSummary {
  double transactions_per_day = 0, services_per_day = 0, delayed_per_day = 0, delay_mean_s = 0;
  double mean_s = 0, p90_s = 0, max_s = 0, retries_per_day = 0;
  std::vector<double> down_h, failures;  // by element, per run (not per day)
};

PlatformSummary summarize(const std::vector<platform::PlatformKpis>& runs, double n_days) {
  PlatformSummary s;
  const double n = static_cast<double>(runs.size());
  double delayed = 0, delay = 0;
  s.down_h.assign(runs[0].elements.size(), 0.0);
  s.failures.assign(runs[0].elements.size(), 0.0);
  for (const auto& r : runs) {
    s.transactions_per_day += static_cast<double>(r.transactions) / (n * n_days);
    s.services_per_day += static_cast<double>(r.services) / (n * n_days);
    s.retries_per_day += static_cast<double>(r.retries) / (n * n_days);
    delayed += static_cast<double>(r.services_delayed), delay += r.delay_sum_s;
    s.mean_s += r.transaction_mean_s / n, s.p90_s += r.transaction_p90_s / n;
    s.max_s = std::max(s.max_s, r.transaction_max_s);
    for (std::size_t e = 0; e < r.elements.size(); ++e) {
      s.down_h[e] += r.elements[e].down_s / 3600.0 / n;
      s.failures[e] += r.elements[e].failures / n;
    }
  }
  s.delayed_per_day = delayed / (n * n_days);
  s.delay_mean_s = delayed > 0 ? delay / delayed : 0.0;
  return s;
}

std::string platform_text(const Platform& p, const std::vector<platform::PlatformKpis>& runs, double n_days) {
  const PlatformSummary s = summarize(runs, n_days);
  std::string out = fmt::format(
      "\nIT platform (SimGrid): {:.0f} transactions/day, mean {:.3f} s, p90 {:.3f} s, max {:.3f} s\n"
      "  services waiting for the platform: {:.1f}/day of {:.1f}, {:.1f} s longer on average\n",
      s.transactions_per_day, s.mean_s, s.p90_s, s.max_s, s.delayed_per_day, s.services_per_day, s.delay_mean_s);
  for (std::size_t e = 0; e < p.elements.size(); ++e)
    if (s.down_h[e] > 0)
      out += fmt::format("  {} ({}) down {:.2f} h in the run ({:.1f} random failures)\n", p.elements[e].id,
                         platform_kind_name(p.elements[e].kind), s.down_h[e], s.failures[e]);
  return out;
}

json platform_json(const Platform& p, const std::vector<platform::PlatformKpis>& runs, double n_days) {
  const PlatformSummary s = summarize(runs, n_days);
  json el = json::array();
  for (std::size_t e = 0; e < p.elements.size(); ++e)
    el.push_back({{"id", p.elements[e].id},
                  {"kind", std::string(platform_kind_name(p.elements[e].kind))},
                  {"down_h", number(s.down_h[e])},
                  {"random_failures", number(s.failures[e])}});
  return {{"transactions_per_day", number(s.transactions_per_day)},
          {"transaction_mean_s", number(s.mean_s, 6)},
          {"transaction_p90_s", number(s.p90_s, 6)},
          {"transaction_max_s", number(s.max_s, 6)},
          {"services_per_day", number(s.services_per_day)},
          {"services_delayed_per_day", number(s.delayed_per_day)},
          {"delay_mean_s", number(s.delay_mean_s)},
          {"retries_per_day", number(s.retries_per_day)},
          {"elements", el}};
}

}  // namespace

Command add_run_command(CLI::App& app) {
  struct Options {
    std::string scenario, json, trace, start, at;
    int days = 1, replications = 1, threads = 1;
    int replication_child = 0;  // > 0: this process runs that one replication (platform_runs.hpp)
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
  // Hidden (no group): halltwin starting itself for one replication of a
  // scenario with an IT platform (tools/halltwin/platform_runs.hpp).
  cmd->add_option("--replication-child", opt->replication_child)->group("")->check(CLI::Range(1, 100000));
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
    std::vector<platform::PlatformKpis> platform_runs;
    const auto t0 = std::chrono::steady_clock::now();
    if (hall.platform.present) {
      // The IT platform on SimGrid: one process per replication (docs/platform.md).
      if (opt->replication_child > 0) {
        const int r = opt->replication_child;
        PlatformRun pr;
        platform::CosimSetup setup;
        setup.seed = opt->seed;
        setup.replication = r;
        setup.horizon_days = ops::open_days(model, plan.base.start_date, opt->days).back() + 1;
        TraceWriter* tw = plan.trace_for ? plan.trace_for(r) : nullptr;
        pr.platform = platform::run_cosimulation(hall.platform, setup, [&](ops::PlatformLink& link) {
          ops::RunOptions o = plan.base;
          o.replication = r;
          o.platform = &link;
          o.stop_at_s = at_s;  // the --at snapshot's own child (below)
          pr.result = ops::simulate(model, o, tw);
        });
        if (plan.after_run) plan.after_run(r);
        write_platform_run(STDOUT_FILENO, pr);
        return 0;
      }
      std::vector<std::string> args = {"halltwin",  "run",  opt->scenario,
                                        "--seed",    std::to_string(opt->seed),
                                        "--days",    std::to_string(opt->days),
                                        "--start",   plan.base.start_date,
                                        "--replications", std::to_string(opt->replications)};
      auto full = args;
      if (!opt->trace.empty()) full.insert(full.end(), {"--trace", opt->trace});
      for (auto& pr : run_platform_children(full, opt->replications, opt->threads)) {
        runs.push_back(std::move(pr.result));
        platform_runs.push_back(std::move(pr.platform));
        if (plan.progress) plan.progress(static_cast<int>(runs.size()), opt->replications);
      }
      if (at_s) {
        // Replication 1 again, stopped at the snapshot time, in a child of its own.
        args.insert(args.end(), {"--at", opt->at});
        runs[0].snapshot = std::move(run_platform_children(args, 1, 1)[0].result.snapshot);
      }
    } else {
      runs = ops::run_replications(model, plan);
    }
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (at_s && !hall.platform.present) {
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
    if (!platform_runs.empty()) out += platform_text(hall.platform, platform_runs, n_days);
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
      if (!platform_runs.empty()) j["platform"] = platform_json(hall.platform, platform_runs, n_days);
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
