#include "tools/halltwin/at_time.hpp"

#include <fmt/format.h>

#include <cctype>

#include "model/input_error.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin::cli {

std::string first_day(const Hall& hall, const std::string& flag) {
  return !flag.empty() ? flag : !hall.start_date.empty() ? hall.start_date : kDefaultStart;
}

double parse_at(const std::string& at, const std::string& start) {
  auto bad = [&]() {
    return InputError(InputProblem{
        "", 0, 0, "--at", fmt::format("'{}' is not a time; expected HH:MM or YYYY-MM-DD HH:MM", at)});
  };
  std::string date = start, hm = at;
  if (at.size() == 16 && (at[10] == ' ' || at[10] == 'T')) date = at.substr(0, 10), hm = at.substr(11);
  if (hm.size() != 5 || hm[2] != ':' || !is_valid_date(date)) throw bad();
  for (int i : {0, 1, 3, 4})
    if (!std::isdigit(static_cast<unsigned char>(hm[i]))) throw bad();
  const int h = std::stoi(hm.substr(0, 2)), m = std::stoi(hm.substr(3, 2));
  if (h > 23 || m > 59) throw bad();
  int day = -1;
  for (int d = 0; d < 4000; ++d)
    if (date_of_day(start, d) == date) {
      day = d;
      break;
    }
  if (day < 0)
    throw InputError(InputProblem{
        "", 0, 0, "--at",
        fmt::format("{} is before the first simulated day {} (or years after it)", date, start)});
  return day * 86400.0 + h * 3600.0 + m * 60.0;
}

}  // namespace halltwin::cli
