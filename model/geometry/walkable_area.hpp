#pragma once
// The walkable area of one floor: its boundary minus walls and obstacles, with
// door openings cut out of the walls. Shared by the checker (travel distances,
// reachability, clear widths) and the engines (navigation, placement).
#include <memory>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

struct WalkableInput {
  Polygon boundary;                 // outer outline of the floor
  std::vector<Polygon> blocking;    // walls: door openings are cut out of them
  std::vector<Polygon> openings;    // cut out of `blocking` before subtraction (door openings)
  std::vector<Polygon> solid = {};  // counters, furniture, columns: never cut by openings
};

class WalkableArea {
 public:
  explicit WalkableArea(const WalkableInput& input);
  ~WalkableArea();
  WalkableArea(WalkableArea&&) noexcept;
  WalkableArea& operator=(WalkableArea&&) noexcept;

  // Total walkable area in m2.
  double area() const;
  // Point location: inside the walkable area (on its edge counts as inside).
  bool contains(Vec2 p) const;
  // Outer rings and holes of the walkable multipolygon, counter-clockwise
  // outer rings and clockwise holes, not closed (first vertex not repeated).
  const std::vector<Polygon>& rings() const;
  // All edges of all rings: the lines nobody walks through.
  const std::vector<Segment>& edges() const;
  // Vertices where the walkable region is locally non-convex (interior angle
  // > 180 degrees): the corners a shortest walking path can bend around.
  const std::vector<Vec2>& reflex_vertices() const;
  // Bounding box.
  Vec2 min_corner() const;
  Vec2 max_corner() const;

  // Whether the straight segment a-b stays inside the walkable area (it may
  // touch edges and pass through reflex vertices, but not cross into a wall).
  bool visible(Vec2 a, Vec2 b) const;
  // p itself when inside, else the nearest point of the area's edges: where a
  // wall-mounted facility or a point just off the floor is reached from.
  Vec2 nearest_point(Vec2 p) const;
  // Distance from p to the nearest edge (wall, obstacle or boundary), metres.
  double clearance(Vec2 p) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace halltwin::geom
