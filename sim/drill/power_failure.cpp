#include "sim/drill/power_failure.hpp"

#include <fmt/format.h>

#include "model/geometry/polygon_ops.hpp"
#include "sim/drill/evacuation_drill.hpp"

namespace halltwin::drill {

std::vector<std::string> unlit_zones(const Hall& hall) {
  std::vector<std::string> out;
  for (const Zone& z : hall.zones) {
    bool lit = false;
    for (const Facility& f : hall.facilities)
      if (f.type == FacilityType::emergency_light && f.floor == z.floor &&
          (geom::contains(z.polygon, f.position) || geom::distance_to_boundary(z.polygon, f.position) < 0.05))
        lit = true;
    if (!lit) out.push_back(z.id);
  }
  return out;
}

void power_failure_drill(const Hall& hall, const Rulebook& book, const ops::OpsModel& model,
                         const EmergencyPlan& plan, const DayOptions& o, DrillResult& out) {
  const auto dark = unlit_zones(hall);
  out.kpis.push_back({"zones", static_cast<double>(hall.zones.size()), {}, {}});
  out.kpis.push_back({"unlit_zones", static_cast<double>(dark.size()), {}, {}});
  out.lines.push_back(dark.empty() ? std::string("every zone has an emergency light")
                                   : fmt::format("zones without an emergency light: {}", fmt::join(dark, ", ")));
  outage_drill(hall, model, plan, o, out);
  evacuation_drill(hall, book, plan, o, plan.speed_factor, out);
  for (const auto& p : plan.promises)
    if (p.kind == PromiseKind::unlit_zones)
      out.promises.push_back(judge(p, static_cast<double>(dark.size()),
                                   dark.empty() ? "zones without an emergency_light fitting"
                                                : "zones without an emergency_light fitting: " + fmt::format("{}", fmt::join(dark, ", "))));
}

}  // namespace halltwin::drill
