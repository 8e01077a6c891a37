#pragma once
// The visibility graph of a walkable area's reflex corners: the network that
// every exact shortest walking path runs on. A shortest path around polygonal
// obstacles is a polyline that bends only at reflex corners, and at each bend
// both of its legs are tangent to the obstacle there (the line through the
// corner does not cut into it). So the graph holds one node per reflex corner
// and, between two nodes that see each other, an edge with its length and, for
// each end, whether a path can bend there when it comes along that edge.
//
// Built once per floor from a WalkableArea (which must outlive it) and then
// only read: const methods are safe to call from several threads at once. The
// walking-distance fields (distance_field.hpp) and the point-to-point router
// (walking_router.hpp) both run on it.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

class WalkableArea;

class VisibilityGraph {
 public:
  // Corners are moved this far (metres) off the vertex into the walkable area
  // along the bisector: sight lines to a node then end in free space instead
  // of exactly on two edges, which removes every tie in the visibility test.
  // It changes distances by at most this much per bend. (If the walkable area
  // does not contain that point, 10, 100 times further are tried, up to 1e-4 m;
  // a corner with none inside gets no node.)
  static constexpr double kNodeOffsetM = 1e-6;

  // The most reflex corners one graph is built for. Building tests every pair
  // of corners for sight, so time grows about as corners^2.6 (the hostile
  // trial: 8,000 corners took 154 s and 777 MB; walls lined with small
  // notches that all see each other, the worst case measured: 2,000 corners
  // 27 s). A larger floor is refused with a clear message rather than left to
  // run for minutes (issue 17); at this many corners `halltwin check` answers
  // within about a minute even in that worst case (docs/benchmarks.md,
  // "Sizes that hang").
  static constexpr std::size_t kMaxCorners = 2500;

  struct Node {
    Vec2 p;       // offset position, used for distances and sight lines
    Vec2 vertex;  // the corner itself
    Vec2 prev;    // its neighbours along the ring, for the tangency test
    Vec2 next;
  };

  // An edge as seen from one of its ends ("here"); the other end is `to`.
  struct Edge {
    int to;           // the node at the other end
    double length;    // metres between the two nodes' offset positions
    bool bend_here;   // a path coming from `to` can bend around this node: `to` sees
                      // this node and the line is tangent here
    bool bend_there;  // a path coming from this node can bend around `to`
    // Both: the edge can be a leg between two bends of a shortest path.
    bool bitangent() const { return bend_here && bend_there; }
  };

  // Throws InputError (bad input, exit 2) when the area has more than
  // kMaxCorners corners; callers that know the floor check
  // too_many_corners() first to name it (HallGeometry does).
  explicit VisibilityGraph(const WalkableArea& area);

  // The refusal's message for a floor of `corners` reflex corners, or an
  // empty string when the graph may be built.
  static std::string too_many_corners(std::size_t corners);

  const WalkableArea& area() const { return *area_; }
  std::size_t size() const { return nodes_.size(); }
  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(int u) const { return nodes_[static_cast<std::size_t>(u)]; }

  // The edges at node u, ordered by the other node's index. Only pairs that
  // see each other and can bend at one end at least are stored (a leg tangent
  // at neither end is on no shortest path).
  std::span<const Edge> edges(int u) const {
    const auto b = edge_start_[static_cast<std::size_t>(u)];
    const auto e = edge_start_[static_cast<std::size_t>(u) + 1];
    return {edges_.data() + b, e - b};
  }
  std::size_t edge_count() const { return edges_.size() / 2; }

  // Whether a straight leg from `from` can bend around node u: the line
  // from-u must not cut into the obstacle at u, i.e. both ring neighbours of
  // u lie on one side of it (or on it). Visibility is not tested here.
  bool tangent(int u, Vec2 from) const;

 private:
  const WalkableArea* area_;
  std::vector<Node> nodes_;
  std::vector<std::size_t> edge_start_;  // CSR offsets into edges_, size() + 1
  std::vector<Edge> edges_;              // each pair twice, once from each end
};

}  // namespace halltwin::geom
