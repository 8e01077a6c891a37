#pragma once
// Internal to model/: reads the operations sections of a version-2 or later
// scenario (`services`, `demand`, `roster`, `targets`, `walking`) into
// Hall::operations. Called by the scenario loader once floors, windows,
// stairs and matters are known; records every problem in `in` (nothing
// throws here) and legal-but-odd findings in Hall::operations.warnings.
// `format_version` is the file's version: the journey fields (format 4,
// kJourneyFormatVersion) are errors naming that version in earlier files.
#include <yaml-cpp/yaml.h>

#include "model/hall.hpp"
#include "model/yaml_input.hpp"

namespace halltwin {

// The top-level keys read here.
inline constexpr const char* kOperationsSections[] = {"services", "demand", "roster", "targets", "walking"};

void read_operations(YamlInput& in, const YAML::Node& root, Hall& hall, int format_version);

}  // namespace halltwin
