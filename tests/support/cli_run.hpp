#pragma once
// Runs the `halltwin` program built for the tests (HALLTWIN_CLI) as a user
// would, for the end-to-end tests of every command: exit code and output.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace halltwin::testing {

struct CliRun {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// `args` after the program name; no_display: without an X display (the view).
inline CliRun run_cli(const std::string& args, bool no_display = false) {
  const std::string cmd =
      std::string(no_display ? "env -u DISPLAY " : "") + HALLTWIN_CLI + " " + args + " 2>&1";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace halltwin::testing
