#pragma once
// Runs the engines on one scenario for `compare` and `report`: the operations
// replications (replication r with the streams of r and the given seed, so
// that every scenario of a comparison shares its citizens: common random
// numbers), the compliance check and one evacuation run when the scenario has
// an `evacuation` section. A failing engine is recorded in the outcome (and
// reported), never hidden and never fatal for the other scenarios.
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/compare/scenario_outcome.hpp"
#include "sim/evac/simulation.hpp"
#include "sim/ops/simulation.hpp"

namespace halltwin::cli {

struct EvaluationOptions {
  int replications = 10, days = 1, threads = 1;
  std::uint64_t seed = 1;
  std::string start_date;  // every scenario is simulated on the same calendar days
  bool evacuation = true;  // run the evacuation of scenarios with an `evacuation` section
  bool keep_runs = false;  // keep the full run results (the report's plots by hour)
  // Sample the persons inside and waiting at each full hour of the first day
  // (extra stopped runs of every replication; the report's plots).
  bool hourly_occupancy = false;
};

// Persons inside and waiting at a full hour of the first day, averaged over replications.
struct HourlyOccupancy {
  int hour = 0;
  double inside = 0.0, waiting = 0.0, standing = 0.0;
};

struct Evaluation {
  compare::ScenarioOutcome outcome;
  std::vector<ops::RunResult> runs;  // keep_runs only
  std::vector<HourlyOccupancy> occupancy;
  std::optional<evac::EvacResult> evac;  // the full evacuation result (curve, density)
  Vec2 density_origin;
  int density_nx = 0, density_ny = 0;
  double wall_s = 0.0;  // time spent in the operations replications
};

// `label`: how messages name the scenario (its file).
Evaluation evaluate_scenario(const Hall& hall, const Rulebook& book, const EvaluationOptions& options);

}  // namespace halltwin::cli
