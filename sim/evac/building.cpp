#include "sim/evac/building.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "model/trace/trace_header.hpp"
#include "sim/ops/ops_model.hpp"

namespace halltwin::evac {

BuildingEvacuation::BuildingEvacuation(const Hall& hall_, const Rulebook& book, const BuildingOptions& options)
    : hall(hall_) {
  const EvacOptions& eo = options.evac;
  // The floors to evacuate: the one named (or the only one), else all of them
  // together, the upper ones down their protected stairs.
  building = hall.floors.size() > 1 && eo.floor.empty();
  if (building) {
    for (std::uint32_t f = 0; f < hall.floors.size(); ++f) floor_ids.push_back(FloorId{f});
    std::stable_sort(floor_ids.begin(), floor_ids.end(),
                     [&](FloorId a, FloorId b) { return hall.floor(a).storey < hall.floor(b).storey; });
  } else {
    FloorId fid{0};
    bool found = eo.floor.empty();
    for (std::uint32_t f = 0; f < hall.floors.size(); ++f)
      if (eo.floor.empty() ? hall.floors[f].storey == 1 : hall.floors[f].id == eo.floor)
        fid = FloorId{f}, found = true;
    if (!found)
      throw InputError(
          InputProblem{"", 0, 0, "--floor", fmt::format("'{}' is not a floor of this hall", eo.floor)});
    floor_ids.push_back(fid);
  }
  if (building) stairs = plan_stairs(hall);

  // A total for the building is shared among the floors: by the scenario's
  // persons per zone, else by the area of their waiting and window zones.
  std::vector<std::optional<int>> floor_population(floor_ids.size());
  const Evacuation& ev = hall.evacuation;
  if (building && (eo.population || (ev.population_total && ev.population_by_zone.empty()))) {
    const int total = eo.population ? *eo.population : *ev.population_total;
    std::vector<double> w(floor_ids.size(), 0.0), any(floor_ids.size(), 0.0);
    for (std::size_t i = 0; i < floor_ids.size(); ++i)
      for (const auto& z : hall.zones) {
        if (z.floor != floor_ids[i]) continue;
        const double a = geom::area(z.polygon);
        any[i] += a;
        if (!ev.population_by_zone.empty()) {
          if (auto it = ev.population_by_zone.find(z.id); it != ev.population_by_zone.end()) w[i] += it->second;
        } else if (z.type == ZoneType::waiting || z.type == ZoneType::window_area) {
          w[i] += a;
        }
      }
    if (std::accumulate(w.begin(), w.end(), 0.0) <= 0) w = any;
    const double sum = std::accumulate(w.begin(), w.end(), 0.0);
    int given = 0;
    for (std::size_t i = 0; i < floor_ids.size(); ++i) {
      const int n = i + 1 == floor_ids.size() ? total - given
                                              : static_cast<int>(std::floor(sum > 0 ? total * w[i] / sum : 0));
      floor_population[i] = n;
      given += n;
    }
  }

  // --at: the people the operations simulator has in the hall at that moment.
  if (options.at_s) {
    const std::string at = options.at_label.empty() ? fmt::format("{:.0f} s", *options.at_s) : options.at_label;
    if (!hall.operations.present)
      throw InputError(InputProblem{hall.source_file, 0, 0, "--at",
                                    "needs a hall with operations sections (services, demand, roster; format 2 "
                                    "or later) to know who is inside"});
    if (eo.population) throw InputError(InputProblem{"", 0, 0, "--at", "--population and --at exclude each other"});
    const double at_s = *options.at_s;
    at_date = date_of_day(options.start_date, static_cast<int>(at_s / 86400.0));
    const ops::OpsModel om(hall);
    ops::RunOptions ro;
    ro.seed = options.seed;
    ro.start_date = options.start_date;
    ro.days = static_cast<int>(at_s / 86400.0) + 1;
    ro.stop_at_s = at_s;
    const ops::RunResult day = ops::simulate(om, ro);
    placed.emplace();
    for (FloorId fid : floor_ids) {
      const Placement p = place_snapshot(hall, fid, *day.snapshot);
      placed->persons.insert(placed->persons.end(), p.persons.begin(), p.persons.end());
      placed->moved += p.moved;
      placed->dropped += p.dropped;
      if (!building) placed->on_other_floors = p.on_other_floors;
    }
    if (placed->persons.empty())
      throw InputError(InputProblem{
          "", 0, 0, "--at",
          fmt::format("nobody is on {} at {} {} (closed, or before opening): nothing to evacuate",
                      building ? std::string("any floor") : "floor " + hall.floor(floor_ids[0]).id, at_date, at)});
    at_hall_ = hall;
    at_hall_->evacuation.present = true;
    at_hall_->evacuation.persons = placed->persons;
    at_hall_->evacuation.population_by_zone.clear();
    at_hall_->evacuation.population_total.reset();
  }

  for (std::size_t i = 0; i < floor_ids.size(); ++i) {
    EvacOptions fo = eo;
    fo.floor = hall.floor(floor_ids[i]).id;
    fo.one_of_several = building;
    if (floor_population[i]) fo.population = *floor_population[i];
    models_.push_back(std::make_unique<EvacModel>(at_hall_ ? *at_hall_ : hall, book, fo));
  }
  for (const auto& m : models_) population += m->population, cap_s = std::max(cap_s, m->time_cap_s);
}

double BuildingEvacuation::hand_estimate_s() const {
  double hand_s = 0;
  for (const auto& mp : models_) {
    // A floor's own; for a floor above the ground: pre-movement + its longest
    // walk + its longest stair at the stair speed + its persons through the
    // narrower of its doors (1.3 persons/(m s)) and its stairs (1.1 persons/(m s)
    // down, its other exits at 1.3).
    const EvacModel& fm = *mp;
    double h = fm.hydraulic_estimate_s;
    if (building) {
      double stair_w = 0, stair_door_w = 0, longest = 0;
      for (const auto& leg : stairs->legs)
        for (const auto& d : hall.doors)
          if (d.id == leg.upper_door && d.floor == fm.floor)
            stair_w += leg.width_m, stair_door_w += d.clear_width_m, longest = std::max(longest, leg.length_m);
      if (stair_w > 0) {
        const double other_w = std::max(0.0, fm.exit_width_m - stair_door_w);
        const double flow = std::min(1.3 * fm.exit_width_m, kStairFlowDown_ppms * stair_w + 1.3 * other_w);
        h = fm.hand_premovement_s + fm.hand_walk_m / fm.hand_speed_mps +
            longest / (fm.hand_speed_mps * kStairSpeedFactor) + fm.population / flow;
      }
    }
    hand_s = std::max(hand_s, h);
  }
  return hand_s;
}

double BuildingRuns::evacuation_time_s(int r) const {
  const auto k = static_cast<std::size_t>(r - 1);
  return building.empty() ? floors.front().at(k).evacuation_time_s : building.at(k).evacuation_time_s;
}

BuildingRuns run_building(const BuildingEvacuation& b, const EvacPlan& plan,
                          const std::function<void(std::size_t, EvacPlan&)>& customise) {
  BuildingRuns out;
  const auto& models = b.models();
  for (std::size_t i = 0; i < models.size(); ++i) {
    EvacPlan p = plan;
    // Each floor draws from its own streams, so adding a floor never changes another's people.
    p.base.stream_tag = b.building ? b.hall.floor(models[i]->floor).id : "";
    if (customise) customise(i, p);
    out.floors.push_back(run_replications(*models[i], p));
  }
  if (b.building)
    for (int r = 0; r < plan.replications; ++r) {
      std::vector<FloorRun> fr;
      for (std::size_t i = 0; i < models.size(); ++i)
        fr.push_back({b.hall.floor(models[i]->floor).id, &out.floors[i][static_cast<std::size_t>(r)]});
      out.building.push_back(descend_stairs(b.hall, *b.stairs, fr, b.cap_s));
    }
  return out;
}

}  // namespace halltwin::evac
