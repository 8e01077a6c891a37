#include "sim/check/wide_passages.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "model/geometry/polygon_ops.hpp"
#include "sim/check/walkable_multi.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/algorithms/point_on_surface.hpp>
#pragma GCC diagnostic pop

namespace halltwin::check {

namespace {

using geom::detail::BMulti;
using geom::detail::BPoint;
using geom::detail::BPoly;
using geom::detail::to_boost;
namespace bg = boost::geometry;
using Box = bg::model::box<BPoint>;

// Points per full circle so that a chord of the round join stays within 0.05 mm of its arc.
int points_per_circle(double radius_m) {
  constexpr double kChordError_m = 0.05e-3;
  if (radius_m <= kChordError_m) return 8;
  const double step = std::acos(1.0 - kChordError_m / radius_m);  // half the angle of one chord
  return std::clamp(static_cast<int>(std::ceil(std::numbers::pi / step)), 8, 2048);
}

}  // namespace

BMulti walkable_multi(const geom::WalkableArea& area) {
  // The rings of a valid multipolygon: outer rings disjoint from each other,
  // holes too, so each side is a valid multipolygon as it stands.
  BMulti outers, holes;
  for (const auto& ring : area.rings()) {
    if (ring.size() < 3) continue;
    (geom::signed_area(ring) > 0 ? outers : holes).push_back(to_boost(ring));  // counter-clockwise
  }
  if (holes.empty()) return outers;
  BMulti out;
  bg::difference(outers, holes, out);
  return out;
}

struct WidePassages::Impl {
  BMulti parts;
  std::vector<Box> boxes;
};

WidePassages::WidePassages(const geom::WalkableArea& area, double width_m, const std::vector<Polygon>& passable)
    : impl_(std::make_unique<Impl>()) {
  const BMulti walkable = walkable_multi(area);
  // Erosion by W/2 (less the tolerance): the admissible centres of a disc of diameter W.
  const double r = std::max(0.0, 0.5 * (width_m - kWidthTolerance_m));
  BMulti eroded;
  if (r <= 0) {
    eroded = walkable;
  } else if (!walkable.empty()) {
    namespace sb = bg::strategy::buffer;
    const int n = points_per_circle(r);
    // A negative buffer rounds the reflex corners of the walkable area (the
    // obstacles' convex corners) with arcs: a miter would cut them square and
    // reject gaps between two corners that a disc passes.
    bg::buffer(walkable, eroded, sb::distance_symmetric<double>(-r), sb::side_straight(), sb::join_round(n),
               sb::end_flat(), sb::point_circle(n));
  }
  std::vector<BMulti> doors;
  doors.reserve(passable.size());
  for (const auto& p : passable) {
    if (p.size() < 3 || geom::area(p) <= 0) continue;
    BMulti one;
    one.push_back(to_boost(p));
    doors.push_back(std::move(one));
  }
  BMulti openings = geom::detail::unite_all(std::move(doors));
  if (!openings.empty()) {
    BMulti inside, merged;
    bg::intersection(openings, walkable, inside);
    bg::union_(eroded, inside, merged);
    eroded = std::move(merged);
  }
  // Slivers of numerical noise are not places anyone stands.
  for (auto& poly : eroded)
    if (bg::area(poly) > 1e-9) impl_->parts.push_back(std::move(poly));
  for (const auto& poly : impl_->parts) impl_->boxes.push_back(bg::return_envelope<Box>(poly));
}

WidePassages::~WidePassages() = default;

int WidePassages::count() const { return static_cast<int>(impl_->parts.size()); }

double WidePassages::area_m2(int c) const { return bg::area(impl_->parts.at(static_cast<std::size_t>(c))); }

Vec2 WidePassages::inner_point(int c) const {
  BPoint p(0.0, 0.0);
  bg::point_on_surface(impl_->parts.at(static_cast<std::size_t>(c)), p);
  return {p.x(), p.y()};
}

std::vector<int> WidePassages::overlapping(const Polygon& poly) const {
  std::vector<int> out;
  if (poly.size() < 3) return out;
  const BPoly q = to_boost(poly);
  const Box qb = bg::return_envelope<Box>(q);
  for (std::size_t c = 0; c < impl_->parts.size(); ++c) {
    if (bg::disjoint(qb, impl_->boxes[c])) continue;
    BMulti common;
    bg::intersection(impl_->parts[c], q, common);
    if (bg::area(common) > 1e-12) out.push_back(static_cast<int>(c));
  }
  return out;
}

bool WidePassages::reaches(Vec2 p, double radius_m) const {
  const BPoint q(p.x, p.y);
  for (std::size_t c = 0; c < impl_->parts.size(); ++c) {
    // The box test first: a part whose envelope is farther than the radius cannot be nearer.
    if (bg::distance(q, impl_->boxes[c]) > radius_m) continue;
    if (bg::distance(q, impl_->parts[c]) <= radius_m) return true;  // 0 inside the part
  }
  return false;
}

}  // namespace halltwin::check
