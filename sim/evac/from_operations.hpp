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

// Pre-movement by state, applied to the drawn pre-movement time: staff take
// this share of it (trained, they react first and then guide; ISO/TR 16738 and
// BS PD 7974-6 give trained staff the shortest pre-movement); a citizen being
// served adds the seconds to finish at the window; a seated one those to
// gather belongings.
inline constexpr double kStaffPremovementFactor = 0.5;
inline constexpr double kAtWindowExtra_s = 10.0;
inline constexpr double kSeatedExtra_s = 5.0;

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
