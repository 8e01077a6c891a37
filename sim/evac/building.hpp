#pragma once
// The evacuation of a building (docs/evac.md "Several floors"), or of one of its
// floors: which floors, who is on each (a total shared among the floors, or the
// people the operations simulator has in the hall at a moment), one prepared
// EvacModel per floor, then every floor's replications followed by the descent
// of the stairs. `halltwin evac`, `halltwin compare` and the evacuation
// benchmark all evacuate through this, so they agree.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/evac/evac_model.hpp"
#include "sim/evac/from_operations.hpp"
#include "sim/evac/simulation.hpp"
#include "sim/evac/stairs.hpp"

namespace halltwin::evac {

struct BuildingOptions {
  // Population, blocked doors, dt, time cap; `evac.floor` names the one floor to
  // evacuate, "" = every floor together (a one-floor hall: its floor).
  EvacOptions evac;
  // Start from the operations day (same scenario and seed, replication 1) at this
  // moment, seconds since 00:00 of `start_date`; `at_label` is how the user wrote
  // it (for messages).
  std::optional<double> at_s;
  std::string start_date, at_label;
  std::uint64_t seed = 1;
};

class BuildingEvacuation {
 public:
  // Throws InputError (exit 2) for an unknown floor, --at on a hall without
  // operations or with nobody inside, and whatever EvacModel refuses.
  BuildingEvacuation(const Hall& hall, const Rulebook& book, const BuildingOptions& options);
  BuildingEvacuation(const BuildingEvacuation&) = delete;
  BuildingEvacuation& operator=(const BuildingEvacuation&) = delete;

  const Hall& hall;
  bool building = false;           // several floors, the upper ones down their stairs
  std::vector<FloorId> floor_ids;  // storey order
  std::optional<StairPlan> stairs;
  std::optional<Placement> placed;  // the people of the operations day (with at_s)
  std::string at_date;              // the date of that moment
  int population = 0;               // persons on all evacuated floors
  double cap_s = 0.0;               // the longest floor time cap

  const std::vector<std::unique_ptr<EvacModel>>& models() const { return models_; }
  const EvacModel& ground() const { return *models_.front(); }  // the lowest evacuated floor

  // The hand calculation of the building (docs/evac.md): the longest floor's,
  // with an upper floor's descent down its stairs.
  double hand_estimate_s() const;

 private:
  std::optional<Hall> at_hall_;  // the hall with the snapshot's persons; the models refer to it
  std::vector<std::unique_ptr<EvacModel>> models_;
};

struct BuildingRuns {
  std::vector<std::vector<EvacResult>> floors;  // [floor index][replication - 1]
  std::vector<BuildingResult> building;         // [replication - 1]; several floors only
  // Replication r's evacuation time (1-based): the building's, else the one floor's.
  double evacuation_time_s(int r) const;
};

// Runs every floor's replications with `plan` (its base seed, replications,
// threads), letting `customise(i, plan)` add floor i's trace and progress hooks,
// then the stairs. Deterministic whatever the thread count.
BuildingRuns run_building(const BuildingEvacuation& b, const EvacPlan& plan,
                          const std::function<void(std::size_t, EvacPlan&)>& customise = {});

}  // namespace halltwin::evac
