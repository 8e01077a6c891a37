#pragma once
// Small builders shared by the geometry tests.
#include <cmath>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom::test {

// Axis-aligned rectangle [x0, x1] x [y0, y1], counter-clockwise.
inline Polygon rect(double x0, double y0, double x1, double y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

// p rotated by angle_rad about centre c.
inline Vec2 rotated(Vec2 p, double angle_rad, Vec2 c = {}) {
  const double cs = std::cos(angle_rad);
  const double sn = std::sin(angle_rad);
  const Vec2 d = p - c;
  return {c.x + cs * d.x - sn * d.y, c.y + sn * d.x + cs * d.y};
}

inline Polygon rotated(const Polygon& poly, double angle_rad, Vec2 c = {}) {
  Polygon out;
  for (const Vec2& v : poly) out.push_back(rotated(v, angle_rad, c));
  return out;
}

inline Segment rotated(const Segment& s, double angle_rad, Vec2 c = {}) {
  return {rotated(s.a, angle_rad, c), rotated(s.b, angle_rad, c)};
}

}  // namespace halltwin::geom::test
