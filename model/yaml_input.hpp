#pragma once
// Reading YAML input with precise messages: every accessor records a problem
// (file, line, column, field path, what was expected) instead of throwing, so
// that one pass reports all problems of a file; `finish()` throws them
// together. Internal to model/ loaders (it includes yaml-cpp).
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/geometry/vec2.hpp"
#include "model/hall.hpp"
#include "model/input_error.hpp"
#include "model/text.hpp"
#include "model/vocabulary.hpp"

namespace halltwin {

class YamlInput {
 public:
  explicit YamlInput(std::string file) : file_(std::move(file)) {}

  // Parses the file through load_yaml_file (model/yaml_safe_load.hpp: the one
  // YAML entry point, with its UTF-8, document, depth, alias and duplicate-key
  // checks); an unreadable file or any of those problems throws InputError at once.
  YAML::Node load_file() const;

  const std::string& file() const { return file_; }
  void problem(const YAML::Node& at, std::string field, std::string message);
  // A problem with `map`'s value at `key`: at the key's line, or at the map's
  // when the key is absent and the value was a default (a default can clash
  // too, e.g. two floors that both leave out their storey).
  void problem(const YAML::Node& map, const char* key, std::string field, std::string message);
  void problem(SourceLoc at, std::string field, std::string message);
  bool has_problems() const { return !problems_.empty(); }
  std::size_t problem_count() const { return problems_.size(); }
  // Throws all recorded problems, if any.
  void finish() const;

  // The node's line and column; none for a node that is not in the file (a
  // missing key of a const map: yaml-cpp's Mark() would throw on it).
  static SourceLoc loc(const YAML::Node& node);

  // Structural checks; return false (and record a problem) on mismatch.
  bool expect_map(const YAML::Node& node, const std::string& field);
  bool expect_sequence(const YAML::Node& node, const std::string& field);
  // Records every key of `map` not in `allowed` as an unknown key, with the
  // closest allowed spelling as a hint.
  void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                  const std::string& field);

  // Typed fields of a map. `required` fields record a problem when missing;
  // optional missing fields return nullopt silently.
  std::optional<std::string> string(const YAML::Node& map, const char* key, const std::string& field,
                                    bool required);
  std::optional<double> number(const YAML::Node& map, const char* key, const std::string& field,
                               bool required, double min, double max);
  std::optional<long long> integer(const YAML::Node& map, const char* key, const std::string& field,
                                   bool required, long long min, long long max);
  std::optional<bool> boolean(const YAML::Node& map, const char* key, const std::string& field,
                              bool required);
  template <class E>
  std::optional<E> enumeration(const YAML::Node& map, const char* key, const std::string& field,
                               bool required);

  // Values (not map fields).
  std::optional<double> number_value(const YAML::Node& node, const std::string& field, double min,
                                     double max);
  std::optional<std::string> string_value(const YAML::Node& node, const std::string& field);
  template <class E>
  std::optional<E> enum_value(const YAML::Node& node, const std::string& field);
  std::optional<Vec2> point(const YAML::Node& node, const std::string& field);
  // A polygon as a list of points; checks 3+ vertices and simplicity.
  std::optional<Polygon> polygon(const YAML::Node& node, const std::string& field);

  // Required point / polygon fields of a map: a missing one records
  // "missing; expected <what>".
  std::optional<Vec2> point_field(const YAML::Node& map, const char* key, const std::string& field,
                                  const char* what);
  std::optional<Polygon> polygon_field(const YAML::Node& map, const char* key, const std::string& field,
                                       const char* what);

 private:
  // Records a problem when `ring` has a part thinner than a millimetre
  // (model/geometry/thin_parts.hpp) and returns true.
  bool thin(const YAML::Node& node, const std::string& field, const Polygon& ring);

  std::string file_;
  std::vector<InputProblem> problems_;
};

std::string allowed_list(std::span<const std::string_view> names);

template <class E>
std::optional<E> YamlInput::enum_value(const YAML::Node& node, const std::string& field) {
  auto s = string_value(node, field);
  if (!s) return std::nullopt;
  if (auto v = parse<E>(*s)) return v;
  problem(node, field, "'" + shorten(*s) + "' is not one of: " + allowed_list(names<E>()));
  return std::nullopt;
}

template <class E>
std::optional<E> YamlInput::enumeration(const YAML::Node& map, const char* key, const std::string& field,
                                        bool required) {
  const YAML::Node n = map[key];
  if (!n) {
    if (required) problem(map, field + "." + key, "missing; expected one of: " + allowed_list(names<E>()));
    return std::nullopt;
  }
  return enum_value<E>(n, field + "." + key);
}

}  // namespace halltwin
