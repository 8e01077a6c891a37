#include "sim/check/params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "model/text.hpp"

namespace halltwin::check {

void ParamReader::problem(const Param& at, const std::string& key, const std::string& message) {
  problems_.push_back(InputProblem{at.file.empty() ? file_ : at.file, at.loc.line, at.loc.column,
                                   fmt::format("rules[{}].params.{}", shorten(rule_.id), key), message});
}

const Param* ParamReader::map(const char* key) {
  const Param* p = rule_.params.find(key);
  if (!p) {
    problem(rule_.params, key, "missing; expected a map");
    return nullptr;
  }
  if (p->type != Param::Type::map) {
    problem(*p, key, "expected a map");
    return nullptr;
  }
  return p;
}

const Param* ParamReader::optional_map(const char* key) {
  const Param* p = rule_.params.find(key);
  if (p && p->type != Param::Type::map) {
    problem(*p, key, "expected a map");
    return nullptr;
  }
  return p;
}

namespace {
bool is_nan_marker(const std::string& s) { return s == ".nan" || s == ".NaN" || s == ".NAN"; }
}  // namespace

double ParamReader::to_number(const Param& p, const std::string& key, double min, double max,
                              bool allow_nan) {
  if (p.type != Param::Type::scalar) {
    problem(p, key, "expected a number");
    return 0.0;
  }
  if (p.quoted) {
    problem(p, key,
            fmt::format("expected a number, found the text '\"{}\"' (remove the quotes)", shorten(p.scalar)));
    return 0.0;
  }
  // `.nan` means "the table has no value" only where a kind says so (exit_width_per_100's
  // table); anywhere else it would slip through every range check (NaN < min is false).
  if (allow_nan && is_nan_marker(p.scalar)) return std::nan("");
  char* end = nullptr;
  const double v = std::strtod(p.scalar.c_str(), &end);
  if (is_nan_marker(p.scalar) || end == p.scalar.c_str() || *end != '\0' || !std::isfinite(v)) {
    problem(p, key,
            fmt::format("'{}' is not a number (NaN and infinity are not allowed here)", shorten(p.scalar)));
    return 0.0;
  }
  if (v < min || v > max) {
    problem(p, key, fmt::format("{} is out of range; expected {} to {}", shorten(p.scalar), min, max));
    return 0.0;
  }
  return v;
}

void ParamReader::check_names(std::span<const std::string_view> allowed) {
  check_names_in(rule_.params, "", allowed);
}

void ParamReader::check_names_in(const Param& map, const std::string& key,
                                 std::initializer_list<std::string_view> allowed) {
  check_names_in(map, key, std::span<const std::string_view>(allowed.begin(), allowed.size()));
}

void ParamReader::check_names_in(const Param& map, const std::string& key,
                                 std::span<const std::string_view> allowed) {
  if (map.type != Param::Type::map) return;
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  for (const auto& [k, v] : map.entries) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string msg = fmt::format("unknown parameter '{}' for kind {}", shorten(k), rule_.kind);
    if (auto best = closest_name(k, allowed); !best.empty())
      msg += fmt::format(" (did you mean '{}'?)", best);
    msg += "; allowed parameters: " + (list.empty() ? std::string("none") : list);
    problems_.push_back(InputProblem{
        v.file.empty() ? file_ : v.file, v.loc.line, v.loc.column,
        fmt::format("rules[{}].params{}{}", shorten(rule_.id), key.empty() ? "" : ".", key), msg});
  }
}

double ParamReader::number_in(const Param& map, const char* key, double min, double max) {
  const Param* p = map.find(key);
  if (!p) {
    problem(map, key, fmt::format("missing; expected a number from {} to {}", min, max));
    return 0.0;
  }
  return to_number(*p, key, min, max);
}

double ParamReader::number_or(const char* key, double fallback, double min, double max) {
  const Param* p = rule_.params.find(key);
  return p ? to_number(*p, key, min, max) : fallback;
}

bool ParamReader::boolean_or(const char* key, bool fallback) {
  const Param* p = rule_.params.find(key);
  if (!p) return fallback;
  if (p->type == Param::Type::scalar && !p->quoted && (p->scalar == "true" || p->scalar == "false"))
    return p->scalar == "true";
  if (p->type == Param::Type::scalar && p->quoted)
    problem(*p, key,
            fmt::format("expected true or false, found the text '\"{}\"' (remove the quotes)",
                        shorten(p->scalar)));
  else
    problem(*p, key, "expected true or false");
  return fallback;
}

std::string ParamReader::text(const char* key, std::initializer_list<const char*> allowed) {
  const Param* p = rule_.params.find(key);
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  if (!p) {
    problem(rule_.params, key, "missing; expected one of: " + list);
    return {};
  }
  if (p->type == Param::Type::scalar)
    for (auto a : allowed)
      if (p->scalar == a) return p->scalar;
  problem(*p, key, fmt::format("'{}' is not one of: {}", shorten(p->scalar), list));
  return {};
}

std::vector<double> ParamReader::number_list_or(const char* key, double min, double max) {
  std::vector<double> out;
  const Param* p = rule_.params.find(key);
  if (!p) return out;
  if (p->type != Param::Type::list) {
    problem(*p, key, "expected a list of numbers");
    return out;
  }
  for (const auto& item : p->items) out.push_back(to_number(item, key, min, max));
  return out;
}

std::vector<double> ParamReader::numbers_in(const Param& map, const char* key, std::size_t count) {
  const Param* p = map.find(key);
  if (!p || p->type != Param::Type::list || p->items.size() != count) {
    problem(p ? *p : map, key, fmt::format("expected a list of {} numbers", count));
    return std::vector<double>(count, std::nan(""));
  }
  std::vector<double> out;
  for (const auto& item : p->items) out.push_back(to_number(item, key, 0.0, 1e9, /*allow_nan=*/true));
  return out;
}

}  // namespace halltwin::check
