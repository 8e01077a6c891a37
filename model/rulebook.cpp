#include "model/rulebook.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "model/yaml_input.hpp"

namespace halltwin {

Param::Param() = default;
Param::Param(const Param&) = default;
Param::Param(Param&&) noexcept = default;
Param& Param::operator=(const Param&) = default;
Param& Param::operator=(Param&&) noexcept = default;
Param::~Param() = default;


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
Param to_param(const YAML::Node& n, const std::string& file) {
  Param p;
  p.loc = YamlInput::loc(n);
  p.file = file;
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      p.type = Param::Type::scalar;
      p.scalar = n.Scalar();
      p.quoted = n.Tag() == "!";
      break;
    case YAML::NodeType::Sequence:
      p.type = Param::Type::list;
      for (const auto& item : n) p.items.push_back(to_param(item, file));
      break;
    case YAML::NodeType::Map:
      p.type = Param::Type::map;
      for (const auto& kv : n) p.entries.emplace_back(kv.first.Scalar(), to_param(kv.second, file));
      break;
    default:
      break;
  }
  return p;
}

std::optional<Confidence> parse_confidence(YamlInput& in, const YAML::Node& map, const std::string& field,
                                           bool required = true) {
  auto s = in.string(map, "confidence", field, required);
  if (!s) return std::nullopt;
  if (*s == "verified") return Confidence::verified;
  if (*s == "partial") return Confidence::partial;
  if (*s == "placeholder") return Confidence::placeholder;
  in.problem(
      map["confidence"], field + ".confidence",
      fmt::format("'{}' is not a confidence mark; expected verified, partial or placeholder", shorten(*s)));
  return std::nullopt;
}

// Format 2: a clause names the edition of every code it cites.
void check_clause_editions(YamlInput& in, const YAML::Node& r, const std::string& f, const std::string& clause) {
  const auto bad = citations_without_edition(clause);
  if (bad.empty()) return;
  std::string list;
  for (const auto& b : bad) list += (list.empty() ? "'" : ", '") + shorten(b) + "'";
  in.problem(r, "clause", f + ".clause",
             fmt::format("{} without an edition year; expected e.g. 'GB 50016-2014 5.5.17' "
                         "(format halltwin-rulebook/2 states the edition each value comes from)",
                         list));
}

void read_occupant_density(YamlInput& in, const YAML::Node& d, Rulebook& book) {
  if (!in.expect_map(d, "occupant_density")) return;
  in.check_keys(d, {"clause", "confidence", "ppm2", "seat_factor", "by_storey", "circulation"}, "occupant_density");
  book.density_ppm2.clear();
  book.density_is_by_storey.clear();
  book.has_density_by_storey = false;
  book.density_by_storey = {};
  book.circulation_ppm2 = 0.0;
  book.circulation_by_storey = false;
  book.density_clause = in.string(d, "clause", "occupant_density", true).value_or("");
  if (auto c = parse_confidence(in, d, "occupant_density")) book.density_confidence = *c;
  book.seat_factor = in.number(d, "seat_factor", "occupant_density", false, 0.0, 10.0).value_or(1.1);
  if (const YAML::Node b = d["by_storey"]; b && in.expect_map(b, "occupant_density.by_storey")) {
    const std::string f = "occupant_density.by_storey";
    in.check_keys(b, {"storeys_1_2", "storey_3", "storey_4_up", "basement_1", "basement_2_down"}, f);
    auto& t = book.density_by_storey;
    t.storeys_1_2 = in.number(b, "storeys_1_2", f, true, 0.0, 10.0).value_or(0.0);
    t.storey_3 = in.number(b, "storey_3", f, true, 0.0, 10.0).value_or(0.0);
    t.storey_4_up = in.number(b, "storey_4_up", f, true, 0.0, 10.0).value_or(0.0);
    t.basement_1 = in.number(b, "basement_1", f, true, 0.0, 10.0).value_or(0.0);
    t.basement_2_down = in.number(b, "basement_2_down", f, true, 0.0, 10.0).value_or(0.0);
    book.has_density_by_storey = true;
  }
  // A value is persons per m2, or `by_storey`: the by_storey row of the floor's storey.
  auto density_value = [&](const YAML::Node& v, const std::string& f, bool& by_storey) -> std::optional<double> {
    if (v.IsScalar() && v.Scalar() == "by_storey" && v.Tag() != "!") {
      if (!book.has_density_by_storey) {
        in.problem(v, f, "'by_storey' needs the by_storey table (occupant_density.by_storey: {storeys_1_2, "
                         "storey_3, storey_4_up, basement_1, basement_2_down})");
        return std::nullopt;
      }
      by_storey = true;
      return book.density_by_storey.storeys_1_2;
    }
    by_storey = false;
    return in.number_value(v, f, 0.0, 10.0);
  };
  const YAML::Node ppm2 = d["ppm2"];
  if (!ppm2)
    in.problem(d, "occupant_density.ppm2", "missing; expected {zone_type: persons per m2}");
  else if (in.expect_map(ppm2, "occupant_density.ppm2")) {
    for (const auto& kv : ppm2) {
      const std::string f = "occupant_density.ppm2." + shorten(kv.first.Scalar());
      auto t = in.enum_value<ZoneType>(kv.first, f);
      bool by = false;
      auto v = density_value(kv.second, f, by);
      if (t && v) {
        book.density_ppm2[*t] = *v;
        book.density_is_by_storey[*t] = by;
      }
    }
  }
  if (const YAML::Node c = d["circulation"]) {
    bool by = false;
    if (auto v = density_value(c, "occupant_density.circulation", by)) {
      book.circulation_ppm2 = by ? 0.0 : *v;
      book.circulation_by_storey = by;
    }
  }
}

// A rule this file defines in full (its id is not in the base).
void read_new_rule(YamlInput& in, const YAML::Node& r, const std::string& f, int version, Rule& rule) {
  in.check_keys(r, {"id", "kind", "title", "clause", "confidence", "params"}, f);
  rule.kind = in.string(r, "kind", f, true).value_or("");
  rule.title = in.string(r, "title", f, true).value_or("");
  rule.clause = in.string(r, "clause", f, true).value_or("");
  if (version >= 2 && r["clause"]) check_clause_editions(in, r, f, rule.clause);
  if (auto c = parse_confidence(in, r, f)) rule.confidence = *c;
  if (const YAML::Node p = r["params"]) {
    if (in.expect_map(p, f + ".params")) rule.params = to_param(p, in.file());
  } else {
    rule.params.type = Param::Type::map;
    rule.params.loc = rule.loc;
    rule.params.file = in.file();
  }
}

// An entry whose id is in the base: replaces the fields it gives; params merge key by key.
void read_override(YamlInput& in, const YAML::Node& r, const std::string& f, Rule& rule) {
  in.check_keys(r, {"id", "kind", "title", "clause", "confidence", "params"}, f);
  if (auto k = in.string(r, "kind", f, false); k && *k != rule.kind)
    in.problem(r, "kind", f + ".kind",
               fmt::format("an override cannot change the kind ('{}' in {}); give the rule a new id instead",
                           shorten(rule.kind), rule.file));
  if (auto t = in.string(r, "title", f, false)) rule.title = *t;
  const bool new_value = static_cast<bool>(r["params"]);
  if (auto c = in.string(r, "clause", f, new_value)) {
    rule.clause = *c;
    check_clause_editions(in, r, f, rule.clause);
  }
  if (auto c = parse_confidence(in, r, f, new_value)) rule.confidence = *c;
  if (new_value && (!r["clause"] || !r["confidence"]))
    in.problem(r, f, "an override that changes params must restate clause and confidence: the new value "
                     "has its own source");
  if (!r["title"] && !r["clause"] && !r["confidence"] && !new_value)
    in.problem(r, f, "the override changes nothing; expected title, clause, confidence or params");
  if (const YAML::Node p = r["params"]; p && in.expect_map(p, f + ".params")) {
    Param add = to_param(p, in.file());
    for (auto& [key, value] : add.entries) {
      bool replaced = false;
      for (auto& [k, v] : rule.params.entries)
        if (k == key) v = value, replaced = true;
      if (!replaced) rule.params.entries.emplace_back(key, value);
    }
  }
  rule.file = in.file();
  rule.loc = YamlInput::loc(r);
}

std::string chain_text(const std::vector<std::filesystem::path>& stack, const std::filesystem::path& last) {
  std::string out;
  for (const auto& s : stack) out += s.filename().string() + " -> ";
  return out + last.filename().string();
}

Rulebook load_one(const std::string& path, std::vector<std::filesystem::path>& stack) {
  namespace fs = std::filesystem;
  YamlInput in(path);
  const YAML::Node root = in.load_file();
  if (!in.expect_map(root, "(top level)")) in.finish();
  in.check_keys(root, {"format", "extends", "name", "occupant_density", "rules"}, "(top level)");
  int version = 2;
  if (auto f = in.string(root, "format", "format", true)) {
    if (*f == kSupportedRulebookFormats[0])
      version = 1;
    else if (*f != kSupportedRulebookFormats[1])
      in.problem(root, "format", "format",
                 fmt::format("'{}' is not a supported format; expected '{}' or '{}'", shorten(*f),
                             kSupportedRulebookFormats[0], kSupportedRulebookFormats[1]));
  }

  Rulebook book;
  std::size_t base_rules = 0;  // rules [0, base_rules) come from the base
  if (const YAML::Node e = root["extends"]) {
    if (version < 2) {
      in.problem(e, "extends", fmt::format("needs format '{}'", kRulebookFormat));
    } else if (auto rel = in.string(root, "extends", "(top level)", true)) {
      const fs::path target = (fs::path(path).parent_path() / fs::path(*rel)).lexically_normal();
      std::error_code ec;
      const fs::path canon = fs::weakly_canonical(target, ec);
      if (rel->empty() || !fs::is_regular_file(target, ec)) {
        in.problem(e, "extends",
                   fmt::format("'{}' is not a rulebook file (looked for '{}'; the path is relative to this "
                               "file's folder)",
                               shorten(*rel), target.string()));
      } else if (std::find(stack.begin(), stack.end(), canon) != stack.end()) {
        in.problem(e, "extends",
                   fmt::format("rulebooks extend each other in a cycle: {}", chain_text(stack, canon)));
      } else if (static_cast<int>(stack.size()) >= kMaxRulebookChain) {
        in.problem(e, "extends", fmt::format("more than {} rulebooks in one extends chain", kMaxRulebookChain));
      } else {
        in.finish();  // report this file's structural problems before the base's
        stack.push_back(canon);
        book = load_one(target.string(), stack);
        stack.pop_back();
        base_rules = book.rules.size();
      }
    }
    in.finish();
  }
  const bool has_base = !book.chain.empty();
  book.source_file = path;
  book.chain.push_back(path);
  book.name = in.string(root, "name", "name", true).value_or("");

  if (const YAML::Node d = root["occupant_density"]; d)
    read_occupant_density(in, d, book);
  else if (!has_base)
    in.problem(root, "occupant_density",
               "missing; expected {clause, confidence, ppm2: {zone_type: persons per m2}, seat_factor}");

  const YAML::Node rules = root["rules"];
  if (!rules) {
    if (!has_base) in.problem(root, "rules", "missing; expected a list of rules");
  } else if (in.expect_sequence(rules, "rules") && rules.size() == 0 && !has_base) {
    // A rulebook without rules would pass every hall: surely not what its author meant.
    in.problem(rules, "rules", "the list is empty; expected at least one rule");
  } else if (rules.IsSequence()) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const YAML::Node r = rules[i];
      std::string f = fmt::format("rules[{}]", i);
      if (r.IsMap() && r["id"] && r["id"].IsScalar()) f = fmt::format("rules[{}]", shorten(r["id"].Scalar()));
      if (!in.expect_map(r, f)) continue;
      const std::string id = in.string(r, "id", f, true).value_or("");
      if (!id.empty() && !seen.insert(id).second) {
        in.problem(r, "id", f + ".id", fmt::format("duplicate rule id '{}'", shorten(id)));
        continue;
      }
      auto base = std::find_if(book.rules.begin(), book.rules.begin() + static_cast<std::ptrdiff_t>(base_rules),
                               [&](const Rule& x) { return !id.empty() && x.id == id; });
      if (base != book.rules.begin() + static_cast<std::ptrdiff_t>(base_rules)) {
        read_override(in, r, f, *base);
        continue;
      }
      Rule rule;
      rule.loc = YamlInput::loc(r);
      rule.file = path;
      rule.id = id;
      if (has_base && !r["kind"]) {
        in.problem(r, f,
                   fmt::format("'{}' is not a rule of the base rulebook {}; a new rule needs kind, title, "
                               "clause and confidence",
                               shorten(id), book.chain.front()));
        continue;
      }
      read_new_rule(in, r, f, version, rule);
      book.rules.push_back(std::move(rule));
    }
  }
  in.finish();
  return book;
}

}  // namespace

std::vector<std::string> citations_without_edition(std::string_view c) {
  std::vector<std::string> out;
  auto digit = [&](std::size_t i) { return i < c.size() && c[i] >= '0' && c[i] <= '9'; };
  auto alnum = [&](std::size_t i) {
    return digit(i) || (c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= 'a' && c[i] <= 'z');
  };
  for (std::size_t i = 0; i + 1 < c.size(); ++i) {
    const std::string_view two = c.substr(i, 2);
    if ((two != "GB" && two != "DB") || (i > 0 && alnum(i - 1))) continue;
    std::size_t j = i + 2;
    while (digit(j)) ++j;                           // DB43
    if (c.substr(j, 2) == "/T" || c.substr(j, 2) == "/Z") j += 2;  // GB/T
    while (j < c.size() && c[j] == ' ') ++j;
    if (!digit(j)) continue;  // no code number ("DB43/T 政务服务大厅管理规范"): nothing to date
    while (digit(j) || (j < c.size() && c[j] == '.')) ++j;
    const bool dated = j < c.size() && c[j] == '-' && digit(j + 1) && digit(j + 2) && digit(j + 3) && digit(j + 4);
    if (!dated) out.emplace_back(c.substr(i, j - i));
    i = j - 1;
  }
  return out;
}

Rulebook load_rulebook(const std::string& path) {
  std::error_code ec;
  std::vector<std::filesystem::path> stack{std::filesystem::weakly_canonical(path, ec)};
  return load_one(path, stack);
}

}  // namespace halltwin
