#include "tools/connect/mapping.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model/yaml_input.hpp"

namespace halltwin::connect {

namespace {
constexpr std::string_view kOutcomeNames[kOutcomeCount] = {
    "served", "abandoned", "no_show", "left_before_queue", "phantom", "incomplete"};
constexpr std::string_view kFieldNames[kFieldCount] = {
    "visit_id", "date",   "entered", "ticket_issued", "called",  "service_start", "service_end",
    "left",     "window", "matter",  "priority",      "outcome", "staff"};

std::optional<double> parse_utc_offset(const std::string& s) {
  // "+08:00", "-05:30", "+8", "0"
  if (s.empty()) return std::nullopt;
  std::size_t i = 0;
  int sign = 1;
  if (s[0] == '+' || s[0] == '-') sign = s[0] == '-' ? -1 : 1, i = 1;
  int h = 0, m = 0;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && digits < 2)
    h = h * 10 + (s[i++] - '0'), ++digits;
  if (digits == 0) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != ':' || i + 3 != s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isdigit(static_cast<unsigned char>(s[i + 2])))
      return std::nullopt;
    m = (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
  }
  if (h > 14 || m > 59) return std::nullopt;
  return sign * (h * 3600.0 + m * 60.0);
}
}  // namespace

constexpr std::string_view kMappingKeys[] = {"format",           "name",
                                             "delimiter",        "columns",
                                             "date_format",      "time_format",
                                             "none_values",      "no_window_values",
                                             "outcomes",         "default_outcome",
                                             "windows",          "unknown_windows",
                                             "matters",          "unknown_matters",
                                             "date_correction",  "midnight_crossing",
                                             "max_visit_h",      "time_zone",
                                             "skew_tolerance_s", "personal_columns",
                                             "priority_values",  "follow_lag_s"};
std::span<const std::string_view> mapping_keys() { return kMappingKeys; }

std::string_view name(Outcome o) { return kOutcomeNames[static_cast<std::size_t>(o)]; }
std::optional<Outcome> parse_outcome(std::string_view s) {
  for (std::size_t i = 0; i < kOutcomeCount; ++i)
    if (kOutcomeNames[i] == s) return Outcome(i);
  return std::nullopt;
}
std::string_view name(Field f) { return kFieldNames[static_cast<std::size_t>(f)]; }

Mapping load_mapping(const std::string& path) {
  YamlInput in(path);
  const YAML::Node root = in.load_file();
  Mapping m;
  m.file = path;
  if (!in.expect_map(root, "mapping")) in.finish();
  in.check_keys(root, {"format",           "name",
                       "delimiter",        "columns",
                       "date_format",      "time_format",
                       "none_values",      "no_window_values",
                       "outcomes",         "default_outcome",
                       "windows",          "unknown_windows",
                       "matters",          "unknown_matters",
                       "date_correction",  "midnight_crossing",
                       "max_visit_h",      "time_zone",
                       "skew_tolerance_s", "personal_columns",
                       "priority_values",  "follow_lag_s"},
                "");
  if (auto f = in.string(root, "format", "format", true); f && *f != Mapping::kFormat)
    in.problem(root, "format", "format", fmt::format("'{}' is not {}", shorten(*f), Mapping::kFormat));
  m.name = in.string(root, "name", "name", false).value_or("");
  if (auto d = in.string(root, "delimiter", "delimiter", false)) {
    if (d->size() != 1 || *d == "\"" || *d == "\n" || *d == "\r")
      in.problem(root, "delimiter", "delimiter", "expected one character such as ',' ';' or a tab");
    else
      m.delimiter = (*d)[0];
  }
  const YAML::Node cols = root["columns"];
  if (!cols) {
    in.problem(root, "columns", "missing; expected a map from visit fields to column names");
  } else if (in.expect_map(cols, "columns")) {
    in.check_keys(cols,
                  {"visit_id", "date", "entered", "ticket_issued", "called", "service_start", "service_end",
                   "left", "window", "matter", "priority", "outcome", "staff"},
                  "columns");
    for (std::size_t i = 0; i < kFieldCount; ++i) {
      const std::string key(kFieldNames[i]);
      if (auto c = in.string(cols, key.c_str(), "columns", false)) m.columns[i] = *c;
    }
    auto need = [&](Field f, const char* why) {
      if (m.columns[static_cast<std::size_t>(f)].empty())
        in.problem(cols, fmt::format("columns.{}", name(f)), fmt::format("missing; {}", why));
    };
    need(Field::visit_id, "expected the column of the visit or ticket id");
    need(Field::service_start, "expected the column of the service start time");
    need(Field::service_end, "expected the column of the service end time");
    need(Field::window, "expected the column of the window or server");
    if (m.columns[std::size_t(Field::ticket_issued)].empty() &&
        m.columns[std::size_t(Field::entered)].empty())
      in.problem(cols, "columns.ticket_issued",
                 "missing; expected the ticket-issued (queue entry) time column");
  }
  if (auto s = in.string(root, "date_format", "date_format", false)) {
    if (*s == "YYYY-MM-DD")
      m.date_format = DateFormat::ymd_dash;
    else if (*s == "YYYY/MM/DD")
      m.date_format = DateFormat::ymd_slash;
    else if (*s == "DD/MM/YYYY")
      m.date_format = DateFormat::dmy_slash;
    else
      in.problem(root, "date_format", "date_format",
                 fmt::format("'{}' is not one of: YYYY-MM-DD, YYYY/MM/DD, DD/MM/YYYY", shorten(*s)));
  }
  if (auto s = in.string(root, "time_format", "time_format", false)) {
    if (*s == "H:MM:SS")
      m.time_format = TimeFormat::hms;
    else if (*s == "YYYY-MM-DD HH:MM:SS")
      m.time_format = TimeFormat::datetime;
    else
      in.problem(root, "time_format", "time_format",
                 fmt::format("'{}' is not one of: H:MM:SS, YYYY-MM-DD HH:MM:SS", shorten(*s)));
  }
  if (m.time_format == TimeFormat::hms && m.columns[std::size_t(Field::date)].empty() && cols)
    in.problem(cols, "columns.date", "missing; times written H:MM:SS need a date column");
  auto string_list = [&](const char* key, std::vector<std::string>& out) {
    const YAML::Node n = root[key];
    if (!n) return;
    if (!in.expect_sequence(n, key)) return;
    for (std::size_t i = 0; i < n.size(); ++i)
      if (auto s = in.string_value(n[i], fmt::format("{}[{}]", key, i))) out.push_back(*s);
  };
  string_list("none_values", m.none_values);
  string_list("no_window_values", m.no_window_values);
  string_list("personal_columns", m.personal_columns);
  if (const YAML::Node o = root["outcomes"]; o && in.expect_map(o, "outcomes")) {
    for (const auto& kv : o) {
      const std::string raw = kv.first.Scalar();
      if (auto v = in.string_value(kv.second, "outcomes." + raw)) {
        if (auto oc = parse_outcome(*v))
          m.outcomes[raw] = *oc;
        else
          in.problem(
              kv.second, "outcomes." + raw,
              fmt::format("'{}' is not one of: served, abandoned, no_show, left_before_queue, phantom, "
                          "incomplete",
                          shorten(*v)));
      }
    }
  }
  if (!m.columns[std::size_t(Field::outcome)].empty() && m.outcomes.empty())
    in.problem(root, "outcomes", "missing; expected a map from the outcome column's values to outcomes");
  if (auto s = in.string(root, "default_outcome", "default_outcome", false)) {
    if (auto oc = parse_outcome(*s))
      m.default_outcome = *oc;
    else
      in.problem(root, "default_outcome", "default_outcome",
                 fmt::format("'{}' is not an outcome", shorten(*s)));
  }
  auto rename = [&](const char* key, std::map<std::string, std::string>& out) {
    const YAML::Node n = root[key];
    if (!n || !in.expect_map(n, key)) return;
    for (const auto& kv : n)
      if (auto v = in.string_value(kv.second, std::string(key) + "." + kv.first.Scalar()))
        out[kv.first.Scalar()] = *v;
  };
  rename("windows", m.windows);
  rename("matters", m.matters);
  auto policy = [&](const char* key, bool& reject) {
    if (auto s = in.string(root, key, key, false)) {
      if (*s == "reject")
        reject = true;
      else if (*s != "keep")
        in.problem(root[key], key, fmt::format("'{}' is not one of: keep, reject", shorten(*s)));
    }
  };
  policy("unknown_windows", m.reject_unknown_windows);
  policy("unknown_matters", m.reject_unknown_matters);
  if (const YAML::Node dc = root["date_correction"]; dc && in.expect_map(dc, "date_correction")) {
    in.check_keys(dc, {"set_year", "add_days"}, "date_correction");
    if (auto y = in.integer(dc, "set_year", "date_correction", false, 1900, 2200))
      m.set_year = static_cast<int>(*y);
    if (auto d = in.integer(dc, "add_days", "date_correction", false, -36600, 36600))
      m.add_days = static_cast<int>(*d);
  }
  if (auto b = in.boolean(root, "midnight_crossing", "midnight_crossing", false)) m.midnight_crossing = *b;
  if (auto h = in.number(root, "max_visit_h", "max_visit_h", false, 0.1, 23.9)) m.max_visit_s = *h * 3600.0;
  if (const YAML::Node tz = root["time_zone"]; tz && in.expect_map(tz, "time_zone")) {
    in.check_keys(tz, {"log", "hall"}, "time_zone");
    std::optional<double> log, hall;
    for (auto [key, out] : {std::pair{"log", &log}, std::pair{"hall", &hall}}) {
      if (auto s = in.string(tz, key, "time_zone", true)) {
        *out = parse_utc_offset(*s);
        if (!*out)
          in.problem(tz[key], fmt::format("time_zone.{}", key),
                     fmt::format("'{}' is not a UTC offset; expected e.g. +08:00", shorten(*s)));
      }
    }
    if (log && hall) m.time_shift_s = *hall - *log;
  }
  if (auto s = in.number(root, "skew_tolerance_s", "skew_tolerance_s", false, 0, 3600))
    m.skew_tolerance_s = *s;
  if (auto s = in.number(root, "follow_lag_s", "follow_lag_s", false, 1, 86400)) m.follow_lag_s = *s;
  if (const YAML::Node pv = root["priority_values"]; pv && in.expect_sequence(pv, "priority_values")) {
    for (std::size_t i = 0; i < pv.size(); ++i)
      if (auto v = in.number_value(pv[i], fmt::format("priority_values[{}]", i), -1e9, 1e9)) {
        if (*v != std::floor(*v))
          in.problem(pv[i], fmt::format("priority_values[{}]", i), "expected an integer");
        else
          m.priority_values.push_back(static_cast<int>(*v));
      }
    if (m.columns[std::size_t(Field::priority)].empty())
      in.problem(pv, "priority_values", "given, but columns.priority names no column");
  }
  for (const auto& p : m.personal_columns)
    for (std::size_t i = 0; i < kFieldCount; ++i)
      if (m.columns[i] == p && Field(i) != Field::staff)
        in.problem(root, "personal_columns", "personal_columns",
                   fmt::format("'{}' is mapped as {}: a personal identifier is never imported", shorten(p),
                               name(Field(i))));
  in.finish();
  return m;
}

}  // namespace halltwin::connect
