#pragma once
// Walking legs between the places of a citizen's journey (entrance, ticket
// machine, seat, standing spot, window), on every floor and across stairs:
// the exact shortest paths of the geometry services (WalkingRouter), so the
// distances the simulator walks are the ones the checker measures. Built once
// per hall; the simulator only looks up tables.
#include <memory>
#include <string>
#include <vector>

#include "model/geometry/vec2.hpp"
#include "model/hall.hpp"

namespace halltwin::geom {
class WalkableArea;
class WalkingRouter;
}  // namespace halltwin::geom

namespace halltwin::ops {

struct FloorPoint {
  FloorId floor;
  Vec2 p;  // metres
};

// A walk split by what it crosses: level floor and stairs (walked at
// different speeds).
struct Leg {
  float level_m = 0.0f;
  float stair_m = 0.0f;
};

class HallRoutes {
 public:
  explicit HallRoutes(const Hall& hall);
  ~HallRoutes();
  HallRoutes(const HallRoutes&) = delete;
  HallRoutes& operator=(const HallRoutes&) = delete;

  // Row-major table legs[i * to.size() + j] from from[i] to to[j]. Pairs with
  // no walkable path (a closed room) get the straight-line distance and are
  // counted in unreachable_pairs(), so a result never hides them.
  std::vector<Leg> table(const std::vector<FloorPoint>& from, const std::vector<FloorPoint>& to);
  Leg leg(FloorPoint a, FloorPoint b);

  // The walkable point nearest p (p itself when walkable).
  FloorPoint snap(FloorPoint p) const;
  // The route as points on the floors it crosses (for positions of walkers
  // in a snapshot): same floor: the shortest polyline; across floors: the
  // polyline to the stair on the first floor, then from it on the last.
  std::vector<FloorPoint> path(FloorPoint a, FloorPoint b) const;

  std::size_t unreachable_pairs() const { return unreachable_; }

 private:
  struct Portal {  // one end of a stair
    FloorPoint at;
    std::uint32_t stair;
  };
  void link_portals(const Hall& hall);

  std::vector<std::unique_ptr<geom::WalkableArea>> areas_;
  std::vector<std::unique_ptr<geom::WalkingRouter>> routers_;
  std::vector<Portal> portals_;
  // Shortest portal-to-portal legs over the stair network (Floyd-Warshall),
  // ranked by walking time at reference speeds.
  std::vector<Leg> portal_legs_;
  std::vector<char> portal_linked_;
  double ref_level_mps_ = 1.2, ref_stair_mps_ = 0.6;
  std::size_t unreachable_ = 0;
};

}  // namespace halltwin::ops
