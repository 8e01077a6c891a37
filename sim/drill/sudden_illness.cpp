#include "sim/drill/sudden_illness.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/check/check_context.hpp"
#include "sim/check/checker.hpp"

namespace halltwin::drill {

namespace {

struct Worst {
  double distance_m = -1.0;  // -1: no walkable point
  FloorId floor;
  Vec2 at;
};

}  // namespace

void sudden_illness_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, double cell_m,
                          DrillResult& out) {
  check::CheckContext ctx(hall, book, cell_m > 0 ? cell_m : check::raster_cell_m(hall));
  // The worst point of the hall for each kind of kit: the walkable point
  // (that can reach an exit) farthest from the nearest one, on its floor. A
  // floor without the kit makes its every point unreachable (+inf): help
  // from another floor is not counted (docs/drill.md).
  auto worst_for = [&](FacilityType type) {
    Worst w;
    for (FloorId f : check::floor_ids(hall)) {
      const geom::DistanceField& exits = ctx.exit_field(f);
      const geom::DistanceField* kit = ctx.facility_field(f, type);
      const geom::FloorGrid& grid = exits.grid();
      for (std::size_t k = 0; k < grid.size(); ++k) {
        if (!grid.walkable(k) || !std::isfinite(exits.at_cell(k))) continue;
        const double d = kit ? kit->at_cell(k) : HUGE_VAL;
        if (d > w.distance_m) w = {d, f, grid.center(k)};
      }
    }
    return w;
  };
  const Worst aed = worst_for(FacilityType::aed), kit = worst_for(FacilityType::first_aid_kit);
  const double v = plan.staff_speed_mps, vs = plan.stretcher_speed_mps;
  auto minutes = [](double m, double mps) { return m < 0 ? 0.0 : m / mps / 60.0; };
  const double aed_min = minutes(aed.distance_m, v), kit_min = minutes(kit.distance_m, v);
  // The stretcher from the AED's worst point (where help takes longest) to its nearest exit.
  double stretcher_m = aed.distance_m < 0 ? 0.0 : ctx.exit_field(aed.floor).at(aed.at);
  const double stretcher_min = stretcher_m / vs / 60.0;
  int aeds = 0, kits = 0;
  for (const auto& f : hall.facilities) aeds += f.type == FacilityType::aed, kits += f.type == FacilityType::first_aid_kit;

  out.kpis.push_back({"aeds", static_cast<double>(aeds), {}, {}});
  out.kpis.push_back({"first_aid_kits", static_cast<double>(kits), {}, {}});
  out.kpis.push_back({"staff_speed_mps", v, {}, {}});
  out.kpis.push_back({"stretcher_speed_mps", vs, {}, {}});
  out.kpis.push_back({"aed_worst_distance_m", aed.distance_m, {}, {}});
  out.kpis.push_back({"aed_worst_time_s", aed_min * 60, {}, {}});
  out.kpis.push_back({"aed_worst_x", aed.at.x, {}, {}});
  out.kpis.push_back({"aed_worst_y", aed.at.y, {}, {}});
  out.kpis.push_back({"first_aid_worst_distance_m", kit.distance_m, {}, {}});
  out.kpis.push_back({"first_aid_worst_time_s", kit_min * 60, {}, {}});
  out.kpis.push_back({"stretcher_distance_m", stretcher_m, {}, {}});
  out.kpis.push_back({"stretcher_time_s", stretcher_min * 60, {}, {}});
  auto where = [&](const Worst& w) {
    return w.distance_m < 0 ? std::string("-")
                            : fmt::format("({:.1f}, {:.1f}) on {}", w.at.x, w.at.y, hall.floor(w.floor).id);
  };
  auto time = [](double min) { return std::isfinite(min) ? fmt::format("{:.1f} min", min) : std::string("never (none on that floor)"); };
  out.lines.push_back(fmt::format("a staff member walking at {:g} m/s, a stretcher at {:g} m/s; {} AED(s), {} first-aid kit(s)", v,
                                  vs, aeds, kits));
  out.lines.push_back(fmt::format("nearest AED: worst point {}, {:.1f} m, {}", where(aed), aed.distance_m, time(aed_min)));
  out.lines.push_back(fmt::format("nearest first-aid kit: worst point {}, {:.1f} m, {}", where(kit), kit.distance_m, time(kit_min)));
  out.lines.push_back(fmt::format("stretcher from the AED's worst point to the nearest exit: {:.1f} m, {:.1f} min", stretcher_m,
                                  stretcher_min));
  for (const auto& p : plan.promises) {
    if (p.kind == PromiseKind::aed_within)
      out.promises.push_back(judge(p, aed_min, "staff walk to the nearest AED from the worst point of the hall"));
    else if (p.kind == PromiseKind::first_aid_within)
      out.promises.push_back(judge(p, kit_min, "staff walk to the nearest first-aid kit from the worst point"));
    else if (p.kind == PromiseKind::stretcher_out_within)
      out.promises.push_back(judge(p, stretcher_min, "stretcher from the AED's worst point to the nearest exit"));
  }
}

}  // namespace halltwin::drill
