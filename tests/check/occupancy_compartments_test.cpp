// The occupant load by storey and zone type, and fire compartments per floor
// (issue 15, checker part 2), each on a tiny hall computed by hand:
// GB 50016-2014 5.5.21 item 7 with table 5.5.21-2 by analogy (0.60 / 0.54 /
// 0.42 persons/m2 by storey), back offices at 4 m2 per person, circulation at
// the public density; 5.3.1 and 5.5.8 per compartment (scenario format 9).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>

#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/check_context.hpp"
#include "sim/check/checker.hpp"
#include "tests/support/check_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::check {
namespace {

using halltwin::testing::check_text;
using halltwin::testing::find;
using halltwin::testing::kDefaultRulebook;
using halltwin::testing::load_error;
using halltwin::testing::replaced;
using halltwin::testing::TempFile;

// Four 20 m x 10 m floors (200 m2 each), storeys 1 to 4, and a basement:
//   F1: waiting 15 x 10 (150 m2) and a back office 5 x 10 (50 m2)
//   F2: waiting 10 x 10 (100 m2); the other 100 m2 no zone covers (circulation)
//   F3, F4, B1: waiting over the whole floor
const std::string kStoreys = R"(format: halltwin-scenario/9
hall: {name: storeys, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    zones:
      - {id: Z1, type: waiting, polygon: [[0,0],[15,0],[15,10],[0,10]]}
      - {id: Z1B, type: back_office, polygon: [[15,0],[20,0],[20,10],[15,10]]}
  - id: F2
    storey: 2
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    zones:
      - {id: Z2, type: waiting, polygon: [[0,0],[10,0],[10,10],[0,10]]}
  - id: F3
    storey: 3
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    zones:
      - {id: Z3, type: waiting, polygon: [[0,0],[20,0],[20,10],[0,10]]}
  - id: F4
    storey: 4
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    zones:
      - {id: Z4, type: waiting, polygon: [[0,0],[20,0],[20,10],[0,10]]}
  - id: B1
    storey: -1
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    zones:
      - {id: ZB, type: waiting, polygon: [[0,0],[20,0],[20,10],[0,10]]}
)";

OccupantLoadResult load_of(const std::string& yaml, const std::string& book = kDefaultRulebook) {
  TempFile f(yaml);
  return occupant_load(load_scenario(f.path()), load_rulebook(book));
}

TEST(OccupantLoadTest, DensityByStoreyOfficesAndCirculation) {
  const auto l = load_of(kStoreys);
  // F1: 150 x 0.60 + 50 x 0.25 (office, 4 m2 per person) = 90 + 12.5 = 102.5 -> 103.
  EXPECT_DOUBLE_EQ(l.by_floor[0], 103);
  // F2: 100 x 0.60 + 100 m2 of circulation x 0.60 = 120.
  EXPECT_DOUBLE_EQ(l.by_floor[1], 120);
  // F3: 200 x 0.54 = 108 (table 5.5.21-2, storey 3).
  EXPECT_DOUBLE_EQ(l.by_floor[2], 108);
  // F4: 200 x 0.42 = 84 (storey 4 and up).
  EXPECT_DOUBLE_EQ(l.by_floor[3], 84);
  // B1: 200 x 0.60 = 120 (first basement).
  EXPECT_DOUBLE_EQ(l.by_floor[4], 120);
  EXPECT_NE(l.basis.find("100.0 m2 outside zones"), std::string::npos) << l.basis;
  // The second basement: 0.56.
  const auto b2 = load_of(replaced(kStoreys, "storey: -1", "storey: -2"));
  EXPECT_DOUBLE_EQ(b2.by_floor[4], 112);
}

TEST(OccupantLoadTest, AJurisdictionRulebookOverridesTheTableByStorey) {
  // A rulebook extending the default with the table's lower values for storey 3 and up.
  const std::string book = fmt::format(R"(format: halltwin-rulebook/2
name: lower densities (test)
extends: {}
occupant_density:
  clause: GB 50016-2014 table 5.5.21-2 lower values (test)
  confidence: partial
  by_storey: {{storeys_1_2: 0.43, storey_3: 0.39, storey_4_up: 0.30, basement_1: 0.60, basement_2_down: 0.56}}
  ppm2: {{waiting: by_storey, back_office: 0.1667}}
  circulation: 0
)",
                                       kDefaultRulebook);
  TempFile bf(book);
  const auto l = load_of(kStoreys, bf.path());
  EXPECT_DOUBLE_EQ(l.by_floor[1], 43);  // 100 x 0.43, circulation 0
  EXPECT_DOUBLE_EQ(l.by_floor[2], 78);  // 200 x 0.39
  EXPECT_DOUBLE_EQ(l.by_floor[3], 60);  // 200 x 0.30
  // `by_storey` without the table is a rulebook error naming the field.
  TempFile bad(replaced(book, "  by_storey: {storeys_1_2: 0.43, storey_3: 0.39, storey_4_up: 0.30, basement_1: 0.60, "
                              "basement_2_down: 0.56}\n",
                        ""));
  try {
    load_rulebook(bad.path());
    ADD_FAILURE() << "expected the rulebook to be refused";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("occupant_density.ppm2.waiting: 'by_storey' needs the by_storey table"),
              std::string::npos)
        << e.what();
  }
}

TEST(OccupantLoadTest, TheStoreyThreeLoadSizesItsStairs) {
  // F3 alone above F1/F2's exits: 108 persons x 0.75 m per 100 (storey 3, grade II) = 0.81 m.
  const std::string three = R"(format: halltwin-scenario/9
hall: {name: three, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false}
floors:
  - id: F3
    storey: 3
    boundary: [[0,0],[20,0],[20,10],[0,10]]
    doors:
      - {id: A1, kind: exit, from: [0,2], to: [0,4], clear_width_m: 0.4}
      - {id: A2, kind: exit, from: [20,2], to: [20,4], clear_width_m: 0.4}
    zones:
      - {id: Z3, type: waiting, polygon: [[0,0],[20,0],[20,10],[0,10]]}
)";
  const auto fs = check_text(three, 0.5);
  const Finding f = find(fs, "egress.exit_width_per_100");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NEAR(*f.required, 108 / 100.0 * 0.75, 1e-9);
  EXPECT_NEAR(*f.measured, 0.8, 1e-9);
  EXPECT_NE(f.message.find("108 persons"), std::string::npos) << f.message;
}

// One storey, 40.2 m x 10 m: compartment FC1 west of a 0.2 m fire wall at x = 20,
// FC2 east of it; a waiting zone over each. FC1 has exits at the west end and in
// the south wall, FC2 the one at its east end.
const std::string kTwo = R"(format: halltwin-scenario/9
hall: {name: two compartments, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[40.2,0],[40.2,10],[0,10]]
    walls:
      - {id: FW, polygon: [[20,0],[20.2,0],[20.2,10],[20,10]]}
    compartments:
      - {id: FC1, polygon: [[0,0],[20,0],[20,10],[0,10]]}
      - {id: FC2, polygon: [[20.2,0],[40.2,0],[40.2,10],[20.2,10]]}
    doors:
      - {id: X1, kind: exit, from: [0,2], to: [0,4]}
      - {id: X2, kind: exit, from: [5,0], to: [7,0]}
      - {id: X3, kind: exit, from: [40.2,2], to: [40.2,4]}
    zones:
      - {id: ZA, type: waiting, polygon: [[0,0],[20,0],[20,10],[0,10]]}
      - {id: ZB, type: waiting, polygon: [[20.2,0],[40.2,0],[40.2,10],[20.2,10]]}
)";

TEST(CompartmentTest, ACompartmentWithOneExitFailsByName) {
  const auto fs = check_text(kTwo, 0.5);
  const Finding f = find(fs, "egress.exit_count");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_DOUBLE_EQ(*f.measured, 1);
  // 200 m2 x 0.60 = 120 persons: beyond the single-exit exception's 50.
  EXPECT_NE(f.message.find("compartment FC2 of floor F1 has 1 safety exit(s), needs 2 (200 m2, 120 persons)"),
            std::string::npos)
      << f.message;
  EXPECT_EQ(f.message.find("FC1"), std::string::npos) << f.message;
  // Per compartment load: 120 each (the wall's 2 m2 count for the floor's 242, not for either).
  TempFile t(kTwo);
  const auto l = occupant_load(load_scenario(t.path()), load_rulebook(kDefaultRulebook));
  ASSERT_EQ(l.by_compartment[0].size(), 2u);
  EXPECT_DOUBLE_EQ(l.by_compartment[0][0], 120);
  EXPECT_DOUBLE_EQ(l.by_compartment[0][1], 120);
  EXPECT_DOUBLE_EQ(l.by_floor[0], 242);
  // A second exit for FC2 in its south wall: pass.
  const auto two = check_text(replaced(kTwo, "      - {id: X3,", "      - {id: X4, kind: exit, from: [30,0], to: [32,0]}\n      - {id: X3,"), 0.5);
  EXPECT_EQ(find(two, "egress.exit_count").status, Status::pass);
  // Without compartments the floor has three exits: pass.
  const std::string one = replaced(kTwo,
                                   "    compartments:\n"
                                   "      - {id: FC1, polygon: [[0,0],[20,0],[20,10],[0,10]]}\n"
                                   "      - {id: FC2, polygon: [[20.2,0],[40.2,0],[40.2,10],[20.2,10]]}\n",
                                   "");
  EXPECT_EQ(find(check_text(one, 0.5), "egress.exit_count").status, Status::pass);
}

TEST(CompartmentTest, ADoorIntoTheNextCompartmentIsNoExitAndAnExitOnTheSharedEdgeServesBoth) {
  // A door through the fire wall (FC2 into FC1, a horizontal exit of 5.5.9) is not counted:
  // FC2 still has one exit of its own.
  const std::string through =
      replaced(kTwo, "      - {id: X3,", "      - {id: HW, kind: internal, from: [20.1,5], to: [20.1,6]}\n      - {id: X3,");
  const Finding f = find(check_text(through, 0.5), "egress.exit_count");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NE(f.message.find("compartment FC2 of floor F1 has 1 safety exit(s)"), std::string::npos) << f.message;
  // An exit to the outside whose middle lies on the wall between them (within 0.6 m of both)
  // serves both compartments: FC2 has two.
  const std::string shared =
      replaced(kTwo, "      - {id: X3,", "      - {id: X5, kind: exit, from: [19.4,0], to: [20.8,0]}\n      - {id: X3,");
  EXPECT_EQ(find(check_text(shared, 0.5), "egress.exit_count").status, Status::pass);
}

TEST(CompartmentTest, ExitWidthByTheCompartmentsOwnLoad) {
  // FC2 with two 0.3 m exits: 0.6 m for its 120 persons x 0.65 m per 100 = 0.78 m: fail,
  // although the floor (2 x 2 m + 0.6 m for 242 persons: 1.57 m) would pass.
  const std::string narrow =
      replaced(replaced(kTwo, "from: [40.2,2], to: [40.2,4]}", "from: [40.2,2], to: [40.2,4], clear_width_m: 0.3}"),
               "      - {id: X3,", "      - {id: X4, kind: exit, from: [30,0], to: [32,0], clear_width_m: 0.3}\n      - {id: X3,");
  const Finding f = find(check_text(narrow, 0.5), "egress.exit_width_per_100");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NEAR(*f.measured, 0.6, 1e-9);
  EXPECT_NEAR(*f.required, 0.78, 1e-9);
  EXPECT_NE(f.message.find("compartment FC2 of floor F1"), std::string::npos) << f.message;
}

// Two storeys of 40.2 m x 10 m, each split by a fire wall at x = 20: FC1 (west) and FC2
// (east) on F1, FC3 and FC4 above them on F2, 200 m2 each. Stair S1 joins FC1 and FC3
// (doors SD1, SU1 at x 10-11.5 in the north wall), S2 joins FC2 and FC4 (x 30-31.5). Loads
// (storeys 1-2): FC1 a back office, 200 x 0.25 = 50; FC2 waiting, 200 x 0.60 = 120; FC3
// waiting, 120; FC4 a back office, 50. FC1 has 0.3 m + 0.3 m of exits.
const std::string kStack = R"(format: halltwin-scenario/9
hall: {name: stacks, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[40.2,0],[40.2,10],[0,10]]
    walls:
      - {id: FW1, polygon: [[20,0],[20.2,0],[20.2,10],[20,10]]}
    compartments:
      - {id: FC1, polygon: [[0,0],[20,0],[20,10],[0,10]]}
      - {id: FC2, polygon: [[20.2,0],[40.2,0],[40.2,10],[20.2,10]]}
    doors:
      - {id: X1, kind: exit, from: [0,2], to: [0,4], clear_width_m: 0.3}
      - {id: SD1, kind: exit, exit_to: protected_stair, from: [10,10], to: [11.5,10], clear_width_m: 0.3}
      - {id: X3, kind: exit, from: [40.2,2], to: [40.2,4]}
      - {id: SD2, kind: exit, exit_to: protected_stair, from: [30,10], to: [31.5,10]}
    zones:
      - {id: ZA, type: back_office, polygon: [[0,0],[20,0],[20,10],[0,10]]}
      - {id: ZB, type: waiting, polygon: [[20.2,0],[40.2,0],[40.2,10],[20.2,10]]}
  - id: F2
    storey: 2
    boundary: [[0,0],[40.2,0],[40.2,10],[0,10]]
    walls:
      - {id: FW2, polygon: [[20,0],[20.2,0],[20.2,10],[20,10]]}
    compartments:
      - {id: FC3, polygon: [[0,0],[20,0],[20,10],[0,10]]}
      - {id: FC4, polygon: [[20.2,0],[40.2,0],[40.2,10],[20.2,10]]}
    doors:
      - {id: SU1, kind: exit, exit_to: protected_stair, from: [10,10], to: [11.5,10]}
      - {id: SU2, kind: exit, exit_to: protected_stair, from: [30,10], to: [31.5,10]}
    zones:
      - {id: ZC, type: waiting, polygon: [[0,0],[20,0],[20,10],[0,10]]}
      - {id: ZD, type: back_office, polygon: [[20.2,0],[40.2,0],[40.2,10],[20.2,10]]}
stairs:
  - {id: S1, from: {floor: F1, door: SD1}, to: {floor: F2, door: SU1}, width_m: 1.4}
  - {id: S2, from: {floor: F1, door: SD2}, to: {floor: F2, door: SU2}, width_m: 1.4}
)";

TEST(CompartmentTest, ExitWidthByTheBusiestCompartmentOfItsStairStack) {
  // FC1.s exits carry its stack's busiest compartment, FC3 of F2 (120 persons, not its own
  // 50): 120 / 100 x 0.65 = 0.78 m > 0.6 m.
  const Finding f = find(check_text(kStack, 0.5), "egress.exit_width_per_100");
  EXPECT_EQ(f.status, Status::fail) << f.message;
  EXPECT_NEAR(*f.measured, 0.6, 1e-9);
  EXPECT_NEAR(*f.required, 0.78, 1e-9);
  EXPECT_NE(f.message.find("compartment FC1 of floor F1: 0.60 m of exit width (its own exits) for 120 persons "
                           "(compartment FC3 of floor F2, the busiest of its stair stack it serves)"),
            std::string::npos)
      << f.message;
  // Without stair S1 (both its doors lead outside instead) FC1 is a stack of its own:
  // 50 / 100 x 0.65 = 0.325 m <= 0.6 m, and every other compartment and floor passes.
  std::string alone = replaced(kStack, "  - {id: S1, from: {floor: F1, door: SD1}, to: {floor: F2, door: SU1}, width_m: 1.4}\n", "");
  alone = replaced(alone, "{id: SD1, kind: exit, exit_to: protected_stair,", "{id: SD1, kind: exit,");
  alone = replaced(alone, "{id: SU1, kind: exit, exit_to: protected_stair,", "{id: SU1, kind: exit,");
  const Finding g = find(check_text(alone, 0.5), "egress.exit_width_per_100");
  EXPECT_EQ(g.status, Status::pass) << g.message;
}

// One storey, 60 m x 50 m (3,000 m2): FC1 60 x 45 (2,700 m2), FC2 60 x 5 (300 m2).
const std::string kLarge = R"(format: halltwin-scenario/9
hall: {name: large, level: village, population_served: 100, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[60,0],[60,50],[0,50]]
    compartments:
      - {id: FC1, polygon: [[0,0],[60,0],[60,45],[0,45]]}
      - {id: FC2, polygon: [[0,45],[60,45],[60,50],[0,50]]}
    doors:
      - {id: X1, kind: exit, from: [0,2], to: [0,4]}
      - {id: X2, kind: exit, from: [60,2], to: [60,4]}
      - {id: X3, kind: exit, from: [0,46], to: [0,48]}
      - {id: X4, kind: exit, from: [60,46], to: [60,48]}
)";

TEST(CompartmentTest, ATooLargeCompartmentFailsAndSprinklersDoubleTheLimit) {
  const Finding f = find(check_text(kLarge, 0.5), "egress.compartment_area");
  EXPECT_EQ(f.status, Status::fail);
  EXPECT_NEAR(*f.measured, 2700.0, 1e-6);
  EXPECT_DOUBLE_EQ(*f.required, 2500.0);
  EXPECT_NE(f.message.find("compartment FC1 of floor F1 2700 m2 > 2500 m2"), std::string::npos) << f.message;
  // FC1 sprinklered (the hall is not): 5,000 m2.
  const Finding s = find(check_text(replaced(kLarge, "[60,45],[0,45]]}", "[60,45],[0,45]], sprinklered: true}"), 0.5),
                         "egress.compartment_area");
  EXPECT_EQ(s.status, Status::pass);
  EXPECT_NEAR(*s.measured, 300.0, 1e-6);  // the tightest is now FC2: 300 of 2,500 m2
  // Two halves of 1,500 m2 each: pass, where the floor as one compartment (3,000 m2) fails.
  const std::string halves = replaced(replaced(kLarge, "[[0,0],[60,0],[60,45],[0,45]]", "[[0,0],[60,0],[60,25],[0,25]]"),
                                      "[[0,45],[60,45],[60,50],[0,50]]", "[[0,25],[60,25],[60,50],[0,50]]");
  EXPECT_EQ(find(check_text(halves, 0.5), "egress.compartment_area").status, Status::pass);
}

TEST(CompartmentTest, TheLoaderRefusesBadCompartments) {
  // Overlapping.
  const std::string over = load_error(replaced(kLarge, "[[0,45],[60,45],[60,50],[0,50]]", "[[0,40],[60,40],[60,50],[0,50]]"));
  EXPECT_NE(over.find("floors[F1].compartments[FC2].polygon: compartment 'FC2' overlaps compartment 'FC1'"),
            std::string::npos)
      << over;
  // Leaving part of the floor out (60 x 2 m = 120 m2).
  const std::string gap = load_error(replaced(kLarge, "[[0,45],[60,45],[60,50],[0,50]]", "[[0,47],[60,47],[60,50],[0,50]]"));
  EXPECT_NE(gap.find("floors[F1].compartments: the compartments leave 120.00 m2 of floor 'F1' uncovered"),
            std::string::npos)
      << gap;
  // Outside the floor.
  const std::string out = load_error(replaced(kLarge, "[[0,45],[60,45],[60,50],[0,50]]", "[[0,45],[60,45],[60,55],[0,55]]"));
  EXPECT_NE(out.find("floors[F1].compartments[FC2].polygon: compartment vertex (60.00, 55.00) lies outside"),
            std::string::npos)
      << out;
  // The key in a version-8 file, with the file's line.
  const std::string v8 = load_error(replaced(kLarge, "halltwin-scenario/9", "halltwin-scenario/8"));
  EXPECT_NE(v8.find(":7:"), std::string::npos) << v8;
  EXPECT_NE(v8.find("floors[F1].compartments: needs format: halltwin-scenario/9 (this file says "
                    "halltwin-scenario/8)"),
            std::string::npos)
      << v8;
  // A wall between two compartments may stay uncovered (kTwo loads).
  TempFile t(kTwo);
  EXPECT_EQ(load_scenario(t.path()).floors[0].compartments.size(), 2u);
}

}  // namespace
}  // namespace halltwin::check
