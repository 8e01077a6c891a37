#pragma once
// `halltwin size --program DEMAND.yaml [--json OUT] [--draft OUT.yaml]`
// (docs/size.md, "Sizing a new hall"): the space program of a new hall from
// its demand program - windows by kind, staff per block, seats, zone areas,
// occupant load and exits - and the draft hall scenario that `halltwin check`
// passes and `halltwin run` confirms.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace halltwin::cli {

struct SizeProgramOptions {
  std::string program, rulebook, json, draft;
  int replications = 10, threads = 1;
  std::uint64_t seed = 1;
  bool quick = false;
};

// The whole answer, nothing written: the `--json` document (`draft` is the
// --draft path or null), the report printed on stdout, the draft scenario's
// text and the exit code below. `halltwin sweep` runs it per point.
struct SizeProgramReport {
  nlohmann::json json;
  std::string text, draft_text;
  int exit_code = 0;
};
SizeProgramReport size_program_report(const SizeProgramOptions& options);

// Writes --json and --draft and prints the report. Returns the exit code: 0 every target met and the draft passes the
// rulebook; 1 targets unreachable (best values reported) or a rule failed.
// Throws InputError for a bad program, rulebook or flag (exit 2).
int run_size_program(const SizeProgramOptions& options);

}  // namespace halltwin::cli
