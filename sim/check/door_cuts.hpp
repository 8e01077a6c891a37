#pragma once
// Doors whose opening does not cut through the wall they stand in.
//
// A door cuts its wall within kDoorOpeningHalfDepth_m (0.6 m) of the door
// line on both sides (model/hall_geometry.hpp). A door in a wall thicker than
// that cut, a door drawn on one face of a thick wall, or one with an obstacle
// pressed against it leaves a pocket in the wall: the room behind it is then
// unreachable, and the reachability finding would only give its area, not
// the door to fix (issue 17). The test is exact (Boost.Geometry areas of
// intersection), not a raster probe.
#include <vector>

#include "model/geometry/walkable_area.hpp"
#include "model/hall.hpp"

namespace halltwin::check {

struct UncutDoor {
  DoorId door;
  Vec2 beyond;  // a point just past the cut on the side it does not reach, metres
};

// Doors of `floor` whose cut does not reach the walkable area on a side that
// lies within the floor's outline (the outside of an exterior door is not
// checked): the band 1 mm deep just past the cut (0.600-0.601 m from the door
// line), as long as the door, holds no walkable area.
std::vector<UncutDoor> doors_not_cut_through(const Hall& hall, FloorId floor, const geom::WalkableArea& area);

}  // namespace halltwin::check
