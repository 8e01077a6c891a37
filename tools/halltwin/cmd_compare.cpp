// `halltwin compare`: scenarios run with common random numbers, their KPIs
// side by side with 95% intervals, the paired difference of each against the
// first, the compliance diff, the evacuations side by side, a scorecard per
// scenario and a verdict per pair (docs/compare.md).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "sim/compare/comparison.hpp"
#include "sim/compare/kpi_direction.hpp"
#include "sim/parallel_runs.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/evaluation_flags.hpp"
#include "tools/halltwin/compare_output.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/report_html.hpp"
#include "tools/halltwin/run_outputs.hpp"
#include "tools/halltwin/scenario_evaluation.hpp"

namespace halltwin::cli {

Command add_compare_command(CLI::App& app) {
  struct Options : EvaluationFlags {
    std::vector<std::string> scenarios;
    std::string json, report;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "compare", "Compare halls and variants with common random numbers: KPIs, paired differences, compliance, "
                 "evacuation, scorecards");
  cmd->add_option("scenarios", opt->scenarios, "Scenario files; the first is the baseline")
      ->required()
      ->expected(2, 64);
  add_evaluation_flags(cmd, *opt);
  cmd->add_option("--json", opt->json, "Write the comparison as JSON to this file");
  cmd->add_option("--report", opt->report, "Write the comparison as a self-contained HTML page");
  return [opt]() -> int {
    std::vector<std::string> inputs = opt->scenarios;
    inputs.push_back(opt->rulebook);
    if (!opt->json.empty() && opt->json == opt->report)
      throw InputError(InputProblem{opt->report, 0, 0, "--report", "is also the --json output"});
    if (!opt->json.empty()) probe_writable(opt->json, "--json", inputs);
    if (!opt->report.empty()) probe_writable(opt->report, "--report", inputs);

    // Every scenario must load before anything runs: a comparison missing a
    // scenario would answer another question. The loader's message names the file.
    std::vector<Hall> halls;
    for (const auto& path : opt->scenarios) halls.push_back(load_scenario(path));
    const Rulebook book = load_rulebook(opt->rulebook);

    EvaluationOptions eo = evaluation_options(*opt, halls.front());
    eo.keep_runs = !opt->report.empty();
    eo.hourly_occupancy = !opt->report.empty();

    // Scenarios side by side on the threads (each replication still uses the
    // streams of its number, so results do not depend on the split): the
    // compliance checks and evacuations, which do not replicate, then run in
    // parallel too.
    const int n = static_cast<int>(halls.size());
    const int outer = std::min(opt->threads, n);
    eo.threads = std::max(1, opt->threads / outer);
    const bool tty = ::isatty(2);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<Evaluation> evals(halls.size());
    run_indexed(
        n, outer,
        [&](int i) { evals[static_cast<std::size_t>(i)] = evaluate_scenario(halls[static_cast<std::size_t>(i)], book, eo); },
        [tty](int done, int total) {
          if (tty) std::cerr << fmt::format("\rcompare: {}/{} scenarios", done, total) << (done == total ? "\n" : "") << std::flush;
        });
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::vector<compare::ScenarioOutcome> outcomes;
    for (const auto& e : evals) outcomes.push_back(e.outcome);
    const auto labels = scenario_labels(opt->scenarios);
    const compare::Comparison c = compare::compare_outcomes(outcomes, labels);

    CompareRun run;
    run.replications = opt->replications;
    run.days = opt->days;
    run.seed = opt->seed;
    run.start_date = eo.start_date;
    run.rulebook = book.name;
    run.wall_s = wall_s;

    std::string text = compare_text(outcomes, labels, c, run);
    if (!opt->json.empty())
      write_file_atomically(opt->json, compare_json(outcomes, c, run).dump(2) + "\n", "--json");
    if (!opt->report.empty()) {
      std::vector<std::string> plans(halls.size()), notes(halls.size(), "left out (--no-screenshot)");
      if (!opt->no_screenshot)
        for (std::size_t i = 0; i < halls.size(); ++i)
          plans[i] = plan_screenshot_png(opt->scenarios[i], opt->rulebook, notes[i]);
      write_file_atomically(opt->report, compare_report_html(halls, evals, labels, c, run, plans, notes), "--report");
    }
    std::cout << text;

    bool all_passed = true;
    for (const auto& s : c.scorecards) all_passed = all_passed && s.passed;
    return all_passed ? 0 : 1;
  };
}

}  // namespace halltwin::cli
