#pragma once
// Internal to sim/check/*.cpp (Boost.Geometry types: never include it from a
// public header): a floor's walkable area as one Boost multipolygon, for the
// rules that need exact areas of intersection rather than cell counts.
#include "model/geometry/boost_adapter.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::check {

// The walkable area's outer rings less its holes (WalkableArea::rings() does
// not say which outer ring a hole belongs to; a difference does).
geom::detail::BMulti walkable_multi(const geom::WalkableArea& area);

}  // namespace halltwin::check
