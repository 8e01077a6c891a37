#pragma once
// The moment flags of `run --at` and `evac --at`: "HH:MM" on the first
// simulated day, or "YYYY-MM-DD HH:MM" / "YYYY-MM-DDTHH:MM".
#include <string>

#include "model/hall.hpp"

namespace halltwin::cli {

// A weekday far from holidays, used when neither --start nor hall.start_date
// names the first day (docs/run.md).
inline constexpr const char* kDefaultStart = "2026-01-05";

// The first simulated day: the flag, else hall.start_date, else kDefaultStart.
std::string first_day(const Hall& hall, const std::string& flag);

// Seconds since 00:00 of `start` (YYYY-MM-DD); InputError (field --at) when malformed.
double parse_at(const std::string& at, const std::string& start);

}  // namespace halltwin::cli
