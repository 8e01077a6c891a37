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

#include <algorithm>
#include <vector>

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

// Union of many polygons by pairwise halving: each overlay then works on
// operands of similar size, which is much faster than folding one polygon at
// a time into an ever larger result (that is quadratic).
inline BMulti unite_all(std::vector<BMulti> parts) {
  parts.erase(std::remove_if(parts.begin(), parts.end(), [](const BMulti& m) { return m.empty(); }),
              parts.end());
  if (parts.empty()) return {};
  while (parts.size() > 1) {
    std::vector<BMulti> next;
    next.reserve((parts.size() + 1) / 2);
    for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
      BMulti u;
      bg::union_(parts[i], parts[i + 1], u);
      next.push_back(std::move(u));
    }
    if (parts.size() % 2 == 1) next.push_back(std::move(parts.back()));
    parts = std::move(next);
  }
  return std::move(parts.front());
}

}  // namespace halltwin::geom::detail
