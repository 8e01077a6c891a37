#include "model/straight_line_geometry.hpp"

#include "model/geometry/polygon_ops.hpp"
#include "model/hall_geometry.hpp"

namespace halltwin {

geom::WalkableInput straight_line_input(const Hall& hall, FloorId floor) {
  geom::WalkableInput in;
  in.boundary = hall.floor(floor).boundary;
  for (const auto& ob : hall.obstacles) {
    if (ob.floor != floor) continue;
    if (ob.kind == ObstacleKind::wall)
      in.blocking.push_back(ob.polygon);
    else if (ob.full_height)
      in.solid.push_back(ob.polygon);
  }
  for (const auto& d : hall.doors)
    if (d.floor == floor) in.openings.push_back(geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m));
  return in;
}

StraightLineGeometry::StraightLineGeometry(const Hall& hall, FloorId floor, double cell_m)
    : area(straight_line_input(hall, floor)), grid(area, cell_m) {}

}  // namespace halltwin
