// `halltwin size` end to end: the table, the JSON document (docs/size.md),
// --out writing a scenario that loads and that `halltwin run` confirms with
// the same KPIs, exit 1 with the best values for unreachable targets, exit 2
// with nothing written for bad input.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "model/scenario_loader.hpp"
#include "tests/support/cli_run.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::cli_temp_path;
using testing::run_cli;
using testing::source_path;

json read_json(const std::string& path) { return json::parse(std::ifstream(path)); }

TEST(SizeCliTest, StaffedScenarioIsConfirmedByRun) {
  const std::string js = cli_temp_path("size", "t.json"), out = cli_temp_path("size", "staffed.yaml"),
                    run_js = cli_temp_path("size", "run.json");
  // No --target: the scenario's own (within_target_rate >= 0.8, abandon_rate <= 0.08).
  const auto r = run_cli("size " + source_path("scenarios/township.yaml") +
                         " --replications 10 --json " + js + " --out " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("BLOCK"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("met    within_target_rate>=0.8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("one staff fewer in any block"), std::string::npos) << r.out;
  const json j = read_json(js);
  for (const char* key : {"scenario", "block_min", "replications", "seed", "days", "start_date", "met",
                          "unreachable", "locally_minimal", "targets", "pools", "blocks", "staff_hours",
                          "analytic_staff_hours", "evaluations", "passes", "notes", "performance"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_TRUE(j["met"].get<bool>());
  ASSERT_EQ(j["blocks"].size(), 16u);  // 09:00-17:00 in the profile's 30 min blocks
  for (const char* key : {"start", "end", "offered_load", "analytic_staff", "staff", "analytic_by_pool", "by_pool"})
    EXPECT_TRUE(j["blocks"][0].contains(key)) << key;
  ASSERT_EQ(j["targets"].size(), 2u);

  // The written scenario loads, and `run` (same seed and replications) meets the targets
  // with the very KPI values size reported.
  const Hall staffed = load_scenario(out);
  EXPECT_FALSE(staffed.operations.roster.staff.empty());
  const auto rr = run_cli("run " + out + " --replications 10 --json " + run_js);
  EXPECT_EQ(rr.code, 0) << rr.out;
  const json k = read_json(run_js)["kpis"];
  for (const auto& t : j["targets"]) {
    const std::string name = t["kpi"];
    EXPECT_NEAR(k[name]["mean"].get<double>(), t["mean"].get<double>(), 1e-3) << name;
  }
  for (const auto& p : {js, out, run_js}) fs::remove(p);
}

TEST(SizeCliTest, UnreachableTargetsExitOneWithTheBestValues) {
  const std::string js = cli_temp_path("size", "u.json");
  const auto r = run_cli("size " + source_path("scenarios/village.yaml") +
                         " --target \"wait_p90_s<=1\" --replications 3 --json " + js);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("UNREACHABLE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("MISSED wait_p90_s<=1"), std::string::npos) << r.out;
  const json j = read_json(js);
  EXPECT_TRUE(j["unreachable"].get<bool>());
  EXPECT_FALSE(j["met"].get<bool>());
  EXPECT_GT(j["targets"][0]["mean"].get<double>(), 1.0);
  fs::remove(js);
}

struct BadCase {
  const char* args;
  const char* message;
};

class SizeBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(SizeBadInputTest, ExitsTwoAndWritesNothing) {
  const std::string js = cli_temp_path("size", "bad.json");
  fs::remove(js);
  std::string args = GetParam().args;
  const auto pos = args.find("HALL");
  if (pos != std::string::npos) args.replace(pos, 4, source_path("scenarios/township.yaml"));
  const auto r = run_cli("size " + args + " --json " + js);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(GetParam().message), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(js));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SizeBadInputTest,
    ::testing::Values(BadCase{"HALL --target \"wait_p99_s<=600\"", "--target: 'wait_p99_s<=600': unknown KPI"},
                      BadCase{"HALL --target \"wait_p90_s=600\"", "expected KPI<=VALUE or KPI>=VALUE"},
                      BadCase{"HALL --target \"utilization>=0.7\"", "not a service target"},
                      BadCase{"HALL --target \"wait_p90_s<=abc\"", "'abc' is not a number"},
                      BadCase{"HALL --by-block 3", "--by-block: 3 minutes; expected 5 to 1440"},
                      BadCase{"HALL --replications 1", "--replications"},
                      BadCase{"HALL --start 2026-13-40", "2026-13-40"},
                      BadCase{"/nonexistent/hall.yaml", "/nonexistent/hall.yaml"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

}  // namespace
}  // namespace halltwin
