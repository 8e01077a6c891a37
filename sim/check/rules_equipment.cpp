// Rule kinds about fire equipment, signs and lighting (GB 50140, GB 50016 10.3).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"
#include "sim/check/grid_regions.hpp"
#include "sim/check/rule_kind.hpp"

namespace halltwin::check {

namespace {

// Shared by the extinguisher and sign distance rules: the farthest walkable
// point (that can reach an exit) from the nearest facility of a type.
void walking_distance_finding(CheckContext& ctx, FacilityType type, double limit, Finding& f) {
  f.unit = "m";
  f.required = limit;
  const auto worst = worst_walking_distance(
      ctx, [&](FloorId fl) { return ctx.facility_field(fl, type); }, true);
  if (!worst.found) {
    f.status = Status::not_applicable;
    f.message = "no walkable point reaches a safety exit";
    return;
  }
  f.location = worst.where;
  f.floor = ctx.hall.floor(worst.floor).id;
  const std::string what =
      type == FacilityType::extinguisher ? "handheld extinguisher" : std::string(name(type));
  if (!std::isfinite(worst.distance_m)) {
    f.status = Status::fail;
    f.message = fmt::format("a point on floor {} cannot reach any {}", f.floor, what);
    return;
  }
  f.measured = worst.distance_m;
  f.status = pass_if(worst.distance_m <= limit + 1e-9);
  f.message = fmt::format("farthest point is {:.1f} m walking from the nearest {} (limit {:.1f} m)",
                          worst.distance_m, what, limit);
}

// extinguisher_distance_max: walking distance to a handheld extinguisher, by hazard class.
class ExtinguisherDistanceMax final : public RuleKind {
 public:
  explicit ExtinguisherDistanceMax(ParamReader& p) : max_(p.number_by<FireHazard>("max_m", 0, 1e4)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    walking_distance_finding(ctx, FacilityType::extinguisher, max_.at(ctx.hall.fire_hazard), f);
  }

 private:
  std::map<FireHazard, double> max_;
};

// facility_walking_distance_max: walking distance to a facility of a type.
class FacilityWalkingDistanceMax final : public RuleKind {
 public:
  explicit FacilityWalkingDistanceMax(ParamReader& p)
      : type_(p.enumeration<FacilityType>("facility")), max_(p.number("max_m", 0, 1e4)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    walking_distance_finding(ctx, type_, max_, f);
  }

 private:
  FacilityType type_;
  double max_;
};

// extinguisher_rating: per floor (the calculation unit), at least min_count
// extinguishers of at least the minimum rating, and total rating Q = K S / U
// (GB 50140-2005 7.3.1 with table 7.3.2). With max_per_point, also per
// placement point (设置点: extinguishers within same_point_m of each other,
// chained): at most max_per_point units (6.1.2), and each point's class-A
// rating at least its share Qe = Q / N of the N points of the floor (7.3.3,
// 7.3.4). With require_hazard_basis, a hall that does not say why its hazard
// class is what it is (hall.fire_hazard_basis) gets `warn` when nothing fails:
// the class sets every number of this rule.
class ExtinguisherRating final : public RuleKind {
 public:
  explicit ExtinguisherRating(ParamReader& p)
      : min_unit_(p.number_by<FireHazard>("min_unit_rating", 0, 100)),
        area_per_a_(p.number_by<FireHazard>("area_per_a_m2", 1, 1e5)),
        min_count_(p.number("min_count", 0, 100)),
        max_per_point_(p.number_or("max_per_point", 0, 0, 100)),
        same_point_m_(p.number_or("same_point_m", 1.0, 0, 10)),
        require_basis_(p.boolean_or("require_hazard_basis", false)) {
    if (const Param* k = p.map("k_factor")) {
      p.check_names_in(*k, "k_factor", {"none", "hydrants", "sprinklers", "both"});
      k_none_ = p.number_in(*k, "none", 0, 1), k_hyd_ = p.number_in(*k, "hydrants", 0, 1);
      k_spr_ = p.number_in(*k, "sprinklers", 0, 1), k_both_ = p.number_in(*k, "both", 0, 1);
    }
  }

  struct Point {
    std::string first_id;  // the first extinguisher of the point, in file order
    int units = 0;         // every extinguisher at the point (6.1.2 counts them all)
    double rating = 0;     // class-A rating of those of at least the minimum rating
    Vec2 where;
  };

  // Placement points of a floor: extinguishers chained within same_point_m, in file order.
  std::vector<Point> points(const Hall& h, FloorId fl, double min_unit) const {
    std::vector<const Facility*> ext;
    for (const auto& fa : h.facilities)
      if (fa.floor == fl && fa.type == FacilityType::extinguisher) ext.push_back(&fa);
    std::vector<int> group(ext.size(), -1);
    std::vector<Point> out;
    for (std::size_t i = 0; i < ext.size(); ++i) {
      if (group[i] >= 0) continue;
      group[i] = static_cast<int>(out.size());
      out.push_back(Point{ext[i]->id, 0, 0, ext[i]->position});
      // Flood the chain from i (breadth first; deterministic in file order).
      std::vector<std::size_t> todo{i};
      while (!todo.empty()) {
        const std::size_t a = todo.back();
        todo.pop_back();
        for (std::size_t b = 0; b < ext.size(); ++b)
          if (group[b] < 0 && distance(ext[a]->position, ext[b]->position) <= same_point_m_ + 1e-9)
            group[b] = group[i], todo.push_back(b);
      }
    }
    for (std::size_t i = 0; i < ext.size(); ++i) {
      Point& pt = out[static_cast<std::size_t>(group[i])];
      ++pt.units;
      if (ext[i]->rating_a + 1e-9 >= min_unit) pt.rating += ext[i]->rating_a;
    }
    return out;
  }

  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    const double k =
        h.sprinklered ? (h.indoor_hydrants ? k_both_ : k_spr_) : (h.indoor_hydrants ? k_hyd_ : k_none_);
    const double min_unit = min_unit_.at(h.fire_hazard), u = area_per_a_.at(h.fire_hazard);
    f.unit = "A";
    f.status = Status::pass;
    double worst_ratio = std::numeric_limits<double>::infinity();
    for (FloorId fl : floor_ids(h)) {
      const double s = geom::area(h.floor(fl).boundary);
      const double q = k * s / u;
      double rating = 0;
      int count = 0, weak = 0;
      for (const auto& fa : h.facilities) {
        if (fa.floor != fl || fa.type != FacilityType::extinguisher) continue;
        if (fa.rating_a + 1e-9 >= min_unit)
          ++count, rating += fa.rating_a;
        else
          ++weak;
      }
      bool ok = rating + 1e-9 >= q && count >= min_count_;
      double ratio = q > 0 ? rating / q : 1e9;
      std::string point_text;
      std::optional<Vec2> point_where;
      if (max_per_point_ > 0) {
        const auto pts = points(h, fl, min_unit);
        if (!pts.empty()) {
          const double qe = q / static_cast<double>(pts.size());
          const Point* weakest = &pts.front();
          const Point* fullest = &pts.front();
          for (const auto& pt : pts) {
            if (pt.rating < weakest->rating) weakest = &pt;
            if (pt.units > fullest->units) fullest = &pt;
          }
          const bool share_ok = weakest->rating + 1e-9 >= qe;
          const bool units_ok = fullest->units <= max_per_point_;
          point_text = fmt::format("; {} placement point(s), each needs Qe = Q / N = {:.1f}A: the weakest (at '{}') "
                                   "carries {:.0f}A",
                                   pts.size(), qe, weakest->first_id, weakest->rating);
          if (!units_ok)
            point_text += fmt::format("; the point at '{}' holds {} units (at most {:.0f} per point)",
                                      fullest->first_id, fullest->units, max_per_point_);
          if (!share_ok) point_where = weakest->where;
          if (!units_ok && !point_where) point_where = fullest->where;
          ok = ok && share_ok && units_ok;
          if (qe > 0) ratio = std::min(ratio, weakest->rating / qe);
          if (!units_ok) ratio = std::min(ratio, max_per_point_ / fullest->units);
        }
      }
      if ((!ok && f.status == Status::pass) || (ok == (f.status == Status::pass) && ratio < worst_ratio)) {
        worst_ratio = ratio;
        f.measured = rating;
        f.required = q;
        f.floor = h.floor(fl).id;
        f.location = point_where;
        f.message = fmt::format(
            "floor {}: {} extinguisher(s) of at least {:.0f}A with {:.0f}A in all{}; needs {:.0f} or more "
            "and "
            "K x S / U = {:.1f} x {:.0f} m2 / {:.0f} m2/A = {:.1f}A{}",
            h.floor(fl).id, count, min_unit, rating,
            weak ? fmt::format(" ({} below the minimum rating not counted)", weak) : "", min_count_, k, s, u,
            q, point_text);
      }
      if (!ok) f.status = Status::fail;
    }
    if (require_basis_) {
      if (h.fire_hazard_basis.empty()) {
        f.message += fmt::format("; the scenario does not justify the hazard class '{}' (hall.fire_hazard_basis)",
                                 name(h.fire_hazard));
        if (f.status == Status::pass) f.status = Status::warn;
      } else {
        f.message += fmt::format("; hazard class '{}': {}", name(h.fire_hazard), h.fire_hazard_basis);
      }
    }
  }

 private:
  std::map<FireHazard, double> min_unit_, area_per_a_;
  double min_count_;
  double max_per_point_, same_point_m_;
  bool require_basis_;
  double k_none_ = 1, k_hyd_ = 1, k_spr_ = 1, k_both_ = 1;
};

// exit_sign_at_exits: an exit sign within max_distance_m of every safety exit.
class ExitSignAtExits final : public RuleKind {
 public:
  explicit ExitSignAtExits(ParamReader& p) : max_(p.number("max_distance_m", 0, 100)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "unmarked exits";
    f.required = 0;
    int bad = 0, n = 0;
    std::string list;
    for (const auto& d : ctx.hall.doors) {
      if (!d.is_safety_exit()) continue;
      ++n;
      bool marked = false;
      for (const auto& fa : ctx.hall.facilities)
        if (fa.floor == d.floor && fa.type == FacilityType::exit_sign &&
            geom::point_segment_distance(fa.position, d.opening) <= max_)
          marked = true;
      if (!marked) {
        ++bad;
        list += fmt::format("{}'{}'", list.empty() ? "" : ", ", d.id);
        if (!f.location) f.location = d.opening.midpoint(), f.floor = ctx.hall.floor(d.floor).id;
      }
    }
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = "no safety exits";
      return;
    }
    f.measured = bad;
    f.status = pass_if(bad == 0);
    f.message = bad == 0 ? fmt::format("all {} safety exits have an exit sign within {:.1f} m", n, max_)
                         : fmt::format("no exit sign within {:.1f} m of: {}", max_, list);
  }

 private:
  double max_;
};

// facility_count_min: at least min_per_floor facilities of a type on every floor.
class FacilityCountMin final : public RuleKind {
 public:
  explicit FacilityCountMin(ParamReader& p)
      : type_(p.enumeration<FacilityType>("facility")), min_(p.number("min_per_floor", 0, 1e5)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "per floor";
    f.required = min_;
    double worst = std::numeric_limits<double>::infinity();
    for (FloorId fl : floor_ids(ctx.hall)) {
      double n = 0;
      for (const auto& fa : ctx.hall.facilities)
        if (fa.floor == fl && fa.type == type_) ++n;
      if (n < worst) worst = n, f.floor = ctx.hall.floor(fl).id;
    }
    f.measured = worst;
    f.status = pass_if(worst >= min_);
    f.message = fmt::format("fewest {} on one floor: {:.0f} (floor {})", name(type_), worst, f.floor);
  }

 private:
  FacilityType type_;
  double min_;
};

// sign_route_spacing: exit-direction signs along the egress routes (GB 50016
// 10.3.5: at most 20 m apart). Every walkable point's egress route is the
// steepest descent of the exit walking-distance field; a route point is
// "marked" when a sign is within sign_reach_m of it in line of sight. The gap
// of a point is the walking distance along its route to the first marked point
// (or to the exit); the rule holds when no gap exceeds max_spacing_m.
class SignRouteSpacing final : public RuleKind {
 public:
  explicit SignRouteSpacing(ParamReader& p)
      : type_(p.enumeration<FacilityType>("facility")),
        max_spacing_(p.number("max_spacing_m", 0, 1e4)),
        reach_(p.number("sign_reach_m", 0, 100)) {}

  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    f.required = max_spacing_;
    double worst = -1;
    for (FloorId fl : floor_ids(ctx.hall)) {
      const auto& fg = ctx.geometry.floor(fl);
      const auto& grid = fg.grid;
      const auto& exit = ctx.exit_field(fl);
      // Route points within reach of a sign.
      std::vector<std::uint8_t> marked(grid.size(), 0);
      const double h = grid.cell_m();
      for (const auto& fa : ctx.hall.facilities) {
        if (fa.floor != fl || fa.type != type_) continue;
        const Vec2 p = ctx.snap_to_walkable(fl, fa.position);
        const int i0 = std::max(0, static_cast<int>(std::floor((p.x - reach_ - grid.origin().x) / h)));
        const int i1 =
            std::min(grid.nx() - 1, static_cast<int>(std::floor((p.x + reach_ - grid.origin().x) / h)));
        const int j0 = std::max(0, static_cast<int>(std::floor((p.y - reach_ - grid.origin().y) / h)));
        const int j1 =
            std::min(grid.ny() - 1, static_cast<int>(std::floor((p.y + reach_ - grid.origin().y) / h)));
        for (int j = j0; j <= j1; ++j)
          for (int i = i0; i <= i1; ++i) {
            const std::size_t k = grid.index(i, j);
            if (grid.walkable(k) && !marked[k] && distance(grid.center(k), p) <= reach_ &&
                fg.area.visible(grid.center(k), p))
              marked[k] = 1;
          }
      }
      // Cells in order of walking distance to the exit: each route's downstream part is done first.
      std::vector<std::size_t> order;
      for (std::size_t k = 0; k < grid.size(); ++k)
        if (grid.walkable(k) && std::isfinite(exit.at_cell(k))) order.push_back(k);
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return exit.at_cell(a) != exit.at_cell(b) ? exit.at_cell(a) < exit.at_cell(b) : a < b;
      });
      // first_mark[k]: exit distance of the first marked point downstream of k.
      std::vector<double> first_mark(grid.size(), 0.0);
      for (std::size_t k : order) {
        const double e = exit.at_cell(k);
        if (marked[k] || e <= h) {  // a sign in reach, or at the exit itself
          first_mark[k] = marked[k] ? e : 0.0;
          continue;
        }
        const int i = static_cast<int>(k % grid.nx()), j = static_cast<int>(k / grid.nx());
        std::size_t next = k;
        double best = e;
        for (int dj = -1; dj <= 1; ++dj)
          for (int di = -1; di <= 1; ++di) {
            const int ni = i + di, nj = j + dj;
            if ((di == 0 && dj == 0) || ni < 0 || nj < 0 || ni >= grid.nx() || nj >= grid.ny()) continue;
            const std::size_t n = grid.index(ni, nj);
            if (grid.walkable(n) && exit.at_cell(n) < best) best = exit.at_cell(n), next = n;
          }
        first_mark[k] = next == k ? 0.0 : first_mark[next];
        const double gap = e - first_mark[k];
        if (gap > worst) {
          worst = gap;
          f.location = grid.center(k);
          f.floor = ctx.hall.floor(fl).id;
        }
      }
    }
    if (worst < 0) {
      f.status = Status::pass;
      f.measured = 0.0;
      f.message = "every egress route has a sign within reach from its start";
      return;
    }
    f.measured = worst;
    f.status = pass_if(worst <= max_spacing_ + 1e-9);
    f.message = fmt::format(
        "longest stretch of an egress route without a {} within {:.1f} m: {:.1f} m (limit {:.1f} m), "
        "starting at the location",
        name(type_), reach_, worst, max_spacing_);
  }

 private:
  FacilityType type_;
  double max_spacing_, reach_;
};

// emergency_illuminance_min: the design minimum horizontal illuminance of the
// emergency (egress) lighting on the floor, as the scenario states it per zone
// (or per floor, for the zones that state none) and per stair, against the
// value the rulebook sets for the zone's type (0: the clause sets none, e.g.
// toilets and plant rooms) and for stairs (GB 50016 10.3.2). The scenario's
// number is the lighting design's result: the checker does no photometry.
// Fails when a stated value is below its minimum; warns when a zone or stair
// that needs a value states none.
class EmergencyIlluminanceMin final : public RuleKind {
 public:
  explicit EmergencyIlluminanceMin(ParamReader& p)
      : zone_min_(p.number_by<ZoneType>("min_lx", 0, 1e3)), stair_min_(p.number("stair_min_lx", 0, 1e3)) {}

  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    f.unit = "lx";
    int checked = 0, below = 0;
    std::string missing, low;
    double worst_ratio = std::numeric_limits<double>::infinity();
    auto consider = [&](const std::string& what, std::optional<double> stated, double required, FloorId fl,
                        Vec2 where) {
      if (required <= 0) return;
      ++checked;
      if (!stated) {
        missing += fmt::format("{}{}", missing.empty() ? "" : ", ", what);
        return;
      }
      if (*stated + 1e-9 < required) {
        ++below;
        low += fmt::format("{}{} {:.1f} lx < {:.1f} lx", low.empty() ? "" : "; ", what, *stated, required);
      }
      const double ratio = *stated / required;
      if (ratio < worst_ratio) {
        worst_ratio = ratio;
        f.measured = *stated;
        f.required = required;
        f.location = where;
        f.floor = h.floor(fl).id;
      }
    };
    for (const auto& z : h.zones) {
      const auto stated = z.emergency_illuminance_lx ? z.emergency_illuminance_lx
                                                     : h.floor(z.floor).emergency_illuminance_lx;
      consider(fmt::format("zone '{}' ({})", z.id, name(z.type)), stated, zone_min_.at(z.type), z.floor,
               geom::centroid(z.polygon));
    }
    for (const auto& s : h.stairs)
      consider(fmt::format("stair '{}'", s.id), s.emergency_illuminance_lx, stair_min_, s.from_floor,
               h.doors.at(s.from_door.value).opening.midpoint());
    if (checked == 0) {
      f.status = Status::not_applicable;
      f.message = "no zone or stair for which the rulebook sets a minimum illuminance";
      return;
    }
    if (below > 0) {
      f.status = Status::fail;
      f.message = fmt::format("design emergency illuminance below the minimum in {} of {} space(s): {}", below,
                              checked, low);
    } else if (!missing.empty()) {
      f.status = Status::warn;
      f.message = fmt::format(
          "the scenario states no design emergency illuminance (emergency_illuminance_lx) for: {}{}", missing,
          f.measured ? "; the stated ones meet their minimum" : "");
    } else {
      f.status = Status::pass;
      f.message = fmt::format(
          "all {} zone(s) and stair(s) that need egress lighting state a design illuminance at or above "
          "their minimum; the lowest margin is {:.1f} lx for {:.1f} lx required",
          checked, f.measured.value_or(0), f.required.value_or(0));
    }
  }

 private:
  std::map<ZoneType, double> zone_min_;
  double stair_min_;
};

}  // namespace

void register_equipment_rules(std::map<std::string, RuleFactory>& k) {
  k["extinguisher_distance_max"] = factory<ExtinguisherDistanceMax>({"max_m"});
  k["facility_walking_distance_max"] = factory<FacilityWalkingDistanceMax>({"facility", "max_m"});
  k["extinguisher_rating"] =
      factory<ExtinguisherRating>({"min_unit_rating", "area_per_a_m2", "min_count", "k_factor", "max_per_point",
                                   "same_point_m", "require_hazard_basis"});
  k["exit_sign_at_exits"] = factory<ExitSignAtExits>({"max_distance_m"});
  k["facility_count_min"] = factory<FacilityCountMin>({"facility", "min_per_floor"});
  k["emergency_illuminance_min"] = factory<EmergencyIlluminanceMin>({"min_lx", "stair_min_lx"});
  k["sign_route_spacing"] = factory<SignRouteSpacing>({"facility", "max_spacing_m", "sign_reach_m"});
}

}  // namespace halltwin::check
