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
#include "tools/halltwin/evaluation_flags.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/report_html.hpp"
#include "tools/halltwin/scenario_evaluation.hpp"

namespace halltwin::cli {

Command add_report_command(CLI::App& app) {
  struct Options : EvaluationFlags {
    std::string scenario, out;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "report", "Write one self-contained HTML page about a hall: plan, check, KPIs by hour, evacuation");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--out", opt->out, "The HTML page to write")->required();
  add_evaluation_flags(cmd, *opt);
  return [opt]() -> int {
    probe_writable(opt->out, "--out", {opt->scenario, opt->rulebook});
    const Hall hall = load_scenario(opt->scenario);
    const Rulebook book = load_rulebook(opt->rulebook);
    EvaluationOptions eo = evaluation_options(*opt, hall);
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
