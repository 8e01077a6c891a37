// `halltwin report`: one self-contained HTML page about a hall (its plan with
// the findings, the check table, the KPIs with plots by hour, the
// evacuation), for a hall manager to mail (docs/compare.md).
#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "sim/check/checker.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/report_html.hpp"
#include "tools/halltwin/scenario_evaluation.hpp"

namespace halltwin::cli {

Command add_report_command(CLI::App& app) {
  struct Options {
    std::string scenario, out, start, rulebook = HALLTWIN_DEFAULT_RULEBOOK;
    int days = 1, replications = 20, threads = 1;
    std::uint64_t seed = 1;
    bool no_evac = false, no_screenshot = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "report", "Write one self-contained HTML page about a hall: plan, check, KPIs by hour, evacuation");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--out", opt->out, "The HTML page to write")->required();
  cmd->add_option("--replications", opt->replications, "Replications of the operations run")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--days", opt->days, "Open days per replication")->check(CLI::Range(1, 3660))->capture_default_str();
  cmd->add_option("--start", opt->start, "First calendar day YYYY-MM-DD (default: the scenario's start_date)");
  cmd->add_option("--seed", opt->seed, "Random seed")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads running replications (results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--rulebook", opt->rulebook, "Rulebook for the check")->capture_default_str();
  cmd->add_flag("--no-evac", opt->no_evac, "Skip the evacuation run");
  cmd->add_flag("--no-screenshot", opt->no_screenshot, "Leave out the plan screenshot (the page says so)");
  return [opt]() -> int {
    probe_writable(opt->out, "--out", {opt->scenario, opt->rulebook});
    const Hall hall = load_scenario(opt->scenario);
    const Rulebook book = load_rulebook(opt->rulebook);
    EvaluationOptions eo;
    eo.replications = opt->replications;
    eo.days = opt->days;
    eo.threads = opt->threads;
    eo.seed = opt->seed;
    eo.start_date = first_day(hall, opt->start);
    if (!is_valid_date(eo.start_date))
      throw InputError(
          InputProblem{"", 0, 0, "--start", fmt::format("'{}' is not a date; expected YYYY-MM-DD", eo.start_date)});
    eo.evacuation = !opt->no_evac;
    eo.keep_runs = true;
    eo.hourly_occupancy = true;
    const auto t0 = std::chrono::steady_clock::now();
    const Evaluation ev = evaluate_scenario(hall, book, eo);
    std::string note = "The plan screenshot was left out (--no-screenshot).";
    const std::string png = opt->no_screenshot ? "" : plan_screenshot_png(opt->scenario, opt->rulebook, note);
    CompareRun run;
    run.replications = opt->replications;
    run.days = opt->days;
    run.seed = opt->seed;
    run.start_date = eo.start_date;
    run.rulebook = book.name;
    const std::string html = scenario_report_html(hall, ev, run, png, note);
    write_file_atomically(opt->out, html, "--out");
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const auto card = compare::make_scorecard(ev.outcome);
    std::string out = fmt::format("{} ({})\nscenario: {}\nwrote {} ({} KiB) in {:.1f} s\n", hall.name,
                                  ev.outcome.level, opt->scenario, opt->out, html.size() / 1024, wall_s);
    if (!ev.outcome.run_error.empty()) out += "RUN FAILED: " + ev.outcome.run_error + "\n";
    if (!ev.outcome.check_error.empty()) out += "CHECK FAILED: " + ev.outcome.check_error + "\n";
    if (!ev.outcome.evacuation_error.empty()) out += "EVACUATION FAILED: " + ev.outcome.evacuation_error + "\n";
    if (png.empty()) out += "note: " + note + "\n";
    out += fmt::format("scorecard: {}\n", card.passed ? "passed" : "NOT passed");
    std::cout << out;
    return card.passed ? 0 : 1;
  };
}

}  // namespace halltwin::cli
