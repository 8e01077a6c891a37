#pragma once
// Thin parts of a polygon (issue 17, "halls that pass but must not"): a wall
// 1e-5 m thick was ignored by the floor raster (no cell centre falls in it)
// and treated as solid by the exact geometry, and one 1e-7 m thick behaved
// differently again, so a verdict depended on a thickness nobody can build.
// The loader refuses any outline with a part thinner than a millimetre (or a
// gap inside its own outline narrower than that) instead of guessing.
//
// The measure: a vertex lying within min_width_m of an edge it does not
// belong to. Two stretches of an outline closer than min_width_m always put
// such a vertex-edge pair within min_width_m (the distance between two
// segments that do not cross is reached at an end point of one of them), and
// a well-drawn outline, once its near-duplicate vertices are merged
// (vertex_cleanup.hpp), has none: a sharp corner only counts when its two
// sides stay within a millimetre of each other for a whole edge.
#include <cstddef>
#include <optional>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

// One millimetre: thinner than any wall, counter or partition that can be
// built, and the size below which the loader already merges vertices.
inline constexpr double kMinPartWidthM = 1e-3;

struct ThinPart {
  Vec2 at;               // the vertex that lies too close
  Vec2 nearest;          // the nearest point of the edge it is too close to
  double width_m = 0.0;  // their distance
  // true: the polygon itself is thinner than min_width_m there (a sliver, a
  // spike); false: two parts of its outline come within min_width_m of each
  // other across the outside (an almost closed gap).
  bool inside = true;
};

// The first vertex (in ring order) within min_width_m of an edge not incident
// to it, with the nearest such edge; nullopt when there is none. The ring is
// open (first vertex not repeated) and must be a valid simple polygon.
// O(n log n) with an R-tree of the edges (a boundary may have 64,000 vertices).
std::optional<ThinPart> thin_part(const Polygon& ring, double min_width_m = kMinPartWidthM);

}  // namespace halltwin::geom
