#pragma once
// The work of one sweep task, done inside the child process (`halltwin
// sweep-task`): a block of operations replications of one scenario and, for
// the point's first task, its compliance verdict and evacuation. The result
// is a JSON document the parent reads from the child's stdout.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace halltwin::sweep {

struct TaskRequest {
  std::string scenario, rulebook;
  std::string hall_file;  // check and evac read this file (the hall as designed); empty: scenario
  bool run = false, check = false, evac = false;
  int first_replication = 1, replications = 0;  // run: replications first .. first + n - 1
  int evac_replications = 1;
  int days = 1, threads = 1;
  std::string start;  // empty: the hall's start_date
  std::uint64_t seed = 1;
  // drill: the plan drilled on `scenario` with drill_replications (its day:
  // `start`, else the hall's start_date, as `halltwin drill`).
  std::string drill;
  int drill_replications = 1;
  // size: the staffing search on `scenario` (as `halltwin size FILE --target ...`).
  bool size = false;
  std::vector<std::string> size_targets;  // empty: the scenario's own targets
  int size_replications = 10, size_by_block = 0;
  bool size_quick = false;
  // size_program: `scenario` is a demand program, sized as `halltwin size
  // --program` does it (size_replications and size_quick apply).
  bool size_program = false;
};

// {"replications": [{"r", "kpis": {name: value}}], "check": {"verdict",
//  "failed", "warned", "failed_rules"}, "evac": {"time_s": [..], "capped",
//  "max_density_ppm2"}, "drill": {"emergency", "kind", "all_kept", "promises":
//  [..], "kpis": {key: value}, "kpis_ci95": {key: [lo, hi]}}, "size": {"met",
//  "unreachable", "locally_minimal", "staff_hours", "peak_staff", "windows",
//  "targets": [..], "blocks": [..]}, "size_program": {"met", "unreachable",
//  "windows", "staff_hours", "peak_staff", "seats", "building_area_m2",
//  "occupant_load", "exit_width_required_m", "check": {pass, warn, fail,
//  failed_rules}, "draft_run": {KPI: mean}, "rows": [{row, kind, department,
//  windows}]}. Never-happening measures are null. Throws InputError for a scenario that cannot be
// loaded or run (exit 2 in the child).
nlohmann::json run_task(const TaskRequest& request);

}  // namespace halltwin::sweep
