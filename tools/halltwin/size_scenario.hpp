#pragma once
// `halltwin size --out`: the scenario file with its roster's shifts and staff
// replaced by a sized plan (sim/size/staffing.hpp), everything else as the
// file has it. The text loads with the scenario loader (its roster rules
// included) and `halltwin run` accepts it; comments of the source are lost
// (the file goes through yaml-cpp).
#include <string>

#include "model/hall.hpp"
#include "sim/size/staffing.hpp"

namespace halltwin::cli {

// `staffed`: size::staffed_hall(hall, plan), whose roster is written.
std::string size_scenario_text(const Hall& source, const Hall& staffed, const size::SizingResult& result,
                               const std::string& command_line);

}  // namespace halltwin::cli
