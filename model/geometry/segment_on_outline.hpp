#pragma once
// Whether a segment lies on a polygon's outline: a door on the floor's
// boundary (issue 17: an exit to the outside standing in a free wall in the
// middle of the room passed every egress rule).
#include <optional>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

struct OffOutline {
  Vec2 at;                  // a point of the segment off the outline
  double distance_m = 0.0;  // its distance to the outline
};

// nullopt when every point of s lies within tol_m of an edge of poly (open
// ring); otherwise the middle of the first stretch of s (from s.a) that does
// not, and its distance to the outline. Exact, not sampled: the part of s
// within tol_m of one edge is an interval (the distance to a segment is convex
// along s), and the intervals of the edges near s are joined. Checking the
// two ends and the middle is not enough: a door spanning a recess of the
// outline has all three on it.
std::optional<OffOutline> segment_off_outline(const Polygon& poly, const Segment& s, double tol_m);

}  // namespace halltwin::geom
