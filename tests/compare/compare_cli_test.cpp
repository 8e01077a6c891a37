// `halltwin compare` and `halltwin report` end to end (docs/compare.md): the
// JSON keys, exact zero against an identical copy, the compliance diff, the
// evacuation side by side, different halls said so, a failing run reported,
// a scenario that does not load stopping everything with exit 2 and nothing
// written, and the HTML pages opened in a real headless browser.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/cli_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CliRun;

CliRun run(const std::string& args) { return testing::run_cli(args); }
std::string temp_path(const std::string& name) { return testing::cli_temp_path("compare", name); }
std::string source(const std::string& rel) { return testing::source_path(rel); }
json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

const std::string kCounty = source("scenarios/county.yaml");
const std::string kDept = source("scenarios/county-department-windows.yaml");

// A hall of two floors with an evacuation section: the comparison evacuates
// both floors (the upper one down its protected stairs, sim/evac/building.hpp),
// accounts for everybody, and takes the margin from `aset_s`.
TEST(CompareCliTest, TwoFloorHallEvacuatesBothFloorsWithItsMargin) {
  std::ifstream in(source("scenarios/city.yaml"));
  std::string text(std::istreambuf_iterator<char>(in), {});
  const std::size_t at = text.find("\nformat: halltwin-scenario/");
  ASSERT_NE(at, std::string::npos);
  // Version 5 at least for aset_s; the bundled file is already at 7 (issue 15's checker fields).
  text.replace(at, text.find('\n', at + 1) - at, "\nformat: halltwin-scenario/7");
  text += "\nevacuation:\n  aset_s: 400\n";
  const testing::TempFile hall(text);
  const std::string out = temp_path("two-floors.json");
  const CliRun r = run("compare " + hall.path() + " " + hall.path() + " --replications 2 --threads 2 --json " + out);
  ASSERT_LE(r.code, 1) << r.out;
  const json e = read_json(out)["evacuation"][0];
  ASSERT_TRUE(e["present"].get<bool>()) << e;
  int counted = 0;
  bool upper = false, ground = false;
  for (const auto& x : e["exits"]) {
    counted += x["count"].get<int>();
    const std::string id = x["id"];
    upper = upper || id.rfind("F2:", 0) == 0;
    ground = ground || id.rfind("F1:", 0) == 0;
  }
  EXPECT_TRUE(upper && ground) << e["exits"];
  EXPECT_EQ(counted + e["stuck"].get<int>(), e["agents"].get<int>());
  EXPECT_EQ(e["stuck"].get<int>(), 0);
  EXPECT_DOUBLE_EQ(e["margin_s"].get<double>(), 400.0 - e["evacuation_time_s"].get<double>());
}

TEST(CompareCliTest, IdenticalCopyDiffersByExactlyZeroAndTheJsonHasTheDocumentedKeys) {
  std::ifstream in(kCounty);
  const testing::TempFile copy(std::string(std::istreambuf_iterator<char>(in), {}));
  const std::string out = temp_path("copy.json");
  const CliRun r = run("compare " + kCounty + " " + copy.path() + " --replications 4 --no-evac --threads 2 --json " + out);
  ASSERT_LE(r.code, 1) << r.out;
  const json j = read_json(out);
  for (const char* key : {"scenarios", "differences", "compliance", "evacuation", "scorecards"})
    EXPECT_TRUE(j.contains(key)) << key;
  ASSERT_EQ(j["scenarios"].size(), 2u);
  for (const char* key : {"name", "file", "level"}) EXPECT_TRUE(j["scenarios"][0]["scenario"].contains(key)) << key;
  EXPECT_EQ(j["scenarios"][0]["kpis"].size(), 17u);
  ASSERT_EQ(j["differences"].size(), 1u);
  EXPECT_EQ(j["differences"][0]["scenario"], 1);
  EXPECT_EQ(j["differences"][0]["against"], 0);
  ASSERT_EQ(j["differences"][0]["kpis"].size(), 17u);
  for (const auto& [name, d] : j["differences"][0]["kpis"].items()) {
    SCOPED_TRACE(name);
    EXPECT_EQ(d["mean"].get<double>(), 0.0);
    EXPECT_EQ(d["ci95_low"].get<double>(), 0.0);
    EXPECT_EQ(d["ci95_high"].get<double>(), 0.0);
    EXPECT_FALSE(d["significant"].get<bool>());
  }
  for (const auto& c : j["compliance"]) EXPECT_FALSE(c["changed"].get<bool>()) << c["rule"];
  EXPECT_EQ(j["scenarios"][0]["kpis"], j["scenarios"][1]["kpis"]);
  EXPECT_NE(r.out.find("service: no significant difference in the key KPIs"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("compliance unchanged"), std::string::npos) << r.out;
}

TEST(CompareCliTest, DepartmentWindowsAreWorseAndTheEvacuationIsSideBySide) {
  const std::string out = temp_path("dept.json");
  const CliRun r = run("compare " + kCounty + " " + kDept + " --replications 6 --threads 2 --json " + out);
  ASSERT_LE(r.code, 1) << r.out;
  const json j = read_json(out);
  const auto& wait = j["differences"][0]["kpis"]["wait_mean_s"];
  EXPECT_GT(wait["mean"].get<double>(), 0.0);
  EXPECT_TRUE(wait["significant"].get<bool>());
  EXPECT_GT(j["differences"][0]["worse"].get<int>(), 0);
  // county.yaml has an evacuation section, the department-window variant none.
  ASSERT_EQ(j["evacuation"].size(), 2u);
  EXPECT_TRUE(j["evacuation"][0]["present"].get<bool>());
  EXPECT_GT(j["evacuation"][0]["evacuation_time_s"].get<double>(), 0.0);
  EXPECT_EQ(j["evacuation"][0]["margin_note"], "no ASET stated");
  int out_count = 0;
  for (const auto& e : j["evacuation"][0]["exits"]) out_count += e["count"].get<int>();
  EXPECT_EQ(out_count + j["evacuation"][0]["stuck"].get<int>(), j["evacuation"][0]["agents"].get<int>());
  EXPECT_FALSE(j["evacuation"][1]["present"].get<bool>());
  ASSERT_EQ(j["scorecards"].size(), 2u);
  EXPECT_EQ(j["scorecards"][0]["items"].size(), 6u);
  EXPECT_NE(r.out.find("service WORSE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no evacuation section"), std::string::npos) << r.out;
}

TEST(CompareCliTest, TheSameJsonWhateverTheThreadCount) {
  const std::string one = temp_path("t1.json"), three = temp_path("t3.json");
  const std::string args = "compare " + kCounty + " " + kDept + " " +
                           source("scenarios/variants/county-extended-hours.yaml") + " --replications 4 --no-evac";
  ASSERT_LE(run(args + " --threads 1 --json " + one).code, 1);
  ASSERT_LE(run(args + " --threads 3 --json " + three).code, 1);
  EXPECT_EQ(testing::read_whole_file(one), testing::read_whole_file(three));
}

TEST(CompareCliTest, ComplianceDiffNamesTheRuleThatChangesWithItsMeasuredValues) {
  const std::string out = temp_path("flawed.json");
  const CliRun r = run("compare " + kCounty + " " + source("scenarios/county-flawed-exit-far.yaml") +
                       " --replications 2 --no-evac --json " + out);
  EXPECT_EQ(r.code, 1) << r.out;  // the flawed variant fails a rule: its scorecard is not passed
  const json j = read_json(out);
  int changed = 0;
  for (const auto& c : j["compliance"]) {
    if (!c["changed"].get<bool>()) continue;
    ++changed;
    EXPECT_EQ(c["by_scenario"][0]["status"], "pass") << c["rule"];
    EXPECT_EQ(c["by_scenario"][1]["status"], "fail") << c["rule"];
    EXPECT_TRUE(c["by_scenario"][1]["measured"].is_number()) << c["rule"];
    EXPECT_NE(r.out.find(c["rule"].get<std::string>()), std::string::npos);
  }
  EXPECT_EQ(changed, 1);
  EXPECT_EQ(j["scorecards"][1]["compliance_fails"], 1);
  EXPECT_FALSE(j["scorecards"][1]["passed"].get<bool>());
}

TEST(CompareCliTest, DifferentHallsAreSaidSoAndAFailingRunIsReported) {
  const testing::TempFile mini(testing::kMiniHall);  // format 1: no operations sections
  const std::string out = temp_path("mini.json");
  const CliRun r = run("compare " + kCounty + " " + mini.path() + " --replications 2 --no-evac --json " + out);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("different halls"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RUN FAILED [2]"), std::string::npos) << r.out;
  const json j = read_json(out);
  EXPECT_FALSE(j["run"]["same_hall"].get<bool>());
  EXPECT_TRUE(j["scenarios"][1]["error"].is_string());
  EXPECT_TRUE(j["differences"].empty());
  EXPECT_FALSE(j["scorecards"][1]["passed"].get<bool>());
}

TEST(CompareCliTest, AScenarioThatDoesNotLoadStopsEverythingWithExit2AndNothingWritten) {
  const testing::TempFile broken("format: halltwin-scenario/1\nhall: {name: x, level: nowhere}\n");
  const std::string out = temp_path("broken.json"), html = temp_path("broken.html");
  std::ofstream(out) << "{\"stale\": true}";
  const CliRun r = run("compare " + kCounty + " " + broken.path() + " --json " + out + " --report " + html);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(broken.path()), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));  // the stale file from an earlier run is removed
  EXPECT_FALSE(fs::exists(html));
  const CliRun missing = run("compare " + kCounty + " /nonexistent/hall.yaml");
  EXPECT_EQ(missing.code, 2) << missing.out;
  EXPECT_NE(missing.out.find("/nonexistent/hall.yaml"), std::string::npos) << missing.out;
  EXPECT_EQ(run("compare " + kCounty).code, 2);  // one scenario is not a comparison
  EXPECT_EQ(run("compare " + kCounty + " " + kDept + " --replications 0").code, 2);
  EXPECT_EQ(run("compare " + kCounty + " " + kDept + " --json " + kDept).code, 2);  // output onto an input
}

// Opens `page` in headless Chromium and returns the DOM after load; empty
// when Chromium is missing.
bool has_chromium() { return std::system("command -v chromium >/dev/null 2>&1") == 0; }

std::string browser_dom(const std::string& page) {
  const std::string cmd = "chromium --headless --disable-gpu --no-sandbox --no-first-run --virtual-time-budget=10000 "
                          "--dump-dom file://" + page + " 2>/dev/null";
  std::string dom;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    while (std::size_t n = fread(buf, 1, sizeof buf, p)) dom.append(buf, n);
    pclose(p);
  }
  return dom;
}

// The integer value of the attribute `name="..."` in the DOM, or -100 when it is absent.
// (No std::regex here: GCC 12 warns inside <regex> under the sanitizers, and warnings are errors.)
int attribute(const std::string& dom, const std::string& name) {
  const std::string key = name + "=\"";
  const std::size_t at = dom.find(key);
  if (at == std::string::npos) return -100;
  std::size_t used = 0;
  try {
    const int v = std::stoi(dom.substr(at + key.size()), &used);
    return used > 0 && dom.compare(at + key.size() + used, 1, "\"") == 0 ? v : -100;
  } catch (const std::exception&) {
    return -100;
  }
}

void expect_page_loads_with_every_image(const std::string& page, int min_images) {
  const std::string dom = browser_dom(page);
  ASSERT_FALSE(dom.empty()) << "chromium printed nothing";
  const int total = attribute(dom, "data-images-total"), loaded = attribute(dom, "data-images-loaded");
  EXPECT_GE(total, min_images) << dom.substr(0, 2000);
  EXPECT_EQ(loaded, total);
  EXPECT_EQ(attribute(dom, "data-errors"), 0);
}

TEST(ReportCliTest, ScenarioPageLoadsInAHeadlessBrowserWithEveryPlot) {
  const std::string html = temp_path("county.html");
  const CliRun r = run("report " + kCounty + " --replications 3 --threads 2 --out " + html);
  ASSERT_LE(r.code, 1) << r.out;
  const std::string page = testing::read_whole_file(html);
  EXPECT_NE(page.find("宁乡县政务服务中心"), std::string::npos);
  EXPECT_NE(page.find("<table"), std::string::npos);
  EXPECT_NE(page.find("@media print"), std::string::npos);
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);  // self-contained
  EXPECT_NE(page.find("utilization per window group by hour"), std::string::npos);
#if HALLTWIN_VIEWER_BUILT
  const bool plan = page.find("data:image/png;base64,") != std::string::npos;
  const bool can_render = (std::getenv("DISPLAY") && *std::getenv("DISPLAY")) ||
                          std::system("command -v xvfb-run >/dev/null 2>&1") == 0;
  if (can_render)
    EXPECT_TRUE(plan) << r.out;  // the headless top view with the findings
  else
    EXPECT_NE(page.find("could not be taken"), std::string::npos) << r.out;
#else
  EXPECT_NE(page.find("no 3D viewer"), std::string::npos);
#endif
  if (!has_chromium()) GTEST_SKIP() << "chromium is not installed (tools/install-deps.sh installs it)";
  // 5 operations plots, the evacuation curve and the density map (and the plan when taken).
  expect_page_loads_with_every_image(html, 7);
  // Printed to PDF (A4 by the page's print stylesheet): a real PDF of several pages.
  const std::string pdf = temp_path("county.pdf");
  const std::string cmd = "chromium --headless --disable-gpu --no-sandbox --no-first-run --no-pdf-header-footer "
                          "--print-to-pdf=" + pdf + " file://" + html + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string doc = testing::read_whole_file(pdf);
  EXPECT_EQ(doc.substr(0, 5), "%PDF-");
  // The page tree's /Count: the number of pages.
  int pages = 0;
  for (std::size_t at = doc.find("/Count "); at != std::string::npos; at = doc.find("/Count ", at + 1)) {
    const std::size_t digits = at + 7;
    if (digits < doc.size() && std::isdigit(static_cast<unsigned char>(doc[digits])))
      pages = std::max(pages, std::stoi(doc.substr(digits, 12)));
  }
  EXPECT_GE(pages, 2) << doc.size();
  fs::remove(pdf);
}

TEST(ReportCliTest, ComparisonPageLoadsInAHeadlessBrowserWithEveryPlot) {
  const std::string html = temp_path("compare.html");
  const CliRun r = run("compare " + kCounty + " " + source("scenarios/variants/county-extended-hours.yaml") +
                       " --replications 3 --threads 2 --no-evac --no-screenshot --report " + html);
  ASSERT_LE(r.code, 1) << r.out;
  const std::string page = testing::read_whole_file(html);
  EXPECT_NE(page.find("county-extended-hours.yaml"), std::string::npos);
  EXPECT_NE(page.find("class=\"verdict\""), std::string::npos);
  EXPECT_NE(page.find("left out (--no-screenshot)"), std::string::npos);  // the page says the plans are left out
  if (!has_chromium()) GTEST_SKIP() << "chromium is not installed (tools/install-deps.sh installs it)";
  // 6 difference plots and the waits by hour.
  expect_page_loads_with_every_image(html, 7);
}

}  // namespace
}  // namespace halltwin
