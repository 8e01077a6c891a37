// The `halltwin` program end to end: exit codes 0 / 1 / 2, the readable table,
// the JSON file, no output file at all when the input is unusable, and the
// output writer's promises (never onto an input, symlinks followed, devices
// written through, a stale file removed after a failed run).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "tests/support/cli_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/pillared_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;

using testing::CliRun;
CliRun run(const std::string& args, bool no_display = false) { return testing::run_cli(args, no_display); }

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
  EXPECT_NE(r.out.find("33 rules: 24 pass, 0 fail, 4 warn, 5 not applicable"), std::string::npos) << r.out;
}

TEST(CliTest, FailingHallExitsOneAndWritesJson) {
  testing::TempFile hall(
      // A township hall is a crowded place (the default rulebook): its exits need 1.40 m.
      testing::replaced(testing::replaced(testing::kMiniHall, "to: [12,6.5]}", "to: [12,6.5], clear_width_m: 1.2}"),
                        "level: village", "level: township"));
  const std::string json = temp_path("fail.json");
  fs::remove(json);
  const CliRun r = run("check " + hall.path() + " --json " + json);
  EXPECT_EQ(r.code, 1) << r.out;
  std::ifstream in(json);
  ASSERT_TRUE(in.good());
  const auto j = nlohmann::json::parse(in);
  EXPECT_EQ(j["scenario"]["name"], "测试大厅");
  EXPECT_TRUE(j["rulebook"]["file"].get<std::string>().ends_with("scenarios/rulebooks/default.yaml"));
  // 36 m2 waiting + 48 m2 window area + 12 m2 no zone covers (circulation, issue 15) at
  // 0.6 persons/m2 (storey 1) = 57.6 -> 58
  EXPECT_DOUBLE_EQ(j["occupant_load"]["persons"].get<double>(), 58.0);
  EXPECT_DOUBLE_EQ(j["occupant_load"]["by_floor"]["F1"].get<double>(), 58.0);
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

TEST(CliTest, CompartmentsFailByNameAndListTheirLoads) {
  // The mini hall (format 9) split at x = 9 into two fire compartments: FC1 (west, 72 m2) has
  // D1, FC2 (east, 24 m2) has D2. FC1's 72 m2 x 0.6 = 43.2 -> 44 persons: on the ground floor,
  // within 200 m2 and 50 persons, one exit is enough (5.5.8); FC2's 24 m2 -> 15 persons too.
  const std::string nine = testing::replaced(
      testing::replaced(testing::kMiniHall, "format: halltwin-scenario/1", "format: halltwin-scenario/9"),
      "    walls:\n",
      "    compartments:\n"
      "      - {id: FC1, polygon: [[0,0],[9,0],[9,8],[0,8]]}\n"
      "      - {id: FC2, polygon: [[9,0],[12,0],[12,8],[9,8]]}\n"
      "    walls:\n");
  testing::TempFile hall(nine);
  const std::string json = temp_path("compartments.json");
  fs::remove(json);
  const CliRun r = run("check " + hall.path() + " --json " + json);
  std::ifstream in(json);
  ASSERT_TRUE(in.good()) << r.out;
  const auto j = nlohmann::json::parse(in);
  bool found = false;
  for (const auto& f : j["findings"])
    if (f["rule"] == "egress.exit_count") {
      found = true;
      EXPECT_EQ(f["status"], "pass");
      const std::string m = f["message"];
      EXPECT_NE(m.find("compartment FC1 of floor F1 uses the single-exit exception (72 m2, 44 persons)"),
                std::string::npos)
          << m;
    }
  EXPECT_TRUE(found);
  EXPECT_DOUBLE_EQ(j["occupant_load"]["by_compartment"]["F1"]["FC1"].get<double>(), 44.0);
  EXPECT_DOUBLE_EQ(j["occupant_load"]["by_compartment"]["F1"]["FC2"].get<double>(), 15.0);
  // Without compartments the JSON has no by_compartment.
  testing::TempFile plain(testing::kMiniHall);
  fs::remove(json);
  run("check " + plain.path() + " --json " + json);
  std::ifstream in2(json);
  EXPECT_FALSE(nlohmann::json::parse(in2)["occupant_load"].contains("by_compartment"));
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

// --- Outputs never destroy data (issue 5) ---

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CliTest, OutputOntoTheScenarioIsRefusedAndTheScenarioIsIntact) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("check " + hall.path() + " --json " + hall.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--json: cannot write output file: it is the input file " + hall.path()),
            std::string::npos)
      << r.out;
  EXPECT_EQ(slurp(hall.path()), testing::kMiniHall);
}

TEST(CliTest, OutputOntoTheRulebookThroughASymlinkIsRefused) {
  testing::TempFile hall(testing::kMiniHall);
  const std::string rulebook_text =
      slurp(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/default.yaml");
  testing::TempFile book(rulebook_text);
  const std::string link = temp_path("link-to-rulebook.json");
  fs::remove(link);
  fs::create_symlink(book.path(), link);
  const CliRun r = run("check " + hall.path() + " --rulebook " + book.path() + " --json " + link);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("it is the input file"), std::string::npos) << r.out;
  EXPECT_EQ(slurp(book.path()), rulebook_text);
  EXPECT_TRUE(fs::is_symlink(link));
  fs::remove(link);
}

TEST(CliTest, OutputThroughASymlinkWritesTheTargetAndKeepsTheLink) {
  testing::TempFile hall(testing::kMiniHall);
  const std::string target = temp_path("symlink-target.json"), link = temp_path("symlink.json");
  fs::remove(target);
  fs::remove(link);
  { std::ofstream(target) << "old"; }
  fs::create_symlink(target, link);
  const CliRun r = run("check " + hall.path() + " --json " + link);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link), target);
  const auto j = nlohmann::json::parse(slurp(target));
  EXPECT_EQ(j["scenario"]["name"], "测试大厅");
  fs::remove(link);
  fs::remove(target);
}

TEST(CliTest, OutputToDevNullIsWrittenThroughAndTheDeviceStays) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("check " + hall.path() + " --json /dev/null --quiet");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST(CliTest, EmptyOutputPathExitsTwo) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("check " + hall.path() + " --json ''");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--json: the output path is empty"), std::string::npos) << r.out;
}

// A floor with more reflex corners than the visibility graph serves (issue 17)
// is refused by name before any work, by every command that builds the
// geometry, and nothing is written.
TEST(CliTest, AFloorWithTooManyCornersIsRefusedByEveryCommand) {
  const int columns = 626;  // 4 corners each + the mini hall's 10 = 2,514 > 2,500
  testing::TempFile hall(testing::pillared_hall(columns));
  const std::string json = temp_path("corners.json");
  fs::remove(json);
  for (const std::string command : {"check", "evac"}) {
    const CliRun r = run(command + " " + hall.path() + " --json " + json);
    EXPECT_EQ(r.code, 2) << command << ": " << r.out;
    // The evacuation's area has a few more corners (the exits' aprons) than the checker's.
    EXPECT_NE(r.out.find(hall.path() + ":13:5: error: floors[0]: floor 'F1' has 25"), std::string::npos)
        << command << ": " << r.out;
    EXPECT_NE(r.out.find(" reflex corners"), std::string::npos) << command << ": " << r.out;
    EXPECT_FALSE(fs::exists(json)) << command;
  }
}

TEST(CliTest, AFailedRunRemovesAStaleOutputAndSaysSo) {
  testing::TempFile hall(testing::replaced(testing::kMiniHall, "level: village", "level: hamlet"));
  const std::string json = temp_path("stale.json");
  { std::ofstream(json) << "{\"from\": \"an earlier run\"}\n"; }
  const CliRun r = run("check " + hall.path() + " --json " + json);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("halltwin: removed stale " + json + " from an earlier run"), std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(json));
}

TEST(CliTest, AFailingVerdictKeepsTheNewOutput) {
  // Exit 1 is a result: the JSON is written and kept.
  testing::TempFile hall(
      // A township hall is a crowded place (the default rulebook): its exits need 1.40 m.
      testing::replaced(testing::replaced(testing::kMiniHall, "to: [12,6.5]}", "to: [12,6.5], clear_width_m: 1.2}"),
                        "level: village", "level: township"));
  const std::string json = temp_path("verdict.json");
  { std::ofstream(json) << "old"; }
  const CliRun r = run("check " + hall.path() + " --json " + json + " --quiet");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_EQ(r.out.find("removed"), std::string::npos) << r.out;
  EXPECT_NO_THROW(nlohmann::json::parse(slurp(json)));
  fs::remove(json);
}

TEST(CliTest, NoTemporaryFileIsLeftBeside) {
  testing::TempFile hall(testing::kMiniHall);
  const fs::path dir = fs::temp_directory_path() / "halltwin-cli-tmpdir";
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_EQ(run("check " + hall.path() + " --json " + (dir / "out.json").string()).code, 0);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"out.json"});
  fs::remove_all(dir);
}

// --- One exit-code rule (issue 5) ---

TEST(CliTest, AnUnknownCommandIsNamed) {
  const CliRun r = run("chek x.yaml");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("halltwin: unknown command 'chek'; commands: check, view"), std::string::npos)
      << r.out;
}

TEST(CliTest, CellNanIsRefused) {
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("check " + hall.path() + " --cell nan");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--cell: 'nan' is not a number from 0.02 to 1.0"), std::string::npos) << r.out;
}

TEST(CliTest, AnUnreadableFileGivesTheSystemsReason) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads a chmod 000 file anyway";
  testing::TempFile hall(testing::kMiniHall);
  fs::permissions(hall.path(), fs::perms::none);
  const CliRun r = run("check " + hall.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(hall.path() + ": error: cannot open file for reading: Permission denied"),
            std::string::npos)
      << r.out;
}

TEST(CliTest, ANonUtf8ScenarioExitsTwoBeforeAnyTable) {
  testing::TempFile hall(testing::replaced(testing::kMiniHall, "name: 测试大厅", "name: \xB2\xE2\xCA\xD4"));
  const CliRun r = run("check " + hall.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(":3:9: error: not valid UTF-8"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("STATUS"), std::string::npos) << r.out;
}

TEST(CliTest, AnAliasBombRulebookExitsTwoQuickly) {
  testing::TempFile hall(testing::kMiniHall);
  std::string bomb = "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  testing::TempFile book(bomb);
  const CliRun r = run("check " + hall.path() + " --rulebook " + book.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("(an alias bomb?)"), std::string::npos) << r.out;
}

TEST(CliTest, ExitCodeRuleForView) {
  // 2: unusable input, for view as for check.
  EXPECT_EQ(run("view /nonexistent/hall.yaml --screenshot /tmp/halltwin-cli-x.png").code, 2);
  EXPECT_EQ(run("view").code, 2);
  testing::TempFile hall(testing::kMiniHall);
  const CliRun r = run("view " + hall.path() + " --screenshot " + hall.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("it is the input file"), std::string::npos) << r.out;
  EXPECT_EQ(slurp(hall.path()), testing::kMiniHall);
}

TEST(CliTest, HelpExitsZero) {
  const CliRun r = run("check --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--rulebook"), std::string::npos);
}

}  // namespace
}  // namespace halltwin
