// Vertex clean-up (see the header). Two linear passes.
#include "model/geometry/vertex_cleanup.hpp"

#include <vector>

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::geom {

Polygon merge_close_and_collinear(const Polygon& ring, double tol_m) {
  if (ring.size() < 4) return ring;

  // Pass 1: near-duplicates, each against the last vertex kept (so a cluster
  // of clicks collapses to its first point), then the closing pair.
  Polygon q;
  q.reserve(ring.size());
  for (const Vec2& v : ring)
    if (q.empty() || distance(v, q.back()) > tol_m) q.push_back(v);
  while (q.size() > 1 && distance(q.back(), q.front()) <= tol_m) q.pop_back();
  if (q.size() < 3) return ring;

  // Pass 2: drop vertex i when it, and every vertex dropped since the last
  // kept one, lies within tol_m of the segment from that kept vertex to
  // vertex i + 1. Checking the whole run (not only vertex i) is what keeps a
  // gentle curve from being flattened step by step into a chord far from it.
  const std::size_t m = q.size();
  Polygon out;
  out.reserve(m);
  out.push_back(q[0]);
  std::vector<std::size_t> run;  // indices dropped since out.back()
  for (std::size_t i = 1; i < m; ++i) {
    const Segment chord{out.back(), q[(i + 1) % m]};
    bool drop = run.size() < kMaxMergedRun && point_segment_distance(q[i], chord) <= tol_m;
    for (std::size_t k = 0; drop && k < run.size(); ++k)
      drop = point_segment_distance(q[run[k]], chord) <= tol_m;
    if (drop) {
      run.push_back(i);
    } else {
      out.push_back(q[i]);
      run.clear();
    }
  }
  if (out.size() < 3) return q;
  return out;
}

}  // namespace halltwin::geom
