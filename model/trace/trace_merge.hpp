#pragma once
// Several traces of one run (an evacuation's floors, each simulated on its
// own and written in time order with the same header) as one trace: the
// header of the first, then the records merged by (day, time_s), the first
// text first on ties. Used by `halltwin evac --trace` and `halltwin drill
// --trace` for buildings of several floors.
#include <string>
#include <vector>

namespace halltwin {

std::string merge_traces(const std::vector<std::string>& texts);

}  // namespace halltwin
