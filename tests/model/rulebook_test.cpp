// The rulebook loader: the default rulebook loads; bad rulebooks are rejected
// with file, line and field.
#include "model/rulebook.hpp"

#include <gtest/gtest.h>

#include "model/input_error.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

using testing::TempFile;

const std::string kDefault = std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/default.yaml";

TEST(RulebookTest, DefaultRulebookLoads) {
  const Rulebook b = load_rulebook(kDefault);
  EXPECT_GE(b.rules.size(), 20u);
  EXPECT_DOUBLE_EQ(b.density_ppm2.at(ZoneType::waiting), 0.6);
  EXPECT_DOUBLE_EQ(b.seat_factor, 1.1);
  bool placeholder_area = false;
  for (const auto& r : b.rules)
    if (r.id == "area.building_min") placeholder_area = r.confidence == Confidence::placeholder;
  EXPECT_TRUE(placeholder_area);
}

const std::string kSmall = R"(format: halltwin-rulebook/1
name: test
occupant_density:
  clause: test
  confidence: partial
  ppm2: {waiting: 0.5}
rules:
  - id: a.one
    kind: window_kind_min
    title: one
    clause: X 1.1
    confidence: verified
    params: {kind: comprehensive, min: 1}
)";

std::string error_of(const std::string& text) {
  TempFile f(text);
  try {
    load_rulebook(f.path());
  } catch (const InputError& e) {
    std::string msg = e.what();
    auto pos = msg.find(f.path());
    if (pos != std::string::npos) msg.replace(pos, f.path().size(), "FILE");
    return msg;
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

TEST(RulebookTest, BadConfidenceMark) {
  const auto msg = error_of(testing::replaced(kSmall, "confidence: verified", "confidence: sure"));
  EXPECT_NE(msg.find("FILE:12:17: error: rules[a.one].confidence: 'sure' is not a confidence mark; expected "
                     "verified, partial or placeholder"),
            std::string::npos)
      << msg;
}

TEST(RulebookTest, DuplicateRuleId) {
  const auto msg =
      error_of(kSmall + "  - {id: a.one, kind: window_kind_min, title: t, clause: c, confidence: partial}\n");
  EXPECT_NE(msg.find("FILE:14:10: error: rules[a.one].id: duplicate rule id 'a.one'"), std::string::npos)
      << msg;
}

TEST(RulebookTest, UnknownZoneTypeInDensities) {
  const auto msg = error_of(testing::replaced(kSmall, "{waiting: 0.5}", "{waitin: 0.5}"));
  EXPECT_NE(msg.find("FILE:6:10: error: occupant_density.ppm2.waitin: 'waitin' is not one of:"),
            std::string::npos)
      << msg;
}

TEST(RulebookTest, WrongFormat) {
  const auto msg = error_of(testing::replaced(kSmall, "halltwin-rulebook/1", "halltwin-rules/1"));
  EXPECT_NE(msg.find("format: 'halltwin-rules/1' is not a supported format; expected 'halltwin-rulebook/1'"),
            std::string::npos)
      << msg;
}

}  // namespace
}  // namespace halltwin
