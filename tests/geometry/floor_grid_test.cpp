// FloorGrid rasterisation and connected components.
#include "model/geometry/floor_grid.hpp"

#include <gtest/gtest.h>

#include <iostream>

#include "geometry_test_util.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::geom {
namespace {

using test::rect;

TEST(GeometryTest, GridCellsOfRoomWithObstacle) {
  // 10 m x 8 m at 0.5 m: 20 x 16 cells; the 2 m x 1 m counter covers 4 x 2.
  const WalkableArea wa({rect(0, 0, 10, 8), {rect(4, 3, 6, 4)}, {}});
  const FloorGrid grid(wa, 0.5);
  EXPECT_EQ(grid.nx(), 20);
  EXPECT_EQ(grid.ny(), 16);
  EXPECT_EQ(grid.walkable_count(), 320u - 8u);
  EXPECT_FALSE(grid.walkable(grid.cell_of({5, 3.5})));
  EXPECT_TRUE(grid.walkable(grid.cell_of({5, 2.5})));
  EXPECT_EQ(grid.cell_of({-3, 100}), grid.index(0, 15));  // clamped
  const Vec2 c = grid.center(grid.index(3, 2));
  EXPECT_DOUBLE_EQ(c.x, 1.75);
  EXPECT_DOUBLE_EQ(c.y, 1.25);
}

TEST(GeometryTest, GridMatchesContainsOnRotatedHall) {
  // The scanline fill must agree with point location for every cell centre.
  const double a = 0.3;
  const Vec2 c{7, 5};
  std::vector<Polygon> blocking;
  for (int k = 0; k < 5; ++k)
    blocking.push_back(test::rotated(rect(2 + 2.3 * k, 2, 3 + 2.3 * k, 3.5 + 0.4 * k), a, c));
  const WalkableArea wa({test::rotated(rect(0, 0, 14, 10), a, c), blocking, {}});
  const FloorGrid grid(wa, 0.13);
  std::size_t mismatches = 0;
  std::size_t count = 0;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    count += grid.walkable(k);
    mismatches += grid.walkable(k) != wa.contains(grid.center(k));
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(count, grid.walkable_count());
  // Cell count approximates the area: within 1% here.
  EXPECT_NEAR(static_cast<double>(count) * 0.13 * 0.13, wa.area(), 0.01 * wa.area());
}

TEST(GeometryTest, GridRasterisesLargeHall) {
  // 100 m x 60 m at 0.1 m = 600k cells; 24 counters of 3 m x 1 m on 0.1 m
  // multiples cover exactly 30 x 10 cells each (no centre lies on an edge).
  std::vector<Polygon> blocking;
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 4; ++j) blocking.push_back(rect(10 + 15 * i, 10 + 12 * j, 13 + 15 * i, 11 + 12 * j));
  const WalkableArea wa({rect(0, 0, 100, 60), blocking, {}});
  const FloorGrid grid(wa, 0.1);
  EXPECT_EQ(grid.size(), 600000u);
  EXPECT_EQ(grid.walkable_count(), 600000u - 24u * 300u);
}

TEST(GeometryTest, ComponentsOfTwoRooms) {
  const Polygon hall = rect(0, 0, 10, 5);
  const Polygon wall = rect(4.9, 0, 5.1, 5);
  const WalkableArea closed({hall, {wall}, {}});
  const WalkableArea open({hall, {wall}, {segment_rectangle({{5, 2}, {5, 3}}, 0.1)}});
  for (const auto* wa : {&closed, &open}) {
    const FloorGrid grid(*wa, 0.1);
    const std::vector<std::uint8_t> all(grid.size(), 1);
    int count = -1;
    const auto labels = label_components(grid, all, &count);
    EXPECT_EQ(count, wa == &closed ? 2 : 1);
    EXPECT_EQ(labels[grid.cell_of({2, 2})] == labels[grid.cell_of({8, 2})], wa == &open);
    EXPECT_EQ(labels[grid.cell_of({5, 4})], -1);  // wall cell
  }
}

TEST(GeometryTest, ComponentsDoNotSqueezeThroughDiagonalGaps) {
  const WalkableArea wa({rect(0, 0, 3, 3), {}, {}});
  const FloorGrid grid(wa, 1.0);  // 3 x 3 cells
  // Cells (0,0) and (1,1) touch only at a corner: two components.
  std::vector<std::uint8_t> mask(grid.size(), 0);
  mask[grid.index(0, 0)] = 1;
  mask[grid.index(1, 1)] = 1;
  int count = 0;
  auto labels = label_components(grid, mask, &count);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(labels[grid.index(2, 2)], -1);
  // With (1,0) in the mask the diagonal step is allowed (and (1,0) joins too).
  mask[grid.index(1, 0)] = 1;
  // (2,2) touches (1,1) diagonally; (2,1) and (1,2) are out, so it stays apart.
  mask[grid.index(2, 2)] = 1;
  labels = label_components(grid, mask, &count);
  EXPECT_EQ(count, 2);
  EXPECT_EQ(labels[grid.index(0, 0)], labels[grid.index(1, 1)]);
  EXPECT_NE(labels[grid.index(1, 1)], labels[grid.index(2, 2)]);
}

}  // namespace
}  // namespace halltwin::geom
