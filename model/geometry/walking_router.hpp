#pragma once
// Point-to-point walking distances and routes on one floor: from a citizen's
// seat to the window that calls them (operations simulator), from an agent to
// an exit (evacuation). Exact Euclidean shortest paths around walls and
// obstacles, in metres, on the floor's reflex-corner visibility graph
// (visibility_graph.hpp): the same method and the same corner positions as
// DistanceField::at, so the two agree to rounding.
//
// Points outside the walkable area (inside a wall, a counter, or off the
// floor) are not moved silently: every query treats them as unreachable
// (infinity, empty path). Callers with positions drawn slightly into an
// obstacle call snap() first, as the checker does for extinguishers; callers
// that must reject such input (an agent placed inside a wall) test contains().
// Points on an edge count as inside.
//
// Thread safety: after construction the router is only read. Every const
// method keeps its working state on the caller's stack (and the area's
// per-thread sight-line buffer), so replications may query one router from
// several threads at once.
#include <limits>
#include <memory>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

class WalkableArea;
class VisibilityGraph;

class WalkingRouter {
 public:
  static constexpr double kUnreachable = std::numeric_limits<double>::infinity();

  // Builds the area's visibility graph; the area must outlive the router.
  explicit WalkingRouter(const WalkableArea& area);
  // Shares a graph already built for the floor (e.g. with the distance
  // fields); its area must outlive the router.
  explicit WalkingRouter(std::shared_ptr<const VisibilityGraph> graph);
  ~WalkingRouter();
  WalkingRouter(WalkingRouter&&) noexcept;
  WalkingRouter& operator=(WalkingRouter&&) noexcept;

  const VisibilityGraph& graph() const { return *graph_; }
  const WalkableArea& area() const;

  // Whether p is in the walkable area (on its edge counts).
  bool contains(Vec2 p) const;
  // p itself when walkable, else the nearest point of the walkable area's
  // boundary (which counts as walkable). Linear in the number of edges.
  Vec2 snap(Vec2 p) const;

  // Shortest walking distance from a to b in metres: |a - b| when b is in
  // sight, else the length of the shortest polyline bending at reflex
  // corners. kUnreachable when either point is not walkable or no path joins
  // them (a closed room). Exactly symmetric: distance(a, b) == distance(b, a).
  // Bends go round corners offset VisibilityGraph::kNodeOffsetM (1e-6 m) into
  // the free space, so a path with k bends may be up to ~k microns longer
  // than the ideal one.
  double distance(Vec2 a, Vec2 b) const;

  // The shortest route as a polyline: a, the corners it bends at (the reflex
  // vertices themselves, not their offset nodes), b. Consecutive points see
  // each other; its length equals distance(a, b) to ~1e-6 m per bend. {a, b}
  // when b is in sight (just {a} when a == b); empty when unreachable.
  // path(b, a) is path(a, b) reversed.
  std::vector<Vec2> path(Vec2 a, Vec2 b) const;

  // The row-major matrix distances(from, to)[i * to.size() + j] ==
  // distance(from[i], to[j]) (to rounding, ~1e-15 relative: the batch sums a
  // path's legs from the `to` end). Costs one Dijkstra over the graph per
  // `to` point, then per pair one sight line; a pair not in sight takes the
  // best corner from[i] sees, tracing sight lines from from[i] to corners
  // only as needed and each at most once per row. Memory: to.size() x
  // corners doubles. Meant for seat x window tables built at load time
  // (province F1, 216 x 43: ~6 ms; see tests/benchmarks/check_bench.cpp).
  std::vector<double> distances(const std::vector<Vec2>& from, const std::vector<Vec2>& to) const;

 private:
  // A search from a to b; fills `bends` (node indices, a's end first) when
  // not null. Requires a <= b in the canonical order (see the .cpp).
  double search(Vec2 a, Vec2 b, std::vector<int>* bends) const;

  std::shared_ptr<const VisibilityGraph> graph_;
  // The graph's bitangent edges (both ends can bend) in CSR form: the only
  // node-to-node legs a shortest path uses, packed for the Dijkstra loops.
  std::vector<std::size_t> leg_start_;
  std::vector<int> leg_to_;
  std::vector<double> leg_len_;
};

}  // namespace halltwin::geom
