// The `platform` section (format 6, model/platform_loader.cpp): a valid
// section fills model/platform.hpp; each kind of bad input is an error naming
// the line and the field; the section needs format 6.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/scenario_loader.hpp"
#include "tests/support/load_errors.hpp"

namespace halltwin {
namespace {

std::string file_text(const std::string& rel) {
  std::ifstream in(std::string(HALLTWIN_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kOutage = file_text("scenarios/verification/platform-extranet-outage.yaml");

std::string with(const std::string& from, const std::string& to) {
  std::string t = kOutage;
  const auto at = t.find(from);
  if (at == std::string::npos) std::abort();
  return t.replace(at, from.size(), to);
}

TEST(PlatformLoader, ReadsTheVerificationHall) {
  const Hall h = testing::scenario_of(kOutage);
  const Platform& p = h.platform;
  ASSERT_TRUE(p.present);
  ASSERT_EQ(p.elements.size(), 5u);
  const PlatformElement* x = find_platform_element(p, "extranet");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->kind, PlatformKind::extranet);
  EXPECT_DOUBLE_EQ(x->bandwidth_Bps, 20 * 125000.0);
  EXPECT_DOUBLE_EQ(x->latency_s, 0.020);
  ASSERT_EQ(x->outages.size(), 1u);
  EXPECT_DOUBLE_EQ(x->outages[0].from_s, 36000.0);
  EXPECT_DOUBLE_EQ(x->outages[0].to_s, 37800.0);
  // By kind: the first element of the kind.
  EXPECT_EQ(find_platform_element(p, "provincial-platform")->id, "province");
  EXPECT_EQ(find_platform_element(p, "approval-host"), nullptr);
  EXPECT_DOUBLE_EQ(find_platform_element(p, "province")->speed_flops, 2e9);
  EXPECT_EQ(find_platform_element(p, "province")->cores, 8);
  const auto& t = p.transactions_of(MatterId{0});
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(p.elements[t[0].to].id, "province");
  EXPECT_EQ(t[0].count, 3);
  EXPECT_DOUBLE_EQ(t[0].request_kb, 100.0);
}

TEST(PlatformLoader, UnknownHostInATransaction) {
  testing::expect_scenario_error(
      with("{to: province,", "{to: provnce,"), "{to: provnce,",
      "platform.transactions.default[0].to: 'provnce' is not a platform element id or "
      "kind; expected one of: terminals, queue, lan, extranet, province");
}

TEST(PlatformLoader, TransactionToALink) {
  testing::expect_scenario_error(with("{to: province,", "{to: lan,"), "{to: lan,",
                                 "'lan' is a lan; expected a host");
}

TEST(PlatformLoader, UnknownMatter) {
  testing::expect_scenario_error(with("    default:", "    M9:"), "    M9:", "'M9' is not a matter id");
}

TEST(PlatformLoader, OutageOutsideTheDay) {
  const auto t = with(R"({from: "10:00", to: "10:30"})", R"({from: "18:00", to: "19:00"})");
  testing::expect_scenario_error(
      t, R"({from: "18:00")",
      "the outage 18:00-19:00 is outside the day; expected it to overlap the opening "
      "hours 09:00-17:00");
}

TEST(PlatformLoader, OutageBackwardsAndBadTime) {
  testing::expect_scenario_error(with(R"(to: "10:30")", R"(to: "09:30")"), R"({from: "10:00")",
                                 "the outage ends (09:30) before it starts (10:00)");
  testing::expect_scenario_error(with(R"(to: "10:30")", R"(to: "25:00")"), R"({from: "10:00")",
                                 "'25:00' is not a time of day");
}

TEST(PlatformLoader, UnknownKindAndMissingCapacity) {
  testing::expect_scenario_error(
      with("kind: queue-server", "kind: queue_server"), "kind: queue_server",
      "'queue_server' is not one of: queue-server, terminal, kiosk, lan, extranet");
  testing::expect_scenario_error(with("{id: lan, kind: lan, bandwidth_mbps: 100, latency_ms: 0.5}",
                                      "{id: lan, kind: lan, latency_ms: 0.5}"),
                                 "{id: lan, kind: lan, latency_ms", "bandwidth_mbps");
  testing::expect_scenario_error(with("cores: 8}", "cores: 8, bandwidth_mbps: 5}"), "cores: 8, bandwidth",
                                 "bandwidth_mbps");
}

TEST(PlatformLoader, DuplicateIdAndTopology) {
  testing::expect_scenario_error(with("{id: queue, kind", "{id: terminals, kind"),
                                 "{id: terminals, kind: queue", "duplicate platform element id 'terminals'");
  testing::expect_scenario_error(
      with("    - {id: lan, kind: lan, bandwidth_mbps: 100, latency_ms: 0.5}\n", ""),
      "{id: terminals, kind: terminal", "0 elements of kind lan; expected exactly one");
  testing::expect_scenario_error(
      with(
          "    - {id: extranet, kind: extranet, bandwidth_mbps: 20, latency_ms: 20,\n       outages: [{from: "
          "\"10:00\", to: \"10:30\"}]}\n",
          ""),
      "{id: terminals, kind: terminal", "needs an extranet element");
}

TEST(PlatformLoader, RandomFailuresNeedBothFields) {
  testing::expect_scenario_error(
      with("{id: queue, kind: queue-server,", "{id: queue, kind: queue-server, mtbf_h: 100,"),
      "{id: queue, kind: queue-server, mtbf_h", "need both mtbf_h");
  const Hall h = testing::scenario_of(
      with("{id: queue, kind: queue-server,", "{id: queue, kind: queue-server, mtbf_h: 100, mttr_min: 30,"));
  EXPECT_DOUBLE_EQ(*find_platform_element(h.platform, "queue")->mtbf_h, 100.0);
  EXPECT_DOUBLE_EQ(find_platform_element(h.platform, "queue")->mttr_min, 30.0);
}

TEST(PlatformLoader, NeedsFormat6) {
  const auto t = with("format: halltwin-scenario/6", "format: halltwin-scenario/5");
  testing::expect_scenario_error(t, "  elements:", "section 'platform' needs format: halltwin-scenario/6");
  // Empty, it stays a reserved section in older files.
  std::string empty = t.substr(0, t.find("platform:")) + "platform: {}\n";
  EXPECT_FALSE(testing::scenario_of(empty).platform.present);
}

}  // namespace
}  // namespace halltwin
