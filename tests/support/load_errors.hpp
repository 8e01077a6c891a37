#pragma once
// Test support for the loaders' messages: load a text as a file and get the
// whole InputError message with the temporary path replaced by "FILE", so
// tests can assert "FILE:12:5: error: field: ...".
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "model/hall.hpp"
#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::testing {

// Runs load(path) on `text` written to a temporary file, expecting an InputError.
template <class Load>
std::string error_of(const std::string& text, Load load) {
  TempFile f(text);
  try {
    load(f.path());
  } catch (const InputError& e) {
    std::string msg = e.what();
    for (auto pos = msg.find(f.path()); pos != std::string::npos; pos = msg.find(f.path()))
      msg.replace(pos, f.path().size(), "FILE");
    return msg;
  }
  ADD_FAILURE() << "expected an InputError";
  return {};
}

inline std::string scenario_error(const std::string& text) {
  return error_of(text, [](const std::string& p) { load_scenario(p); });
}

inline Hall scenario_of(const std::string& text) {
  TempFile f(text);
  return load_scenario(f.path());
}

// The 1-based line of the first occurrence of `needle` (which must occur).
inline int line_of(const std::string& text, const std::string& needle) {
  const auto pos = text.find(needle);
  if (pos == std::string::npos) std::abort();
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

// Expects a scenario error at the line of `needle` whose message line contains `what`.
inline void expect_scenario_error(const std::string& text, const std::string& needle,
                                  const std::string& what) {
  const auto msg = scenario_error(text);
  const std::string where = "FILE:" + std::to_string(line_of(text, needle)) + ":";
  bool found = false;
  for (std::size_t pos = msg.find(where); pos != std::string::npos; pos = msg.find(where, pos + 1)) {
    const auto eol = msg.find('\n', pos);
    if (msg.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos).find(what) !=
        std::string::npos)
      found = true;
  }
  EXPECT_TRUE(found) << "wanted " << where << " ... " << what << "\ngot:\n" << msg;
}

}  // namespace halltwin::testing
