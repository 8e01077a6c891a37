#pragma once
// A rule kind: the code behind one `kind:` of the rulebook. A kind reads and
// validates its parameters when the checker is built (bad rulebook -> input
// error before any hall is checked) and evaluates one hall into one finding:
// the worst case over the hall, with its floor and location.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/check_context.hpp"
#include "sim/check/finding.hpp"
#include "sim/check/params.hpp"

namespace halltwin::check {

class RuleKind {
 public:
  virtual ~RuleKind() = default;
  // Fills status, measured, required, unit, message, location and floor.
  virtual void evaluate(CheckContext& ctx, Finding& out) const = 0;
};

// A kind's constructor and the names of every parameter it reads: the checker
// refuses any other name before the constructor reads a value, so that a
// misspelt optional parameter (which would silently take its default) or a
// stray one is an input error.
struct RuleFactory {
  std::function<std::unique_ptr<RuleKind>(ParamReader&)> make;
  std::vector<std::string_view> params;
};

template <class T>
RuleFactory factory(std::initializer_list<std::string_view> params) {
  return {[](ParamReader& p) -> std::unique_ptr<RuleKind> { return std::make_unique<T>(p); }, params};
}

inline Status pass_if(bool ok) { return ok ? Status::pass : Status::fail; }

// All rule kinds by name. Each rules_*.cpp registers its kinds here.
const std::map<std::string, RuleFactory>& rule_kinds();

// Registration functions, one per file (explicit: no static-initialisation order games).
void register_layout_rules(std::map<std::string, RuleFactory>& kinds);
void register_egress_rules(std::map<std::string, RuleFactory>& kinds);
void register_equipment_rules(std::map<std::string, RuleFactory>& kinds);

}  // namespace halltwin::check
