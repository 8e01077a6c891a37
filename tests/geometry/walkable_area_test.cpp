// WalkableArea: Boolean construction, rings, reflex corners, point location,
// line of sight and clearance, against hand-computed values.
#include "model/geometry/walkable_area.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <random>

#include "geometry_test_util.hpp"
#include "model/geometry/polygon_ops.hpp"

namespace halltwin::geom {
namespace {

using test::rect;

bool has_vertex(const std::vector<Vec2>& vs, Vec2 p) {
  return std::any_of(vs.begin(), vs.end(), [p](Vec2 v) { return distance(v, p) < 1e-9; });
}

TEST(GeometryTest, WalkableAreaSubtractsObstacle) {
  // 10 m x 8 m hall minus a 2 m x 1 m counter: 80 - 2 = 78 m2.
  const WalkableArea wa({rect(0, 0, 10, 8), {rect(4, 3, 6, 4)}, {}});
  EXPECT_NEAR(wa.area(), 78.0, 1e-9);
  ASSERT_EQ(wa.rings().size(), 2u);
  EXPECT_NEAR(signed_area(wa.rings()[0]), 80.0, 1e-9);  // outer ring counter-clockwise
  EXPECT_NEAR(signed_area(wa.rings()[1]), -2.0, 1e-9);  // hole clockwise
  EXPECT_EQ(wa.edges().size(), 8u);
  // The hole's four corners are the only reflex corners of the walkable area.
  const auto& rv = wa.reflex_vertices();
  ASSERT_EQ(rv.size(), 4u);
  for (Vec2 p : {Vec2{4, 3}, Vec2{6, 3}, Vec2{6, 4}, Vec2{4, 4}}) EXPECT_TRUE(has_vertex(rv, p));
  EXPECT_DOUBLE_EQ(wa.min_corner().x, 0.0);
  EXPECT_DOUBLE_EQ(wa.max_corner().y, 8.0);
}

TEST(GeometryTest, WalkableAreaLShapeReflexCorner) {
  // Inward corner of the outer boundary at (1, 1); a wall piece sticking out
  // of the boundary is clipped to it.
  const Polygon l{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {0, 3}};
  const WalkableArea wa({l, {rect(3, -1, 3.5, 0.5)}, {}});
  EXPECT_NEAR(wa.area(), 6.0 - 0.25, 1e-9);
  ASSERT_EQ(wa.rings().size(), 1u);
  const auto& rv = wa.reflex_vertices();
  EXPECT_EQ(rv.size(), 3u);  // (1, 1) and the two top corners of the notch
  EXPECT_TRUE(has_vertex(rv, {1, 1}));
  EXPECT_TRUE(has_vertex(rv, {3, 0.5}));
  EXPECT_TRUE(has_vertex(rv, {3.5, 0.5}));
}

TEST(GeometryTest, ContainsPointsOfWalkableArea) {
  const WalkableArea wa({rect(0, 0, 10, 8), {rect(4, 3, 6, 4)}, {}});
  EXPECT_TRUE(wa.contains({1, 1}));
  EXPECT_TRUE(wa.contains({5, 2.9}));
  EXPECT_FALSE(wa.contains({5, 3.5}));   // inside the counter
  EXPECT_TRUE(wa.contains({4, 3.5}));    // on the counter's edge
  EXPECT_TRUE(wa.contains({0, 5}));      // on the outer boundary
  EXPECT_TRUE(wa.contains({6, 4}));      // a corner
  EXPECT_FALSE(wa.contains({10.5, 5}));  // outside
  EXPECT_FALSE(wa.contains({-1e-6, 5}));
  // Along y = 3.5, 20 points at x = 0.25, 0.75, ..., 9.75: the counter [4, 6]
  // takes 4 of them.
  int inside = 0;
  for (int i = 0; i < 20; ++i) inside += wa.contains({0.25 + 0.5 * i, 3.5});
  EXPECT_EQ(inside, 16);
}

TEST(GeometryTest, VisibilityAroundObstacle) {
  const WalkableArea wa({rect(0, 0, 10, 8), {rect(4, 3, 6, 5)}, {}});
  EXPECT_TRUE(wa.visible({1, 1}, {9, 1}));     // open floor
  EXPECT_FALSE(wa.visible({1, 4}, {9, 4}));    // through the obstacle
  EXPECT_TRUE(wa.visible({2, 3}, {8, 3}));     // along its bottom edge
  EXPECT_TRUE(wa.visible({5, 2}, {7, 4}));     // grazing its corner (6, 3)
  EXPECT_FALSE(wa.visible({3, 2}, {7, 6}));    // in at corner (4, 3), out at (6, 5): no proper crossing
  EXPECT_TRUE(wa.visible({2, 1}, {4, 3}));     // ending exactly at a reflex corner
  EXPECT_FALSE(wa.visible({4, 3}, {5, 4}));    // from that corner into the obstacle
  EXPECT_TRUE(wa.visible({4, 3}, {6, 3}));     // corner to corner along an edge
  EXPECT_FALSE(wa.visible({4, 3}, {6, 5}));    // corner to corner through it
  EXPECT_TRUE(wa.visible({0, 0}, {10, 0}));    // along the boundary
  EXPECT_FALSE(wa.visible({5, 1}, {12, 1}));   // leaving the hall
  EXPECT_FALSE(wa.visible({5, 4}, {5, 4.5}));  // entirely inside the obstacle
  EXPECT_TRUE(wa.visible({3, 3}, {3, 3}));     // a point
}

TEST(GeometryTest, VisibilityInLShapedRoom) {
  // The inner corner (1, 1) blocks the view between the two legs.
  const WalkableArea wa({{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {0, 3}}, {}, {}});
  EXPECT_FALSE(wa.visible({3.5, 0.5}, {0.5, 2.5}));
  EXPECT_TRUE(wa.visible({3.5, 0.5}, {0.2, 1.05}));  // passes just below the corner
  EXPECT_TRUE(wa.visible({2, 0}, {0, 2}));           // passes exactly through (1, 1)
  EXPECT_FALSE(wa.visible({3, 0.5}, {3, 1.5}));      // out through the top edge
}

TEST(GeometryTest, DoorOpeningConnectsRooms) {
  // Two 5 m x 5 m rooms separated by a 0.2 m wall at x = 5, with a 1 m door
  // from (5, 2) to (5, 3) cut into it.
  const Polygon hall = rect(0, 0, 10, 5);
  const Polygon wall = rect(4.9, 0, 5.1, 5);
  const Segment door{{5, 2}, {5, 3}};
  const WalkableArea closed({hall, {wall}, {}});
  const WalkableArea open({hall, {wall}, {segment_rectangle(door, 0.1)}});
  EXPECT_NEAR(closed.area(), 49.0, 1e-9);
  EXPECT_NEAR(open.area(), 49.2, 1e-9);
  EXPECT_EQ(closed.rings().size(), 2u);
  EXPECT_EQ(open.rings().size(), 1u);
  EXPECT_FALSE(closed.visible({1, 2.5}, {9, 2.5}));
  EXPECT_TRUE(open.visible({1, 2.5}, {9, 2.5}));
  EXPECT_FALSE(open.visible({1, 1}, {9, 1}));
  EXPECT_TRUE(open.contains({5, 2.5}));
  // The door jambs are reflex corners.
  EXPECT_TRUE(has_vertex(open.reflex_vertices(), {4.9, 2}));
  EXPECT_TRUE(has_vertex(open.reflex_vertices(), {5.1, 3}));
}

TEST(GeometryTest, DoorOpeningDoesNotCutSolidObstacles) {
  // A counter right beside the door (within the opening's 0.6 m depth) keeps its
  // full footprint: openings are cut out of walls only.
  const Polygon hall = rect(0, 0, 10, 5);
  const Polygon wall = rect(4.9, 0, 5.1, 5);
  const Polygon counter = rect(5.1, 1.0, 6.0, 4.0);  // 0.9 m x 3 m against the wall's east face
  const Segment door{{5, 2}, {5, 3}};
  const WalkableArea area({hall, {wall}, {segment_rectangle(door, 0.6)}, {counter}});
  // 50 - wall 1.0 + door opening 0.2 - counter 2.7
  EXPECT_NEAR(area.area(), 46.5, 1e-9);
  EXPECT_FALSE(area.contains({5.5, 2.5}));
  EXPECT_TRUE(area.contains({5.0, 2.5}));
}

TEST(GeometryTest, ClearanceInCorridor) {
  // A 20 m corridor 2 m wide: 1 m of clearance along its centreline.
  const WalkableArea wa({rect(0, 0, 20, 2), {}, {}});
  EXPECT_DOUBLE_EQ(wa.clearance({10, 1}), 1.0);
  EXPECT_DOUBLE_EQ(wa.clearance({3.7, 1}), 1.0);
  EXPECT_DOUBLE_EQ(wa.clearance({10, 0.25}), 0.25);
  EXPECT_DOUBLE_EQ(wa.clearance({0.5, 1}), 0.5);
  EXPECT_DOUBLE_EQ(wa.clearance({10, 0}), 0.0);
  // A column in a wide hall: clearance is measured to the nearest edge,
  // wherever its bucket.
  const WalkableArea hall({rect(0, 0, 30, 30), {rect(14, 14, 16, 16)}, {}});
  EXPECT_DOUBLE_EQ(hall.clearance({15, 10}), 4.0);
  EXPECT_NEAR(hall.clearance({19, 19}), std::sqrt(18.0), 1e-12);
  EXPECT_DOUBLE_EQ(hall.clearance({15, 25}), 5.0);
}

TEST(GeometryTest, RotatedAreaKeepsMeasures) {
  const double a = M_PI / 4;
  const Vec2 c{5, 4};
  const WalkableArea wa(
      {test::rotated(rect(0, 0, 10, 8), a, c), {test::rotated(rect(4, 3, 6, 5), a, c)}, {}});
  EXPECT_NEAR(wa.area(), 76.0, 1e-9);
  EXPECT_EQ(wa.reflex_vertices().size(), 4u);
  EXPECT_FALSE(wa.visible(test::rotated(Vec2{1, 4}, a, c), test::rotated(Vec2{9, 4}, a, c)));
  EXPECT_TRUE(wa.visible(test::rotated(Vec2{1, 1}, a, c), test::rotated(Vec2{9, 1}, a, c)));
  EXPECT_NEAR(wa.clearance(test::rotated(Vec2{5, 1}, a, c)), 1.0, 1e-12);
}

TEST(GeometryTest, AdjacentBlockersMergeIntoOneHole) {
  // Two counters sharing an edge form one 4 m x 1 m hole with four corners;
  // a third overlapping them adds nothing.
  const WalkableArea wa({rect(0, 0, 10, 6), {rect(2, 2, 4, 3), rect(4, 2, 6, 3), rect(3, 2.5, 5, 3)}, {}});
  EXPECT_NEAR(wa.area(), 56.0, 1e-9);
  ASSERT_EQ(wa.rings().size(), 2u);
  EXPECT_EQ(wa.rings()[1].size(), 4u);  // the shared edge's ends are gone
  EXPECT_EQ(wa.reflex_vertices().size(), 4u);
  EXPECT_TRUE(wa.visible({1, 2}, {9, 2}));
  EXPECT_FALSE(wa.visible({4, 1}, {4, 4}));
}

// Brute-force references for the bucket-accelerated queries.
bool brute_inside(const WalkableArea& wa, Vec2 p) {
  for (const Segment& e : wa.edges())
    if (point_segment_distance(p, e) <= 1e-9) return true;
  bool inside = false;
  for (const Segment& e : wa.edges())
    if ((e.a.y > p.y) != (e.b.y > p.y) && e.a.x + (p.y - e.a.y) * (e.b.x - e.a.x) / (e.b.y - e.a.y) > p.x)
      inside = !inside;
  return inside;
}

bool brute_visible(const WalkableArea& wa, Vec2 a, Vec2 b) {
  for (const Segment& e : wa.edges())
    if (segments_cross_properly({a, b}, e)) return false;
  const int samples = 2 + static_cast<int>(distance(a, b) / 0.01);
  for (int i = 0; i <= samples; ++i)
    if (!brute_inside(wa, a + (static_cast<double>(i) / samples) * (b - a))) return false;
  return true;
}

WalkableArea random_hall(unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> x(1, 29), y(1, 19), size(0.3, 2.5), angle(0, M_PI);
  std::vector<Polygon> blocking;
  for (int i = 0; i < 40; ++i) {
    const Vec2 m{x(rng), y(rng)};
    const double w = size(rng);
    const double h = 0.5 * size(rng);
    blocking.push_back(
        test::rotated(rect(m.x - w / 2, m.y - h / 2, m.x + w / 2, m.y + h / 2), angle(rng), m));
  }
  return WalkableArea({rect(0, 0, 30, 20), blocking, {}});
}

TEST(GeometryTest, QueriesMatchBruteForceOnRandomHall) {
  const WalkableArea wa = random_hall(11);
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> x(-0.5, 30.5), y(-0.5, 20.5);
  int contain_mismatch = 0;
  double clearance_err = 0.0;
  for (int i = 0; i < 3000; ++i) {
    const Vec2 p{x(rng), y(rng)};
    contain_mismatch += wa.contains(p) != brute_inside(wa, p);
    if (brute_inside(wa, p)) {
      double best = 1e300;
      for (const Segment& e : wa.edges()) best = std::min(best, point_segment_distance(p, e));
      clearance_err = std::max(clearance_err, std::abs(wa.clearance(p) - best));
    }
  }
  EXPECT_EQ(contain_mismatch, 0);
  EXPECT_EQ(clearance_err, 0.0);
  // Points on edges and at vertices are inside.
  int edge_points_outside = 0;
  for (const Segment& e : wa.edges()) {
    edge_points_outside += !wa.contains(e.a);
    edge_points_outside += !wa.contains(e.midpoint());
  }
  EXPECT_EQ(edge_points_outside, 0);

  // Random segments between walkable points, and segments between corners
  // (the hard, degenerate cases: they start and end on the boundary).
  std::vector<Vec2> pts;
  while (pts.size() < 150) {
    const Vec2 p{x(rng), y(rng)};
    if (brute_inside(wa, p)) pts.push_back(p);
  }
  const auto& corners = wa.reflex_vertices();
  int seg_mismatch = 0;
  int visible_count = 0;
  int checked = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    for (std::size_t j = i + 1; j < pts.size(); j += 7) {
      const bool v = wa.visible(pts[i], pts[j]);
      seg_mismatch += v != brute_visible(wa, pts[i], pts[j]);
      visible_count += v;
      ++checked;
    }
  }
  for (std::size_t i = 0; i < corners.size(); i += 3) {
    for (std::size_t j = i + 1; j < corners.size(); j += 5) {
      const bool v = wa.visible(corners[i], corners[j]);
      seg_mismatch += v != brute_visible(wa, corners[i], corners[j]);
      visible_count += v;
      ++checked;
    }
  }
  std::cout << "[ visibility ] " << checked << " segments, " << visible_count << " visible\n";
  EXPECT_EQ(seg_mismatch, 0);
  EXPECT_GT(checked, 1000);
  // Both outcomes are well represented, or the comparison would say little.
  EXPECT_GT(visible_count, checked / 10);
  EXPECT_LT(visible_count, checked * 9 / 10);
}

}  // namespace
}  // namespace halltwin::geom
