#include "tools/halltwin/evaluation_flags.hpp"

#include <fmt/format.h>

#include "model/input_error.hpp"
#include "model/trace/trace_header.hpp"
#include "tools/halltwin/at_time.hpp"

namespace halltwin::cli {

void add_evaluation_flags(CLI::App* cmd, EvaluationFlags& f) {
  cmd->add_option("--replications", f.replications, "Replications per scenario (paired by index across scenarios)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--days", f.days, "Open days per replication")->check(CLI::Range(1, 3660))->capture_default_str();
  cmd->add_option("--start", f.start, "First calendar day YYYY-MM-DD (default: the (first) scenario's start_date)");
  cmd->add_option("--seed", f.seed, "Random seed (the same for every scenario)")->capture_default_str();
  cmd->add_option("--threads", f.threads, "Threads running replications (results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--rulebook", f.rulebook, "Rulebook for the check")->capture_default_str();
  cmd->add_flag("--no-evac", f.no_evac, "Skip the evacuation runs");
  cmd->add_flag("--no-screenshot", f.no_screenshot, "Leave the plan screenshots out of the page (the page says so)");
}

EvaluationOptions evaluation_options(const EvaluationFlags& f, const Hall& first) {
  EvaluationOptions eo;
  eo.replications = f.replications;
  eo.days = f.days;
  eo.threads = f.threads;
  eo.seed = f.seed;
  eo.start_date = first_day(first, f.start);
  if (!is_valid_date(eo.start_date))
    throw InputError(
        InputProblem{"", 0, 0, "--start", fmt::format("'{}' is not a date; expected YYYY-MM-DD", eo.start_date)});
  eo.evacuation = !f.no_evac;
  return eo;
}

}  // namespace halltwin::cli
