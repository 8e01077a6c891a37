// `halltwin sweep`: many halls times a parameter grid times replications, run
// as tasks on this machine or over the ranks of an MPI job (docs/sweep.md);
// and the hidden `halltwin sweep-task` that runs one task in a child process.
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "model/sweep_spec.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/size/staffing.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/sweep/child_process.hpp"
#include "tools/sweep/sweep_driver.hpp"
#include "tools/sweep/sweep_plan.hpp"
#include "tools/sweep/sweep_results.hpp"
#include "tools/sweep/task_work.hpp"

namespace halltwin::cli {

namespace {

namespace fs = std::filesystem;
using sweep::SweepPlan;

// FNV-1a over the sweep file and every hall's file: a checkpoint resumes only
// the sweep it was written for.
std::string fingerprint(const SweepSpec& spec, const SweepPlan& plan) {
  std::uint64_t h = 1469598103934665603ull;
  auto add = [&](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;
    h *= 1099511628211ull;
  };
  auto add_file = [&](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    add(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()));
  };
  // The expansion's version: since each hall's check and evac became a task
  // of their own, task numbers differ from earlier sweeps' checkpoints.
  add("tasks: a hall task per hall");
  add_file(spec.file);
  for (const auto& hall : plan.halls) hall.text.empty() ? add_file(hall.file) : add(hall.text);
  add(std::to_string(plan.tasks.size()));
  return fmt::format("{:016x}", h);
}

// The run KPIs kept: the sweep file's list (checked against the KPI table), else all.
std::vector<std::string> kept_kpis(SweepSpec& spec) {
  std::vector<std::string> out;
  std::vector<InputProblem> problems;
  for (const auto& k : spec.kpis) {
    if (kpi::parse_kpi(k))
      out.push_back(k);
    else
      problems.push_back({spec.file, spec.kpis_loc.line, spec.kpis_loc.column, "kpis",
                          fmt::format("'{}' is not a KPI of `halltwin run` (docs/run.md)", k)});
  }
  if (spec.kpis.empty())
    for (std::size_t j = 0; j < kpi::kKpiCount; ++j) out.emplace_back(kpi::name(static_cast<kpi::Kpi>(j)));
  // size.targets: as `halltwin size --target` reads them, with the sweep file's line.
  for (std::size_t i = 0; i < spec.size.targets.size(); ++i) {
    try {
      (void)size::parse_target(spec.size.targets[i]);
    } catch (const InputError& e) {
      const SourceLoc at = spec.size.target_locs[i];
      problems.push_back({spec.file, at.line, at.column, fmt::format("size.targets[{}]", i), e.problems().front().message});
    }
  }
  // Without rank_by: the first kept KPI, else what the other commands measure.
  if (spec.rank_by_loc.line == 0 && !out.empty())
    spec.rank_by = spec.has(SweepCommand::run)            ? out.front()
                   : spec.has(SweepCommand::size)         ? "size_staff_hours"
                   : spec.has(SweepCommand::evac)         ? "evac_time_s"
                   : spec.has(SweepCommand::drill)        ? "drill_promises_broken"
                   : spec.has(SweepCommand::size_program) ? "program_staff_hours"
                                                          : "";
  // Measures other than run KPIs a point can be ranked by, and the command each needs.
  const std::vector<std::pair<std::string, SweepCommand>> others{
      {"evac_time_s", SweepCommand::evac},
      {"size_staff_hours", SweepCommand::size},
      {"drill_promises_broken", SweepCommand::drill},
      {"program_staff_hours", SweepCommand::size_program},
      {"program_windows", SweepCommand::size_program},
      {"program_building_area_m2", SweepCommand::size_program}};
  const auto other = std::find_if(others.begin(), others.end(), [&](const auto& o) { return o.first == spec.rank_by; });
  if (other != others.end() && !spec.has(other->second))
    problems.push_back({spec.file, spec.rank_by_loc.line, spec.rank_by_loc.column, "rank_by.kpi",
                        fmt::format("{} needs `{}` among the commands", spec.rank_by, name(other->second))});
  if (other == others.end() && spec.has(SweepCommand::run) && std::find(out.begin(), out.end(), spec.rank_by) == out.end())
    problems.push_back({spec.file, spec.rank_by_loc.line, spec.rank_by_loc.column, "rank_by.kpi",
                        fmt::format("'{}' is not a kept KPI; expected one of the kpis list, evac_time_s, "
                                    "size_staff_hours, drill_promises_broken, program_staff_hours, program_windows "
                                    "or program_building_area_m2",
                                    spec.rank_by)});
  if (other == others.end() && !spec.has(SweepCommand::run) && spec.rank_by_loc.line != 0)
    problems.push_back({spec.file, spec.rank_by_loc.line, spec.rank_by_loc.column, "rank_by.kpi",
                        fmt::format("ranking by '{}' needs `run` among the commands", spec.rank_by)});
  if (!problems.empty()) throw InputError(std::move(problems));
  return out;
}

std::string duration(double s) {
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 5400) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

}  // namespace

Command add_sweep_command(CLI::App& app) {
  struct Options {
    std::string file, out, rulebook = HALLTWIN_DEFAULT_RULEBOOK;
    bool resume = false, quiet = false;
    int jobs = 1, threads = 1;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Evaluate many halls over a parameter grid with replications, alone or under mpirun");
  cmd->add_option("sweep", opt->file, "Sweep file (YAML, docs/sweep.md)")->required();
  cmd->add_option("--out", opt->out, "Folder for results.csv, summary.json, ranking.md and the checkpoint")->required();
  cmd->add_flag("--resume", opt->resume, "Continue a killed sweep from its checkpoint in --out");
  cmd->add_option("--jobs", opt->jobs, "Tasks run at once on each rank (child processes)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads per task (results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--rulebook", opt->rulebook, "Rulebook for `check` and `evac`")->capture_default_str();
  cmd->add_flag("--quiet", opt->quiet, "No progress lines");

  return [opt]() -> int {
    sweep::MpiJob job(nullptr, nullptr);
    const auto t0 = std::chrono::steady_clock::now();
    // Every rank reads and expands the sweep the same way (same errors, same tasks).
    SweepSpec spec = load_sweep(opt->file);
    const std::vector<std::string> kpis = kept_kpis(spec);
    if (!fs::exists(opt->rulebook))
      throw InputError(InputProblem{opt->rulebook, 0, 0, "--rulebook", "no such file"});
    const SweepPlan plan = sweep::expand(spec, opt->out);

    // Rank 0 alone owns the output folder: checkpoint and generated files.
    std::unique_ptr<sweep::Checkpoint> checkpoint;
    std::exception_ptr failure;
    if (job.rank() == 0) {
      try {
        std::error_code ec;
        if (fs::exists(opt->out, ec) && !fs::is_directory(opt->out, ec))
          throw InputError(InputProblem{opt->out, 0, 0, "--out", "exists and is not a folder"});
        fs::create_directories(opt->out, ec);
        if (ec) throw InputError(InputProblem{opt->out, 0, 0, "--out", "cannot create the folder: " + ec.message()});
        checkpoint = std::make_unique<sweep::Checkpoint>(opt->out, fingerprint(spec, plan), plan.tasks.size(),
                                                         opt->resume);
        sweep::write_plan_files(spec, plan);
      } catch (...) {
        failure = std::current_exception();
      }
    }
    if (job.broadcast(failure ? 1 : 0) != 0) {
      if (failure) std::rethrow_exception(failure);
      return 2;  // a worker: rank 0 says why
    }

    // Tasks still to run; a point whose parameters cannot apply fails at once.
    std::vector<std::size_t> pending;
    std::size_t resumed = 0;
    if (job.rank() == 0) {
      resumed = checkpoint->done_count();
      for (std::size_t t = 0; t < plan.tasks.size(); ++t) {
        if (checkpoint->done(t)) continue;
        const sweep::SweepPoint& pt = plan.points[plan.tasks[t].point];
        if (!pt.error.empty() && plan.tasks[t].uses_point())
          checkpoint->add({t, false, pt.error, {}});
        else
          pending.push_back(t);
      }
      if (!opt->quiet)
        std::cerr << fmt::format("sweep: {} halls, {} points, {} tasks on {} rank(s) x {} job(s){}\n",
                                 plan.halls.size(), plan.points.size(), plan.tasks.size(), job.size(), opt->jobs,
                                 resumed ? fmt::format("; {} done before, resumed", resumed) : "");
    }

    const std::string self = sweep::self_executable();
    sweep::DriverOptions d;
    d.jobs = opt->jobs;
    d.argv_for = [&](std::size_t t) {
      const sweep::SweepTask& task = plan.tasks[t];
      const sweep::SweepPoint& pt = plan.points[task.point];
      // The hall's task reads the hall's own file for check and evac (the
      // points' files differ only in operations); the others their point's.
      const std::string& scenario = task.uses_point() ? pt.file : plan.halls[pt.hall].file;
      std::vector<std::string> a{self, "sweep-task", scenario, "--rulebook", opt->rulebook,
                                 "--seed", std::to_string(spec.seed), "--days", std::to_string(spec.days),
                                 "--threads", std::to_string(opt->threads)};
      if (!spec.start.empty()) a.insert(a.end(), {"--start", spec.start});
      if (task.replications > 0)
        a.insert(a.end(), {"--run", "--first", std::to_string(task.first_replication), "--count",
                           std::to_string(task.replications)});
      if (task.hall_measures) a.insert(a.end(), {"--hall-file", plan.halls[pt.hall].file});
      if (task.hall_measures && spec.has(SweepCommand::check)) a.push_back("--check");
      if (task.hall_measures && spec.has(SweepCommand::evac))
        a.insert(a.end(), {"--evac", "--evac-replications", std::to_string(spec.evac_replications)});
      if (!task.drill.empty())
        a.insert(a.end(), {"--drill", task.drill, "--drill-replications", std::to_string(spec.drill_reps())});
      if (task.size_program) {
        a.insert(a.end(), {"--size-program", "--size-replications", std::to_string(spec.size.replications)});
        if (spec.size.quick) a.push_back("--size-quick");
      }
      if (task.size) {
        a.insert(a.end(), {"--size", "--size-replications", std::to_string(spec.size.replications)});
        for (const auto& target : spec.size.targets) a.insert(a.end(), {"--size-target", target});
        if (spec.size.by_block > 0) a.insert(a.end(), {"--size-by-block", std::to_string(spec.size.by_block)});
        if (spec.size.quick) a.push_back("--size-quick");
      }
      return a;
    };
    std::size_t failed_now = 0;
    d.on_record = [&](sweep::TaskRecord r) {
      failed_now += !r.ok;
      checkpoint->add(r);
    };
    const bool tty = ::isatty(2);
    auto last = std::chrono::steady_clock::now();
    const auto started = last;
    d.progress = [&](std::size_t done, std::size_t total) {
      if (opt->quiet) return;
      const auto now = std::chrono::steady_clock::now();
      if (done != total && now - last < std::chrono::seconds(tty ? 1 : 10)) return;
      last = now;
      const double s = std::chrono::duration<double>(now - started).count();
      const double rate = s > 0 ? static_cast<double>(done) / s : 0.0;
      std::cerr << fmt::format("sweep: {}/{} tasks ({:.0f}%), {:.2f} tasks/s, about {} left{}", done, total,
                               100.0 * static_cast<double>(done) / static_cast<double>(std::max<std::size_t>(total, 1)),
                               rate, duration(rate > 0 ? static_cast<double>(total - done) / rate : 0.0),
                               failed_now ? fmt::format(", {} failed", failed_now) : "")
                << (tty && done != total ? "\r" : "\n") << std::flush;
    };
    sweep::run_tasks(job, pending, d);
    if (job.rank() != 0) return 0;

    const std::size_t failed = sweep::write_results(spec, plan, *checkpoint, opt->out, kpis);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    // Rank 0's own peak (the tasks run in children): what gathering the results costs.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    if (!opt->quiet)
      std::cout << fmt::format(
          "{}\n{} halls, {} points, {} tasks ({} run now, {} from the checkpoint), {} failed; {:.1f} s on {} "
          "rank(s), {:.2f} tasks/s; rank 0 peak memory {:.0f} MB\nresults: {}/results.csv, {}/summary.json, "
          "{}/ranking.md\n",
          spec.name, plan.halls.size(), plan.points.size(), plan.tasks.size(), pending.size(), resumed, failed, wall,
          job.size(), wall > 0 ? static_cast<double>(pending.size()) / wall : 0.0,
          static_cast<double>(usage.ru_maxrss) / 1024.0, opt->out, opt->out, opt->out);
    return failed ? 1 : 0;
  };
}

Command add_sweep_task_command(CLI::App& app) {
  auto q = std::make_shared<sweep::TaskRequest>();
  CLI::App* cmd = app.add_subcommand("sweep-task", "One task of a sweep (started by `halltwin sweep`)");
  cmd->group("");  // internal: not listed in --help
  cmd->add_option("scenario", q->scenario)->required();
  cmd->add_option("--rulebook", q->rulebook)->required();
  cmd->add_option("--seed", q->seed);
  cmd->add_option("--days", q->days)->check(CLI::Range(1, 366));
  cmd->add_option("--start", q->start);
  cmd->add_option("--threads", q->threads)->check(CLI::Range(1, 256));
  cmd->add_flag("--run", q->run);
  cmd->add_option("--first", q->first_replication)->check(CLI::Range(1, 100000));
  cmd->add_option("--count", q->replications)->check(CLI::Range(1, 100000));
  cmd->add_option("--hall-file", q->hall_file);
  cmd->add_flag("--check", q->check);
  cmd->add_flag("--evac", q->evac);
  cmd->add_option("--evac-replications", q->evac_replications)->check(CLI::Range(1, 1000));
  cmd->add_option("--drill", q->drill);
  cmd->add_option("--drill-replications", q->drill_replications)->check(CLI::Range(1, 10000));
  cmd->add_flag("--size", q->size);
  cmd->add_option("--size-target", q->size_targets);
  cmd->add_option("--size-replications", q->size_replications)->check(CLI::Range(2, 1000));
  cmd->add_option("--size-by-block", q->size_by_block)->check(CLI::Range(5, 240));
  cmd->add_flag("--size-quick", q->size_quick);
  cmd->add_flag("--size-program", q->size_program);
  return [q]() -> int {
    std::cout << sweep::run_task(*q).dump() << "\n";
    return 0;
  };
}

}  // namespace halltwin::cli
