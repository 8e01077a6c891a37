#pragma once
// The evacuation of the hall as it is at a moment of a simulated day
// (`halltwin evac --at`): everybody the operations simulator has on the floor
// at that time (citizens seated, standing, walking, at windows; staff behind
// their counters) becomes an evacuee placed where they are. No open-source
// tool starts an evacuation from a simulated working day.
#include <string>
#include <vector>

#include "model/evacuation.hpp"
#include "model/hall.hpp"
#include "sim/ops/simulation.hpp"

namespace halltwin::evac {

struct Placement {
  std::vector<EvacPerson> persons;
  int moved = 0;    // moved off a wall, an obstacle or another person (metres apart)
  int dropped = 0;  // no free spot near their place (reported, never silent)
  int on_other_floors = 0;
};

// The persons of `snapshot` on `floor`, each at the nearest free spot of the
// floor's walkable area to where the snapshot has them: at least `radius_m`
// from every edge and 2 radius_m from everybody already placed (people of one
// standing spot or seat spread around it), searched on rings of 0.25 m out to
// 5 m. Ids are kept ("C000123", staff ids).
Placement place_snapshot(const Hall& hall, FloorId floor, const ops::Snapshot& snapshot,
                         double radius_m = 0.25);

}  // namespace halltwin::evac
