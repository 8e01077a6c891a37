#pragma once
// One result of checking one rule against one hall.
#include <optional>
#include <string>

#include "model/geometry/vec2.hpp"
#include "model/rulebook.hpp"

namespace halltwin::check {

enum class Status { pass, fail, warn, not_applicable };
std::string_view name(Status s);

struct Finding {
  std::string rule;  // rule id
  std::string title;
  std::string clause;
  Confidence confidence = Confidence::verified;
  Status status = Status::pass;
  std::optional<double> measured;  // in `unit`; nullopt when nothing could be measured
  std::optional<double> required;  // the limit the rule applies, in `unit`
  std::string unit;                // "m", "m2", "persons", "m3/h", "A", "windows", ...
  std::string message;             // one sentence a planner can act on
  std::optional<Vec2> location;    // worst point, metres
  std::string floor;               // floor id of `location` (or of the worst floor)
  // The rulebook file that set this rule's value (with `extends`, the most
  // specific file of the chain that overrides the rule; docs/rules.md).
  std::string rulebook_file;
};

}  // namespace halltwin::check
