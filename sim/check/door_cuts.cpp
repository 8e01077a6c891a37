#include "sim/check/door_cuts.hpp"

#include <cmath>

#include "model/geometry/polygon_ops.hpp"
#include "model/hall_geometry.hpp"
#include "sim/check/walkable_multi.hpp"

namespace halltwin::check {

namespace {
namespace bg = boost::geometry;
using geom::detail::BMulti;
using geom::detail::to_boost;

// Depth of the band just past the cut that must hold walkable area, metres: a
// millimetre, so that a wall 1 mm thicker than the cut (which closes the door
// as surely as a thick one) is found.
constexpr double kBand_m = 1e-3;
// Walkable area in the band below which it counts as none, m2 (numerical noise:
// a door's band is 0.8 m x 1 mm = 8e-4 m2).
constexpr double kMinArea_m2 = 1e-7;
}  // namespace

std::vector<UncutDoor> doors_not_cut_through(const Hall& hall, FloorId floor, const geom::WalkableArea& area) {
  std::vector<UncutDoor> out;
  const Polygon& outline = hall.floor(floor).boundary;
  BMulti walkable;
  bool built = false;
  for (std::uint32_t i = 0; i < hall.doors.size(); ++i) {
    const Door& d = hall.doors[i];
    if (d.floor != floor) continue;
    const Vec2 along = d.opening.b - d.opening.a;
    const double len = std::hypot(along.x, along.y);
    if (len <= 0) continue;
    const Vec2 n{-along.y / len, along.x / len};
    for (double sign : {1.0, -1.0}) {
      const double mid_depth = kDoorOpeningHalfDepth_m + 0.5 * kBand_m;
      const Vec2 beyond = d.opening.midpoint() + sign * mid_depth * n;
      if (!geom::contains(outline, beyond)) continue;  // the outside of an exterior door
      if (!built) walkable = walkable_multi(area), built = true;
      const Vec2 shift = sign * mid_depth * n;
      const Polygon band = geom::segment_rectangle({d.opening.a + shift, d.opening.b + shift}, 0.5 * kBand_m);
      BMulti common;
      bg::intersection(walkable, to_boost(band), common);
      if (bg::area(common) < kMinArea_m2) out.push_back({DoorId{i}, beyond});
    }
  }
  return out;
}

}  // namespace halltwin::check
