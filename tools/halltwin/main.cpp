// halltwin: digital twin and layout simulator for government service halls.
//
// One exit-code rule for every command, present and future (README "Exit codes"):
//   0  a result (every verdict passed);
//   1  a verdict failed (a rule, a target, a promise of a plan) — never because
//      input rows were rejected and accounted for;
//   2  unusable input or output path (flags, files): a message, nothing written;
//   3  internal error (a bug): a message asking for a report.
// After a failed run (2 or 3) the files at the output paths a command
// registered are removed (tools/halltwin/output_file.hpp), so that a previous
// run's result is not taken for this one's.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string_view>

#include "model/input_error.hpp"
#include "model/text.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

int internal_error(const char* what) {
  std::cerr << "halltwin: internal error: " << what
            << "\nPlease report this at the project's issue tracker with the command and input.\n";
  return kExitInternal;
}

int run(const halltwin::cli::Command& command) {
  try {
    return command();
  } catch (const halltwin::InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    return internal_error(e.what());
  } catch (...) {
    return internal_error("an unknown exception");
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"halltwin " HALLTWIN_VERSION
               ": digital twin and layout checker for government service halls (政务服务大厅)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "halltwin " HALLTWIN_VERSION);

  auto check = halltwin::cli::add_check_command(app);

  auto view = halltwin::cli::add_view_command(app);

  auto run_cmd = halltwin::cli::add_run_command(app);

  auto evac_cmd = halltwin::cli::add_evac_command(app);
  auto import_cmd = halltwin::cli::add_import_command(app);
  auto replay_cmd = halltwin::cli::add_replay_command(app);
  auto calibrate_cmd = halltwin::cli::add_calibrate_command(app);
  auto compare_cmd = halltwin::cli::add_compare_command(app);
  auto report_cmd = halltwin::cli::add_report_command(app);
  auto size_cmd = halltwin::cli::add_size_command(app);
  auto sweep_cmd = halltwin::cli::add_sweep_command(app);
  auto sweep_task_cmd = halltwin::cli::add_sweep_task_command(app);
  auto drill_cmd = halltwin::cli::add_drill_command(app);
  // CLI11 would answer a misspelt command with "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    std::string list;
    for (const auto* sub : app.get_subcommands({})) {
      known = known || sub->get_name() == argv[1];
      if (!sub->get_group().empty())  // internal commands are not offered
        list += (list.empty() ? "" : ", ") + sub->get_name();
    }
    if (!known) {
      std::cerr << "halltwin: unknown command '" << halltwin::shorten(argv[1]) << "'; commands: " << list
                << " (halltwin --help)\n";
      return kExitBadInput;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }

  int code = kExitBadInput;
  if (app.got_subcommand("check")) code = run(check);
  if (app.got_subcommand("view")) code = run(view);
  if (app.got_subcommand("run")) code = run(run_cmd);
  if (app.got_subcommand("evac")) code = run(evac_cmd);
  if (app.got_subcommand("import")) code = run(import_cmd);
  if (app.got_subcommand("replay")) code = run(replay_cmd);
  if (app.got_subcommand("calibrate")) code = run(calibrate_cmd);
  if (app.got_subcommand("compare")) code = run(compare_cmd);
  if (app.got_subcommand("report")) code = run(report_cmd);
  if (app.got_subcommand("size")) code = run(size_cmd);
  if (app.got_subcommand("sweep")) code = run(sweep_cmd);
  if (app.got_subcommand("sweep-task")) code = run(sweep_task_cmd);
  if (app.got_subcommand("drill")) code = run(drill_cmd);
  if (code >= kExitBadInput) {
    try {
      halltwin::cli::remove_outputs_after_failure(std::cerr);
    } catch (const std::exception& e) {
      return internal_error(e.what());
    }
  }
  return code;
}
