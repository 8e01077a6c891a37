// `halltwin evac` end to end (docs/evac.md): exit code 0 and the JSON keys on
// the county hall with everyone accounted for, the same JSON whatever the
// thread count (but performance), the trace, curve and density files, and
// exit code 2 with nothing written for unusable input (an unknown door to
// block, a population larger than the floor can hold, an output path that is
// the scenario).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/cli_run.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using testing::CliRun;
CliRun run(const std::string& args) { return testing::run_cli(args); }

std::string temp_path(const std::string& name) { return testing::cli_temp_path("evac", name); }
std::string source(const std::string& rel) { return testing::source_path(rel); }
std::string read_file(const std::string& path) { return testing::read_whole_file(path); }

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

const std::string kDoorFlow = "scenarios/verification/evac/door-flow-1m.yaml";

TEST(EvacCliTest, CountyExitsZeroWithEveryKeyAndEveryoneAccountedFor) {
  const std::string out = temp_path("county.json");
  const CliRun r = run("evac " + source("scenarios/county.yaml") + " --seed 3 --quiet --json " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("evacuation time"), std::string::npos) << r.out;
  const json j = read_json(out);
  for (const char* key :
       {"scenario", "floor", "seed", "replications", "dt_s", "model", "blocked", "agents",
        "evacuation_time_s", "evacuation_times_s", "hand_calculation_s", "time_cap_s", "exits",
        "max_density_ppm2", "congestion_s", "stuck", "stuck_persons", "notes", "performance"})
    EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"agent_steps", "wall_s", "agent_steps_per_s", "threads", "phases_s"})
    EXPECT_TRUE(j["performance"].contains(key)) << key;
  EXPECT_EQ(j["model"], "cfsm");
  ASSERT_GT(j["agents"].get<int>(), 0);
  int total = j["stuck"].get<int>();
  for (const auto& e : j["exits"]) {
    for (const char* key : {"id", "count", "first_s", "last_s", "mean_flow_pps"})
      EXPECT_TRUE(e.contains(key)) << key;
    total += e["count"].get<int>();
  }
  EXPECT_EQ(total, j["agents"].get<int>());
  EXPECT_EQ(j["stuck_persons"].size(), j["stuck"].get<std::size_t>());
  EXPECT_GT(j["evacuation_time_s"]["mean"].get<double>(), 0.0);
  EXPECT_TRUE(j["evacuation_time_s"]["ci95_low"].is_null());  // one replication
  fs::remove(out);
}

// --model social-force runs the social force model and the JSON names it; a
// model that does not exist is exit 2 naming --model, with nothing written.
TEST(EvacCliTest, ModelFlagChoosesTheMotionModel) {
  const std::string out = temp_path("sfm.json");
  const CliRun r = run("evac " + source(kDoorFlow) + " --quiet --model social-force --json " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("social force model"), std::string::npos) << r.out;
  const json j = read_json(out);
  EXPECT_EQ(j["model"], "social_force");
  EXPECT_EQ(j["stuck"].get<int>(), 0);
  EXPECT_EQ(j["exits"][0]["count"].get<int>(), 100);
  fs::remove(out);
  const CliRun bad = run("evac " + source(kDoorFlow) + " --quiet --model helbing --json " + out);
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("--model"), std::string::npos) << bad.out;
  EXPECT_FALSE(fs::exists(out));
}

TEST(EvacCliTest, UnknownDoorToBlockExitsTwoAndWritesNothing) {
  const std::string out = temp_path("block.json");
  fs::remove(out);
  const CliRun r = run("evac " + source(kDoorFlow) + " --quiet --block NO-SUCH-DOOR --json " + out);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("NO-SUCH-DOOR"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--block"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}

TEST(EvacCliTest, PopulationLargerThanTheFloorCanHoldExitsTwoAndWritesNothing) {
  const std::string out = temp_path("full.json"), trace = temp_path("full-trace.csv"),
                    curve = temp_path("full-curve.csv");
  for (const auto& p : {out, trace, curve}) fs::remove(p);
  // The 10 m x 10 m door-flow room: 2,000 persons cannot fit.
  const CliRun r = run("evac " + source(kDoorFlow) + " --quiet --population 2000 --json " + out +
                       " --trace " + trace + " --curve " + curve);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("population larger than the floor can hold"), std::string::npos) << r.out;
  for (const auto& p : {out, trace, curve}) EXPECT_FALSE(fs::exists(p)) << p;
  // No temporary files left beside them either.
  for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
    EXPECT_EQ(e.path().filename().string().find("halltwin-evac-" + std::to_string(::getpid()) + "-full"),
              std::string::npos)
        << e.path();
}

TEST(EvacCliTest, ThreadCountDoesNotChangeTheResults) {
  const std::string a = temp_path("t1.json"), b = temp_path("t2.json");
  const std::string common =
      "evac " + source(kDoorFlow) + " --quiet --population 60 --replications 2 --seed 5";
  const CliRun r1 = run(common + " --threads 1 --json " + a);
  const CliRun r2 = run(common + " --threads 2 --json " + b);
  ASSERT_EQ(r1.code, 0) << r1.out;
  ASSERT_EQ(r2.code, 0) << r2.out;
  json ja = read_json(a), jb = read_json(b);
  EXPECT_EQ(ja["performance"]["threads"], 1);
  EXPECT_EQ(jb["performance"]["threads"], 2);
  EXPECT_EQ(ja["performance"]["agent_steps"], jb["performance"]["agent_steps"]);
  ja.erase("performance");
  jb.erase("performance");
  EXPECT_EQ(ja, jb);
  EXPECT_EQ(ja["evacuation_times_s"].size(), 2u);
  EXPECT_FALSE(ja["evacuation_time_s"]["ci95_low"].is_null());
  fs::remove(a), fs::remove(b);
}

TEST(EvacCliTest, TraceCurveAndDensityAreWritten) {
  const std::string trace = temp_path("trace.csv"), curve = temp_path("curve.csv"),
                    density = temp_path("density.png"), out = temp_path("outputs.json");
  const CliRun r = run("evac " + source(kDoorFlow) + " --quiet --population 40 --json " + out + " --trace " +
                       trace + " --curve " + curve + " --density " + density);
  ASSERT_EQ(r.code, 0) << r.out;
  const json j = read_json(out);
  const int agents = j["agents"].get<int>();
  ASSERT_EQ(agents, 40);

  const std::string t = read_file(trace);
  EXPECT_NE(t.find("#source,halltwin evac"), std::string::npos) << t.substr(0, 400);
  EXPECT_NE(t.find("#sample_interval_s,0.5"), std::string::npos) << t.substr(0, 400);
  EXPECT_NE(t.find("evac_start"), std::string::npos);
  std::size_t exits = 0;
  for (std::size_t p = t.find(",exit,"); p != std::string::npos; p = t.find(",exit,", p + 1)) ++exits;
  EXPECT_EQ(exits, static_cast<std::size_t>(agents - j["stuck"].get<int>()));

  const std::string c = read_file(curve);
  ASSERT_EQ(c.rfind("time_s,inside,evacuated\n", 0), 0u) << c.substr(0, 80);
  EXPECT_NE(c.find("0.0," + std::to_string(agents) + ",0\n"),
            std::string::npos);  // everyone inside at the alarm

  const std::string png = read_file(density);
  ASSERT_GE(png.size(), 8u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  for (const auto& p : {trace, curve, density, out}) fs::remove(p);
}

TEST(EvacCliTest, OutputPathEqualToTheScenarioIsRefused) {
  // A copy of the scenario, so a bug could not damage the bundled one.
  const std::string scenario = temp_path("scenario.yaml");
  fs::copy_file(source(kDoorFlow), scenario, fs::copy_options::overwrite_existing);
  const std::string before = read_file(scenario);
  for (const char* flag : {"--json", "--curve", "--density", "--trace"}) {
    const CliRun r = run("evac " + scenario + " --quiet " + flag + " " + scenario);
    EXPECT_EQ(r.code, 2) << flag << ": " << r.out;
    EXPECT_NE(r.out.find("input file"), std::string::npos) << flag << ": " << r.out;
    EXPECT_EQ(read_file(scenario), before) << flag;
  }
  fs::remove(scenario);
}

// --at: the evacuation starts from the hall as the operations simulator has it at 10:30
// (its citizens where they wait or are served, its staff behind the counters).
TEST(EvacCliTest, AtStartsFromTheSimulatedDay) {
  const std::string out = temp_path("at.json"), bad = temp_path("at-bad.json"), trace = temp_path("at.csv");
  const CliRun r = run("evac " + source("scenarios/county.yaml") + " --at 10:30 --quiet --json " + out +
                       " --trace " + trace);
  ASSERT_EQ(r.code, 0) << r.out;
  // The trace keeps citizens and staff with their kinds; pre-movement by state:
  // staff (half the drawn time) start earlier on average than citizens.
  {
    std::istringstream lines(read_file(trace));
    std::string line;
    double staff_sum = 0, citizen_sum = 0;
    int staff_n = 0, citizen_n = 0;
    while (std::getline(lines, line)) {
      if (line.find(",evac_start,") == std::string::npos) continue;
      const double t = std::stod(line.substr(line.find(',') + 1));
      if (line.find(",staff,") != std::string::npos) staff_sum += t, ++staff_n;
      if (line.find(",citizen,") != std::string::npos) citizen_sum += t, ++citizen_n;
    }
    ASSERT_GT(staff_n, 20);
    ASSERT_GT(citizen_n, 20);
    EXPECT_LT(staff_sum / staff_n, 0.75 * citizen_sum / citizen_n);
  }
  fs::remove(trace);
  const json j = read_json(out);
  ASSERT_TRUE(j.contains("at")) << j.dump();
  EXPECT_EQ(j["at"]["date"], "2026-03-02");
  EXPECT_DOUBLE_EQ(j["at"]["time_s"].get<double>(), 37800.0);
  EXPECT_GT(j["at"]["staff"].get<int>(), 20);  // the county's windows are staffed at 10:30
  EXPECT_GT(j["at"]["persons"].get<int>(), j["at"]["staff"].get<int>());
  EXPECT_EQ(j["agents"].get<int>(), j["at"]["persons"].get<int>());
  int out_count = 0;
  for (const auto& e : j["exits"]) out_count += e["count"].get<int>();
  EXPECT_EQ(out_count + j["stuck"].get<int>(), j["agents"].get<int>());
  // Before opening nobody is inside: a clear answer, nothing written.
  const CliRun early = run("evac " + source("scenarios/county.yaml") + " --at 07:00 --quiet --json " + bad);
  EXPECT_EQ(early.code, 2) << early.out;
  EXPECT_NE(early.out.find("nobody is on floor F1"), std::string::npos) << early.out;
  EXPECT_FALSE(fs::exists(bad));
  // --at and --population exclude each other.
  EXPECT_EQ(run("evac " + source("scenarios/county.yaml") + " --at 10:30 --population 50 --quiet").code, 2);
  fs::remove(out);
}

// --block DOOR@SECONDS: the door is blocked at that time; the trace says so then.
TEST(EvacCliTest, BlockAtATimeIsInTheJsonAndTheTrace) {
  const std::string out = temp_path("block-at.json"), trace = temp_path("block-at.csv");
  const std::string two = "scenarios/verification/evac/rimea-10-assigned-exits.yaml";
  const CliRun r =
      run("evac " + source(two) + " --quiet --block EAST@12.5 --json " + out + " --trace " + trace);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("blocked at 12.5 s: EAST"), std::string::npos) << r.out;
  const json j = read_json(out);
  ASSERT_EQ(j["blocked_later"].size(), 1u);
  EXPECT_EQ(j["blocked_later"][0]["door"], "EAST");
  EXPECT_DOUBLE_EQ(j["blocked_later"][0]["at_s"].get<double>(), 12.5);
  EXPECT_EQ(j["stuck"], 0);
  for (const auto& e : j["exits"])
    if (e["id"] == "EAST" && !e["last_s"].is_null()) {
      EXPECT_LE(e["last_s"].get<double>(), 12.5 + 1e-9);
    }
  const std::string t = read_file(trace);
  EXPECT_NE(t.find(",12.500,door_blocked"), std::string::npos) << t.substr(0, 600);
  fs::remove(out), fs::remove(trace);
}

TEST(EvacCliTest, BadBlockTimeExitsTwoAndWritesNothing) {
  const std::string out = temp_path("bad-at.json");
  fs::remove(out);
  for (const char* arg : {"EXIT@soon", "EXIT@", "EXIT@-5", "@30", "EXIT@1e9"}) {
    const CliRun r = run("evac " + source(kDoorFlow) + " --quiet --block " + arg + " --json " + out);
    EXPECT_EQ(r.code, 2) << arg << ": " << r.out;
    EXPECT_NE(r.out.find("--block"), std::string::npos) << arg << ": " << r.out;
    EXPECT_FALSE(fs::exists(out)) << arg;
  }
}

// ASET/RSET: rset_margin_s = ASET - the upper 95% bound (the mean with one
// replication); a negative margin misses the target: exit code 1.
TEST(EvacCliTest, AsetMarginAndExitCode) {
  const std::string scenario = temp_path("aset.yaml"), out = temp_path("aset.json");
  const std::string base = read_file(source("scenarios/verification/evac/hydraulic-room.yaml"));
  auto with_aset = [&](const std::string& aset) {
    std::string t = base;
    t.replace(t.find("halltwin-scenario/3"), 19, "halltwin-scenario/5");
    std::ofstream(scenario) << t << "  aset_s: " << aset << "\n";
  };
  with_aset("400");
  CliRun r = run("evac " + scenario + " --quiet --replications 3 --json " + out);
  ASSERT_EQ(r.code, 0) << r.out;
  json j = read_json(out);
  const double high = j["evacuation_time_s"]["ci95_high"].get<double>();
  EXPECT_NEAR(j["rset_margin_s"].get<double>(), 400.0 - high, 1e-3);
  EXPECT_EQ(j["aset_met"], true);
  EXPECT_NE(r.out.find("met"), std::string::npos) << r.out;
  with_aset("60");
  r = run("evac " + scenario + " --quiet --json " + out);
  EXPECT_EQ(r.code, 1) << r.out;
  j = read_json(out);
  EXPECT_NEAR(j["rset_margin_s"].get<double>(), 60.0 - j["evacuation_time_s"]["mean"].get<double>(), 1e-3);
  EXPECT_EQ(j["aset_met"], false);
  EXPECT_NE(r.out.find("NOT MET"), std::string::npos) << r.out;
  fs::remove(scenario), fs::remove(out);
}

// Several floors: both evacuate, the upper one down its stair; the JSON has the
// floors and stairs, the curve a column per floor and the stairs, the trace
// both floors in time order.
TEST(EvacCliTest, TwoFloorsEvacuateTogetherDownTheStair) {
  const std::string out = temp_path("floors.json"), curve = temp_path("floors.csv"),
                    trace = temp_path("floors-trace.csv");
  const CliRun r = run("evac " + source("scenarios/verification/evac/two-floor-stair.yaml") +
                       " --quiet --json " + out + " --curve " + curve + " --trace " + trace);
  ASSERT_EQ(r.code, 0) << r.out;
  const json j = read_json(out);
  EXPECT_EQ(j["floor"], "all");
  ASSERT_EQ(j["floors"].size(), 2u);
  EXPECT_EQ(j["floors"][1]["id"], "F2");
  EXPECT_EQ(j["floors"][1]["agents"], 100);
  ASSERT_EQ(j["stairs"].size(), 1u);
  EXPECT_EQ(j["stairs"][0]["count"], 100);
  EXPECT_DOUBLE_EQ(j["evacuation_time_s"]["mean"].get<double>(), j["stairs"][0]["last_out_s"].get<double>());
  EXPECT_GT(j["evacuation_time_s"]["mean"].get<double>(), j["floors"][1]["floor_cleared_s"].get<double>());
  const std::string c = read_file(curve);
  ASSERT_EQ(c.rfind("time_s,inside,evacuated,inside_F1,inside_F2,in_stairs\n", 0), 0u) << c.substr(0, 80);
  EXPECT_NE(c.find("0.0,100,0,0,100,0\n"), std::string::npos);
  std::istringstream lines(read_file(trace));
  std::string line;
  double prev = 0;
  int exits = 0, disorder = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("day,", 0) == 0) continue;
    const double t = std::stod(line.substr(line.find(',') + 1));
    disorder += t < prev;
    prev = t;
    exits += line.find(",exit,") != std::string::npos;
  }
  EXPECT_EQ(disorder, 0);
  EXPECT_EQ(exits, 100);
  fs::remove(out), fs::remove(curve), fs::remove(trace);
}

// --at on a two-floor hall at two times of its bundled day: the persons
// evacuated are the ones the operations trace has inside then (citizens entered
// and not left, staff between shift_start and shift_end), on both floors.
TEST(EvacCliTest, AtTwoTimesGivesThePopulationsOfTheOperationsTrace) {
  const std::string ops = temp_path("city-ops.csv"), out = temp_path("city-at.json");
  const std::string city = source("scenarios/city.yaml");
  const CliRun day = run("run " + city + " --days 1 --seed 1 --quiet --trace " + ops);
  ASSERT_LE(day.code, 1) << day.out;  // 1: a target missed, the trace is written
  const std::string text = read_file(ops);
  for (const auto& [at, t_s] : {std::pair<std::string, double>{"10:30", 37800.0}, {"15:00", 54000.0}}) {
    std::set<std::string> inside, staff;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty() || line[0] == '#' || line.rfind("day,", 0) == 0) continue;
      std::vector<std::string> f;
      std::stringstream row(line);
      for (std::string cell; std::getline(row, cell, ',');) f.push_back(cell);
      if (f.size() < 4 || f[0] != "0" || std::stod(f[1]) > t_s) continue;
      if (f[2] == "entered") inside.insert(f[3]);
      if (f[2] == "left") inside.erase(f[3]);
      if (f[2] == "shift_start") staff.insert(f[3]);
      if (f[2] == "shift_end") staff.erase(f[3]);
    }
    const CliRun r = run("evac " + city + " --seed 1 --quiet --at " + at + " --json " + out);
    ASSERT_EQ(r.code, 0) << r.out;
    const json j = read_json(out);
    SCOPED_TRACE(at);
    EXPECT_EQ(j["at"]["persons"].get<std::size_t>(), inside.size() + staff.size());
    EXPECT_EQ(j["at"]["staff"].get<std::size_t>(), staff.size());
    EXPECT_EQ(j["at"]["dropped"], 0);
    EXPECT_EQ(j["agents"], j["at"]["persons"]);
    ASSERT_EQ(j["floors"].size(), 2u);
    EXPECT_GT(j["floors"][0]["agents"].get<int>(), 0);
    EXPECT_GT(j["floors"][1]["agents"].get<int>(), 0);
    EXPECT_EQ(j["stuck"], 0);
  }
  fs::remove(ops), fs::remove(out);
}

}  // namespace
}  // namespace halltwin
