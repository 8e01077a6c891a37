#include "model/geometry/thin_parts.hpp"

#include <iterator>
#include <limits>
#include <utility>
#include <vector>

#include "model/geometry/boost_adapter.hpp"
#include "model/geometry/polygon_ops.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry/index/rtree.hpp>
#pragma GCC diagnostic pop

namespace halltwin::geom {

namespace {
using namespace detail;
namespace bgi = boost::geometry::index;
using BBox = bg::model::box<BPoint>;
}  // namespace

std::optional<ThinPart> thin_part(const Polygon& ring, double min_width_m) {
  const std::size_t n = ring.size();
  if (n < 3) return std::nullopt;
  // A drawn 1.000 mm is 0.99999999999 mm after subtracting two coordinates of
  // a few metres: a relative slack keeps exactly min_width_m on the right side.
  const double limit = min_width_m * (1.0 - 1e-6);
  std::vector<std::pair<BBox, std::size_t>> boxes;
  boxes.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Vec2 a = ring[i], b = ring[(i + 1) % n];
    boxes.emplace_back(BBox(BPoint(std::min(a.x, b.x), std::min(a.y, b.y)),
                            BPoint(std::max(a.x, b.x), std::max(a.y, b.y))),
                       i);
  }
  const bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>> index(boxes.begin(), boxes.end());
  std::vector<std::pair<BBox, std::size_t>> near;
  for (std::size_t v = 0; v < n; ++v) {
    const Vec2 p = ring[v];
    near.clear();
    index.query(bgi::intersects(BBox(BPoint(p.x - min_width_m, p.y - min_width_m),
                                     BPoint(p.x + min_width_m, p.y + min_width_m))),
                std::back_inserter(near));
    // The edges v-1..v and v..v+1 contain the vertex: they do not count.
    const std::size_t before = (v + n - 1) % n;
    double best = std::numeric_limits<double>::infinity();
    std::size_t best_edge = n;
    for (const auto& [box, e] : near) {
      if (e == v || e == before) continue;
      const Segment s{ring[e], ring[(e + 1) % n]};
      const double d = point_segment_distance(p, s);
      if (d < best || (d == best && e < best_edge)) {
        best = d;
        best_edge = e;
      }
    }
    if (best_edge == n || !(best < limit)) continue;
    ThinPart t;
    t.at = p;
    t.nearest = closest_point_on_segment(p, {ring[best_edge], ring[(best_edge + 1) % n]});
    t.width_m = best;
    // Which side of the outline the narrow place is on: the point halfway
    // between the two stretches lies inside a sliver, outside a closing gap.
    t.inside = contains(ring, 0.5 * (t.at + t.nearest));
    return t;
  }
  return std::nullopt;
}

}  // namespace halltwin::geom
