#pragma once
// Planar polygon cuts the scene needs and the model does not export: door
// openings cut out of walls, and the band of exterior wall around a floor.
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::render {

// A polygon with holes: outer ring counter-clockwise, holes clockwise, not closed.
struct RingSet {
  Polygon outer;
  std::vector<Polygon> holes;
};

// `shape` minus the union of `cutters` (empty result when fully cut).
std::vector<RingSet> subtract(const Polygon& shape, const std::vector<Polygon>& cutters);

// The band of width `thickness_m` just outside `boundary` (mitred corners)
// minus `cutters`: the exterior walls with their door openings.
std::vector<RingSet> outside_band(const Polygon& boundary, double thickness_m, const std::vector<Polygon>& cutters);

}  // namespace halltwin::render
