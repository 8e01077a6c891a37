// halltwin: digital twin and layout simulator for government service halls.
// Exit codes: 0 success (no rule fails), 1 a rule fails, 2 unusable input.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "model/input_error.hpp"
#include "tools/halltwin/commands.hpp"

namespace {

constexpr int kExitBadInput = 2;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"halltwin " HALLTWIN_VERSION
               ": digital twin and layout checker for government service halls (政务服务大厅)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "halltwin " HALLTWIN_VERSION);

  auto check = halltwin::cli::add_check_command(app);

  auto view = halltwin::cli::add_view_command(app);

  auto run = halltwin::cli::add_run_command(app);

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

  try {
    if (app.got_subcommand("check")) return check();
    if (app.got_subcommand("view")) return view();
    if (app.got_subcommand("run")) return run();
  } catch (const halltwin::InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "halltwin: internal error: " << e.what() << "\n";
    return 3;
  }
  return kExitBadInput;
}
