#include "model/trace/trace_header.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>

#include "model/trace/trace_event.hpp"

namespace halltwin {

namespace {

std::optional<std::chrono::year_month_day> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t len) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

bool is_valid_date(std::string_view date) { return parse_date(date).has_value(); }

std::string date_of_day(std::string_view start_date, int day) {
  auto ymd = parse_date(start_date);
  if (!ymd) return {};
  std::chrono::year_month_day d{std::chrono::sys_days{*ymd} + std::chrono::days{day}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

std::optional<HeaderProblem> check_header(const TraceHeader& h) {
  for (auto [key, text] : {std::pair{std::string_view{"scenario"}, &h.scenario},
                           std::pair{std::string_view{"scenario_file"}, &h.scenario_file},
                           std::pair{std::string_view{"source"}, &h.source}})
    if (!is_valid_utf8(*text)) return HeaderProblem{key, "not valid UTF-8 text"};
  if (h.source.empty())
    return HeaderProblem{"source", "required (the producer, e.g. \"halltwin run\"), but empty"};
  if (h.replication && *h.replication < 1)
    return HeaderProblem{"replication", fmt::format("expected an integer >= 1, got {}", *h.replication)};
  if (!h.start_date.empty() && !is_valid_date(h.start_date))
    return HeaderProblem{"start_date", fmt::format("expected a date YYYY-MM-DD, got \"{}\"", h.start_date)};
  if (h.sample_interval_s) {
    double s = *h.sample_interval_s;
    if (!std::isfinite(s) || s < 0.001 || s > kSecondsPerDay)
      return HeaderProblem{"sample_interval_s",
                           fmt::format("expected seconds between 0.001 and 86400, got {}", s)};
  }
  return std::nullopt;
}

}  // namespace halltwin
