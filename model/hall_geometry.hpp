#pragma once
// The geometry services of a whole hall: per floor, the walkable area (the
// boundary minus walls and obstacles, door openings cut through the walls) and
// its raster. Built once from a const Hall; shared by the checker and engines.
#include <vector>

#include "model/geometry/floor_grid.hpp"
#include "model/geometry/walkable_area.hpp"
#include "model/hall.hpp"

namespace halltwin {

// Half-depth of the opening a door cuts through a wall, metres: the wall is
// removed within this distance on both sides of the door segment, enough for
// walls up to 1.2 m thick (docs/scenario-format.md).
inline constexpr double kDoorOpeningHalfDepth_m = 0.6;

geom::WalkableInput walkable_input(const Hall& hall, FloorId floor);

// Throws InputError naming the floor (file, line, id) and its count when
// `area` has more reflex corners than a visibility graph serves (issue 17,
// "sizes that hang"). Every engine that builds a graph for a floor of `hall`
// calls this first, so the user learns which floor, whatever the command.
void refuse_too_many_corners(const Hall& hall, FloorId floor, const geom::WalkableArea& area);

struct FloorGeometry {
  FloorId floor;
  geom::WalkableArea area;
  geom::FloorGrid grid;
};

class HallGeometry {
 public:
  // cell_m: raster cell size, metres (0.1-0.2 m).
  HallGeometry(const Hall& hall, double cell_m);
  const FloorGeometry& floor(FloorId id) const { return floors_.at(id.value); }
  std::size_t floor_count() const { return floors_.size(); }

 private:
  std::vector<FloorGeometry> floors_;
};

}  // namespace halltwin
