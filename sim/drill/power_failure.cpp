#include "sim/drill/power_failure.hpp"

#include <fmt/format.h>

#include "model/geometry/polygon_ops.hpp"
#include "sim/check/emergency_lighting.hpp"
#include "sim/drill/evacuation_drill.hpp"

namespace halltwin::drill {

std::vector<DarkZone> unlit_zones(const Hall& hall, const Rulebook& book) {
  const auto minimum = check::emergency_lighting_minimum(book);
  std::vector<DarkZone> out;
  for (const Zone& z : hall.zones) {
    bool fitted = false;
    for (const Facility& f : hall.facilities)
      if (f.type == FacilityType::emergency_light && f.floor == z.floor &&
          (geom::contains(z.polygon, f.position) || geom::distance_to_boundary(z.polygon, f.position) < 0.05))
        fitted = true;
    if (!fitted) {
      out.push_back({z.id, "no emergency light"});
      continue;
    }
    const auto stated = check::stated_emergency_illuminance_lx(hall, z);
    const double required = minimum ? minimum->zone_lx.at(z.type) : 0.0;
    if (stated && required > 0 && *stated + 1e-9 < required)
      out.push_back({z.id, fmt::format("{:.1f} lx < {:.1f} lx", *stated, required)});
  }
  return out;
}

void power_failure_drill(const Hall& hall, const Rulebook& book, const ops::OpsModel& model,
                         const EmergencyPlan& plan, const DayOptions& o, DrillResult& out,
                         const DrillTrace* trace) {
  const auto dark = unlit_zones(hall, book);
  std::string listed;
  for (const auto& d : dark) listed += fmt::format("{}{} ({})", listed.empty() ? "" : ", ", d.zone, d.why);
  out.kpis.push_back({"zones", static_cast<double>(hall.zones.size()), {}, {}});
  out.kpis.push_back({"unlit_zones", static_cast<double>(dark.size()), {}, {}});
  out.lines.push_back(dark.empty() ? std::string("every zone has an emergency light and its stated illuminance "
                                                 "meets the rulebook's minimum")
                                   : "zones left dark: " + listed);
  outage_drill(hall, model, plan, o, out, trace);
  evacuation_drill(hall, book, plan, o, plan.speed_factor, out);
  for (const auto& p : plan.promises)
    if (p.kind == PromiseKind::unlit_zones)
      out.promises.push_back(judge(p, static_cast<double>(dark.size()),
                                   "zones without an emergency_light fitting or below their minimum illuminance" +
                                       (dark.empty() ? std::string() : ": " + listed)));
}

}  // namespace halltwin::drill
