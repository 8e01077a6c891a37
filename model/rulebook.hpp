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
  // The rulebook file this value was written in: with `extends`, one rule's
  // parameters can come from several files, and a message must name the right one.
  std::string file;

  // Declared here, defined in rulebook.cpp where Param is complete: clang 14 with
  // libstdc++ 12 cannot define them implicitly for a type that holds
  // std::pair<std::string, Param> (it checks the pair's completeness while
  // Param is still being completed); GCC can. tests/fuzz/ builds with clang.
  Param();
  Param(const Param&);
  Param(Param&&) noexcept;
  Param& operator=(const Param&);
  Param& operator=(Param&&) noexcept;
  ~Param();

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
  SourceLoc loc;  // of the entry in `file`
  // The rulebook file that last set any of this rule's fields (the base file
  // for a rule no extending rulebook overrides): `rulebook_file` of its findings.
  std::string file;
};

struct Rulebook {
  std::string source_file;  // the file given to load_rulebook (the most specific one)
  // Every file of the `extends` chain, from the most general (no `extends`) to source_file.
  std::vector<std::string> chain;
  std::string name;
  // Occupant density by zone type (persons/m2) for basis `density`, its clause
  // and confidence, and persons per fixed seat. A zone type written `by_storey`
  // takes the density_by_storey row of its floor's storey (density_at); its
  // entry here holds the storeys 1-2 value.
  std::map<ZoneType, double> density_ppm2;
  // Persons/m2 by storey (GB 50016-2014 table 5.5.21-2 by analogy; the rulebook's
  // occupant_density.by_storey): storeys 1-2, 3, 4 and up, the first basement, the second and deeper.
  struct StoreyDensity {
    double storeys_1_2 = 0, storey_3 = 0, storey_4_up = 0, basement_1 = 0, basement_2_down = 0;
    double at(int storey) const {
      if (storey <= -2) return basement_2_down;
      if (storey == -1) return basement_1;
      if (storey <= 2) return storeys_1_2;
      return storey == 3 ? storey_3 : storey_4_up;
    }
  };
  bool has_density_by_storey = false;
  StoreyDensity density_by_storey;
  std::map<ZoneType, bool> density_is_by_storey;  // zone types written `by_storey`
  // Floor area no zone covers (circulation): persons/m2, or the by-storey row.
  double circulation_ppm2 = 0.0;
  bool circulation_by_storey = false;
  // The rulebook's density of a zone type on a storey (0 for a type it does not list).
  double density_at(ZoneType type, int storey) const {
    if (auto it = density_is_by_storey.find(type); it != density_is_by_storey.end() && it->second)
      return density_by_storey.at(storey);
    auto jt = density_ppm2.find(type);
    return jt == density_ppm2.end() ? 0.0 : jt->second;
  }
  double circulation_at(int storey) const {
    return circulation_by_storey ? density_by_storey.at(storey) : circulation_ppm2;
  }
  std::string density_clause;
  Confidence density_confidence = Confidence::partial;
  double seat_factor = 1.1;
  std::vector<Rule> rules;
};

// Format 2 adds `extends` (a rulebook that overrides another one rule by
// rule) and requires every GB / GB/T / DB code a clause cites to carry its
// edition year. Format 1 files still load unchanged.
inline constexpr const char* kRulebookFormat = "halltwin-rulebook/2";
inline constexpr const char* kSupportedRulebookFormats[] = {"halltwin-rulebook/1", "halltwin-rulebook/2"};
// At most this many files in one `extends` chain (a guard, not a code value).
inline constexpr int kMaxRulebookChain = 16;

// With `extends: PATH` (format 2; PATH relative to the extending file), the
// base rulebook is loaded first (recursively; a cycle is an input error) and
// this file's rules override it by id: a rule entry whose id is in the base
// replaces the fields it gives (title, clause, confidence) and merges its
// `params` key by key; an override that changes params must restate clause
// and confidence, since the new value has its own source. A new id is a new
// rule (all fields required). occupant_density, when given, replaces the base's.
//
// Loads the file's structure (rule ids unique, known keys, confidence marks, at
// least one rule) through the one YAML entry point (model/yaml_safe_load.hpp),
// whose walk refuses alias cycles, alias bombs, too-deep nesting and duplicate
// keys before any parameter is converted to a Param tree. Rule-kind
// parameters (names, values) are validated by the checker when it is built.
Rulebook load_rulebook(const std::string& path);

// The code citations in `clause` that lack an edition year: "GB 50016" in
// "GB 50016 5.5.17" (expected "GB 50016-2014"). Empty when all carry one.
std::vector<std::string> citations_without_edition(std::string_view clause);

}  // namespace halltwin
