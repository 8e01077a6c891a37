#pragma once
// Test support for the checker: a hall given as scenario text checked against
// the default rulebook (or another one), the finding of one rule, and the
// loader's message for a hall it refuses. One copy for every checker test.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/checker.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::testing {

inline const std::string kDefaultRulebook = std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/default.yaml";

// The default rulebook's checker, built once per test program (a Checker is
// immutable once built).
inline const check::Checker& default_checker() {
  static const check::Checker c(load_rulebook(kDefaultRulebook));
  return c;
}

// The findings of a hall given as text; cell_m 0: the checker's default raster.
inline std::vector<check::Finding> check_text(const std::string& yaml, double cell_m = 0) {
  TempFile f(yaml);
  check::CheckOptions o;
  o.cell_m = cell_m;
  return default_checker().run(load_scenario(f.path()), o);
}

// The same against the rulebook at book_path.
inline std::vector<check::Finding> check_with(const std::string& book_path, const std::string& yaml,
                                              double cell_m = 0) {
  TempFile f(yaml);
  const check::Checker checker(load_rulebook(book_path));
  check::CheckOptions o;
  o.cell_m = cell_m;
  return checker.run(load_scenario(f.path()), o);
}

// The finding of `rule`: a copy, never a reference into the temporary vector
// a check_text call returns (the sanitizer build caught that once).
inline check::Finding find(const std::vector<check::Finding>& fs, const std::string& rule) {
  for (const auto& f : fs)
    if (f.rule == rule) return f;
  throw std::runtime_error("no finding " + rule);
}

// The loader's whole message (with the temporary file's path) for a hall it must refuse.
inline std::string load_error(const std::string& yaml) {
  TempFile f(yaml);
  try {
    load_scenario(f.path());
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected the scenario to be rejected";
  return {};
}

}  // namespace halltwin::testing
