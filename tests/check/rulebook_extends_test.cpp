// Rulebooks that extend rulebooks (format halltwin-rulebook/2, issue 15): a
// jurisdiction's file overrides values and confidences rule by rule, chains
// are followed, cycles are refused, each finding names the file that set its
// value, and every clause states the edition of the code it cites.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"
#include "tests/support/check_run.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::check {
namespace {

namespace fs = std::filesystem;
using halltwin::testing::kMiniHall;
using halltwin::testing::TempFile;
using halltwin::testing::find;

// A fresh folder of rulebook files, removed at the end of the test.
class Folder {
 public:
  Folder() {
    std::string tmpl = "/tmp/halltwin-books-XXXXXX";
    if (!::mkdtemp(tmpl.data())) std::abort();
    dir_ = tmpl;
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }

 private:
  fs::path dir_;
};

const std::string kBase = R"(format: halltwin-rulebook/2
name: base
occupant_density:
  clause: GB 50016-2014 5.5.21
  confidence: partial
  ppm2: {waiting: 0.5}
rules:
  - id: a.windows
    kind: window_kind_min
    title: comprehensive windows
    clause: GB 50016-2014 1.0.1
    confidence: verified
    params: {kind: comprehensive, min: 1}
  - id: b.reach
    kind: exit_reachable
    title: reach
    clause: GB 50016-2014 5.5
    confidence: verified
    params: {min_region_m2: 0.05}
)";

std::string error_of(const std::string& path) {
  try {
    Checker c(load_rulebook(path));
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected " << path << " to be rejected";
  return {};
}

std::vector<Finding> check_mini(const Rulebook& book) {
  TempFile f(kMiniHall);
  const Hall hall = load_scenario(f.path());
  return Checker(book).run(hall);
}

TEST(RulebookExtendsTest, AnOverrideChangesOneValueAndNamesItsFile) {
  Folder d;
  const auto base = d.write("base.yaml", kBase);
  const auto child = d.write("local/child.yaml", R"(format: halltwin-rulebook/2
name: child
extends: ../base.yaml
rules:
  - id: a.windows
    clause: DB43/T 1234-2020 4.2
    confidence: partial
    params: {min: 3}
)");
  const Rulebook book = load_rulebook(child);
  ASSERT_EQ(book.rules.size(), 2u);
  EXPECT_EQ(book.chain, (std::vector<std::string>{d.write("base.yaml", kBase), child}));
  EXPECT_EQ(book.density_clause, "GB 50016-2014 5.5.21");  // inherited
  const auto fs = check_mini(book);
  const Finding& w = find(fs, "a.windows");
  // The mini hall has one comprehensive window: 1 < 3 fails under the local value.
  EXPECT_EQ(w.required, 3.0);
  EXPECT_EQ(w.measured, 1.0);
  EXPECT_EQ(w.status, Status::fail);
  EXPECT_EQ(w.confidence, Confidence::partial);
  EXPECT_EQ(w.clause, "DB43/T 1234-2020 4.2");
  EXPECT_EQ(w.rulebook_file, child);
  // `kind` came from the base: merged key by key, not replaced.
  EXPECT_EQ(find(fs, "b.reach").rulebook_file, base);
}

TEST(RulebookExtendsTest, AConfidenceOnlyOverrideKeepsTheValue) {
  Folder d;
  d.write("base.yaml", kBase);
  const auto child = d.write("child.yaml", R"(format: halltwin-rulebook/2
name: child
extends: base.yaml
rules:
  - {id: a.windows, confidence: placeholder}
)");
  const auto fs = check_mini(load_rulebook(child));
  const Finding& w = find(fs, "a.windows");
  EXPECT_EQ(w.required, 1.0);
  EXPECT_EQ(w.confidence, Confidence::placeholder);
  EXPECT_EQ(w.rulebook_file, child);
}

TEST(RulebookExtendsTest, ChainsAreFollowedAndNewRulesAppended) {
  Folder d;
  const auto a = d.write("a.yaml", kBase);
  const auto b = d.write("b.yaml", R"(format: halltwin-rulebook/2
name: b
extends: a.yaml
rules:
  - {id: a.windows, clause: GB 50016-2014 1.0.2, confidence: verified, params: {min: 2}}
)");
  const auto c = d.write("c.yaml", R"(format: halltwin-rulebook/2
name: c
extends: b.yaml
rules:
  - {id: b.reach, title: every point reaches an exit}
  - id: c.seats
    kind: seats_per_window_min
    title: seats
    clause: none found (planning value)
    confidence: placeholder
    params: {min_ratio: 1.0}
)");
  const Rulebook book = load_rulebook(c);
  EXPECT_EQ(book.chain, (std::vector<std::string>{a, b, c}));
  EXPECT_EQ(book.name, "c");
  ASSERT_EQ(book.rules.size(), 3u);
  EXPECT_EQ(book.rules[0].file, b);
  EXPECT_EQ(book.rules[1].file, c);
  EXPECT_EQ(book.rules[1].title, "every point reaches an exit");
  EXPECT_EQ(book.rules[2].id, "c.seats");
  const auto fs = check_mini(book);
  EXPECT_EQ(find(fs, "a.windows").required, 2.0);
  EXPECT_EQ(find(fs, "a.windows").rulebook_file, b);
  EXPECT_EQ(find(fs, "c.seats").rulebook_file, c);
}

TEST(RulebookExtendsTest, ACycleIsRefusedWithTheChain) {
  Folder d;
  const auto a = d.write("a.yaml", "format: halltwin-rulebook/2\nname: a\nextends: b.yaml\n");
  d.write("b.yaml", "format: halltwin-rulebook/2\nname: b\nextends: a.yaml\n");
  const auto msg = error_of(a);
  EXPECT_NE(msg.find("b.yaml:3:10: error: extends: rulebooks extend each other in a cycle: a.yaml -> b.yaml -> "
                     "a.yaml"),
            std::string::npos)
      << msg;
  const auto self = d.write("self.yaml", "format: halltwin-rulebook/2\nname: s\nextends: ./self.yaml\n");
  EXPECT_NE(error_of(self).find("cycle: self.yaml -> self.yaml"), std::string::npos) << error_of(self);
}

TEST(RulebookExtendsTest, AMissingBaseNamesTheExtendsLine) {
  Folder d;
  const auto a = d.write("a.yaml", "format: halltwin-rulebook/2\nname: a\nextends: nowhere.yaml\n");
  const auto msg = error_of(a);
  EXPECT_NE(msg.find("a.yaml:3:10: error: extends: 'nowhere.yaml' is not a rulebook file"), std::string::npos)
      << msg;
}

TEST(RulebookExtendsTest, ExtendsNeedsFormat2) {
  Folder d;
  d.write("base.yaml", kBase);
  const auto a = d.write("a.yaml", "format: halltwin-rulebook/1\nname: a\nextends: base.yaml\n");
  EXPECT_NE(error_of(a).find("a.yaml:3:10: error: extends: needs format 'halltwin-rulebook/2'"),
            std::string::npos)
      << error_of(a);
}

TEST(RulebookExtendsTest, BadOverridesAreRefusedInTheirOwnFile) {
  Folder d;
  d.write("base.yaml", kBase);
  const std::string head = "format: halltwin-rulebook/2\nname: x\nextends: base.yaml\nrules:\n";
  // A new value without its source.
  auto msg = error_of(d.write("p.yaml", head + "  - {id: a.windows, params: {min: 2}}\n"));
  EXPECT_NE(msg.find("p.yaml:5:5: error: rules[a.windows].clause: missing"), std::string::npos) << msg;
  EXPECT_NE(msg.find("must restate clause and confidence"), std::string::npos) << msg;
  // The kind cannot change.
  msg = error_of(d.write("k.yaml", head + "  - {id: a.windows, kind: exit_reachable, title: t}\n"));
  EXPECT_NE(msg.find("k.yaml:5:27: error: rules[a.windows].kind: an override cannot change the kind"),
            std::string::npos)
      << msg;
  // An unknown id without a kind is most likely a misspelt override.
  msg = error_of(d.write("u.yaml", head + "  - {id: a.window, confidence: partial}\n"));
  EXPECT_NE(msg.find("u.yaml:5:5: error: rules[a.window]: 'a.window' is not a rule of the base rulebook"),
            std::string::npos)
      << msg;
  // An override that changes nothing.
  msg = error_of(d.write("n.yaml", head + "  - {id: a.windows}\n"));
  EXPECT_NE(msg.find("the override changes nothing"), std::string::npos) << msg;
  // A wrong value in an override is reported at its own file and line, not the base's.
  msg = error_of(d.write("v.yaml", head +
                                       "  - id: a.windows\n    clause: GB 50016-2014 1.0.1\n"
                                       "    confidence: verified\n    params: {min: -4}\n"));
  EXPECT_NE(msg.find("v.yaml:8:19: error: rules[a.windows].params.min: -4 is out of range"), std::string::npos)
      << msg;
}

TEST(RulebookExtendsTest, Format2ClausesStateTheEdition) {
  EXPECT_TRUE(citations_without_edition("GB 50016-2014 5.5.17 item 4; GB/T 18883-2022").empty());
  EXPECT_TRUE(citations_without_edition("DB43/T 政务服务大厅管理规范 part 1").empty());
  EXPECT_TRUE(citations_without_edition("none found (planning value)").empty());
  EXPECT_EQ(citations_without_edition("GB 50016 5.5.17"), (std::vector<std::string>{"GB 50016"}));
  EXPECT_EQ(citations_without_edition("GB 55037-2022 over GB/T 18883"), (std::vector<std::string>{"GB/T 18883"}));
  EXPECT_EQ(citations_without_edition("DB32/T 2981 3.3.1"), (std::vector<std::string>{"DB32/T 2981"}));

  Folder d;
  std::string undated = kBase;
  undated.replace(undated.find("clause: GB 50016-2014 1.0.1"), 27, "clause: GB 50016 1.0.1");
  const auto msg = error_of(d.write("undated.yaml", undated));
  EXPECT_NE(msg.find("undated.yaml:11:13: error: rules[a.windows].clause: 'GB 50016' without an edition year"),
            std::string::npos)
      << msg;
  // Format 1 files load unchanged.
  std::string v1 = undated;
  v1.replace(v1.find("halltwin-rulebook/2"), 19, "halltwin-rulebook/1");
  EXPECT_NO_THROW(Checker(load_rulebook(d.write("v1.yaml", v1))));
}

TEST(RulebookExtendsTest, TheBundledJurisdictionRulebookExtendsTheDefault) {
  const std::string dir = std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/";
  const Rulebook def = load_rulebook(dir + "default.yaml");
  const Rulebook hunan = load_rulebook(dir + "hunan.yaml");
  ASSERT_EQ(hunan.chain.size(), 2u);
  EXPECT_EQ(hunan.rules.size(), def.rules.size());
  EXPECT_NO_THROW(Checker{hunan});
  int overridden = 0;
  for (std::size_t i = 0; i < hunan.rules.size(); ++i) {
    EXPECT_EQ(hunan.rules[i].id, def.rules[i].id);
    if (hunan.rules[i].file == dir + "hunan.yaml") ++overridden;
  }
  EXPECT_GE(overridden, 1);
}

}  // namespace
}  // namespace halltwin::check
