#pragma once
// A rulebook: the construction, layout and safety rules a hall is checked
// against, as data (scenarios/rulebooks/*.yaml, docs/rules.md). The numbers
// live in the file, never in code; the checker (sim/check/) implements a small
// set of rule kinds that the rulebook instantiates with parameters.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/hall.hpp"

namespace halltwin {

// How sure we are of a rule's number (../shared/docs/standards.md):
// verified (read in the clause), partial (secondary source or analogy),
// placeholder (no verified value: an unmet placeholder rule warns, never fails).
enum class Confidence { verified, partial, placeholder };
std::string_view name(Confidence c);

// A parameter tree as written in the rulebook, with source positions, so that
// each rule kind can validate its own parameters with exact messages.
struct Param {
  enum class Type { null, scalar, list, map };
  Type type = Type::null;
  std::string scalar;
  bool quoted = false;       // a quoted scalar ("12") is text: never a number or a boolean
  std::vector<Param> items;  // list
  std::vector<std::pair<std::string, Param>> entries;  // map, in file order
  SourceLoc loc;

  const Param* find(std::string_view key) const {
    for (const auto& [k, v] : entries)
      if (k == key) return &v;
    return nullptr;
  }
};

struct Rule {
  std::string id;      // e.g. "egress.travel_distance"
  std::string kind;    // rule kind implemented by the checker, e.g. "travel_distance_max"
  std::string title;   // one line for the report
  std::string clause;  // source clause, e.g. "GB 50016-2014 5.5.17 item 4"
  Confidence confidence = Confidence::verified;
  Param params;  // validated by the rule kind
  SourceLoc loc;
};

struct Rulebook {
  std::string source_file;
  std::string name;
  // Occupant density by zone type (persons/m2) for basis `density`, its clause
  // and confidence, and persons per fixed seat.
  std::map<ZoneType, double> density_ppm2;
  std::string density_clause;
  Confidence density_confidence = Confidence::partial;
  double seat_factor = 1.1;
  std::vector<Rule> rules;
};

inline constexpr const char* kRulebookFormat = "halltwin-rulebook/1";

// Loads the file's structure (rule ids unique, known keys, confidence marks, at
// least one rule) through the one YAML entry point (model/yaml_safe_load.hpp),
// whose walk refuses alias cycles, alias bombs, too-deep nesting and duplicate
// keys before any parameter is converted to a Param tree. Rule-kind
// parameters (names, values) are validated by the checker when it is built.
Rulebook load_rulebook(const std::string& path);

}  // namespace halltwin
