// `halltwin size`: the fewest staff per time block that meet the service
// targets of an existing hall (sim/size/staffing.hpp, docs/size.md); a
// readable table per block, optionally JSON and the staffed scenario.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "sim/ops/simulation.hpp"
#include "sim/size/staffing.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/run_outputs.hpp"
#include "tools/halltwin/size_program.hpp"
#include "tools/halltwin/size_scenario.hpp"

namespace halltwin::cli {

namespace {

using kpi::Kpi;
using nlohmann::json;

std::string hhmm(double s) {
  const long m = std::lround(s / 60.0);
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

std::string size_value(Kpi k, double v) {
  if (!std::isfinite(v)) return "-";
  switch (k) {
    case Kpi::abandon_rate:
    case Kpi::within_target_rate:
      return fmt::format("{:.1f}%", 100.0 * v);
    case Kpi::wait_mean_s:
    case Kpi::wait_p50_s:
    case Kpi::wait_p90_s:
    case Kpi::wait_max_s:
      return fmt::format("{:.0f} s", v);
    default:
      return fmt::format("{:.1f}", v);
  }
}

}  // namespace

Command add_size_command(CLI::App& app) {
  struct Options {
    std::string scenario, json, out, start, program, draft, rulebook = HALLTWIN_DEFAULT_RULEBOOK;
    std::vector<std::string> targets;
    int by_block = 0, replications = 10, threads = 1, days = 1;
    std::uint64_t seed = 1;
    bool quick = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "size",
      "Staff an existing hall (the fewest staff per time block that meet the service targets), or size a new hall "
      "from a demand program (--program)");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML with services, demand, roster) to staff");
  cmd->add_option("--program", opt->program,
                  "Size a new hall from this demand program (docs/size.md): windows, staff, seats, zones, exits");
  cmd->add_option("--draft", opt->draft, "With --program: write the draft hall scenario to this file");
  cmd->add_option("--rulebook", opt->rulebook, "With --program: the rulebook the draft is sized and checked by")
      ->capture_default_str();
  cmd->add_option("--target", opt->targets,
                  "A target KPI<=VALUE or KPI>=VALUE, e.g. \"wait_p90_s<=600\" (repeatable; default: the "
                  "scenario's targets)");
  cmd->add_option("--by-block", opt->by_block,
                  "Staffing block, minutes (default: the demand profile's block_min)");
  cmd->add_option("--replications", opt->replications,
                  "Replications per simulated plan (95% confidence bounds)")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed (common random numbers across plans)")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads running replications (results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--days", opt->days, "Open days each plan is simulated for")
      ->check(CLI::Range(1, 366))
      ->capture_default_str();
  cmd->add_option("--start", opt->start, "First calendar day YYYY-MM-DD (default: hall.start_date)");
  cmd->add_flag("--quick", opt->quick,
                "Skip the passes that confirm one fewer in any block misses a target (relies on more staff "
                "never lengthening a queue)");
  cmd->add_option("--json", opt->json, "Write the plan and its KPIs as JSON to this file");
  cmd->add_option("--out", opt->out, "Write the scenario with the sized roster to this file");
  return [opt, cmd]() -> int {
    if (!opt->program.empty()) {
      // Sizing a new hall: the flags of staffing an existing hall do not apply.
      if (!opt->scenario.empty())
        throw InputError(InputProblem{opt->scenario, 0, 0, "--program",
                                      "give either a scenario to staff or --program DEMAND.yaml, not both"});
      for (const char* f : {"--target", "--by-block", "--days", "--start", "--out"})
        if (cmd->count(f) > 0)
          throw InputError(InputProblem{"", 0, 0, f,
                                        "does not apply to --program (targets, hours and days come from the program; "
                                        "--draft writes the scenario)"});
      SizeProgramOptions po;
      po.program = opt->program;
      po.rulebook = opt->rulebook;
      po.json = opt->json;
      po.draft = opt->draft;
      po.replications = opt->replications;
      po.threads = opt->threads;
      po.seed = opt->seed;
      po.quick = opt->quick;
      return run_size_program(po);
    }
    if (opt->scenario.empty())
      throw InputError(InputProblem{"", 0, 0, "scenario",
                                    "missing; expected a scenario file to staff, or --program DEMAND.yaml"});
    for (const char* f : {"--draft", "--rulebook"})
      if (cmd->count(f) > 0)
        throw InputError(InputProblem{"", 0, 0, f, "applies only with --program DEMAND.yaml"});
    const std::vector<std::string> inputs{opt->scenario};
    if (!opt->json.empty()) probe_writable(opt->json, "--json", inputs);
    if (!opt->out.empty()) {
      if (opt->out == opt->json) throw InputError(InputProblem{opt->out, 0, 0, "--out", "is also the --json output"});
      probe_writable(opt->out, "--out", inputs);
    }
    std::vector<size::StaffingTarget> targets;
    for (const auto& t : opt->targets) targets.push_back(size::parse_target(t));
    const Hall hall = load_scenario(opt->scenario);
    if (!hall.operations.present)
      throw InputError(InputProblem{opt->scenario, 0, 0, "roster",
                                    "the scenario has no operations sections (services, demand, roster) to size"});
    if (targets.empty()) targets = size::scenario_targets(hall.operations.targets);

    size::SizingOptions so;
    so.targets = targets;
    so.block_min = opt->by_block;
    so.replications = opt->replications;
    so.seed = opt->seed;
    so.threads = opt->threads;
    so.days = opt->days;
    so.start_date = first_day(hall, opt->start);
    so.verify = !opt->quick;
    {
      const ops::OpsModel model(hall);  // bad calendars fail before the search
      (void)ops::open_days(model, so.start_date, so.days);
    }
    if (::isatty(2))
      so.progress = [](int n) { std::cerr << fmt::format("\rsize: {} plans simulated", n) << std::flush; };
    const auto t0 = std::chrono::steady_clock::now();
    const size::SizingResult res = size::size_staffing(hall, so);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (so.progress) std::cerr << "\n";
    const auto& plan = res.plan;

    // ---------------------------------------------------------- text
    std::string out = fmt::format(
        "{} ({})\nscenario: {}\nblocks of {} min from {} to {}, {} replication(s) per plan, {} day(s) from {}, "
        "seed {}\n\n",
        hall.name, name(hall.level), opt->scenario, so.block_min > 0 ? so.block_min : hall.operations.demand.block_min,
        hhmm(hall.operations.roster.open_s), hhmm(hall.operations.roster.close_s), so.replications, so.days,
        so.start_date, so.seed);
    std::string head = fmt::format("{:<13}  {:>7}  {:>6}  {:>6}", "BLOCK", "LOAD", "START", "STAFF");
    for (const auto& p : plan.pools) head += fmt::format("  {:>6}", p.id.substr(0, 6));
    out += head + "\n";
    for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
      std::string line =
          fmt::format("{}-{}    {:>7.2f}  {:>6}  {:>6}", hhmm(plan.blocks[b].start_s), hhmm(plan.blocks[b].end_s),
                      res.offered_load[b], res.analytic.total_in_block(b), plan.total_in_block(b));
      for (std::size_t p = 0; p < plan.pools.size(); ++p) line += fmt::format("  {:>6}", plan.staff[p][b]);
      out += line + "\n";
    }
    out += fmt::format("{:<13}  {:>7}  {:>6}  {:>6}\n", "windows", "", "", [&] {
      std::size_t n = 0;
      for (const auto& p : plan.pools) n += p.windows.size();
      return n;
    }());
    out += fmt::format("\nstaff-hours a day: {:.1f} (analytic start {:.1f})\n", plan.staff_hours(),
                       res.analytic.staff_hours());
    out += res.unreachable ? "\ntargets UNREACHABLE: missed with every window staffed; best achievable:\n"
                           : "\ntargets (95% confidence bound on the unfavourable side):\n";
    for (const auto& t : res.evaluation.targets) {
      const auto& e = t.estimate;
      out += fmt::format("  {:<6} {:<28} mean {:>8}  95% CI {} .. {}", t.met ? "met" : "MISSED", t.target.text(),
                         size_value(t.target.kpi, e.mean), size_value(t.target.kpi, e.ci95_low.value_or(e.mean)),
                         size_value(t.target.kpi, e.ci95_high.value_or(e.mean)));
      if (t.target.per_block)
        out += t.worst_block ? fmt::format("  (worst block {}-{}; {} of {} block(s) missed)",
                                           hhmm(plan.blocks[*t.worst_block].start_s),
                                           hhmm(plan.blocks[*t.worst_block].end_s), t.missed_blocks.size(),
                                           plan.blocks.size())
                             : std::string("  (no block had citizens)");
      out += "\n";
    }
    if (res.met)
      out += res.locally_minimal
                 ? "one staff fewer in any block (where the rules allow one fewer) misses a target\n"
                 : fmt::format("not confirmed that one fewer in every block misses a target ({} pass(es){})\n",
                               res.passes, opt->quick ? ", --quick" : "");
    for (const auto& n : res.notes) out += "note: " + n + "\n";
    out += fmt::format("\n{} plans simulated in {:.2f} s ({} thread(s))\n", res.evaluations, wall_s, so.threads);

    // ---------------------------------------------------------- outputs
    if (!opt->json.empty()) {
      json j;
      j["scenario"] = {{"name", hall.name}, {"file", hall.source_file}, {"level", std::string(name(hall.level))}};
      j["block_min"] = so.block_min > 0 ? so.block_min : hall.operations.demand.block_min;
      j["replications"] = so.replications;
      j["seed"] = so.seed;
      j["days"] = so.days;
      j["start_date"] = so.start_date;
      j["met"] = res.met;
      j["unreachable"] = res.unreachable;
      j["locally_minimal"] = res.locally_minimal;
      // A per-block target's blocks, as {start, end}; null for a whole-day target.
      auto block_json = [&](std::optional<std::size_t> b) -> json {
        if (!b) return nullptr;
        return {{"start", hhmm(plan.blocks[*b].start_s)}, {"end", hhmm(plan.blocks[*b].end_s)}};
      };
      json tj = json::array();
      for (const auto& t : res.evaluation.targets)
        tj.push_back({{"target", t.target.text()},
                      {"kpi", std::string(kpi::name(t.target.kpi))},
                      {"op", t.target.at_most ? "<=" : ">="},
                      {"limit", t.target.limit},
                      {"mean", number(t.estimate.mean, 6)},
                      {"ci95_low", t.estimate.ci95_low ? number(*t.estimate.ci95_low, 6) : json(nullptr)},
                      {"ci95_high", t.estimate.ci95_high ? number(*t.estimate.ci95_high, 6) : json(nullptr)},
                      {"bound", number(t.bound, 6)},
                      {"met", t.met},
                      {"per_block", t.target.per_block},
                      {"worst_block", block_json(t.worst_block)},
                      {"missed_blocks", [&] {
                         json m = json::array();
                         for (std::size_t b : t.missed_blocks) m.push_back(block_json(b));
                         return m;
                       }()}});
      j["targets"] = tj;
      json pools = json::array();
      for (const auto& p : plan.pools) {
        json w = json::array();
        for (auto i : p.windows) w.push_back(hall.windows[i].id);
        pools.push_back({{"id", p.id}, {"windows", w}, {"pickup", p.pickup}});
      }
      j["pools"] = pools;
      json blocks = json::array();
      for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
        json by_pool = json::object(), start_by_pool = json::object();
        for (std::size_t p = 0; p < plan.pools.size(); ++p) {
          by_pool[plan.pools[p].id] = plan.staff[p][b];
          start_by_pool[plan.pools[p].id] = res.analytic.staff[p][b];
        }
        blocks.push_back({{"start", hhmm(plan.blocks[b].start_s)},
                          {"end", hhmm(plan.blocks[b].end_s)},
                          {"offered_load", number(res.offered_load[b])},
                          {"analytic_staff", res.analytic.total_in_block(b)},
                          {"staff", plan.total_in_block(b)},
                          {"analytic_by_pool", start_by_pool},
                          {"by_pool", by_pool}});
      }
      j["blocks"] = blocks;
      j["staff_hours"] = number(plan.staff_hours());
      j["analytic_staff_hours"] = number(res.analytic.staff_hours());
      j["evaluations"] = res.evaluations;
      j["passes"] = res.passes;
      j["notes"] = res.notes;
      j["performance"] = {{"wall_s", number(wall_s, 6)}, {"threads", so.threads}};
      write_file_atomically(opt->json, j.dump(2) + "\n", "--json");
    }
    if (!opt->out.empty()) {
      std::string cmdline = "halltwin size " + opt->scenario;
      for (const auto& t : targets) cmdline += " --target \"" + t.text() + "\"";
      write_file_atomically(opt->out, size_scenario_text(hall, size::staffed_hall(hall, plan), res, cmdline), "--out");
    }
    std::cout << out;
    return res.met ? 0 : 1;
  };
}

}  // namespace halltwin::cli
