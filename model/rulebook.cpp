#include "model/rulebook.hpp"

#include <fmt/format.h>

#include <set>

#include "model/yaml_input.hpp"

namespace halltwin {

std::string_view name(Confidence c) {
  switch (c) {
    case Confidence::verified:
      return "verified";
    case Confidence::partial:
      return "partial";
    case Confidence::placeholder:
      return "placeholder";
  }
  return "?";
}

namespace {

// Recursion is safe: load_yaml_file has refused cycles, nesting deeper than
// kYamlMaxDepth and expansions beyond its budgets before this runs.
Param to_param(const YAML::Node& n) {
  Param p;
  p.loc = YamlInput::loc(n);
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      p.type = Param::Type::scalar;
      p.scalar = n.Scalar();
      p.quoted = n.Tag() == "!";
      break;
    case YAML::NodeType::Sequence:
      p.type = Param::Type::list;
      for (const auto& item : n) p.items.push_back(to_param(item));
      break;
    case YAML::NodeType::Map:
      p.type = Param::Type::map;
      for (const auto& kv : n) p.entries.emplace_back(kv.first.Scalar(), to_param(kv.second));
      break;
    default:
      break;
  }
  return p;
}

std::optional<Confidence> parse_confidence(YamlInput& in, const YAML::Node& map, const std::string& field) {
  auto s = in.string(map, "confidence", field, true);
  if (!s) return std::nullopt;
  if (*s == "verified") return Confidence::verified;
  if (*s == "partial") return Confidence::partial;
  if (*s == "placeholder") return Confidence::placeholder;
  in.problem(
      map["confidence"], field + ".confidence",
      fmt::format("'{}' is not a confidence mark; expected verified, partial or placeholder", shorten(*s)));
  return std::nullopt;
}

}  // namespace

Rulebook load_rulebook(const std::string& path) {
  YamlInput in(path);
  Rulebook book;
  book.source_file = path;
  const YAML::Node root = in.load_file();
  if (!in.expect_map(root, "(top level)")) in.finish();
  in.check_keys(root, {"format", "name", "occupant_density", "rules"}, "(top level)");
  if (auto f = in.string(root, "format", "format", true); f && *f != kRulebookFormat)
    in.problem(root["format"], "format",
               fmt::format("'{}' is not a supported format; expected '{}'", shorten(*f), kRulebookFormat));
  book.name = in.string(root, "name", "name", true).value_or("");

  if (const YAML::Node d = root["occupant_density"]; !d) {
    in.problem(root, "occupant_density",
               "missing; expected {clause, confidence, ppm2: {zone_type: persons per m2}, seat_factor}");
  } else if (in.expect_map(d, "occupant_density")) {
    in.check_keys(d, {"clause", "confidence", "ppm2", "seat_factor"}, "occupant_density");
    book.density_clause = in.string(d, "clause", "occupant_density", true).value_or("");
    if (auto c = parse_confidence(in, d, "occupant_density")) book.density_confidence = *c;
    book.seat_factor = in.number(d, "seat_factor", "occupant_density", false, 0.0, 10.0).value_or(1.1);
    const YAML::Node ppm2 = d["ppm2"];
    if (!ppm2)
      in.problem(d, "occupant_density.ppm2", "missing; expected {zone_type: persons per m2}");
    else if (in.expect_map(ppm2, "occupant_density.ppm2")) {
      for (const auto& kv : ppm2) {
        const std::string f = "occupant_density.ppm2." + shorten(kv.first.Scalar());
        auto t = in.enum_value<ZoneType>(kv.first, f);
        auto v = in.number_value(kv.second, f, 0.0, 10.0);
        if (t && v) book.density_ppm2[*t] = *v;
      }
    }
  }

  const YAML::Node rules = root["rules"];
  if (!rules) {
    in.problem(root, "rules", "missing; expected a list of rules");
  } else if (in.expect_sequence(rules, "rules") && rules.size() == 0) {
    // A rulebook without rules would pass every hall: surely not what its author meant.
    in.problem(rules, "rules", "the list is empty; expected at least one rule");
  } else if (rules.IsSequence()) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const YAML::Node r = rules[i];
      std::string f = fmt::format("rules[{}]", i);
      if (r.IsMap() && r["id"] && r["id"].IsScalar()) f = fmt::format("rules[{}]", shorten(r["id"].Scalar()));
      if (!in.expect_map(r, f)) continue;
      in.check_keys(r, {"id", "kind", "title", "clause", "confidence", "params"}, f);
      Rule rule;
      rule.loc = YamlInput::loc(r);
      rule.id = in.string(r, "id", f, true).value_or("");
      if (!rule.id.empty() && !seen.insert(rule.id).second)
        in.problem(r["id"], f + ".id", fmt::format("duplicate rule id '{}'", shorten(rule.id)));
      rule.kind = in.string(r, "kind", f, true).value_or("");
      rule.title = in.string(r, "title", f, true).value_or("");
      rule.clause = in.string(r, "clause", f, true).value_or("");
      if (auto c = parse_confidence(in, r, f)) rule.confidence = *c;
      if (const YAML::Node p = r["params"]) {
        if (in.expect_map(p, f + ".params")) rule.params = to_param(p);
      } else {
        rule.params.type = Param::Type::map;
        rule.params.loc = rule.loc;
      }
      book.rules.push_back(std::move(rule));
    }
  }
  in.finish();
  return book;
}

}  // namespace halltwin
