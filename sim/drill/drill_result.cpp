#include "sim/drill/drill_result.hpp"

namespace halltwin::drill {

PromiseOutcome judge(const EmergencyPromise& p, double measured, std::string note) {
  PromiseOutcome o;
  o.promise = p.text;
  o.limit = p.limit;
  o.measured = measured;
  o.unit = p.unit;
  // A promise is a bound from above (a time, a wait, a count; a margin, out
  // before aset, is stated as its shortfall, so 0 is the bound too), or from
  // below (fresh air per person).
  o.at_least = p.at_least;
  o.kept = std::isfinite(measured) && (p.at_least ? measured >= p.limit - 1e-9 : measured <= p.limit + 1e-9);
  o.note = std::move(note);
  return o;
}

}  // namespace halltwin::drill
