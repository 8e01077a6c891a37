// The reflex-corner visibility graph (see the header for what it holds).
#include "model/geometry/visibility_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model/geometry/walkable_area.hpp"
#include "model/input_error.hpp"

namespace halltwin::geom {

namespace {

Vec2 unit(Vec2 v) {
  const double n = norm(v);
  return n > 0.0 ? (1.0 / n) * v : Vec2{};
}

}  // namespace

VisibilityGraph::VisibilityGraph(const WalkableArea& area) : area_(&area) {
  // ---- Nodes: the reflex corners, nudged into the walkable area. ----------
  // Same criterion as WalkableArea::reflex_vertices(), recomputed here because
  // the tangency test needs each corner's ring neighbours.
  for (const Polygon& ring : area.rings()) {
    const std::size_t n = ring.size();
    for (std::size_t i = 0; i < n; ++i) {
      const Vec2 prev = ring[(i + n - 1) % n];
      const Vec2 cur = ring[i];
      const Vec2 next = ring[(i + 1) % n];
      const Vec2 u = cur - prev;
      const Vec2 w = next - cur;
      if (!(cross(u, w) < -1e-12 * norm(u) * norm(w))) continue;
      // The walkable side of each edge is its left; the sum of the two left
      // normals points into the middle of the (> 180 degree) free wedge.
      const Vec2 nu = unit(Vec2{-u.y, u.x});
      const Vec2 nw = unit(Vec2{-w.y, w.x});
      Vec2 bis = unit(nu + nw);
      if (norm(bis) == 0.0) bis = unit(-1.0 * (u + w));  // a zero-width spike: step off its tip
      for (double off = kNodeOffsetM; off <= 1e-4; off *= 10.0) {
        const Vec2 p = cur + off * bis;
        if (area.contains(p)) {
          nodes_.push_back({p, cur, prev, next});
          break;
        }
      }
    }
  }

  if (const std::string why = too_many_corners(nodes_.size()); !why.empty())
    // The floor is unknown here; HallGeometry refuses earlier, naming it.
    throw InputError(InputProblem{"floor plan", 0, 0, "", "a floor's walkable area has " + why});

  // ---- Edges: every pair that sees each other and can bend at one end. ----
  // The tangency tests are cheap and go first: in a hall of rectangular
  // counters they rule out a quarter of the pairs (tangent at neither end)
  // and spare one of the two sight lines for half of the rest. Each
  // direction's sight line is traced from the end a path comes from
  // (visible(from, bend)), the way the distance-field Dijkstra asked it
  // before the graph was extracted, so that a near-degenerate grazing line
  // gets the same answer as then and the fields stay bit for bit the same.
  const int n = static_cast<int>(nodes_.size());
  std::vector<std::vector<Edge>> adj(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const Vec2 pi = nodes_[static_cast<std::size_t>(i)].p;
    for (int j = i + 1; j < n; ++j) {
      const Vec2 pj = nodes_[static_cast<std::size_t>(j)].p;
      const bool bend_i = tangent(i, pj) && area.visible(pj, pi);  // coming from j, bending at i
      const bool bend_j = tangent(j, pi) && area.visible(pi, pj);  // coming from i, bending at j
      if (!bend_i && !bend_j) continue;
      const double len = distance(pj, pi);  // the same bits whichever way round
      adj[static_cast<std::size_t>(i)].push_back({j, len, bend_i, bend_j});
      adj[static_cast<std::size_t>(j)].push_back({i, len, bend_j, bend_i});
    }
  }
  // Entries arrive in increasing order of the other node: from the rows of
  // smaller nodes first, then from the node's own row.
  edge_start_.assign(static_cast<std::size_t>(n) + 1, 0);
  for (int u = 0; u < n; ++u)
    edge_start_[static_cast<std::size_t>(u) + 1] =
        edge_start_[static_cast<std::size_t>(u)] + adj[static_cast<std::size_t>(u)].size();
  edges_.reserve(edge_start_.back());
  for (const auto& list : adj) edges_.insert(edges_.end(), list.begin(), list.end());
}

std::string VisibilityGraph::too_many_corners(std::size_t corners) {
  if (corners <= kMaxCorners) return {};
  return fmt::format(
      "{} reflex corners (the corners of walls, obstacles and the outline that paths bend around); "
      "halltwin computes walking distances on a graph of these corners and serves at most {} per floor "
      "(more would take minutes and gigabytes); simplify the plan: draw a row of pillars or a curved "
      "outline with fewer vertices, or merge small obstacles",
      corners, kMaxCorners);
}

bool VisibilityGraph::tangent(int u, Vec2 from) const {
  const Node& nu = node(u);
  const Vec2 d = nu.vertex - from;
  const double tol = 1e-12 * norm(d);
  const double s1 = cross(d, nu.prev - nu.vertex) / std::max(norm(nu.prev - nu.vertex), 1e-300);
  const double s2 = cross(d, nu.next - nu.vertex) / std::max(norm(nu.next - nu.vertex), 1e-300);
  return !((s1 > tol && s2 < -tol) || (s1 < -tol && s2 > tol));
}

}  // namespace halltwin::geom
