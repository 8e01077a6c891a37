// `halltwin run` on a hall with an IT platform (docs/platform.md), end to end:
// a scheduled extranet outage raises the waits during and after it; random
// failures are the same for a seed and differ between seeds; the child-process
// replications give the same JSON for --threads 1 and 2; bad platform input is
// exit 2 with file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/cli_run.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliRun;

CliRun run(const std::string& args) { return testing::run_cli(args); }
std::string source(const std::string& rel) { return testing::source_path(rel); }
std::string temp_path(const std::string& name) { return testing::cli_temp_path("platform", name); }

json run_json(const std::string& scenario_path, const std::string& flags, int expect_code = -1) {
  const std::string out = temp_path("out.json");
  fs::remove(out);
  const CliRun r = run("run " + scenario_path + " " + flags + " --quiet --json " + out);
  if (expect_code >= 0) {
    EXPECT_EQ(r.code, expect_code) << r.out;
  }
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.out;
  json j = json::parse(testing::read_whole_file(out));
  fs::remove(out);
  return j;
}

double hour_wait(const json& j, const char* h) { return j["by_hour"][h]["wait_mean_s"].get<double>(); }

TEST(PlatformRun, ExtranetOutageRaisesWaitsDuringAndAfterIt) {
  const std::string flags = "--replications 4 --threads 2 --seed 11";
  const json with = run_json(source("scenarios/verification/platform-extranet-outage.yaml"), flags);
  const json without = run_json(source("scenarios/verification/platform-no-outage.yaml"), flags);
  // The same citizens (the same random streams) in both runs.
  EXPECT_EQ(with["by_hour"]["10"]["arrivals"], without["by_hour"]["10"]["arrivals"]);
  // 10:00-10:30 no window can finish a service: the queue grows by the half
  // hour's arrivals (~18) and takes about an hour and a half to clear at
  // utilisation 0.75, so the waits rise in the outage hour and the next one.
  EXPECT_GT(hour_wait(with, "10"), hour_wait(without, "10") + 300.0)
      << hour_wait(with, "10") << " vs " << hour_wait(without, "10");
  EXPECT_GT(hour_wait(with, "11"), hour_wait(without, "11") + 120.0)
      << hour_wait(with, "11") << " vs " << hour_wait(without, "11");
  // Late in the day the queue has recovered: the waits are close again.
  EXPECT_LT(std::abs(hour_wait(with, "15") - hour_wait(without, "15")), 300.0);
  const json& p = with["platform"];
  ASSERT_TRUE(p.is_object());
  EXPECT_GT(p["services_delayed_per_day"].get<double>(),
            without["platform"]["services_delayed_per_day"].get<double>() + 3);
  EXPECT_GT(p["transaction_max_s"].get<double>(), 600.0);  // held by the outage
  EXPECT_LT(without["platform"]["transaction_max_s"].get<double>(), 5.0);
  // Three transactions per service, each ~0.4 s on the idle platform.
  EXPECT_NEAR(without["platform"]["transactions_per_day"].get<double>(),
              3 * without["platform"]["services_per_day"].get<double>(), 1e-6);
  EXPECT_GT(without["platform"]["transaction_mean_s"].get<double>(), 0.4);
  EXPECT_LT(without["platform"]["transaction_mean_s"].get<double>(), 0.5);
  for (const auto& e : p["elements"])
    if (e["id"] == "extranet") {
      EXPECT_DOUBLE_EQ(e["down_h"].get<double>(), 0.5);
    }
}

TEST(PlatformRun, ACongestedExtranetLengthensTheServices) {
  // The transactions run beside the clerk's own work (mean 300 s): a service
  // grows when they take longer than it (docs/platform.md). On a 0.05 Mbit/s
  // extranet (6.25 kB/s) a service's 900 kB take at least 144 s alone and
  // about four times that when the four windows share the line: the services
  // grow; on 20 Mbit/s the transactions take about 1.2 s and never do.
  std::string text = testing::read_whole_file(source("scenarios/verification/platform-no-outage.yaml"));
  const std::string wide = "bandwidth_mbps: 20, latency_ms: 20}";
  const json fast = run_json(source("scenarios/verification/platform-no-outage.yaml"), "--seed 3");
  text.replace(text.find(wide), wide.size(), "bandwidth_mbps: 0.05, latency_ms: 20}");
  testing::TempFile f(text, ".yaml");
  const json slow = run_json(f.path(), "--seed 3");
  const double s_fast = fast["by_matter"]["M1"]["service_mean_s"].get<double>();
  const double s_slow = slow["by_matter"]["M1"]["service_mean_s"].get<double>();
  EXPECT_GT(slow["platform"]["transaction_mean_s"].get<double>(), 48.0);  // 300 kB / 6.25 kB/s alone
  EXPECT_GT(slow["platform"]["transaction_p90_s"].get<double>(),
            fast["platform"]["transaction_p90_s"].get<double>() * 10);
  EXPECT_GT(slow["platform"]["services_delayed_per_day"].get<double>(), 10.0);
  // Only the rare services whose drawn clerk time is a second or two wait.
  EXPECT_LT(fast["platform"]["services_delayed_per_day"].get<double>(), 10.0);
  EXPECT_GT(s_slow, s_fast + 30.0) << s_slow << " vs " << s_fast;
  EXPECT_GT(slow["kpis"]["wait_mean_s"]["mean"].get<double>(),
            fast["kpis"]["wait_mean_s"]["mean"].get<double>());
}

TEST(PlatformRun, RandomFailuresAreSeedDeterministicAndThreadIndependent) {
  std::string text = testing::read_whole_file(source("scenarios/verification/platform-extranet-outage.yaml"));
  const std::string outage = R"(outages: [{from: "10:00", to: "10:30"}]})";
  text.replace(text.find(outage), outage.size(), "mtbf_h: 2, mttr_min: 10}");
  testing::TempFile f(text, ".yaml");
  const json a = run_json(f.path(), "--days 2 --replications 3 --threads 1 --seed 5");
  const json b = run_json(f.path(), "--days 2 --replications 3 --threads 2 --seed 5");
  const json c = run_json(f.path(), "--days 2 --replications 3 --threads 2 --seed 6");
  for (const char* key : {"kpis", "by_day", "by_hour", "by_matter", "by_window", "platform"})
    EXPECT_EQ(a[key], b[key]) << key;
  double down_a = 0, down_c = 0;
  for (const auto& e : a["platform"]["elements"])
    if (e["id"] == "extranet") {
      down_a = e["down_h"].get<double>();
      EXPECT_GT(e["random_failures"].get<double>(), 5);
    }
  for (const auto& e : c["platform"]["elements"])
    if (e["id"] == "extranet") down_c = e["down_h"].get<double>();
  EXPECT_GT(down_a, 0.0);
  EXPECT_NE(down_a, down_c);
  EXPECT_NE(a["kpis"], c["kpis"]);
}

TEST(PlatformRun, SnapshotAndTraceWithAPlatform) {
  const std::string trace = temp_path("trace.csv");
  fs::remove(trace);
  const json j =
      run_json(source("scenarios/verification/platform-extranet-outage.yaml"), "--at 10:20 --trace " + trace);
  ASSERT_TRUE(j["snapshot"].is_object());
  // At 10:20 the extranet is down: all four windows hold a citizen.
  int at_window = 0;
  for (const auto& p : j["snapshot"]["persons"])
    if (p["kind"] == "citizen" && p["state"] == "at_window") ++at_window;
  EXPECT_EQ(at_window, 4);
  EXPECT_GT(testing::read_whole_file(trace).size(), 1000u);
  fs::remove(trace);
}

TEST(PlatformRun, BadPlatformInputIsExit2WithFileAndLine) {
  std::string text = testing::read_whole_file(source("scenarios/verification/platform-extranet-outage.yaml"));
  text.replace(text.find("{to: province,"), 14, "{to: provnce,");
  testing::TempFile f(text, ".yaml");
  const CliRun r = run("run " + f.path());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(f.path() + ":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("platform.transactions.default[0].to: 'provnce' is not a platform element"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace halltwin
