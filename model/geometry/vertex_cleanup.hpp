#pragma once
// Vertex clean-up at load: a drawn outline often carries vertices a user
// cannot see (a point clicked twice, a straight wall split in many pieces by
// a CAD export, a circle of 64,000 sides). They cost time in every geometric
// step and produce spurious "repeats vertex" complaints, so polygons read from
// a scenario are cleaned first (issue 17): vertices within kVertexMergeM of the
// previous one are merged, and vertices within kVertexMergeM of the straight
// line between their kept neighbours are dropped.
#include <cstddef>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

// One millimetre: below any drawing precision that matters for a hall (door
// widths are checked to the centimetre), far above coordinate rounding.
inline constexpr double kVertexMergeM = 1e-3;

// A collinear run is merged in pieces of at most this many vertices, so that
// checking every dropped vertex against the new edge stays O(n).
inline constexpr std::size_t kMaxMergedRun = 64;

// `ring` (open: the first vertex not repeated at the end) without its
// near-duplicate and collinear vertices. Every dropped vertex lies within
// tol_m of the returned outline. Returns the ring unchanged when it has
// fewer than 4 vertices or cleaning would leave fewer than 3. The result is
// deterministic and independent of where the ring starts only up to its
// first vertex, which is always kept.
Polygon merge_close_and_collinear(const Polygon& ring, double tol_m = kVertexMergeM);

}  // namespace halltwin::geom
