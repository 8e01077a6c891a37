#include "render/polygon_cut.hpp"

// GCC 12 reports a false -Wmaybe-uninitialized inside Boost 1.74's rescale
// policy (boost/geometry/policies/robustness/rescale_policy.hpp) for every
// difference(); it is Boost's code, not ours, so it is silenced for Boost only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#pragma GCC diagnostic pop

namespace halltwin::render {

namespace {

namespace bg = boost::geometry;
using BPoint = bg::model::d2::point_xy<double>;
using BPoly = bg::model::polygon<BPoint, /*ClockWise=*/false, /*Closed=*/true>;
using BMulti = bg::model::multi_polygon<BPoly>;

BPoly to_boost(const Polygon& poly) {
  BPoly out;
  for (const Vec2& p : poly) bg::append(out.outer(), BPoint(p.x, p.y));
  if (!poly.empty()) bg::append(out.outer(), BPoint(poly.front().x, poly.front().y));
  bg::correct(out);  // orientation and closing as the polygon type expects
  return out;
}

template <class Ring>
Polygon from_ring(const Ring& ring) {
  Polygon out;
  for (const auto& p : ring) out.push_back({p.x(), p.y()});
  if (out.size() > 1 && out.front() == out.back()) out.pop_back();  // rings come back closed
  return out;
}

std::vector<RingSet> to_rings(const BMulti& multi) {
  std::vector<RingSet> out;
  for (const BPoly& p : multi) {
    RingSet rs;
    rs.outer = from_ring(p.outer());
    for (const auto& hole : p.inners()) rs.holes.push_back(from_ring(hole));
    if (rs.outer.size() >= 3) out.push_back(std::move(rs));
  }
  return out;
}

BMulti minus(BMulti shape, const std::vector<Polygon>& cutters) {
  for (const Polygon& c : cutters) {
    if (c.size() < 3) continue;
    const BPoly cutter = to_boost(c);
    if (bg::disjoint(shape, cutter)) continue;  // most doors are far from most walls
    BMulti rest;
    bg::difference(shape, cutter, rest);
    shape = std::move(rest);
  }
  return shape;
}

}  // namespace

std::vector<RingSet> subtract(const Polygon& shape, const std::vector<Polygon>& cutters) {
  if (shape.size() < 3) return {};
  BMulti multi;
  multi.push_back(to_boost(shape));
  return to_rings(minus(std::move(multi), cutters));
}

std::vector<RingSet> outside_band(const Polygon& boundary, double thickness_m, const std::vector<Polygon>& cutters) {
  if (boundary.size() < 3 || thickness_m <= 0.0) return {};
  const BPoly inner = to_boost(boundary);
  BMulti grown;
  bg::buffer(inner, grown, bg::strategy::buffer::distance_symmetric<double>(thickness_m),
             bg::strategy::buffer::side_straight(), bg::strategy::buffer::join_miter(),
             bg::strategy::buffer::end_flat(), bg::strategy::buffer::point_square());
  BMulti band;
  bg::difference(grown, inner, band);
  return to_rings(minus(std::move(band), cutters));
}

}  // namespace halltwin::render
