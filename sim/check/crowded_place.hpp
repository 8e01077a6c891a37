#pragma once
// Whether a hall is a crowded place (人员密集场所, GB 50016-2014 2.1.x and its
// business-hall example), as a rule's parameters say: always (crowded_place:
// true), by administrative level (crowded_levels), or from a total floor area
// (crowded_min_area_m2). Shared by the rules whose value or scope changes in a
// crowded place: door widths and thresholds (5.5.19), signs above evacuation
// doors (GB 51309-2018 3.2.8 / GB 50016 10.3.5 item 1).
#include <set>

#include "model/hall.hpp"
#include "sim/check/params.hpp"

namespace halltwin::check {

class CrowdedPlace {
 public:
  // Reads crowded_place, crowded_levels and crowded_min_area_m2 (all optional).
  explicit CrowdedPlace(ParamReader& p);
  // The rule sets any way at all (with none, no hall is a crowded place).
  bool configured() const { return always_ || by_rule_; }
  bool applies(const Hall& h) const;

 private:
  bool always_ = false, by_rule_ = false;
  std::set<AdminLevel> levels_;
  double min_area_m2_ = -1;
};

}  // namespace halltwin::check
