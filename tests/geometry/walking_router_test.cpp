// Point-to-point walking distances and routes against hand-computed shortest
// paths, against the distance fields, and between the single and batch queries.
#include "model/geometry/walking_router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "geometry_test_util.hpp"
#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::geom {
namespace {

using test::rect;

constexpr double kInf = WalkingRouter::kUnreachable;

// Uniform in [lo, hi) from the raw 64-bit Mersenne Twister output, whose
// sequence the standard fixes (std::uniform_real_distribution's is not), so
// the random halls and points are the same with every standard library.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : mt_(seed) {}
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(mt_() >> 11) * 0x1.0p-53;
  }

 private:
  std::mt19937_64 mt_;
};

double polyline_length(const std::vector<Vec2>& p) {
  double len = 0.0;
  for (std::size_t i = 1; i < p.size(); ++i) len += distance(p[i - 1], p[i]);
  return len;
}

// A 30 m x 20 m hall with 25 counters of random size, place and angle
// (overlapping ones merge), and a walled room [24, 29] x [14, 19] without a
// door: its inside is walkable but unreachable from the rest.
WalkableInput cluttered_hall_input() {
  Rng rng(20240611);
  std::vector<Polygon> blocking{rect(24, 14, 29, 14.2), rect(24, 18.8, 29, 19), rect(24, 14, 24.2, 19),
                                rect(28.8, 14, 29, 19)};
  while (blocking.size() < 4 + 25) {
    const Vec2 c{rng.uniform(2, 28), rng.uniform(2, 18)};
    if (c.x > 21 && c.y > 11) continue;  // keep clear of the closed room
    const double w = rng.uniform(0.4, 3.0);
    const double h = rng.uniform(0.4, 1.6);
    blocking.push_back(
        test::rotated(rect(c.x - w / 2, c.y - h / 2, c.x + w / 2, c.y + h / 2), rng.uniform(0, M_PI), c));
  }
  return {rect(0, 0, 30, 20), blocking, {}};
}

// n walkable points, uniformly spread over the hall (some in the closed room).
std::vector<Vec2> random_walkable_points(const WalkableArea& wa, std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<Vec2> out;
  while (out.size() < n) {
    const Vec2 p{rng.uniform(0, 30), rng.uniform(0, 20)};
    if (wa.contains(p)) out.push_back(p);
  }
  return out;
}

bool in_closed_room(Vec2 p) { return p.x > 24.2 && p.x < 28.8 && p.y > 14.2 && p.y < 18.8; }

TEST(GeometryTest, RouterStraightLineInFreeSpace) {
  const WalkableArea wa({rect(0, 0, 10, 6), {}, {}});
  const WalkingRouter router(wa);
  EXPECT_EQ(router.graph().size(), 0u);  // a rectangle has no reflex corner
  const Vec2 a{1, 1};
  const Vec2 b{9, 5};
  EXPECT_DOUBLE_EQ(router.distance(a, b), std::sqrt(80.0));  // 8.94427 m
  const std::vector<Vec2> p = router.path(a, b);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0], a);
  EXPECT_EQ(p[1], b);
  // Along the boundary (on an edge counts as inside) and to itself.
  EXPECT_DOUBLE_EQ(router.distance({0, 0}, {10, 0}), 10.0);
  EXPECT_EQ(router.distance(a, a), 0.0);
  ASSERT_EQ(router.path(a, a).size(), 1u);
  EXPECT_EQ(router.path(a, a)[0], a);
  const std::vector<double> m = router.distances({a, {5, 3}}, {b, a});
  ASSERT_EQ(m.size(), 4u);
  EXPECT_DOUBLE_EQ(m[0], std::sqrt(80.0));
  EXPECT_EQ(m[1], 0.0);
  EXPECT_DOUBLE_EQ(m[2], std::sqrt(20.0));
  EXPECT_DOUBLE_EQ(m[3], std::sqrt(20.0));
}

TEST(GeometryTest, RouterAroundSingleObstacle) {
  // Counter [4, 6] x [1, 7] in a 10 m x 8 m hall (as in DistanceAroundSingleObstacle).
  const WalkableArea wa({rect(0, 0, 10, 8), {rect(4, 1, 6, 7)}, {}});
  const WalkingRouter router(wa);
  // The graph: the counter's four corners, each offset 1e-6 m diagonally out
  // of it; each sees its two neighbours along the sides, all four legs bitangent.
  const VisibilityGraph& g = router.graph();
  ASSERT_EQ(g.size(), 4u);
  EXPECT_EQ(g.edge_count(), 4u);
  for (int u = 0; u < 4; ++u) {
    EXPECT_NEAR(distance(g.node(u).p, g.node(u).vertex), VisibilityGraph::kNodeOffsetM, 1e-12);
    ASSERT_EQ(g.edges(u).size(), 2u);
    for (const VisibilityGraph::Edge& e : g.edges(u)) {
      EXPECT_TRUE(e.bitangent());
      EXPECT_NEAR(e.length, distance(g.node(u).vertex, g.node(e.to).vertex), 3e-6);  // 2 m or 6 m
    }
  }

  // To the point (5, 7.5) just above the counter: one bend, at (4, 7).
  const Vec2 a{2, 4};
  EXPECT_NEAR(router.distance(a, {5, 7.5}), std::sqrt(13.0) + std::sqrt(1.25), 1e-5);  // 4.72359 m
  std::vector<Vec2> p = router.path(a, {5, 7.5});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1], (Vec2{4, 7}));
  // Across to (8, 5): over the top, (4, 7) and (6, 7), is 8.43398 m; below,
  // round (4, 1) and (6, 1), would be 10.0777 m.
  const double over = std::sqrt(13.0) + 2.0 + std::sqrt(8.0);
  EXPECT_NEAR(router.distance(a, {8, 5}), over, 1e-5);
  p = router.path(a, {8, 5});
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], a);
  EXPECT_EQ(p[1], (Vec2{4, 7}));
  EXPECT_EQ(p[2], (Vec2{6, 7}));
  EXPECT_EQ(p[3], (Vec2{8, 5}));
  EXPECT_NEAR(polyline_length(p), over, 1e-12);  // the bends are the corners themselves
  // A point that sees the target past the corner walks straight.
  EXPECT_DOUBLE_EQ(router.distance({1, 7.5}, {9, 7.5}), 8.0);
  // Points on the counter's edge or corner (a window position drawn on it)
  // are walkable: from the corner (4, 7) along the top to (6, 7), then 2.83 m.
  EXPECT_NEAR(router.distance({4, 7}, {8, 5}), 2.0 + std::sqrt(8.0), 1e-5);
  p = router.path({4, 7}, {8, 5});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[1], (Vec2{6, 7}));
  // From the middle of the bottom side to the middle of the top: 1 + 6 + 1
  // round either end.
  EXPECT_NEAR(router.distance({5, 1}, {5, 7}), 8.0, 1e-5);
  EXPECT_EQ(router.path({5, 1}, {5, 7}).size(), 4u);
}

TEST(GeometryTest, RouterThroughDoorOpening) {
  // Two rooms, 0.2 m wall at x = 5 with a door (5, 2)-(5, 3) cut into it
  // (as in DistanceThroughDoorOpening).
  const Polygon hall = rect(0, 0, 10, 5);
  const Polygon wall = rect(4.9, 0, 5.1, 5);
  const WalkableArea open({hall, {wall}, {segment_rectangle({{5, 2}, {5, 3}}, 0.1)}});
  const WalkingRouter router(open);
  EXPECT_EQ(router.graph().size(), 4u);  // the four jambs
  // Straight through the doorway.
  EXPECT_DOUBLE_EQ(router.distance({1, 2.5}, {9, 2.5}), 8.0);
  // From (3, 0.5) to (7, 0.5): round the lower jambs (4.9, 2) and (5.1, 2),
  // 2 x 2.42074 + 0.2 = 5.04148 m.
  const double via_door = 2.0 * std::hypot(1.9, 1.5) + 0.2;
  EXPECT_NEAR(router.distance({3, 0.5}, {7, 0.5}), via_door, 1e-5);
  const std::vector<Vec2> p = router.path({3, 0.5}, {7, 0.5});
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[1], (Vec2{4.9, 2}));
  EXPECT_EQ(p[2], (Vec2{5.1, 2}));
  // From the west room's top corner to high up in the east room: round the
  // upper jambs (4.9, 3) and (5.1, 3), 5.29245 + 0.2 + 5.00100 = 10.49345 m.
  EXPECT_NEAR(router.distance({0, 5}, {10, 4}), std::hypot(4.9, 2) + 0.2 + std::hypot(4.9, 1), 1e-5);

  // Without the opening the rooms are apart.
  const WalkableArea closed({hall, {wall}, {}});
  const WalkingRouter shut(closed);
  EXPECT_EQ(shut.distance({3, 0.5}, {7, 0.5}), kInf);
  EXPECT_TRUE(shut.path({3, 0.5}, {7, 0.5}).empty());
  EXPECT_DOUBLE_EQ(shut.distance({7, 0.5}, {9, 4.5}), std::hypot(2.0, 4.0));
}

TEST(GeometryTest, RouterClosedRoomIsUnreachable) {
  // A walled room [6, 9] x [6, 9] without a door inside a 10 m x 10 m hall
  // (as in ClosedRoomIsUnreachable).
  const std::vector<Polygon> walls{rect(6, 6, 9, 6.2), rect(6, 8.8, 9, 9), rect(6, 6, 6.2, 9),
                                   rect(8.8, 6, 9, 9)};
  const WalkableArea wa({rect(0, 0, 10, 10), walls, {}});
  const WalkingRouter router(wa);
  EXPECT_EQ(router.distance({1, 1}, {7.5, 7.5}), kInf);
  EXPECT_EQ(router.distance({7.5, 7.5}, {1, 1}), kInf);
  EXPECT_TRUE(router.path({1, 1}, {7.5, 7.5}).empty());
  const std::vector<double> m = router.distances({{1, 1}, {7.5, 7.5}}, {{7, 7}, {5, 5}});
  EXPECT_EQ(m[0], kInf);
  EXPECT_DOUBLE_EQ(m[1], std::sqrt(32.0));
  EXPECT_DOUBLE_EQ(m[2], std::sqrt(0.5));
  EXPECT_EQ(m[3], kInf);
  // Inside the room people still walk.
  EXPECT_DOUBLE_EQ(router.distance({6.5, 6.5}, {8.5, 8.5}), std::sqrt(8.0));
  // To the hall's corner behind the room: one bend, at (9, 6) or (6, 9)
  // (equally long): sqrt(89) + sqrt(12.5) = 12.9691 m.
  EXPECT_NEAR(router.distance({1, 1}, {9.5, 9.5}), std::sqrt(89.0) + std::sqrt(12.5), 1e-5);
  const std::vector<Vec2> p = router.path({1, 1}, {9.5, 9.5});
  ASSERT_EQ(p.size(), 3u);
  EXPECT_TRUE(p[1] == (Vec2{9, 6}) || p[1] == (Vec2{6, 9}));

  // Points that are not walkable are unreachable, not moved: inside a wall,
  // off the floor.
  const Vec2 in_wall{7, 6.15};
  EXPECT_FALSE(router.contains(in_wall));
  EXPECT_EQ(router.distance({5, 5}, in_wall), kInf);
  EXPECT_EQ(router.distance(in_wall, in_wall), kInf);
  EXPECT_TRUE(router.path({5, 5}, in_wall).empty());
  EXPECT_EQ(router.distance({-1, 5}, {1, 5}), kInf);
  // snap() moves them to the nearest walkable point: here the wall's inner
  // face (0.05 m away; the outer face is 0.15 m away), and the floor's edge.
  const Vec2 s = router.snap(in_wall);
  EXPECT_NEAR(s.x, 7.0, 1e-12);
  EXPECT_NEAR(s.y, 6.2, 1e-12);
  EXPECT_NEAR(router.distance({6.5, 6.5}, s), std::hypot(0.5, 0.3), 1e-12);
  EXPECT_EQ(router.distance({5, 5}, s), kInf);
  EXPECT_EQ(router.snap({-1, 5}), (Vec2{0, 5}));
  EXPECT_EQ(router.snap({3, 3}), (Vec2{3, 3}));
}

TEST(GeometryTest, RouterPathBendsAtReflexCornersAndLegsAreClear) {
  // Wall A [3, 4] x [3, 8] hangs from the top, wall B [7, 8] x [0, 5] stands
  // on the bottom: from (1, 7) to (11, 1) the path bends at (3, 3), (4, 3),
  // (7, 5), (8, 5): sqrt(20) + 1 + sqrt(13) + 1 + 5 = 15.0777 m.
  {
    const WalkableArea wa({rect(0, 0, 12, 8), {rect(3, 3, 4, 8), rect(7, 0, 8, 5)}, {}});
    const WalkingRouter router(wa);
    const double exact = std::sqrt(20.0) + 1.0 + std::sqrt(13.0) + 1.0 + 5.0;
    EXPECT_NEAR(router.distance({1, 7}, {11, 1}), exact, 1e-5);
    const std::vector<Vec2> expected{{1, 7}, {3, 3}, {4, 3}, {7, 5}, {8, 5}, {11, 1}};
    EXPECT_EQ(router.path({1, 7}, {11, 1}), expected);
    EXPECT_NEAR(polyline_length(expected), exact, 1e-12);
  }

  // Random pairs in a cluttered hall: every bend is a reflex vertex of the
  // area, every leg is clear, and the polyline is as long as the distance.
  const WalkableArea wa(cluttered_hall_input());
  const WalkingRouter router(wa);
  const std::vector<Vec2>& reflex = wa.reflex_vertices();
  const std::vector<Vec2> pts = random_walkable_points(wa, 400, 7);
  std::size_t reachable = 0, bent = 0, bends = 0, unreachable = 0;
  double max_len_err = 0.0;
  for (std::size_t k = 0; k + 1 < pts.size(); k += 2) {
    const Vec2 a = pts[k];
    const Vec2 b = pts[k + 1];
    const double d = router.distance(a, b);
    const std::vector<Vec2> p = router.path(a, b);
    if (!(d < kInf)) {
      ++unreachable;
      EXPECT_TRUE(p.empty());
      EXPECT_NE(in_closed_room(a), in_closed_room(b));
      continue;
    }
    ++reachable;
    ASSERT_GE(p.size(), 2u);
    EXPECT_EQ(p.front(), a);
    EXPECT_EQ(p.back(), b);
    for (std::size_t i = 1; i + 1 < p.size(); ++i)
      EXPECT_NE(std::find(reflex.begin(), reflex.end(), p[i]), reflex.end())
          << "bend " << i << " of pair " << k;
    for (std::size_t i = 1; i < p.size(); ++i)
      EXPECT_TRUE(wa.visible(p[i - 1], p[i])) << "leg " << i << " of pair " << k;
    max_len_err = std::max(max_len_err, std::abs(polyline_length(p) - d));
    bent += p.size() > 2;
    bends += p.size() - 2;
  }
  std::cout << "[ paths ] " << reachable << " reachable pairs, " << bent << " bent, " << bends
            << " bends, max |length - distance| " << max_len_err << " m, " << unreachable << " unreachable\n";
  EXPECT_EQ(reachable + unreachable, 200u);
  EXPECT_GE(unreachable, 1u);  // the closed room holds some of the points
  EXPECT_GE(bent, 60u);        // the clutter bends many of the paths
  EXPECT_LT(max_len_err, 1e-5);
}

TEST(GeometryTest, RouterIsSymmetric) {
  const WalkableArea wa(cluttered_hall_input());
  const WalkingRouter router(wa);
  const std::vector<Vec2> pts = random_walkable_points(wa, 300, 11);
  std::size_t finite = 0;
  for (std::size_t k = 0; k + 1 < pts.size(); k += 2) {
    const Vec2 a = pts[k];
    const Vec2 b = pts[k + 1];
    const double ab = router.distance(a, b);
    EXPECT_EQ(ab, router.distance(b, a));  // bit for bit
    std::vector<Vec2> back = router.path(b, a);
    std::reverse(back.begin(), back.end());
    EXPECT_EQ(router.path(a, b), back);
    finite += ab < kInf;
  }
  EXPECT_GE(finite, 140u);
}

TEST(GeometryTest, RouterAgreesWithDistanceField) {
  // DistanceField::at with a point target is the exact walking distance by
  // the same corners: the two must agree to rounding (relative 1e-6), and on
  // which pairs are unreachable.
  const WalkableArea wa(cluttered_hall_input());
  const WalkingRouter router(wa);
  const FloorGrid grid(wa, 0.25);  // at() does not depend on the grid
  const std::vector<Vec2> targets = random_walkable_points(wa, 12, 101);
  const std::vector<Vec2> sources = random_walkable_points(wa, 30, 202);
  std::size_t compared = 0, unreachable = 0, bent = 0;
  double max_rel = 0.0;
  for (const Vec2 t : targets) {
    const DistanceField field(wa, grid, {{t, t}});
    for (const Vec2 s : sources) {
      const double df = field.at(s);
      const double r = router.distance(s, t);
      ASSERT_EQ(std::isinf(df), std::isinf(r))
          << "from (" << s.x << ", " << s.y << ") to (" << t.x << ", " << t.y << ")";
      if (std::isinf(r)) {
        ++unreachable;
        continue;
      }
      ++compared;
      bent += !wa.visible(s, t);
      max_rel = std::max(max_rel, std::abs(df - r) / std::max(r, 1e-3));
    }
  }
  std::cout << "[ agreement ] " << compared << " pairs (" << bent << " around obstacles), max rel difference "
            << max_rel << ", " << unreachable << " unreachable\n";
  EXPECT_EQ(compared + unreachable, 360u);
  EXPECT_GE(compared, 300u);
  EXPECT_GE(bent, 100u);
  EXPECT_LT(max_rel, 1e-6);
}

TEST(GeometryTest, RouterBatchMatrixEqualsSingleQueries) {
  const WalkableArea wa(cluttered_hall_input());
  const WalkingRouter router(wa);
  std::vector<Vec2> from = random_walkable_points(wa, 40, 303);
  std::vector<Vec2> to = random_walkable_points(wa, 15, 404);
  from.push_back({-1, -1});      // off the floor: a row of infinities
  to.push_back({26.5, 14.1});    // inside the closed room's wall: a column of infinities
  from.push_back({26.5, 16.5});  // in the closed room
  const std::vector<double> m = router.distances(from, to);
  ASSERT_EQ(m.size(), from.size() * to.size());
  std::size_t finite = 0, infinite = 0;
  double max_rel = 0.0;
  for (std::size_t i = 0; i < from.size(); ++i) {
    for (std::size_t j = 0; j < to.size(); ++j) {
      const double single = router.distance(from[i], to[j]);
      const double batch = m[i * to.size() + j];
      ASSERT_EQ(std::isinf(single), std::isinf(batch)) << i << ", " << j;
      if (std::isinf(single)) {
        ++infinite;
        continue;
      }
      ++finite;
      max_rel = std::max(max_rel, std::abs(single - batch) / std::max(single, 1e-3));
    }
  }
  std::cout << "[ batch ] " << finite << " finite, " << infinite << " unreachable, max rel difference "
            << max_rel << "\n";
  EXPECT_EQ(finite + infinite, 42u * 16u);
  EXPECT_GE(infinite, 42u + 15u);  // the bad row and column, and the closed room's row
  EXPECT_GE(finite, 500u);
  EXPECT_LT(max_rel, 1e-12);
  EXPECT_TRUE(router.distances({}, to).empty());
  EXPECT_TRUE(router.distances(from, {}).empty());
}

TEST(GeometryTest, RouterSharesGraphWithDistanceField) {
  // One graph per floor serves the router and every field: the fields built
  // on it are bit for bit those that build their own.
  const WalkableArea wa(cluttered_hall_input());
  const auto graph = std::make_shared<const VisibilityGraph>(wa);
  const WalkingRouter router(graph);
  EXPECT_EQ(&router.graph(), graph.get());
  const FloorGrid grid(wa, 0.2);
  const std::vector<Segment> doors{{{0, 8}, {0, 10}}, {{22, 20}, {24, 20}}};
  const DistanceField own(wa, grid, doors);
  const DistanceField shared(*graph, grid, doors);
  std::size_t reachable = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    ASSERT_EQ(own.at_cell(k), shared.at_cell(k)) << k;
    ASSERT_EQ(own.nearest_target(k), shared.nearest_target(k)) << k;
    reachable += own.at_cell(k) < kInf;
  }
  EXPECT_GT(reachable, 12000u);  // of 15,000 cells: minus counters and the closed room
  // A point target's field on the shared graph against the router.
  const Vec2 t{1, 9};
  ASSERT_TRUE(wa.contains(t));
  const DistanceField to_t(*graph, grid, {{t, t}});
  std::size_t longer = 0;
  for (const Vec2 s : random_walkable_points(wa, 20, 606)) {
    const double d = router.distance(s, t);
    if (in_closed_room(s)) {
      EXPECT_EQ(d, kInf);
      EXPECT_EQ(to_t.at(s), kInf);
      continue;
    }
    EXPECT_GE(d, distance(s, t));
    longer += d > distance(s, t);
    EXPECT_NEAR(to_t.at(s), d, 1e-6 * d);
  }
  EXPECT_GE(longer, 5u);  // several of them walk round counters
}

TEST(GeometryTest, RouterConcurrentQueriesMatchSerial) {
  // Replications query one router from several threads.
  const WalkableArea wa(cluttered_hall_input());
  const WalkingRouter router(wa);
  const std::vector<Vec2> pts = random_walkable_points(wa, 200, 505);
  std::vector<double> serial;
  for (std::size_t k = 0; k + 1 < pts.size(); k += 2) serial.push_back(router.distance(pts[k], pts[k + 1]));
  const std::vector<double> batch_serial = router.distances(pts, {pts[0], pts[1], pts[2]});
  constexpr int kThreads = 4;
  std::vector<std::vector<double>> got(kThreads);
  std::vector<std::vector<double>> got_batch(kThreads);
  std::vector<std::size_t> got_path_points(kThreads, 0);
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t k = 0; k + 1 < pts.size(); k += 2) {
          got[static_cast<std::size_t>(t)].push_back(router.distance(pts[k], pts[k + 1]));
          got_path_points[static_cast<std::size_t>(t)] += router.path(pts[k], pts[k + 1]).size();
        }
        got_batch[static_cast<std::size_t>(t)] = router.distances(pts, {pts[0], pts[1], pts[2]});
      });
    }
    for (std::thread& th : threads) th.join();
  }
  std::size_t path_points = 0;
  for (std::size_t k = 0; k + 1 < pts.size(); k += 2) path_points += router.path(pts[k], pts[k + 1]).size();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(got[static_cast<std::size_t>(t)], serial);
    EXPECT_EQ(got_batch[static_cast<std::size_t>(t)], batch_serial);
    EXPECT_EQ(got_path_points[static_cast<std::size_t>(t)], path_points);
  }
  const auto finite = std::count_if(serial.begin(), serial.end(), [](double d) { return d < kInf; });
  EXPECT_EQ(serial.size(), 100u);
  EXPECT_GE(finite, 80);
  EXPECT_GT(path_points, 2u * static_cast<std::size_t>(finite));  // some paths bend
}

}  // namespace
}  // namespace halltwin::geom
