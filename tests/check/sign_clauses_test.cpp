// Exit and direction signs as the codes measure them (issue 15): a sign
// directly above every safety exit and every evacuation door of a crowded
// place (GB 50016-2014 10.3.5 item 1, GB 51309-2018 3.2.8), direction signs
// spaced by their size and mounting (GB 51309-2018 3.2.9-3.2.10, capped at
// GB 50016's 20 m; 10 m in dead-end corridors), and the format-10 sign
// attributes. Every expected number is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"
#include "tests/support/check_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::check {
namespace {

using halltwin::testing::check_text;
using halltwin::testing::find;
using halltwin::testing::kMiniHall;
using halltwin::testing::load_error;
using halltwin::testing::replaced;

// ------------------------------------------------------------ signs above doors

// A 20 m x 10 m hall (200 m2) with two exits on its west wall and, behind a wall at
// x = 15-15.2, a corridor (x 15.2-20) with its own exit to the east. D3, in that wall
// from (15.1, 4) to (15.1, 5.5), leads from the hall into the corridor: the hall's own
// evacuation door. Every exit has a sign 0.2 m from its opening; the sign for D3 is
// placed by each test. A county hall is a crowded place by level (the default rulebook's
// crowded_levels); a village hall of 200 m2 is not (below crowded_min_area_m2: 300).
std::string door_hall(const std::string& level, const std::string& d3_sign) {
  return R"(format: halltwin-scenario/10
hall: {name: signs, level: )" +
         level + R"(, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 100000}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    walls:
      - {id: WL1, polygon: [[15,0],[15.2,0],[15.2,10],[15,10]]}
    doors:
      - {id: D1, kind: exit, from: [0,1.5], to: [0,3]}
      - {id: D2, kind: exit, from: [0,7], to: [0,8.5]}
      - {id: D3, kind: internal, from: [15.1,4], to: [15.1,5.5]}
      - {id: D4, kind: exit, from: [20,4], to: [20,5.5]}
    zones:
      - {id: Z1, type: waiting, polygon: [[0,0],[15,0],[15,10],[0,10]]}
      - {id: Z2, type: corridor, polygon: [[15.2,0],[20,0],[20,10],[15.2,10]]}
    facilities:
      - {id: S1, type: exit_sign, position: [0.2, 2.25]}
      - {id: S2, type: exit_sign, position: [0.2, 7.75]}
      - {id: S4, type: exit_sign, position: [19.8, 4.75]}
)" + d3_sign;
}

TEST(ExitSignAboveDoorTest, ASignWithinHalfAMetreOfACrowdedHallsEvacuationDoorPasses) {
  // (14.7, 4.75) to the opening x = 15.1, y 4-5.5: 0.4 m <= 0.5 m.
  const auto f = find(check_text(door_hall("county", "      - {id: S3, type: exit_sign, position: [14.7, 4.75]}\n")),
                      "signs.exit_marked");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  EXPECT_NE(f.message.find("3 safety exit(s) and 1 evacuation door(s) of the crowded hall"), std::string::npos)
      << f.message;
}

TEST(ExitSignAboveDoorTest, ASignSixTenthsOfAMetreAwayFails) {
  // (14.5, 4.75): 0.6 m > 0.5 m from D3's opening.
  const auto f = find(check_text(door_hall("county", "      - {id: S3, type: exit_sign, position: [14.5, 4.75]}\n")),
                      "signs.exit_marked");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.measured, 1.0);
  EXPECT_NE(f.message.find("'D3' (evacuation door of the crowded hall) (nearest sign 0.60 m)"), std::string::npos)
      << f.message;
  ASSERT_TRUE(f.location);
  EXPECT_NEAR(f.location->x, 15.1, 1e-9);
  EXPECT_NEAR(f.location->y, 4.75, 1e-9);
}

TEST(ExitSignAboveDoorTest, ACrowdedPlacesEvacuationDoorWithoutASignFails) {
  // No sign near D3 at all: the nearest is S4, from (19.8, 4.75) to x = 15.1: 4.70 m.
  const auto f = find(check_text(door_hall("county", "")), "signs.exit_marked");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_NE(f.message.find("'D3' (evacuation door of the crowded hall) (nearest sign 4.70 m)"), std::string::npos)
      << f.message;
}

TEST(ExitSignAboveDoorTest, OutsideACrowdedPlaceOnlySafetyExitsNeedASign) {
  // A village hall of 200 m2 is no crowded place: D3 needs no sign of its own.
  const auto f = find(check_text(door_hall("village", "")), "signs.exit_marked");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  EXPECT_NE(f.message.find("all 3 safety exit(s) have"), std::string::npos) << f.message;
}

TEST(ExitSignAboveDoorTest, ARoomsDoorIsNotADoorOfTheCrowdedPlace) {
  // Make the corridor a room (a back office with no exit of its own): D3 becomes the
  // room's evacuation door, which needs no sign even in a crowded hall.
  std::string hall = replaced(door_hall("county", ""), "type: corridor", "type: back_office");
  hall = replaced(hall, "      - {id: D4, kind: exit, from: [20,4], to: [20,5.5]}\n", "");
  hall = replaced(hall, "      - {id: S4, type: exit_sign, position: [19.8, 4.75]}\n", "");
  const auto f = find(check_text(hall), "signs.exit_marked");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  EXPECT_NE(f.message.find("2 safety exit(s) and 0 evacuation door(s)"), std::string::npos) << f.message;
}

// ------------------------------------------------------------ spacing by sign

// A room 40 m x 4 m with its exit at the west end (x = 0, y 1.3-2.7) and a medium
// ceiling sign over it (S1). S2 hangs in the middle at (20, 2). The routes from the
// east end run about 40 m; a sign serves a route point within 5 m, so S2 marks x 15-25
// and S1 x 0-5.3. The longest stretch is the east end's: from x = 40 to S2's reach at
// x = 25, about 15.1 m along the corner routes (rules_test's ExitSignsAlongTheRoute);
// it ends at S2, so S2's spacing is its limit. From x = 15 to x = 5.3 (about 9.7 m)
// the stretch ends at S1 (medium ceiling: 20 m).
std::string spacing_hall(const std::string& zone_type, const std::string& s2, const std::string& extra = "") {
  return R"(format: halltwin-scenario/10
hall: {name: corridor, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 100000}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[40,0],[40,4],[0,4]]
    doors:
      - {id: D1, kind: exit, from: [0,1.3], to: [0,2.7]}
)" + extra + R"(    zones:
      - {id: Z1, type: )" +
         zone_type + R"(, polygon: [[0,0],[40,0],[40,4],[0,4]]}
    facilities:
      - {id: S1, type: exit_sign, position: [0.3, 2.0]}
)" + s2;
}

TEST(SignSpacingTest, ALargeCeilingSignAllowsTwentyMetres) {
  // Large ceiling sign: GB 51309's 30 m capped at GB 50016's 20 m; 15.1 m <= 20 m.
  const auto f = find(
      check_text(spacing_hall("waiting", "      - {id: S2, type: exit_sign, position: [20, 2], size: large, mounting: ceiling}\n")),
      "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, 15.1, 0.5);
  EXPECT_EQ(f.required, 20.0);
}

TEST(SignSpacingTest, ASmallLowWallSignOnTheSameRouteAllowsTenMetres) {
  // Small sign low on a wall (face along the escape direction): 10 m; 15.1 m > 10 m.
  const auto f = find(
      check_text(spacing_hall("waiting", "      - {id: S2, type: exit_sign, position: [20, 2], size: small, mounting: wall_low}\n")),
      "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, 15.1, 0.5);
  EXPECT_EQ(f.required, 10.0);
  ASSERT_TRUE(f.location);
  EXPECT_GT(f.location->x, 39.0);  // the east end, where the stretch starts
  EXPECT_NE(f.message.find("in the open hall (limit 10.0 m"), std::string::npos) << f.message;
}

TEST(SignSpacingTest, ALargeLowWallSignAllowsFifteenMetres) {
  // Large wall sign: 15 m. The east stretch (about 15.1 m on the corner routes, 15.0 m on
  // the middle line) is within half a metre of it: compare against the exact limit instead.
  const auto f = find(
      check_text(spacing_hall("waiting", "      - {id: S2, type: exit_sign, position: [20, 2], size: large, mounting: wall_low}\n")),
      "signs.direction_spacing");
  EXPECT_EQ(f.required, 15.0);
  ASSERT_TRUE(f.measured);
  EXPECT_EQ(f.status, *f.measured <= 15.0 + 1e-9 ? Status::pass : Status::fail) << f.message;
}

TEST(SignSpacingTest, AFileWithoutAttributesKeepsTheTwentyMetres) {
  // Format 9: S2 is a medium ceiling sign (the meaning before format 10), 20 m.
  std::string hall = replaced(spacing_hall("waiting", "      - {id: S2, type: exit_sign, position: [20, 2]}\n"),
                              "halltwin-scenario/10", "halltwin-scenario/9");
  const auto f = find(check_text(hall), "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  EXPECT_EQ(f.required, 20.0);
}

TEST(SignSpacingTest, ADeadEndCorridorAllowsTenMetres) {
  // The same room drawn as a corridor with one exit: a dead end (GB 50016 10.3.5: 10 m).
  // S2 is a medium ceiling sign (20 m in a corridor, GB 51309 3.2.9); 15.1 m > 10 m.
  const auto f = find(check_text(spacing_hall("corridor", "      - {id: S2, type: exit_sign, position: [20, 2]}\n")),
                      "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.required, 10.0);
  EXPECT_NE(f.message.find("dead-end corridor"), std::string::npos) << f.message;
}

TEST(SignSpacingTest, ACorridorWithExitsAtBothEndsIsNoDeadEnd) {
  // A second exit at the east end with its sign, and no sign in the middle: the point
  // farthest from both marks is the middle, x = 20, about 14.7 m from either sign's reach
  // (x = 5.3 or 34.7); a corridor with two ways on allows 20 m for medium ceiling signs.
  const auto f =
      find(check_text(spacing_hall("corridor", "      - {id: S3, type: exit_sign, position: [39.7, 2.0]}\n",
                                   "      - {id: D2, kind: exit, from: [40,1.3], to: [40,2.7]}\n")),
           "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  EXPECT_EQ(f.required, 20.0);
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, 14.7, 0.5);
  EXPECT_NE(f.message.find("in the corridor"), std::string::npos) << f.message;
}

TEST(SignSpacingTest, FloorSignsKeepTheRouteVisuallyContinuousEveryThreeMetres) {
  // A floor sign in the middle allows 3 m before it: the east stretch of about 15.1 m fails.
  const auto f = find(
      check_text(spacing_hall("waiting", "      - {id: S2, type: exit_sign, position: [20, 2], mounting: floor}\n")),
      "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.required, 3.0);
}

TEST(SignSpacingTest, AJurisdictionCanLetLargeCeilingSignsReachThirtyMetres) {
  // Both signs large, on the ceiling: S1 over the exit (serving x 0-5.3), S2 at (32, 2)
  // (serving x 27-37). The stretch from x = 27 to 5.3 is about 21.7 m and ends at S1. The
  // default rulebook caps GB 51309's 30 m at GB 50016's 20 m: fail. A rulebook extending
  // it with max_spacing_m: 30 (GB 51309 read as prevailing) passes it; a medium S1 still fails.
  const std::string hall =
      replaced(spacing_hall("waiting", "      - {id: S2, type: exit_sign, position: [32, 2], size: large}\n"),
               "position: [0.3, 2.0]}", "position: [0.3, 2.0], size: large}");
  const auto f = find(check_text(hall), "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.required, 20.0);
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, 21.7, 0.5);
  halltwin::testing::TempFile book("format: halltwin-rulebook/2\nname: GB 51309 prevails\nextends: " +
                                   halltwin::testing::kDefaultRulebook +
                                   "\nrules:\n  - id: signs.direction_spacing\n"
                                   "    clause: GB 51309-2018 3.2.10 item 2, large ceiling signs 30 m (an example)\n"
                                   "    confidence: partial\n    params: {max_spacing_m: 30.0}\n");
  const auto g = find(halltwin::testing::check_with(book.path(), hall), "signs.direction_spacing");
  EXPECT_EQ(g.status, Status::pass) << g.message;
  EXPECT_EQ(g.required, 30.0);
  const auto m = find(halltwin::testing::check_with(book.path(), replaced(hall, "position: [0.3, 2.0], size: large}",
                                                                          "position: [0.3, 2.0]}")),
                      "signs.direction_spacing");
  EXPECT_EQ(m.status, Status::fail) << m.message;
  EXPECT_EQ(m.required, 20.0);
}

TEST(SignSpacingTest, ATableWithoutEverySizeIsRefusedByName) {
  // An extending rulebook whose spacing table leaves out the small ceiling sign: a sign of
  // that class would have no limit, so the rulebook is refused before any hall is checked.
  halltwin::testing::TempFile book(
      "format: halltwin-rulebook/2\nname: short table\nextends: " + halltwin::testing::kDefaultRulebook +
      "\nrules:\n  - id: signs.direction_spacing\n    clause: GB 51309-2018 3.2.10 (a short table)\n"
      "    confidence: partial\n    params:\n      spacing_m:\n"
      "        ceiling: {extra_large: 30, large: 30, medium: 20}\n"
      "        wall_high: {extra_large: 15, large: 15, medium: 10, small: 10}\n"
      "        wall_low: {extra_large: 15, large: 15, medium: 10, small: 10}\n"
      "        floor: {extra_large: 3, large: 3, medium: 3, small: 3, tiny: 1}\n");
  std::string msg;
  try {
    const Checker c(load_rulebook(book.path()));
  } catch (const InputError& e) {
    msg = e.what();
  }
  EXPECT_NE(msg.find("spacing_m.ceiling.small: missing; expected a number of metres"), std::string::npos) << msg;
  EXPECT_NE(msg.find("tiny"), std::string::npos) << msg;
}

// ------------------------------------------------------------ the attributes in the file

std::string mini10(const std::string& s2) {
  return replaced(replaced(kMiniHall, "halltwin-scenario/1", "halltwin-scenario/10"),
                  "      - {id: S2, type: exit_sign, position: [11.8, 5.7]}\n", s2);
}

TEST(SignAttributesTest, ABadSizeNamesFileLineFieldAndTheClasses) {
  const auto msg = load_error(mini10("      - {id: S2, type: exit_sign, position: [11.8, 5.7], size: huge}\n"));
  EXPECT_NE(msg.find(":36:"), std::string::npos) << msg;  // the line of S2
  EXPECT_NE(msg.find("facilities[S2].size: 'huge' is not one of: extra_large, large, medium, small"),
            std::string::npos)
      << msg;
}

TEST(SignAttributesTest, ABadMountingNamesTheMountings) {
  const auto msg = load_error(mini10("      - {id: S2, type: exit_sign, position: [11.8, 5.7], mounting: door}\n"));
  EXPECT_NE(msg.find("facilities[S2].mounting: 'door' is not one of: ceiling, wall_high, wall_low, floor"),
            std::string::npos)
      << msg;
}

TEST(SignAttributesTest, OnlyExitSignsHaveASizeOrMounting) {
  const auto msg = load_error(replaced(mini10("      - {id: S2, type: exit_sign, position: [11.8, 5.7]}\n"),
                                       "position: [11.8, 7.8], rating: 2A}", "position: [11.8, 7.8], rating: 2A, size: large}"));
  EXPECT_NE(msg.find("facilities[E2].size: only exit signs have a size"), std::string::npos) << msg;
}

TEST(SignAttributesTest, OlderFormatsRefuseTheAttributes) {
  const auto msg = load_error(replaced(
      mini10("      - {id: S2, type: exit_sign, position: [11.8, 5.7], mounting: wall_low}\n"), "halltwin-scenario/10",
      "halltwin-scenario/9"));
  EXPECT_NE(msg.find("facilities[S2].mounting: needs format: halltwin-scenario/10 (this file says "
                     "halltwin-scenario/9)"),
            std::string::npos)
      << msg;
}

TEST(SignAttributesTest, TheAttributesLoadAndOlderFilesDefaultToMediumCeiling) {
  halltwin::testing::TempFile f(mini10("      - {id: S2, type: exit_sign, position: [11.8, 5.7], size: large, mounting: wall_low}\n"));
  const Hall h = load_scenario(f.path());
  halltwin::testing::TempFile old(kMiniHall);
  const Hall o = load_scenario(old.path());
  for (const auto& fa : h.facilities)
    if (fa.id == "S2") {
      EXPECT_EQ(fa.sign_size, SignSize::large);
      EXPECT_EQ(fa.mounting, SignMounting::wall_low);
    }
  for (const auto& fa : o.facilities)
    if (fa.type == FacilityType::exit_sign) {
      EXPECT_EQ(fa.sign_size, SignSize::medium);
      EXPECT_EQ(fa.mounting, SignMounting::ceiling);
    }
}

}  // namespace
}  // namespace halltwin::check
