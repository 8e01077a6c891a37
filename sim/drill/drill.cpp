#include "sim/drill/drill.hpp"

#include "model/emergencies_loader.hpp"
#include "sim/drill/crowd_surge.hpp"
#include "sim/drill/epidemic.hpp"
#include "sim/drill/evacuation_drill.hpp"
#include "sim/drill/power_failure.hpp"
#include "sim/drill/sudden_illness.hpp"
#include "sim/ops/ops_model.hpp"

namespace halltwin::drill {

DrillResult run_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, const DrillOptions& o) {
  DrillResult out;
  out.emergency = plan.name;
  out.kind = std::string(name(plan.kind));
  switch (plan.kind) {
    case EmergencyKind::it_failure:
      outage_drill(hall, ops::OpsModel(hall), plan, o.day, out, &o.trace);
      break;
    case EmergencyKind::power_failure:
      power_failure_drill(hall, book, ops::OpsModel(hall), plan, o.day, out, &o.trace);
      break;
    case EmergencyKind::fire:
    case EmergencyKind::gas_leak:
      evacuation_drill(hall, book, plan, o.day, 1.0, out, &o.trace);
      break;
    case EmergencyKind::sudden_illness:
      sudden_illness_drill(hall, book, plan, o.cell_m, out);
      break;
    case EmergencyKind::epidemic:
      epidemic_drill(hall, plan, o.day, out, &o.trace);
      break;
    case EmergencyKind::crowd_surge:
      crowd_surge_drill(hall, book, plan, o.day, o.cell_m, out, &o.trace);
      break;
  }
  return out;
}

}  // namespace halltwin::drill
