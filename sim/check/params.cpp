#include "sim/check/params.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace halltwin::check {

void ParamReader::problem(const Param& at, const std::string& key, const std::string& message) {
  problems_.push_back(InputProblem{file_, at.loc.line, at.loc.column,
                                   fmt::format("rules[{}].params.{}", rule_.id, key), message});
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

double ParamReader::to_number(const Param& p, const std::string& key, double min, double max) {
  if (p.type != Param::Type::scalar) {
    problem(p, key, "expected a number");
    return 0.0;
  }
  if (p.scalar == ".nan" || p.scalar == ".NaN") return std::nan("");  // "not allowed" entries of a table
  char* end = nullptr;
  const double v = std::strtod(p.scalar.c_str(), &end);
  if (end == p.scalar.c_str() || *end != '\0' || !std::isfinite(v)) {
    problem(p, key, fmt::format("'{}' is not a number", p.scalar));
    return 0.0;
  }
  if (v < min || v > max) {
    problem(p, key, fmt::format("{} is out of range; expected {} to {}", p.scalar, min, max));
    return 0.0;
  }
  return v;
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
  if (p->type == Param::Type::scalar && (p->scalar == "true" || p->scalar == "false"))
    return p->scalar == "true";
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
  problem(*p, key, fmt::format("'{}' is not one of: {}", p->scalar, list));
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
  for (const auto& item : p->items) out.push_back(to_number(item, key, 0.0, 1e9));
  return out;
}

}  // namespace halltwin::check
