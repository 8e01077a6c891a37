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

}  // namespace halltwin::cli
