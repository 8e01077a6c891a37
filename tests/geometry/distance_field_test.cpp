// Walking-distance fields against hand-computed shortest paths.
#include "model/geometry/distance_field.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

#include "geometry_test_util.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::geom {
namespace {

using test::rect;

Segment point_target(Vec2 p) { return {p, p}; }

struct FieldErrors {
  double max_rel = 0.0;        // largest |cell - exact| / exact
  std::size_t off = 0;         // cells more than 1e-6 relative off
  std::size_t compared = 0;    // reachable cells compared
  std::size_t mismatched = 0;  // reachable in one, not the other
};

// Compares cell values with the exact per-point query at the cell centres.
FieldErrors compare_with_exact(const DistanceField& f, std::size_t stride = 1) {
  FieldErrors e;
  const FloorGrid& grid = f.grid();
  for (std::size_t k = 0; k < grid.size(); k += stride) {
    if (!grid.walkable(k)) continue;
    const double exact = f.at(grid.center(k));
    const double cell = f.at_cell(k);
    if (std::isinf(exact) || std::isinf(cell)) {
      e.mismatched += std::isinf(exact) != std::isinf(cell);
      continue;
    }
    ++e.compared;
    const double rel = std::abs(cell - exact) / std::max(exact, 1e-3);
    e.max_rel = std::max(e.max_rel, rel);
    e.off += rel > 1e-6;
  }
  return e;
}

TEST(GeometryTest, DistanceInFreeSpaceIsStraightLine) {
  const WalkableArea wa({rect(0, 0, 10, 6), {}, {}});
  const FloorGrid grid(wa, 0.1);
  const Vec2 target{9, 3};
  const DistanceField f(wa, grid, {point_target(target)});
  double max_err = 0.0;
  for (std::size_t k = 0; k < grid.size(); ++k)
    max_err = std::max(max_err, std::abs(f.at_cell(k) - distance(grid.center(k), target)));
  EXPECT_LT(max_err, 1e-9);
  EXPECT_NEAR(f.at({1, 3}), 8.0, 1e-12);
  EXPECT_EQ(f.nearest_target(grid.cell_of({1, 1})), 0);
  // Farthest cell: the corner cell at (0.05, 0.05) or (0.05, 5.95), both 9.4409 m.
  const std::size_t far = f.argmax();
  ASSERT_NE(far, DistanceField::npos);
  EXPECT_NEAR(f.at_cell(far), std::hypot(8.95, 2.95), 1e-9);
}

TEST(GeometryTest, DistanceAroundSingleObstacle) {
  // Counter [4, 6] x [1, 7] in a 10 m x 8 m hall; target point (5, 7.5) just
  // above it. From the left the path bends once, at the corner (4, 7).
  const WalkableArea wa({rect(0, 0, 10, 8), {rect(4, 1, 6, 7)}, {}});
  const FloorGrid grid(wa, 0.1);
  const Vec2 target{5, 7.5};
  const Vec2 corner{4, 7};
  const DistanceField f(wa, grid, {point_target(target)});

  const double exact_src = std::sqrt(13.0) + std::sqrt(1.25);  // from (2, 4): 4.72359 m
  EXPECT_NEAR(f.at({2, 4}), exact_src, 1e-5);
  const std::size_t k = grid.cell_of({2, 4});
  const double exact_cell = distance(grid.center(k), corner) + std::sqrt(1.25);
  EXPECT_NEAR(f.at_cell(k), exact_cell, 0.01 * exact_cell);
  EXPECT_NEAR(f.at_cell(k), exact_cell, 1e-5);

  // Every cell left of the counter: straight if it sees the target past the
  // corner, otherwise via the corner.
  double max_err = 0.0;
  for (int j = 0; j < grid.ny(); ++j) {
    for (int i = 0; i < 40; ++i) {  // centres x < 4
      const Vec2 c = grid.center(i, j);
      const bool direct =
          cross(corner - c, target - c) >= 0.0;  // target anticlockwise of the corner: passes above it
      const double exact = direct ? distance(c, target) : distance(c, corner) + std::sqrt(1.25);
      max_err = std::max(max_err, std::abs(f.at_cell(grid.index(i, j)) - exact) / exact);
    }
  }
  EXPECT_LT(max_err, 0.01);
  const FieldErrors e = compare_with_exact(f);
  EXPECT_EQ(e.mismatched, 0u);
  EXPECT_LT(e.max_rel, 0.02);
  EXPECT_LT(static_cast<double>(e.off), 0.01 * static_cast<double>(e.compared));
}

TEST(GeometryTest, DistanceAroundTwoObstacles) {
  // Wall A [3, 4] x [3, 8] hangs from the top, wall B [7, 8] x [0, 5] stands on
  // the bottom: from (1, 7) to (11, 1) the path bends at (3, 3), (4, 3), (7, 5), (8, 5).
  const WalkableArea wa({rect(0, 0, 12, 8), {rect(3, 3, 4, 8), rect(7, 0, 8, 5)}, {}});
  const FloorGrid grid(wa, 0.1);
  const DistanceField f(wa, grid, {point_target({11, 1})});
  const double tail = 1.0 + std::sqrt(13.0) + 1.0 + 5.0;    // (3, 3) -> (11, 1)
  EXPECT_NEAR(f.at({1, 7}), std::sqrt(20.0) + tail, 1e-5);  // 15.0777 m
  const std::size_t k = grid.cell_of({1, 7});
  const double exact_cell = distance(grid.center(k), {3, 3}) + tail;
  EXPECT_NEAR(f.at_cell(k), exact_cell, 1e-5);
  const FieldErrors e = compare_with_exact(f);
  EXPECT_EQ(e.mismatched, 0u);
  EXPECT_LT(e.max_rel, 0.02);
  EXPECT_LT(static_cast<double>(e.off), 0.01 * static_cast<double>(e.compared));
}

TEST(GeometryTest, DistanceAlongLShapedCorridor) {
  // 2 m wide L: east along y in [0, 2], then north along x in [8, 10]; the
  // exit door spans the north end. From (1, 1): to the inner corner (8, 2),
  // then 8 m up along the wall.
  const Polygon l{{0, 0}, {10, 0}, {10, 10}, {8, 10}, {8, 2}, {0, 2}};
  const WalkableArea wa({l, {}, {}});
  const FloorGrid grid(wa, 0.1);
  const DistanceField f(wa, grid, {{{8, 10}, {10, 10}}});
  EXPECT_NEAR(f.at({1, 1}), std::sqrt(50.0) + 8.0, 1e-5);  // 15.0711 m
  const std::size_t k = grid.cell_of({1, 1});
  EXPECT_NEAR(f.at_cell(k), distance(grid.center(k), {8, 2}) + 8.0, 1e-5);
  // In the vertical leg the door is straight ahead.
  EXPECT_NEAR(f.at_cell(grid.cell_of({9, 5})), 10.0 - 5.05, 1e-9);
  EXPECT_EQ(f.nearest_target(k), 0);
  const FieldErrors e = compare_with_exact(f);
  EXPECT_EQ(e.mismatched, 0u);
  EXPECT_LT(e.max_rel, 0.02);
}

TEST(GeometryTest, DistanceThroughDoorOpening) {
  // Two rooms, 0.2 m wall at x = 5 with a door (5, 2)-(5, 3) cut into it;
  // exit door on the east boundary (10, 2)-(10, 3).
  const Polygon hall = rect(0, 0, 10, 5);
  const Polygon wall = rect(4.9, 0, 5.1, 5);
  const Segment inner_door{{5, 2}, {5, 3}};
  const Segment exit{{10, 2}, {10, 3}};
  const WalkableArea open({hall, {wall}, {segment_rectangle(inner_door, 0.1)}});
  const FloorGrid grid(open, 0.1);
  const DistanceField f(open, grid, {exit});
  EXPECT_NEAR(f.at({1, 2.5}), 9.0, 1e-9);  // straight through both doors
  // Cells next to the exit door reach it.
  EXPECT_NEAR(f.at_cell(grid.index(99, 25)), 0.05, 1e-9);
  EXPECT_NEAR(f.at_cell(grid.index(99, 19)), std::hypot(0.05, 0.05), 1e-9);
  // From (3, 0.5) the path bends at the jamb (4.9, 2), then passes the
  // doorway to the exit's corner (10, 2) in a straight line.
  EXPECT_NEAR(f.at({3, 0.5}), std::hypot(1.9, 1.5) + 5.1, 1e-5);

  // The inner door as the target: cells in the opening reach it.
  const DistanceField g(open, grid, {inner_door});
  EXPECT_NEAR(g.at_cell(grid.index(49, 25)), 0.05, 1e-9);
  EXPECT_NEAR(g.at_cell(grid.index(48, 25)), 0.15, 1e-9);
  EXPECT_NEAR(g.at({3, 0.5}), std::hypot(1.9, 1.5) + 0.1, 1e-5);  // via the jamb (4.9, 2)

  // Without the opening the west room cannot reach the exit.
  const WalkableArea closed({hall, {wall}, {}});
  const FloorGrid grid_closed(closed, 0.1);
  const DistanceField h(closed, grid_closed, {exit});
  EXPECT_TRUE(std::isinf(h.at_cell(grid_closed.cell_of({2, 2}))));
  EXPECT_TRUE(std::isinf(h.at({2, 2})));
  EXPECT_NEAR(h.at({7, 2.5}), 3.0, 1e-12);
}

TEST(GeometryTest, ClosedRoomIsUnreachable) {
  // A walled room [6, 9] x [6, 9] without a door inside a 10 m x 10 m hall.
  const std::vector<Polygon> walls{rect(6, 6, 9, 6.2), rect(6, 8.8, 9, 9), rect(6, 6, 6.2, 9),
                                   rect(8.8, 6, 9, 9)};
  const WalkableArea wa({rect(0, 0, 10, 10), walls, {}});
  const FloorGrid grid(wa, 0.1);
  const DistanceField f(wa, grid, {point_target({1, 1})});
  const std::size_t inside = grid.cell_of({7.5, 7.5});
  ASSERT_TRUE(grid.walkable(inside));
  EXPECT_EQ(f.at_cell(inside), DistanceField::kUnreachable);
  EXPECT_EQ(f.nearest_target(inside), -1);
  EXPECT_EQ(f.at({7.5, 7.5}), DistanceField::kUnreachable);
  EXPECT_NEAR(f.at({5, 5}), std::sqrt(32.0), 1e-12);
  // Farthest reachable cell: the hall's corner behind the room, reached
  // round the room's corner (9, 6) (or, equally, (6, 9)).
  const std::size_t far = f.argmax();
  ASSERT_NE(far, DistanceField::npos);
  EXPECT_EQ(far, grid.index(99, 99));
  EXPECT_NEAR(f.at_cell(far), std::sqrt(89.0) + std::hypot(0.95, 3.95), 1e-5);

  // No targets at all: nothing is reachable.
  const DistanceField none(wa, grid, {});
  EXPECT_EQ(none.argmax(), DistanceField::npos);
  EXPECT_EQ(none.at({1, 1}), DistanceField::kUnreachable);
}

TEST(GeometryTest, NearestOfTwoTargets) {
  const WalkableArea wa({rect(0, 0, 20, 4), {}, {}});
  const FloorGrid grid(wa, 0.2);
  const DistanceField f(wa, grid, {{{0, 1}, {0, 3}}, {{20, 1}, {20, 3}}});
  EXPECT_EQ(f.nearest_target(grid.cell_of({3, 2})), 0);
  EXPECT_EQ(f.nearest_target(grid.cell_of({17, 2})), 1);
  EXPECT_NEAR(f.at_cell(grid.cell_of({3, 2})), 3.1, 1e-9);  // centre x = 3.1
  EXPECT_NEAR(f.at({12, 0.5}), std::hypot(8.0, 0.5), 1e-12);
}

TEST(GeometryTest, RotatedGeometryGivesSameDistances) {
  const double a = M_PI / 4;
  const Vec2 c{6, 4};
  auto rot = [&](Vec2 p) { return test::rotated(p, a, c); };
  const WalkableArea wa({test::rotated(rect(0, 0, 12, 8), a, c),
                         {test::rotated(rect(3, 3, 4, 8), a, c), test::rotated(rect(7, 0, 8, 5), a, c)},
                         {}});
  const FloorGrid grid(wa, 0.1);
  const DistanceField f(wa, grid, {point_target(rot({11, 1}))});
  const double tail = 1.0 + std::sqrt(13.0) + 1.0 + 5.0;
  EXPECT_NEAR(f.at(rot({1, 7})), std::sqrt(20.0) + tail, 1e-5);
  EXPECT_NEAR(f.at(rot({5, 1})), std::hypot(2, 4) + 1.0 + 5.0, 1e-5);  // via (7, 5), (8, 5)
  EXPECT_NEAR(f.at(rot({10, 7})), std::hypot(1, 6), 1e-9);             // straight
  // Cells: the cell containing rot(1, 7) lies within 0.071 m of it; its value
  // differs from 15.0777 by at most that.
  EXPECT_NEAR(f.at_cell(grid.cell_of(rot({1, 7}))), std::sqrt(20.0) + tail, 0.071);
  const FieldErrors e = compare_with_exact(f);
  EXPECT_EQ(e.mismatched, 0u);
  EXPECT_LT(e.max_rel, 0.02);
  EXPECT_LT(static_cast<double>(e.off), 0.01 * static_cast<double>(e.compared));
}

TEST(GeometryTest, ClutteredRotatedHallMatchesExactQuery) {
  // 30 m x 20 m hall turned by 17 degrees, 15 counters of assorted sizes and
  // angles, two doors: every cell against the exact per-point query.
  const double a = 17.0 * M_PI / 180.0;
  const Vec2 c{15, 10};
  std::vector<Polygon> blocking;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 3; ++j) {
      const Vec2 centre{4.0 + 5.5 * i + 0.3 * j, 4.0 + 6.0 * j + 0.2 * i};
      const Polygon r =
          rect(centre.x - 1.0 - 0.2 * j, centre.y - 0.6, centre.x + 1.0, centre.y + 0.6 + 0.1 * i);
      blocking.push_back(test::rotated(test::rotated(r, 0.2 * (i - j), centre), a, c));
    }
  }
  const WalkableArea wa({test::rotated(rect(0, 0, 30, 20), a, c), blocking, {}});
  const FloorGrid grid(wa, 0.2);
  const DistanceField f(
      wa, grid,
      {test::rotated(Segment{{0, 8}, {0, 10}}, a, c), test::rotated(Segment{{22, 20}, {24, 20}}, a, c)});
  const FieldErrors e = compare_with_exact(f);
  std::cout << "[ accuracy ] " << e.compared << " cells, max rel error " << e.max_rel << ", " << e.off
            << " cells > 1e-6 relative\n";
  EXPECT_EQ(e.mismatched, 0u);
  EXPECT_GT(e.compared, 10000u);
  EXPECT_LT(e.max_rel, 0.02);
  EXPECT_LT(static_cast<double>(e.off), 0.01 * static_cast<double>(e.compared));
}

TEST(GeometryTest, DistanceFieldLargeHall) {
  // Speed is measured by the benchmark (tests/benchmarks), not asserted here.
  // 60 m x 40 m, 40 counters, three doors, 0.1 m cells (240k cells).
  std::vector<Polygon> blocking;
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 5; ++j) {
      const double x = 5.0 + 6.5 * i;
      const double y = 5.0 + 7.0 * j;
      blocking.push_back(rect(x, y, x + 1.5 + 0.3 * (i % 3), y + 1.0 + 0.4 * (j % 2)));
    }
  const std::vector<Segment> doors{{{28, 0}, {30, 0}}, {{0, 18}, {0, 20}}, {{50, 40}, {52, 40}}};
  const WalkableArea wa({rect(0, 0, 60, 40), blocking, {}});
  const FloorGrid grid(wa, 0.1);
  const DistanceField f(wa, grid, doors);
  // Counters: widths 1.5/1.8/2.1 m sum to 14.1 m per row, heights 1.0/1.4 m
  // to 5.8 m per column: 81.78 m2, i.e. 8178 cells (all on the 0.1 m lattice).
  EXPECT_NEAR(wa.area(), 2400.0 - 81.78, 1e-6);
  EXPECT_EQ(grid.size(), 240000u);
  EXPECT_EQ(grid.walkable_count(), 240000u - 8178u);
  const FieldErrors e = compare_with_exact(f, 37);
  EXPECT_EQ(e.mismatched, 0u);
  EXPECT_GT(e.compared, 5000u);
  EXPECT_LT(e.max_rel, 0.02);
  EXPECT_LT(static_cast<double>(e.off), 0.01 * static_cast<double>(e.compared));
}

}  // namespace
}  // namespace halltwin::geom
