// The equipment and layout clauses of issue 15 part B, on tiny halls with
// answers computed by hand: emergency illuminance (GB 50016-2014 10.3.2),
// extinguisher placement points (GB 50140-2005 6.1.2, 7.3.1-7.3.4) and the
// hall area by level and population served.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

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
using halltwin::testing::default_checker;
using halltwin::testing::find;
using halltwin::testing::load_error;

const std::string kRoot = HALLTWIN_SOURCE_DIR;

// The mini hall in format 7.
std::string mini7() { return replaced(kMiniHall, "halltwin-scenario/1", "halltwin-scenario/7"); }
std::string with_floor_lx(const std::string& hall, const std::string& lx) {
  return replaced(hall, "    storey: 1\n", "    storey: 1\n    emergency_illuminance_lx: " + lx + "\n");
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ------------------------------------------------------------ emergency illuminance

TEST(EmergencyIlluminanceTest, AFloorValueAboveThreeLuxPasses) {
  const auto& f = find(check_text(with_floor_lx(mini7(), "5.0")), "lighting.emergency_illuminance");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  EXPECT_EQ(f.measured, 5.0);
  EXPECT_EQ(f.required, 3.0);  // waiting and window areas of a crowded place
  EXPECT_EQ(f.unit, "lx");
}

TEST(EmergencyIlluminanceTest, AZoneValueOverridesTheFloorAndFailsBelowThreeLux) {
  std::string hall = with_floor_lx(mini7(), "5.0");
  hall = replaced(hall, "{id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,4],[0,4]]}",
                  "{id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,4],[0,4]], emergency_illuminance_lx: 2.0}");
  const auto& f = find(check_text(hall), "lighting.emergency_illuminance");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.measured, 2.0);
  EXPECT_EQ(f.required, 3.0);
  ASSERT_TRUE(f.location);
  EXPECT_NEAR(f.location->x, 4.5, 1e-9);  // the zone's centroid
  EXPECT_NEAR(f.location->y, 2.0, 1e-9);
  EXPECT_NE(f.message.find("zone 'Z1' (waiting) 2.0 lx < 3.0 lx"), std::string::npos) << f.message;
}

TEST(EmergencyIlluminanceTest, ACorridorNeedsOneLux) {
  std::string hall = replaced(mini7(), "{id: Z2, type: window_area, polygon: [[0,4],[12,4],[12,8],[0,8]]}",
                              "{id: Z2, type: corridor, polygon: [[0,4],[12,4],[12,8],[0,8]], "
                              "emergency_illuminance_lx: 0.8}");
  hall = replaced(hall, "{id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,4],[0,4]]}",
                  "{id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,4],[0,4]], emergency_illuminance_lx: 3.0}");
  auto f = find(check_text(hall), "lighting.emergency_illuminance");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.measured, 0.8);
  EXPECT_EQ(f.required, 1.0);
  f = find(check_text(replaced(hall, "emergency_illuminance_lx: 0.8", "emergency_illuminance_lx: 1.0")),
           "lighting.emergency_illuminance");
  EXPECT_EQ(f.status, Status::pass) << f.message;
}

TEST(EmergencyIlluminanceTest, NoStatedValueWarns) {
  const auto& f = find(check_text(mini7()), "lighting.emergency_illuminance");
  EXPECT_EQ(f.status, Status::warn) << f.message;
  EXPECT_NE(f.message.find("zone 'Z1' (waiting), zone 'Z2' (window_area)"), std::string::npos) << f.message;
  // Zone types with no minimum (toilets) need no value.
  const auto& g = find(check_text(replaced(replaced(mini7(), "type: waiting", "type: toilets"),
                                           "type: window_area", "type: back_office")),
                       "lighting.emergency_illuminance");
  EXPECT_EQ(g.status, Status::not_applicable) << g.message;
}

TEST(EmergencyIlluminanceTest, StairsOfACrowdedPlaceNeedTenLux) {
  const std::string city = read(kRoot + "/scenarios/city.yaml");
  EXPECT_EQ(find(check_text(city), "lighting.emergency_illuminance").status, Status::pass);
  const std::string dim = replaced(city, "width_m: 1.5, protected: true, emergency_illuminance_lx: 10.0}",
                                   "width_m: 1.5, protected: true, emergency_illuminance_lx: 5.0}");
  const auto& f = find(check_text(dim), "lighting.emergency_illuminance");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.measured, 5.0);
  EXPECT_EQ(f.required, 10.0);
  EXPECT_NE(f.message.find("stair 'ST1' 5.0 lx < 10.0 lx"), std::string::npos) << f.message;
}

TEST(EmergencyIlluminanceTest, OlderFormatsRefuseTheField) {
  const auto msg = load_error(with_floor_lx(kMiniHall, "5.0"));
  EXPECT_NE(msg.find(":15:31: error: floors[F1].emergency_illuminance_lx: needs format: halltwin-scenario/7 "
                     "(this file says halltwin-scenario/1)"),
            std::string::npos)
      << msg;
  EXPECT_NE(load_error(with_floor_lx(mini7(), "-1")).find("emergency_illuminance_lx"), std::string::npos);
}

// ------------------------------------------------------------ extinguishers (GB 50140-2005)

// A 40 m x 30 m room: S = 1200 m2, medium hazard, no hydrants or sprinklers:
// Q = K S / U = 1.0 x 1200 / 75 = 16A. Five 3A units chained 0.2 m apart at
// (10, 10)-(10, 10.8) form one placement point of 15A; E6 (2A) stands alone.
const std::string kBigRoom = R"yaml(format: halltwin-scenario/7
hall: {name: big room, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, fire_hazard_basis: "offices with computers (annex C)", sprinklered: false, fresh_air_m3h: 100000}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[40,0],[40,30],[0,30]]
    doors:
      - {id: D1, kind: entrance_exit, from: [1,0], to: [3,0]}
      - {id: D2, kind: exit, from: [37,30], to: [39,30]}
    facilities:
      - {id: E1, type: extinguisher, position: [10, 10], rating: 3A}
      - {id: E2, type: extinguisher, position: [10, 10.2], rating: 3A}
      - {id: E3, type: extinguisher, position: [10, 10.4], rating: 3A}
      - {id: E4, type: extinguisher, position: [10, 10.6], rating: 3A}
      - {id: E5, type: extinguisher, position: [10, 10.8], rating: 3A}
      - {id: E6, type: extinguisher, position: [30, 20], rating: 2A}
)yaml";

TEST(ExtinguisherPointsTest, EachPointCarriesItsShareQeOfQ) {
  // 17A >= 16A in all, but N = 2 points: Qe = 16 / 2 = 8A and E6's point carries 2A.
  const auto& f = find(check_text(kBigRoom), "fire.extinguisher_rating");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_DOUBLE_EQ(*f.measured, 17.0);
  EXPECT_DOUBLE_EQ(*f.required, 16.0);
  ASSERT_TRUE(f.location);
  EXPECT_EQ(*f.location, (Vec2{30, 20}));
  EXPECT_NE(f.message.find("2 placement point(s), each needs Qe = Q / N = 8.0A: the weakest (at 'E6') carries 2A"),
            std::string::npos)
      << f.message;
  // E6 at 8A: each point carries at least Qe = 8A.
  const auto& g = find(check_text(replaced(kBigRoom, "position: [30, 20], rating: 2A", "position: [30, 20], rating: 8A")),
                       "fire.extinguisher_rating");
  EXPECT_EQ(g.status, Status::pass) << g.message;
}

TEST(ExtinguisherPointsTest, AtMostFiveUnitsPerPoint) {
  // E6 0.2 m from E5 joins its point: one point of 6 units (6.1.2 allows 5); Qe = Q / 1 = 16A <= 17A.
  const auto& f = find(check_text(replaced(kBigRoom, "position: [30, 20], rating: 2A", "position: [10, 11.0], rating: 2A")),
                       "fire.extinguisher_rating");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_NE(f.message.find("the point at 'E1' holds 6 units (at most 5 per point)"), std::string::npos) << f.message;
  EXPECT_EQ(*f.location, (Vec2{10, 10}));
}

TEST(ExtinguisherPointsTest, TheHazardClassNeedsAJustification) {
  const std::string fixed = replaced(kBigRoom, "position: [30, 20], rating: 2A", "position: [30, 20], rating: 8A");
  const auto& f = find(check_text(replaced(fixed, R"x( fire_hazard_basis: "offices with computers (annex C)",)x", "")),
                       "fire.extinguisher_rating");
  EXPECT_EQ(f.status, Status::warn) << f.message;
  EXPECT_NE(f.message.find("does not justify the hazard class 'medium'"), std::string::npos) << f.message;
  EXPECT_NE(find(check_text(fixed), "fire.extinguisher_rating").message.find("offices with computers"),
            std::string::npos);
}

// ------------------------------------------------------------ fresh air (GB 50736-2012 3.0.6)

TEST(FreshAirTest, DesignOccupancyAtTheDesignRates) {
  // Public zones Z1 36 m2 + Z2 48 m2 = 84 m2. 30 public: Pf = 0.357 <= 0.4 -> 19 m3/h;
  // 30 x 19 + 2 staff x 30 = 630 m3/h.
  const std::string hall = replaced(mini7(), "  fresh_air_m3h: 2000\n",
                                    "  fresh_air_m3h: 600\n  design_occupancy: {public: 30, staff: 2}\n");
  auto f = find(check_text(hall), "air.fresh_air");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_DOUBLE_EQ(*f.required, 630.0);
  EXPECT_DOUBLE_EQ(*f.measured, 600.0);
  // 60 public: Pf = 0.714 -> 16 m3/h: 960 + 60 = 1020 m3/h.
  f = find(check_text(replaced(hall, "public: 30", "public: 60")), "air.fresh_air");
  EXPECT_DOUBLE_EQ(*f.required, 1020.0);
  // 100 public: Pf = 1.19 > 1.0 -> 15 m3/h: 1500 + 60 = 1560 m3/h.
  f = find(check_text(replaced(hall, "public: 30", "public: 100")), "air.fresh_air");
  EXPECT_DOUBLE_EQ(*f.required, 1560.0);
  f = find(check_text(replaced(hall, "fresh_air_m3h: 600", "fresh_air_m3h: 700")), "air.fresh_air");
  EXPECT_EQ(f.status, Status::pass) << f.message;
}

// ------------------------------------------------------------ area by level

TEST(AreaByLevelTest, TownshipAndVillageValuesArePartialAndFail) {
  // 96 m2 against the township's 200 m2 (local rules, partial): a fail, not a placeholder warning.
  const auto& f = find(check_text(replaced(kMiniHall, "level: village", "level: township")), "area.building_min");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_EQ(f.confidence, Confidence::partial);
  EXPECT_DOUBLE_EQ(*f.required, 200.0);
  // A city's example value stays a placeholder.
  const auto& g = find(check_text(replaced(kMiniHall, "level: village", "level: city")), "area.building_min");
  EXPECT_EQ(g.status, Status::warn);
  EXPECT_EQ(g.confidence, Confidence::placeholder);
}

TEST(AreaByLevelTest, TheMinimumMayRiseWithThePopulationServed) {
  TempFile book(R"(format: halltwin-rulebook/2
name: population steps
occupant_density: {clause: x, confidence: partial, ppm2: {waiting: 0.5}}
rules:
  - id: area.building_min
    kind: building_area_min
    title: area
    clause: local rule
    confidence: partial
    params:
      min_m2: {province: 0, city: 0, county: 0, township: 0, village: 50}
      population_steps: {village: [[0, 50], [2000, 80], [5000, 120]]}
)");
  const Checker c(load_rulebook(book.path()));
  TempFile hall(kMiniHall);  // 96 m2, 3000 persons served: the 2000 step, 80 m2
  auto f = c.run(load_scenario(hall.path())).front();
  EXPECT_DOUBLE_EQ(*f.required, 80.0);
  EXPECT_EQ(f.status, Status::pass);
  TempFile big(replaced(kMiniHall, "population_served: 3000", "population_served: 6000"));
  f = c.run(load_scenario(big.path())).front();
  EXPECT_DOUBLE_EQ(*f.required, 120.0);
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NE(f.message.find("serving 6000 persons, at least 5000"), std::string::npos) << f.message;
}

// ------------------------------------------------------------ low counter (GB 50763-2012 3.12, GB 55019-2021)

std::string with_profile(const std::string& top) {
  return replaced(mini7(), "position: [7, 5.3], facing: [0,-1], matters: [M1]}",
                  "position: [7, 5.3], facing: [0,-1], matters: [M1], counter_top_height_m: " + top +
                      ", knee_clearance: {width_m: 0.80, height_m: 0.70, depth_m: 0.50}}");
}

TEST(LowCounterTest, ProfileAndTurningCircle) {
  // W2 at (7, 5.3), 0.7 m in front of the counter (y = 6): a 1.50 m circle centred at
  // (7, 4.55) clears the counter by 1.45 m and the wall WL1 by more than 2 m.
  auto f = find(check_text(with_profile("0.75")), "access.low_counter");
  EXPECT_EQ(f.status, Status::pass) << f.message;
  f = find(check_text(with_profile("0.90")), "access.low_counter");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_NE(f.message.find("'W2': top 0.90 m outside 0.70-0.85 m"), std::string::npos) << f.message;
  f = find(check_text(mini7()), "access.low_counter");
  EXPECT_EQ(f.status, Status::warn) << f.message;
  // A block from y = 3.5 to 5.0 leaves a 1.0 m gap in front of the counter: no 1.50 m circle
  // has its centre within 0.75 m of W2 and clears both.
  const std::string blocked =
      replaced(with_profile("0.75"), "    doors:\n",
               "      - {id: B1, kind: furniture, polygon: [[5.5,3.5],[8.5,3.5],[8.5,5.0],[5.5,5.0]]}\n    doors:\n");
  f = find(check_text(blocked), "access.low_counter");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_NE(f.message.find("no 1.50 m turning circle"), std::string::npos) << f.message;
}

// ------------------------------------------------------------ accessible doors (GB 55019-2021)

TEST(AccessibleDoorTest, NewBuildingsNeedNinetyCentimetresRetrofitsEighty) {
  const std::string hall = replaced(kMiniHall, "to: [9.1,2]}", "to: [9.1,2], clear_width_m: 0.85}");
  const auto& f = find(check_text(hall), "access.door_width");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_DOUBLE_EQ(*f.required, 0.90);
  const Checker retrofit(load_rulebook(kRoot + "/scenarios/rulebooks/retrofit.yaml"));
  TempFile t(hall);
  const auto fs = retrofit.run(load_scenario(t.path()));
  const auto& g = find(fs, "access.door_width");
  EXPECT_EQ(g.status, Status::pass) << g.message;
  EXPECT_DOUBLE_EQ(*g.required, 0.80);
  EXPECT_EQ(g.rulebook_file, kRoot + "/scenarios/rulebooks/retrofit.yaml");
  EXPECT_EQ(find(fs, "access.route_width").rulebook_file, kRoot + "/scenarios/rulebooks/default.yaml");
}

}  // namespace
}  // namespace halltwin::check
