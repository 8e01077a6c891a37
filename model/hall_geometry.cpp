#include "model/hall_geometry.hpp"

#include <fmt/format.h>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/input_error.hpp"

namespace halltwin {

geom::WalkableInput walkable_input(const Hall& hall, FloorId floor) {
  geom::WalkableInput in;
  in.boundary = hall.floor(floor).boundary;
  for (const auto& ob : hall.obstacles)
    if (ob.floor == floor) (ob.kind == ObstacleKind::wall ? in.blocking : in.solid).push_back(ob.polygon);
  for (const auto& d : hall.doors)
    if (d.floor == floor) in.openings.push_back(geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m));
  return in;
}

void refuse_too_many_corners(const Hall& hall, FloorId floor, const geom::WalkableArea& area) {
  const std::string why = geom::VisibilityGraph::too_many_corners(area.reflex_vertices().size());
  if (why.empty()) return;
  const Floor& fl = hall.floor(floor);
  throw InputError(InputProblem{hall.source_file, fl.loc.line, fl.loc.column, fmt::format("floors[{}]", floor.value),
                                fmt::format("floor '{}' has {}", fl.id, why)});
}

HallGeometry::HallGeometry(const Hall& hall, double cell_m) {
  floors_.reserve(hall.floors.size());
  for (std::uint32_t i = 0; i < hall.floors.size(); ++i) {
    const FloorId id{i};
    geom::WalkableArea area(walkable_input(hall, id));
    // Refuse a floor too rich in corners here, where its name is known, before
    // a visibility graph is built for it.
    refuse_too_many_corners(hall, id, area);
    geom::FloorGrid grid(area, cell_m);
    floors_.push_back(FloorGeometry{id, std::move(area), std::move(grid)});
  }
}

}  // namespace halltwin
