// "Halls that pass but must not" (issue 17), the load-time part: an
// impossible hall is refused at load (exit 2 in every command) with the
// file, line, field and what was expected, instead of passing the checker
// quietly. Each test is the regression test of one case of the trial.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "model/geometry/segment_on_outline.hpp"
#include "model/geometry/thin_parts.hpp"
#include "model/hall.hpp"
#include "model/scenario_loader.hpp"
#include "tests/support/load_errors.hpp"
#include "tests/support/mini_hall.hpp"

namespace halltwin {
namespace {

using testing::expect_scenario_error;
using testing::kMiniHall;
using testing::replaced;
using testing::scenario_error;
using testing::scenario_of;

// ---------------------------------------------------------------- exits to the outside

// The mini hall's internal door D3 stands in the free wall WL1 (x = 9.1, y 1..2),
// 1.5 m from the outline: made a safety exit, it would have counted as a way
// out of the building.
TEST(HallRefusals, ExitToOutsideInAFreeWallIsRefusedByName) {
  const std::string text = replaced(kMiniHall, "{id: D3, kind: internal,", "{id: D3, kind: exit,");
  expect_scenario_error(text, "{id: D3",
                        "floors[F1].doors[D3]: exit 'D3' leads outside (exit_to: outside, the default) but its "
                        "opening leaves the boundary of floor 'F1': (9.10, 1.50) is 1.50 m from it; an exit to "
                        "the outside lies on the floor's boundary (within 0.05 m)");
  // Said explicitly, the message points at exit_to.
  const std::string said =
      replaced(kMiniHall, "{id: D3, kind: internal, from: [9.1,1], to: [9.1,2]}",
               "{id: D3, kind: entrance_exit, exit_to: outside, from: [9.1,1], to: [9.1,2]}");
  expect_scenario_error(said, "{id: D3", "floors[F1].doors[D3].exit_to: exit 'D3' leads outside (exit_to: outside)");
}

// Both ends and the middle of this exit lie on the outline, so the older
// three-point test let it pass; between them it spans a recess 1 m deep.
TEST(HallRefusals, ExitAcrossARecessOfTheOutlineIsRefused) {
  std::string text = replaced(kMiniHall, "boundary: [[0,0],[12,0],[12,8],[0,8]]",
                              "boundary: [[0,0],[2.5,0],[2.5,1],[3.5,1],[3.5,0],[4.5,0],[4.5,1],[5.5,1],[5.5,0],"
                              "[12,0],[12,8],[0,8]]");
  text = replaced(text, "{id: D1, kind: entrance_exit, from: [1,0], to: [2.6,0]}",
                  "{id: D1, kind: entrance_exit, from: [2,0], to: [6,0]}");
  // The zone and seats the recesses cut into are not the point here.
  text = replaced(text, "      - {id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,4],[0,4]]}\n", "");
  text = replaced(text, "    seat_rows:\n      - {id: SA, from: [2,2], to: [8,2], count: 6}\n", "");
  expect_scenario_error(text, "{id: D1", "exit 'D1' leads outside (exit_to: outside, the default) but its opening "
                                         "leaves the boundary of floor 'F1': (3.00, 0.00) is 0.50 m from it");
}

// Within the outline's tolerance (5 cm, the loader's "on the boundary") an
// exit loads; a few millimetres make no difference to the verdict.
TEST(HallRefusals, ExitWithinTheToleranceOfTheOutlineLoads) {
  for (const char* y : {"0.0", "0.00001", "0.0000001", "0.04"}) {
    const std::string text = replaced(kMiniHall, "from: [1,0], to: [2.6,0]",
                                      fmt::format("from: [1,{}], to: [2.6,{}]", y, y));
    const Hall h = scenario_of(text);
    EXPECT_EQ(h.doors.size(), 3u) << y;
  }
}

TEST(HallRefusalsGeometry, SegmentOffOutlineIsExact) {
  const Polygon square{{0, 0}, {10, 0}, {10, 10}, {0, 10}};
  EXPECT_FALSE(geom::segment_off_outline(square, {{2, 0}, {8, 0}}, 0.05));
  // Around a corner, along two edges: still on the outline.
  EXPECT_FALSE(geom::segment_off_outline(square, {{10, 0.02}, {9.5, 0.0}}, 0.05));
  // Cutting the corner diagonally: its middle is 0.5 m from both sides.
  const auto cut = geom::segment_off_outline(square, {{9, 0}, {10, 1}}, 0.05);
  ASSERT_TRUE(cut);
  EXPECT_NEAR(cut->at.x, 9.5, 1e-6);
  EXPECT_NEAR(cut->distance_m, 0.5, 1e-6);
  // 6 cm off the outline all along.
  const auto off = geom::segment_off_outline(square, {{2, 0.06}, {8, 0.06}}, 0.05);
  ASSERT_TRUE(off);
  EXPECT_NEAR(off->distance_m, 0.06, 1e-9);
}

// ---------------------------------------------------------------- stairs

// The mini hall with a second floor whose exit U1 leads into a protected stair
// down to the ground floor's exit D2.
std::string with_stair(const std::string& f1_d2, const std::string& stair_from_door) {
  std::string t = replaced(kMiniHall, "{id: D2, kind: exit, from: [12,5], to: [12,6.5]}", f1_d2);
  return t + fmt::format(R"(  - id: F2
    storey: 2
    boundary: [[0,0],[12,0],[12,8],[0,8]]
    doors:
      - {{id: U1, kind: exit, exit_to: protected_stair, from: [12,5], to: [12,6.5]}}
stairs:
  - {{id: ST1, from: {{floor: F1, door: {}}}, to: {{floor: F2, door: U1}}, width_m: 1.4}}
)",
                         stair_from_door);
}

TEST(HallRefusals, ProtectedStairExitsWithTheirStairLoad) {
  const Hall h = scenario_of(
      with_stair("{id: D2, kind: exit, exit_to: protected_stair, from: [12,5], to: [12,6.5]}", "D2"));
  ASSERT_EQ(h.stairs.size(), 1u);
  EXPECT_EQ(h.doors[h.stairs[0].from_door.value].id, "D2");
  EXPECT_EQ(h.doors[h.stairs[0].to_door.value].id, "U1");
  // An outdoor stair: its ends are exits to the outside, on the outline.
  const Hall outdoor = scenario_of(replaced(with_stair("{id: D2, kind: exit, from: [12,5], to: [12,6.5]}", "D2"),
                                            "{id: U1, kind: exit, exit_to: protected_stair,", "{id: U1, kind: exit,"));
  EXPECT_EQ(outdoor.stairs.size(), 1u);
}

// Exits into a protected stair that is not in the file passed every egress
// rule, their people counted as safe at the stair door.
TEST(HallRefusals, ExitIntoAProtectedStairThatIsNotThereIsRefused) {
  const std::string text = replaced(kMiniHall, "{id: D2, kind: exit, from: [12,5], to: [12,6.5]}",
                                    "{id: D2, kind: exit, exit_to: protected_stair, from: [12,5], to: [12,6.5]}");
  expect_scenario_error(text, "{id: D2",
                        "floors[F1].doors[D2].exit_to: exit 'D2' leads into a protected stair (exit_to: "
                        "protected_stair) but no stair under 'stairs' has it as an end");
  // On an upper floor with a stair that ends elsewhere: refused all the same.
  const std::string upper = replaced(
      with_stair("{id: D2, kind: exit, exit_to: protected_stair, from: [12,5], to: [12,6.5]}", "D2"),
      "      - {id: U1, kind: exit, exit_to: protected_stair, from: [12,5], to: [12,6.5]}\n",
      "      - {id: U1, kind: exit, exit_to: protected_stair, from: [12,5], to: [12,6.5]}\n"
      "      - {id: U2, kind: exit, exit_to: protected_stair, from: [0,5], to: [0,6.5]}\n");
  expect_scenario_error(upper, "{id: U2", "exit 'U2' leads into a protected stair");
}

// A stair between internal doors was accepted: the people it carried came
// out of a door that leads nowhere.
TEST(HallRefusals, StairBetweenInternalDoorsIsRefused) {
  const std::string text =
      replaced(with_stair("{id: D2, kind: exit, exit_to: protected_stair, from: [12,5], to: [12,6.5]}", "D3"),
               "{id: U1, kind: exit, exit_to: protected_stair,", "{id: U1, kind: internal,");
  const std::string msg = scenario_error(text);
  const int line = testing::line_of(text, "  - {id: ST1");
  EXPECT_NE(msg.find(fmt::format("FILE:{}:", line)), std::string::npos) << msg;
  EXPECT_NE(msg.find("stairs[ST1].from.door: door 'D3' is an internal door (kind internal); a stair's ends are "
                     "safety exits (kind exit or entrance_exit)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("stairs[ST1].to.door: door 'U1' is an internal door (kind internal)"), std::string::npos)
      << msg;
  // The ground floor's D2 now leads into a stair that is not there.
  EXPECT_NE(msg.find("exit 'D2' leads into a protected stair"), std::string::npos) << msg;
}

TEST(HallRefusals, StairFromAnEntranceThatIsNoExitIsRefused) {
  const std::string text = with_stair("{id: D2, kind: entrance, from: [12,5], to: [12,6.5]}", "D2");
  expect_scenario_error(text, "  - {id: ST1",
                        "stairs[ST1].from.door: door 'D2' is an entrance only (kind entrance)");
}

// ---------------------------------------------------------------- thin parts

// A wall across the mini hall at x = 5, from y = 0 to y = 3, `t` metres thick.
std::string thin_wall(const std::string& x0, const std::string& x1) {
  return replaced(kMiniHall, "      - {id: WL1,",
                  fmt::format("      - {{id: WLT, polygon: [[{},0],[{},0],[{},3],[{},3]]}}\n      - {{id: WL1,",
                              x0, x1, x1, x0));
}

// 1e-5 m and 1e-7 m walls were ignored or took the whole walkable area
// depending on their thickness; now each is refused with the same verdict,
// wherever it sits on the raster.
TEST(HallRefusals, WallsThinnerThanAMillimetreAreRefusedWhateverTheirThickness) {
  for (const auto& [x0, x1] : std::vector<std::pair<std::string, std::string>>{{"5", "5.0009"},
                                                                               {"5", "5.0001"},
                                                                               {"5", "5.00001"},
                                                                               {"5", "5.0000001"},
                                                                               {"5.03", "5.03001"},
                                                                               {"5.03", "5.0300001"}}) {
    const std::string text = thin_wall(x0, x1);
    SCOPED_TRACE(x1);
    expect_scenario_error(text, "{id: WLT", "floors[F1].walls[WLT].polygon: invalid polygon: it is only ");
    expect_scenario_error(text, "{id: WLT", "mm wide at (" + x0);
  }
  // No thickness at all: refused as before (two distinct vertices).
  expect_scenario_error(thin_wall("5", "5"), "{id: WLT", "floors[F1].walls[WLT].polygon: invalid polygon: ");
  // One millimetre and more: a wall.
  for (const char* x1 : {"5.001", "5.002", "5.1"}) {
    const Hall h = scenario_of(thin_wall("5", x1));
    EXPECT_EQ(h.obstacles.size(), 3u) << x1;
  }
}

TEST(HallRefusals, ThinObstaclesZonesAndTailsAreRefused) {
  // A counter drawn as a triangle 0.2 mm high.
  expect_scenario_error(
      replaced(kMiniHall, "{id: C1, kind: counter, polygon: [[2,6],[8,6],[8,6.6],[2,6.6]]}",
               "{id: C1, kind: counter, polygon: [[2,6],[8,6],[5,6.0002]]}"),
      "{id: C1", "floors[F1].obstacles[C1].polygon: invalid polygon: it is only 0.2 mm wide");
  // A wall 0.2 m thick with a 0.5 mm tail closing the passage beside it.
  expect_scenario_error(
      replaced(kMiniHall, "{id: WL1, polygon: [[9,0],[9.2,0],[9.2,3],[9,3]]}",
               "{id: WL1, polygon: [[9,0],[9.2,0],[9.2,3],[9.1005,3],[9.1005,8],[9.1,8],[9.1,3],[9,3]]}"),
      "{id: WL1", "floors[F1].walls[WL1].polygon: invalid polygon: it is only 0.5 mm wide");
  // A zone that is a sliver along the wall.
  expect_scenario_error(replaced(kMiniHall, "{id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,4],[0,4]]}",
                                 "{id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,0.0003],[0,0.0003]]}"),
                        "{id: Z1", "floors[F1].zones[Z1].polygon: invalid polygon: it is only 0.3 mm wide");
}

// A floor whose outline nearly closes on itself: a slot 0.4 mm wide cut from
// the north wall down to y = 4.
TEST(HallRefusals, OutlineThatNearlyTouchesItselfIsRefused) {
  const std::string text =
      replaced(kMiniHall, "boundary: [[0,0],[12,0],[12,8],[0,8]]",
               "boundary: [[0,0],[12,0],[12,8],[6.0004,8],[6.0004,4],[6,4],[6,8],[0,8]]");
  expect_scenario_error(text, "boundary:",
                        "floors[F1].boundary: invalid polygon: its outline comes within 0.4 mm of itself");
}

TEST(HallRefusalsGeometry, ThinPartMeasure) {
  // A sharp corner is not a thin part unless its sides stay close for a whole edge.
  EXPECT_FALSE(geom::thin_part({{0, 0}, {10, 0}, {0, 1}}));
  EXPECT_FALSE(geom::thin_part({{0, 0}, {1, 0}, {1, 0.001}, {0, 0.001}}));  // exactly 1 mm
  const auto t = geom::thin_part({{0, 0}, {1, 0}, {1, 0.0004}, {0, 0.0004}});
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->inside);
  EXPECT_NEAR(t->width_m, 0.0004, 1e-12);
}

// The measure runs on every polygon at load: a 64,000-vertex outline (a comb
// of 0.1 m teeth, then with the slot before tooth 8,000 narrowed to 0.5 mm)
// answers in n log n.
TEST(HallRefusalsGeometry, ThinPartsOfAHugeOutlineAreFoundQuickly) {
  Polygon comb;
  for (int t = 0; t < 16'000; ++t) {
    const double x = 0.2 * t;
    comb.insert(comb.end(), {{x, 0}, {x + 0.1, 0}, {x + 0.1, -2}, {x + 0.2, -2}});
  }
  comb.push_back({0.2 * 16'000, 1});
  comb.push_back({0, 1});
  const std::clock_t t0 = std::clock();
  EXPECT_FALSE(geom::thin_part(comb));
  comb[4 * 8'000 + 1].x = comb[4 * 8'000].x + 0.0005;  // the slot at x = 1600: 0.5 mm
  comb[4 * 8'000 + 2].x = comb[4 * 8'000].x + 0.0005;
  const auto t = geom::thin_part(comb);
  const double s = static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC;
  ASSERT_TRUE(t);
  EXPECT_NEAR(t->at.x, 1600.0, 1e-6);
  EXPECT_NEAR(t->width_m, 0.0005, 1e-9);
  EXPECT_FALSE(t->inside);  // a gap across the outside, not a sliver
  EXPECT_LT(s, 3.0);  // measured ~0.1 s; generous for a loaded CI machine and the sanitizers
}

}  // namespace
}  // namespace halltwin
