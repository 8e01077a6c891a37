// docs/scenario.schema.json (for editors) says what the loader says: the same
// vocabularies, the same top-level sections. A vocabulary added to the code
// but not to the schema (or the reverse) fails here.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "model/operations.hpp"
#include "model/scenario_loader.hpp"
#include "model/vocabulary.hpp"

namespace halltwin {
namespace {

nlohmann::json schema() {
  std::ifstream in(std::string(HALLTWIN_SOURCE_DIR) + "/docs/scenario.schema.json");
  return nlohmann::json::parse(in);
}

template <class E>
std::vector<std::string> code_names(std::vector<std::string_view> except = {}) {
  std::vector<std::string> out;
  for (auto n : names<E>())
    if (std::find(except.begin(), except.end(), n) == except.end()) out.emplace_back(n);
  return out;
}

std::vector<std::string> strings(const nlohmann::json& j) { return j.get<std::vector<std::string>>(); }

TEST(SchemaTest, VocabulariesMatchTheLoader) {
  const auto s = schema();
  const auto& d = s["$defs"];
  EXPECT_EQ(strings(d["zone_type"]["enum"]), code_names<ZoneType>());
  EXPECT_EQ(strings(d["window_kind"]["enum"]), code_names<WindowKind>());
  EXPECT_EQ(strings(d["hall"]["properties"]["level"]["enum"]), code_names<AdminLevel>());
  EXPECT_EQ(strings(d["hall"]["properties"]["fire_hazard"]["enum"]), code_names<FireHazard>());
  EXPECT_EQ(strings(d["door"]["properties"]["kind"]["enum"]), code_names<DoorKind>());
  EXPECT_EQ(strings(d["door"]["properties"]["exit_to"]["enum"]), code_names<ExitTo>());
  EXPECT_EQ(strings(d["door"]["properties"]["role"]["enum"]), code_names<DoorRole>());
  EXPECT_EQ(strings(d["door"]["properties"]["type"]["enum"]), code_names<DoorType>());
  EXPECT_EQ(strings(d["door"]["properties"]["swing"]["enum"]), code_names<DoorSwing>());
  // Walls are listed under `walls`, not as obstacles of kind wall.
  EXPECT_EQ(strings(d["obstacle"]["properties"]["kind"]["enum"]), code_names<ObstacleKind>({"wall"}));
  EXPECT_EQ(strings(d["device"]["properties"]["kind"]["enum"]), code_names<DeviceKind>());
  EXPECT_EQ(strings(d["facility"]["properties"]["type"]["enum"]), code_names<FacilityType>());
  EXPECT_EQ(strings(d["facility"]["properties"]["size"]["enum"]), code_names<SignSize>());
  EXPECT_EQ(strings(d["facility"]["properties"]["mounting"]["enum"]), code_names<SignMounting>());
}

TEST(SchemaTest, TopLevelSectionsMatchTheLoader) {
  const auto s = schema();
  std::vector<std::string> keys;
  for (const auto& [k, _] : s["properties"].items()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> expected{"demand", "emergencies", "evacuation", "floors", "format",
                                    "hall",   "matters",     "platform",   "roster", "services",
                                    "stairs", "targets",     "walking"};
  EXPECT_EQ(keys, expected);
  EXPECT_EQ(s["additionalProperties"], false);
}

TEST(SchemaTest, FormatVersionsMatchTheLoader) {
  std::vector<std::string> code(std::begin(kSupportedScenarioFormats), std::end(kSupportedScenarioFormats));
  EXPECT_EQ(strings(schema()["properties"]["format"]["enum"]), code);
}

TEST(SchemaTest, OperationsVocabulariesMatchTheLoader) {
  const auto s = schema();
  const auto& d = s["$defs"];
  std::vector<std::string> days;
  for (int i = 0; i < kWeekdays; ++i) days.emplace_back(name(static_cast<Weekday>(i)));
  EXPECT_EQ(strings(d["weekday"]["enum"]), days);
  EXPECT_EQ(strings(d["roster"]["properties"]["queues"]["enum"]),
            (std::vector<std::string>{std::string(name(QueueDiscipline::per_matter)),
                                      std::string(name(QueueDiscipline::per_group))}));
  // Format 4: the calling policies, wherever the schema uses them.
  std::vector<std::string> policies;
  for (auto p : {CallingPolicy::fifo, CallingPolicy::priority, CallingPolicy::longest_wait,
                 CallingPolicy::appointments_first})
    policies.emplace_back(name(p));
  EXPECT_EQ(strings(d["calling_policy"]["enum"]), policies);
  EXPECT_EQ(d["roster"]["properties"]["calling"]["allOf"][0]["$ref"], "#/$defs/calling_policy");
  EXPECT_EQ(d["roster"]["properties"]["calling_by_window"]["additionalProperties"]["$ref"],
            "#/$defs/calling_policy");
  EXPECT_EQ(d["roster"]["properties"]["extended_hours"]["items"]["properties"]["weekday"]["$ref"],
            "#/$defs/weekday");
  EXPECT_EQ(d["demand"]["properties"]["appointments"]["properties"]["slot_min"]["enum"],
            d["demand"]["properties"]["block_min"]["enum"]);  // 15, 30 or 60, both
  std::vector<std::string> kinds;
  for (const auto& alt : d["distribution"]["oneOf"]) {
    const auto& dist = alt["properties"]["dist"];
    if (dist.contains("const"))
      kinds.push_back(dist["const"]);
    else
      for (const auto& k : dist["enum"]) kinds.push_back(k);
  }
  std::sort(kinds.begin(), kinds.end());
  std::vector<std::string> code;
  for (auto k : {Distribution::Kind::exponential, Distribution::Kind::lognormal, Distribution::Kind::gamma,
                 Distribution::Kind::empirical, Distribution::Kind::deterministic})
    code.emplace_back(name(k));
  std::sort(code.begin(), code.end());
  EXPECT_EQ(kinds, code);
}

}  // namespace
}  // namespace halltwin
