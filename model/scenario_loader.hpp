#pragma once
// Loads and validates a scenario file (docs/scenario-format.md). Returns a
// complete Hall or throws InputError listing every problem with file, line,
// column, field and what was expected; nothing is half-loaded.
#include <iterator>
#include <string>
#include <string_view>

#include "model/hall.hpp"

namespace halltwin {

// The version number of the whole citizen journey (the fields marked "format 4"
// in model/operations.hpp): the one place that says which number it is.
// Version 3 is reserved for the evacuation sections, landing separately.
inline constexpr int kJourneyFormatVersion = 4;
inline constexpr int kPlatformFormatVersion = 6;
inline constexpr int kEmergenciesFormatVersion = 6;
inline constexpr int kCheckerRulesFormatVersion = 7;
inline constexpr int kAutomaticDoorFormatVersion = 8;
// evacuation.model: the motion model (cfsm or social_force; docs/evac.md).
inline constexpr int kEvacuationModelFormatVersion = 9;
inline constexpr int kCompartmentsFormatVersion = 9;
// facilities[].size and .mounting of exit signs (GB 51309-2018 spacing by sign).
inline constexpr int kSignAttributesFormatVersion = 10;

// The version written by this program; every listed version still loads.
// Version 5 adds evacuation part 2 (model/evacuation_loader.hpp).
// Version 6 adds the IT platform (model/platform_loader.hpp) and the emergency plans.
// Version 7 adds the checker's clause fields (door roles and types, full-height obstacles,
// illuminance, low counters, hazard basis, design occupancy).
// Version 8 adds automatic doors (doors[].automatic).
// Version 9 adds the evacuation's motion model (evacuation.model) and fire compartments
// per floor (floors[].compartments).
// Version 10 adds exit signs' size and mounting (facilities[].size, .mounting).
inline constexpr const char* kScenarioFormat = "halltwin-scenario/10";
inline constexpr const char* kSupportedScenarioFormats[] = {"halltwin-scenario/1", "halltwin-scenario/2",
                                                            "halltwin-scenario/3", "halltwin-scenario/4",
                                                            "halltwin-scenario/5", "halltwin-scenario/6",
                                                            "halltwin-scenario/7", "halltwin-scenario/8",
                                                            "halltwin-scenario/9", "halltwin-scenario/10"};

// The number after "halltwin-scenario/" (0 when there is none).
constexpr int scenario_format_version(std::string_view format) {
  constexpr std::string_view prefix = "halltwin-scenario/";
  if (format.substr(0, prefix.size()) != prefix || format.size() == prefix.size()) return 0;
  int v = 0;
  for (char c : format.substr(prefix.size())) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}
static_assert(scenario_format_version(kScenarioFormat) >= kJourneyFormatVersion,
              "the written format reads the whole journey");
static_assert(std::string_view(kSupportedScenarioFormats[std::size(kSupportedScenarioFormats) - 1]) ==
                  kScenarioFormat,
              "the written format is the last supported one");

Hall load_scenario(const std::string& path);

}  // namespace halltwin
