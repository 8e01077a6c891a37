#include "sim/check/emergency_lighting.hpp"

#include "model/input_error.hpp"
#include "sim/check/params.hpp"

namespace halltwin::check {

std::optional<double> stated_emergency_illuminance_lx(const Hall& hall, const Zone& zone) {
  return zone.emergency_illuminance_lx ? zone.emergency_illuminance_lx
                                       : hall.floor(zone.floor).emergency_illuminance_lx;
}

std::optional<EmergencyLightingMinimum> emergency_lighting_minimum(const Rulebook& book) {
  for (const Rule& rule : book.rules) {
    if (rule.kind != "emergency_illuminance_min") continue;
    ParamReader p(rule.file.empty() ? book.source_file : rule.file, rule);
    EmergencyLightingMinimum m;
    m.rule_id = rule.id;
    m.zone_lx = p.number_by<ZoneType>("min_lx", 0, 1e3);
    m.stair_lx = p.number("stair_min_lx", 0, 1e3);
    auto problems = p.take_problems();
    if (!problems.empty()) throw InputError(std::move(problems));
    return m;
  }
  return std::nullopt;
}

}  // namespace halltwin::check
