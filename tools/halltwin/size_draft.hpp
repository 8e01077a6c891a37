#pragma once
// `halltwin size --program --draft`: the draft hall as scenario text in the
// current format (halltwin-scenario/5): the plan of sim/size/draft_plan.*,
// the matters, services and demand of the program, the targets, and a
// roster (every window staffed all day, or a sized hall's roster). The text
// loads with the scenario loader; `halltwin check` and `halltwin run` read it.
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/size_program.hpp"
#include "sim/size/draft_plan.hpp"
#include "sim/size/staffing.hpp"

namespace halltwin::cli {

// The program's targets as the scenario's targets section (docs/size.md): a
// wait percentile target wait_pXX_s<=T becomes wait_s T with
// within_target_rate_min XX/100; abandon_rate<=x abandon_rate_max;
// max_waiting_standing<=n standing_max. Throws InputError naming the
// program's line for a target the scenario format cannot state.
struct DraftTargets {
  double wait_s = 1200.0;
  std::optional<double> within_target_rate_min, abandon_rate_max, standing_max;
};
DraftTargets draft_targets(const SizeProgram& program, const std::vector<size::StaffingTarget>& targets);

// `staffed`: a loaded draft whose roster is written (size::staffed_hall of
// the sizing); null: every window staffed from open to close.
std::string draft_scenario_text(const SizeProgram& program, const size::DraftPlan& plan, const DraftTargets& targets,
                                const Hall* staffed, const std::vector<std::string>& header);

}  // namespace halltwin::cli
