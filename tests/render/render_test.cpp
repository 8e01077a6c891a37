// Screenshots of the 3D view, checked pixel by pixel against the palette and
// the top camera's projection. Needs an X server: ctest runs this binary under
// xvfb-run (tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include <osg/Image>
#include <osgDB/ReadFile>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>

#include "model/geometry/polygon_ops.hpp"
#include "model/scenario_loader.hpp"
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

}  // namespace
}  // namespace halltwin::render
