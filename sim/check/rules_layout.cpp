// Rule kinds about the hall's size, its functional layout and its air supply.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"
#include "sim/check/rule_kind.hpp"

namespace halltwin::check {

namespace {

// building_area_min: total floor area (sum of floor outlines) against the level's minimum.
class BuildingAreaMin final : public RuleKind {
 public:
  explicit BuildingAreaMin(ParamReader& p) : min_m2_(p.number_by<AdminLevel>("min_m2", 0, 1e7)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    double total = 0;
    for (const auto& fl : ctx.hall.floors) total += geom::area(fl.boundary);
    const double req = min_m2_.at(ctx.hall.level);
    f.measured = total;
    f.required = req;
    f.unit = "m2";
    f.status = pass_if(total >= req);
    f.message = fmt::format("building area {:.0f} m2 over {} floor(s); a {} hall needs at least {:.0f} m2",
                            total, ctx.hall.floors.size(), name(ctx.hall.level), req);
  }

 private:
  std::map<AdminLevel, double> min_m2_;
};

// required_zones: every zone type the level requires is present somewhere.
class RequiredZones final : public RuleKind {
 public:
  explicit RequiredZones(ParamReader& p) : by_level_(p.list_by<AdminLevel, ZoneType>("by_level")) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    std::set<ZoneType> present;
    for (const auto& z : ctx.hall.zones) present.insert(z.type);
    const auto& req = by_level_.at(ctx.hall.level);
    std::string missing;
    int have = 0;
    for (ZoneType t : req) {
      if (present.count(t))
        ++have;
      else
        missing += (missing.empty() ? "" : ", ") + std::string(name(t));
    }
    f.measured = have;
    f.required = static_cast<double>(req.size());
    f.unit = "zone types";
    f.status = pass_if(missing.empty());
    f.message = missing.empty() ? fmt::format("all {} zone types required for a {} hall are present",
                                              req.size(), name(ctx.hall.level))
                                : fmt::format("missing zone types: {}", missing);
  }

 private:
  std::map<AdminLevel, std::vector<ZoneType>> by_level_;
};

// window_kind_min: at least `min` windows of `kind`.
class WindowKindMin final : public RuleKind {
 public:
  explicit WindowKindMin(ParamReader& p)
      : kind_(p.enumeration<WindowKind>("kind")), min_(p.number("min", 0, 1e5)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const auto n = std::count_if(ctx.hall.windows.begin(), ctx.hall.windows.end(),
                                 [&](const Window& w) { return w.kind == kind_; });
    f.measured = static_cast<double>(n);
    f.required = min_;
    f.unit = "windows";
    f.status = pass_if(static_cast<double>(n) >= min_);
    f.message = fmt::format("{} window(s) of kind {} among {}", n, name(kind_), ctx.hall.windows.size());
  }

 private:
  WindowKind kind_;
  double min_;
};

// seats_per_window_min: waiting seats per window.
class SeatsPerWindowMin final : public RuleKind {
 public:
  explicit SeatsPerWindowMin(ParamReader& p) : min_ratio_(p.number("min_ratio", 0, 1e4)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "seats/window";
    f.required = min_ratio_;
    if (ctx.hall.windows.empty()) {
      f.status = Status::not_applicable;
      f.message = "the hall has no windows";
      return;
    }
    const double ratio =
        static_cast<double>(ctx.hall.seats.size()) / static_cast<double>(ctx.hall.windows.size());
    f.measured = ratio;
    f.status = pass_if(ratio >= min_ratio_);
    f.message = fmt::format("{} seats for {} windows", ctx.hall.seats.size(), ctx.hall.windows.size());
  }

 private:
  double min_ratio_;
};

// placement_walkable: windows, seats and devices stand in the walkable area
// (not inside a wall or an obstacle); facilities within reach of it.
class PlacementWalkable final : public RuleKind {
 public:
  explicit PlacementWalkable(ParamReader& p) : reach_m_(p.number("facility_reach_m", 0, 10)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    int bad = 0;
    std::string list;
    auto report = [&](const std::string& what, const std::string& id, FloorId fl, Vec2 p) {
      ++bad;
      if (!f.location) {
        f.location = p;
        f.floor = h.floor(fl).id;
      }
      if (bad > 5) return;
      std::string inside;
      for (const auto& ob : h.obstacles)
        if (ob.floor == fl && geom::contains(ob.polygon, p)) {
          inside = fmt::format(" (inside {} '{}')", name(ob.kind), ob.id);
          break;
        }
      list += fmt::format("{}{} '{}' at ({:.2f}, {:.2f}){}", list.empty() ? "" : "; ", what, id, p.x, p.y,
                          inside);
    };
    auto walkable = [&](FloorId fl, Vec2 p) { return ctx.geometry.floor(fl).area.contains(p); };
    for (const auto& w : h.windows)
      if (!walkable(w.floor, w.position)) report("window", w.id, w.floor, w.position);
    for (const auto& s : h.seats)
      if (!walkable(s.floor, s.position)) report("seat", s.id, s.floor, s.position);
    for (const auto& d : h.devices)
      if (!walkable(d.floor, d.position)) report(std::string(name(d.kind)), d.id, d.floor, d.position);
    for (const auto& fa : h.facilities) {
      const Vec2 q = ctx.snap_to_walkable(fa.floor, fa.position);
      if (distance(q, fa.position) > reach_m_)
        report(std::string(name(fa.type)), fa.id, fa.floor, fa.position);
    }
    f.measured = bad;
    f.required = 0;
    f.unit = "misplaced";
    f.status = pass_if(bad == 0);
    f.message = bad == 0 ? "every window, seat, device and facility is reachable"
                         : fmt::format("{} misplaced: {}{}", bad, list, bad > 5 ? "; ..." : "");
  }

 private:
  double reach_m_;
};

// zone_size_min: each zone of a type has a minimum area and fits a turning circle.
class ZoneSizeMin final : public RuleKind {
 public:
  explicit ZoneSizeMin(ParamReader& p)
      : type_(p.enumeration<ZoneType>("zone")),
        min_area_(p.number("min_area_m2", 0, 1e6)),
        turning_d_(p.number_or("turning_diameter_m", 0, 0, 100)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m2";
    f.required = min_area_;
    int n = 0;
    std::string problems;
    double smallest = std::numeric_limits<double>::infinity();
    for (const auto& z : ctx.hall.zones) {
      if (z.type != type_) continue;
      ++n;
      const double a = geom::area(z.polygon);
      const bool circle = turning_d_ <= 0 || geom::fits_circle(z.polygon, turning_d_ / 2);
      if (a < smallest) smallest = a;
      if (a < min_area_ || !circle) {
        problems += fmt::format("{}'{}' ({:.2f} m2{})", problems.empty() ? "" : "; ", z.id, a,
                                circle ? "" : fmt::format(", no {:.2f} m turning circle", turning_d_));
        if (!f.location) {
          f.location = geom::centroid(z.polygon);
          f.floor = ctx.hall.floor(z.floor).id;
        }
      }
    }
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = fmt::format("the hall has no {} zone", name(type_));
      return;
    }
    f.measured = smallest;
    f.status = pass_if(problems.empty());
    f.message = problems.empty() ? fmt::format("{} {} zone(s), smallest {:.2f} m2", n, name(type_), smallest)
                                 : fmt::format("too small: {}", problems);
  }

 private:
  ZoneType type_;
  double min_area_;
  double turning_d_;
};

// fresh_air_min: design fresh air against m3/h per person of the occupant load.
class FreshAirMin final : public RuleKind {
 public:
  explicit FreshAirMin(ParamReader& p) : per_person_(p.number("m3h_per_person", 0, 1e4)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const double need = per_person_ * ctx.load.total;
    f.required = need;
    f.unit = "m3/h";
    if (!ctx.hall.fresh_air_m3h) {
      f.status = Status::warn;
      f.message =
          fmt::format("the scenario does not state hall.fresh_air_m3h; {:.0f} persons need {:.0f} m3/h",
                      ctx.load.total, need);
      return;
    }
    f.measured = *ctx.hall.fresh_air_m3h;
    f.status = pass_if(*ctx.hall.fresh_air_m3h >= need);
    f.message = fmt::format("{:.0f} persons x {:.0f} m3/h; occupant load: {}", ctx.load.total, per_person_,
                            ctx.load.basis);
  }

 private:
  double per_person_;
};

}  // namespace

void register_layout_rules(std::map<std::string, RuleFactory>& k) {
  k["building_area_min"] = factory<BuildingAreaMin>({"min_m2"});
  k["required_zones"] = factory<RequiredZones>({"by_level"});
  k["window_kind_min"] = factory<WindowKindMin>({"kind", "min"});
  k["seats_per_window_min"] = factory<SeatsPerWindowMin>({"min_ratio"});
  k["placement_walkable"] = factory<PlacementWalkable>({"facility_reach_m"});
  k["zone_size_min"] = factory<ZoneSizeMin>({"zone", "min_area_m2", "turning_diameter_m"});
  k["fresh_air_min"] = factory<FreshAirMin>({"m3h_per_person"});
}

}  // namespace halltwin::check
