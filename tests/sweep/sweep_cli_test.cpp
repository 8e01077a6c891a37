// `halltwin sweep` end to end: the same results whatever the ranks, jobs and
// blocks; a failing task recorded without stopping the sweep; a killed sweep
// resumed from its checkpoint without redoing finished tasks; bad sweep files
// refused with file and line; the bundled portfolio under `mpirun -np 2`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_run.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::read_whole_file;
using testing::source_path;

std::string out_dir(const std::string& name) {
  const std::string d = testing::cli_temp_path("sweep", name);
  fs::remove_all(d);
  return d;
}

// A sweep file in the temporary folder; `body` follows the format line.
std::string sweep_file(const std::string& name, const std::string& body) {
  const std::string path = testing::cli_temp_path("sweep", name + ".yaml");
  std::ofstream(path) << "format: halltwin-sweep/1\n" << body;
  return path;
}

// Three halls (one file, two generated from the county hall) x two demand levels.
std::string small_sweep(const std::string& name, int block = 2) {
  return sweep_file(name, "name: small\nseed: 5\nreplications: 3\nblock: " + std::to_string(block) +
                              "\ncommands: [check, run]\nkpis: [wait_mean_s, wait_p90_s, served]\n"
                              "scenarios:\n  - file: " +
                              source_path("scenarios/township.yaml") + "\n  - template: " +
                              source_path("scenarios/county.yaml") +
                              "\n    count: 2\n    name: \"T{index}\"\n"
                              "    population_served: {min: 500000, max: 900000}\n"
                              "grid:\n  demand_factor: [1.0, 1.3]\n");
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(SweepCli, ResultsDoNotDependOnJobsOrBlocks) {
  const std::string a = out_dir("jobs1"), b = out_dir("jobs2");
  const CliRun r1 = testing::run_cli("sweep " + small_sweep("b2") + " --out " + a + " --quiet");
  ASSERT_EQ(r1.code, 0) << r1.out;
  const CliRun r2 = testing::run_cli("sweep " + small_sweep("b3", 3) + " --out " + b + " --jobs 2 --threads 2 --quiet");
  ASSERT_EQ(r2.code, 0) << r2.out;
  const std::string csv = read_whole_file(a + "/results.csv");
  EXPECT_EQ(csv, read_whole_file(b + "/results.csv"));
  const auto rows = lines(csv);
  ASSERT_EQ(rows.size(), 1u + 3u * 2u * 3u);  // header + halls x points x replications
  EXPECT_EQ(rows[0],
            "hall,hall_name,point,parameters,replication,status,check_verdict,check_failed,wait_mean_s,wait_p90_s,"
            "served,evac_time_s,message");
  for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_NE(rows[i].find(",ok,pass,0,"), std::string::npos) << rows[i];
  // More demand, more citizens served: the grid's axis reaches the engine.
  const auto summary = nlohmann::json::parse(read_whole_file(a + "/summary.json"));
  ASSERT_EQ(summary["points"].size(), 6u);
  EXPECT_GT(summary["points"][1]["kpis"]["served"]["mean"].get<double>(),
            1.15 * summary["points"][0]["kpis"]["served"]["mean"].get<double>());
  EXPECT_TRUE(summary["points"][0]["kpis"]["served"].contains("ci95_low"));
  EXPECT_TRUE(fs::exists(a + "/ranking.md"));
  EXPECT_TRUE(fs::exists(a + "/halls/h002.yaml"));  // generated halls stay for the evaluator to open
}

TEST(SweepCli, AFailingTaskIsRecordedAndTheOthersRun) {
  // A scenario that loads as YAML but not as a hall: its tasks fail with the loader's message.
  const std::string bad = testing::cli_temp_path("sweep", "bad-hall.yaml");
  std::string text = read_whole_file(source_path("scenarios/township.yaml"));
  text.replace(text.find("level: township"), 15, "level: hamlet");
  std::ofstream(bad) << text;
  const std::string file = sweep_file("faults", "name: faults\nreplications: 2\nkpis: [served]\nscenarios:\n  - file: " +
                                                    source_path("scenarios/township.yaml") + "\n  - file: " + bad + "\n");
  const std::string d = out_dir("faults");
  const CliRun r = testing::run_cli("sweep " + file + " --out " + d + " --quiet");
  EXPECT_EQ(r.code, 1) << r.out;
  const auto rows = lines(read_whole_file(d + "/results.csv"));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_NE(rows[1].find(",ok,pass,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[3].find(",failed,"), std::string::npos) << rows[3];
  EXPECT_NE(rows[3].find("hamlet"), std::string::npos) << rows[3];
  // Its hall task (check) and its run task both fail.
  const auto summary = nlohmann::json::parse(read_whole_file(d + "/summary.json"));
  EXPECT_EQ(summary["tasks_failed"], 2);
}

TEST(SweepCli, AKilledSweepResumesWithoutRedoingFinishedTasks) {
  const std::string file = small_sweep("resume");
  const std::string full = out_dir("full"), cut = out_dir("cut");
  ASSERT_EQ(testing::run_cli("sweep " + file + " --out " + full + " --quiet").code, 0);
  ASSERT_EQ(testing::run_cli("sweep " + file + " --out " + cut + " --quiet").code, 0);
  // As if killed: the header, 5 finished tasks and half of the sixth's line.
  const auto ck = lines(read_whole_file(cut + "/checkpoint.jsonl"));
  ASSERT_EQ(ck.size(), 16u);  // 3 hall tasks + 3 halls x 2 points x 2 blocks
  {
    std::ofstream out(cut + "/checkpoint.jsonl", std::ios::trunc);
    for (int i = 0; i < 6; ++i) out << ck[static_cast<std::size_t>(i)] << "\n";
    out << ck[6].substr(0, ck[6].size() / 2);
  }
  fs::remove(cut + "/results.csv");
  // Without --resume the folder is refused: results are never mixed.
  const CliRun refused = testing::run_cli("sweep " + file + " --out " + cut + " --quiet");
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_NE(refused.out.find("--resume"), std::string::npos) << refused.out;
  const CliRun r = testing::run_cli("sweep " + file + " --out " + cut + " --resume");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("15 tasks (10 run now, 5 from the checkpoint)"), std::string::npos) << r.out;
  EXPECT_EQ(read_whole_file(cut + "/results.csv"), read_whole_file(full + "/results.csv"));
}

TEST(SweepCli, ResumingAnotherSweepIsRefused) {
  const std::string d = out_dir("other");
  ASSERT_EQ(testing::run_cli("sweep " + small_sweep("one") + " --out " + d + " --quiet").code, 0);
  const std::string other = sweep_file("two", "name: two\nreplications: 2\nscenarios:\n  - file: " +
                                                  source_path("scenarios/township.yaml") + "\n");
  const CliRun r = testing::run_cli("sweep " + other + " --out " + d + " --resume --quiet");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("belongs to another sweep"), std::string::npos) << r.out;
}

TEST(SweepCli, BadSweepFilesNameFileLineAndField) {
  struct Case {
    std::string body, expected;
  };
  const std::string hall = source_path("scenarios/township.yaml");
  const std::vector<Case> cases = {
      {"name: x\nscenarios:\n  - file: " + hall + "\nreplicatoins: 3\n", ":5:1: error: (top level): unknown key 'replicatoins'"},
      {"name: x\nkpis: [wait_p99_s]\nscenarios:\n  - file: " + hall + "\n", ":3:7: error: kpis: 'wait_p99_s' is not a KPI"},
      {"name: x\nscenarios:\n  - file: no-such-hall.yaml\n", ":4:11: error: scenarios[0].file: '"},
      {"name: x\nscenarios:\n  - file: " + hall + "\ngrid:\n  demand_factor: [1.0, 1.0]\n",
       "error: grid.demand_factor: the value 1 is listed twice"},
      {"name: x\nscenarios:\n  - file: " + hall + "\ngrid:\n  close: [\"25:00\"]\n",
       ":6:11: error: grid.close[0]: '25:00' is not a time of day"},
      {"name: x\ncommands: [run, fly]\nscenarios:\n  - file: " + hall + "\n",
       ":3:17: error: commands[1]: 'fly' is not a command a sweep runs"},
      {"name: x\nscenarios:\n  - template: " + hall + "\n    count: 3\n    name: \"no index\"\n",
       "population_served: missing; expected {min: N, max: N}"},
      // A plan the hall does not have: the sweep file's line and the hall.
      {"name: x\ncommands: [drill]\nscenarios:\n  - file: " + hall + "\ngrid:\n  emergency: [none, it-outage]\n",
       ":7:21: error: grid.emergency[1]: 'it-outage' is not an emergency plan of h001"},
      {"name: x\nscenarios:\n  - file: " + hall + "\ngrid:\n  emergency: [none]\n",
       ":6:14: error: grid.emergency: an emergency plan is drilled by the `drill` command"},
      {"name: x\ncommands: [size]\nsize: {targets: [\"wait_p99_s<=600\"]}\nscenarios:\n  - file: " + hall + "\n",
       ":4:18: error: size.targets[0]: 'wait_p99_s<=600': unknown KPI"},
      {"name: x\nsize: {replications: 4}\nscenarios:\n  - file: " + hall + "\n",
       ":3:7: error: size: applies only with `size` or `size_program` among the commands"},
      // Programs: size_program only, and only the axes that change a program.
      {"name: x\nprograms:\n  - file: " + source_path("scenarios/programs/village.yaml") +
           "\ngrid:\n  staffed_windows: [2]\n",
       ":6:20: error: grid.staffed_windows: does not apply to programs"},
      {"name: x\ncommands: [run, size_program]\nprograms:\n  - file: " +
           source_path("scenarios/programs/village.yaml") + "\n",
       ":3:11: error: commands: `run` evaluates scenarios; the sweep lists programs only"},
      {"name: x\ncommands: [run, size_program]\nscenarios:\n  - file: " + hall + "\n",
       "error: commands: size_program sizes the new halls of a `programs` list; the sweep lists none"},
      {"name: x\ncommands: [size_program]\nsize: {by_block: 30}\nprograms:\n  - file: " +
           source_path("scenarios/programs/village.yaml") + "\n",
       ":4:18: error: size.by_block: applies only to `size`"},
      {"name: x\ncommands: [run]\nrank_by: {kpi: size_staff_hours}\nscenarios:\n  - file: " + hall + "\n",
       "error: rank_by.kpi: size_staff_hours needs `size` among the commands"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string file = sweep_file("bad" + std::to_string(i), cases[i].body);
    const std::string d = out_dir("bad" + std::to_string(i));
    const CliRun r = testing::run_cli("sweep " + file + " --out " + d);
    EXPECT_EQ(r.code, 2) << cases[i].body << r.out;
    EXPECT_NE(r.out.find(file + ":"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(cases[i].expected), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(d + "/results.csv"));
  }
}

TEST(SweepCli, AStaffingOptionThatLeavesAMatterUnservedIsSaidSo) {
  const std::string file = sweep_file("unserved", "name: u\nreplications: 2\nkpis: [served]\nscenarios:\n  - file: " +
                                                      source_path("scenarios/county.yaml") +
                                                      "\ngrid:\n  staffed_windows: [1, 26]\n");
  const std::string d = out_dir("unserved");
  const CliRun r = testing::run_cli("sweep " + file + " --out " + d + " --quiet");
  EXPECT_EQ(r.code, 1) << r.out;
  const std::string csv = read_whole_file(d + "/results.csv");
  EXPECT_NE(csv.find("staffed_windows 1: only"), std::string::npos) << csv;
  EXPECT_NE(csv.find("can close without leaving a matter unserved"), std::string::npos) << csv;
  EXPECT_NE(csv.find("staffed_windows=26,1,ok,pass"), std::string::npos) << csv;
}

// The county hall's IT-outage plan on two staffing options: the drill runs on
// each point's scenario; `none` drills nothing.
std::string plans_sweep(const std::string& name) {
  return sweep_file(name, "name: plans\nseed: 3\nreplications: 2\nblock: 1\ndrill_replications: 2\n"
                          "commands: [check, run, drill]\nkpis: [wait_p90_s, served]\nscenarios:\n  - file: " +
                              source_path("scenarios/county.yaml") +
                              "\ngrid:\n  staffed_windows: [20, 26]\n  emergency: [none, it-outage]\n");
}

TEST(SweepCli, TheEmergencyAxisDrillsThePlanOnEachPointsScenario) {
  const std::string file = plans_sweep("plans");
  const std::string a = out_dir("plans1"), b = out_dir("plans2"), cut = out_dir("plans-cut");
  const CliRun r1 = testing::run_cli("sweep " + file + " --out " + a);
  ASSERT_EQ(r1.code, 0) << r1.out;
  // The hall's task, 2 scenarios x 2 run tasks (the emergency changes no scenario: its twin's runs
  // stand for it) + 2 drills.
  EXPECT_NE(r1.out.find("1 halls, 4 points, 7 tasks"), std::string::npos) << r1.out;
  const CliRun r2 = testing::run_cli("sweep " + file + " --out " + b + " --jobs 2 --threads 2 --quiet");
  ASSERT_EQ(r2.code, 0) << r2.out;
  const std::string csv = read_whole_file(a + "/results.csv");
  EXPECT_EQ(csv, read_whole_file(b + "/results.csv"));
  // summary.json names the points' files in their folders: the same but for the folder.
  std::string sa = read_whole_file(a + "/summary.json"), sb = read_whole_file(b + "/summary.json");
  for (std::size_t at = sb.find(b); at != std::string::npos; at = sb.find(b, at)) sb.replace(at, b.size(), a);
  EXPECT_EQ(sa, sb);
  const auto rows = lines(csv);
  ASSERT_EQ(rows.size(), 1u + 4u * 2u);
  EXPECT_NE(rows[0].find(",evac_time_s,drills,drill_verdict,drill_promises_kept,drill_promises_broken,drill_broken,"
                         "it-outage:"),
            std::string::npos)
      << rows[0];
  EXPECT_NE(rows[1].find("emergency=none,1,ok,pass,0,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find(",none,,,,,"), std::string::npos) << rows[1];
  const auto summary = nlohmann::json::parse(read_whole_file(a + "/summary.json"));
  const auto& pts = summary["points"];
  ASSERT_EQ(pts.size(), 4u);
  // Twins: the same scenario, the same run replications.
  EXPECT_EQ(pts[0]["kpis"]["served"], pts[1]["kpis"]["served"]);
  EXPECT_EQ(pts[0]["drill"]["drills"].size(), 0u);
  ASSERT_EQ(pts[1]["drill"]["drills"].size(), 1u);
  ASSERT_EQ(pts[3]["drill"]["drills"].size(), 1u);
  EXPECT_EQ(pts[1]["drill"]["drills"][0]["promises"].size(), 2u);
  // Six windows fewer: the outage's queue is longer and drains later.
  const auto& few = pts[1]["drill"]["drills"][0]["kpis"];
  const auto& all = pts[3]["drill"]["drills"][0]["kpis"];
  EXPECT_GT(few["peak_queue"]["mean"].get<double>(), all["peak_queue"]["mean"].get<double>());
  EXPECT_GT(few["wait_p90_during_outage_s"]["mean"].get<double>(), all["wait_p90_during_outage_s"]["mean"].get<double>());
  EXPECT_EQ(pts[3]["drill"]["verdict"], pts[3]["drill"]["promises_broken"] == 0 ? "kept" : "broken");
  // The same drill as `halltwin drill` gives on the point's scenario.
  const std::string dj = testing::cli_temp_path("sweep", "plans-drill.json");
  const CliRun d = testing::run_cli("drill " + pts[1]["file"].get<std::string>() +
                                    " --emergency it-outage --replications 2 --seed 3 --json " + dj);
  ASSERT_NE(d.code, 2) << d.out;
  const auto direct = nlohmann::json::parse(read_whole_file(dj));
  for (std::size_t i = 0; i < 2; ++i)
    EXPECT_EQ(direct["promises"][i]["verdict"], pts[1]["drill"]["drills"][0]["promises"][i]["verdict"]);
  EXPECT_NEAR(direct["kpis"]["peak_queue"].get<double>(), few["peak_queue"]["mean"].get<double>(), 1e-3);
  const std::string ranking = read_whole_file(a + "/ranking.md");
  EXPECT_NE(ranking.find("| drills (promises) |"), std::string::npos) << ranking;

  // Killed after three tasks (the hall's and a drill among them), resumed: the same results.
  const auto ck = lines(read_whole_file(a + "/checkpoint.jsonl"));
  ASSERT_EQ(ck.size(), 8u);
  fs::create_directories(cut);
  {
    std::ofstream out(cut + "/checkpoint.jsonl");
    for (std::size_t i : {0u, 1u, 2u, 6u}) out << ck[i] << "\n";
    out << ck[7].substr(0, ck[7].size() / 2);
  }
  const CliRun r3 = testing::run_cli("sweep " + file + " --out " + cut + " --resume");
  ASSERT_EQ(r3.code, 0) << r3.out;
  EXPECT_NE(r3.out.find("7 tasks (4 run now, 3 from the checkpoint)"), std::string::npos) << r3.out;
  EXPECT_EQ(read_whole_file(cut + "/results.csv"), csv);
}

TEST(SweepCli, EmergencyAllDrillsEveryPlanOfEachHall) {
  // The drill room has three plans and no operations; the township hall has none: its point is `none`.
  const std::string file = sweep_file("all-plans", "name: all\nseed: 2\ndrill_replications: 1\ncommands: [drill]\n"
                                                   "scenarios:\n  - file: " +
                                                       source_path("scenarios/verification/evac/drill-room.yaml") +
                                                       "\n  - file: " + source_path("scenarios/township.yaml") +
                                                       "\ngrid:\n  emergency: all\n");
  const std::string d = out_dir("all-plans");
  const CliRun r = testing::run_cli("sweep " + file + " --out " + d + " --quiet");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto rows = lines(read_whole_file(d + "/results.csv"));
  ASSERT_EQ(rows.size(), 1u + 3u + 1u) << read_whole_file(d + "/results.csv");
  EXPECT_EQ(rows[0].substr(0, rows[0].find(",fire-east:")),
            "hall,hall_name,point,parameters,replication,status,check_verdict,check_failed,evac_time_s,drills,"
            "drill_verdict,drill_promises_kept,drill_promises_broken,drill_broken");
  EXPECT_NE(rows[1].find("emergency=fire-east,1,ok,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[4].find("h002-p01,emergency=none,1,ok,,,,none,,,,,"), std::string::npos) << rows[4];
  const std::string ranking = read_whole_file(d + "/ranking.md");
  EXPECT_NE(ranking.find("By `drill_promises_broken`"), std::string::npos) << ranking;
}

TEST(SweepCli, SizeKeepsTheFewestStaffPerPoint) {
  const std::string file =
      sweep_file("size", "name: size\nseed: 4\ncommands: [size]\nsize:\n  targets: [\"wait_p90_s<=900\"]\n"
                         "  replications: 4\n  quick: true\nscenarios:\n  - file: " +
                             source_path("scenarios/township.yaml") + "\ngrid:\n  demand_factor: [1.0, 1.6]\n");
  const std::string a = out_dir("size1"), b = out_dir("size2");
  const CliRun r1 = testing::run_cli("sweep " + file + " --out " + a + " --quiet");
  ASSERT_EQ(r1.code, 0) << r1.out;
  const CliRun r2 = testing::run_cli("sweep " + file + " --out " + b + " --jobs 2 --threads 2 --quiet");
  ASSERT_EQ(r2.code, 0) << r2.out;
  const std::string csv = read_whole_file(a + "/results.csv");
  EXPECT_EQ(csv, read_whole_file(b + "/results.csv"));
  const auto rows = lines(csv);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "hall,hall_name,point,parameters,replication,status,check_verdict,check_failed,evac_time_s,"
                     "size_met,size_unreachable,size_staff_hours,size_peak_staff,message");
  EXPECT_NE(rows[1].find(",ok,,,,yes,no,"), std::string::npos) << rows[1];
  const auto summary = nlohmann::json::parse(read_whole_file(a + "/summary.json"));
  const auto& pts = summary["points"];
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(summary["rank_by"]["kpi"], "size_staff_hours");
  // 60% more citizens need more staff-hours; each target met at 95% confidence.
  EXPECT_GT(pts[1]["size"]["staff_hours"].get<double>(), pts[0]["size"]["staff_hours"].get<double>());
  EXPECT_EQ(pts[0]["size"]["targets"][0]["target"], "wait_p90_s<=900");
  EXPECT_TRUE(pts[0]["size"]["targets"][0]["met"].get<bool>());
  // The same answer as `halltwin size` on the point's scenario.
  const std::string sj = testing::cli_temp_path("sweep", "size-direct.json");
  const CliRun s = testing::run_cli("size " + pts[1]["file"].get<std::string>() +
                                    " --target \"wait_p90_s<=900\" --replications 4 --seed 4 --quick --json " + sj);
  ASSERT_EQ(s.code, 0) << s.out;
  EXPECT_NEAR(nlohmann::json::parse(read_whole_file(sj))["staff_hours"].get<double>(),
              pts[1]["size"]["staff_hours"].get<double>(), 0.01);
  const std::string ranking = read_whole_file(a + "/ranking.md");
  EXPECT_NE(ranking.find("| 1 | h001-p01 |"), std::string::npos) << ranking;
}

// New halls: a sweep over demand programs sizes each point's hall as
// `halltwin size --program` does, one row per point, ranked per program.
TEST(SweepCli, ProgramsAreSizedPerPointAsSizeProgramSizesThem) {
  const std::string file = sweep_file(
      "programs", "name: programs\nseed: 3\ncommands: [size_program]\nsize: {replications: 2, quick: true}\n"
                  "rank_by: {kpi: program_windows}\nprograms:\n  - file: " +
                      source_path("scenarios/programs/township.yaml") + "\n  - template: " +
                      source_path("scenarios/programs/township.yaml") +
                      "\n    count: 2\n    name: \"V{index}\"\n    population_served: {min: 50000, max: 90000}\n"
                      "grid:\n  demand_factor: [1.0, 2.5]\n");
  const std::string a = out_dir("programs");
  const CliRun r = testing::run_cli("sweep " + file + " --out " + a + " --jobs 2 --quiet");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto rows = lines(read_whole_file(a + "/results.csv"));
  ASSERT_EQ(rows.size(), 7u);  // 3 programs x 2 demand levels, one row each
  EXPECT_NE(rows[0].find(",program_met,program_unreachable,program_windows,program_seats,program_staff_hours,"),
            std::string::npos)
      << rows[0];
  const auto summary = nlohmann::json::parse(read_whole_file(a + "/summary.json"));
  const auto& pts = summary["points"];
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[2]["hall_name"], "V1");
  for (std::size_t p = 0; p < 6; p += 2) {
    // 2.5 times the citizens need more staff-hours in every program.
    EXPECT_GT(pts[p + 1]["size_program"]["staff_hours"].get<double>(), pts[p]["size_program"]["staff_hours"].get<double>())
        << pts[p]["hall_name"];
    EXPECT_EQ(pts[p]["size_program"]["check"]["fail"], 0);
  }
  // The same answer as `halltwin size --program` on the point's program.
  const std::string sj = testing::cli_temp_path("sweep", "program-direct.json");
  const CliRun s = testing::run_cli("size --program " + pts[3]["file"].get<std::string>() +
                                    " --replications 2 --seed 3 --quick --json " + sj);
  ASSERT_NE(s.code, 2) << s.out;
  const auto direct = nlohmann::json::parse(read_whole_file(sj));
  EXPECT_DOUBLE_EQ(direct["staff"]["staff_hours"].get<double>(), pts[3]["size_program"]["staff_hours"].get<double>());
  for (const auto& f : direct["figures"]) {
    if (f["key"] == "building_area_m2") {
      EXPECT_DOUBLE_EQ(f["value"].get<double>(), pts[3]["size_program"]["building_area_m2"].get<double>());
    }
  }
  const std::string ranking = read_whole_file(a + "/ranking.md");
  EXPECT_NE(ranking.find("| rank | point | option | program_windows |"), std::string::npos) << ranking;
  EXPECT_NE(ranking.find("new hall (size_program)"), std::string::npos) << ranking;
}

// The opening hours as an axis: the point's scenario opens at the value; an
// opening after the ticket stop fails that point, saying so, and the others run.
TEST(SweepCli, TheOpenAxisMovesTheOpening) {
  const std::string file =
      sweep_file("open", "name: open\nseed: 2\nreplications: 1\ncommands: [run]\nkpis: [served]\nscenarios:\n"
                         "  - file: " + source_path("scenarios/township.yaml") +
                         "\ngrid:\n  open: [\"08:30\", \"17:30\"]\n");
  const std::string d = out_dir("open");
  const CliRun r = testing::run_cli("sweep " + file + " --out " + d + " --quiet");
  EXPECT_EQ(r.code, 1) << r.out;  // a failed point is a failed task
  const auto rows = lines(read_whole_file(d + "/results.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_NE(rows[1].find("open=08:30,1,ok,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find("open=17:30,1,failed,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[2].find("open 17:30 is not before the hours' ticket_stop (16:30)"), std::string::npos) << rows[2];
  EXPECT_NE(read_whole_file(d + "/points/h001-p01.yaml").find("open: 08:30"), std::string::npos);
}

// Staffed hours of a scenario as `halltwin run` rosters them (by_window rostered_s, per day), window -> hours.
std::map<std::string, double> rostered_h(const std::string& scenario, const std::string& name) {
  const std::string j = testing::cli_temp_path("sweep", name + "-run.json");
  const CliRun r = testing::run_cli("run " + scenario + " --replications 1 --seed 6 --json " + j + " --quiet");
  EXPECT_NE(r.code, 2) << r.out;  // loads and runs (1: the hall's targets are missed)
  std::map<std::string, double> out;
  if (!fs::exists(j)) return out;
  const auto run = nlohmann::json::parse(read_whole_file(j));  // kept: items() refers into it
  for (const auto& [w, v] : run["by_window"].items()) out[w] = v["rostered_s"].get<double>() / 3600.0;
  return out;
}

double total(const std::map<std::string, double>& hours) {
  double h = 0;
  for (const auto& [w, x] : hours) h += x;
  return h;
}

// The township hall's 8 windows, every one serving every matter: staff per
// block as a lunch at half strength, and 3 all day. The roster written for
// each point loads (`check`, `run`) and rosters exactly those staff.
TEST(SweepCli, StaffPerBlockSetsTheStaffOnDutyInEachBlock) {
  const std::string file = sweep_file(
      "per-block", "name: per-block\nseed: 6\nreplications: 2\ncommands: [check, run]\n"
                   "kpis: [utilization, wait_mean_s, served]\nscenarios:\n  - file: " +
                       source_path("scenarios/township.yaml") +
                       "\ngrid:\n  staff_per_block:\n    - {\"open-12:00\": 8, \"12:00-14:00\": 4, \"14:00-close\": 8}\n"
                       "    - \"open-close\": 3\n");
  const std::string a = out_dir("per-block1"), b = out_dir("per-block2");
  const CliRun r1 = testing::run_cli("sweep " + file + " --out " + a + " --quiet");
  ASSERT_EQ(r1.code, 0) << r1.out;
  const CliRun r2 = testing::run_cli("sweep " + file + " --out " + b + " --jobs 2 --threads 2 --quiet");
  ASSERT_EQ(r2.code, 0) << r2.out;
  const std::string csv = read_whole_file(a + "/results.csv");
  EXPECT_EQ(csv, read_whole_file(b + "/results.csv"));
  EXPECT_NE(csv.find(",\"staff_per_block=open-12:00=8,12:00-14:00=4,14:00-close=8\",1,ok,pass,0,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",staff_per_block=open-close=3,2,ok,pass,0,"), std::string::npos) << csv;
  const auto summary = nlohmann::json::parse(read_whole_file(a + "/summary.json"));
  const auto& pts = summary["points"];
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_EQ(pts[1]["parameters"]["staff_per_block"], "open-close=3");
  // Fewer staff: busier windows, longer waits.
  EXPECT_GT(pts[1]["kpis"]["utilization"]["mean"].get<double>(), pts[0]["kpis"]["utilization"]["mean"].get<double>());
  EXPECT_GT(pts[1]["kpis"]["wait_mean_s"]["mean"].get<double>(), pts[0]["kpis"]["wait_mean_s"]["mean"].get<double>());
  // The written rosters load and staff what was asked: 4 windows all day and
  // 4 closed 12:00-14:00 (the last in hall order: T04-T07), then 3 all day.
  const std::string p1 = pts[0]["file"].get<std::string>(), p2 = pts[1]["file"].get<std::string>();
  EXPECT_EQ(testing::run_cli("check " + p1).code, 0);
  const auto h1 = rostered_h(p1, "per-block-p1");
  EXPECT_DOUBLE_EQ(total(h1), 4 * 8.0 + 4 * 6.0);
  for (const char* w : {"T01", "T08", "T02", "T03"}) EXPECT_DOUBLE_EQ(h1.at(w), 8.0) << w;
  for (const char* w : {"T04", "T05", "T06", "T07"}) EXPECT_DOUBLE_EQ(h1.at(w), 6.0) << w;
  const auto h2 = rostered_h(p2, "per-block-p2");
  EXPECT_DOUBLE_EQ(total(h2), 3 * 8.0);
  for (const char* w : {"T01", "T08", "T02"}) EXPECT_DOUBLE_EQ(h2.at(w), 8.0) << w;
}

// The bundled staffing-by-block sweep on the county hall, whose roster has
// rules (pieces of at most 6 h, window groups never closing) and Wednesday
// evening staff: every option's roster loads and rosters the staff-hours the
// blocks say; too few staff for the groups fails that point alone.
TEST(SweepCli, TheBundledStaffingByBlockSweepRostersWhatItSays) {
  const std::string d = out_dir("by-block");
  const CliRun r = testing::run_cli("sweep " + source_path("scenarios/sweeps/staffing-by-block.yaml") + " --out " + d +
                                    " --quiet");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto summary = nlohmann::json::parse(read_whole_file(d + "/summary.json"));
  const auto& pts = summary["points"];
  ASSERT_EQ(pts.size(), 3u);
  // 29 windows x 8 h; 13 of them closed 11:30-13:30; 20, 29, 18, 29, 20 staff over 1+2+2+2+1 h.
  const double expected[] = {29 * 8.0, 29 * 8.0 - 13 * 2.0, 20 + 29 * 2 + 18 * 2 + 29 * 2 + 20.0};
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(pts[p]["tasks_failed"], 0) << pts[p].dump();
    EXPECT_NEAR(total(rostered_h(pts[p]["file"].get<std::string>(), "by-block-" + std::to_string(p))), expected[p],
                1e-9);
  }
  // Fewer staff-hours, busier windows.
  EXPECT_GT(pts[2]["kpis"]["utilization"]["mean"].get<double>(), pts[0]["kpis"]["utilization"]["mean"].get<double>());
  const std::string roster = read_whole_file(pts[1]["file"].get<std::string>());
  EXPECT_NE(roster.find("{id: spb-0900-1300, start: 09:00, end: 13:00}"), std::string::npos) << roster;  // <= 6 h
  EXPECT_NE(roster.find("extended_only: true"), std::string::npos) << roster;

  const std::string few = sweep_file("by-block-few", "name: few\nreplications: 1\nkpis: [served]\nscenarios:\n  - file: " +
                                                         source_path("scenarios/county.yaml") +
                                                         "\ngrid:\n  staff_per_block: [{\"open-close\": 5}, {\"open-close\": 6}]\n");
  const std::string f = out_dir("by-block-few");
  const CliRun rf = testing::run_cli("sweep " + few + " --out " + f + " --quiet");
  EXPECT_EQ(rf.code, 1) << rf.out;
  const std::string csv = read_whole_file(f + "/results.csv");
  EXPECT_NE(csv.find("staff_per_block=open-close=5,1,failed,pass,0,,,\"staff_per_block open-close=5: too few staff; "
                     "at least 6 of the 29 windows the roster staffs must stay open"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find("staff_per_block=open-close=6,1,ok,pass,0,"), std::string::npos) << csv;
}

TEST(SweepCli, BadStaffPerBlockValuesNameFileLineColumnAndField) {
  struct Case {
    std::string option, expected;
  };
  const std::string hall = source_path("scenarios/township.yaml");
  const std::vector<Case> cases = {
      {"{\"09:00-12:00\": 4, \"11:00-close\": 3}",
       ":7:26: error: grid.staff_per_block[0].11:00-close: overlaps '09:00-12:00'"},
      {"{\"open-12:00\": 3, \"12:30-close\": 2}",
       ":7:25: error: grid.staff_per_block[0].12:30-close: leaves 12:00-12:30 without staff after 'open-12:00'"},
      {"{\"08:00-12:00\": 4, \"12:00-close\": 3}",
       ":7:8: error: grid.staff_per_block[0].08:00-12:00: '08:00-12:00' starts at 08:00, but h001 ("},
      {"{\"open-12:00\": 3, \"12:00-18:00\": 2}",
       ":7:25: error: grid.staff_per_block[0].12:00-18:00: '12:00-18:00' ends at 18:00, but h001 ("},
      {"{\"open-08:00\": 4, \"08:00-close\": 3}",
       ":7:8: error: grid.staff_per_block[0].open-08:00: 'open-08:00' is outside the opening hours of h001 ("},
      {"{\"open-close\": 0}", ":7:22: error: grid.staff_per_block[0].open-close: 0 is out of range; expected 1 to 10000"},
      {"{\"open-12:00\": 2.5, \"12:00-close\": 2}",
       ":7:22: error: grid.staff_per_block[0].open-12:00: expected a whole number of staff on duty (at least 1)"},
      {"{\"open-close\": 9}",
       ":7:22: error: grid.staff_per_block[0].open-close: 9 staff on duty, but the roster of h001 ("},
      {"{\"9-12\": 3, \"12:00-close\": 2}", ":7:8: error: grid.staff_per_block[0].9-12: '9-12' is not a time block"},
      {"{\"12:00-close\": 3, \"open-12:00\": 2}",
       ":7:26: error: grid.staff_per_block[0].open-12:00: only the first block can start at open"},
      {"{\"open-close\": 3}\n  staffed_windows: [4]",
       ":7:5: error: grid.staff_per_block: replaces the roster's staffing, so it cannot be combined with staffed_windows"},
      {"[3]", ":7:7: error: grid.staff_per_block[0]: expected a map of time blocks to staff on duty"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string file = sweep_file("bad-spb" + std::to_string(i),
                                        "name: x\nscenarios:\n  - file: " + hall + "\ngrid:\n  staff_per_block:\n    - " +
                                            cases[i].option + "\n");
    const std::string d = out_dir("bad-spb" + std::to_string(i));
    const CliRun r = testing::run_cli("sweep " + file + " --out " + d);
    EXPECT_EQ(r.code, 2) << cases[i].option << r.out;
    EXPECT_NE(r.out.find(file + cases[i].expected), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(d)) << d;  // nothing written
  }
}

// The county hall's first option closes too many windows for its roster rule
// (groups_never_close): the loader refuses that point's scenario, yet the
// hall's check verdict and evacuation time (its own task, on its own file)
// show on every point, whatever the jobs and blocks.
TEST(SweepCli, AHallWhoseFirstPointIsRefusedKeepsItsCheckAndEvacuation) {
  const std::string file = sweep_file("refused", "name: refused\nseed: 3\nreplications: 2\nblock: 1\n"
                                                  "commands: [check, evac, run]\nkpis: [served, utilization]\n"
                                                  "scenarios:\n  - file: " +
                                                      source_path("scenarios/county.yaml") +
                                                      "\ngrid:\n  staffed_windows: [12, 26]\n");
  const std::string a = out_dir("refused1"), b = out_dir("refused2");
  const CliRun r1 = testing::run_cli("sweep " + file + " --out " + a);
  EXPECT_EQ(r1.code, 1) << r1.out;  // the refused point's tasks failed
  EXPECT_NE(r1.out.find("1 halls, 2 points, 5 tasks"), std::string::npos) << r1.out;  // the hall's + 2 x 2 run tasks
  const CliRun r2 = testing::run_cli("sweep " + file + " --out " + b + " --jobs 2 --threads 2 --quiet");
  EXPECT_EQ(r2.code, 1) << r2.out;
  // The same results; the refusal's message names the point's file in its folder.
  const std::string csv = read_whole_file(a + "/results.csv");
  std::string csv_b = read_whole_file(b + "/results.csv");
  for (std::size_t at = csv_b.find(b); at != std::string::npos; at = csv_b.find(b, at)) csv_b.replace(at, b.size(), a);
  EXPECT_EQ(csv, csv_b);
  const auto rows = lines(csv);
  ASSERT_EQ(rows.size(), 5u) << csv;
  EXPECT_NE(rows[1].find("h001-p01,staffed_windows=12,1,failed,pass,0,,,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("groups_never_close"), std::string::npos) << rows[1];
  EXPECT_NE(rows[3].find("h001-p02,staffed_windows=26,1,ok,pass,0,"), std::string::npos) << rows[3];
  // The evacuation time (replication 1's row) is the hall's: the same on both points.
  auto evac = [](const std::string& row) {
    std::vector<std::string> cells;
    std::string cell;
    for (char c : row.substr(0, row.find(",\""))) {
      if (c == ',') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    return cells.size() > 10 ? cells[10] : std::string();
  };
  EXPECT_FALSE(evac(rows[1]).empty()) << rows[1];
  EXPECT_EQ(evac(rows[1]), evac(rows[3]));
  const auto summary = nlohmann::json::parse(read_whole_file(a + "/summary.json"));
  const auto& p1 = summary["points"][0];
  EXPECT_EQ(p1["check"]["verdict"], "pass");
  EXPECT_TRUE(p1["evac"].contains("time_s")) << p1.dump();
  EXPECT_EQ(p1["replications"], 0);
  EXPECT_EQ(summary["points"][1]["check"]["verdict"], "pass");
  const std::string ranking = read_whole_file(a + "/ranking.md");
  EXPECT_NE(ranking.find("| 1 | h001-p02 | staffed_windows=26 |"), std::string::npos) << ranking;
  EXPECT_NE(ranking.find("| - | h001-p01 | staffed_windows=12 | not ranked: replications 1-1: exit 2: "),
            std::string::npos)
      << ranking;
}

#if HALLTWIN_MPI_BUILT
// The sanitizer build has no MPI (-DHALLTWIN_MPI=OFF: OpenMPI's own
// allocations would be reported as leaks); the MPI runs are tested in the
// Release build (docs/sweep.md).
std::string mpirun(int ranks) {
  return "mpirun " + std::string(::geteuid() == 0 ? "--allow-run-as-root " : "") + "--oversubscribe -np " +
         std::to_string(ranks) + " ";
}
TEST(SweepCli, TwoRanksGiveTheSameResultsAsOne) {
  const std::string file = small_sweep("mpi");
  const std::string one = out_dir("mpi1"), two = out_dir("mpi2");
  const CliRun r1 = testing::run_cli("sweep " + file + " --out " + one + " --quiet");
  ASSERT_EQ(r1.code, 0) << r1.out;
  const CliRun r2 = testing::run_shell(mpirun(2) + HALLTWIN_CLI + " sweep " + file + " --out " + two);
  ASSERT_EQ(r2.code, 0) << r2.out;
  EXPECT_NE(r2.out.find("on 2 rank(s)"), std::string::npos) << r2.out;
  EXPECT_EQ(read_whole_file(one + "/results.csv"), read_whole_file(two + "/results.csv"));
}

TEST(SweepCli, TheBundledPortfolioRunsOnTwoRanks) {
  const std::string d = out_dir("portfolio");
  const CliRun r = testing::run_shell(mpirun(2) + HALLTWIN_CLI + " sweep " +
                                    source_path("scenarios/sweeps/county-portfolio.yaml") + " --out " + d);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("50 halls, 300 points, 350 tasks (350 run now, 0 from the checkpoint), 0 failed"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(lines(read_whole_file(d + "/results.csv")).size(), 1u + 300u * 4u);
  const auto summary = nlohmann::json::parse(read_whole_file(d + "/summary.json"));
  EXPECT_EQ(summary["halls"], 50);
  // Every hall ranks its options.
  const std::string ranking = read_whole_file(d + "/ranking.md");
  EXPECT_NE(ranking.find("## h050 "), std::string::npos);
  fs::remove_all(d);
}
TEST(SweepCli, TheBundledEmergencyPlansSweepGivesTheSameResultsOnTwoRanks) {
  const std::string file = source_path("scenarios/sweeps/emergency-plans.yaml");
  const std::string one = out_dir("plans-mpi1"), two = out_dir("plans-mpi2");
  const CliRun r1 = testing::run_cli("sweep " + file + " --out " + one + " --quiet");
  ASSERT_EQ(r1.code, 0) << r1.out;
  const CliRun r2 = testing::run_shell(mpirun(2) + HALLTWIN_CLI + " sweep " + file + " --out " + two);
  ASSERT_EQ(r2.code, 0) << r2.out;
  EXPECT_NE(r2.out.find("on 2 rank(s)"), std::string::npos) << r2.out;
  const std::string csv = read_whole_file(one + "/results.csv");
  EXPECT_EQ(csv, read_whole_file(two + "/results.csv"));
  EXPECT_NE(csv.find("it-outage:wait_p90_during_outage_s"), std::string::npos);
  EXPECT_NE(csv.find(",yes,no,"), std::string::npos);  // size: targets met
}
#else
TEST(SweepCli, ABuildWithoutMpiSaysSoUnderMpirun) {
  const CliRun r = testing::run_shell("env OMPI_COMM_WORLD_SIZE=2 " + std::string(HALLTWIN_CLI) + " sweep " +
                                      small_sweep("nompi") + " --out " + out_dir("nompi"));
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("built without MPI"), std::string::npos) << r.out;
}
#endif

}  // namespace
}  // namespace halltwin
