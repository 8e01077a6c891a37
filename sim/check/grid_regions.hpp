#pragma once
// Small raster helpers the rule kinds share: cells under a polygon, statistics
// of labelled regions, and the worst point of a walking-distance field.
#include <functional>
#include <vector>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "sim/check/check_context.hpp"

namespace halltwin::check {

// Cells whose centre lies in the polygon.
std::vector<std::size_t> cells_in_polygon(const geom::FloorGrid& grid, const Polygon& poly);

struct Region {
  std::size_t cells = 0;
  std::size_t representative = 0;  // the region's cell nearest its centroid
};
// One entry per label 0..count-1.
std::vector<Region> region_stats(const geom::FloorGrid& grid, const std::vector<int>& label, int count);

struct WorstPoint {
  bool found = false;
  double distance_m = 0;
  Vec2 where;
  FloorId floor;
};
// The walkable cell with the largest finite distance over all floors. A floor
// whose getter returns nullptr counts as infinitely far (its first walkable
// cell is returned with distance infinity). With only_exit_reachable, cells
// that cannot reach a safety exit are skipped (another rule reports them).
WorstPoint worst_walking_distance(CheckContext& ctx,
                                  const std::function<const geom::DistanceField*(FloorId)>& field,
                                  bool only_exit_reachable);

}  // namespace halltwin::check
