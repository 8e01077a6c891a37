#pragma once
// Loads and validates a scenario file (docs/scenario-format.md). Returns a
// complete Hall or throws InputError listing every problem with file, line,
// column, field and what was expected; nothing is half-loaded.
#include <string>

#include "model/hall.hpp"

namespace halltwin {

// The version written by this program; every listed version still loads.
inline constexpr const char* kScenarioFormat = "halltwin-scenario/3";
inline constexpr const char* kSupportedScenarioFormats[] = {"halltwin-scenario/1", "halltwin-scenario/2",
                                                            "halltwin-scenario/3"};

Hall load_scenario(const std::string& path);

}  // namespace halltwin
