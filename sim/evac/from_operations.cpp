#include "sim/evac/from_operations.hpp"

#include <cmath>

#include "model/geometry/walkable_area.hpp"
#include "model/hall_geometry.hpp"

namespace halltwin::evac {

Placement place_snapshot(const Hall& hall, FloorId floor, const ops::Snapshot& snapshot, double radius_m) {
  Placement out;
  const geom::WalkableArea area(walkable_input(hall, floor));
  const double min_gap = 2.0 * radius_m;
  auto free = [&](Vec2 q) {
    if (!area.contains(q) || area.clearance(q) < radius_m) return false;
    for (const EvacPerson& o : out.persons)
      if (distance(o.position, q) < min_gap) return false;
    return true;
  };
  for (const ops::PersonSnapshot& p : snapshot.persons) {
    if (p.floor != floor) {
      ++out.on_other_floors;
      continue;
    }
    // The place itself, else rings of 0.25 m, 12 + 6 k points each: the
    // first free one, in a fixed order (deterministic).
    std::optional<Vec2> at;
    if (free(p.position)) at = p.position;
    for (int k = 1; !at && k <= 20; ++k) {
      const double r = 0.25 * k;
      const int n = 12 + 6 * k;
      for (int i = 0; i < n && !at; ++i) {
        const double a = 2.0 * 3.141592653589793 * i / n;
        const Vec2 q = p.position + Vec2{r * std::cos(a), r * std::sin(a)};
        if (free(q)) at = q;
      }
    }
    if (!at) {
      ++out.dropped;
      continue;
    }
    if (!(*at == p.position)) ++out.moved;
    EvacPerson e;
    e.id = p.id;
    e.floor = floor;
    e.position = *at;
    // Pre-movement by state (docs/evac.md "Pre-movement by state"): trained
    // staff react first; a citizen at a window finishes the service, a seated
    // one gathers belongings; walking and standing citizens react as drawn.
    if (p.kind == EntityKind::staff) {
      e.kind = "staff";
      e.premovement_factor = kStaffPremovementFactor;
    } else {
      e.kind = "citizen";
      if (p.state == ops::PersonState::at_window) e.premovement_extra_s = kAtWindowExtra_s;
      if (p.state == ops::PersonState::waiting_seated) e.premovement_extra_s = kSeatedExtra_s;
    }
    out.persons.push_back(std::move(e));
  }
  return out;
}

}  // namespace halltwin::evac
