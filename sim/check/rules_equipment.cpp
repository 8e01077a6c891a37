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
// extinguishers of at least the minimum rating, and total rating Q = K S / U.
class ExtinguisherRating final : public RuleKind {
 public:
  explicit ExtinguisherRating(ParamReader& p)
      : min_unit_(p.number_by<FireHazard>("min_unit_rating", 0, 100)),
        area_per_a_(p.number_by<FireHazard>("area_per_a_m2", 1, 1e5)),
        min_count_(p.number("min_count", 0, 100)) {
    if (const Param* k = p.map("k_factor")) {
      p.check_names_in(*k, "k_factor", {"none", "hydrants", "sprinklers", "both"});
      k_none_ = p.number_in(*k, "none", 0, 1), k_hyd_ = p.number_in(*k, "hydrants", 0, 1);
      k_spr_ = p.number_in(*k, "sprinklers", 0, 1), k_both_ = p.number_in(*k, "both", 0, 1);
    }
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
      const bool ok = rating + 1e-9 >= q && count >= min_count_;
      const double ratio = q > 0 ? rating / q : 1e9;
      if ((!ok && f.status == Status::pass) || (ok == (f.status == Status::pass) && ratio < worst_ratio)) {
        worst_ratio = ratio;
        f.measured = rating;
        f.required = q;
        f.floor = h.floor(fl).id;
        f.message = fmt::format(
            "floor {}: {} extinguisher(s) of at least {:.0f}A with {:.0f}A in all{}; needs {:.0f} or more "
            "and "
            "K x S / U = {:.1f} x {:.0f} m2 / {:.0f} m2/A = {:.1f}A",
            h.floor(fl).id, count, min_unit, rating,
            weak ? fmt::format(" ({} below the minimum rating not counted)", weak) : "", min_count_, k, s, u,
            q);
      }
      if (!ok) f.status = Status::fail;
    }
  }

 private:
  std::map<FireHazard, double> min_unit_, area_per_a_;
  double min_count_;
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

}  // namespace

void register_equipment_rules(std::map<std::string, RuleFactory>& k) {
  k["extinguisher_distance_max"] = factory<ExtinguisherDistanceMax>({"max_m"});
  k["facility_walking_distance_max"] = factory<FacilityWalkingDistanceMax>({"facility", "max_m"});
  k["extinguisher_rating"] =
      factory<ExtinguisherRating>({"min_unit_rating", "area_per_a_m2", "min_count", "k_factor"});
  k["exit_sign_at_exits"] = factory<ExitSignAtExits>({"max_distance_m"});
  k["facility_count_min"] = factory<FacilityCountMin>({"facility", "min_per_floor"});
  k["sign_route_spacing"] = factory<SignRouteSpacing>({"facility", "max_spacing_m", "sign_reach_m"});
}

}  // namespace halltwin::check
