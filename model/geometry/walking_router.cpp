// Point-to-point shortest walking paths (see the header).
//
// Why it is exact: a shortest path between two points of a polygonal domain
// is a straight segment if they see each other, else a polyline whose bends
// are reflex corners, with both legs at each bend tangent to the obstacle
// there. So it is a path a -> v1 -> ... -> vk -> b in the visibility graph
// where a sees v1 (tangent at v1), each vi-vi+1 is a bitangent edge, and vk
// sees b (tangent at vk). Searching that graph finds it.
//
// Single queries run A* from a with the straight-line distance to b as the
// heuristic (never more than the remaining walk, so the first complete path
// taken off the queue is the shortest). The legs that touch a or b are not
// known in advance; instead of tracing a sight line from a and b to every
// corner up front, they enter the queue unverified, with the length they
// would have, and their sight line is traced only when they come off it.
// Most are never reached: a query near its target traces a handful.
//
// The batch runs one plain Dijkstra per `to` point (every corner's distance
// to it), then reads each `from` point's answer off the corners it sees.
#include "model/geometry/walking_router.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <queue>
#include <utility>

#include "model/geometry/visibility_graph.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::geom {

namespace {

// The canonical order of a query's two ends. Every query is answered from
// its smaller end, so distance(a, b) and distance(b, a) run the same
// arithmetic and return the same bits, and path(b, a) is path(a, b) reversed.
bool before(Vec2 a, Vec2 b) { return a.x < b.x || (a.x == b.x && a.y < b.y); }

// Whether a and b see each other, asked the same way round whichever end the
// caller starts from (the sight-line test is exact only up to its 1e-9 m
// tolerance, so a grazing line could otherwise depend on the order).
bool in_sight(const WalkableArea& area, Vec2 a, Vec2 b) {
  return before(b, a) ? area.visible(b, a) : area.visible(a, b);
}

}  // namespace

WalkingRouter::WalkingRouter(const WalkableArea& area)
    : WalkingRouter(std::make_shared<const VisibilityGraph>(area)) {}

WalkingRouter::WalkingRouter(std::shared_ptr<const VisibilityGraph> graph) : graph_(std::move(graph)) {
  const int n = static_cast<int>(graph_->size());
  leg_start_.assign(static_cast<std::size_t>(n) + 1, 0);
  for (int u = 0; u < n; ++u) {
    for (const VisibilityGraph::Edge& e : graph_->edges(u)) {
      if (!e.bitangent()) continue;
      leg_to_.push_back(e.to);
      leg_len_.push_back(e.length);
    }
    leg_start_[static_cast<std::size_t>(u) + 1] = leg_to_.size();
  }
}

WalkingRouter::~WalkingRouter() = default;
WalkingRouter::WalkingRouter(WalkingRouter&&) noexcept = default;
WalkingRouter& WalkingRouter::operator=(WalkingRouter&&) noexcept = default;

const WalkableArea& WalkingRouter::area() const { return graph_->area(); }

bool WalkingRouter::contains(Vec2 p) const { return area().contains(p); }

Vec2 WalkingRouter::snap(Vec2 p) const { return area().nearest_point(p); }

double WalkingRouter::distance(Vec2 a, Vec2 b) const {
  if (before(b, a)) std::swap(a, b);
  return search(a, b, nullptr);
}

std::vector<Vec2> WalkingRouter::path(Vec2 a, Vec2 b) const {
  const bool swapped = before(b, a);
  if (swapped) std::swap(a, b);
  std::vector<int> bends;
  const double d = search(a, b, &bends);
  std::vector<Vec2> out;
  if (!(d < kUnreachable)) return out;
  // A point standing on a corner it bends at, or two nodes on one vertex
  // (obstacles touching at a corner), would repeat a point: skip repeats.
  out.push_back(a);
  for (const int v : bends)
    if (!(graph_->node(v).vertex == out.back())) out.push_back(graph_->node(v).vertex);
  if (!(b == out.back())) out.push_back(b);
  if (swapped) std::reverse(out.begin(), out.end());
  return out;
}

double WalkingRouter::search(Vec2 a, Vec2 b, std::vector<int>* bends) const {
  if (bends != nullptr) bends->clear();
  const WalkableArea& wa = area();
  if (!wa.contains(a) || !wa.contains(b)) return kUnreachable;
  if (in_sight(wa, a, b)) return halltwin::distance(a, b);

  const VisibilityGraph& g = *graph_;
  const int n = static_cast<int>(g.size());
  // What a queue entry stands for. kSeed: the leg a -> node, not yet known
  // to be clear. kNode: the node reached at cost `g` over verified legs.
  // kGoal: the leg node -> b, not yet known to be clear.
  enum Kind : std::uint8_t { kNode, kSeed, kGoal };
  struct Item {
    double f;  // g + |node - b|: a lower bound on any walk through this entry
    double g;  // walking distance from a to the node
    int node;
    Kind kind;
    bool operator>(const Item& o) const {
      if (f != o.f) return f > o.f;
      if (kind != o.kind) return kind > o.kind;
      return node > o.node;
    }
  };
  std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
  std::vector<double> best(static_cast<std::size_t>(n), kUnreachable);
  std::vector<int> parent(static_cast<std::size_t>(n), -1);  // previous bend, -1 for a
  auto h = [&](int v) { return halltwin::distance(g.node(v).p, b); };

  for (int v = 0; v < n; ++v) {
    if (!g.tangent(v, a)) continue;  // a path from a cannot bend there
    const double gv = halltwin::distance(a, g.node(v).p);
    pq.push({gv + h(v), gv, v, kSeed});
  }
  // Node v has just been reached at cost best[v]: offer its legs onwards and
  // the last leg to b.
  auto expand = [&](int v) {
    const double gv = best[static_cast<std::size_t>(v)];
    if (g.tangent(v, b)) pq.push({gv + h(v), gv, v, kGoal});
    for (std::size_t k = leg_start_[static_cast<std::size_t>(v)];
         k < leg_start_[static_cast<std::size_t>(v) + 1]; ++k) {
      const int w = leg_to_[k];
      const double cand = gv + leg_len_[k];
      if (!(cand < best[static_cast<std::size_t>(w)])) continue;
      best[static_cast<std::size_t>(w)] = cand;
      parent[static_cast<std::size_t>(w)] = v;
      pq.push({cand + h(w), cand, w, kNode});
    }
  };

  while (!pq.empty()) {
    const Item it = pq.top();
    pq.pop();
    const std::size_t v = static_cast<std::size_t>(it.node);
    switch (it.kind) {
      case kSeed:
        if (!(it.g < best[v]) || !wa.visible(a, g.node(it.node).p)) break;
        best[v] = it.g;
        parent[v] = -1;
        expand(it.node);
        break;
      case kNode:
        if (it.g > best[v]) break;  // superseded by a shorter way to the node
        expand(it.node);
        break;
      case kGoal:
        if (it.g > best[v] || !wa.visible(b, g.node(it.node).p)) break;
        if (bends != nullptr) {
          for (int u = it.node; u >= 0; u = parent[static_cast<std::size_t>(u)]) bends->push_back(u);
          std::reverse(bends->begin(), bends->end());
        }
        return it.f;
    }
  }
  return kUnreachable;
}

std::vector<double> WalkingRouter::distances(const std::vector<Vec2>& from,
                                             const std::vector<Vec2>& to) const {
  const std::size_t nf = from.size();
  const std::size_t nt = to.size();
  std::vector<double> out(nf * nt, kUnreachable);
  if (nf == 0 || nt == 0) return out;
  const WalkableArea& wa = area();
  const VisibilityGraph& g = *graph_;
  const std::size_t n = g.size();

  // Phase 1, per `to` point t: every corner's walking distance to t, by
  // Dijkstra over the bitangent legs from the corners t sees (tangent there).
  // Kept for all of them: nt x corners doubles.
  std::vector<std::uint8_t> to_ok(nt, 0);
  std::vector<double> to_dist(nt * n, kUnreachable);
  using QItem = std::pair<double, int>;
  std::priority_queue<QItem, std::vector<QItem>, std::greater<>> pq;
  for (std::size_t j = 0; j < nt; ++j) {
    const Vec2 t = to[j];
    if (!wa.contains(t)) continue;
    to_ok[j] = 1;
    double* dist = to_dist.data() + j * n;
    for (int v = 0; v < static_cast<int>(n); ++v) {
      if (!g.tangent(v, t) || !wa.visible(t, g.node(v).p)) continue;
      dist[v] = halltwin::distance(t, g.node(v).p);
      pq.emplace(dist[v], v);
    }
    while (!pq.empty()) {
      const auto [du, u] = pq.top();
      pq.pop();
      if (du > dist[u]) continue;
      for (std::size_t k = leg_start_[static_cast<std::size_t>(u)];
           k < leg_start_[static_cast<std::size_t>(u) + 1]; ++k) {
        const int w = leg_to_[k];
        const double cand = du + leg_len_[k];
        if (cand < dist[w]) {
          dist[w] = cand;
          pq.emplace(cand, w);
        }
      }
    }
  }

  // Phase 2, per `from` point f, one row. A pair in sight is |f - t|. Else
  // the walk leaves f straight for a corner v it sees (tangent at v), so the
  // answer is the least |f - v| + dist_t(v) over those corners. Rather than
  // trace a sight line from f to every corner up front, candidates are taken
  // in increasing order of that sum and traced only until one is clear; the
  // answers are remembered for the rest of the row. Most rows need only a few
  // corners (most seats see most windows).
  enum Sight : std::uint8_t { kUnknown, kClear, kBlocked };
  std::vector<double> leg(n);          // |f - v|, or infinity where f cannot bend at v
  std::vector<std::uint8_t> sight(n);  // whether f sees v, once traced
  for (std::size_t i = 0; i < nf; ++i) {
    const Vec2 f = from[i];
    if (!wa.contains(f)) continue;
    bool prepared = false;
    for (std::size_t j = 0; j < nt; ++j) {
      if (!to_ok[j]) continue;
      if (in_sight(wa, f, to[j])) {
        out[i * nt + j] = halltwin::distance(f, to[j]);
        continue;
      }
      if (!prepared) {
        for (std::size_t v = 0; v < n; ++v) {
          const Vec2 pv = g.node(static_cast<int>(v)).p;
          leg[v] = g.tangent(static_cast<int>(v), f) ? halltwin::distance(f, pv) : kUnreachable;
          sight[v] = kUnknown;
        }
        prepared = true;
      }
      const double* dist = to_dist.data() + j * n;
      for (;;) {
        std::size_t best_v = n;
        double best = kUnreachable;
        for (std::size_t v = 0; v < n; ++v) {
          const double c = leg[v] + dist[v];
          if (c < best && sight[v] != kBlocked) {
            best = c;
            best_v = v;
          }
        }
        if (best_v == n) break;  // no corner leads to t: unreachable
        if (sight[best_v] == kUnknown)
          sight[best_v] = wa.visible(f, g.node(static_cast<int>(best_v)).p) ? kClear : kBlocked;
        if (sight[best_v] == kClear) {
          out[i * nt + j] = best;
          break;
        }
      }
    }
  }
  return out;
}

}  // namespace halltwin::geom
