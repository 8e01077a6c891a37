#include "sim/check/crowded_place.hpp"

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::check {

CrowdedPlace::CrowdedPlace(ParamReader& p) {
  always_ = p.boolean_or("crowded_place", false);
  if (const Param* l = p.find("crowded_levels"); l && l->type == Param::Type::list) {
    for (const auto& item : l->items)
      if (auto lv = parse<AdminLevel>(item.scalar))
        levels_.insert(*lv);
      else
        p.problem(item, "crowded_levels", "'" + item.scalar + "' is not an administrative level");
    by_rule_ = true;
  } else if (l) {
    p.problem(*l, "crowded_levels", "expected a list of levels (province, city, county, township, village)");
  }
  min_area_m2_ = p.number_or("crowded_min_area_m2", -1, 0, 1e7);
  by_rule_ = by_rule_ || min_area_m2_ >= 0;
}

bool CrowdedPlace::applies(const Hall& h) const {
  if (always_) return true;
  if (levels_.count(h.level)) return true;
  if (min_area_m2_ < 0) return false;
  double area = 0;
  for (const auto& fl : h.floors) area += geom::area(fl.boundary);
  return area >= min_area_m2_;
}

}  // namespace halltwin::check
