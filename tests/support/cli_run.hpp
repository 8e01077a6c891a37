#pragma once
// Runs the `halltwin` program built for the tests (HALLTWIN_CLI) as a user
// would, for the end-to-end tests of every command: exit code and output.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace halltwin::testing {

struct CliRun {
  int code = -1;
  std::string out;  // stdout and stderr together
};

// Runs a shell command line (stdout and stderr together), e.g. under mpirun.
inline CliRun run_shell(const std::string& cmd) {
  CliRun r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// `args` after the program name; no_display: without an X display (the view).
inline CliRun run_cli(const std::string& args, bool no_display = false) {
  return run_shell(std::string(no_display ? "env -u DISPLAY " : "") + HALLTWIN_CLI + " " + args);
}

// A file name in the temporary directory, unique per test process (ctest runs
// the cases in parallel): "halltwin-<tag>-<pid>-<name>".
inline std::string cli_temp_path(const std::string& tag, const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("halltwin-" + tag + "-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

// A path in the source tree (scenarios, docs).
inline std::string source_path(const std::string& rel) {
  return std::string(HALLTWIN_SOURCE_DIR) + "/" + rel;
}

inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace halltwin::testing
