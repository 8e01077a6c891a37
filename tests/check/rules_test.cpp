// Each rule kind of the checker on tiny scenarios with answers computed by
// hand. The base is the mini hall (tests/support/mini_hall.hpp), which passes
// every rule of the default rulebook except a placeholder warning.
#include <gtest/gtest.h>

#include <cmath>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"
#include "tests/support/check_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::check {
namespace {

using halltwin::testing::kMiniHall;
using halltwin::testing::replaced;
using halltwin::testing::TempFile;
using halltwin::testing::check_text;
using halltwin::testing::find;
using halltwin::testing::kDefaultRulebook;

// Builds a Checker from an inline rulebook expecting it to be rejected; returns
// the message with the temporary file's path replaced by "FILE".
std::string rulebook_error(const std::string& book) {
  TempFile f(book);
  try {
    Checker c(load_rulebook(f.path()));
  } catch (const InputError& e) {
    std::string msg = e.what();
    for (auto pos = msg.find(f.path()); pos != std::string::npos; pos = msg.find(f.path()))
      msg.replace(pos, f.path().size(), "FILE");
    return msg;
  }
  ADD_FAILURE() << "expected the rulebook to be rejected";
  return {};
}

std::vector<std::string> failing(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs)
    if (f.status == Status::fail) out.push_back(f.rule);
  return out;
}

TEST(CheckRulesTest, MiniHallPassesEverythingButPlaceholderWarnings) {
  const auto fs = check_text(kMiniHall);
  EXPECT_TRUE(failing(fs).empty()) << ::testing::PrintToString(failing(fs));
  EXPECT_EQ(find(fs, "layout.required_zones").status,
            Status::warn);  // village needs a help desk (placeholder)
  EXPECT_EQ(find(fs, "access.toilet_size").status, Status::not_applicable);
  EXPECT_EQ(exit_code(fs), 0);
}

// A 20 m x 10 m room, one exit [0,0]-[1.5,0], a counter from the south wall
// x = 8..8.5 up to y = 8. The farthest cell centre (19.95, 0.05) walks round
// the counter's corners (8.5, 8) and (8, 8) to the exit's end (1.5, 0).
const std::string kCounterRoom = R"(format: halltwin-scenario/1
hall: {name: counter room, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 100000}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    obstacles:
      - {id: C1, kind: counter, polygon: [[8,0],[8.5,0],[8.5,8],[8,8]]}
    doors:
      - {id: D1, kind: exit, from: [0,0], to: [1.5,0]}
    facilities:
      - {id: E1, type: extinguisher, position: [0.3, 9.7], rating: 2A}
)";

TEST(CheckRulesTest, WalkingDistanceGoesAroundTheCounter) {
  const auto fs = check_text(kCounterRoom);
  const auto& f = find(fs, "egress.walking_distance");
  const double expected = std::hypot(19.95 - 8.5, 0.05 - 8.0) + 0.5 + std::hypot(8.0 - 1.5, 8.0);
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, expected, 0.01 * expected);  // 24.75 m
  EXPECT_EQ(f.status, Status::pass);
  ASSERT_TRUE(f.location);
  EXPECT_NEAR(f.location->x, 19.95, 0.11);
  EXPECT_NEAR(f.location->y, 0.05, 0.11);
  EXPECT_EQ(f.floor, "F1");
  // GB 50016 5.5.17 item 4 measures the straight line, over the counter: the farthest point is
  // then the north-east corner (19.95, 9.95), 20.96 m from the exit's end (1.5, 0).
  const auto& s = find(fs, "egress.travel_distance");
  ASSERT_TRUE(s.measured);
  EXPECT_NEAR(*s.measured, std::hypot(19.95 - 1.5, 9.95), 0.01 * 20.96);
}

TEST(CheckRulesTest, WalkingDistanceFailsBeyondFortyFiveMetres) {
  // Stretch the room to 45 m: the far corner is then about 49 m away walking.
  const auto fs =
      check_text(replaced(kCounterRoom, "[[0,0],[20,0],[20,10],[0,10]]", "[[0,0],[45,0],[45,10],[0,10]]"));
  const auto& f = find(fs, "egress.walking_distance");
  const double expected = std::hypot(44.95 - 8.5, 0.05 - 8.0) + 0.5 + std::hypot(8.0 - 1.5, 8.0);
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, expected, 0.01 * expected);
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_DOUBLE_EQ(*f.required, 45.0);
}

TEST(CheckRulesTest, SprinklersRaiseTheLimitByAQuarter) {
  // 36 m: the far corner (35.95, 9.95) is 35.9 m from the exit's end in a straight line.
  auto text = replaced(kCounterRoom, "[[0,0],[20,0],[20,10],[0,10]]", "[[0,0],[36,0],[36,10],[0,10]]");
  EXPECT_EQ(find(check_text(text), "egress.travel_distance").status, Status::fail);
  const auto fs = check_text(replaced(text, "sprinklered: false", "sprinklered: true"));
  const auto& f = find(fs, "egress.travel_distance");
  EXPECT_DOUBLE_EQ(*f.required, 37.5);
  EXPECT_EQ(f.status, Status::pass);
}

TEST(CheckRulesTest, ExtinguisherWalkingDistance) {
  // Extinguisher at (0.3, 9.7); the farthest point (19.95, 0.05) goes round the counter's top corners.
  const auto fs = check_text(kCounterRoom);
  const auto& f = find(fs, "fire.extinguisher_distance");
  const double expected = std::hypot(19.95 - 8.5, 0.05 - 8.0) + 0.5 + std::hypot(8.0 - 0.3, 9.7 - 8.0);
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, expected, 0.01 * expected);  // 22.33 m > 20 m
  EXPECT_EQ(f.status, Status::fail);
}

TEST(CheckRulesTest, SingleExitExceptionForSmallGroundFloor) {
  // 10 x 10 room, 40 persons by design, one exit: allowed (<= 200 m2, <= 50 persons, ground floor).
  std::string text = replaced(kCounterRoom, "[[0,0],[20,0],[20,10],[0,10]]", "[[0,0],[10,0],[10,10],[0,10]]");
  text = replaced(text, "fresh_air_m3h: 100000}",
                  "fresh_air_m3h: 100000, occupant_load: {basis: design, persons: 40}}");
  text = replaced(text, "polygon: [[8,0],[8.5,0],[8.5,8],[8,8]]", "polygon: [[5,0],[5.5,0],[5.5,3],[5,3]]");
  EXPECT_EQ(find(check_text(text), "egress.exit_count").status, Status::pass);
  // 60 persons: two exits needed.
  const auto fs = check_text(replaced(text, "persons: 40", "persons: 60"));
  const auto& f = find(fs, "egress.exit_count");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_DOUBLE_EQ(*f.measured, 1.0);
  EXPECT_NE(f.message.find("floor F1 has 1 safety exit(s), needs 2"), std::string::npos) << f.message;
}

TEST(CheckRulesTest, AccessibleDoorWidth) {
  // An internal door of 0.85 m fails egress.door_width (0.90 m) and the accessible-door rule
  // (0.90 m in new buildings, GB 55019-2021; the 0.80 m of retrofits is
  // equipment_clauses_test's RetrofitRulebook). At 0.75 m both fail; marked
  // `accessible: false`, the accessible rule skips it.
  const auto ok = check_text(replaced(kMiniHall, "to: [9.1,2]}", "to: [9.1,2], clear_width_m: 0.85}"));
  EXPECT_EQ(find(ok, "access.door_width").status, Status::fail);
  EXPECT_EQ(find(ok, "egress.door_width").status, Status::fail);
  const auto narrow = check_text(replaced(kMiniHall, "to: [9.1,2]}", "to: [9.1,2], clear_width_m: 0.75}"));
  EXPECT_EQ(find(narrow, "access.door_width").status, Status::fail);
  EXPECT_DOUBLE_EQ(*find(narrow, "access.door_width").measured, 0.75);
  const auto marked =
      check_text(replaced(kMiniHall, "to: [9.1,2]}", "to: [9.1,2], clear_width_m: 0.75, accessible: false}"));
  EXPECT_EQ(find(marked, "access.door_width").status, Status::pass);
}

TEST(CheckRulesTest, ExitsTooClose) {
  // D2 moved onto the south wall 3.0 m from D1's nearest edge.
  const auto fs = check_text(replaced(kMiniHall, "from: [12,5], to: [12,6.5]", "from: [5.6,0], to: [7.1,0]"));
  const auto& f = find(fs, "egress.exit_separation");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NEAR(*f.measured, 3.0, 1e-9);
  EXPECT_NE(f.message.find("exits 'D1' and 'D2' are 3.00 m apart"), std::string::npos) << f.message;
}

TEST(CheckRulesTest, ExitDoorTooNarrowForACrowdedPlace) {
  // A county hall is a crowded place (the default rulebook's crowded_levels: township and up;
  // county rather than township, whose 200 m2 minimum area the mini hall would fail).
  const auto fs = check_text(replaced(replaced(kMiniHall, "to: [12,6.5]}", "to: [12,6.5], clear_width_m: 1.2}"),
                                      "level: village", "level: county"));
  const auto& f = find(fs, "egress.exit_door_width");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_DOUBLE_EQ(*f.measured, 1.2);
  EXPECT_DOUBLE_EQ(*f.required, 1.4);
  EXPECT_EQ(failing(fs), std::vector<std::string>{"egress.exit_door_width"});
}

TEST(CheckRulesTest, InternalDoorTooNarrow) {
  const auto fs = check_text(
      replaced(kMiniHall, "from: [9.1,1], to: [9.1,2]}", "from: [9.1,1], to: [9.1,2], clear_width_m: 0.8}"));
  const auto& f = find(fs, "egress.door_width");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_DOUBLE_EQ(*f.measured, 0.8);
}

// Two rooms side by side, the east one reachable only through a gap in the partition.
std::string two_rooms(double gap_m) {
  const double y1 = 5.0 - gap_m / 2, y2 = 5.0 + gap_m / 2;
  return std::string(R"(format: halltwin-scenario/1
hall: {name: two rooms, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 100000}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    walls:
      - {id: P1, polygon: [[10,0],[10.2,0],[10.2,)") +
         std::to_string(y1) + "],[10," + std::to_string(y1) + R"(]]}
      - {id: P2, polygon: [[10,)" +
         std::to_string(y2) + "],[10.2," + std::to_string(y2) + R"(],[10.2,10],[10,10]]}
    doors:
      - {id: D1, kind: exit, from: [0,2], to: [0,3.5]}
      - {id: D2, kind: exit, from: [0,7], to: [0,8.5]}
)";
}

TEST(CheckRulesTest, PassageNarrowerThanCorridorWidth) {
  const auto narrow = check_text(two_rooms(1.0));
  const auto& f = find(narrow, "egress.corridor_width");
  EXPECT_EQ(f.status, Status::fail);
  // The east room (about 9.8 m x 10 m, less the 0.55 m band along its walls) is stranded.
  ASSERT_TRUE(f.measured);
  EXPECT_GT(*f.measured, 60.0);
  EXPECT_LT(*f.measured, 98.0);
  ASSERT_TRUE(f.location);
  EXPECT_GT(f.location->x, 10.2);
  EXPECT_EQ(find(narrow, "egress.reachable").status, Status::pass);  // it is reachable, only too narrowly
  EXPECT_EQ(find(check_text(two_rooms(1.3)), "egress.corridor_width").status, Status::pass);
}

TEST(CheckRulesTest, ClosedRoomCannotReachAnExit) {
  const auto fs = check_text(two_rooms(1.3) + "");
  EXPECT_EQ(find(fs, "egress.reachable").status, Status::pass);
  // Close the gap entirely: the east room (9.8 m x 10 m = 98 m2) is cut off.
  std::string closed = R"(format: halltwin-scenario/1
hall: {name: closed, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 100000}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    walls:
      - {id: P1, polygon: [[10,0],[10.2,0],[10.2,10],[10,10]]}
    doors:
      - {id: D1, kind: exit, from: [0,2], to: [0,3.5]}
      - {id: D2, kind: exit, from: [0,7], to: [0,8.5]}
)";
  const auto fc = check_text(closed);
  const auto& f = find(fc, "egress.reachable");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NEAR(*f.measured, 98.0, 1.5);  // cell centres: within one row of cells
  ASSERT_TRUE(f.location);
  EXPECT_NEAR(f.location->x, 15.1, 0.2);
  // The stranded room is not also blamed on widths or distances.
  EXPECT_EQ(find(fc, "egress.corridor_width").status, Status::pass);
  EXPECT_EQ(find(fc, "egress.travel_distance").status, Status::pass);
}

TEST(CheckRulesTest, ExitWidthPerHundredPersons) {
  // 600 persons need 600 / 100 x 0.65 = 3.90 m; D1 1.6 + D2 1.5 = 3.1 m.
  const auto fs =
      check_text(replaced(kMiniHall, "  fresh_air_m3h: 2000\n",
                          "  fresh_air_m3h: 20000\n  occupant_load: {basis: design, persons: 600}\n"));
  const auto& f = find(fs, "egress.exit_width_per_100");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NEAR(*f.measured, 3.1, 1e-9);
  EXPECT_NEAR(*f.required, 3.9, 1e-9);
}

TEST(CheckRulesTest, OccupantLoadByDensityAndSeats) {
  // Mini hall: waiting 36 m2, window area 48 m2 and 12 m2 no zone covers (circulation, issue 15)
  // at 0.6 persons/m2 (storey 1) = 57.6 -> 58 persons; 6 seats x 1.1 = 6.6: the density governs.
  // Fresh air needs 58 x 30 = 1740 m3/h.
  const auto fs = check_text(kMiniHall);
  const auto& f = find(fs, "air.fresh_air");
  EXPECT_DOUBLE_EQ(*f.required, 1740.0);
  EXPECT_EQ(f.status, Status::pass);
  const auto low = check_text(replaced(kMiniHall, "fresh_air_m3h: 2000", "fresh_air_m3h: 1500"));
  // Without hall.design_occupancy the egress load is only an upper bound: a shortfall warns.
  EXPECT_EQ(find(low, "air.fresh_air").status, Status::warn);
  const auto none = check_text(replaced(kMiniHall, "  fresh_air_m3h: 2000\n", ""));
  EXPECT_EQ(find(none, "air.fresh_air").status, Status::warn);
}

TEST(CheckRulesTest, ExtinguisherCountAndRating) {
  // Q = K S / U = 1.0 x 96 / 75 = 1.28 A, and at least 2 extinguishers of 2A: removing E2 leaves one.
  const auto fs = check_text(
      replaced(kMiniHall, "      - {id: E2, type: extinguisher, position: [11.8, 7.8], rating: 2A}\n", ""));
  const auto& f = find(fs, "fire.extinguisher_rating");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_DOUBLE_EQ(*f.measured, 2.0);
  EXPECT_NEAR(*f.required, 1.28, 1e-9);
  // A 1A extinguisher does not count in a medium-hazard hall.
  const auto weak = check_text(
      replaced(kMiniHall, "position: [11.8, 7.8], rating: 2A}", "position: [11.8, 7.8], rating: 1A}"));
  EXPECT_EQ(find(weak, "fire.extinguisher_rating").status, Status::fail);
}

TEST(CheckRulesTest, ExitWithoutSign) {
  const auto fs =
      check_text(replaced(kMiniHall, "      - {id: S2, type: exit_sign, position: [11.8, 5.7]}\n", ""));
  const auto& f = find(fs, "signs.exit_marked");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NE(f.message.find("'D2'"), std::string::npos) << f.message;
}

// A corridor 40 m x 4 m with its exit at the west end (x = 0, y 1.3-2.7) and an
// exit sign beside it: the route from the east end runs about 40 m, and a sign
// serves it from 5 m away, so about 35 m of it has no sign (limit 20 m). A
// second sign hung in the middle (20, 2) serves the routes from x = 25 m on: the
// corner routes (about 40 m long, passing 1.3 m beside it) leave about 15.1 m.
std::string sign_corridor(const std::string& extra_sign) {
  return std::string(R"(format: halltwin-scenario/1
hall: {name: corridor, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 100000}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[40,0],[40,4],[0,4]]
    doors:
      - {id: D1, kind: exit, from: [0,1.3], to: [0,2.7]}
    facilities:
      - {id: S1, type: exit_sign, position: [0.3, 2.0]}
)") + extra_sign;
}

TEST(CheckRulesTest, ExitSignsAlongTheRoute) {
  const auto one = check_text(sign_corridor(""));
  const auto& f = find(one, "signs.direction_spacing");
  EXPECT_EQ(f.status, Status::fail);
  ASSERT_TRUE(f.measured);
  EXPECT_NEAR(*f.measured, 35.0, 0.5);
  ASSERT_TRUE(f.location);
  EXPECT_GT(f.location->x, 39.0);
  const auto two = check_text(sign_corridor("      - {id: S2, type: exit_sign, position: [20.0, 2.0]}\n"));
  const auto& g = find(two, "signs.direction_spacing");
  EXPECT_EQ(g.status, Status::pass);
  EXPECT_NEAR(*g.measured, 15.1, 0.5);  // steepest descent on the 0.1 m raster: within half a metre
}

TEST(CheckRulesTest, NoEmergencyLight) {
  const auto fs =
      check_text(replaced(kMiniHall, "      - {id: L1, type: emergency_light, position: [6, 4]}\n", ""));
  EXPECT_EQ(find(fs, "lighting.emergency_present").status, Status::fail);
}

TEST(CheckRulesTest, SeatInsideACounter) {
  const auto fs = check_text(kMiniHall.substr(0, kMiniHall.find("    facilities:")) +
                             "    seats:\n      - {id: X1, position: [5, 6.3]}\n" +
                             kMiniHall.substr(kMiniHall.find("    facilities:")));
  const auto& f = find(fs, "layout.placement");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NE(f.message.find("seat 'X1' at (5.00, 6.30) (inside counter 'C1')"), std::string::npos)
      << f.message;
}

TEST(CheckRulesTest, AccessibleToiletTooSmall) {
  std::string text = replaced(kMiniHall, "    windows:",
                              "      - {id: T1, type: accessible_toilet, polygon: "
                              "[[9.2,0],[12,0],[12,1.4],[9.2,1.4]]}\n    windows:");
  const auto fs = check_text(text);
  const auto& f = find(fs, "access.toilet_size");
  EXPECT_EQ(f.status, Status::fail);  // 3.92 m2 and no 1.50 m circle in 1.4 m
  EXPECT_NEAR(*f.measured, 3.92, 1e-9);
  EXPECT_NE(f.message.find("no 1.50 m turning circle"), std::string::npos) << f.message;
}

TEST(CheckRulesTest, MissingAccessibleCounter) {
  const auto fs = check_text(replaced(kMiniHall, "kind: accessible_low", "kind: department"));
  EXPECT_EQ(find(fs, "layout.accessible_counter").status, Status::fail);
  EXPECT_EQ(find(fs, "access.route_width").status, Status::not_applicable);
}

TEST(CheckRulesTest, PlaceholderRuleWarnsInsteadOfFailing) {
  // 96 m2 against a placeholder minimum: a county hall needs 1500 m2 (example value; the
  // township's 200 m2 is partial since issue 15 and fails: tests/check/equipment_clauses_test.cpp).
  const auto fs = check_text(replaced(kMiniHall, "level: village", "level: county"));
  const auto& f = find(fs, "area.building_min");
  EXPECT_EQ(f.status, Status::warn);
  EXPECT_DOUBLE_EQ(*f.measured, 96.0);
  EXPECT_DOUBLE_EQ(*f.required, 1500.0);
  EXPECT_NE(f.message.find("placeholder value"), std::string::npos);
}

TEST(CheckRulesTest, RulebookWithUnknownKindOrBadParameter) {
  const std::string book = R"(format: halltwin-rulebook/1
name: t
occupant_density: {clause: c, confidence: partial, ppm2: {waiting: 0.5}}
rules:
  - id: r1
    kind: window_kind_minimum
    title: t
    clause: c
    confidence: verified
  - id: r2
    kind: travel_distance_max
    title: t
    clause: c
    confidence: verified
    params: {max_m: thirty}
)";
  const std::string msg = rulebook_error(book);
  EXPECT_NE(
      msg.find("FILE:5:5: error: rules[r1].kind: 'window_kind_minimum' is not a rule kind; expected one of:"),
      std::string::npos)
      << msg;
  EXPECT_NE(msg.find("FILE:15:21: error: rules[r2].params.max_m: 'thirty' is not a number"),
            std::string::npos)
      << msg;
}

TEST(CheckRulesTest, FacilityWalkingDistanceInAnotherRulebook) {
  // A rulebook may ask for any facility within a walking distance, e.g. an AED within 10 m.
  const std::string book = R"(format: halltwin-rulebook/1
name: aed
occupant_density: {clause: c, confidence: partial, ppm2: {waiting: 0.5}}
rules:
  - {id: aed.distance, kind: facility_walking_distance_max, title: t, clause: c, confidence: partial, params: {facility: aed, max_m: 10}}
)";
  TempFile bf(book);
  const Checker checker(load_rulebook(bf.path()));
  TempFile none(kMiniHall);
  const auto f0 = checker.run(load_scenario(none.path()));
  EXPECT_EQ(f0.at(0).status, Status::fail);
  EXPECT_NE(f0.at(0).message.find("cannot reach any aed"), std::string::npos) << f0.at(0).message;
  // An AED where the counter room's extinguisher is: the same walking distance, round the counter.
  TempFile one(replaced(kCounterRoom, "{id: E1, type: extinguisher, position: [0.3, 9.7], rating: 2A}",
                        "{id: A1, type: aed, position: [0.3, 9.7]}"));
  const auto f1 = checker.run(load_scenario(one.path()));
  const double expected = std::hypot(19.95 - 8.5, 0.05 - 8.0) + 0.5 + std::hypot(8.0 - 0.3, 9.7 - 8.0);
  ASSERT_TRUE(f1.at(0).measured);
  EXPECT_NEAR(*f1.at(0).measured, expected, 0.01 * expected);
  EXPECT_EQ(f1.at(0).status, Status::fail);
}

TEST(CheckRulesTest, RulebookRouteQuestionMustBeOneTheCheckerAnswers) {
  const std::string book = R"(format: halltwin-rulebook/1
name: t
occupant_density: {clause: c, confidence: partial, ppm2: {waiting: 0.5}}
rules:
  - {id: r1, kind: clear_width_route, title: t, clause: c, confidence: verified, params: {width_m: 1.2, from: entrances, to: safety_exits}}
)";
  const std::string msg = rulebook_error(book);
  EXPECT_NE(msg.find("rules[r1].params.to: with from: entrances expected to: accessible_targets"),
            std::string::npos)
      << msg;
}

TEST(CheckRulesTest, RulebookTableMissingAHazardClass) {
  const std::string book = R"(format: halltwin-rulebook/1
name: t
occupant_density: {clause: c, confidence: partial, ppm2: {waiting: 0.5}}
rules:
  - id: r1
    kind: extinguisher_distance_max
    title: t
    clause: c
    confidence: verified
    params: {max_m: {light: 25, medium: 20, severe_: 15}}
)";
  const std::string msg = rulebook_error(book);
  EXPECT_NE(
      msg.find(
          ":10:54: error: rules[r1].params.max_m.severe_: 'severe_' is not one of: light, medium, severe"),
      std::string::npos)
      << msg;
  EXPECT_NE(msg.find(":10:21: error: rules[r1].params.max_m: missing a value for 'severe'"),
            std::string::npos)
      << msg;
}

}  // namespace
}  // namespace halltwin::check
