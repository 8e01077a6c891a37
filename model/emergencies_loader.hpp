#pragma once
// Internal to model/: reads the `emergencies` section of a format-6 scenario
// into Hall::emergencies, once floors, doors, zones, windows, operations and
// the evacuation section are known; records every problem in `in` with file,
// line, column and field (nothing throws here).
#include <yaml-cpp/yaml.h>

#include "model/hall.hpp"
#include "model/yaml_input.hpp"

namespace halltwin {

// Spellings of the section's enumerations (docs/drill.md).
std::string_view name(EmergencyKind k);
std::string_view name(PromiseKind k);
std::string_view name(FallbackMode m);

void read_emergencies(YamlInput& in, const YAML::Node& node, Hall& hall, int version);

}  // namespace halltwin
