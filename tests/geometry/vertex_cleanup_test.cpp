// Vertex clean-up at load (issue 17): near-duplicate and collinear vertices
// within a millimetre are merged, nothing else moves.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/vertex_cleanup.hpp"

namespace halltwin::geom {
namespace {

TEST(VertexCleanup, MergesAPointClickedTwiceAndSubMillimetreNeighbours) {
  const Polygon p{{0, 0}, {4, 0}, {4, 0}, {4.0004, 0.0003}, {4, 3}, {0, 3}, {0.0002, 0.0001}};
  const Polygon c = merge_close_and_collinear(p);
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[1], (Vec2{4, 0}));
  EXPECT_FALSE(invalidity(c).has_value());
}

TEST(VertexCleanup, DropsCollinearVerticesOfAStraightWall) {
  Polygon p{{0, 0}};
  for (int i = 1; i < 1000; ++i) p.push_back({0.01 * i, 0});  // one wall in 1000 pieces
  p.insert(p.end(), {{10, 0}, {10, 5}, {0, 5}});
  const Polygon c = merge_close_and_collinear(p);
  // Runs are merged in pieces of at most kMaxMergedRun vertices.
  EXPECT_LE(c.size(), 4u + 1000u / kMaxMergedRun + 1u);
  EXPECT_NEAR(area(c), 50.0, 1e-9);
}

TEST(VertexCleanup, KeepsRealCornersAndMillimetreSteps) {
  // A 2 mm step is a corner, not noise.
  const Polygon p{{0, 0}, {5, 0}, {5, 0.002}, {10, 0.002}, {10, 4}, {0, 4}};
  EXPECT_EQ(merge_close_and_collinear(p).size(), p.size());
}

// A fine circle loses vertices, but every dropped vertex stays within a
// millimetre of the outline: a gentle curve is not flattened step by step.
TEST(VertexCleanup, AFineCircleStaysWithinAMillimetre) {
  const int n = 64'000;
  const double r = 100.0;
  Polygon p;
  for (int i = 0; i < n; ++i) {
    const double a = 2.0 * std::numbers::pi * i / n;
    p.push_back({r * std::cos(a), r * std::sin(a)});
  }
  const Polygon c = merge_close_and_collinear(p);
  EXPECT_LT(c.size(), p.size() / 10);
  for (const Vec2& v : p) EXPECT_LE(distance_to_boundary(c, v), kVertexMergeM + 1e-12);
}

TEST(VertexCleanup, TrianglesAndDegenerateRingsAreLeftAlone) {
  const Polygon tri{{0, 0}, {1, 0}, {0, 1}};
  EXPECT_EQ(merge_close_and_collinear(tri), tri);
  const Polygon flat{{0, 0}, {1, 0}, {2, 0}, {3, 0}};
  EXPECT_EQ(merge_close_and_collinear(flat).size(), 4u);  // left for invalidity() to name
}

}  // namespace
}  // namespace halltwin::geom
