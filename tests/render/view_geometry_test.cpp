// The 3D view's camera geometry, palette, overlay options and colour ramp,
// without any OpenGL.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "render/overlays.hpp"
#include "render/palette.hpp"
#include "render/view_geometry.hpp"

namespace halltwin::render {
namespace {

Hall two_floor_hall() {
  Hall h;
  Floor upper;
  upper.id = "F2";
  upper.storey = 2;
  upper.boundary = {{0, 0}, {20, 0}, {20, 10}, {0, 10}};
  Floor ground = upper;
  ground.id = "F1";
  ground.storey = 1;
  ground.boundary = {{0, 0}, {40, 0}, {40, 10}, {0, 10}};
  h.floors = {upper, ground};  // file order is not storey order
  Door entrance;
  entrance.kind = DoorKind::entrance;
  entrance.floor = FloorId{1};
  entrance.opening = {{18, 0}, {20, 0}};  // south wall
  Door internal;
  internal.kind = DoorKind::internal;
  internal.floor = FloorId{1};
  internal.opening = {{30, 4}, {30, 6}};
  h.doors = {internal, entrance};
  return h;
}

TEST(ViewGeometry, DefaultFloorIsTheLowestStorey) {
  const Hall h = two_floor_hall();
  ASSERT_TRUE(choose_floor(h, "").has_value());
  EXPECT_EQ(choose_floor(h, "")->value, 1u);
  EXPECT_EQ(choose_floor(h, "F2")->value, 0u);
  EXPECT_FALSE(choose_floor(h, "F9").has_value());
}

TEST(ViewGeometry, TopProjectionKeepsScaleAndMargin) {
  const Bounds2 b{{-1, -2}, {39, 8}};  // 40 m x 10 m: width-limited in a 16:9 image
  const TopProjection p = top_projection(b, 1280, 720);
  const PixelPos lo = p.to_pixel(b.min), hi = p.to_pixel(b.max);
  EXPECT_NEAR(lo.column, p.margin_px, 1e-6);
  EXPECT_NEAR(hi.column, 1280 - p.margin_px, 1e-6);
  EXPECT_GT(lo.row, hi.row);  // north is up: larger y, smaller row
  EXPECT_NEAR((lo.row - hi.row) / (hi.column - lo.column), 10.0 / 40.0, 1e-9);  // same scale on both axes
  EXPECT_NEAR(0.5 * (lo.row + hi.row), 360.0, 1e-6);                          // centred
  const Vec2 back = p.to_world(p.to_pixel({12.3, 4.5}));
  EXPECT_NEAR(back.x, 12.3, 1e-9);
  EXPECT_NEAR(back.y, 4.5, 1e-9);
}

TEST(ViewGeometry, TopCameraMatchesTheProjection) {
  const Hall h = two_floor_hall();
  const CameraPose pose = top_camera(h, FloorId{1}, 1000, 500);
  const TopProjection p = top_projection(floor_bounds(h, FloorId{1}), 1000, 500);
  EXPECT_TRUE(pose.orthographic);
  EXPECT_NEAR(pose.ortho_half_width_m / pose.ortho_half_height_m, 2.0, 1e-9);
  EXPECT_NEAR(pose.ortho_half_width_m, p.half_width_m(), 1e-9);
  EXPECT_NEAR(pose.eye.x, p.centre.x, 1e-9);
  EXPECT_GT(pose.eye.z - pose.near_m, h.floors[1].height_m);  // the ceiling is not clipped
  EXPECT_LT(pose.eye.z - pose.far_m, -0.3);                    // nor the slab
}

TEST(ViewGeometry, EntranceCameraStandsInsideTheEntranceLookingIn) {
  const Hall h = two_floor_hall();
  ASSERT_TRUE(entrance_door(h, FloorId{1}).has_value());
  EXPECT_EQ(entrance_door(h, FloorId{1})->value, 1u);  // the entrance, not the first door in the list
  const CameraPose pose = entrance_camera(h, FloorId{1});
  EXPECT_FALSE(pose.orthographic);
  EXPECT_NEAR(pose.eye.x, 19.0, 1e-9);
  EXPECT_GT(pose.eye.y, 0.0);               // inside the floor
  EXPECT_GT(pose.centre.y, pose.eye.y + 1);  // looking north, into the hall
  EXPECT_GT(pose.eye.z, 1.0);
}

TEST(Palette, ZoneColoursAreDistinct) {
  const auto types = names<ZoneType>();
  for (std::size_t i = 0; i < types.size(); ++i)
    for (std::size_t j = i + 1; j < types.size(); ++j) {
      const Rgb a = zone_colour(static_cast<ZoneType>(i)), b = zone_colour(static_cast<ZoneType>(j));
      const double d = std::hypot(a.r - b.r, a.g - b.g, a.b - b.b);
      EXPECT_GE(d, 30.0) << types[i] << " vs " << types[j];
    }
}

TEST(Palette, ZonesStandOutFromWallsAndTheBackground) {
  const auto types = names<ZoneType>();
  for (std::size_t i = 0; i < types.size(); ++i) {
    const Rgb z = zone_colour(static_cast<ZoneType>(i));
    for (Rgb other : {obstacle_colour(ObstacleKind::wall), background_colour(), seat_colour()})
      EXPECT_GE(std::hypot(z.r - other.r, z.g - other.g, z.b - other.b), 60.0) << types[i];
  }
}

double colour_distance(Rgb a, Rgb b) { return std::hypot(a.r - b.r, a.g - b.g, a.b - b.b); }

TEST(OverlayOptions, AcceptsRepeatedFlagsAndCommaLists) {
  std::vector<Overlay> out;
  EXPECT_FALSE(parse_overlays({"exit-distance,findings"}, out).has_value());
  EXPECT_EQ(out, (std::vector<Overlay>{Overlay::exit_distance, Overlay::findings}));
  EXPECT_FALSE(parse_overlays({"findings", " extinguisher-distance ", "findings,"}, out).has_value());
  EXPECT_EQ(out, (std::vector<Overlay>{Overlay::findings, Overlay::extinguisher_distance}));  // duplicates collapse
  EXPECT_FALSE(parse_overlays({}, out).has_value());
  EXPECT_TRUE(out.empty());
}

TEST(OverlayOptions, UnknownNameNamesTheFlagAndTheAllowedNames) {
  std::vector<Overlay> out;
  const auto error = parse_overlays({"exit-distance,exit-distanse"}, out);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("--overlay"), std::string::npos) << *error;
  EXPECT_NE(error->find("'exit-distanse'"), std::string::npos) << *error;
  for (const char* name : {"exit-distance", "extinguisher-distance", "findings"})
    EXPECT_NE(error->find(name), std::string::npos) << *error;
}

TEST(OverlayOptions, OneHeatmapAtATime) {
  std::vector<Overlay> out;
  const auto error = parse_overlays({"exit-distance", "extinguisher-distance"}, out);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("--overlay"), std::string::npos) << *error;
}

TEST(OverlayRamp, StopsAndColoursOutsideTheRamp) {
  const double limit_m = 30.0;
  EXPECT_EQ(colour_distance(ramp_colour(0.0, limit_m), ramp_stop_colour(0)), 0.0);
  EXPECT_EQ(colour_distance(ramp_colour(15.0, limit_m), ramp_stop_colour(1)), 0.0);
  EXPECT_EQ(colour_distance(ramp_colour(30.0, limit_m), ramp_stop_colour(2)), 0.0);  // at the limit: still passes
  EXPECT_EQ(colour_distance(ramp_colour(30.01, limit_m), beyond_limit_colour()), 0.0);
  EXPECT_EQ(colour_distance(ramp_colour(std::numeric_limits<double>::infinity(), limit_m), unreachable_colour()), 0.0);
  // Halfway between two stops is halfway between their colours.
  const Rgb g = ramp_stop_colour(0), y = ramp_stop_colour(1), q = ramp_colour(7.5, limit_m);
  EXPECT_NEAR(q.r, 0.5 * (g.r + y.r), 0.5);
  EXPECT_NEAR(q.g, 0.5 * (g.g + y.g), 0.5);
  EXPECT_NEAR(q.b, 0.5 * (g.b + y.b), 0.5);
}

TEST(OverlayRamp, FailingAndUnreachableColoursStandApartFromTheRamp) {
  for (int i = 0; i <= 100; ++i) {
    const Rgb c = ramp_colour(0.01 * i * 20.0, 20.0);
    EXPECT_GE(colour_distance(c, beyond_limit_colour()), 100.0) << i;
    EXPECT_GE(colour_distance(c, unreachable_colour()), 100.0) << i;
  }
  EXPECT_GE(colour_distance(unreachable_colour(), obstacle_colour(ObstacleKind::wall)), 40.0);
  EXPECT_GE(colour_distance(unreachable_colour(), background_colour()), 20.0);
}

}  // namespace
}  // namespace halltwin::render
