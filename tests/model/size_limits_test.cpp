// "Sizes that hang" (issue 17): inputs that are large but legal to write must
// get their answer in a bounded time. Each test is the regression test for
// one case of the hostile-input trial. The time bounds are generous (the
// measured figures are in docs/benchmarks.md) so that a loaded CI machine does
// not make them flaky (processor time is measured), and looser still under the sanitizers.
#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include <fmt/format.h>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/vertex_cleanup.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/hall_geometry.hpp"
#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "tests/support/load_errors.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/pillared_hall.hpp"

namespace halltwin {
namespace {

using testing::kMiniHall;
using testing::scenario_error;

#if defined(__SANITIZE_ADDRESS__)
constexpr double kSlack = 6.0;  // ASan+UBSan runs are several times slower
#else
constexpr double kSlack = 1.0;
#endif

// Processor time, not wall time: the bound is about the algorithm, and CI
// machines shared by parallel jobs stretch wall time several fold.
double seconds_since(std::clock_t t0) { return static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC; }

// 300,000 unknown keys in one map took 63 s when each key was searched
// linearly among the earlier ones.
TEST(SizeLimits, ThreeHundredThousandUnknownKeysAreAnsweredQuickly) {
  std::string extra;
  extra.reserve(300'000 * 16);
  for (int i = 0; i < 300'000; ++i) extra += "  k" + std::to_string(i) + ": 1\n";
  std::string text = kMiniHall;
  const auto at = text.find("  level: village\n");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, extra);
  const std::clock_t t0 = std::clock();
  const std::string msg = scenario_error(text);
  const double s = seconds_since(t0);
  EXPECT_NE(msg.find("FILE:4:3: error: hall: unknown key 'k0'"), std::string::npos) << msg.substr(0, 400);
  // The first hundred are listed, the rest counted: every key was still checked.
  EXPECT_NE(msg.find("FILE:103:3: error: hall: 299901 more unknown keys in this map from here on"),
            std::string::npos)
      << msg.substr(msg.size() > 600 ? msg.size() - 600 : 0);
  EXPECT_LT(s, 5.0 * kSlack);
}

// The same number of keys with the last one repeating the first: the
// duplicate is named, in the same bounded time.
TEST(SizeLimits, DuplicateKeyAmongThreeHundredThousandIsFoundQuickly) {
  std::string extra;
  extra.reserve(300'000 * 16);
  for (int i = 0; i < 300'000; ++i) extra += "  k" + std::to_string(i) + ": 1\n";
  extra += "  k0: 2\n";
  std::string text = kMiniHall;
  const auto at = text.find("  level: village\n");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, extra);
  const std::clock_t t0 = std::clock();
  const std::string msg = scenario_error(text);
  const double s = seconds_since(t0);
  EXPECT_NE(msg.find("key 'k0' appears twice in the same map"), std::string::npos) << msg.substr(0, 400);
  EXPECT_NE(msg.find("FILE:300004:3:"), std::string::npos) << msg.substr(0, 400);
  EXPECT_LT(s, 5.0 * kSlack);
}

// At load, a vertex clicked twice and a wall drawn in a thousand collinear
// pieces are merged (within 1 mm): the outline keeps its four corners.
TEST(SizeLimits, NearDuplicateAndCollinearVerticesAreMergedAtLoad) {
  std::string top;
  for (int i = 999; i > 0; --i) top += fmt::format(",[{},8]", 0.012 * i);
  const std::string text = testing::replaced(
      kMiniHall, "boundary: [[0,0],[12,0],[12,8],[0,8]]",
      "boundary: [[0,0],[12,0],[12.0004,0.0002],[12,8]" + top + ",[0,8],[0,8]]");
  const Hall hall = testing::scenario_of(text);
  ASSERT_EQ(hall.floors.size(), 1u);
  const Polygon& b = hall.floors[0].boundary;
  EXPECT_LE(b.size(), 4u + 999u / geom::kMaxMergedRun + 1u);
  EXPECT_NEAR(geom::area(b), 96.0, 1e-9);
}

// A floor lined with more reflex corners than the visibility graph serves is
// refused with its name and count before the graph is built (8,000 corners
// took 154 s and 777 MB).
TEST(SizeLimits, FloorWithTooManyReflexCornersIsRefusedByName) {
  const int count = static_cast<int>(geom::VisibilityGraph::kMaxCorners / 4) + 1;
  const std::string text = testing::pillared_hall(count);
  const Hall hall = testing::scenario_of(text);
  const std::clock_t t0 = std::clock();
  try {
    const HallGeometry g(hall, 0.1);
    ADD_FAILURE() << "expected the floor to be refused";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(":13:5: error: floors[0]: floor 'F1' has " +
                       std::to_string(4 * count + 10) + " reflex corners"),
              std::string::npos)
        << msg;
    EXPECT_NE(msg.find("serves at most " + std::to_string(geom::VisibilityGraph::kMaxCorners) + " per floor"),
              std::string::npos)
        << msg;
  }
  EXPECT_LT(seconds_since(t0), 5.0 * kSlack);
}

}  // namespace
}  // namespace halltwin
