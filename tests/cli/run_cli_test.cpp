// `halltwin run` end to end on the bundled halls: the KPI table, the JSON
// document (every key of docs/run.md, confidence intervals null with one
// replication and ordered with several), traces per replication, the same
// output whatever the thread count, the --at snapshot, exit code 1 for a
// missed target and exit code 2 with nothing written for unusable input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/cli_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::CliRun;
CliRun run(const std::string& args) { return testing::run_cli(args); }

std::string temp_path(const std::string& name) { return testing::cli_temp_path("run", name); }
std::string source(const std::string& rel) { return testing::source_path(rel); }
std::string read_file(const std::string& path) { return testing::read_whole_file(path); }

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// FNV-1a, 64 bits: the trace hash the determinism check compares.
std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

const char* const kKpis[] = {
    "wait_mean_s", "wait_p50_s", "wait_p90_s",  "wait_max_s",           "served",
    "abandoned",   "no_show",    "arrivals",    "abandon_rate",         "within_target_rate",
    "utilization", "overtime_s", "max_in_hall", "max_waiting_standing", "balked",
    "served_self", "pickups"};

TEST(RunCliTest, CountyExitsZeroAndPrintsTheKpiTable) {
  const CliRun r = run("run " + source("scenarios/county.yaml") + " --days 1");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("KPI"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("95% CI"), std::string::npos) << r.out;
  for (const char* k : kKpis) EXPECT_NE(r.out.find(k), std::string::npos) << k << "\n" << r.out;
  EXPECT_NE(r.out.find("met   within_target_rate >= 80.0%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("simulated "), std::string::npos) << r.out;
}

void expect_document(const json& j, int replications, int days) {
  for (const char* key : {"scenario", "replications", "seed", "days", "kpis", "by_day", "by_hour",
                          "by_matter", "by_window", "performance"})
    EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"name", "file", "level"}) EXPECT_TRUE(j["scenario"].contains(key)) << key;
  EXPECT_EQ(j["scenario"]["level"], "county");
  EXPECT_TRUE(j["scenario"]["file"].get<std::string>().ends_with("county.yaml"));
  EXPECT_EQ(j["replications"], replications);
  EXPECT_EQ(j["days"], days);
  EXPECT_EQ(j["kpis"].size(), std::size(kKpis));
  for (const char* k : kKpis) {
    ASSERT_TRUE(j["kpis"].contains(k)) << k;
    const json& e = j["kpis"][k];
    ASSERT_TRUE(e.contains("mean") && e.contains("ci95_low") && e.contains("ci95_high")) << k;
    ASSERT_TRUE(e["mean"].is_number()) << k;
    if (replications == 1) {
      EXPECT_TRUE(e["ci95_low"].is_null()) << k;
      EXPECT_TRUE(e["ci95_high"].is_null()) << k;
    } else {
      ASSERT_TRUE(e["ci95_low"].is_number()) << k;
      ASSERT_TRUE(e["ci95_high"].is_number()) << k;
      EXPECT_LE(e["ci95_low"].get<double>(), e["mean"].get<double>()) << k;
      EXPECT_LE(e["mean"].get<double>(), e["ci95_high"].get<double>()) << k;
    }
  }
  EXPECT_EQ(j["by_day"].size(), static_cast<std::size_t>(days));
  for (const auto& [date, d] : j["by_day"].items()) {
    EXPECT_EQ(date.size(), 10u);
    EXPECT_TRUE(d.contains("served")) << date;
  }
  EXPECT_TRUE(j["by_hour"].contains("10"));
  for (const auto& [hour, h] : j["by_hour"].items()) {
    EXPECT_EQ(hour.size(), 2u);
    EXPECT_TRUE(h.contains("arrivals")) << hour;
  }
  EXPECT_EQ(j["by_matter"].size(), 20u);  // county: M01..M20
  EXPECT_TRUE(j["by_matter"].contains("M09"));
  EXPECT_EQ(j["by_window"].size(), 30u);  // 30 windows (29 staffed)
  EXPECT_TRUE(j["by_window"].contains("W01"));
  for (const char* key : {"events", "customers", "wall_s", "customers_per_s"})
    EXPECT_TRUE(j["performance"][key].is_number()) << key;
  EXPECT_GT(j["performance"]["customers"].get<double>(), 0.0);
  EXPECT_FALSE(j.contains("snapshot"));
}

TEST(RunCliTest, JsonOfOneReplicationHasEveryKeyAndNullIntervals) {
  const std::string out = temp_path("one.json");
  fs::remove(out);
  const CliRun r = run("run " + source("scenarios/county.yaml") + " --days 2 --json " + out + " --quiet");
  ASSERT_EQ(r.code, 0) << r.out;
  expect_document(read_json(out), 1, 2);
  fs::remove(out);
}

TEST(RunCliTest, JsonOfThreeReplicationsHasOrderedIntervals) {
  const std::string out = temp_path("three.json");
  fs::remove(out);
  const CliRun r =
      run("run " + source("scenarios/county.yaml") + " --replications 3 --threads 2 --json " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  const json j = read_json(out);
  expect_document(j, 3, 1);
  // The served count differs between replications: a real interval.
  EXPECT_LT(j["kpis"]["served"]["ci95_low"].get<double>(), j["kpis"]["served"]["ci95_high"].get<double>());
  fs::remove(out);
}

TEST(RunCliTest, TracePerReplicationAndTheSameOutputWhateverTheThreads) {
  const std::string base = temp_path("t");
  for (int threads : {1, 2}) {
    const std::string p = base + std::to_string(threads);
    for (const char* suffix : {".csv", ".r1.csv", ".r2.csv", ".json"}) fs::remove(p + suffix);
    const CliRun r = run("run " + source("scenarios/county.yaml") + " --replications 2 --threads " +
                         std::to_string(threads) + " --seed 42 --trace " + p + ".csv --json " + p + ".json");
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_TRUE(fs::exists(p + ".r1.csv"));
    EXPECT_TRUE(fs::exists(p + ".r2.csv"));
    EXPECT_FALSE(fs::exists(p + ".csv"));  // N > 1: only the numbered files
  }
  const std::string p1 = base + "1", p2 = base + "2";
  for (const char* r : {".r1.csv", ".r2.csv"}) {
    const std::string a = read_file(p1 + r), b = read_file(p2 + r);
    EXPECT_GT(a.size(), 1000u) << r;
    EXPECT_EQ(fnv1a(a), fnv1a(b)) << r;
    EXPECT_TRUE(a == b) << r;
    EXPECT_NE(a.find("#source,halltwin run"), std::string::npos);
  }
  // Two replications differ from each other (their own random streams).
  EXPECT_NE(fnv1a(read_file(p1 + ".r1.csv")), fnv1a(read_file(p1 + ".r2.csv")));
  const json j1 = read_json(p1 + ".json"), j2 = read_json(p2 + ".json");
  for (const char* key : {"kpis", "by_day", "by_hour", "by_matter", "by_window"})
    EXPECT_EQ(j1[key], j2[key]) << key;
  EXPECT_EQ(j1["performance"]["customers"], j2["performance"]["customers"]);
  EXPECT_EQ(j1["performance"]["events"], j2["performance"]["events"]);
  for (int threads : {1, 2})
    for (const char* suffix : {".r1.csv", ".r2.csv", ".json"})
      fs::remove(base + std::to_string(threads) + suffix);
}

TEST(RunCliTest, OneReplicationWritesTheTraceFileItself) {
  const std::string p = temp_path("single");
  for (const char* suffix : {".csv", ".r1.csv"}) fs::remove(p + suffix);
  const CliRun r = run("run " + source("scenarios/county.yaml") + " --trace " + p + ".csv --quiet");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(fs::exists(p + ".csv"));
  EXPECT_FALSE(fs::exists(p + ".r1.csv"));
  const std::string t = read_file(p + ".csv");
  EXPECT_EQ(t.rfind("#format,halltwin-trace/2", 0), 0u) << t.substr(0, 200);
  EXPECT_NE(t.find(",ticket_issued,"), std::string::npos);
  EXPECT_NE(t.find(",service_start,"), std::string::npos);
  fs::remove(p + ".csv");
}

TEST(RunCliTest, AtAddsASnapshotOfEveryPerson) {
  const std::string out = temp_path("at.json");
  fs::remove(out);
  const CliRun r = run("run " + source("scenarios/county.yaml") + " --at 10:30 --json " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("(replication 1):"), std::string::npos) << r.out;
  const json j = read_json(out);
  ASSERT_TRUE(j.contains("snapshot"));
  const json& s = j["snapshot"];
  EXPECT_EQ(s["time_s"].get<double>(), 10.5 * 3600);
  ASSERT_TRUE(s["persons"].is_array());
  int citizens = 0, staff = 0;
  for (const json& p : s["persons"]) {
    for (const char* key : {"id", "kind", "state", "floor", "x", "y"}) ASSERT_TRUE(p.contains(key)) << key;
    EXPECT_TRUE(p["id"].is_string());
    EXPECT_TRUE(p["x"].is_number() && p["y"].is_number());
    const std::string kind = p["kind"], state = p["state"];
    EXPECT_TRUE(state == "walking" || state == "waiting_seated" || state == "waiting_standing" ||
                state == "at_window")
        << state;
    if (kind == "citizen") {
      ++citizens;
      EXPECT_EQ(p["id"].get<std::string>().size(), 7u);  // C000123
      EXPECT_EQ(p["id"].get<std::string>()[0], 'C');
    } else {
      EXPECT_EQ(kind, "staff");
      ++staff;
    }
  }
  EXPECT_GT(citizens, 0);
  EXPECT_EQ(staff, 29);  // 10:30: before both lunch breaks, every rostered member at work
  fs::remove(out);
}

TEST(RunCliTest, MissedTargetExitsOneAndStillWritesTheResult) {
  testing::TempFile hall(testing::replaced(read_file(source("scenarios/county.yaml")),
                                           "targets: {wait_s: 1200, within_target_rate_min: 0.8",
                                           "targets: {wait_s: 1, within_target_rate_min: 0.999"));
  const std::string out = temp_path("missed.json");
  fs::remove(out);
  const CliRun r = run("run " + hall.path() + " --json " + out);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("MISSED within_target_rate"), std::string::npos) << r.out;
  ASSERT_TRUE(fs::exists(out));
  const json j = read_json(out);
  EXPECT_EQ(j["targets"]["met"], false);
  fs::remove(out);
}

struct BadCase {
  const char* name;
  const char* args;  // FORMAT1 / COUNTY stand for a format-1 hall / scenarios/county.yaml
  const char* message;
};

const BadCase kBadCases[] = {
    {"Format1HallWithoutOperations", "FORMAT1", "has no operations sections"},
    {"February30", "COUNTY --start 2026-02-30", "'2026-02-30' is not a date"},
    {"At2500", "COUNTY --at 25:00", "'25:00' is not a time"},
    {"ZeroDays", "COUNTY --days 0", "--days"},
    {"ZeroReplications", "COUNTY --replications 0", "--replications"},
    {"MissingFile", "/nonexistent/hall.yaml", "hall.yaml"},
};

class RunBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(RunBadInputTest, ExitsTwoAndWritesNoJson) {
  const BadCase& c = GetParam();
  testing::TempFile format1(testing::kMiniHall);
  std::string a = c.args;
  if (a.starts_with("FORMAT1")) a = format1.path() + a.substr(7);
  if (a.starts_with("COUNTY")) a = source("scenarios/county.yaml") + a.substr(6);
  const std::string out = temp_path(std::string(c.name) + ".json");
  fs::remove(out);
  const CliRun r = run("run " + a + " --json " + out);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(c.message), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}

INSTANTIATE_TEST_SUITE_P(Cases, RunBadInputTest, ::testing::ValuesIn(kBadCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace halltwin
