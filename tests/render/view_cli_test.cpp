// `halltwin view` with traces, end to end through the program: bad input is
// refused with file, line and field before any window opens (so these run
// without a display), unknown ids are warnings.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "model/trace/trace_writer.hpp"
#include "tests/support/cli_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

using halltwin::testing::CliRun;
using halltwin::testing::run_cli;
using halltwin::testing::TempFile;

std::string trace_text(const std::string& scenario, const std::string& window = "W1") {
  TraceHeader h;
  h.scenario = scenario;
  h.source = "halltwin run";
  std::ostringstream out;
  TraceWriter w(out, h);
  TraceEvent e;
  e.entity = "C1";
  e.kind = EntityKind::citizen;
  e.time_s = 9 * 3600.0;
  e.type = EventType::ticket_issued;
  e.ticket = "M1-001";
  e.matter = "M1";
  w.write(e);
  e.time_s = 9 * 3600.0 + 600;
  e.type = EventType::service_start;
  e.window = window;
  w.write(e);
  e.time_s = 9 * 3600.0 + 900;
  e.type = EventType::left;
  e.window.clear();
  w.write(e);
  w.close();
  return out.str();
}

class ViewCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HALLTWIN_VIEWER_BUILT) GTEST_SKIP() << "built without the 3D view";
  }
  TempFile hall_{halltwin::testing::kMiniHall};
  std::string png_ = halltwin::testing::cli_temp_path("view", "shot.png");
  CliRun view(const std::string& args) { return run_cli("view " + hall_.path() + " " + args, /*no_display=*/true); }
};

TEST_F(ViewCli, ATimeOutsideTheTraceIsExitTwoNamingTheTraceAndItsRange) {
  TempFile trace(trace_text("测试大厅"), ".csv");
  const CliRun r = view("--trace " + trace.path() + " --at 08:00 --screenshot " + png_);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(trace.path() + ": error: --at: 08:00:00 is outside the trace, which runs from 09:00:00 to 09:15:00"),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(std::filesystem::exists(png_));
}

TEST_F(ViewCli, AMalformedTimeIsExitTwo) {
  TempFile trace(trace_text("测试大厅"), ".csv");
  const CliRun r = view("--trace " + trace.path() + " --at 9h30 --screenshot " + png_);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--at: '9h30' is not a time"), std::string::npos) << r.out;
}

TEST_F(ViewCli, ATraceOfAnotherHallIsExitTwoWithFileAndLine) {
  TempFile trace(trace_text("宁乡县政务服务中心"), ".csv");
  const CliRun r = view("--trace " + trace.path() + " --screenshot " + png_);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(trace.path() + ":2:1: error: #scenario: the trace is of hall '宁乡县政务服务中心'"),
            std::string::npos)
      << r.out;
}

TEST_F(ViewCli, ADamagedTraceIsExitTwoWithFileAndLine) {
  std::string text = trace_text("测试大厅");
  text = halltwin::testing::replaced(text, "service_start", "service_stat");
  TempFile trace(text, ".csv");
  const CliRun r = view("--trace " + trace.path() + " --screenshot " + png_);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find(trace.path() + ":11:"), std::string::npos) << r.out;
}

TEST_F(ViewCli, UnknownIdsAreWarningsNotErrors) {
  TempFile trace(trace_text("测试大厅", "X99"), ".csv");
  const CliRun r = view("--trace " + trace.path() + " --screenshot " + png_);
  EXPECT_NE(r.out.find(trace.path() + ":11: warning: window 'X99' is not in the scenario"), std::string::npos) << r.out;
  // Without a display the frame itself cannot be drawn: exit 2 for that, after the warning.
  EXPECT_NE(r.out.find("xvfb-run"), std::string::npos) << r.out;
}

TEST_F(ViewCli, RecordNeedsATraceAndItsTimes) {
  TempFile trace(trace_text("测试大厅"), ".csv");
  const std::string mp4 = halltwin::testing::cli_temp_path("view", "video.mp4");
  CliRun r = view("--record " + mp4 + " --from 09:00 --to 09:10");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--record: a video needs a trace to play (--trace FILE)"), std::string::npos) << r.out;
  r = view("--trace " + trace.path() + " --record " + mp4 + " --from 09:00");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--to: --record needs --from and --to"), std::string::npos) << r.out;
  r = view("--trace " + trace.path() + " --record " + mp4 + " --from 09:10 --to 09:00");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--to: '09:00' is not later than --from '09:10'"), std::string::npos) << r.out;
  r = view("--trace " + trace.path() + " --record " + mp4 + " --from 09:00 --to 09:30");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--to: 09:30:00 is outside the trace"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(mp4));
}

TEST_F(ViewCli, AtWithoutATraceIsExitTwo) {
  const CliRun r = view("--at 09:00 --screenshot " + png_);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--at: a time needs a trace to show (--trace FILE)"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace halltwin
