// Hostile but fair files (issue 5): every YAML file halltwin reads goes
// through model/yaml_safe_load, which refuses alias cycles, alias bombs,
// too-deep nesting, invalid UTF-8, CR-only line endings, a second document and
// duplicate keys with file and line; quoted numbers and booleans are refused;
// echoed values are shortened and the problems listed are capped. Each test
// is a regression test for one case of the issue. The bomb tests must stay
// fast and small: they also run under AddressSanitizer.
#include <gtest/gtest.h>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/text.hpp"
#include "tests/support/load_errors.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

using testing::error_of;

using testing::kMiniHall;
using testing::replaced;
using testing::TempFile;

// The message of the InputError thrown by `load` on `text`, the temp path replaced by "FILE".
std::string scenario_error(const std::string& text) {
  return error_of(text, [](const std::string& p) { load_scenario(p); });
}
std::string rulebook_error(const std::string& text) {
  return error_of(text, [](const std::string& p) { load_rulebook(p); });
}

const std::string kSmallRulebook = R"(format: halltwin-rulebook/1
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

// "Billion laughs": ten levels of ten aliases each, 10^10 nodes when expanded.
std::string alias_bomb(const std::string& first_key) {
  std::string out = first_key + ": &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    out += "x" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) out += (k ? ", *a" : "*a") + std::to_string(i - 1);
    out += "]\n";
  }
  return out;
}

TEST(YamlHardeningTest, AliasCycleInAScenarioIsAnInputErrorWithLine) {
  const auto msg = scenario_error(replaced(
      kMiniHall, "matters:\n  - {id: M1, name: 社保参保登记, department: 人社局}", "matters: &m [*m]"));
  EXPECT_NE(msg.find("FILE:10:10: error: an alias refers to a node that contains it (an alias cycle)"),
            std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, AliasCycleInARulebookParameterIsAnInputErrorWithLine) {
  // Used to recurse endlessly while converting the parameters.
  const auto msg = rulebook_error(replaced(kSmallRulebook, "min: 1}", "min: 1, loop: &a [*a]}"));
  EXPECT_NE(msg.find("FILE:13:49: error: an alias refers to a node that contains it (an alias cycle)"),
            std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, AliasBombInARulebookIsRefusedQuickly) {
  const auto msg = rulebook_error(kSmallRulebook + alias_bomb("bomb"));
  EXPECT_NE(msg.find("expands to more than 1000000 nodes through its aliases (an alias bomb?)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("FILE:1"), std::string::npos) << msg;
}

TEST(YamlHardeningTest, AliasBombInAScenarioIsRefusedQuickly) {
  const auto msg = scenario_error(kMiniHall + alias_bomb("bomb"));
  EXPECT_NE(msg.find("expands to more than 1000000 nodes through its aliases (an alias bomb?)"),
            std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, AHugeScalarRepeatedThroughAliasesGivesShortMessages) {
  // 1 MB of text, used 20 times where a matter (a map) is expected: 20 problems, each
  // echoing the value. The message must stay small.
  std::string text = replaced(kMiniHall, "matters:\n  - {id: M1, name: 社保参保登记, department: 人社局}",
                              "big: &big " + std::string(1 << 20, 'x') + "\nmatters: [*big");
  text = replaced(
      text, "[*big", "[*big" + [] {
        std::string s;
        for (int i = 0; i < 19; ++i) s += ", *big";
        return s + "]";
      }());
  const auto msg = scenario_error(text);
  EXPECT_LT(msg.size(), 5000u);
  EXPECT_NE(msg.find("found 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'"), std::string::npos)
      << msg.substr(0, 2000);
}

TEST(YamlHardeningTest, AHugeScalarRepeatedManyTimesIsRefusedAsABomb) {
  // 1 MB repeated 200 times would be 200 MB of text in memory and in messages.
  std::string refs;
  for (int i = 0; i < 200; ++i) refs += i ? ", *big" : "*big";
  const auto msg =
      scenario_error(replaced(kMiniHall, "matters:\n  - {id: M1, name: 社保参保登记, department: 人社局}",
                              "big: &big " + std::string(1 << 20, 'x') + "\nmatters: [" + refs + "]"));
  EXPECT_NE(msg.find("FILE:10:6: error: "), std::string::npos) << msg;
  EXPECT_NE(msg.find("text expands to more than 33 MiB through its aliases (an alias bomb?)"),
            std::string::npos)
      << msg;
  EXPECT_LT(msg.size(), 500u);
}

TEST(YamlHardeningTest, ProblemsAreCappedAtAHundred) {
  std::vector<InputProblem> problems(250, InputProblem{"f.yaml", 1, 1, "x", "wrong"});
  const InputError e(problems);
  const std::string msg = e.what();
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n'), 100);  // 100 problems, then the count
  EXPECT_TRUE(msg.ends_with("\n… and 150 more problems")) << msg.substr(msg.size() - 100);
  EXPECT_EQ(e.problems().size(), 250u);
}

TEST(YamlHardeningTest, ShortenCutsOnACharacterBoundary) {
  EXPECT_EQ(shorten("short"), "short");
  const std::string chinese = "政务服务大厅政务服务大厅政务服务大厅政务服务大厅";  // 3 bytes a character
  const std::string s = shorten(chinese, 10);
  EXPECT_EQ(s, "政务服…");
  EXPECT_TRUE(is_valid_utf8(s));
}

TEST(YamlHardeningTest, NonUtf8BytesAreRefusedWithLineAndColumn) {
  // "测试" in GBK, as a legacy export would write it.
  const auto msg = scenario_error(replaced(kMiniHall, "name: 测试大厅", "name: \xB2\xE2\xCA\xD4"));
  EXPECT_NE(msg.find("FILE:3:9: error: not valid UTF-8 (byte 0xB2); a file exported in GBK"),
            std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, NonUtf8RulebookIsRefused) {
  const auto msg = rulebook_error(replaced(kSmallRulebook, "name: test", "name: \xB2\xE2"));
  EXPECT_NE(msg.find("FILE:2:7: error: not valid UTF-8"), std::string::npos) << msg;
}

TEST(YamlHardeningTest, CrOnlyLineEndingsAreNamedPlainly) {
  std::string text = kMiniHall;
  for (auto& c : text)
    if (c == '\n') c = '\r';
  const auto msg = scenario_error(text);
  EXPECT_NE(msg.find("FILE:1:28: error: a line ends with a lone carriage return (CR-only line endings"),
            std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, CrlfLineEndingsAreFine) {
  std::string text;
  for (char c : kMiniHall) text += c == '\n' ? std::string("\r\n") : std::string(1, c);
  TempFile f(text);
  EXPECT_EQ(load_scenario(f.path()).name, "测试大厅");
}

TEST(YamlHardeningTest, ASecondDocumentIsRefusedNamingItsLine) {
  const auto msg = scenario_error(kMiniHall + "---\nformat: halltwin-scenario/1\n");
  EXPECT_NE(msg.find("FILE:38:1: error: a second YAML document (after '---')"), std::string::npos) << msg;
}

TEST(YamlHardeningTest, AnEmptySecondDocumentIsRefusedToo) {
  const auto msg = rulebook_error(kSmallRulebook + "---\n");
  EXPECT_NE(msg.find("FILE:14:1: error: a second YAML document"), std::string::npos) << msg;
}

TEST(YamlHardeningTest, QuotedNumbersAndBooleansAreText) {
  const auto msg = scenario_error(
      replaced(replaced(replaced(kMiniHall, "population_served: 3000", "population_served: \"3000\""),
                        "sprinklered: false", "sprinklered: \"false\""),
               "fresh_air_m3h: 2000", "fresh_air_m3h: '2000'"));
  EXPECT_NE(
      msg.find("FILE:5:22: error: hall.population_served: expected an integer, found the text '\"3000\"' "
               "(remove the quotes)"),
      std::string::npos)
      << msg;
  EXPECT_NE(msg.find("FILE:8:16: error: hall.sprinklered: expected true or false, found the text '\"false\"' "
                     "(remove the quotes)"),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("FILE:9:18: error: hall.fresh_air_m3h: expected a number, found the text '\"2000\"' "
                     "(remove the quotes)"),
            std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, QuotedPointCoordinatesAreRefused) {
  const auto msg = scenario_error(replaced(kMiniHall, "position: [4, 5.3]", "position: [\"4\", 5.3]"));
  EXPECT_NE(msg.find("expected a number, found the text '\"4\"' (remove the quotes)"), std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, TooDeepNestingIsNamedPlainly) {
  const auto msg =
      scenario_error(kMiniHall + "deep: " + std::string(100, '[') + std::string(100, ']') + "\n");
  EXPECT_NE(msg.find("error: nested deeper than 64 levels"), std::string::npos) << msg;
  EXPECT_NE(msg.find("FILE:38:"), std::string::npos) << msg;
}

TEST(YamlHardeningTest, DuplicateKeysAreRefusedInEveryMap) {
  // Inside a list item, where no loader looked before.
  const auto msg = scenario_error(
      replaced(kMiniHall, "{id: D1, kind: entrance_exit,", "{id: D1, kind: exit, kind: entrance_exit,"));
  EXPECT_NE(msg.find("FILE:21:30: error: floors[0].doors[0]: key 'kind' appears twice in the same map"),
            std::string::npos)
      << msg;
}

TEST(YamlHardeningTest, AnUnreadableFileNamesTheReason) {
  const auto msg = error_of("", [](const std::string&) { load_scenario("/nonexistent/dir/hall.yaml"); });
  EXPECT_EQ(msg,
            "/nonexistent/dir/hall.yaml: error: cannot open file for reading: No such file or directory");
}

TEST(YamlHardeningTest, ALegitimateAliasIsStillFine) {
  TempFile f(replaced(
      kMiniHall, "rating: 2A}\n      - {id: E2, type: extinguisher, position: [11.8, 7.8], rating: 2A}",
      "rating: &r 2A}\n      - {id: E2, type: extinguisher, position: [11.8, 7.8], rating: *r}"));
  EXPECT_EQ(load_scenario(f.path()).facilities.size(), 5u);
}

// Found by tests/fuzz/ (docs/fuzzing.md): a stray ',' made yaml-cpp 0.7's LoadAll return one
// empty document after another without consuming it (jbeder/yaml-cpp#1040), so every reader
// looped forever, allocating. Each of these must now be an InputError, at once.
TEST(YamlHardeningTest, AStrayCommaIsAnInputErrorNotAHang) {
  for (const std::string text : {",", ",\n", "\n,\n", "---\n,\n", "a: 1\n---\n,\n", "...\n,"}) {
    EXPECT_NE(scenario_error(text), "") << "scenario: '" << text << "'";
    EXPECT_NE(rulebook_error(text), "") << "rulebook: '" << text << "'";
  }
  // The second document's line is still named when a real one follows.
  const auto msg = scenario_error(kMiniHall + "---\n,\n");
  EXPECT_NE(msg.find("FILE:38:1: error: a second YAML document"), std::string::npos) << msg;
}

// Fuzzing finding 3 (tests/fuzz/regressions/scenario/floor-without-storey.yaml):
// a second floor without its storey took the default storey, clashed with the
// first floor, and the clash was reported at the missing key: yaml-cpp's
// Mark() on a key that is not there throws InvalidNode, which escaped the
// loader. The missing storey is now the one problem, at the floor's line, and
// a problem at a missing key is put at its map's line.
TEST(YamlHardeningTest, AFloorWithoutItsStoreyIsReportedNotThrown) {
  const std::string text = R"(format: halltwin-scenario/5
hall: {name: t, level: village}
floors:
  - id: F1
    storey: 1
    boundary: [[0, 0], [10, 0], [10, 10], [0, 10]]
  - id: F2
    storeygroups: 2
    boundary: [[0, 0], [10, 0], [10, 10], [0, 10]]
)";
  const auto msg = scenario_error(text);
  EXPECT_NE(msg.find("FILE:7:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("storey"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("already used"), std::string::npos) << msg;
}

}  // namespace
}  // namespace halltwin
