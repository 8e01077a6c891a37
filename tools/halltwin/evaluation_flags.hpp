#pragma once
// The flags `halltwin compare` and `halltwin report` share: both run scenarios
// through evaluate_scenario (scenario_evaluation.hpp) and must read these the same way.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "model/hall.hpp"
#include "tools/halltwin/scenario_evaluation.hpp"

namespace halltwin::cli {

struct EvaluationFlags {
  int days = 1, replications = 20, threads = 1;
  std::string start, rulebook = HALLTWIN_DEFAULT_RULEBOOK;
  std::uint64_t seed = 1;
  bool no_evac = false, no_screenshot = false;
};

// Registers --replications --days --start --seed --threads --rulebook --no-evac --no-screenshot.
void add_evaluation_flags(CLI::App* cmd, EvaluationFlags& f);

// The evaluation options of the flags; the calendar starts at --start, else at
// `first`'s start_date. Throws InputError (exit 2) for a malformed date.
EvaluationOptions evaluation_options(const EvaluationFlags& f, const Hall& first);

}  // namespace halltwin::cli
