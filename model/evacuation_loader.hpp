#pragma once
// Internal to model/: reads the `evacuation` section of a format-3 scenario
// into Hall::evacuation, once floors, zones and doors are known; records every
// problem in `in` with file, line, column and field (nothing throws here).
#include <yaml-cpp/yaml.h>

#include "model/hall.hpp"
#include "model/yaml_input.hpp"

namespace halltwin {

// The first scenario format version that reads `evacuation` (earlier
// versions keep it reserved). One constant, so the integrator can renumber.
inline constexpr int kEvacuationFormatVersion = 3;
// The first version with evacuation part 2: doors blocked at a time, hazard
// zones, aset_s, a group's assigned exit.
inline constexpr int kEvacuationPart2FormatVersion = 5;

void read_evacuation(YamlInput& in, const YAML::Node& node, Hall& hall, int version);

}  // namespace halltwin
