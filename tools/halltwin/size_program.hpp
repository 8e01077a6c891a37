#pragma once
// `halltwin size --program DEMAND.yaml [--json OUT] [--draft OUT.yaml]`
// (docs/size.md, "Sizing a new hall"): the space program of a new hall from
// its demand program - windows by kind, staff per block, seats, zone areas,
// occupant load and exits - and the draft hall scenario that `halltwin check`
// passes and `halltwin run` confirms.
#include <cstdint>
#include <string>

namespace halltwin::cli {

struct SizeProgramOptions {
  std::string program, rulebook, json, draft;
  int replications = 10, threads = 1;
  std::uint64_t seed = 1;
  bool quick = false;
};

// Returns the exit code: 0 every target met and the draft passes the
// rulebook; 1 targets unreachable (best values reported) or a rule failed.
// Throws InputError for a bad program, rulebook or flag (exit 2).
int run_size_program(const SizeProgramOptions& options);

}  // namespace halltwin::cli
