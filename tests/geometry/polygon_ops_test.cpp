// Polygon measures and validation against hand-computed values.
#include "model/geometry/polygon_ops.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "geometry_test_util.hpp"

namespace halltwin::geom {
namespace {

using test::rect;

TEST(GeometryTest, RectangleAreaAndCentroid) {
  const Polygon r = rect(1.0, 2.0, 5.0, 5.0);  // 4 m x 3 m
  EXPECT_DOUBLE_EQ(signed_area(r), 12.0);
  EXPECT_DOUBLE_EQ(area(r), 12.0);
  const Polygon cw(r.rbegin(), r.rend());
  EXPECT_DOUBLE_EQ(signed_area(cw), -12.0);
  EXPECT_DOUBLE_EQ(area(cw), 12.0);
  EXPECT_DOUBLE_EQ(signed_area(counter_clockwise(cw)), 12.0);
  const Vec2 c = centroid(r);
  EXPECT_NEAR(c.x, 3.0, 1e-12);
  EXPECT_NEAR(c.y, 3.5, 1e-12);
}

TEST(GeometryTest, LShapeAreaAndCentroid) {
  // 4 x 1 foot plus a 1 x 2 leg: 4 + 2 = 6 m2; centroid (9/6, 6/6).
  const Polygon l{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {0, 3}};
  EXPECT_DOUBLE_EQ(area(l), 6.0);
  const Vec2 c = centroid(l);
  EXPECT_NEAR(c.x, 1.5, 1e-12);
  EXPECT_NEAR(c.y, 1.0, 1e-12);
}

TEST(GeometryTest, ClosedRingAndClockwiseAreValid) {
  Polygon closed = rect(0, 0, 2, 1);
  closed.push_back(closed.front());
  EXPECT_FALSE(invalidity(closed).has_value());
  EXPECT_DOUBLE_EQ(area(closed), 2.0);
  const Polygon cw{{0, 0}, {0, 1}, {2, 1}, {2, 0}};
  EXPECT_FALSE(invalidity(cw).has_value());
  EXPECT_FALSE(invalidity(Polygon{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {0, 3}}).has_value());
}

TEST(GeometryTest, InvalidityBowTieNamesCrossingEdges) {
  const Polygon bow{{0, 0}, {2, 2}, {2, 0}, {0, 2}};
  const auto why = invalidity(bow);
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, "edge 1-2 and edge 3-4 cross near (1.0, 1.0)");
}

TEST(GeometryTest, InvalidityTwoPoints) {
  const auto why = invalidity(Polygon{{0, 0}, {1, 0}});
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, "polygon has 2 distinct vertices; at least 3 are needed");
  const auto why3 = invalidity(Polygon{{0, 0}, {1, 0}, {0, 0}, {1, 0}});
  ASSERT_TRUE(why3.has_value());
  EXPECT_EQ(*why3, "polygon has 2 distinct vertices; at least 3 are needed");
}

TEST(GeometryTest, InvalidityRepeatedVertex) {
  const auto why = invalidity(Polygon{{0, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}});
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, "vertex 3 repeats vertex 2 at (1.0, 0.0)");
  // The same vertex visited twice, not consecutively (a figure-eight pinch).
  const auto pinch = invalidity(Polygon{{0, 0}, {2, 0}, {1, 1}, {2, 2}, {0, 2}, {1, 1}});
  ASSERT_TRUE(pinch.has_value());
  EXPECT_EQ(*pinch, "vertices 3 and 6 coincide at (1.0, 1.0)");
}

TEST(GeometryTest, InvalidityZeroAreaAndSpike) {
  const auto flat = invalidity(Polygon{{0, 0}, {1, 0}, {3, 0}});
  ASSERT_TRUE(flat.has_value());
  EXPECT_EQ(*flat, "polygon has zero area (all its vertices lie on one line)");
  // Goes out to (3, 1) and straight back: edges 2-3 and 3-4 fold back.
  const auto spike = invalidity(Polygon{{0, 0}, {2, 0}, {3, 0}, {2.5, 0}, {2, 2}});
  ASSERT_TRUE(spike.has_value());
  EXPECT_EQ(*spike, "edge 2-3 and edge 3-4 fold back on each other at vertex 3 (3.0, 0.0)");
}

TEST(GeometryTest, ContainsAndBoundaryDistance) {
  const Polygon l{{0, 0}, {4, 0}, {4, 1}, {1, 1}, {1, 3}, {0, 3}};
  EXPECT_TRUE(contains(l, {0.5, 2.5}));
  EXPECT_TRUE(contains(l, {3.0, 0.5}));
  EXPECT_FALSE(contains(l, {3.0, 2.0}));
  EXPECT_TRUE(contains(l, {2.0, 1.0}));  // on an edge
  EXPECT_DOUBLE_EQ(distance_to_boundary(l, {3.0, 2.0}), 1.0);
  EXPECT_DOUBLE_EQ(distance_to_boundary(l, {0.5, 2.0}), 0.5);
}

TEST(GeometryTest, OverlapsNeedsPositiveArea) {
  EXPECT_TRUE(overlaps(rect(0, 0, 2, 2), rect(1, 1, 3, 3)));
  EXPECT_FALSE(overlaps(rect(0, 0, 2, 2), rect(2, 0, 4, 2)));  // shared edge
  EXPECT_FALSE(overlaps(rect(0, 0, 2, 2), rect(2, 2, 4, 4)));  // shared corner
  EXPECT_TRUE(overlaps(rect(0, 0, 4, 4), rect(1, 1, 2, 2)));   // inside
  EXPECT_FALSE(overlaps(rect(0, 0, 1, 1), rect(5, 5, 6, 6)));
}

TEST(GeometryTest, SegmentDistancesAndCrossings) {
  const Segment s{{0, 0}, {4, 0}};
  EXPECT_DOUBLE_EQ(point_segment_distance({2, 3}, s), 3.0);
  EXPECT_DOUBLE_EQ(point_segment_distance({7, 4}, s), 5.0);
  EXPECT_DOUBLE_EQ(point_segment_distance({1, 1}, Segment{{1, 2}, {1, 2}}), 1.0);  // a point
  EXPECT_DOUBLE_EQ(segment_segment_distance(s, {{1, 2}, {3, 5}}), 2.0);
  EXPECT_DOUBLE_EQ(segment_segment_distance(s, {{1, -1}, {3, 1}}), 0.0);
  EXPECT_TRUE(segments_cross_properly(s, {{1, -1}, {3, 1}}));
  EXPECT_FALSE(segments_cross_properly(s, {{4, 0}, {5, 1}}));  // touching at an endpoint
  EXPECT_FALSE(segments_cross_properly(s, {{2, 0}, {6, 0}}));  // collinear overlap
  EXPECT_FALSE(segments_cross_properly(s, {{2, 0}, {2, 3}}));  // T-junction
}

TEST(GeometryTest, FitsTurningCircle) {
  // A 1.50 m turning circle (radius 0.75 m).
  EXPECT_TRUE(fits_circle(rect(0, 0, 1.6, 1.6), 0.75));
  EXPECT_FALSE(fits_circle(rect(0, 0, 1.4, 3.0), 0.75));
  // An L whose legs are 1.4 m wide but whose corner square is 1.6 x 1.6.
  const Polygon l{{0, 0}, {5, 0}, {5, 1.4}, {1.6, 1.4}, {1.6, 1.6}, {0, 1.6}};
  EXPECT_TRUE(fits_circle(l, 0.75));
  EXPECT_TRUE(fits_circle(l, 0.79));  // the largest circle has radius 0.8 m
  EXPECT_FALSE(fits_circle(l, 0.81));
}

TEST(GeometryTest, SegmentRectangleAroundDoor) {
  const Polygon r = segment_rectangle({{2, 1}, {2, 3}}, 0.1);  // vertical door, 2 m wide
  ASSERT_EQ(r.size(), 4u);
  EXPECT_NEAR(signed_area(r), 0.4, 1e-12);  // counter-clockwise, 2 m x 0.2 m
  EXPECT_TRUE(contains(r, {1.91, 2.0}));
  EXPECT_TRUE(contains(r, {2.09, 2.9}));
  EXPECT_FALSE(contains(r, {2.2, 2.0}));
}

}  // namespace
}  // namespace halltwin::geom
