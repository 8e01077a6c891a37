// The scenario loader: a valid file loads completely; each kind of bad input
// is rejected with a message naming the file, line, column, field and what
// was expected.
#include "model/scenario_loader.hpp"

#include <gtest/gtest.h>

#include "model/input_error.hpp"
#include "tests/support/load_errors.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

// Loads `text` expecting failure; returns the whole message with the temp path replaced by "FILE".
std::string load_error(const std::string& text) { return testing::scenario_error(text); }

using testing::kMiniHall;
using testing::replaced;
using testing::TempFile;

TEST(ScenarioLoaderTest, LoadsTheMiniHallCompletely) {
  TempFile f(kMiniHall);
  const Hall h = load_scenario(f.path());
  EXPECT_EQ(h.name, "测试大厅");
  EXPECT_EQ(h.level, AdminLevel::village);
  EXPECT_EQ(h.floors.size(), 1u);
  EXPECT_EQ(h.obstacles.size(), 2u);  // the wall and the counter
  EXPECT_EQ(h.obstacles[0].kind, ObstacleKind::wall);
  EXPECT_EQ(h.doors.size(), 3u);
  EXPECT_TRUE(h.doors[0].is_safety_exit());
  EXPECT_TRUE(h.doors[0].is_entrance());
  EXPECT_DOUBLE_EQ(h.doors[0].clear_width_m, 1.6);
  EXPECT_EQ(h.zones.size(), 2u);
  ASSERT_EQ(h.windows.size(), 2u);
  EXPECT_EQ(h.windows[1].kind, WindowKind::accessible_low);
  ASSERT_EQ(h.windows[0].matters.size(), 1u);
  EXPECT_EQ(h.matters[h.windows[0].matters[0].value].name, "社保参保登记");
  EXPECT_DOUBLE_EQ(h.windows[0].facing.y, -1.0);
  ASSERT_EQ(h.seats.size(), 6u);
  EXPECT_EQ(h.seats[5].id, "SA-6");
  EXPECT_DOUBLE_EQ(h.seats[5].position.x, 8.0);
  ASSERT_EQ(h.facilities.size(), 5u);
  EXPECT_DOUBLE_EQ(h.facilities[0].rating_a, 2.0);
  ASSERT_TRUE(h.fresh_air_m3h.has_value());
  EXPECT_DOUBLE_EQ(*h.fresh_air_m3h, 2000.0);
}

TEST(ScenarioLoaderTest, MissingFile) {
  try {
    load_scenario("/nonexistent/hall.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "/nonexistent/hall.yaml: error: cannot open file for reading: No such file or directory");
  }
}

TEST(ScenarioLoaderTest, DirectoryInsteadOfFile) {
  try {
    load_scenario("/tmp");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "/tmp: error: is a directory; expected a YAML file");
  }
}

TEST(ScenarioLoaderTest, YamlSyntaxErrorHasLineAndColumn) {
  const auto msg = load_error(replaced(kMiniHall, "  level: village", "  level: [village"));
  EXPECT_NE(msg.find("FILE:5:20: error: YAML syntax: end of sequence flow not found"), std::string::npos)
      << msg;
  EXPECT_NE(msg.find("YAML syntax"), std::string::npos) << msg;
}

TEST(ScenarioLoaderTest, UnknownKeyIsATypoWithSuggestion) {
  const auto msg = load_error(replaced(kMiniHall, "  sprinklered: false", "  sprinklerd: false"));
  EXPECT_NE(msg.find("FILE:8:3: error: hall: unknown key 'sprinklerd' (did you mean 'sprinklered'?)"),
            std::string::npos)
      << msg;
  // and the required key is now missing
  EXPECT_NE(msg.find("hall.sprinklered: missing; expected true or false"), std::string::npos) << msg;
}

TEST(ScenarioLoaderTest, WrongFormatVersion) {
  const auto msg = load_error(replaced(kMiniHall, "halltwin-scenario/1", "halltwin-scenario/10"));
  EXPECT_NE(
      msg.find(
          "FILE:1:9: error: format: 'halltwin-scenario/10' is not a supported format; expected "
          "'halltwin-scenario/1' or 'halltwin-scenario/2' or 'halltwin-scenario/3' or 'halltwin-scenario/4'"),
      std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, BadEnumListsTheAllowedValues) {
  const auto msg = load_error(replaced(kMiniHall, "level: village", "level: town"));
  EXPECT_NE(
      msg.find(
          "FILE:4:10: error: hall.level: 'town' is not one of: province, city, county, township, village"),
      std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, OutOfRange) {
  const auto msg = load_error(replaced(kMiniHall, "fire_resistance_grade: 2", "fire_resistance_grade: 5"));
  EXPECT_NE(msg.find("FILE:6:26: error: hall.fire_resistance_grade: 5 is out of range; expected 1 to 4"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, NotANumber) {
  const auto msg = load_error(replaced(kMiniHall, "fresh_air_m3h: 2000", "fresh_air_m3h: lots"));
  EXPECT_NE(msg.find("FILE:9:18: error: hall.fresh_air_m3h: expected a number, found 'lots'"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, MissingRequiredField) {
  const auto msg = load_error(replaced(kMiniHall, "  fire_hazard: medium\n", ""));
  EXPECT_NE(msg.find("error: hall.fire_hazard: missing; expected one of: light, medium, severe"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, PolygonWithTwoPoints) {
  const auto msg =
      load_error(replaced(kMiniHall, "polygon: [[2,6],[8,6],[8,6.6],[2,6.6]]", "polygon: [[2,6],[8,6]]"));
  EXPECT_NE(msg.find("FILE:19:42: error: floors[F1].obstacles[C1].polygon: invalid polygon: polygon has 2 "
                     "distinct vertices; at least 3 are needed"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, SelfIntersectingPolygon) {
  const auto msg = load_error(replaced(kMiniHall, "polygon: [[2,6],[8,6],[8,6.6],[2,6.6]]",
                                       "polygon: [[2,6],[8,6.6],[8,6],[2,6.6]]"));
  EXPECT_NE(msg.find("floors[F1].obstacles[C1].polygon: invalid polygon:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("FILE:19:42: error: floors[F1].obstacles[C1].polygon: invalid polygon: edge 1-2 and "
                     "edge 3-4 cross near (5.0, 6.3)"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, WindowOutsideTheHall) {
  const auto msg = load_error(replaced(kMiniHall, "position: [4, 5.3]", "position: [4, 9.5]"));
  EXPECT_NE(msg.find("FILE:28:49: error: floors[F1].windows[W1].position: position (4.00, 9.50) lies outside "
                     "the boundary of floor 'F1'"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, DoorNotOnWallOrBoundary) {
  const auto msg =
      load_error(replaced(kMiniHall, "from: [12,5], to: [12,6.5]", "from: [11,5], to: [11,6.5]"));
  EXPECT_NE(
      msg.find("floors[F1].doors[D2]: door point (11.00, 5.00) is neither on the boundary nor in a wall"),
      std::string::npos)
      << msg;
  EXPECT_NE(msg.find("FILE:22:9:"), std::string::npos) << msg;
}

TEST(ScenarioLoaderTest, ExitOutsideTheHall) {
  const auto msg =
      load_error(replaced(kMiniHall, "from: [12,5], to: [12,6.5]", "from: [13,5], to: [13,6.5]"));
  EXPECT_NE(msg.find("floors[F1].doors[D2]: door point (13.00, 5.00) is outside the hall"), std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, MissingDoorEndAndBoundary) {
  std::string msg = load_error(replaced(kMiniHall, "{id: D2, kind: exit, from: [12,5], to: [12,6.5]}",
                                        "{id: D2, kind: exit, from: [12,5]}"));
  EXPECT_NE(msg.find("FILE:22:9: error: floors[F1].doors[D2].to: missing; expected the opening's second end "
                     "point [x, y]"),
            std::string::npos)
      << msg;
  msg = load_error(replaced(kMiniHall, "    boundary: [[0,0],[12,0],[12,8],[0,8]]\n", ""));
  EXPECT_NE(
      msg.find("FILE:13:5: error: floors[F1].boundary: missing; expected the floor's outline as a polygon"),
      std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, ClearWidthWiderThanOpening) {
  const auto msg = load_error(replaced(kMiniHall, "to: [2.6,0]}", "to: [2.6,0], clear_width_m: 1.8}"));
  EXPECT_NE(msg.find("floors[F1].doors[D1].clear_width_m: 1.80 m is wider than the opening itself (1.60 m"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, DuplicateId) {
  const auto msg =
      load_error(replaced(kMiniHall, "{id: E2, type: extinguisher", "{id: E1, type: extinguisher"));
  EXPECT_NE(
      msg.find(
          "FILE:34:14: error: floors[F1].facilities[E1].id: duplicate id 'E1' (first defined at line 33)"),
      std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, UnknownMatterReference) {
  const auto msg =
      load_error(replaced(kMiniHall, "facing: [0,-1], matters: [M1]}", "facing: [0,-1], matters: [M9]}"));
  EXPECT_NE(msg.find("floors[F1].windows[W1].matters[0]: 'M9' is not a matter id; define it under 'matters'"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, StairToUnknownDoor) {
  const auto msg = load_error(
      kMiniHall +
      "stairs:\n  - {id: ST1, from: {floor: F1, door: D2}, to: {floor: F1, door: D99}, width_m: 1.4}\n");
  EXPECT_NE(msg.find("stairs[ST1].to.door: 'D99' is not a door id"), std::string::npos) << msg;
}

TEST(ScenarioLoaderTest, ReservedSectionWithContentIsNotSilentlyIgnored) {
  const auto msg = load_error(kMiniHall + "demand:\n  arrivals_per_hour: 40\n");
  EXPECT_NE(msg.find("demand: section 'demand' needs format: halltwin-scenario/2"), std::string::npos) << msg;
}

TEST(ScenarioLoaderTest, EmptyReservedSectionIsAccepted) {
  TempFile f(kMiniHall + "roster: {}\n");
  const Hall h = load_scenario(f.path());
  ASSERT_EQ(h.reserved_sections.size(), 1u);
  EXPECT_EQ(h.reserved_sections[0], "roster");
}

TEST(ScenarioLoaderTest, ZoneOutsideBoundary) {
  const auto msg =
      load_error(replaced(kMiniHall, "[[0,4],[12,4],[12,8],[0,8]]", "[[0,4],[14,4],[14,8],[0,8]]"));
  EXPECT_NE(
      msg.find(
          "floors[F1].zones[Z2].polygon: zone vertex (14.00, 4.00) lies outside the boundary of floor 'F1'"),
      std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, OverlappingZones) {
  const auto msg =
      load_error(replaced(kMiniHall, "[[0,4],[12,4],[12,8],[0,8]]", "[[0,3],[12,3],[12,8],[0,8]]"));
  EXPECT_NE(msg.find("FILE:26:46: error: floors[F1].zones[Z2].polygon: zone 'Z2' overlaps zone 'Z1' (line "
                     "25); zones must not overlap"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, BadExtinguisherRating) {
  const auto msg = load_error(replaced(kMiniHall, "rating: 2A}", "rating: 2B}"));
  EXPECT_NE(
      msg.find("floors[F1].facilities[E1].rating: '2B' is not a class-A rating; expected e.g. 1A, 2A, 3A"),
      std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, ReportsEveryProblemNotOnlyTheFirst) {
  std::string text = replaced(kMiniHall, "level: village", "level: town");
  text = replaced(text, "rating: 2A}", "rating: 2B}");
  text = replaced(text, "storey: 1", "storey: 0");
  const auto msg = load_error(text);
  EXPECT_NE(msg.find("hall.level"), std::string::npos) << msg;
  EXPECT_NE(msg.find("floors[F1].storey: 0 is not a storey"), std::string::npos) << msg;
  EXPECT_NE(msg.find("facilities[E1].rating"), std::string::npos) << msg;
  // sorted by line
  EXPECT_LT(msg.find("hall.level"), msg.find("storey"));
}

TEST(ScenarioLoaderTest, RepeatedKeyIsNotSilentlyDropped) {
  const auto msg = load_error(testing::replaced(kMiniHall, "  population_served: 3000\n",
                                                "  population_served: 3000\n  population_served: 4000\n"));
  EXPECT_NE(msg.find("FILE:6:3: error: hall: key 'population_served' appears twice in the same map"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, TopLevelNotAMap) {
  const auto msg = load_error("- just\n- a list\n");
  EXPECT_NE(msg.find("FILE:1:1: error: (top level): expected a map (key: value pairs), found a list"),
            std::string::npos)
      << msg;
}

TEST(ScenarioLoaderTest, DesignOccupancyPerFloor) {
  TempFile f(replaced(kMiniHall, "  fresh_air_m3h: 2000\n",
                      "  fresh_air_m3h: 2000\n  occupant_load: {basis: design, persons: {F1: 40}}\n"));
  const Hall h = load_scenario(f.path());
  EXPECT_EQ(h.occupant_load.basis, OccupantLoadBasis::design);
  ASSERT_EQ(h.occupant_load.design_persons_by_floor.size(), 1u);
  EXPECT_DOUBLE_EQ(h.occupant_load.design_persons_by_floor[0], 40.0);
}

TEST(ScenarioLoaderTest, DesignOccupancyUnknownFloor) {
  const auto msg =
      load_error(replaced(kMiniHall, "  fresh_air_m3h: 2000\n",
                          "  fresh_air_m3h: 2000\n  occupant_load: {basis: design, persons: {F9: 40}}\n"));
  EXPECT_NE(msg.find("hall.occupant_load.persons.F9: 'F9' is not a floor id"), std::string::npos) << msg;
}

}  // namespace
}  // namespace halltwin
