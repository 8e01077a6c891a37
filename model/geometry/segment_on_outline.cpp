#include "model/geometry/segment_on_outline.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::geom {

std::optional<OffOutline> segment_off_outline(const Polygon& ring, const Segment& s, double tol_m) {
  const std::size_t n = ring.size();
  auto at = [&s](double t) { return s.a + t * (s.b - s.a); };
  const Vec2 r = s.b - s.a;
  const double rr = dot(r, r);
  // The parameter along s nearest to point q (clamped to the segment).
  auto project = [&](Vec2 q) { return rr > 0.0 ? std::clamp(dot(q - s.a, r) / rr, 0.0, 1.0) : 0.0; };
  std::vector<std::pair<double, double>> covered;  // intervals of t within tol_m of one edge
  const double lo_x = std::min(s.a.x, s.b.x) - tol_m, hi_x = std::max(s.a.x, s.b.x) + tol_m;
  const double lo_y = std::min(s.a.y, s.b.y) - tol_m, hi_y = std::max(s.a.y, s.b.y) + tol_m;
  for (std::size_t i = 0; i < n; ++i) {
    const Segment e{ring[i], ring[(i + 1) % n]};
    if (std::max(e.a.x, e.b.x) < lo_x || std::min(e.a.x, e.b.x) > hi_x || std::max(e.a.y, e.b.y) < lo_y ||
        std::min(e.a.y, e.b.y) > hi_y)
      continue;
    auto f = [&](double t) { return point_segment_distance(at(t), e); };
    // The distance to e is convex along s; its minimum is at an end of s, at
    // the foot of an end of e, or where the two cross.
    double best_t = 0.0, best = f(0.0);
    auto consider = [&](double t) {
      const double d = f(t);
      if (d < best) {
        best = d;
        best_t = t;
      }
    };
    consider(1.0);
    consider(project(e.a));
    consider(project(e.b));
    const Vec2 q = e.b - e.a;
    const double den = cross(r, q);
    if (std::abs(den) > 1e-300) consider(std::clamp(cross(e.a - s.a, q) / den, 0.0, 1.0));
    if (best > tol_m) continue;
    // Bisection for where the distance reaches tol_m on each side of the minimum.
    auto reach = [&](double inside, double outside) {
      if (f(outside) <= tol_m) return outside;
      for (int k = 0; k < 60; ++k) {
        const double mid = 0.5 * (inside + outside);
        if (f(mid) <= tol_m)
          inside = mid;
        else
          outside = mid;
      }
      return inside;
    };
    covered.emplace_back(reach(best_t, 0.0), reach(best_t, 1.0));
  }
  std::sort(covered.begin(), covered.end());
  // Stretches shorter than this share of s are rounding, not a gap.
  constexpr double kGapT = 1e-9;
  double reached = 0.0;
  std::optional<std::pair<double, double>> gap;
  for (const auto& [lo, hi] : covered) {
    if (lo > reached + kGapT) {
      gap = std::pair{reached, lo};
      break;
    }
    reached = std::max(reached, hi);
  }
  if (!gap && reached < 1.0 - kGapT) gap = std::pair{reached, 1.0};
  if (!gap) return std::nullopt;
  OffOutline off;
  off.at = at(0.5 * (gap->first + gap->second));
  off.distance_m = distance_to_boundary(ring, off.at);
  return off;
}

}  // namespace halltwin::geom
