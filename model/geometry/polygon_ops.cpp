// Polygon algebra on the plane (metres). Boolean and buffer operations go
// through Boost.Geometry; the small measures (areas, distances, crossings) are
// written out because they are hot and trivial.
#include "model/geometry/polygon_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "model/geometry/boost_adapter.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/index/rtree.hpp>
#pragma GCC diagnostic pop

namespace halltwin::geom {

namespace {

using namespace detail;  // Boost.Geometry types and to_boost
namespace bgi = boost::geometry::index;
using BBox = bg::model::box<BPoint>;

// Lengths below this (metres) are treated as zero: far below any drawing
// precision, far above the rounding error of coordinates of a few hundred metres.
constexpr double kEpsM = 1e-9;

// Input may repeat the first vertex at the end; the algorithms below want it once.
Polygon open_ring(Polygon poly) {
  if (poly.size() >= 2 && poly.front() == poly.back()) poly.pop_back();
  return poly;
}

// Shortest decimal rendering with at most 3 decimals but at least one ("3.0", "1.25").
std::string num(double v) {
  std::string s = fmt::format("{:.3f}", v);
  while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  if (s == "-0.0") s = "0.0";
  return s;
}

std::string point_text(Vec2 p) { return fmt::format("({}, {})", num(p.x), num(p.y)); }

// Intersection point of the supporting lines of s and t (callers ensure they are not parallel).
Vec2 line_intersection(const Segment& s, const Segment& t) {
  const Vec2 r = s.b - s.a;
  const Vec2 q = t.b - t.a;
  const double den = cross(r, q);
  if (std::abs(den) < 1e-300) return s.a;
  const double u = cross(t.a - s.a, q) / den;
  return s.a + u * r;
}

// A point where two touching (non-crossing) segments meet: the endpoint of one
// closest to the other.
Vec2 touch_point(const Segment& s, const Segment& t) {
  const Vec2 pts[4] = {s.a, s.b, t.a, t.b};
  const double dist[4] = {point_segment_distance(s.a, t), point_segment_distance(s.b, t),
                          point_segment_distance(t.a, s), point_segment_distance(t.b, s)};
  return pts[std::min_element(dist, dist + 4) - dist];
}

template <class Ring>
Polygon from_boost_ring(const Ring& ring) {
  Polygon out;
  for (const auto& p : ring) out.push_back({p.x(), p.y()});
  if (out.size() > 1 && out.front() == out.back()) out.pop_back();  // Boost rings come back closed
  return out;
}

std::vector<PolygonWithHoles> to_polygons(const BMulti& multi) {
  std::vector<PolygonWithHoles> out;
  for (const BPoly& p : multi) {
    PolygonWithHoles ph;
    ph.outer = from_boost_ring(p.outer());
    for (const auto& hole : p.inners()) ph.holes.push_back(from_boost_ring(hole));
    if (ph.outer.size() >= 3) out.push_back(std::move(ph));
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

double signed_area(const Polygon& poly) {
  const Polygon p = open_ring(poly);
  const std::size_t n = p.size();
  if (n < 3) return 0.0;
  // Shoelace relative to the first vertex keeps the products small for
  // floors far from the origin.
  double twice = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) twice += cross(p[i] - p[0], p[i + 1] - p[0]);
  return 0.5 * twice;
}

double area(const Polygon& poly) { return std::abs(signed_area(poly)); }

Vec2 centroid(const Polygon& poly) {
  const Polygon p = open_ring(poly);
  const std::size_t n = p.size();
  if (n == 0) return {};
  double twice_area = 0.0;
  Vec2 acc{};
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double c = cross(p[i] - p[0], p[i + 1] - p[0]);
    twice_area += c;
    acc = acc + c * (p[i] + p[i + 1] - 2.0 * p[0]);
  }
  if (std::abs(twice_area) < 1e-18) {
    // Degenerate polygon: the vertex mean is the only sensible answer.
    Vec2 mean{};
    for (const Vec2& v : p) mean = mean + v;
    return (1.0 / static_cast<double>(n)) * mean;
  }
  return p[0] + (1.0 / (3.0 * twice_area)) * acc;
}

Polygon counter_clockwise(Polygon poly) {
  if (signed_area(poly) < 0.0) std::reverse(poly.begin(), poly.end());
  return poly;
}

std::optional<std::string> invalidity(const Polygon& input) {
  const Polygon p = open_ring(input);
  const std::size_t n = p.size();

  {
    Polygon distinct = p;
    std::sort(distinct.begin(), distinct.end(),
              [](Vec2 a, Vec2 b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (distinct.size() < 3) {
      return fmt::format("polygon has {} distinct vertices; at least 3 are needed", distinct.size());
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = (i + 1) % n;
    if (distance(p[i], p[j]) <= kEpsM) {
      return fmt::format("vertex {} repeats vertex {} at {}", j + 1, i + 1, point_text(p[i]));
    }
  }

  // All vertices on one line: say "zero area" rather than reporting the
  // overlapping edges that necessarily result.
  {
    std::size_t far = 1;
    for (std::size_t i = 1; i < n; ++i)
      if (distance(p[i], p[0]) > distance(p[far], p[0])) far = i;
    const Segment axis{p[0], p[far]};
    bool collinear = true;
    for (const Vec2& v : p) {
      if (std::abs(cross(axis.b - axis.a, v - axis.a)) > kEpsM * axis.length()) {
        collinear = false;
        break;
      }
    }
    if (collinear) return std::string("polygon has zero area (all its vertices lie on one line)");
  }

  // The checks below report the first offending pair in (i, j) order, as a
  // comparison of every pair would, but ask an R-tree (built in n log n) for
  // the candidates near each vertex or edge: a 64,000-vertex boundary took 44 s
  // pair by pair (issue 17). Scanning i upwards and stopping at the first
  // problem keeps the work O(n log n + K), K the number of pairs whose
  // eps-inflated boxes overlap without touching, small for any drawn plan.
  {
    std::vector<std::pair<BPoint, std::size_t>> pts;
    pts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) pts.emplace_back(BPoint(p[i].x, p[i].y), i);
    const bgi::rtree<std::pair<BPoint, std::size_t>, bgi::rstar<16>> index(pts.begin(), pts.end());
    std::vector<std::pair<BPoint, std::size_t>> near;
    for (std::size_t i = 0; i < n; ++i) {
      near.clear();
      const BBox box(BPoint(p[i].x - kEpsM, p[i].y - kEpsM), BPoint(p[i].x + kEpsM, p[i].y + kEpsM));
      index.query(bgi::intersects(box), std::back_inserter(near));
      std::size_t first = n;
      for (const auto& [pt, j] : near)
        if (j > i && j < first && distance(p[i], p[j]) <= kEpsM) first = j;
      if (first < n)
        return fmt::format("vertices {} and {} coincide at {}", i + 1, first + 1, point_text(p[i]));
    }
  }

  auto edge_name = [n](std::size_t i) { return fmt::format("edge {}-{}", i + 1, (i + 1) % n + 1); };
  auto edge_box = [&p, n](std::size_t i) {
    const Vec2 a = p[i], b = p[(i + 1) % n];
    return BBox(BPoint(std::min(a.x, b.x) - kEpsM, std::min(a.y, b.y) - kEpsM),
                BPoint(std::max(a.x, b.x) + kEpsM, std::max(a.y, b.y) + kEpsM));
  };
  std::vector<std::pair<BBox, std::size_t>> boxes;
  boxes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) boxes.emplace_back(edge_box(i), i);
  const bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>> edge_index(boxes.begin(), boxes.end());
  std::vector<std::pair<BBox, std::size_t>> candidates;
  std::vector<std::size_t> later;
  for (std::size_t i = 0; i < n; ++i) {
    const Segment s{p[i], p[(i + 1) % n]};
    // Adjacent edges share a vertex; they are only wrong when the second
    // doubles back along the first (a zero-width spike).
    {
      const Segment t{p[(i + 1) % n], p[(i + 2) % n]};
      const Vec2 u = s.b - s.a;
      const Vec2 w = t.b - t.a;
      if (std::abs(cross(u, w)) <= kEpsM * norm(u) && dot(u, w) < 0.0) {
        return fmt::format("{} and {} fold back on each other at vertex {} {}", edge_name(i),
                           edge_name((i + 1) % n), (i + 1) % n + 1, point_text(s.b));
      }
    }
    candidates.clear();
    edge_index.query(bgi::intersects(boxes[i].first), std::back_inserter(candidates));
    later.clear();
    for (const auto& c : candidates)
      if (c.second >= i + 2 && !(i == 0 && c.second == n - 1))  // the closing edge is adjacent to the first
        later.push_back(c.second);
    std::sort(later.begin(), later.end());
    for (const std::size_t j : later) {
      const Segment t{p[j], p[(j + 1) % n]};
      if (segments_cross_properly(s, t)) {
        return fmt::format("{} and {} cross near {}", edge_name(i), edge_name(j),
                           point_text(line_intersection(s, t)));
      }
      if (segment_segment_distance(s, t) <= kEpsM) {
        return fmt::format("{} and {} touch at {}", edge_name(i), edge_name(j),
                           point_text(touch_point(s, t)));
      }
    }
  }

  if (area(p) <= kEpsM * kEpsM) return std::string("polygon has zero area");

  // Safety net: anything Boost still objects to (should not happen after the
  // checks above, but its message is better than silence).
  const BPoly bp = to_boost(p);
  std::string why;
  if (!bg::is_valid(bp, why)) return "polygon is invalid: " + why;
  return std::nullopt;
}

bool contains(const Polygon& poly, Vec2 p) {
  const Polygon ring = open_ring(poly);
  if (ring.size() < 3) return false;
  if (distance_to_boundary(ring, p) <= kEpsM) return true;
  return bg::covered_by(BPoint(p.x, p.y), to_boost(ring));
}

double distance_to_boundary(const Polygon& poly, Vec2 p) {
  const Polygon ring = open_ring(poly);
  const std::size_t n = ring.size();
  if (n == 0) return std::numeric_limits<double>::infinity();
  if (n == 1) return distance(p, ring[0]);
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i)
    best = std::min(best, point_segment_distance(p, {ring[i], ring[(i + 1) % n]}));
  return best;
}

bool overlaps(const Polygon& a, const Polygon& b) {
  const Polygon ra = open_ring(a);
  const Polygon rb = open_ring(b);
  if (ra.size() < 3 || rb.size() < 3 || area(ra) <= 0.0 || area(rb) <= 0.0) return false;
  // DE-9IM: the interiors intersect. Touching along edges or at corners only
  // relates boundaries, so it does not count.
  return bg::relate(to_boost(ra), to_boost(rb), bg::de9im::mask("T********"));
}

Vec2 closest_point_on_segment(Vec2 p, const Segment& s) {
  const Vec2 d = s.b - s.a;
  const double len2 = dot(d, d);
  if (len2 <= 0.0) return s.a;
  return s.a + std::clamp(dot(p - s.a, d) / len2, 0.0, 1.0) * d;
}

double point_segment_distance(Vec2 p, const Segment& s) {
  return distance(p, closest_point_on_segment(p, s));
}

double segment_segment_distance(const Segment& s, const Segment& t) {
  if (segments_cross_properly(s, t)) return 0.0;
  // Without a proper crossing the minimum is attained at an endpoint of one
  // of them (touching configurations give 0 there too).
  return std::min({point_segment_distance(s.a, t), point_segment_distance(s.b, t),
                   point_segment_distance(t.a, s), point_segment_distance(t.b, s)});
}

bool segments_cross_properly(const Segment& s, const Segment& t) {
  const double d1 = cross(s.b - s.a, t.a - s.a);
  const double d2 = cross(s.b - s.a, t.b - s.a);
  const double d3 = cross(t.b - t.a, s.a - t.a);
  const double d4 = cross(t.b - t.a, s.b - t.a);
  return ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) &&
         ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0));
}

bool fits_circle(const Polygon& poly, double radius_m) {
  const Polygon ring = open_ring(poly);
  if (ring.size() < 3 || area(ring) <= 0.0) return false;
  if (radius_m <= 0.0) return true;
  // Erosion by the radius = the set of admissible circle centres. A negative
  // buffer needs a round join at the reflex corners for the erosion to be
  // exact (a miter join would let the circle clip those corners); 360 points
  // per circle keep the chord error below 4e-5 of the radius.
  namespace sb = bg::strategy::buffer;
  const sb::distance_symmetric<double> dist(-radius_m);
  const sb::join_round join(360);
  const sb::end_flat end;
  const sb::point_circle circle(360);
  const sb::side_straight side;
  BMulti shrunk;
  bg::buffer(to_boost(ring), shrunk, dist, side, join, end, circle);
  return !shrunk.empty() && bg::area(shrunk) > 0.0;
}

std::vector<PolygonWithHoles> difference(const Polygon& shape, const std::vector<Polygon>& cutters) {
  if (shape.size() < 3) return {};
  BMulti multi;
  multi.push_back(to_boost(shape));
  return to_polygons(minus(std::move(multi), cutters));
}

std::vector<PolygonWithHoles> outer_band(const Polygon& boundary, double thickness_m,
                                         const std::vector<Polygon>& cutters) {
  if (boundary.size() < 3 || thickness_m <= 0.0) return {};
  const BPoly inner = to_boost(boundary);
  namespace sb = bg::strategy::buffer;
  BMulti grown;
  bg::buffer(inner, grown, sb::distance_symmetric<double>(thickness_m), sb::side_straight(), sb::join_miter(),
             sb::end_flat(), sb::point_square());
  BMulti band;
  bg::difference(grown, inner, band);
  return to_polygons(minus(std::move(band), cutters));
}

Polygon segment_rectangle(const Segment& s, double half_depth_m) {
  const Vec2 d = s.b - s.a;
  const double len = norm(d);
  if (len <= 0.0) {
    // A point: the square of side 2 * half_depth_m around it.
    const double h = half_depth_m;
    return {{s.a.x - h, s.a.y - h}, {s.a.x + h, s.a.y - h}, {s.a.x + h, s.a.y + h}, {s.a.x - h, s.a.y + h}};
  }
  const Vec2 n = (half_depth_m / len) * Vec2{-d.y, d.x};  // left normal, scaled to the half depth
  return {s.a - n, s.b - n, s.b + n, s.a + n};            // counter-clockwise
}

}  // namespace halltwin::geom
