#pragma once
// Reading a rule's parameters from the rulebook's Param tree, with messages
// naming the rulebook file, line, column and parameter, so that a wrong
// rulebook is rejected before any hall is checked.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/text.hpp"
#include "model/vocabulary.hpp"

namespace halltwin::check {

class ParamReader {
 public:
  ParamReader(std::string file, const Rule& rule) : file_(std::move(file)), rule_(rule) {}

  void problem(const Param& at, const std::string& key, const std::string& message);
  // Records every parameter whose name is not in `allowed` (with a "did you
  // mean" hint). The checker calls it with the kind's declared names before the
  // kind reads any value, so a misspelt optional parameter is never silently
  // replaced by its default.
  void check_names(std::span<const std::string_view> allowed);
  // The same for the names inside the map parameter `key` (e.g. a table's rows).
  void check_names_in(const Param& map, const std::string& key,
                      std::initializer_list<std::string_view> allowed);
  void check_names_in(const Param& map, const std::string& key, std::span<const std::string_view> allowed);
  std::vector<InputProblem> take_problems() { return std::move(problems_); }

  // Required parameters (a problem is recorded and a neutral value returned when wrong).
  double number(const char* key, double min, double max) { return number_in(rule_.params, key, min, max); }
  double number_in(const Param& map, const char* key, double min, double max);
  double number_or(const char* key, double fallback, double min, double max);
  bool boolean_or(const char* key, bool fallback);
  std::string text(const char* key, std::initializer_list<const char*> allowed);
  // An optional list of numbers in [min, max]; empty when absent.
  std::vector<double> number_list_or(const char* key, double min, double max);
  // Exactly `count` numbers; `.nan` is allowed (a table entry with no value).
  std::vector<double> numbers_in(const Param& map, const char* key, std::size_t count);
  template <class E>
  E enumeration(const char* key);
  // {enum_name: number} with every enum value present.
  template <class E>
  std::map<E, double> number_by(const char* key, double min, double max);
  // {enum_name: [enum2 names]} with every key enum value present.
  template <class E, class V>
  std::map<E, std::vector<V>> list_by(const char* key);
  const Param* map(const char* key);
  // The parameter `key` as written, nullptr when absent.
  const Param* rule_param(const char* key) const { return rule_.params.find(key); }
  // The map parameter `key`, nullptr when absent (a problem when it is not a map).
  const Param* optional_map(const char* key);
  // A number value inside a parameter (a table cell), checked like every number.
  double number_value(const Param& p, const std::string& key, double min, double max) {
    return to_number(p, key, min, max);
  }
  // The parameter, or nullptr when the rule does not set it.
  const Param* find(const char* key) const { return rule_.params.find(key); }
  // The parameter itself (for positions in messages); the rule's params when absent.
  const Param* param(const char* key) const {
    const Param* p = rule_.params.find(key);
    return p ? p : &rule_.params;
  }

 private:
  // Quoted values, NaN and infinity are refused; `.nan` is accepted (as NaN) only with allow_nan.
  double to_number(const Param& p, const std::string& key, double min, double max, bool allow_nan = false);
  template <class E, class T, class F>
  std::map<E, T> by_enum(const char* key, F&& fn);
  template <class E>
  std::optional<E> to_enum(const Param& p, const std::string& key);

  std::string file_;
  const Rule& rule_;
  std::vector<InputProblem> problems_;
};

template <class E>
std::optional<E> ParamReader::to_enum(const Param& p, const std::string& key) {
  if (p.type != Param::Type::scalar) {
    problem(p, key, "expected a name");
    return std::nullopt;
  }
  if (auto v = parse<E>(p.scalar)) return v;
  std::string list;
  for (auto n : names<E>()) list += (list.empty() ? "" : ", ") + std::string(n);
  problem(p, key, "'" + shorten(p.scalar) + "' is not one of: " + list);
  return std::nullopt;
}

template <class E>
E ParamReader::enumeration(const char* key) {
  const Param* p = rule_.params.find(key);
  if (!p) {
    problem(rule_.params, key, "missing");
    return E{};
  }
  return to_enum<E>(*p, key).value_or(E{});
}

// Visits the entries of the map parameter `key` whose keys are names of E,
// calling fn(value_param, field, out) to fill `out`; then records every name of
// E the map lacks ("missing a value for 'severe'").
template <class E, class T, class F>
std::map<E, T> ParamReader::by_enum(const char* key, F&& fn) {
  std::map<E, T> out;
  const Param* m = map(key);
  if (!m) return out;
  for (const auto& [k, v] : m->entries) {
    Param kp;
    kp.type = Param::Type::scalar;
    kp.scalar = k;
    kp.loc = v.loc;
    const std::string field = std::string(key) + "." + shorten(k);
    auto e = to_enum<E>(kp, field);
    T value{};
    if (fn(v, field, value) && e) out[*e] = std::move(value);
  }
  for (std::size_t i = 0; i < names<E>().size(); ++i)
    if (!out.count(static_cast<E>(i)))
      problem(*m, key, "missing a value for '" + std::string(names<E>()[i]) + "'");
  return out;
}

template <class E>
std::map<E, double> ParamReader::number_by(const char* key, double min, double max) {
  return by_enum<E, double>(key, [&](const Param& v, const std::string& field, double& out) {
    out = to_number(v, field, min, max);
    return true;
  });
}

template <class E, class V>
std::map<E, std::vector<V>> ParamReader::list_by(const char* key) {
  return by_enum<E, std::vector<V>>(key, [&](const Param& v, const std::string& field, std::vector<V>& out) {
    if (v.type != Param::Type::list) {
      problem(v, field, "expected a list of names");
      return false;
    }
    for (const auto& item : v.items)
      if (auto x = to_enum<V>(item, field)) out.push_back(*x);
    return true;
  });
}

}  // namespace halltwin::check
