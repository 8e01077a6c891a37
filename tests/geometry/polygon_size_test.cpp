// "Sizes that hang" (issue 17), polygon validity: a boundary of 64,000
// vertices took 44 s when every pair of edges was compared. The answer (and
// the pair it names) must be the same as the pair-by-pair scan's, found in
// n log n. The time bounds are generous so a loaded CI machine stays green.
#include <gtest/gtest.h>

#include <ctime>
#include <cmath>
#include <numbers>

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::geom {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlack = 6.0;  // ASan+UBSan runs are several times slower
#else
constexpr double kSlack = 1.0;
#endif

// Processor time, not wall time: the bound is about the algorithm, and CI
// machines shared by parallel jobs stretch wall time several fold.
double seconds_since(std::clock_t t0) { return static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC; }

// A comb: `teeth` teeth 0.1 m wide and 2 m long on a 1 m deep back, 4 vertices
// per tooth: a valid simple polygon whose edges' boxes mostly do not overlap.
Polygon comb(int teeth) {
  Polygon p;
  for (int t = 0; t < teeth; ++t) {
    const double x = 0.2 * t;
    p.push_back({x, 0});
    p.push_back({x + 0.1, 0});
    p.push_back({x + 0.1, -2});
    p.push_back({x + 0.2, -2});
  }
  p.push_back({0.2 * teeth, 1});
  p.push_back({0, 1});
  return p;
}

TEST(PolygonSize, SixtyFourThousandVertexCombValidatesQuickly) {
  const Polygon p = comb(16'000);
  ASSERT_EQ(p.size(), 64'002u);
  const std::clock_t t0 = std::clock();
  const auto why = invalidity(p);
  const double s = seconds_since(t0);
  EXPECT_FALSE(why.has_value()) << *why;
  EXPECT_LT(s, 2.0 * kSlack);
}

TEST(PolygonSize, SixtyFourThousandVertexCircleValidatesQuickly) {
  Polygon p;
  const int n = 64'000;
  for (int i = 0; i < n; ++i) {
    const double a = 2.0 * std::numbers::pi * i / n;
    p.push_back({500.0 + 100.0 * std::cos(a), 300.0 + 100.0 * std::sin(a)});
  }
  const std::clock_t t0 = std::clock();
  EXPECT_FALSE(invalidity(p).has_value());
  EXPECT_LT(seconds_since(t0), 2.0 * kSlack);
}

// The closing corner pulled into the first tooth: edges 64001-64002 and
// 64002-1 now cut through it. The pair-by-pair scan names the lowest-numbered
// edge with a problem first (2-3: edge 1-2 only touches 64002-1, its
// neighbour), then the lowest-numbered edge it meets.
TEST(PolygonSize, CrossingInAHugeCombNamesTheFirstPair) {
  Polygon p = comb(16'000);
  p.back() = {0.15, -1};
  const std::clock_t t0 = std::clock();
  const auto why = invalidity(p);
  EXPECT_LT(seconds_since(t0), 2.0 * kSlack);
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, "edge 2-3 and edge 64002-1 cross near (0.1, -0.667)");
}

// Two non-consecutive vertices 64,000 places apart coincide.
TEST(PolygonSize, CoincidingVerticesFarApartInTheRingAreNamed) {
  Polygon p = comb(16'000);
  p.back() = {0.1, -2};  // vertex 64002 lands on vertex 3
  const auto why = invalidity(p);
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, "vertices 3 and 64002 coincide at (0.1, -2.0)");
}

// Several problems: the one the pair-by-pair scan met first is reported, not
// the one the spatial index happens to return first.
TEST(PolygonSize, FirstOfSeveralCrossingsIsReported) {
  // A zig-zag whose closing edge (8-1) crosses edges 2-3 and 4-5, and edge
  // 3-4 also crosses edge 6-7.
  const Polygon bow{{0, 0}, {4, 0}, {0, 2}, {4, 2}, {0, 4}, {4, 4}, {2, -1}, {2, 5}};
  const auto why = invalidity(bow);
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(why->rfind("edge 1-2 and ", 0), 0u) << *why;
}

}  // namespace
}  // namespace halltwin::geom
