#include "sim/drill/crowd_surge.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "sim/evac/evac_model.hpp"
#include "sim/evac/from_operations.hpp"
#include "sim/evac/simulation.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/ops_model.hpp"
#include "sim/ops/simulation.hpp"
#include "sim/parallel_runs.hpp"

namespace halltwin::drill {

namespace {

// Those already in the hall stay where they are for the drill's few minutes
// (seated, queuing, at a window): they never start walking.
constexpr double kStandStill_s = 1e12;

const Door& door_of(const Hall& hall, const std::string& id) {
  for (const auto& d : hall.doors)
    if (d.id == id) return d;
  throw InputError(InputProblem{hall.source_file, 0, 0, "door", fmt::format("'{}' is not a door", id)});
}

Polygon square(Vec2 c, double half) {
  return {c + Vec2{-half, -half}, c + Vec2{half, -half}, c + Vec2{half, half}, c + Vec2{-half, half}};
}

// A region whose density is measured: polygons, and per density cell the
// walkable area inside them (from the navigation raster at the alarm).
struct Region {
  std::string name;
  std::vector<Polygon> polygons;
  std::vector<double> area_m2;  // per density cell
  bool inside(Vec2 p) const {
    for (const auto& poly : polygons)
      if (geom::contains(poly, p)) return true;
    return false;
  }
};

Region region(const evac::EvacModel& m, std::string name, std::vector<Polygon> polygons) {
  Region r{std::move(name), std::move(polygons), {}};
  r.area_m2.assign(static_cast<std::size_t>(m.density_nx) * m.density_ny, 0.0);
  const auto& G = m.grid();
  const double a = G.cell_m() * G.cell_m();
  for (std::size_t k = 0; k < G.size(); ++k) {
    if (!G.walkable(k)) continue;
    const Vec2 c = G.center(k);
    if (!m.area().contains(c) || !r.inside(c)) continue;
    const int i = static_cast<int>(std::floor((c.x - m.density_origin.x) / evac::kDensityCell_m));
    const int j = static_cast<int>(std::floor((c.y - m.density_origin.y) / evac::kDensityCell_m));
    if (i < 0 || j < 0 || i >= m.density_nx || j >= m.density_ny) continue;
    r.area_m2[static_cast<std::size_t>(j) * m.density_nx + i] += a;
  }
  return r;
}

// What one replication shows.
struct Measured {
  std::vector<double> peak_ppm2;       // by region
  std::vector<double> exit_peak_ppm2;  // by approach
  std::vector<int> counts;
  int next_sample = 1;
};

}  // namespace

void crowd_surge_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, const DayOptions& o,
                       double cell_m, DrillResult& out, const DrillTrace* trace) {
  const Door& door = door_of(hall, plan.door);
  const Floor& floor = hall.floor(door.floor);

  // ------------------------------------------------ who is in the hall at the trigger
  Hall h = hall;
  h.evacuation.present = true;
  h.evacuation.blocked.clear();  // a surge is no fire: every door open, no smoke
  h.evacuation.hazards.clear();
  h.evacuation.population_by_zone.clear();
  h.evacuation.population_total.reset();
  h.evacuation.persons.clear();
  const std::optional<double> at = o.at_s ? o.at_s : plan.at_s;
  std::string who = "nobody else in the hall (the plan gives no time)";
  if (at) {
    if (!hall.operations.present)
      throw InputError(InputProblem{hall.source_file, plan.at_line, 0, "emergencies[" + plan.name + "].at",
                                    "needs the hall's operations (services, demand, roster) to know who is inside"});
    const ops::OpsModel om(hall);
    ops::RunOptions ro;
    ro.seed = o.seed;
    ro.start_date = o.date;
    ro.days = 1;
    ro.stop_at_s = *at;
    const ops::RunResult day = ops::simulate(om, ro);
    evac::Placement placed = evac::place_snapshot(hall, door.floor, *day.snapshot);
    for (auto& p : placed.persons) p.premovement_s = kStandStill_s;
    h.evacuation.persons = std::move(placed.persons);
    const std::string label = o.at_s ? o.at_label
                                     : fmt::format("{:02}:{:02}", static_cast<int>(*at) / 3600,
                                                   static_cast<int>(*at) % 3600 / 60);
    who = fmt::format("{} person(s) in the hall at {} on {} (the operations day, replication 1), standing where "
                      "they are{}",
                      h.evacuation.persons.size(), label, o.date,
                      placed.dropped ? fmt::format("; {} without a free spot left out", placed.dropped) : "");
  }

  // ------------------------------------------------ the target
  evac::SurgeSpec spec;
  spec.door = plan.door;
  spec.count = plan.group_size;
  spec.spread_s = plan.arrival_spread_s;
  std::string target_text;
  const Zone* target_zone = nullptr;
  for (const auto& z : hall.zones)
    if (z.id == plan.target) target_zone = &z;
  if (target_zone) {
    spec.target = {target_zone->polygon};
    spec.target_inset_m = kZoneTargetInset_m;
    spec.spread = true;
    target_text = fmt::format("zone {} (each stops at a depth of its own into it, {:g} m or more)",
                              target_zone->id, kZoneTargetInset_m);
  } else {
    int n = 0;
    for (const auto& w : hall.windows)
      if ((w.id == plan.target || w.row == plan.target) && w.floor == door.floor)
        spec.target.push_back(square(w.position, kWindowTargetHalf_m)), ++n;
    target_text = fmt::format("window(s) {}: the {:.1f} m square about each of the {} standing place(s)", plan.target,
                              2 * kWindowTargetHalf_m, n);
  }
  if (spec.target.empty())
    throw InputError(InputProblem{hall.source_file, plan.line, 0, "emergencies[" + plan.name + "].target",
                                  fmt::format("'{}' has nothing on floor {}, the floor of door {}", plan.target,
                                              floor.id, door.id)});

  evac::EvacOptions eo;
  eo.floor = floor.id;
  eo.one_of_several = true;  // the other floors play no part: no note about them
  eo.population = 0;         // only the persons placed above, and the group
  eo.time_cap_s = plan.duration_s;
  eo.cell_m = cell_m;
  eo.surge = spec;
  const evac::EvacModel model(h, book, eo);

  // ------------------------------------------------ the regions measured
  std::vector<Region> regions;
  std::vector<Polygon> target_polys = spec.target;
  regions.push_back(region(model, "target " + plan.target, target_polys));
  int lobby = -1, windows = -1;
  if (!plan.lobby.empty()) {
    for (const auto& z : hall.zones)
      if (z.id == plan.lobby) regions.push_back(region(model, "lobby " + z.id, {z.polygon}));
    lobby = static_cast<int>(regions.size()) - 1;
  }
  {
    std::vector<Polygon> polys;
    std::string ids;
    for (const auto& z : hall.zones)
      if (z.type == ZoneType::window_area && z.floor == door.floor)
        polys.push_back(z.polygon), ids += (ids.empty() ? "" : ", ") + z.id;
    if (!polys.empty()) {
      regions.push_back(region(model, "window area " + ids, polys));
      windows = static_cast<int>(regions.size()) - 1;
    }
  }
  // The approaches of the safety exits that must stay clear.
  struct Approach {
    std::string exit;
    Polygon polygon;
    double area_m2 = 0.0;
    bool arrival = false;  // the group's own door: judged once the group is in
  };
  std::vector<Approach> approaches;
  for (const auto& id : plan.clear_exits) {
    for (const auto& e : model.exits) {
      if (e.id != id) continue;
      const Vec2 u = (1.0 / e.door.length()) * (e.door.b - e.door.a), in = -1.0 * e.outward;
      const Vec2 a = e.door.a - kExitApproachSide_m * u, b = e.door.b + kExitApproachSide_m * u;
      Approach ap{id, {a, b, b + kExitApproachDepth_m * in, a + kExitApproachDepth_m * in}, 0.0, id == plan.door};
      const auto& G = model.grid();
      for (std::size_t k = 0; k < G.size(); ++k)
        if (G.walkable(k) && model.area().contains(G.center(k)) && geom::contains(ap.polygon, G.center(k)))
          ap.area_m2 += G.cell_m() * G.cell_m();
      approaches.push_back(std::move(ap));
    }
  }

  // ------------------------------------------------ the replications
  const int reps = std::max(1, o.replications);
  const std::size_t n_hall = model.persons.size();
  std::vector<Measured> measured(static_cast<std::size_t>(reps));
  std::vector<evac::EvacResult> results(static_cast<std::size_t>(reps));
  // --trace: replication 1 (the people inside and the group, on the door's floor).
  std::unique_ptr<TraceWriter> writer;
  if (trace && trace->out)
    writer = std::make_unique<TraceWriter>(*trace->out, trace->header_for(o.date, evac::kSampleInterval_s), "--trace");
  // When the group's last member came in, per replication (from the person records).
  run_indexed(reps, o.threads, [&](int r) {
    Measured& me = measured[static_cast<std::size_t>(r)];
    me.peak_ppm2.assign(regions.size(), 0.0);
    me.exit_peak_ppm2.assign(approaches.size(), 0.0);
    me.counts.assign(static_cast<std::size_t>(model.density_nx) * model.density_ny, 0);
    double last_entry_s = spec.spread_s;  // updated from the agents seen inside
    std::size_t seen_group = 0;
    evac::EvacRunOptions ro;
    ro.seed = o.seed;
    ro.replication = r + 1;
    ro.observer = [&](double t, const evac::Agents& a, const Eigen::ArrayXd&, const Eigen::ArrayXd&) {
      // The group's members in the hall: the arrivals come in in order.
      std::size_t group_in = 0;
      for (std::size_t i = 0; i < a.size(); ++i) group_in += a.id[i] >= n_hall;
      if (group_in > seen_group) seen_group = group_in, last_entry_s = std::max(spec.spread_s, t);
      if (t < me.next_sample * evac::kSampleInterval_s - 1e-9) return;
      ++me.next_sample;
      for (std::size_t g = 0; g < regions.size(); ++g) {
        const Region& reg = regions[g];
        std::fill(me.counts.begin(), me.counts.end(), 0);
        for (std::size_t i = 0; i < a.size(); ++i) {
          const Vec2 p = a.position(i);
          const int ci = static_cast<int>(std::floor((p.x - model.density_origin.x) / evac::kDensityCell_m));
          const int cj = static_cast<int>(std::floor((p.y - model.density_origin.y) / evac::kDensityCell_m));
          if (ci < 0 || cj < 0 || ci >= model.density_nx || cj >= model.density_ny) continue;
          const std::size_t c = static_cast<std::size_t>(cj) * model.density_nx + ci;
          if (reg.area_m2[c] >= kMinDensityArea_m2 && reg.inside(p)) ++me.counts[c];
        }
        for (std::size_t c = 0; c < me.counts.size(); ++c)
          if (me.counts[c] > 0) me.peak_ppm2[g] = std::max(me.peak_ppm2[g], me.counts[c] / reg.area_m2[c]);
      }
      const bool group_in_all = seen_group >= static_cast<std::size_t>(spec.count);
      for (std::size_t k = 0; k < approaches.size(); ++k) {
        const Approach& ap = approaches[k];
        if (ap.area_m2 <= 0) continue;
        if (ap.arrival && (!group_in_all || t < last_entry_s + kArrivalGrace_s)) continue;
        int n = 0;
        for (std::size_t i = 0; i < a.size(); ++i) n += geom::contains(ap.polygon, a.position(i));
        me.exit_peak_ppm2[k] = std::max(me.exit_peak_ppm2[k], n / ap.area_m2);
      }
    };
    results[static_cast<std::size_t>(r)] = evac::simulate(model, ro, r == 0 ? writer.get() : nullptr);
  });

  if (writer) writer->flush();

  // ------------------------------------------------ the figures
  std::vector<double> last_s, mean_s, reached, entered;
  std::vector<std::vector<double>> peaks(regions.size()), exit_peaks(approaches.size());
  std::vector<double> exit_worst;
  bool never = false;
  for (int r = 0; r < reps; ++r) {
    const auto& res = results[static_cast<std::size_t>(r)];
    double last = 0, sum = 0;
    int n_reached = 0, n_entered = 0;
    for (std::size_t i = n_hall; i < res.persons.size(); ++i) {
      const auto& p = res.persons[i];
      n_entered += p.entered_s >= 0;
      if (p.target_s < 0) continue;
      ++n_reached;
      last = std::max(last, p.target_s);
      sum += p.target_s;
    }
    if (n_reached < plan.group_size) never = true;
    last_s.push_back(n_reached == plan.group_size ? last : HUGE_VAL);
    mean_s.push_back(n_reached ? sum / n_reached : 0.0);
    reached.push_back(n_reached);
    entered.push_back(n_entered);
    const Measured& me = measured[static_cast<std::size_t>(r)];
    for (std::size_t g = 0; g < regions.size(); ++g) peaks[g].push_back(me.peak_ppm2[g]);
    double worst = 0;
    for (std::size_t k = 0; k < approaches.size(); ++k)
      exit_peaks[k].push_back(me.exit_peak_ppm2[k]), worst = std::max(worst, me.exit_peak_ppm2[k]);
    exit_worst.push_back(worst);
  }
  // The promised figure: the upper end of the 95% interval over the
  // replications (the value itself with one), as RSET is judged.
  auto upper = [](const kpi::Estimate& e) { return e.ci95_high ? *e.ci95_high : e.mean; };
  auto add = [&](const std::string& key, const std::vector<double>& v) {
    const auto e = kpi::estimate(v, 0.0);
    out.kpis.push_back({key, e.mean, e.ci95_low, e.ci95_high});
    return e;
  };
  out.kpis.push_back({"group_size", static_cast<double>(plan.group_size), {}, {}});
  out.kpis.push_back({"arrival_spread_s", plan.arrival_spread_s, {}, {}});
  out.kpis.push_back({"duration_s", plan.duration_s, {}, {}});
  out.kpis.push_back({"persons_in_hall", static_cast<double>(n_hall), {}, {}});
  const kpi::Estimate entered_e = add("group_entered", entered), reached_e = add("group_at_target", reached);
  const kpi::Estimate last_e = never ? kpi::Estimate{} : add("group_at_target_s", last_s);
  if (never) out.kpis.push_back({"group_at_target_s", HUGE_VAL, {}, {}});
  add("group_at_target_mean_s", mean_s);
  const std::vector<kpi::Estimate> peak_e = [&] {
    std::vector<kpi::Estimate> v;
    const char* keys[] = {"peak_density_target_ppm2", "peak_density_lobby_ppm2", "peak_density_windows_ppm2"};
    for (std::size_t g = 0; g < regions.size(); ++g) {
      const int slot = g == 0 ? 0 : static_cast<int>(g) == lobby ? 1 : 2;
      v.push_back(add(keys[slot], peaks[g]));
    }
    return v;
  }();
  const kpi::Estimate exit_e = add("peak_density_exit_approach_ppm2", exit_worst);
  for (std::size_t k = 0; k < approaches.size(); ++k)
    add("peak_density_exit_" + approaches[k].exit + "_ppm2", exit_peaks[k]);

  // ------------------------------------------------ the account and the promises
  out.lines.push_back(fmt::format("{} person(s) come in by door {}{}, heading for {}", plan.group_size, door.id,
                                  plan.arrival_spread_s > 0
                                      ? fmt::format(" spread over {:g} s", plan.arrival_spread_s)
                                      : std::string(" all at once (through the door as fast as it lets them)"),
                                  target_text));
  // Those who never move are obstacles to the group's way (sim/evac: the
  // target field round them), unless they close it or cover the target.
  if (!model.still_bodies.empty()) {
    if (model.layouts[model.epochs[0].layout].target_area) {
      who += "; the group's way to the target goes round them";
    } else {
      for (const auto& n : model.notes)
        if (n.find("never move") != std::string::npos) who += "; " + n;
    }
  }
  out.lines.push_back(who);
  out.lines.push_back(fmt::format("simulated {:g} s on floor {} ({} model, {} replication(s)); density in {:g} m "
                                  "cells over their walkable part, sampled every {:g} s",
                                  plan.duration_s, floor.id, scenario_name(model.motion_model), reps, evac::kDensityCell_m,
                                  evac::kSampleInterval_s));
  out.lines.push_back(fmt::format("the group: {:.1f} came in, {:.1f} stopped at the target (in it, or queuing for it); the last at {}",
                                  entered_e.mean, reached_e.mean,
                                  never ? std::string("never (not all within the run)")
                                        : fmt::format("{:.1f} s", last_e.mean)));
  for (std::size_t g = 0; g < regions.size(); ++g)
    out.lines.push_back(fmt::format("peak density, {}: {:.2f} persons/m2", regions[g].name, peak_e[g].mean));
  std::string ex;
  for (std::size_t k = 0; k < approaches.size(); ++k)
    ex += fmt::format("{}{} {:.2f}", ex.empty() ? "" : ", ", approaches[k].exit,
                      kpi::estimate(exit_peaks[k], 0.0).mean);
  out.lines.push_back(approaches.empty() ? std::string("no exit approach measured")
                                         : fmt::format("peak density on the exit approaches ({:g} m deep, door + {:g} "
                                                       "m each side), persons/m2: {}",
                                                       kExitApproachDepth_m, kExitApproachSide_m, ex));
  for (const auto& p : plan.promises) {
    switch (p.kind) {
      case PromiseKind::group_at_target:
        out.promises.push_back(judge(p, never ? HUGE_VAL : upper(last_e) / 60.0,
                                     "the whole group at the target: the last member's time (upper 95% bound)"));
        break;
      case PromiseKind::peak_density_lobby:
        if (lobby >= 0)
          out.promises.push_back(judge(p, upper(peak_e[static_cast<std::size_t>(lobby)]),
                                       "peak density in the lobby " + plan.lobby + " (upper 95% bound)"));
        break;
      case PromiseKind::peak_density_windows:
        if (windows >= 0)
          out.promises.push_back(judge(p, upper(peak_e[static_cast<std::size_t>(windows)]),
                                       "peak density in the window area (upper 95% bound)"));
        break;
      case PromiseKind::peak_density_target:
        out.promises.push_back(judge(p, upper(peak_e[0]), "peak density in the target (upper 95% bound)"));
        break;
      case PromiseKind::exit_routes_clear:
        out.promises.push_back(
            judge(p, upper(exit_e),
                  fmt::format("peak density on the approach of exit(s) {} (upper 95% bound)",
                              fmt::join(plan.clear_exits, ", "))));
        break;
      default:
        break;
    }
  }
}

}  // namespace halltwin::drill
