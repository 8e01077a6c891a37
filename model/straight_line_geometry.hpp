#pragma once
// The area a straight-line distance of GB 50016-2014 5.5.17 is measured in:
// the floor minus its walls and the obstacles that reach the ceiling
// (columns, full-height partitions), door openings cut through the walls.
// Counters, seats, kiosks and furniture are left out: the clause measures
// 直线距离, a line that bends only where nothing can be seen or walked
// through, and furniture changes over a building's life. The walking-distance
// geometry (hall_geometry.hpp) stays the one the evacuation and the view use.
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/walkable_area.hpp"
#include "model/hall.hpp"

namespace halltwin {

geom::WalkableInput straight_line_input(const Hall& hall, FloorId floor);

// One floor's straight-line area and its raster (same cell size as the walking grid).
struct StraightLineGeometry {
  StraightLineGeometry(const Hall& hall, FloorId floor, double cell_m);
  geom::WalkableArea area;
  geom::FloorGrid grid;
};

}  // namespace halltwin
