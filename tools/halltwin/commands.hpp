#pragma once
// The subcommands of `halltwin`. Each registers its flags on the CLI11 app and
// returns the process exit code when run.
#include <CLI/CLI.hpp>
#include <functional>

namespace halltwin::cli {

using Command = std::function<int()>;

// halltwin check FILE.yaml [--rulebook R.yaml] [--json OUT] [--cell M]
Command add_check_command(CLI::App& app);

// halltwin view FILE.yaml [--screenshot OUT.png] [--size WxH] [--camera top|entrance] [--floor ID]
//               [--overlay NAME]... [--rulebook R.yaml]
// Exits 2 with a message when the build has no viewer (-DHALLTWIN_VIEWER=OFF).
Command add_view_command(CLI::App& app);

// halltwin run FILE.yaml [--days D] [--start YYYY-MM-DD] [--replications N] [--seed S] [--threads T]
//              [--json OUT] [--trace OUT] [--at HH:MM]
// Exits 1 when a service target of the scenario is missed.
Command add_run_command(CLI::App& app);

// halltwin evac FILE.yaml [--population N] [--seed S] [--replications N] [--threads T] [--block DOOR]...
//               [--dt S] [--json OUT] [--trace OUT] [--curve OUT.csv] [--density OUT.png]
Command add_evac_command(CLI::App& app);

// halltwin import LOG --mapping M.yaml [--trace OUT.csv] [--json OUT] [--follow]
// Rejected rows are accounted for, not a failure: exit 0.
Command add_import_command(CLI::App& app);

// halltwin replay LOG [--mapping M.yaml] [--scenario HALL.yaml] [--days LIST] [--json OUT] [--trace OUT]
Command add_replay_command(CLI::App& app);

// halltwin calibrate LOG --mapping M.yaml --scenario HALL.yaml --out CALIBRATED.yaml [--report OUT.json]
Command add_calibrate_command(CLI::App& app);

// halltwin compare A.yaml B.yaml [C.yaml ...] [--replications N] [--days D] [--seed S] [--json OUT]
//                  [--report OUT.html]
// Exits 1 when a scenario's scorecard is not passed (a target missed, a rule failed, a run failed).
Command add_compare_command(CLI::App& app);

// halltwin report FILE.yaml [--replications N] [--days D] [--seed S] --out REPORT.html
// One self-contained HTML page; exits 1 when the scenario's scorecard is not passed.
Command add_report_command(CLI::App& app);

// halltwin size FILE.yaml [--target "KPI<=V"]... [--by-block MIN] [--replications N] [--seed S] [--threads T]
//               [--days D] [--start YYYY-MM-DD] [--json OUT] [--out STAFFED.yaml]
// Exits 1 when the targets are unreachable with every window staffed (best values reported).
Command add_size_command(CLI::App& app);

// halltwin sweep SWEEP.yaml --out DIR [--resume] [--jobs N] [--threads T] [--rulebook R] [--quiet]
// The same under `mpirun -np N`. Exits 1 when a task failed (recorded in the results).
Command add_sweep_command(CLI::App& app);
// halltwin sweep-task (internal): one task of a sweep, in a child process; JSON on stdout.
Command add_sweep_task_command(CLI::App& app);
// halltwin drill FILE.yaml --emergency NAME [--at HH:MM] [--date YYYY-MM-DD] [--replications N] [--seed S]
//                [--threads T] [--json OUT]
// Exits 1 when a promise of the plan is broken.
Command add_drill_command(CLI::App& app);

}  // namespace halltwin::cli
