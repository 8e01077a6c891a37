// Screenshots of the 3D view, checked pixel by pixel against the palette and
// the top camera's projection. Needs an X server: ctest runs this binary under
// xvfb-run (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <osg/Image>
#include <osgDB/ReadFile>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/playback.hpp"
#include "model/trace/trace_writer.hpp"
#include "render/hall_scene.hpp"
#include "render/overlay_data.hpp"
#include "render/playback_scene.hpp"
#include "render/overlay_scene.hpp"
#include "render/overlays.hpp"
#include "render/palette.hpp"
#include "render/view_geometry.hpp"
#include "render/viewer.hpp"

namespace halltwin::render {
namespace {

namespace fs = std::filesystem;

// A 10 m x 6 m room: an internal wall at x = 6.0-6.3 with a door cut through
// it, a counter, an L-shaped (non-convex) zone listed after the zone in its
// notch, so a convex-hull triangulation would paint over the notch.
constexpr const char* kTinyScenario = R"(format: halltwin-scenario/1
hall:
  name: Render test hall
  level: village
  population_served: 100
  fire_resistance_grade: 2
  fire_hazard: medium
  sprinklered: false
floors:
  - id: F1
    storey: 1
    height_m: 3.5
    boundary: [[0, 0], [10, 0], [10, 6], [0, 6]]
    walls:
      - {id: W1, polygon: [[6.0, 0], [6.3, 0], [6.3, 6], [6.0, 6]]}
    obstacles:
      - {id: C1, kind: counter, polygon: [[1, 5.0], [5, 5.0], [5, 5.6], [1, 5.6]], height_m: 1.1}
    doors:
      - {id: D1, kind: entrance, from: [2, 0], to: [3.5, 0]}
      - {id: D2, kind: exit, from: [10, 2], to: [10, 3.5]}
      - {id: D3, kind: internal, from: [6.15, 1.0], to: [6.15, 2.2]}
    zones:
      - {id: ZW, type: waiting, name: Waiting, polygon: [[0, 0], [6, 0], [6, 3], [0, 3]]}
      - {id: ZA, type: window_area, name: Windows, polygon: [[0, 3], [6, 3], [6, 6], [0, 6]]}
      - {id: ZC, type: toilets, polygon: [[6.3, 3], [8, 3], [8, 6], [6.3, 6]]}
      - {id: ZB, type: back_office, polygon: [[6.3, 0], [10, 0], [10, 6], [8, 6], [8, 3], [6.3, 3]]}
    windows:
      - {id: A01, label: "A01", kind: comprehensive, position: [2, 4.3], facing: [0, -1]}
    seats:
      - {id: S1, position: [4.5, 1.0]}
    facilities:
      - {id: FE1, type: extinguisher, position: [9.5, 5.5], rating: 2A}
)";

struct Shot {
  int code = -1;
  osg::ref_ptr<osg::Image> image;
  std::string stderr_text;  // what run_view() said, for failure messages
};

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("halltwin-render-test-" + std::to_string(::getpid()));
    fs::create_directories(path_);
  }
  // HALLTWIN_RENDER_TEST_KEEP=1 keeps the screenshots for a look.
  ~TempDir() {
    if (const char* keep = std::getenv("HALLTWIN_RENDER_TEST_KEEP"); keep && *keep == '1') return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TempDir& temp() {
  static TempDir dir;
  return dir;
}

const Hall& tiny_hall() {
  static const Hall hall = [] {
    const fs::path file = temp().path() / "tiny.yaml";
    std::ofstream(file) << kTinyScenario;
    return load_scenario(file.string());
  }();
  return hall;
}

Shot render(const Hall& hall, const std::string& name, int width, int height, const std::string& camera = "top") {
  ViewOptions o;
  o.screenshot = (temp().path() / name).string();
  o.width = width;
  o.height = height;
  o.camera = camera;
  Shot s;
  testing::internal::CaptureStderr();
  s.code = run_view(hall, o);
  s.stderr_text = testing::internal::GetCapturedStderr();
  if (s.code == 0) s.image = osgDB::readImageFile(o.screenshot);
  return s;
}

// The pixel at row `row` from the top, whatever row order the PNG reader used.
Rgb pixel_at(const osg::Image& img, int column, int row) {
  const int r = img.getOrigin() == osg::Image::BOTTOM_LEFT ? img.t() - 1 - row : row;
  const unsigned char* p = img.data(column, r);
  return {p[0], p[1], p[2]};
}

Rgb pixel_at(const osg::Image& img, PixelPos pos) { return pixel_at(img, pos.column_index(), pos.row_index()); }

::testing::AssertionResult near_colour(Rgb actual, Rgb expected, int tolerance = 6) {
  const int dr = std::abs(actual.r - expected.r), dg = std::abs(actual.g - expected.g),
            db = std::abs(actual.b - expected.b);
  if (dr <= tolerance && dg <= tolerance && db <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "colour (" << int(actual.r) << ", " << int(actual.g) << ", "
                                       << int(actual.b) << ") is not (" << int(expected.r) << ", " << int(expected.g)
                                       << ", " << int(expected.b) << ") +- " << tolerance;
}

std::size_t distinct_colours(const osg::Image& img) {
  std::set<unsigned> colours;
  for (int y = 0; y < img.t(); ++y)
    for (int x = 0; x < img.s(); ++x) {
      const unsigned char* p = img.data(x, y);
      colours.insert((unsigned(p[0]) << 16) | (unsigned(p[1]) << 8) | p[2]);
    }
  return colours.size();
}

double share_near(const osg::Image& img, Rgb c, int tolerance = 6) {
  std::size_t n = 0;
  for (int y = 0; y < img.t(); ++y)
    for (int x = 0; x < img.s(); ++x) n += near_colour(pixel_at(img, x, y), c, tolerance) ? 1 : 0;
  return static_cast<double>(n) / (static_cast<double>(img.s()) * img.t());
}

// One render per case is enough and keeps the suite fast: cache them.
class TinyTop : public ::testing::Test {
 protected:
  static constexpr int kW = 640, kH = 400;  // not 16:9, so the fit is tested on a non-default aspect
  static void SetUpTestSuite() { shot_ = new Shot(render(tiny_hall(), "tiny-top.png", kW, kH)); }
  static void TearDownTestSuite() {
    delete shot_;
    shot_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(shot_->code, 0) << shot_->stderr_text;
    ASSERT_TRUE(shot_->image.valid()) << "screenshot PNG not readable";
    proj_ = top_projection(floor_bounds(tiny_hall(), FloorId{0}), kW, kH);
  }
  Rgb at(Vec2 world) const { return pixel_at(*shot_->image, proj_.to_pixel(world)); }

  static Shot* shot_;
  TopProjection proj_;
};
Shot* TinyTop::shot_ = nullptr;

TEST_F(TinyTop, HasTheRequestedSize) {
  EXPECT_EQ(shot_->image->s(), kW);
  EXPECT_EQ(shot_->image->t(), kH);
}

TEST_F(TinyTop, IsNotBlank) { EXPECT_GE(distinct_colours(*shot_->image), 8u); }

TEST_F(TinyTop, ZoneCentroidsShowTheZoneTypeColour) {
  for (const Zone& z : tiny_hall().zones) {
    const Vec2 c = geom::centroid(z.polygon);
    EXPECT_TRUE(near_colour(at(c), zone_colour(z.type))) << "zone " << z.id << " at (" << c.x << ", " << c.y << ")";
  }
}

TEST_F(TinyTop, NonConvexZoneLeavesItsNotchToTheZoneInside) {
  // ZC sits in the notch of the L-shaped ZB, which is drawn above it.
  EXPECT_TRUE(near_colour(at({7.15, 4.5}), zone_colour(ZoneType::toilets)));
  EXPECT_TRUE(near_colour(at({9.0, 4.5}), zone_colour(ZoneType::back_office)));
}

TEST_F(TinyTop, WallsCountersAndMarkersAreWhereTheModelPutsThem) {
  EXPECT_TRUE(near_colour(at({6.15, 4.5}), obstacle_colour(ObstacleKind::wall))) << "internal wall";
  EXPECT_TRUE(near_colour(at({5.0, 6.12}), obstacle_colour(ObstacleKind::wall))) << "exterior wall, north";
  EXPECT_TRUE(near_colour(at({3.5, 5.3}), obstacle_colour(ObstacleKind::counter))) << "counter";
  EXPECT_TRUE(near_colour(at({2.0, 4.3}), window_colour(WindowKind::comprehensive))) << "window marker";
  EXPECT_TRUE(near_colour(at({4.5, 1.0}), seat_colour())) << "seat";
  // The extinguisher's floor disc, beside the dark valve at its centre.
  EXPECT_TRUE(near_colour(at({9.62, 5.5}), facility_colour(FacilityType::extinguisher))) << "extinguisher";
}

TEST_F(TinyTop, DoorsAreCutThroughWallsAndColouredByKind) {
  EXPECT_TRUE(near_colour(at({6.15, 1.6}), door_colour(DoorKind::internal))) << "door in the internal wall";
  EXPECT_TRUE(near_colour(at({2.75, -0.12}), door_colour(DoorKind::entrance))) << "entrance in the exterior wall";
  EXPECT_TRUE(near_colour(at({10.12, 2.75}), door_colour(DoorKind::exit))) << "safety exit";
}

TEST_F(TinyTop, FloorFitsTheImageWithAMargin) {
  const Rgb bg = background_colour();
  EXPECT_TRUE(near_colour(pixel_at(*shot_->image, 0, 0), bg));
  EXPECT_TRUE(near_colour(pixel_at(*shot_->image, kW - 1, kH - 1), bg));
  // The floor's corners land inside the image, off its edges.
  for (Vec2 corner : {Vec2{0, 0}, Vec2{10, 6}}) {
    const PixelPos p = proj_.to_pixel(corner);
    EXPECT_GT(p.column, proj_.margin_px - 1.0);
    EXPECT_LT(p.column, kW - proj_.margin_px + 1.0);
    EXPECT_GT(p.row, proj_.margin_px - 1.0);
    EXPECT_LT(p.row, kH - proj_.margin_px + 1.0);
  }
}

TEST(RenderEntrance, LooksIntoTheHall) {
  const Shot s = render(tiny_hall(), "tiny-entrance.png", 480, 320, "entrance");
  ASSERT_EQ(s.code, 0) << s.stderr_text;
  ASSERT_TRUE(s.image.valid());
  EXPECT_EQ(s.image->s(), 480);
  EXPECT_EQ(s.image->t(), 320);
  EXPECT_GE(distinct_colours(*s.image), 8u);
  // Standing in the waiting zone, looking north: the window area's floor and
  // the counter fill a good part of the view (zones and tops are unlit, so
  // their colours are exact), the waiting zone is right in front.
  EXPECT_GT(share_near(*s.image, zone_colour(ZoneType::window_area)), 0.05);
  EXPECT_GT(share_near(*s.image, zone_colour(ZoneType::waiting)), 0.01);
  EXPECT_TRUE(near_colour(pixel_at(*s.image, 240, 319), zone_colour(ZoneType::waiting))) << "floor in front";
  EXPECT_GT(share_near(*s.image, obstacle_colour(ObstacleKind::counter), 60), 0.02) << "counter (shaded sides)";
  // Not the plan: the background does not frame the picture.
  EXPECT_LT(share_near(*s.image, background_colour()), 0.5);
}

TEST(RenderBundled, VillageTopViewShowsItsZones) {
  const Hall hall = load_scenario(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/village.yaml");
  const int w = 800, h = 560;
  const Shot s = render(hall, "village-top.png", w, h);
  ASSERT_EQ(s.code, 0) << s.stderr_text;
  ASSERT_TRUE(s.image.valid());
  EXPECT_EQ(s.image->s(), w);
  EXPECT_EQ(s.image->t(), h);
  EXPECT_GE(distinct_colours(*s.image), 10u);
  const FloorId f = *choose_floor(hall, "");
  const TopProjection proj = top_projection(floor_bounds(hall, f), w, h);
  // Zones whose centroid nothing else covers (seats, markers, devices and
  // facilities within 0.6 m, obstacles) must show their type's colour there.
  int checked = 0;
  for (const Zone& z : hall.zones) {
    if (z.floor != f) continue;
    const Vec2 c = geom::centroid(z.polygon);
    bool covered = false;
    auto near = [&](Vec2 p) { covered = covered || distance(p, c) < 0.6; };
    for (const auto& x : hall.seats) near(x.position);
    for (const auto& x : hall.windows) near(x.position);
    for (const auto& x : hall.devices) near(x.position);
    for (const auto& x : hall.facilities) near(x.position);
    for (const auto& o : hall.obstacles) covered = covered || geom::contains(o.polygon, c);
    if (covered) continue;
    ++checked;
    EXPECT_TRUE(near_colour(pixel_at(*s.image, proj.to_pixel(c)), zone_colour(z.type))) << "zone " << z.id;
  }
  EXPECT_GE(checked, 3);
}

TEST(RenderOutput, LeavesNoTemporaryFileBehind) {
  const Shot s = render(tiny_hall(), "clean.png", 200, 120);
  ASSERT_EQ(s.code, 0) << s.stderr_text;
  for (const auto& entry : fs::directory_iterator(temp().path()))
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST(RenderOutput, LargerThanTheXvfbScreen) {
  // xvfb-run's screen is 1280x720: a hidden window bigger than the screen must still read back fully.
  const Shot s = render(tiny_hall(), "big.png", 1920, 1080);
  ASSERT_EQ(s.code, 0) << s.stderr_text;
  const TopProjection proj = top_projection(floor_bounds(tiny_hall(), FloorId{0}), 1920, 1080);
  EXPECT_TRUE(near_colour(pixel_at(*s.image, proj.to_pixel({9.0, 4.5})), zone_colour(ZoneType::back_office)));
  EXPECT_TRUE(near_colour(pixel_at(*s.image, proj.to_pixel({9.62, 5.5})), facility_colour(FacilityType::extinguisher)));
}

TEST(RenderOutput, WithoutDisplayExitsTwoAndWritesNothing) {
  const char* display = std::getenv("DISPLAY");
  const std::string saved = display ? display : "";
  ::unsetenv("DISPLAY");
  const Shot s = render(tiny_hall(), "nodisplay.png", 200, 120);
  if (!saved.empty()) ::setenv("DISPLAY", saved.c_str(), 1);
  EXPECT_EQ(s.code, 2);
  EXPECT_NE(s.stderr_text.find("xvfb-run"), std::string::npos) << s.stderr_text;
  EXPECT_FALSE(fs::exists(temp().path() / "nodisplay.png"));
}

TEST(RenderInteractive, RunsFramesWithThePanelAndQuits) {
  // The interactive path (visible window, orbit manipulator, ImGui panel) for
  // a few frames; the last frame, panel included, is captured.
  ViewOptions o;
  o.width = 800;
  o.height = 500;
  o.max_frames = 3;
  o.capture_last_frame = (temp().path() / "interactive.png").string();
  ASSERT_EQ(run_view(tiny_hall(), o), 0);
  const osg::ref_ptr<osg::Image> img = osgDB::readImageFile(o.capture_last_frame);
  ASSERT_TRUE(img.valid());
  EXPECT_EQ(img->s(), 800);
  EXPECT_EQ(img->t(), 500);
  // The interactive top preset frames the floor like the screenshot does.
  const TopProjection proj = top_projection(floor_bounds(tiny_hall(), FloorId{0}), 800, 500);
  EXPECT_TRUE(near_colour(pixel_at(*img, proj.to_pixel({9.0, 4.5})), zone_colour(ZoneType::back_office), 10));
  // The panel sits at the top-left corner, over the background: ImGui's dark
  // window colour, not the scene's background.
  EXPECT_FALSE(near_colour(pixel_at(*img, 30, 60), background_colour(), 2));
}

// ---------------------------------------------------------------------------
// Overlays: heatmaps of the checker's walking-distance fields and markers at
// its findings.

const std::string& default_rulebook() {
  static const std::string path = std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/default.yaml";
  return path;
}

Hall load_inline(const std::string& name, const std::string& yaml) {
  const fs::path file = temp().path() / name;
  std::ofstream(file) << yaml;
  return load_scenario(file.string());
}

// A 12 m x 6 m room with one safety exit on its west side (y 2-4), an
// extinguisher on the south wall and, in the north-east corner, a closet
// walled in without a door.
constexpr const char* kExitRoom = R"(format: halltwin-scenario/1
hall:
  name: Exit room
  level: village
  population_served: 100
  fire_resistance_grade: 2
  fire_hazard: medium
  sprinklered: false
floors:
  - id: F1
    storey: 1
    height_m: 3.5
    boundary: [[0, 0], [12, 0], [12, 6], [0, 6]]
    walls:
      - {id: WC1, polygon: [[10, 4], [10.2, 4], [10.2, 6], [10, 6]]}
      - {id: WC2, polygon: [[10.2, 4], [12, 4], [12, 4.2], [10.2, 4.2]]}
    doors:
      - {id: D1, kind: exit, from: [0, 2], to: [0, 4]}
    facilities:
      - {id: FE1, type: extinguisher, position: [6, 0.3], rating: 2A}
)";

// The flaw: a 40 m long hall whose only exit is at its west end, so its
// east end is more than 30 m from the exit (egress.travel_distance fails
// there, the farthest point being the south-east corner). Everything else
// that has a location passes.
constexpr const char* kLongHall = R"(format: halltwin-scenario/1
hall:
  name: Long hall
  level: village
  population_served: 100
  fire_resistance_grade: 2
  fire_hazard: medium
  sprinklered: false
  fresh_air_m3h: 3000
floors:
  - id: F1
    storey: 1
    height_m: 3.5
    boundary: [[0, 0], [60, 0], [60, 6], [0, 6]]
    doors:
      - {id: D1, kind: entrance_exit, from: [0, 3.0], to: [0, 5.0]}
    facilities:
      - {id: FE1, type: extinguisher, position: [10, 0.3], rating: 2A}
      - {id: FE2, type: extinguisher, position: [30, 0.3], rating: 2A}
      - {id: FE3, type: extinguisher, position: [10, 0.6], rating: 2A}
      - {id: FE4, type: extinguisher, position: [30, 0.6], rating: 2A}
      - {id: FE5, type: extinguisher, position: [50, 0.3], rating: 2A}
      - {id: FE6, type: extinguisher, position: [50, 0.6], rating: 2A}
      - {id: ES1, type: exit_sign, position: [0.3, 4.0]}
      - {id: ES2, type: exit_sign, position: [15, 5.7]}
      - {id: ES3, type: exit_sign, position: [30, 5.7]}
      - {id: ES4, type: exit_sign, position: [45, 5.7]}
      - {id: EL1, type: emergency_light, position: [20, 3]}
      - {id: EL2, type: emergency_light, position: [45, 3]}
)";

// Shortest distance from p to the segment ab: the walking distance in a room
// with nothing between p and the target.
double to_segment_m(Vec2 p, Vec2 a, Vec2 b) {
  const Vec2 d = b - a;
  const double t = std::clamp(dot(p - a, d) / dot(d, d), 0.0, 1.0);
  return distance(p, a + t * d);
}

Shot render_overlays(const Hall& hall, const std::string& name, int width, int height, const std::vector<Overlay>& on) {
  ViewOptions o;
  o.screenshot = (temp().path() / name).string();
  o.width = width;
  o.height = height;
  o.overlays = on;
  o.rulebook = default_rulebook();
  Shot s;
  testing::internal::CaptureStderr();
  s.code = run_view(hall, o);
  s.stderr_text = testing::internal::GetCapturedStderr();
  if (s.code == 0) s.image = osgDB::readImageFile(o.screenshot);
  return s;
}

class OverlayShot : public ::testing::Test {
 protected:
  void check_shot(const Shot& s) {
    ASSERT_EQ(s.code, 0) << s.stderr_text;
    ASSERT_TRUE(s.image.valid()) << "screenshot PNG not readable";
  }
  // The pixel showing world point p, and the world point at that pixel's
  // centre (where the expected value must be computed: the cells are finer
  // than the pixels are wide in a large hall, and colours change with distance).
  static std::pair<Rgb, Vec2> sample(const Shot& s, const TopProjection& proj, Vec2 p) {
    const PixelPos px = proj.to_pixel(p);
    const Vec2 centre = proj.to_world({px.column_index() + 0.5, px.row_index() + 0.5});
    return {pixel_at(*s.image, px), centre};
  }
};

TEST_F(OverlayShot, ExitDistanceRampsFromTheExitToTheFarCorner) {
  const Hall hall = load_inline("exit-room.yaml", kExitRoom);
  const int w = 720, h = 400;
  const Shot s = render_overlays(hall, "exit-room-exit-distance.png", w, h, {Overlay::exit_distance});
  check_shot(s);
  const TopProjection proj = top_projection(floor_bounds(hall, FloorId{0}), w, h);
  OverlayData data(hall, default_rulebook());
  const HeatmapLimit limit = data.limit(Overlay::exit_distance);
  // The heatmap is the walking field: its limit is the walking rule's (the straight line of
  // GB 50016 5.5.17, egress.travel_distance, is a field of its own).
  EXPECT_EQ(limit.rule, "egress.walking_distance");
  EXPECT_DOUBLE_EQ(limit.limit_m, 45.0);
  const Vec2 a{0, 2}, b{0, 4};

  // Just inside the exit (past its 0.25 m deep door strip): the ramp's 0 m colour.
  const auto [near_exit, near_at] = sample(s, proj, {0.4, 3.0});
  EXPECT_LT(to_segment_m(near_at, a, b), 0.45);
  EXPECT_TRUE(near_colour(near_exit, ramp_stop_colour(0), 8)) << "beside the exit";
  EXPECT_TRUE(near_colour(near_exit, ramp_colour(to_segment_m(near_at, a, b), limit.limit_m), 4)) << "beside the exit";

  // The far corner: the colour of its distance, about 12.2 m.
  const auto [far, far_at] = sample(s, proj, {11.85, 0.15});
  const double far_m = to_segment_m(far_at, a, b);
  EXPECT_NEAR(far_m, std::hypot(11.85, 1.85), 0.1);
  EXPECT_TRUE(near_colour(far, ramp_colour(far_m, limit.limit_m), 4)) << "far corner at " << far_m << " m";
  // ... which is what the checker's own field says there.
  const geom::DistanceField* field = data.field(Overlay::exit_distance, FloorId{0});
  ASSERT_NE(field, nullptr);
  EXPECT_NEAR(field->at(far_at), far_m, 1e-6);

  // The closet has no door: no exit can be reached from it.
  EXPECT_TRUE(near_colour(sample(s, proj, {11.1, 5.1}).first, unreachable_colour())) << "closet";
  // Walls and door strips stay on top of the heatmap.
  EXPECT_TRUE(near_colour(sample(s, proj, {10.1, 5.0}).first, obstacle_colour(ObstacleKind::wall))) << "closet wall";
  EXPECT_TRUE(near_colour(sample(s, proj, {-0.12, 3.0}).first, door_colour(DoorKind::exit))) << "exit strip";
}

TEST_F(OverlayShot, ExtinguisherDistanceRampsToTheHazardsLimit) {
  const Hall hall = load_inline("exit-room.yaml", kExitRoom);
  const int w = 720, h = 400;
  const Shot s = render_overlays(hall, "exit-room-extinguisher-distance.png", w, h, {Overlay::extinguisher_distance});
  check_shot(s);
  const TopProjection proj = top_projection(floor_bounds(hall, FloorId{0}), w, h);
  OverlayData data(hall, default_rulebook());
  const HeatmapLimit limit = data.limit(Overlay::extinguisher_distance);
  EXPECT_EQ(limit.rule, "fire.extinguisher_distance");
  EXPECT_DOUBLE_EQ(limit.limit_m, 20.0);  // medium hazard, class A
  const Vec2 fe{6, 0.3};
  for (Vec2 p : {Vec2{6.0, 2.0}, Vec2{0.4, 5.6}, Vec2{9.6, 5.6}}) {
    const auto [colour, at] = sample(s, proj, p);
    const double d_m = distance(at, fe);
    EXPECT_TRUE(near_colour(colour, ramp_colour(d_m, limit.limit_m), 4)) << "at (" << p.x << ", " << p.y << "), " << d_m << " m";
  }
  EXPECT_TRUE(near_colour(sample(s, proj, {11.1, 5.1}).first, unreachable_colour())) << "closet";
}

TEST_F(OverlayShot, FlawShowsBeyondTheLimitAndAMarkerAtTheFinding) {
  const Hall hall = load_inline("long-hall.yaml", kLongHall);
  const int w = 900, h = 260;
  const Shot s = render_overlays(hall, "long-hall-findings.png", w, h, {Overlay::exit_distance, Overlay::findings});
  check_shot(s);
  const TopProjection proj = top_projection(floor_bounds(hall, FloorId{0}), w, h);

  // The finding as `halltwin check` reports it, independently of the overlay code.
  const check::Checker checker(load_rulebook(default_rulebook()));
  const std::vector<check::Finding> findings = checker.run(hall);
  const auto travel = std::find_if(findings.begin(), findings.end(),
                                   [](const check::Finding& f) { return f.rule == "egress.travel_distance"; });
  ASSERT_NE(travel, findings.end());
  ASSERT_EQ(travel->status, check::Status::fail);
  ASSERT_TRUE(travel->location.has_value());
  EXPECT_EQ(travel->floor, "F1");
  EXPECT_GT(travel->location->x, 55.0);  // the east end
  // With the walking distance (the same east end), the only failing or warning findings with a
  // location: their markers stand at the east end alone.
  for (const check::Finding& f : findings) {
    if (&f != &*travel && f.rule != "egress.walking_distance" &&
        (f.status == check::Status::fail || f.status == check::Status::warn)) {
      EXPECT_FALSE(f.location.has_value()) << f.rule;
    }
  }

  // The heatmap is the walking field with egress.walking_distance's limit (45 m, issue 15).
  // More than 45 m from the exit: the beyond-limit colour.
  const auto [east, east_at] = sample(s, proj, {56.0, 5.2});
  EXPECT_GT(to_segment_m(east_at, {0, 3}, {0, 5}), 45.0);
  EXPECT_TRUE(near_colour(east, beyond_limit_colour())) << "east end";
  // Within the limit the ramp shows.
  const auto [west, west_at] = sample(s, proj, {10.0, 4.0});
  EXPECT_TRUE(near_colour(west, ramp_colour(to_segment_m(west_at, {0, 3}, {0, 5}), 45.0), 4)) << "west half";

  // The marker: the fail colour at the location (the ring's centre) and on its ring.
  const Vec2 at = *travel->location;
  EXPECT_TRUE(near_colour(pixel_at(*s.image, proj.to_pixel(at)), finding_fail_colour())) << "marker centre";
  const Bounds2 b = floor_bounds(hall, FloorId{0});
  const double ring_r = finding_marker_radius_m(std::max(b.width_m(), b.height_m()));
  EXPECT_TRUE(near_colour(pixel_at(*s.image, proj.to_pixel({at.x - 0.8 * ring_r, at.y})), finding_fail_colour()))
      << "marker ring";
  // Between ring and centre: white, which makes it stand out on red and magenta.
  EXPECT_TRUE(near_colour(pixel_at(*s.image, proj.to_pixel({at.x - 0.42 * ring_r, at.y})), {255, 255, 255}))
      << "marker's white edge";
}

TEST(OverlayOptionsInView, OverlaysWithoutARulebookAreRefused) {
  ViewOptions o;
  o.screenshot = (temp().path() / "no-rulebook.png").string();
  o.overlays = {Overlay::exit_distance};
  testing::internal::CaptureStderr();
  EXPECT_EQ(run_view(tiny_hall(), o), 1);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("rulebook"), std::string::npos);
  EXPECT_FALSE(fs::exists(o.screenshot));
}

TEST(OverlayOptionsInView, BadRulebookIsAnInputErrorBeforeAnyWindow) {
  ViewOptions o;
  o.screenshot = (temp().path() / "bad-rulebook.png").string();
  o.overlays = {Overlay::findings};
  o.rulebook = (temp().path() / "no-such-rulebook.yaml").string();
  EXPECT_THROW(run_view(tiny_hall(), o), InputError);
  EXPECT_FALSE(fs::exists(o.screenshot));
}

TEST(OverlayOptionsInView, ScreenshotWithoutOverlaysNeedsNoRulebook) {
  ViewOptions o;
  o.screenshot = (temp().path() / "unused-rulebook.png").string();
  o.width = 200;
  o.height = 120;
  o.rulebook = (temp().path() / "no-such-rulebook.yaml").string();
  testing::internal::CaptureStderr();
  const int code = run_view(tiny_hall(), o);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, 0) << err;
  EXPECT_TRUE(fs::exists(o.screenshot));
}

TEST(RenderInteractive, ShowsOverlaysAskedForOnTheCommandLine) {
  // The interactive path with overlays on from the start: heatmap, markers
  // and the panel's legend are built; the heatmap is where the screenshot puts it.
  const Hall hall = load_inline("long-hall.yaml", kLongHall);
  ViewOptions o;
  o.width = 900;
  o.height = 500;
  o.max_frames = 3;
  o.capture_last_frame = (temp().path() / "interactive-overlays.png").string();
  o.overlays = {Overlay::exit_distance, Overlay::findings};
  o.rulebook = default_rulebook();
  ASSERT_EQ(run_view(hall, o), 0);
  const osg::ref_ptr<osg::Image> img = osgDB::readImageFile(o.capture_last_frame);
  ASSERT_TRUE(img.valid());
  const TopProjection proj = top_projection(floor_bounds(hall, FloorId{0}), 900, 500);
  EXPECT_TRUE(near_colour(pixel_at(*img, proj.to_pixel({56.0, 5.2})), beyond_limit_colour(), 10));
}

// ---------------------------------------------------------------------------
// Traces: people coloured by state where the trace puts them; several floors;
// the interactive playback; videos.

TraceEvent person_event(double t, EventType type, const std::string& who, std::optional<Vec2> at) {
  TraceEvent e;
  e.time_s = t;
  e.type = type;
  e.entity = who;
  e.kind = EntityKind::citizen;
  e.position = at;
  if (at) e.floor = "F1";
  return e;
}

// In the tiny hall at t = 101 s: C1 walks from (1, 0.5) to (3, 1.5) (at
// (2, 1) now), C2 sits on S1, C3 is served at A01, C4 stands at (1, 2).
std::string tiny_trace(const std::string& scenario = "Render test hall") {
  static int n = 0;
  const fs::path file = temp().path() / ("tiny-trace-" + std::to_string(n++) + ".csv");
  TraceHeader h;
  h.scenario = scenario;
  h.source = "halltwin run";
  h.sample_interval_s = 1.0;
  TraceWriter w(file, h);
  auto seated = person_event(50, EventType::seated, "C2", Vec2{4.5, 1.0});
  seated.seat = "S1";
  auto served = person_event(60, EventType::service_start, "C3", Vec2{2.0, 4.3});
  served.window = "A01";
  w.write(seated);
  w.write(served);
  w.write(person_event(70, EventType::standing, "C4", Vec2{1.0, 2.0}));
  w.write(person_event(100, EventType::entered, "C1", Vec2{1.0, 0.5}));
  w.write(person_event(102, EventType::position, "C1", Vec2{3.0, 1.5}));
  w.write(person_event(200, EventType::left, "C1", Vec2{2.7, 0.0}));
  w.close();
  return file.string();
}

Shot render_trace(const Hall& hall, const std::string& name, int width, int height, const std::string& trace,
                  double at_s, const std::string& camera = "top", const std::string& floor = "") {
  ViewOptions o;
  o.screenshot = (temp().path() / name).string();
  o.width = width;
  o.height = height;
  o.camera = camera;
  o.trace = trace;
  o.at_s = at_s;
  o.floor = floor;
  Shot s;
  testing::internal::CaptureStderr();
  try {
    s.code = run_view(hall, o);
  } catch (const InputError& e) {
    s.code = 2;
    std::cerr << e.what();
  }
  s.stderr_text = testing::internal::GetCapturedStderr();
  if (s.code == 0) s.image = osgDB::readImageFile(o.screenshot);
  return s;
}

TEST(RenderTrace, EachPersonShowsTheirStateColourAtTheirProjectedPosition) {
  const int w = 640, h = 400;
  const Shot s = render_trace(tiny_hall(), "trace-top.png", w, h, tiny_trace(), 101.0);
  ASSERT_EQ(s.code, 0) << s.stderr_text;
  ASSERT_TRUE(s.image.valid());
  const TopProjection proj = top_projection(floor_bounds(tiny_hall(), FloorId{0}), w, h);
  const auto at = [&](Vec2 p) { return pixel_at(*s.image, proj.to_pixel(p)); };
  EXPECT_TRUE(near_colour(at({2.0, 1.0}), person_state_colour(PersonState::walking))) << "C1, interpolated";
  EXPECT_TRUE(near_colour(at({4.5, 1.0}), person_state_colour(PersonState::waiting_seated))) << "C2 on S1";
  EXPECT_TRUE(near_colour(at({2.0, 4.3}), person_state_colour(PersonState::at_window))) << "C3 at A01";
  EXPECT_TRUE(near_colour(at({1.0, 2.0}), person_state_colour(PersonState::waiting_standing))) << "C4";
  // Where C1 was a second ago and will be later: the waiting zone, no figure.
  EXPECT_TRUE(near_colour(at({1.0, 0.8}), zone_colour(ZoneType::waiting)));
  // Zones keep their colours at their centroids.
  for (const Zone& z : tiny_hall().zones) {
    const Vec2 c = geom::centroid(z.polygon);
    EXPECT_TRUE(near_colour(at(c), zone_colour(z.type))) << "zone " << z.id;
  }
}

TEST(RenderTrace, DensityHeatmapBlendsOverTheZones) {
  const int w = 640, h = 400;
  ViewOptions o;
  o.screenshot = (temp().path() / "trace-density.png").string();
  o.width = w;
  o.height = h;
  o.trace = tiny_trace();
  o.at_s = 101.0;
  o.density = true;
  ASSERT_EQ(run_view(tiny_hall(), o), 0);
  const osg::ref_ptr<osg::Image> img = osgDB::readImageFile(o.screenshot);
  ASSERT_TRUE(img.valid());
  const TopProjection proj = top_projection(floor_bounds(tiny_hall(), FloorId{0}), w, h);
  // C4 stands at (1, 2): the 1 m cell [1, 2) x [2, 3) holds 1 person/m2; away
  // from the figure, the cell shows the density colour blended over the waiting zone.
  const osg::Vec4ub d = density_colour(1.0);
  const Rgb zone = zone_colour(ZoneType::waiting);
  const double a = d.a() / 255.0;
  const auto mix = [&](unsigned char c, unsigned char under) {
    return static_cast<unsigned char>(std::lround(a * c + (1.0 - a) * under));
  };
  const Rgb expected{mix(d.r(), zone.r), mix(d.g(), zone.g), mix(d.b(), zone.b)};
  EXPECT_TRUE(near_colour(pixel_at(*img, proj.to_pixel({1.6, 2.8})), expected));
  // An empty cell keeps the zone colour.
  EXPECT_TRUE(near_colour(pixel_at(*img, proj.to_pixel({3.5, 2.5})), zone));
}

TEST(RenderTrace, LaterTheWalkerHasLeft) {
  const int w = 320, h = 200;
  const Shot s = render_trace(tiny_hall(), "trace-late.png", w, h, tiny_trace(), 200.0);
  ASSERT_EQ(s.code, 0) << s.stderr_text;
  const TopProjection proj = top_projection(floor_bounds(tiny_hall(), FloorId{0}), w, h);
  EXPECT_EQ(share_near(*s.image, person_state_colour(PersonState::walking), 3), 0.0);
  EXPECT_TRUE(near_colour(pixel_at(*s.image, proj.to_pixel({4.5, 1.0})), person_state_colour(PersonState::waiting_seated)));
}

TEST(RenderTrace, ATimeOutsideTheTraceIsAnInputErrorNamingTheTrace) {
  const std::string trace = tiny_trace();
  const Shot s = render_trace(tiny_hall(), "trace-outside.png", 320, 200, trace, 300.0);
  EXPECT_EQ(s.code, 2);
  EXPECT_NE(s.stderr_text.find(trace), std::string::npos) << s.stderr_text;
  EXPECT_NE(s.stderr_text.find("--at"), std::string::npos) << s.stderr_text;
  EXPECT_NE(s.stderr_text.find("00:05:00 is outside the trace, which runs from 00:00:50 to 00:03:20"), std::string::npos)
      << s.stderr_text;
  EXPECT_FALSE(fs::exists(temp().path() / "trace-outside.png"));
}

TEST(RenderTrace, ATraceOfAnotherHallIsAnInputError) {
  const std::string trace = tiny_trace("县政务服务中心");
  const Shot s = render_trace(tiny_hall(), "trace-other.png", 320, 200, trace, 101.0);
  EXPECT_EQ(s.code, 2);
  EXPECT_NE(s.stderr_text.find(trace + ":2:1: error: #scenario"), std::string::npos) << s.stderr_text;
}

// Two floors: a waiting room below, a self-service room above, one protected stair
// (its doors are safety exits: the loader refuses a stair between internal doors).
constexpr const char* kTwoFloors = R"(format: halltwin-scenario/1
hall:
  name: Two floors
  level: township
  population_served: 100
  fire_resistance_grade: 2
  fire_hazard: medium
  sprinklered: false
floors:
  - id: F1
    storey: 1
    height_m: 4.0
    boundary: [[0, 0], [12, 0], [12, 8], [0, 8]]
    doors:
      - {id: D1, kind: entrance_exit, from: [2, 0], to: [4, 0]}
      - {id: S1-D, kind: exit, exit_to: protected_stair, from: [12, 5], to: [12, 6.5]}
    zones:
      - {id: Z1, type: waiting, polygon: [[0, 0], [12, 0], [12, 8], [0, 8]]}
  - id: F2
    storey: 2
    height_m: 4.0
    boundary: [[0, 0], [12, 0], [12, 8], [0, 8]]
    doors:
      - {id: S2-D, kind: exit, exit_to: protected_stair, from: [12, 5], to: [12, 6.5]}
    zones:
      - {id: Z2, type: self_service, polygon: [[0, 0], [12, 0], [12, 8], [0, 8]]}
stairs:
  - {id: ST1, from: {floor: F1, door: S1-D}, to: {floor: F2, door: S2-D}, width_m: 1.5}
)";

TEST(RenderFloors, AllFloorsExplodedShowBothFloorsAndTheStair) {
  const Hall hall = load_inline("two-floors.yaml", kTwoFloors);
  ViewOptions o;
  o.screenshot = (temp().path() / "two-floors.png").string();
  o.width = 640;
  o.height = 400;
  o.camera = "iso";
  o.floor = "all";
  ASSERT_EQ(run_view(hall, o), 0);
  const osg::ref_ptr<osg::Image> img = osgDB::readImageFile(o.screenshot);
  ASSERT_TRUE(img.valid());
  // Much of each floor hides behind its walls in a bird's eye view.
  EXPECT_GT(share_near(*img, zone_colour(ZoneType::waiting)), 0.01) << "ground floor";
  EXPECT_GT(share_near(*img, zone_colour(ZoneType::self_service)), 0.003) << "first floor";
  EXPECT_GT(share_near(*img, stair_colour(), 3), 0.0005) << "the stair";
  // The elevations: the first floor above the ground floor's ceiling plus the gap.
  const std::vector<double> z = floor_elevations(hall, FloorMode::exploded);
  EXPECT_DOUBLE_EQ(z[0], 0.0);
  EXPECT_DOUBLE_EQ(z[1], 4.0 * (1.0 + kExplodedGapFactor));
  EXPECT_DOUBLE_EQ(floor_elevations(hall, FloorMode::stacked)[1], 4.0);
}

TEST(RenderFloors, OneFloorShowsOnlyThatFloor) {
  const Hall hall = load_inline("two-floors.yaml", kTwoFloors);
  ViewOptions o;
  o.screenshot = (temp().path() / "upper-floor.png").string();
  o.width = 320;
  o.height = 200;
  o.camera = "iso";
  o.floor = "F2";
  ASSERT_EQ(run_view(hall, o), 0);
  const osg::ref_ptr<osg::Image> img = osgDB::readImageFile(o.screenshot);
  ASSERT_TRUE(img.valid());
  EXPECT_EQ(share_near(*img, zone_colour(ZoneType::waiting), 2), 0.0);
  EXPECT_GT(share_near(*img, zone_colour(ZoneType::self_service)), 0.02);
}

TEST(RenderInteractive, PlaysATraceForScriptedFramesAndQuits) {
  ViewOptions o;
  o.width = 1100;
  o.height = 650;
  o.max_frames = 12;
  o.trace = tiny_trace();
  o.at_s = 60.0;
  o.autoplay = true;
  o.play_speed = 30.0;  // 1 s of trace a scripted frame
  o.capture_last_frame = (temp().path() / "interactive-trace.png").string();
  testing::internal::CaptureStderr();
  const int code = run_view(tiny_hall(), o);
  const std::string err = testing::internal::GetCapturedStderr();
  ASSERT_EQ(code, 0) << err;
  // Twelve frames, each a second of trace further.
  EXPECT_NE(err.find("12 frames, trace time 00:01:00 -> 00:01:12"), std::string::npos) << err;
  const osg::ref_ptr<osg::Image> img = osgDB::readImageFile(o.capture_last_frame);
  ASSERT_TRUE(img.valid());
  // C2 still seated on S1 in the last frame.
  // (The panels cover the left and right edges of the plan.)
  const TopProjection proj = top_projection(floor_bounds(tiny_hall(), FloorId{0}), 1100, 650);
  EXPECT_TRUE(near_colour(pixel_at(*img, proj.to_pixel({4.5, 1.0})), person_state_colour(PersonState::waiting_seated), 10));
}

TEST(RenderVideo, HasTheRequestedFrameCount) {
  if (std::system("command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null") != 0)
    GTEST_SKIP() << "ffmpeg/ffprobe not installed (tools/install-deps.sh installs them)";
  ViewOptions o;
  o.record = (temp().path() / "tiny.mp4").string();
  o.width = 320;
  o.height = 200;
  o.trace = tiny_trace();
  o.from_s = 90.0;
  o.to_s = 120.0;
  o.fps = 10.0;
  o.speed = 10.0;  // 30 s of trace at 10 simulated s per video s: 3 s of video, 30 frames
  testing::internal::CaptureStderr();
  const int code = run_view(tiny_hall(), o);
  const std::string err = testing::internal::GetCapturedStderr();
  ASSERT_EQ(code, 0) << err;
  const std::string out = (temp().path() / "frames.txt").string();
  ASSERT_EQ(std::system(("ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height "
                         "-of csv=p=0 '" + o.record + "' > '" + out + "'").c_str()),
            0);
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "320,200,30");
  for (const auto& entry : fs::directory_iterator(temp().path()))
    EXPECT_EQ(entry.path().filename().string().find(".tiny.tmp"), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace halltwin::render
