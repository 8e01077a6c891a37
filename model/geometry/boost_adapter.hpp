#pragma once
// Internal to model/geometry/*.cpp: the Boost.Geometry types our polygons are
// converted to for Boolean and buffer operations. Never include it from a
// public header (Boost.Geometry is heavy to compile).
//
// Boost.Geometry 1.74 trips GCC 12's -Wmaybe-uninitialized inside its buffer
// and rescaling code (false positives in headers we do not own).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#pragma GCC diagnostic pop

#include "model/geometry/vec2.hpp"

namespace halltwin::geom::detail {

namespace bg = boost::geometry;
using BPoint = bg::model::d2::point_xy<double>;
// Counter-clockwise outer rings, closed: matches the orientation the loader stores.
using BPoly = bg::model::polygon<BPoint, false, true>;
using BMulti = bg::model::multi_polygon<BPoly>;

// Our polygon (implicitly closed, either orientation) as a corrected Boost polygon.
inline BPoly to_boost(const Polygon& poly) {
  BPoly out;
  auto& ring = out.outer();
  ring.reserve(poly.size() + 1);
  for (const Vec2& v : poly) ring.emplace_back(v.x, v.y);
  if (!poly.empty() && !(poly.front() == poly.back())) ring.emplace_back(poly.front().x, poly.front().y);
  bg::correct(out);
  return out;
}

}  // namespace halltwin::geom::detail
