#pragma once
// Internal to model/: reads the `platform` section of a format-6 scenario
// into Hall::platform, once matters and the operations (opening hours) are
// known; records every problem in `in` with file, line, column and field.
#include <yaml-cpp/yaml.h>

#include "model/hall.hpp"
#include "model/scenario_loader.hpp"
#include "model/yaml_input.hpp"

namespace halltwin {

// The first scenario format version that reads `platform` (earlier versions
// keep it reserved) is kPlatformFormatVersion (model/scenario_loader.hpp).

void read_platform(YamlInput& in, const YAML::Node& node, Hall& hall);

}  // namespace halltwin
