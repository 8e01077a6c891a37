#pragma once
// `halltwin run` on a hall with an IT platform (docs/platform.md): SimGrid
// runs one simulation per process (its issue 185), so each replication runs
// in a child process, halltwin starting itself with the hidden flag
// `--replication-child R`; the child writes its results to its stdout in a
// compact binary form (exact doubles), the parent reads them in replication
// order, up to --threads children at once: the results are the same as one
// child at a time.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/ops/simulation.hpp"
#include "sim/platform/cosimulation.hpp"

namespace halltwin::cli {

struct PlatformRun {
  ops::RunResult result;
  platform::PlatformKpis platform;
};

// The child: writes one replication's results to `fd`.
void write_platform_run(int fd, const PlatformRun& run);
// The parent: reads what write_platform_run wrote; throws std::runtime_error on a short or corrupt stream.
PlatformRun read_platform_run(const std::string& bytes);

// Starts `self_args` + {"--replication-child", r} for r = first..first + replications - 1,
// at most `parallel` at once, and returns the runs by replication. A child
// that fails (exit code not 0) makes this throw std::runtime_error with its
// exit code (its own message went to stderr).
std::vector<PlatformRun> run_platform_children(const std::vector<std::string>& self_args, int replications,
                                               int parallel, int first = 1);

}  // namespace halltwin::cli
