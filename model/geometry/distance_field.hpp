#pragma once
// Walking-distance field: the shortest walking distance, around walls and
// obstacles, from the centre of every walkable cell of a FloorGrid to the
// nearest of a set of targets (exit doors, extinguishers, exit signs).
//
// Method (see docs/architecture.md): exact Euclidean shortest paths. The
// reflex corners of the walkable area form a visibility graph
// (visibility_graph.hpp); Dijkstra on it gives each corner its exact
// distance to the targets. Grid cells then take
// the best "anchor" (a target or a corner) that they see directly, propagated
// from their neighbours in Dijkstra order and confirmed by an exact
// line-of-sight test. Values at cell centres are exact shortest-path lengths
// (up to anchor choice at shadow boundaries), unlike grid Dijkstra, which
// overestimates diagonals by up to 8%.
#include <limits>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

class WalkableArea;
class FloorGrid;
class VisibilityGraph;

class DistanceField {
 public:
  static constexpr double kUnreachable = std::numeric_limits<double>::infinity();
  // Returned by argmax() when no cell is reachable.
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // targets: segments (doors) or points (degenerate segments, a == b).
  // The area and the grid must outlive the field (at() and grid() read them).
  // This constructor builds the area's visibility graph for this field alone.
  DistanceField(const WalkableArea& area, const FloorGrid& grid, const std::vector<Segment>& targets);
  // The same field on a visibility graph built once for the floor, for
  // callers that compute several fields (exits, extinguishers, signs) on one
  // area: the graph's area must be the one the grid was made from. The graph
  // is only read during construction; the values are identical either way.
  DistanceField(const VisibilityGraph& graph, const FloorGrid& grid, const std::vector<Segment>& targets);

  const FloorGrid& grid() const { return *grid_; }
  // Distance at cell k in metres; kUnreachable for cells that cannot reach any
  // target and for non-walkable cells.
  double at_cell(std::size_t k) const { return dist_[k]; }
  // Index of the target nearest (by walking) to cell k, or -1.
  int nearest_target(std::size_t k) const { return target_[k]; }
  // Exact walking distance from an arbitrary walkable point p.
  double at(Vec2 p) const;
  // The walkable, reachable cell with the largest distance, or npos when none.
  std::size_t argmax() const;
  const std::vector<double>& values() const { return dist_; }

 private:
  void build(const VisibilityGraph& graph);

  const WalkableArea* area_;
  const FloorGrid* grid_;
  std::vector<Segment> targets_;
  std::vector<Vec2> corners_;        // reflex vertices
  std::vector<double> corner_dist_;  // exact distance of each corner to the targets
  std::vector<int> corner_target_;   // which target each corner leads to
  std::vector<double> dist_;         // per cell
  std::vector<int> target_;          // per cell
};

}  // namespace halltwin::geom
