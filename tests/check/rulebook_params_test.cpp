// Rulebook parameters are validated as docs/rules.md promises (issue 5): an
// unknown or misspelt parameter, a duplicate key, NaN or infinity, a quoted
// number and an empty rule list are input errors with file, line and field.
#include <gtest/gtest.h>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "sim/check/checker.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::check {
namespace {

using halltwin::testing::replaced;
using halltwin::testing::TempFile;

const std::string kBook = R"(format: halltwin-rulebook/1
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
  - id: b.two
    kind: exit_reachable
    title: two
    clause: X 2.2
    confidence: verified
    params: {min_region_m2: 0.05}
)";

std::string error_of(const std::string& book) {
  TempFile f(book);
  try {
    Checker c(load_rulebook(f.path()));
  } catch (const InputError& e) {
    std::string msg = e.what();
    for (auto pos = msg.find(f.path()); pos != std::string::npos; pos = msg.find(f.path()))
      msg.replace(pos, f.path().size(), "FILE");
    return msg;
  }
  ADD_FAILURE() << "expected the rulebook to be rejected";
  return {};
}

TEST(RulebookParamsTest, TheBaseRulebookIsAccepted) {
  TempFile f(kBook);
  EXPECT_NO_THROW(Checker(load_rulebook(f.path())));
}

TEST(RulebookParamsTest, AnUnknownParameterIsRefused) {
  const auto msg = error_of(replaced(kBook, "min: 1}", "min: 1, colour: red}"));
  EXPECT_NE(
      msg.find("FILE:13:51: error: rules[a.one].params: unknown parameter 'colour' for kind window_kind_min; "
               "allowed parameters: kind, min"),
      std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, AMisspeltOptionalParameterIsRefusedWithAHint) {
  // It used to be ignored silently: the rule then ran with the default 0.05 m2.
  const auto msg = error_of(replaced(kBook, "{min_region_m2: 0.05}", "{min_region_m3: 5}"));
  EXPECT_NE(msg.find("FILE:19:29: error: rules[b.two].params: unknown parameter 'min_region_m3' for kind "
                     "exit_reachable (did you mean 'min_region_m2'?)"),
            std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, AnUnknownNameInsideATableIsRefused) {
  const auto msg = error_of(kBook + R"(  - id: c.three
    kind: exit_width_per_100
    title: three
    clause: X 3.3
    confidence: verified
    params:
      m_per_100:
        storeys_1_2: [0.65, 0.65, 0.75, 1.00]
        storey_3:    [0.75, 0.75, 1.00, .nan]
        storey_4_up: [1.00, 1.00, 1.25, .nan]
        storey_5: [1, 1, 1, 1]
)");
  EXPECT_NE(
      msg.find("rules[c.three].params.m_per_100: unknown parameter 'storey_5' for kind exit_width_per_100 "
               "(did you mean 'storey_3'?)"),
      std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, ADuplicateParameterIsRefused) {
  const auto msg = error_of(replaced(kBook, "min: 1}", "min: 1, min: 5}"));
  EXPECT_NE(msg.find("FILE:13:43: error: rules[0].params: key 'min' appears twice in the same map"),
            std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, ADuplicateRuleKeyIsRefused) {
  const auto msg = error_of(replaced(kBook, "    title: one\n", "    title: one\n    title: uno\n"));
  EXPECT_NE(msg.find("FILE:11:5: error: rules[0]: key 'title' appears twice in the same map"),
            std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, NanAndInfinityAreRefused) {
  for (const char* bad : {".nan", ".NaN", ".inf", "-.inf", "nan", "inf"}) {
    const auto msg = error_of(replaced(kBook, "min: 1}", std::string("min: ") + bad + "}"));
    EXPECT_NE(msg.find(std::string("FILE:13:40: error: rules[a.one].params.min: '") + bad +
                       "' is not a number (NaN and infinity are not allowed here)"),
              std::string::npos)
        << msg;
  }
}

TEST(RulebookParamsTest, NanInTheDensityTableIsRefused) {
  const auto msg = error_of(replaced(kBook, "{waiting: 0.5}", "{waiting: .nan}"));
  EXPECT_NE(msg.find("FILE:6:19: error: occupant_density.ppm2.waiting: expected a number, found '.nan'"),
            std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, NanStaysAllowedWhereItMeansNoValue) {
  // exit_width_per_100's table: '.nan' = the table has no value (docs/rules.md).
  TempFile f(kBook + R"(  - id: c.three
    kind: exit_width_per_100
    title: three
    clause: X 3.3
    confidence: verified
    params:
      m_per_100:
        storeys_1_2: [0.65, 0.65, 0.75, 1.00]
        storey_3:    [0.75, 0.75, 1.00, .nan]
        storey_4_up: [1.00, 1.00, 1.25, .nan]
)");
  EXPECT_NO_THROW(Checker(load_rulebook(f.path())));
}

TEST(RulebookParamsTest, QuotedNumbersAndBooleansAreRefused) {
  auto msg = error_of(replaced(kBook, "min: 1}", "min: \"1\"}"));
  EXPECT_NE(msg.find("FILE:13:40: error: rules[a.one].params.min: expected a number, found the text '\"1\"' "
                     "(remove the quotes)"),
            std::string::npos)
      << msg;
  msg = error_of(kBook + R"(  - id: d.four
    kind: door_width_min
    title: four
    clause: X 4.4
    confidence: verified
    params: {doors: other, crowded_place: "false", min_m: 0.9}
)");
  EXPECT_NE(msg.find("rules[d.four].params.crowded_place: expected true or false, found the text '\"false\"' "
                     "(remove the quotes)"),
            std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, AnEmptyRuleListIsRefused) {
  // A rulebook without rules would pass every hall.
  const std::string head = kBook.substr(0, kBook.find("  - id: a.one"));
  const auto msg = error_of(replaced(head, "rules:\n", "rules: []\n"));
  EXPECT_NE(msg.find("FILE:7:8: error: rules: the list is empty; expected at least one rule"),
            std::string::npos)
      << msg;
}

TEST(RulebookParamsTest, AHugeParameterValueIsEchoedShortened) {
  const auto msg = error_of(replaced(kBook, "kind: comprehensive", "kind: " + std::string(100000, 'z')));
  EXPECT_NE(msg.find("'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz…' is not one of"), std::string::npos) << msg;
  EXPECT_LT(msg.size(), 1000u);
}

}  // namespace
}  // namespace halltwin::check
