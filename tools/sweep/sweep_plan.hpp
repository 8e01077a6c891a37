#pragma once
// A sweep expanded: its halls (files as given, or generated from a template),
// its points (a hall and one value of each grid axis) and its tasks (a point
// and a block of replications). The expansion depends only on the sweep file
// and the halls' files, never on the number of ranks or threads, so task i is
// the same work in every run and on every rank (docs/sweep.md).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/sweep_spec.hpp"

namespace halltwin::sweep {

struct SweepHall {
  std::string id;      // "h001": position in the sweep, stable across runs
  std::string source;  // the scenario file it comes from (a template's for generated halls)
  std::string file;    // the scenario file evaluated (generated halls: under DIR/halls/)
  std::string name;    // the hall's name (generated: from the template's pattern)
  double population = 0.0;  // generated halls: the population drawn; else 0 (as in the file)
  std::string text;         // generated halls: the file's content, written by write_plan_files
  std::vector<std::string> plans;  // names of its emergencies section's plans, in file order
};

struct SweepPoint {
  std::size_t hall = 0;  // index into halls
  std::string id;        // "h001-p02"
  std::vector<std::pair<SweepAxis::Kind, std::string>> parameters;  // in grid order
  std::string file;  // the scenario to evaluate: the hall's own, or DIR/points/ID.yaml
  std::string text;  // a changed scenario's content (empty: the hall's file as it is)
  std::string error; // the parameters cannot apply to this hall (recorded, its tasks fail)
  // `drill`: the plans drilled at this point, one task each: the emergency
  // axis's plan (none for `none`), else every plan of the hall.
  std::vector<std::string> drills;
  // The first point of the hall with the same scenario (the same parameters
  // but the emergency): its run and size tasks stand for this point's too,
  // since the emergency axis changes no scenario. Itself when it is the first.
  std::size_t twin = 0;
  std::string label() const;  // "demand_factor=1.2 staffed_windows=20", or "as designed"
};

struct SweepTask {
  std::size_t point = 0;
  int first_replication = 1;  // 1-based, global within the point: the random streams used
  int replications = 0;       // 0: no run replications in this task
  // The hall's task: check and evac on the hall's own file (the grid's axes
  // change operations, never the building, so the verdict and the evacuation
  // are the hall's and hold for all of its points). A task of its own, before
  // the hall's points' tasks, so that a point whose scenario is refused does
  // not take them with it. `point` is then the hall's first point.
  bool hall_measures = false;
  std::string drill;  // a drill task: the plan drilled on the point's scenario
  bool size = false;  // a size task: the staffing search on the point's scenario
  // The task evaluates the point's scenario (run, drill, size), so a point
  // whose parameters cannot apply fails it; a hall-measures-only task does not.
  bool uses_point() const { return replications > 0 || !drill.empty() || size; }
};

struct SweepPlan {
  std::vector<SweepHall> halls;
  std::vector<SweepPoint> points;
  std::vector<SweepTask> tasks;
};

// Expands the sweep (reads the halls' files, generates the template halls and
// the changed scenarios in memory; files go under `out_dir`). Throws
// InputError for a source that cannot be read as YAML or a template without
// the fields it needs.
SweepPlan expand(const SweepSpec& spec, const std::string& out_dir);

// Writes the generated halls and changed scenarios under the plan's paths
// (whole files, through a temporary and a rename).
void write_plan_files(const SweepPlan& plan);

}  // namespace halltwin::sweep
