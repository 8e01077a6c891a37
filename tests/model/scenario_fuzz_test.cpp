// Robustness: mutated scenario files (lines dropped, duplicated or swapped,
// characters replaced) either load or are rejected with an InputError; nothing
// else escapes, nothing crashes (run under ASan/UBSan in CI). Halls that still
// load are checked too. Deterministic: a fixed seed per file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"
#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string mutate(const std::vector<std::string>& lines, std::mt19937& rng) {
  std::vector<std::string> l = lines;
  std::uniform_int_distribution<int> kind(0, 5);
  const int n = 1 + static_cast<int>(rng() % 3);
  static const char kChars[] = "-:[]{},'\"#&*!|>0123456789.eE aZ\t";
  for (int m = 0; m < n && !l.empty(); ++m) {
    const std::size_t i = rng() % l.size();
    switch (kind(rng)) {
      case 0:
        l.erase(l.begin() + static_cast<long>(i));
        break;
      case 1:
        l.insert(l.begin() + static_cast<long>(i), l[i]);
        break;
      case 2:
        std::swap(l[i], l[rng() % l.size()]);
        break;
      case 3:
        if (!l[i].empty()) l[i][rng() % l[i].size()] = kChars[rng() % (sizeof(kChars) - 1)];
        break;
      case 4:
        if (!l[i].empty()) l[i].erase(rng() % l[i].size(), 1 + rng() % 4);
        break;
      default: {
        // Replace a number with an extreme one.
        static const char* kNums[] = {
            "-1", "0", "1e300", "-1e300", "nan", ".inf", "99999999999999999999", "0.0000001"};
        auto pos = l[i].find_first_of("0123456789");
        if (pos != std::string::npos) l[i].replace(pos, 1, kNums[rng() % 8]);
      }
    }
  }
  std::string out;
  for (const auto& s : l) out += s + "\n";
  return out;
}

void fuzz(const std::string& base, unsigned seed, int rounds, int* loaded, int* rejected) {
  const check::Checker checker(
      load_rulebook(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/default.yaml"));
  std::mt19937 rng(seed);
  const auto lines = lines_of(base);
  for (int r = 0; r < rounds; ++r) {
    const std::string text = mutate(lines, rng);
    testing::TempFile f(text);
    try {
      const Hall hall = load_scenario(f.path());
      ++*loaded;
      check::CheckOptions o;
      o.cell_m = 0.25;  // coarse: this test is about robustness, not accuracy
      try {
        (void)checker.run(hall, o);
      } catch (const InputError&) {
        // e.g. a raster too large for a mutated 1e300 m floor: a clean refusal
      }
    } catch (const InputError& e) {
      ++*rejected;
      EXPECT_NE(std::string(e.what()).find(f.path()), std::string::npos)
          << "message without the file name: " << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "round " << r << ": unexpected " << typeid(e).name() << ": " << e.what()
                    << "\n--- input ---\n"
                    << text;
    }
  }
}

TEST(ScenarioFuzzTest, MutatedMiniHallLoadsOrIsRejectedCleanly) {
  int loaded = 0, rejected = 0;
  fuzz(testing::kMiniHall, 20261126, 400, &loaded, &rejected);
  EXPECT_EQ(loaded + rejected, 400);
  EXPECT_GT(rejected, 100);  // most mutations break something
  EXPECT_GT(loaded, 10);     // some are harmless (a duplicated seat row is a duplicate id, a comment is fine)
}

TEST(ScenarioFuzzTest, MutatedVillageLoadsOrIsRejectedCleanly) {
  std::ifstream in(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/village.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  int loaded = 0, rejected = 0;
  fuzz(ss.str(), 7, 150, &loaded, &rejected);
  EXPECT_EQ(loaded + rejected, 150);
}

}  // namespace
}  // namespace halltwin
