// The `halltwin` program end to end: exit codes 0 / 1 / 2, the readable table,
// the JSON file, and no output file at all when the input is unusable.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;

struct CliRun {
  int code = -1;
  std::string out;  // stdout and stderr together
};

CliRun run(const std::string& args, bool no_display = false) {
  const std::string cmd =
      std::string(no_display ? "env -u DISPLAY " : "") + HALLTWIN_CLI + " " + args + " 2>&1";
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string temp_path(const std::string& name) {
  return (fs::temp_directory_path() / ("halltwin-cli-" + name)).string();
}

TEST(CliTest, PassingHallExitsZeroAndPrintsATable) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("check " + hall.path());
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("STATUS  RULE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("egress.travel_distance"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("GB 50016-2014 5.5.17 item 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("23 rules: 21 pass, 0 fail, 1 warn, 1 not applicable"), std::string::npos) << r.out;
}

TEST(CliTest, FailingHallExitsOneAndWritesJson) {
  testing::TempFile hall(
      testing::replaced(testing::kMiniHall, "to: [12,6.5]}", "to: [12,6.5], clear_width_m: 1.2}"));
  const std::string json = temp_path("fail.json");
  fs::remove(json);
  const CliRun r = run("check " + hall.path() + " --json " + json);
  EXPECT_EQ(r.code, 1) << r.out;
  std::ifstream in(json);
  ASSERT_TRUE(in.good());
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["scenario"]["name"], "测试大厅");
  EXPECT_TRUE(j["rulebook"]["file"].get<std::string>().ends_with("scenarios/rulebooks/default.yaml"));
  // 36 m2 waiting + 48 m2 window area at 0.6 persons/m2 = 50.4 -> 51
  EXPECT_DOUBLE_EQ(j["occupant_load"]["persons"].get<double>(), 51.0);
  EXPECT_DOUBLE_EQ(j["occupant_load"]["by_floor"]["F1"].get<double>(), 51.0);
  bool found = false;
  for (const auto& f : j["findings"]) {
    for (const char* key : {"rule", "clause", "confidence", "status", "measured", "required", "unit",
                            "message", "location", "floor"})
      EXPECT_TRUE(f.contains(key)) << key;
    if (f["rule"] == "egress.exit_door_width") {
      found = true;
      EXPECT_EQ(f["status"], "fail");
      EXPECT_DOUBLE_EQ(f["measured"].get<double>(), 1.2);
      EXPECT_DOUBLE_EQ(f["required"].get<double>(), 1.4);
      EXPECT_EQ(f["unit"], "m");
      EXPECT_EQ(f["confidence"], "verified");
      ASSERT_TRUE(f["location"].is_array());
      EXPECT_DOUBLE_EQ(f["location"][0].get<double>(), 12.0);
      EXPECT_DOUBLE_EQ(f["location"][1].get<double>(), 5.75);
      EXPECT_EQ(f["floor"], "F1");
    }
    const std::string s = f["status"];
    EXPECT_TRUE(s == "pass" || s == "fail" || s == "warn" || s == "not_applicable") << s;
  }
  EXPECT_TRUE(found);
  fs::remove(json);
}

TEST(CliTest, InvalidScenarioExitsTwoWithMessageAndWritesNothing) {
  testing::TempFile hall(testing::replaced(testing::kMiniHall, "level: village", "level: hamlet"));
  const std::string json = temp_path("bad.json");
  fs::remove(json);
  const CliRun r = run("check " + hall.path() + " --json " + json);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(hall.path() + ":4:10: error: hall.level: 'hamlet' is not one of"), std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(json));
}

TEST(CliTest, InvalidRulebookExitsTwo) {
  testing::TempFile hall(testing::kMiniHall);
  testing::TempFile book("format: halltwin-rulebook/1\nname: x\nrules: []\n");
  const CliRun r = run("check " + hall.path() + " --rulebook " + book.path());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(book.path() + ":1:1: error: occupant_density: missing"), std::string::npos) << r.out;
}

TEST(CliTest, UnwritableOutputExitsTwoBeforeChecking) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("check " + hall.path() + " --json /nonexistent-dir/out.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(
      r.out.find(
          "/nonexistent-dir/out.json: error: --json: cannot write output file: No such file or directory"),
      std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists("/nonexistent-dir/out.json"));
}

TEST(CliTest, MissingScenarioFileExitsTwo) {
  const CliRun r = run("check /nonexistent/hall.yaml");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("/nonexistent/hall.yaml: error: cannot open file for reading"), std::string::npos)
      << r.out;
}

TEST(CliTest, BadFlagsExitTwo) {
  EXPECT_EQ(run("check").code, 2);
  EXPECT_EQ(run("frobnicate x.yaml").code, 2);
  EXPECT_EQ(run("check x.yaml --cell 7").code, 2);
}

TEST(CliTest, RasterTooFineForTheFloorExitsTwo) {
  // 12 m x 8 m at 2 cm is 240,000 cells: fine. A 2 km x 2 km floor at 0.1 m is 400 million: refused.
  testing::TempFile huge(testing::replaced(testing::kMiniHall, "boundary: [[0,0],[12,0],[12,8],[0,8]]",
                                           "boundary: [[0,0],[12,0],[12,8],[2000,8],[2000,2000],[0,2000]]"));
  const CliRun r = run("check " + huge.path() + " --cell 0.1");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("a 0.10 m raster would need 400 million cells on this floor (at most 20 million); use "
                       "a coarser --cell"),
            std::string::npos)
      << r.out;
}

#if HALLTWIN_VIEWER_BUILT
TEST(CliTest, ViewWithoutADisplayExitsTwo) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r =
      run("view " + hall.path() + " --screenshot /tmp/halltwin-cli-noview.png", /*no_display=*/true);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("no X display"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists("/tmp/halltwin-cli-noview.png"));
}

TEST(CliTest, ViewRejectsAnUnknownOverlay) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("view " + hall.path() +
                       " --overlay exit-distance,exit-distanse --screenshot /tmp/halltwin-cli-overlay.png");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--overlay: 'exit-distanse' is not an overlay; expected one of: exit-distance, "
                       "extinguisher-distance, findings"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists("/tmp/halltwin-cli-overlay.png"));
}
#else
TEST(CliTest, ViewInALeanBuildExitsTwoSayingSo) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("view " + hall.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("halltwin view: this build has no 3D view (configured with -DHALLTWIN_VIEWER=OFF)"),
            std::string::npos)
      << r.out;
}
#endif

TEST(CliTest, ViewRejectsABadSize) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("view " + hall.path() + " --size 12by9");
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST(CliTest, HelpExitsZero) {
  const CliRun r = run("check --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--rulebook"), std::string::npos);
}

}  // namespace
}  // namespace halltwin
