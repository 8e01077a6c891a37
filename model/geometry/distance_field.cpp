// Exact walking distances on a grid (see the header for the method).
//
// Why the anchors: a shortest path in a polygonal domain is a polyline that
// bends only at reflex corners. For a cell x whose path last bends at corner
// v (or goes straight to a target), the value is g(v) + |x - v|, exact up to
// rounding. The set of points sharing the anchor v is star-shaped from v, so
// handing anchors from cell to neighbour in Dijkstra order (closest to the
// anchor first) and confirming each hand-over with a line-of-sight test
// reaches all of it. Two places need help: thin wedges right behind a corner
// (fewer cells wide than the neighbour step), which are seeded along the
// corner's shadow ray, and any cell the hand-over still misses, which gets the
// exact per-point query at the end.
#include "model/geometry/distance_field.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::geom {

namespace {

// Targets are sampled this often (metres) when a corner does not see the
// nearest point of a door directly.
constexpr double kTargetSampleM = 0.1;
constexpr int kMaxTargetSamples = 2000;

Vec2 unit(Vec2 v) {
  const double n = norm(v);
  return n > 0.0 ? (1.0 / n) * v : Vec2{};
}

// Exact walking distance from p: the best of the targets and nodes that p
// sees directly (a shortest path goes straight to a target or to its last
// bend).
double exact_query(const WalkableArea& area, const std::vector<Segment>& targets,
                   const std::vector<Vec2>& corners, const std::vector<double>& corner_dist,
                   const std::vector<int>& corner_target, Vec2 p, int* target) {
  if (target != nullptr) *target = -1;
  if (!area.contains(p)) return DistanceField::kUnreachable;
  // Every candidate's value is its exact length if its anchor is visible, so
  // the first visible one in increasing order is the answer.
  struct Cand {
    double value;
    Vec2 point;
    int target;
  };
  std::vector<Cand> cand;
  cand.reserve(corners.size() + 3 * targets.size());
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const Segment& s = targets[t];
    for (const Vec2 q : {closest_point_on_segment(p, s), s.a, s.b})
      cand.push_back({distance(p, q), q, static_cast<int>(t)});
  }
  for (std::size_t v = 0; v < corners.size(); ++v)
    if (corner_dist[v] < DistanceField::kUnreachable)
      cand.push_back({corner_dist[v] + distance(p, corners[v]), corners[v], corner_target[v]});
  std::sort(cand.begin(), cand.end(), [](const Cand& a, const Cand& b) { return a.value < b.value; });
  for (const Cand& c : cand) {
    if (area.visible(p, c.point)) {
      if (target != nullptr) *target = c.target;
      return c.value;
    }
  }
  return DistanceField::kUnreachable;
}

}  // namespace

DistanceField::DistanceField(const WalkableArea& area, const FloorGrid& grid,
                             const std::vector<Segment>& targets)
    : area_(&area), grid_(&grid), targets_(targets) {
  dist_.assign(grid.size(), kUnreachable);
  target_.assign(grid.size(), -1);
  if (grid.size() == 0 || targets_.empty()) return;
  const VisibilityGraph graph(area);
  build(graph);
}

DistanceField::DistanceField(const VisibilityGraph& graph, const FloorGrid& grid,
                             const std::vector<Segment>& targets)
    : area_(&graph.area()), grid_(&grid), targets_(targets) {
  dist_.assign(grid.size(), kUnreachable);
  target_.assign(grid.size(), -1);
  if (grid.size() == 0 || targets_.empty()) return;
  build(graph);
}

void DistanceField::build(const VisibilityGraph& graph) {
  const WalkableArea& area = *area_;
  const FloorGrid& grid = *grid_;
  const std::size_t cells = grid.size();
  const int nt = static_cast<int>(targets_.size());
  // Nodes: the reflex corners, nudged into the walkable area (visibility_graph.hpp).
  const std::vector<VisibilityGraph::Node>& nodes = graph.nodes();
  const int nn = static_cast<int>(nodes.size());

  // ---- Exact node distances: Dijkstra on the visibility graph. -------------
  std::vector<double> g(static_cast<std::size_t>(nn), kUnreachable);
  std::vector<int> node_target(static_cast<std::size_t>(nn), -1);
  std::vector<Vec2> from(static_cast<std::size_t>(nn));       // where the path goes after leaving the node
  std::vector<int> parent(static_cast<std::size_t>(nn), -1);  // next anchor: node, or -(target + 1)
  for (int u = 0; u < nn; ++u) {
    const Vec2 p = nodes[static_cast<std::size_t>(u)].p;
    for (int t = 0; t < nt; ++t) {
      const Segment& s = targets_[static_cast<std::size_t>(t)];
      const Vec2 y = closest_point_on_segment(p, s);
      const double dy = distance(p, y);
      if (dy >= g[static_cast<std::size_t>(u)]) continue;
      if (area.visible(p, y)) {
        g[static_cast<std::size_t>(u)] = dy;
        node_target[static_cast<std::size_t>(u)] = t;
        from[static_cast<std::size_t>(u)] = y;
        parent[static_cast<std::size_t>(u)] = -t - 1;
        continue;
      }
      // The nearest point is hidden. A partly visible door is reached around a
      // corner (covered by the graph below), but sampling it as well keeps a
      // door seen through a gap from depending on that alone.
      const int samples =
          std::clamp(static_cast<int>(std::ceil(s.length() / kTargetSampleM)), 1, kMaxTargetSamples);
      std::vector<std::pair<double, Vec2>> cand;
      cand.reserve(static_cast<std::size_t>(samples) + 1);
      for (int k = 0; k <= samples; ++k) {
        const Vec2 q = s.a + (static_cast<double>(k) / samples) * (s.b - s.a);
        cand.emplace_back(distance(p, q), q);
      }
      std::sort(cand.begin(), cand.end(), [](const auto& x, const auto& z) { return x.first < z.first; });
      for (const auto& [dq, q] : cand) {
        if (dq >= g[static_cast<std::size_t>(u)]) break;
        if (area.visible(p, q)) {
          g[static_cast<std::size_t>(u)] = dq;
          node_target[static_cast<std::size_t>(u)] = t;
          from[static_cast<std::size_t>(u)] = q;
          parent[static_cast<std::size_t>(u)] = -t - 1;
          break;
        }
      }
    }
  }
  {
    using Item = std::pair<double, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
    for (int u = 0; u < nn; ++u)
      if (g[static_cast<std::size_t>(u)] < kUnreachable) pq.emplace(g[static_cast<std::size_t>(u)], u);
    std::vector<std::uint8_t> done(static_cast<std::size_t>(nn), 0);
    while (!pq.empty()) {
      const auto [gu, u] = pq.top();
      pq.pop();
      if (done[static_cast<std::size_t>(u)] || gu > g[static_cast<std::size_t>(u)]) continue;
      done[static_cast<std::size_t>(u)] = 1;
      const Vec2 pu = nodes[static_cast<std::size_t>(u)].p;
      // A path from v can continue through u when v sees u and the leg v-u
      // is tangent at u (the graph's bend_here); v itself may be the start.
      for (const VisibilityGraph::Edge& e : graph.edges(u)) {
        const int v = e.to;
        if (done[static_cast<std::size_t>(v)] || !e.bend_here) continue;
        const double cand = gu + e.length;
        if (cand >= g[static_cast<std::size_t>(v)]) continue;
        g[static_cast<std::size_t>(v)] = cand;
        node_target[static_cast<std::size_t>(v)] = node_target[static_cast<std::size_t>(u)];
        from[static_cast<std::size_t>(v)] = pu;
        parent[static_cast<std::size_t>(v)] = u;
        pq.emplace(cand, v);
      }
    }
  }
  corners_.reserve(nodes.size());
  for (const VisibilityGraph::Node& n : nodes) corners_.push_back(n.p);
  corner_dist_ = g;
  corner_target_ = node_target;

  // ---- Grid: anchor hand-over in Dijkstra order. ---------------------------
  // anchor >= 0: node index; anchor < 0: target -(anchor + 1).
  std::vector<int> anchor(cells, 0);
  using Item = std::pair<double, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
  const double h = grid.cell_m();
  const int nx = grid.nx();
  const int ny = grid.ny();

  // Offers anchor a to cell k; accepted when it improves the cell and the
  // cell sees it. The bound is checked first: most offers repeat the anchor
  // the cell already has and cost no sight line.
  auto offer = [&](std::size_t k, int a) {
    const Vec2 c = grid.center(k);
    Vec2 pt;
    double val;
    if (a >= 0) {
      pt = corners_[static_cast<std::size_t>(a)];
      val = corner_dist_[static_cast<std::size_t>(a)] + distance(c, pt);
    } else {
      pt = closest_point_on_segment(c, targets_[static_cast<std::size_t>(-a - 1)]);
      val = distance(c, pt);
    }
    if (!(val < dist_[k])) return;
    if (!area.visible(c, pt)) return;
    dist_[k] = val;
    anchor[k] = a;
    pq.emplace(val, static_cast<std::uint32_t>(k));
  };
  // Offers anchor a (and first a2, unless it is kNoAnchor) to every walkable
  // cell whose centre is within r metres of p.
  constexpr int kNoAnchor = std::numeric_limits<int>::min();
  auto offer_around = [&](Vec2 p, double r, int a, int a2) {
    const int i0 = std::max(0, static_cast<int>(std::floor((p.x - r - grid.origin().x) / h)));
    const int i1 = std::min(nx - 1, static_cast<int>(std::floor((p.x + r - grid.origin().x) / h)));
    const int j0 = std::max(0, static_cast<int>(std::floor((p.y - r - grid.origin().y) / h)));
    const int j1 = std::min(ny - 1, static_cast<int>(std::floor((p.y + r - grid.origin().y) / h)));
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i) {
        const std::size_t k = grid.index(i, j);
        if (!grid.walkable(k)) continue;
        if (a2 != kNoAnchor) offer(k, a2);
        offer(k, a);
      }
  };

  // Seeds 1: cells within two cells of each target (this also reaches a
  // door lying on the boundary, or in a wall opening narrower than a cell).
  for (int t = 0; t < nt; ++t) {
    const Segment& s = targets_[static_cast<std::size_t>(t)];
    const double r = 2.0 * h;
    const int steps = std::max(1, static_cast<int>(std::ceil(s.length() / h)));
    for (int q = 0; q <= steps; ++q)
      offer_around(s.a + (static_cast<double>(q) / steps) * (s.b - s.a), r, -t - 1, kNoAnchor);
  }
  // Seeds 2: cells within two cells of each reached node. Its parent anchor
  // (the path's next bend or target) is offered first: a cell right at the
  // corner that already sees past it is better served by that, and a cell in
  // a pocket between obstacles has no neighbour to hand it over.
  for (int v = 0; v < nn; ++v)
    if (g[static_cast<std::size_t>(v)] < kUnreachable)
      offer_around(corners_[static_cast<std::size_t>(v)], 2.0 * h, v, parent[static_cast<std::size_t>(v)]);

  // Seeds 3: the shadow ray of each node (the continuation of the path's
  // last leg past the corner). Right behind a corner that the path barely
  // bends around, the region using that corner is a wedge thinner than a
  // cell; its cells have no neighbour with the right anchor, so they are
  // offered it directly along the ray until the wedge is ~4 cells wide.
  {
    std::vector<int> stamp(cells, -1);
    for (int v = 0; v < nn; ++v) {
      if (!(g[static_cast<std::size_t>(v)] < kUnreachable)) continue;
      const VisibilityGraph::Node& node = nodes[static_cast<std::size_t>(v)];
      const Vec2 d = unit(node.p - from[static_cast<std::size_t>(v)]);
      if (norm(d) == 0.0) continue;
      // The obstacle, hence the shadow, is on the side the two edges point to.
      const Vec2 e1 = unit(node.prev - node.vertex);
      const Vec2 e2 = unit(node.next - node.vertex);
      const double side_raw = cross(d, e1 + e2);
      const int side = side_raw > 1e-12 ? 1 : (side_raw < -1e-12 ? -1 : 0);
      // How far the wedge stays thin. It opens at the angle between the ray
      // and the node's edge on the shadow side; an edge running along the ray
      // (angle ~0, the path having followed it) defers the opening to the
      // edge's far end, so such rays are followed until they leave the area.
      // Independently, while the ray runs within four cells of an edge, a
      // nearby obstacle may be pinching the wedge.
      double sin_open = 1.0;
      for (const Vec2 e : {e1, e2}) {
        const double c = cross(d, e);
        if (dot(d, e) > 0.0 && (side == 0 || c * side > -1e-9)) sin_open = std::min(sin_open, std::abs(c));
      }
      const double angle_reach = 4.0 * h / std::max(sin_open, 1e-3);
      const double max_len = norm(area.max_corner() - area.min_corner());
      const double step = 0.5 * h;
      Vec2 last = node.p;
      for (double s = step; s <= max_len; s += step) {
        const Vec2 q = node.p + s * d;
        if (!area.visible(last, q)) break;  // the ray left the walkable area
        if (s > angle_reach && area.clearance(q) > 4.0 * h) break;
        last = q;
        const std::size_t kq = grid.cell_of(q);
        const int iq = static_cast<int>(kq % static_cast<std::size_t>(nx));
        const int jq = static_cast<int>(kq / static_cast<std::size_t>(nx));
        for (int j = std::max(0, jq - 1); j <= std::min(ny - 1, jq + 1); ++j)
          for (int i = std::max(0, iq - 1); i <= std::min(nx - 1, iq + 1); ++i) {
            const std::size_t k = grid.index(i, j);
            if (!grid.walkable(k) || stamp[k] == v) continue;
            stamp[k] = v;
            const double sd = cross(d, grid.center(k) - node.p);
            if (side != 0 && sd * side < -0.25 * h) continue;  // the lit side needs no help
            offer(k, v);
          }
      }
    }
  }

  // Main sweep.
  std::vector<std::uint8_t> done(cells, 0);
  while (!pq.empty()) {
    const auto [val, k32] = pq.top();
    pq.pop();
    const std::size_t k = k32;
    if (done[k] || val > dist_[k]) continue;
    done[k] = 1;
    const int i = static_cast<int>(k % static_cast<std::size_t>(nx));
    const int j = static_cast<int>(k / static_cast<std::size_t>(nx));
    const int a = anchor[k];
    for (int dj = -1; dj <= 1; ++dj) {
      const int nj = j + dj;
      if (nj < 0 || nj >= ny) continue;
      for (int di = -1; di <= 1; ++di) {
        const int ni = i + di;
        if ((di == 0 && dj == 0) || ni < 0 || ni >= nx) continue;
        const std::size_t kn = grid.index(ni, nj);
        if (!done[kn] && grid.walkable(kn)) offer(kn, a);
      }
    }
  }

  // Cells the hand-over missed although their grid component was reached:
  // ask the exact query. Components with no reached cell at all are closed
  // off (no door), so they are skipped rather than queried cell by cell.
  {
    std::vector<std::uint8_t> all(cells, 1);
    int ncomp = 0;
    const std::vector<int> comp = label_components(grid, all, &ncomp);
    // 0: not yet known, 1: reached, 2: closed off.
    std::vector<std::uint8_t> comp_state(static_cast<std::size_t>(ncomp), 0);
    for (std::size_t k = 0; k < cells; ++k)
      if (comp[k] >= 0 && dist_[k] < kUnreachable) comp_state[static_cast<std::size_t>(comp[k])] = 1;
    for (std::size_t k = 0; k < cells; ++k) {
      if (comp[k] < 0 || dist_[k] < kUnreachable) continue;
      std::uint8_t& state = comp_state[static_cast<std::size_t>(comp[k])];
      if (state == 2) continue;
      int best_target = -1;
      const double d =
          exact_query(area, targets_, corners_, corner_dist_, corner_target_, grid.center(k), &best_target);
      // A component none of whose cells was reached is closed off, unless its
      // first cell says otherwise (a pocket joined to the rest through a gap
      // narrower than a cell).
      if (state == 0) state = d < kUnreachable ? 1 : 2;
      dist_[k] = d;
      target_[k] = best_target;
    }
  }

  for (std::size_t k = 0; k < cells; ++k) {
    if (!(dist_[k] < kUnreachable) || target_[k] >= 0) continue;
    const int a = anchor[k];
    target_[k] = a >= 0 ? corner_target_[static_cast<std::size_t>(a)] : -a - 1;
  }
}

double DistanceField::at(Vec2 p) const {
  return exact_query(*area_, targets_, corners_, corner_dist_, corner_target_, p, nullptr);
}

std::size_t DistanceField::argmax() const {
  std::size_t best = npos;
  double best_val = -1.0;
  for (std::size_t k = 0; k < dist_.size(); ++k) {
    if (dist_[k] < kUnreachable && dist_[k] > best_val) {
      best_val = dist_[k];
      best = k;
    }
  }
  return best;
}

}  // namespace halltwin::geom
