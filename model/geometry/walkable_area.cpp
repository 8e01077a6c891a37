// The walkable area as a Boost.Geometry multipolygon (for the Boolean
// operations) plus a uniform bucket grid of its edges (for the queries that
// the distance fields run by the hundred thousand: point location, line of
// sight, clearance).
#include "model/geometry/walkable_area.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "model/geometry/boost_adapter.hpp"
#include "model/geometry/polygon_ops.hpp"

namespace halltwin::geom {

namespace {

using namespace detail;  // Boost.Geometry types

// Geometric tolerance in metres: a point this close to an edge is on it. Far
// below drawing precision, far above double rounding at hall coordinates.
constexpr double kEpsM = 1e-9;
// Edges are filed in, and queries walk, every bucket within this distance of
// the segment, so that near-touches at bucket borders are never missed.
constexpr double kBucketPadM = 1e-6;
// A bucket's reference point keeps at least this distance from its edges so
// that its inside/outside status is unambiguous.
constexpr double kRefClearM = 1e-6;

BMulti to_multi(const Polygon& poly) {
  BMulti out;
  Polygon p = poly;
  if (p.size() >= 2 && p.front() == p.back()) p.pop_back();
  p.erase(std::unique(p.begin(), p.end()), p.end());
  if (p.size() >= 2 && p.front() == p.back()) p.pop_back();
  if (p.size() < 3 || area(p) <= 0.0) return out;
  BPoly bp;
  for (const Vec2& v : p) bp.outer().emplace_back(v.x, v.y);
  bp.outer().emplace_back(p.front().x, p.front().y);
  bg::correct(bp);
  out.push_back(std::move(bp));
  return out;
}

// A ring from Boost as an open vertex list in the requested orientation,
// without repeated or collinear vertices (they add edges and no shape).
template <class BRing>
Polygon clean_ring(const BRing& ring, bool want_ccw) {
  Polygon p;
  p.reserve(ring.size());
  for (const BPoint& q : ring) {
    const Vec2 v{q.x(), q.y()};
    if (p.empty() || distance(p.back(), v) > kEpsM) p.push_back(v);
  }
  while (p.size() >= 2 && distance(p.front(), p.back()) <= kEpsM) p.pop_back();
  bool changed = true;
  while (changed && p.size() >= 3) {
    changed = false;
    for (std::size_t i = 0; i < p.size() && p.size() >= 3; ++i) {
      const Vec2 a = p[(i + p.size() - 1) % p.size()];
      const Vec2 b = p[i];
      const Vec2 c = p[(i + 1) % p.size()];
      // b lies on the straight line a-c, between them.
      if (std::abs(cross(b - a, c - b)) <= kEpsM * distance(a, c) && dot(b - a, c - b) > 0.0) {
        p.erase(p.begin() + static_cast<std::ptrdiff_t>(i));
        changed = true;
      }
    }
  }
  if (p.size() < 3) return {};
  if ((signed_area(p) > 0.0) != want_ccw) std::reverse(p.begin(), p.end());
  return p;
}

// Signed "distance" of p from the line through a and b, times |b - a|; the
// callers compare it with kEpsM * |b - a| so no square root is needed.
inline double orient(Vec2 a, Vec2 b, Vec2 p) { return cross(b - a, p - a); }

}  // namespace

struct WalkableArea::Impl {
  double area_m2 = 0.0;
  std::vector<Polygon> rings;
  std::vector<Segment> edges;
  std::vector<Vec2> reflex;
  Vec2 lo{}, hi{};

  // Bucket grid over [origin, origin + (bnx, bny) * bucket_m].
  Vec2 origin{};
  double bucket_m = 1.0;
  int bnx = 1;
  int bny = 1;
  std::vector<std::uint32_t> cell_start;  // CSR offsets into cell_segs, bnx * bny + 1
  std::vector<Segment> cell_segs;         // copies, for cache locality in the hot loops
  std::vector<std::uint32_t> row_start;   // CSR offsets into row_segs, bny + 1
  std::vector<Segment> row_segs;          // edges overlapping each bucket row (ray casting)
  std::vector<Vec2> ref_point;            // per bucket: a point of known status
  std::vector<std::int8_t> ref_state;     // 1 inside, 0 outside, -1 no usable reference

  void build(const WalkableInput& input);
  void build_buckets();

  int col_of(double x) const {
    return std::clamp(static_cast<int>(std::floor((x - origin.x) / bucket_m)), 0, bnx - 1);
  }
  int row_of(double y) const {
    return std::clamp(static_cast<int>(std::floor((y - origin.y) / bucket_m)), 0, bny - 1);
  }
  bool in_box(Vec2 p) const {
    return p.x >= lo.x - kEpsM && p.x <= hi.x + kEpsM && p.y >= lo.y - kEpsM && p.y <= hi.y + kEpsM;
  }

  // Calls f(bucket) for every bucket within `pad` of segment a-b (a
  // conservative row-by-row DDA); stops early when f returns false.
  template <class F>
  bool for_each_bucket(Vec2 a, Vec2 b, double pad, F&& f) const;

  bool ray_cast_inside(Vec2 p) const;
  bool contains(Vec2 p) const;
  bool visible(Vec2 a, Vec2 b) const;
  double clearance(Vec2 p) const;
};

template <class F>
bool WalkableArea::Impl::for_each_bucket(Vec2 a, Vec2 b, double pad, F&& f) const {
  const int r0 = row_of(std::min(a.y, b.y) - pad);
  const int r1 = row_of(std::max(a.y, b.y) + pad);
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  for (int r = r0; r <= r1; ++r) {
    double xa = std::min(a.x, b.x);
    double xb = std::max(a.x, b.x);
    if (dy != 0.0) {
      // Part of the segment within the (padded) row band.
      const double y0 = origin.y + r * bucket_m - pad;
      const double y1 = origin.y + (r + 1) * bucket_m + pad;
      double t0 = (y0 - a.y) / dy;
      double t1 = (y1 - a.y) / dy;
      if (t0 > t1) std::swap(t0, t1);
      t0 = std::max(t0, 0.0);
      t1 = std::min(t1, 1.0);
      if (t0 > t1) {
        // Only possible for the clamped edge rows; take the whole segment.
        t0 = 0.0;
        t1 = 1.0;
      }
      xa = a.x + t0 * dx;
      xb = a.x + t1 * dx;
      if (xa > xb) std::swap(xa, xb);
    }
    const int c0 = col_of(xa - pad);
    const int c1 = col_of(xb + pad);
    for (int c = c0; c <= c1; ++c) {
      if (!f(r * bnx + c)) return false;
    }
  }
  return true;
}

void WalkableArea::Impl::build(const WalkableInput& input) {
  std::vector<BMulti> blockers;
  blockers.reserve(input.blocking.size());
  for (const Polygon& p : input.blocking) blockers.push_back(to_multi(p));
  BMulti blocked = unite_all(std::move(blockers));
  if (!input.openings.empty() && !blocked.empty()) {
    std::vector<BMulti> cuts;
    for (const Polygon& p : input.openings) cuts.push_back(to_multi(p));
    const BMulti opened = unite_all(std::move(cuts));
    if (!opened.empty()) {
      BMulti rest;
      bg::difference(blocked, opened, rest);
      blocked = std::move(rest);
    }
  }
  // Solid obstacles (counters, furniture) are not cut by door openings: only walls are.
  if (!input.solid.empty()) {
    std::vector<BMulti> all;
    all.push_back(std::move(blocked));
    for (const Polygon& p : input.solid) all.push_back(to_multi(p));
    blocked = unite_all(std::move(all));
  }
  BMulti walkable = to_multi(input.boundary);
  if (!blocked.empty() && !walkable.empty()) {
    BMulti rest;
    bg::difference(walkable, blocked, rest);
    walkable = std::move(rest);
  }

  area_m2 = 0.0;
  for (const BPoly& poly : walkable) {
    Polygon outer = clean_ring(poly.outer(), true);
    if (outer.empty()) continue;
    area_m2 += signed_area(outer);
    rings.push_back(std::move(outer));
    for (const auto& inner : poly.inners()) {
      Polygon hole = clean_ring(inner, false);
      if (hole.empty()) continue;
      area_m2 += signed_area(hole);  // negative: clockwise
      rings.push_back(std::move(hole));
    }
  }

  // Every ring has the walkable region on its left (outer rings run
  // counter-clockwise, holes clockwise), so a right turn is a reflex corner.
  for (const Polygon& ring : rings) {
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
      const Vec2 prev = ring[(i + n - 1) % n];
      const Vec2 cur = ring[i];
      const Vec2 next = ring[(i + 1) % n];
      edges.push_back({cur, next});
      const Vec2 u = cur - prev;
      const Vec2 w = next - cur;
      if (cross(u, w) < -1e-12 * norm(u) * norm(w)) reflex.push_back(cur);
    }
  }

  if (!edges.empty()) {
    lo = hi = edges.front().a;
    for (const Segment& e : edges) {
      lo = {std::min(lo.x, e.a.x), std::min(lo.y, e.a.y)};
      hi = {std::max(hi.x, e.a.x), std::max(hi.y, e.a.y)};
    }
  }
  build_buckets();
}

void WalkableArea::Impl::build_buckets() {
  // About 1 m buckets: an obstacle or two per bucket in a typical hall, and a
  // line of sight across a 60 m hall visits ~100 buckets. Capped at ~4M
  // buckets for very large sites.
  const double w = hi.x - lo.x;
  const double h = hi.y - lo.y;
  bucket_m = std::max(1.0, std::sqrt(std::max(w, 1.0) * std::max(h, 1.0) / 4e6));
  origin = {lo.x - 1e-3, lo.y - 1e-3};
  bnx = std::max(1, static_cast<int>(std::floor((hi.x + 1e-3 - origin.x) / bucket_m)) + 1);
  bny = std::max(1, static_cast<int>(std::floor((hi.y + 1e-3 - origin.y) / bucket_m)) + 1);
  const std::size_t nb = static_cast<std::size_t>(bnx) * static_cast<std::size_t>(bny);

  std::vector<std::uint32_t> count(nb + 1, 0);
  for (const Segment& e : edges) {
    for_each_bucket(e.a, e.b, kBucketPadM, [&](int k) {
      ++count[static_cast<std::size_t>(k)];
      return true;
    });
  }
  cell_start.assign(nb + 1, 0);
  for (std::size_t k = 0; k < nb; ++k) cell_start[k + 1] = cell_start[k] + count[k];
  cell_segs.resize(cell_start[nb]);
  std::vector<std::uint32_t> fill(cell_start.begin(), cell_start.end() - 1);
  for (const Segment& e : edges) {
    for_each_bucket(e.a, e.b, kBucketPadM, [&](int k) {
      cell_segs[fill[static_cast<std::size_t>(k)]++] = e;
      return true;
    });
  }

  std::vector<std::uint32_t> rcount(static_cast<std::size_t>(bny) + 1, 0);
  auto rows_of = [&](const Segment& e, auto&& g) {
    const int r0 = row_of(std::min(e.a.y, e.b.y) - kBucketPadM);
    const int r1 = row_of(std::max(e.a.y, e.b.y) + kBucketPadM);
    for (int r = r0; r <= r1; ++r) g(static_cast<std::size_t>(r));
  };
  for (const Segment& e : edges) rows_of(e, [&](std::size_t r) { ++rcount[r]; });
  row_start.assign(static_cast<std::size_t>(bny) + 1, 0);
  for (std::size_t r = 0; r < static_cast<std::size_t>(bny); ++r) row_start[r + 1] = row_start[r] + rcount[r];
  row_segs.resize(row_start.back());
  std::vector<std::uint32_t> rfill(row_start.begin(), row_start.end() - 1);
  for (const Segment& e : edges) rows_of(e, [&](std::size_t r) { row_segs[rfill[r]++] = e; });

  // A reference point of known status per bucket turns most point-location
  // queries into a parity count against the few edges of one bucket.
  ref_point.assign(nb, {});
  ref_state.assign(nb, -1);
  for (int r = 0; r < bny; ++r) {
    for (int c = 0; c < bnx; ++c) {
      const std::size_t k = static_cast<std::size_t>(r) * bnx + c;
      const Vec2 corner{origin.x + c * bucket_m, origin.y + r * bucket_m};
      static constexpr double kTry[][2] = {{0.5, 0.5},   {0.31, 0.43}, {0.67, 0.29}, {0.23, 0.71},
                                           {0.77, 0.61}, {0.41, 0.83}, {0.13, 0.17}, {0.89, 0.91},
                                           {0.57, 0.07}, {0.05, 0.53}};
      for (const auto& t : kTry) {
        const Vec2 q{corner.x + t[0] * bucket_m, corner.y + t[1] * bucket_m};
        bool clear = true;
        for (std::uint32_t i = cell_start[k]; i < cell_start[k + 1] && clear; ++i)
          clear = point_segment_distance(q, cell_segs[i]) > kRefClearM;
        if (!clear) continue;
        ref_point[k] = q;
        ref_state[k] = (in_box(q) && ray_cast_inside(q)) ? 1 : 0;
        break;
      }
    }
  }
}

// Even-odd parity of a ray from p towards +x, counting the edges of p's
// bucket row with the half-open rule. Exact for points not on an edge.
bool WalkableArea::Impl::ray_cast_inside(Vec2 p) const {
  const std::size_t r = static_cast<std::size_t>(row_of(p.y));
  bool inside = false;
  for (std::uint32_t i = row_start[r]; i < row_start[r + 1]; ++i) {
    const Segment& e = row_segs[i];
    if ((e.a.y > p.y) != (e.b.y > p.y)) {
      const double x = e.a.x + (p.y - e.a.y) * (e.b.x - e.a.x) / (e.b.y - e.a.y);
      if (x > p.x) inside = !inside;
    }
  }
  return inside;
}

bool WalkableArea::Impl::contains(Vec2 p) const {
  if (edges.empty() || !in_box(p)) return false;
  const std::size_t k = static_cast<std::size_t>(row_of(p.y)) * bnx + col_of(p.x);
  const std::uint32_t begin = cell_start[k];
  const std::uint32_t end = cell_start[k + 1];
  for (std::uint32_t i = begin; i < end; ++i)
    if (point_segment_distance(p, cell_segs[i]) <= kEpsM) return true;
  if (ref_state[k] < 0) return ray_cast_inside(p);
  if (begin == end) return ref_state[k] == 1;
  // Parity of crossings between p and the reference point; both lie in this
  // bucket, so only this bucket's edges can be crossed.
  const Vec2 q = ref_point[k];
  const double len = distance(p, q);
  bool flip = false;
  for (std::uint32_t i = begin; i < end; ++i) {
    const Segment& e = cell_segs[i];
    const double d1 = orient(p, q, e.a);
    const double d2 = orient(p, q, e.b);
    const double tol1 = kEpsM * len;
    if ((d1 > tol1 && d2 > tol1) || (d1 < -tol1 && d2 < -tol1)) continue;
    const double d3 = orient(e.a, e.b, p);
    const double d4 = orient(e.a, e.b, q);
    const double tol2 = kEpsM * e.length();
    if ((d3 > tol2 && d4 > tol2) || (d3 < -tol2 && d4 < -tol2)) continue;
    const bool split1 = (d1 > tol1 && d2 < -tol1) || (d1 < -tol1 && d2 > tol1);
    const bool split2 = (d3 > tol2 && d4 < -tol2) || (d3 < -tol2 && d4 > tol2);
    if (!split1 || !split2) return ray_cast_inside(p);  // passes through a vertex: ask the slow, exact way
    flip = !flip;
  }
  return (ref_state[k] == 1) != flip;
}

bool WalkableArea::Impl::visible(Vec2 a, Vec2 b) const {
  if (edges.empty() || !in_box(a) || !in_box(b)) return false;
  const double len = distance(a, b);
  if (len <= kEpsM) return contains(a);

  // Parameters along a-b where the segment touches the boundary without
  // crossing it (vertices on it, collinear overlaps). Between two of them the
  // segment is entirely inside or entirely outside; a midpoint test decides.
  thread_local std::vector<double> touches;
  touches.clear();
  touches.push_back(0.0);
  touches.push_back(1.0);
  const Vec2 d = b - a;
  const double inv_len2 = 1.0 / (len * len);
  const double tol_s = kEpsM * len;

  const bool clear = for_each_bucket(a, b, kBucketPadM, [&](int k) {
    const std::uint32_t end = cell_start[static_cast<std::size_t>(k) + 1];
    for (std::uint32_t i = cell_start[static_cast<std::size_t>(k)]; i < end; ++i) {
      const Segment& e = cell_segs[i];
      const double d1 = orient(a, b, e.a);
      const double d2 = orient(a, b, e.b);
      if ((d1 > tol_s && d2 > tol_s) || (d1 < -tol_s && d2 < -tol_s)) continue;
      const double elen = e.length();
      const double tol_e = kEpsM * elen;
      const double d3 = orient(e.a, e.b, a);
      const double d4 = orient(e.a, e.b, b);
      if ((d3 > tol_e && d4 > tol_e) || (d3 < -tol_e && d4 < -tol_e)) continue;
      const bool split1 = (d1 > tol_s && d2 < -tol_s) || (d1 < -tol_s && d2 > tol_s);
      const bool split2 = (d3 > tol_e && d4 < -tol_e) || (d3 < -tol_e && d4 > tol_e);
      if (split1 && split2) return false;  // proper crossing: blocked
      // A touch. If it is at an edge endpoint on a-b, remember where; a touch
      // at a or b is already an interval end.
      if (std::abs(d1) <= tol_s) touches.push_back(std::clamp(dot(e.a - a, d) * inv_len2, 0.0, 1.0));
      if (std::abs(d2) <= tol_s) touches.push_back(std::clamp(dot(e.b - a, d) * inv_len2, 0.0, 1.0));
    }
    return true;
  });
  if (!clear) return false;

  std::sort(touches.begin(), touches.end());
  for (std::size_t i = 0; i + 1 < touches.size(); ++i) {
    const double t0 = touches[i];
    const double t1 = touches[i + 1];
    if ((t1 - t0) * len <= kEpsM) continue;
    if (!contains(a + (0.5 * (t0 + t1)) * d)) return false;
  }
  return true;
}

double WalkableArea::Impl::clearance(Vec2 p) const {
  double best = std::numeric_limits<double>::infinity();
  if (edges.empty()) return best;
  const bool in_grid = p.x >= origin.x && p.y >= origin.y && p.x < origin.x + bnx * bucket_m &&
                       p.y < origin.y + bny * bucket_m;
  if (!in_grid) {
    for (const Segment& e : edges) best = std::min(best, point_segment_distance(p, e));
    return best;
  }
  const int ci = col_of(p.x);
  const int cj = row_of(p.y);
  auto scan = [&](int c, int r) {
    if (c < 0 || r < 0 || c >= bnx || r >= bny) return;
    const std::size_t k = static_cast<std::size_t>(r) * bnx + c;
    for (std::uint32_t i = cell_start[k]; i < cell_start[k + 1]; ++i)
      best = std::min(best, point_segment_distance(p, cell_segs[i]));
  };
  const int rmax = std::max(bnx, bny);
  for (int ring = 0; ring <= rmax; ++ring) {
    if (ring == 0) {
      scan(ci, cj);
    } else {
      for (int c = ci - ring; c <= ci + ring; ++c) {
        scan(c, cj - ring);
        scan(c, cj + ring);
      }
      for (int r = cj - ring + 1; r <= cj + ring - 1; ++r) {
        scan(ci - ring, r);
        scan(ci + ring, r);
      }
    }
    // Every bucket outside this ring is at least ring * bucket_m away.
    if (best <= ring * bucket_m) break;
  }
  return best;
}

WalkableArea::WalkableArea(const WalkableInput& input) : impl_(std::make_unique<Impl>()) {
  impl_->build(input);
}
WalkableArea::~WalkableArea() = default;
WalkableArea::WalkableArea(WalkableArea&&) noexcept = default;
WalkableArea& WalkableArea::operator=(WalkableArea&&) noexcept = default;

double WalkableArea::area() const { return impl_->area_m2; }
bool WalkableArea::contains(Vec2 p) const { return impl_->contains(p); }
const std::vector<Polygon>& WalkableArea::rings() const { return impl_->rings; }
const std::vector<Segment>& WalkableArea::edges() const { return impl_->edges; }
const std::vector<Vec2>& WalkableArea::reflex_vertices() const { return impl_->reflex; }
Vec2 WalkableArea::min_corner() const { return impl_->lo; }
Vec2 WalkableArea::max_corner() const { return impl_->hi; }
bool WalkableArea::visible(Vec2 a, Vec2 b) const { return impl_->visible(a, b); }
double WalkableArea::clearance(Vec2 p) const { return impl_->clearance(p); }

Vec2 WalkableArea::nearest_point(Vec2 p) const {
  if (contains(p)) return p;
  Vec2 best = p;
  double best_d = std::numeric_limits<double>::infinity();
  for (const Segment& e : edges()) {
    const Vec2 q = closest_point_on_segment(p, e);
    if (const double d = distance(p, q); d < best_d) best_d = d, best = q;
  }
  return best;
}

}  // namespace halltwin::geom
