#include "model/yaml_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_set>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/thin_parts.hpp"
#include "model/geometry/vertex_cleanup.hpp"
#include "model/text.hpp"
#include "model/yaml_safe_load.hpp"

namespace halltwin {

namespace {
std::string point_text(Vec2 p) { return fmt::format("({:.3f}, {:.3f})", p.x, p.y); }

std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Scalar:
      if (n.Tag() == "!") return "the text '\"" + shorten(n.Scalar()) + "\"'";
      return "'" + shorten(n.Scalar()) + "'";
    default:
      return "an undefined value";
  }
}

// In yaml-cpp a quoted scalar has the tag "!" ("?" when plain): "12" and "false"
// are text, and a number or a boolean written in quotes is a mistake to name.
bool quoted(const YAML::Node& n) { return n.IsScalar() && n.Tag() == "!"; }
}  // namespace

std::string allowed_list(std::span<const std::string_view> names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

YAML::Node YamlInput::load_file() const { return load_yaml_file(file_); }

SourceLoc YamlInput::loc(const YAML::Node& node) {
  if (!node.IsDefined()) return {};
  const auto m = node.Mark();
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

void YamlInput::problem(const YAML::Node& at, std::string field, std::string message) {
  problem(loc(at), std::move(field), std::move(message));
}

void YamlInput::problem(const YAML::Node& map, const char* key, std::string field, std::string message) {
  if (map.IsMap())
    if (const YAML::Node at = map[key]; at.IsDefined()) return problem(at, std::move(field), std::move(message));
  problem(map, std::move(field), std::move(message));
}

void YamlInput::problem(SourceLoc at, std::string field, std::string message) {
  problems_.push_back(InputProblem{file_, at.line, at.column, std::move(field), std::move(message)});
}

void YamlInput::finish() const {
  if (problems_.empty()) return;
  auto sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const InputProblem& a, const InputProblem& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  throw InputError(std::move(sorted));
}

bool YamlInput::expect_map(const YAML::Node& node, const std::string& field) {
  if (node.IsMap()) return true;
  problem(node, field, "expected a map (key: value pairs), found " + describe(node));
  return false;
}

bool YamlInput::expect_sequence(const YAML::Node& node, const std::string& field) {
  if (node.IsSequence()) return true;
  problem(node, field, "expected a list, found " + describe(node));
  return false;
}

void YamlInput::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                           const std::string& field) {
  if (!map.IsMap()) return;
  // Hashed, not a linear search: a hostile map of 300,000 keys took a minute
  // when every key was compared with every earlier one (issue 17).
  std::unordered_set<std::string> seen;
  seen.reserve(map.size());
  const std::unordered_set<std::string_view> allowed_set(allowed.begin(), allowed.end());
  constexpr std::size_t kMaxListedUnknown = kMaxProblemsShown - 1;
  std::size_t unknown = 0;
  SourceLoc first_unlisted;
  std::string list;  // the allowed keys, spelled once
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    // YAML forbids repeated keys but yaml-cpp keeps both silently: the second would be ignored.
    if (!seen.insert(key).second) {
      problem(kv.first, field, fmt::format("key '{}' appears twice in the same map", shorten(key)));
      continue;
    }
    if (allowed_set.count(key) != 0) continue;
    // Past the first kMaxListedUnknown unknown keys of one map, only count
    // them: spelling hints and messages for 300,000 keys took seconds and
    // hundreds of MB, and nobody reads past the first hundred. The count is
    // the last problem of the map, still within the kMaxProblemsShown listed.
    if (++unknown > kMaxListedUnknown) {
      if (unknown == kMaxListedUnknown + 1) first_unlisted = loc(kv.first);
      continue;
    }
    const std::string_view best =
        closest_name(key, std::span<const std::string_view>(allowed.begin(), allowed.size()));
    std::string msg = fmt::format("unknown key '{}'", shorten(key));
    if (!best.empty()) msg += fmt::format(" (did you mean '{}'?)", best);
    if (list.empty())
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    msg += "; allowed keys: " + list;
    problem(kv.first, field, msg);
  }
  if (unknown > kMaxListedUnknown)
    problem(first_unlisted, field,
            fmt::format("{} more unknown keys in this map from here on (not listed one by one)",
                        unknown - kMaxListedUnknown));
}

std::optional<std::string> YamlInput::string_value(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar()) {
    problem(node, field, "expected a text value, found " + describe(node));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::string> YamlInput::string(const YAML::Node& map, const char* key, const std::string& field,
                                             bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required) problem(map, field + "." + key, "missing; expected a text value");
    return std::nullopt;
  }
  auto s = string_value(n, field + "." + key);
  if (s && required && s->empty()) {
    problem(n, field + "." + key, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<double> YamlInput::number_value(const YAML::Node& node, const std::string& field, double min,
                                              double max) {
  double v = 0;
  if (quoted(node)) {
    problem(node, field, "expected a number, found " + describe(node) + " (remove the quotes)");
    return std::nullopt;
  }
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, v) || !std::isfinite(v)) {
    problem(node, field, "expected a number, found " + describe(node));
    return std::nullopt;
  }
  if (v < min || v > max) {
    problem(node, field,
            fmt::format("{} is out of range; expected {} to {}", shorten(node.Scalar()), min, max));
    return std::nullopt;
  }
  return v;
}

std::optional<double> YamlInput::number(const YAML::Node& map, const char* key, const std::string& field,
                                        bool required, double min, double max) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required)
      problem(map, field + "." + key, fmt::format("missing; expected a number from {} to {}", min, max));
    return std::nullopt;
  }
  return number_value(n, field + "." + key, min, max);
}

std::optional<long long> YamlInput::integer(const YAML::Node& map, const char* key, const std::string& field,
                                            bool required, long long min, long long max) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required)
      problem(map, field + "." + key, fmt::format("missing; expected an integer from {} to {}", min, max));
    return std::nullopt;
  }
  long long v = 0;
  if (quoted(n)) {
    problem(n, field + "." + key, "expected an integer, found " + describe(n) + " (remove the quotes)");
    return std::nullopt;
  }
  if (!n.IsScalar() || !YAML::convert<long long>::decode(n, v)) {
    problem(n, field + "." + key, "expected an integer, found " + describe(n));
    return std::nullopt;
  }
  if (v < min || v > max) {
    problem(n, field + "." + key, fmt::format("{} is out of range; expected {} to {}", v, min, max));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> YamlInput::boolean(const YAML::Node& map, const char* key, const std::string& field,
                                       bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required) problem(map, field + "." + key, "missing; expected true or false");
    return std::nullopt;
  }
  bool v = false;
  if (quoted(n)) {
    problem(n, field + "." + key, "expected true or false, found " + describe(n) + " (remove the quotes)");
    return std::nullopt;
  }
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    problem(n, field + "." + key, "expected true or false, found " + describe(n));
    return std::nullopt;
  }
  return v;
}

std::optional<Vec2> YamlInput::point(const YAML::Node& node, const std::string& field) {
  if (!node.IsSequence() || node.size() != 2) {
    problem(node, field, "expected a point [x, y] in metres, found " + describe(node));
    return std::nullopt;
  }
  auto x = number_value(node[0], field + "[0]", -1e6, 1e6);
  auto y = number_value(node[1], field + "[1]", -1e6, 1e6);
  if (!x || !y) return std::nullopt;
  return Vec2{*x, *y};
}

std::optional<Polygon> YamlInput::polygon(const YAML::Node& node, const std::string& field) {
  if (!node.IsSequence()) {
    problem(node, field, "expected a polygon: a list of at least 3 points [x, y], found " + describe(node));
    return std::nullopt;
  }
  Polygon poly;
  bool ok = true;
  for (std::size_t i = 0; i < node.size(); ++i) {
    auto p = point(node[i], fmt::format("{}[{}]", field, i));
    if (p)
      poly.push_back(*p);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  if (poly.size() >= 2 && poly.front() == poly.back()) poly.pop_back();  // explicit closing vertex
  // Near-duplicate (< 1 mm) and collinear vertices are merged (issue 17). The
  // cleaned outline is used when valid; otherwise the problem is named on the
  // polygon as drawn, so that vertex numbers in the message are the file's.
  Polygon cleaned = geom::merge_close_and_collinear(poly);
  if (!geom::invalidity(cleaned)) {
    if (thin(node, field, cleaned)) return std::nullopt;
    return geom::counter_clockwise(std::move(cleaned));
  }
  if (auto why = geom::invalidity(poly)) {
    problem(node, field, "invalid polygon: " + *why);
    return std::nullopt;
  }
  // Valid as drawn, but not once its vertices closer than a millimetre are
  // merged: it only holds together by sub-millimetre detail, a thin part
  // (issue 17). Refused like any other part thinner than a millimetre.
  if (thin(node, field, poly)) return std::nullopt;
  problem(node, field,
          fmt::format("invalid polygon: it has parts thinner than {} mm: with its vertices closer than {} mm "
                      "merged, {}",
                      geom::kMinPartWidthM * 1e3, geom::kVertexMergeM * 1e3, *geom::invalidity(cleaned)));
  return std::nullopt;
}

bool YamlInput::thin(const YAML::Node& node, const std::string& field, const Polygon& ring) {
  const auto t = geom::thin_part(ring);
  if (!t) return false;
  const double mm = t->width_m * 1e3;
  if (t->inside)
    problem(node, field,
            fmt::format("invalid polygon: it is only {:.3g} mm wide at {}; walls, obstacles, zones and floors "
                        "must be at least {} mm wide everywhere (draw a partition at its real thickness, or "
                        "leave it out)",
                        mm, point_text(t->at), geom::kMinPartWidthM * 1e3));
  else
    problem(node, field,
            fmt::format("invalid polygon: its outline comes within {:.3g} mm of itself at {}; two parts of an "
                        "outline must be at least {} mm apart, or joined",
                        mm, point_text(t->at), geom::kMinPartWidthM * 1e3));
  return true;
}

std::optional<Vec2> YamlInput::point_field(const YAML::Node& map, const char* key, const std::string& field,
                                           const char* what) {
  const YAML::Node n = map[key];
  if (!n) {
    problem(map, field + "." + key, std::string("missing; expected ") + what);
    return std::nullopt;
  }
  return point(n, field + "." + key);
}

std::optional<Polygon> YamlInput::polygon_field(const YAML::Node& map, const char* key,
                                                const std::string& field, const char* what) {
  const YAML::Node n = map[key];
  if (!n) {
    problem(map, field + "." + key, std::string("missing; expected ") + what);
    return std::nullopt;
  }
  return polygon(n, field + "." + key);
}

}  // namespace halltwin
