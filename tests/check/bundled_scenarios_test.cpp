// Every hall in scenarios/ loads and checks with the outcome kept in
// tests/expected/check_outcomes.yaml: exactly these rules fail, exactly these
// warn. A new scenario file without an expected outcome fails the test.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"

namespace halltwin::check {
namespace {

namespace fs = std::filesystem;
const fs::path kRoot = HALLTWIN_SOURCE_DIR;

struct Expected {
  int exit_code = 0;
  std::set<std::string> fail, warn;
};

std::map<std::string, Expected> expected_outcomes() {
  std::map<std::string, Expected> out;
  const YAML::Node root = YAML::LoadFile((kRoot / "tests/expected/check_outcomes.yaml").string());
  for (const auto& e : root) {
    Expected x;
    x.exit_code = e["exit_code"].as<int>();
    for (const auto& r : e["fail"]) x.fail.insert(r.as<std::string>());
    if (e["warn"])
      for (const auto& r : e["warn"]) x.warn.insert(r.as<std::string>());
    out[e["file"].as<std::string>()] = x;
  }
  return out;
}

std::vector<std::string> scenario_files() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kRoot / "scenarios"))
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BundledScenariosTest, EveryScenarioHasAnExpectedOutcome) {
  const auto expected = expected_outcomes();
  const auto files = scenario_files();
  ASSERT_GE(files.size(), 8u);  // five levels and at least three flawed variants
  for (const auto& f : files)
    EXPECT_TRUE(expected.count(f)) << f << " has no entry in tests/expected/check_outcomes.yaml";
  for (const auto& [f, _] : expected)
    EXPECT_TRUE(fs::exists(kRoot / "scenarios" / f)) << f << " is expected but missing";
}

TEST(BundledScenariosTest, EachHallChecksAsExpected) {
  const Checker checker(load_rulebook((kRoot / "scenarios/rulebooks/default.yaml").string()));
  for (const auto& [file, want] : expected_outcomes()) {
    SCOPED_TRACE(file);
    const Hall hall = load_scenario((kRoot / "scenarios" / file).string());
    const auto findings = checker.run(hall);
    std::set<std::string> fail, warn;
    for (const auto& f : findings) {
      if (f.status == Status::fail) fail.insert(f.rule);
      if (f.status == Status::warn) warn.insert(f.rule);
    }
    EXPECT_EQ(fail, want.fail);
    EXPECT_EQ(warn, want.warn);
    EXPECT_EQ(exit_code(findings), want.exit_code);
  }
}

// The benchmark and queueing-validation halls (subfolders, not in the
// expected outcomes): abstract rooms, but still halls that pass the checker.
TEST(BundledScenariosTest, BenchmarkAndVerificationHallsPass) {
  const Checker checker(load_rulebook((kRoot / "scenarios/rulebooks/default.yaml").string()));
  int n = 0;
  for (const char* dir : {"scenarios/benchmarks", "scenarios/verification"})
    for (const auto& entry : fs::directory_iterator(kRoot / dir)) {
      if (entry.path().extension() != ".yaml") continue;
      SCOPED_TRACE(entry.path().string());
      const Hall hall = load_scenario(entry.path().string());
      EXPECT_TRUE(hall.operations.present);
      EXPECT_EQ(exit_code(checker.run(hall)), 0);
      ++n;
    }
  EXPECT_EQ(n, 9);  // + the two platform verification halls (issue 14)
}

TEST(BundledScenariosTest, OneHallPerLevelPassesWithoutFailures) {
  const auto expected = expected_outcomes();
  for (const char* level : {"province", "city", "county", "township", "village"}) {
    const std::string f = std::string(level) + ".yaml";
    ASSERT_TRUE(expected.count(f)) << f;
    EXPECT_TRUE(expected.at(f).fail.empty()) << f;
    const Hall hall = load_scenario((kRoot / "scenarios" / f).string());
    EXPECT_EQ(std::string(name(hall.level)), level);
  }
}

TEST(BundledScenariosTest, FlawedVariantsEachFailOneDifferentRule) {
  std::set<std::string> rules;
  int flawed = 0;
  for (const auto& [file, want] : expected_outcomes()) {
    if (file.find("flawed") == std::string::npos) continue;
    ++flawed;
    EXPECT_EQ(want.fail.size(), 1u) << file;
    EXPECT_EQ(want.exit_code, 1) << file;
    if (!want.fail.empty()) rules.insert(*want.fail.begin());
  }
  EXPECT_GE(flawed, 3);
  EXPECT_EQ(static_cast<int>(rules.size()), flawed);  // all different
}

}  // namespace
}  // namespace halltwin::check
