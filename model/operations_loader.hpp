#pragma once
// Internal to model/: reads the operations sections of a version-2 scenario
// (`services`, `demand`, `roster`, `targets`, `walking`) into
// Hall::operations. Called by the scenario loader once floors, windows,
// stairs and matters are known; records every problem in `in` (nothing
// throws here) and legal-but-odd findings in Hall::operations.warnings.
#include <yaml-cpp/yaml.h>

#include "model/hall.hpp"
#include "model/yaml_input.hpp"

namespace halltwin {

// The top-level keys read here.
inline constexpr const char* kOperationsSections[] = {"services", "demand", "roster", "targets", "walking"};

void read_operations(YamlInput& in, const YAML::Node& root, Hall& hall);

}  // namespace halltwin
