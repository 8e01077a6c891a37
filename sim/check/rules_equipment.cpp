// Rule kinds about fire equipment, signs and lighting (GB 50140, GB 50016 10.3).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"
#include "sim/check/crowded_place.hpp"
#include "sim/check/egress_spaces.hpp"
#include "sim/check/emergency_lighting.hpp"
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

// exit_sign_at_exits: an exit sign within max_distance_m (in plan) of every
// safety exit and, in a crowded place (the crowded_* parameters, as for door
// widths), of every evacuation door of the hall itself: the doors by which
// people leave the crowded hall into a corridor or off the floor (GB 50016-2014
// 10.3.5 item 1, GB 51309-2018: 安全出口和人员密集场所的疏散门的正上方). A room's
// door (a toilet's, an office's) is not a door of the crowded place.
class ExitSignAtExits final : public RuleKind {
 public:
  explicit ExitSignAtExits(ParamReader& p) : max_(p.number("max_distance_m", 0, 100)), crowded_(p) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    const bool crowded_hall = crowded_.applies(h);
    f.unit = "unmarked doors";
    f.required = 0;
    int bad = 0, exits = 0, doors = 0;
    std::string list;
    double worst_gap = -1;
    for (std::uint32_t i = 0; i < h.doors.size(); ++i) {
      const Door& d = h.doors[i];
      const bool hall_door = crowded_hall && d.is_evacuation_door() &&
                             ctx.spaces(d.floor).is_hall_evacuation_door(DoorId{i});
      if (!d.is_safety_exit() && !hall_door) continue;
      ++(d.is_safety_exit() ? exits : doors);
      double nearest = std::numeric_limits<double>::infinity();
      for (const auto& fa : h.facilities)
        if (fa.floor == d.floor && fa.type == FacilityType::exit_sign)
          nearest = std::min(nearest, geom::point_segment_distance(fa.position, d.opening));
      if (nearest <= max_ + 1e-9) continue;
      ++bad;
      list += fmt::format("{}'{}'{} ({})", list.empty() ? "" : ", ", d.id,
                          d.is_safety_exit() ? "" : " (evacuation door of the crowded hall)",
                          std::isfinite(nearest) ? fmt::format("nearest sign {:.2f} m", nearest)
                                                 : std::string("no sign on its floor"));
      if (nearest > worst_gap) {
        worst_gap = nearest;
        f.location = d.opening.midpoint(), f.floor = h.floor(d.floor).id;
      }
    }
    if (exits + doors == 0) {
      f.status = Status::not_applicable;
      f.message = "no safety exits";
      return;
    }
    const std::string what =
        crowded_hall ? fmt::format("{} safety exit(s) and {} evacuation door(s) of the crowded hall", exits, doors)
                     : fmt::format("{} safety exit(s)", exits);
    f.measured = bad;
    f.status = pass_if(bad == 0);
    f.message = bad == 0 ? fmt::format("all {} have an exit sign within {:.1f} m", what, max_)
                         : fmt::format("no exit sign within {:.1f} m of: {}; checked {}", max_, list, what);
  }

 private:
  double max_;
  CrowdedPlace crowded_;
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

// sign_route_spacing: exit-direction signs along the egress routes. Every
// walkable point's egress route is the steepest descent of the exit
// walking-distance field; a route point is "marked" when a sign is within
// sign_reach_m of it in line of sight. The gap of a point is the walking
// distance along its route to the first marked point (or to the exit). The
// gap may be at most the spacing of the best sign marking that first point:
// by its mounting and size in the open hall (spacing_m, GB 51309-2018 3.2.10),
// by its mounting in a corridor (corridor_spacing_m, 3.2.9), at most
// dead_end_max_m in a dead-end corridor (GB 50016-2014 10.3.5), and never more
// than max_spacing_m (GB 50016 10.3.5's 20 m: the stricter code applies). A
// stretch ending at an exit no sign marks is held to max_spacing_m. Without
// the tables every sign is held to max_spacing_m (the reading before format 10).
class SignRouteSpacing final : public RuleKind {
 public:
  explicit SignRouteSpacing(ParamReader& p)
      : type_(p.enumeration<FacilityType>("facility")),
        max_spacing_(p.number("max_spacing_m", 0, 1e4)),
        reach_(p.number("sign_reach_m", 0, 100)),
        dead_end_(p.number_or("dead_end_max_m", -1, 0, 1e4)) {
    if (const Param* t = p.optional_map("spacing_m")) {
      p.check_names_in(*t, "spacing_m", names<SignMounting>());
      for (std::size_t m = 0; m < names<SignMounting>().size(); ++m) {
        const std::string key = "spacing_m." + std::string(names<SignMounting>()[m]);
        const Param* row = t->find(names<SignMounting>()[m]);
        if (!row || row->type != Param::Type::map) {
          p.problem(row ? *row : *t, key,
                    "missing or not a map; expected {extra_large: m, large: m, medium: m, small: m}");
          continue;
        }
        p.check_names_in(*row, key, names<SignSize>());
        for (std::size_t z = 0; z < names<SignSize>().size(); ++z) {
          const std::string cell = key + "." + std::string(names<SignSize>()[z]);
          if (const Param* v = row->find(names<SignSize>()[z]))
            hall_[m][z] = p.number_value(*v, cell, 0, 1e4);
          else
            p.problem(*row, cell, "missing; expected a number of metres");
        }
      }
      by_sign_ = true;
    }
    if (const Param* t = p.optional_map("corridor_spacing_m")) {
      p.check_names_in(*t, "corridor_spacing_m", names<SignMounting>());
      for (std::size_t m = 0; m < names<SignMounting>().size(); ++m) {
        const std::string key = "corridor_spacing_m." + std::string(names<SignMounting>()[m]);
        if (const Param* v = t->find(names<SignMounting>()[m]))
          corridor_[m] = p.number_value(*v, key, 0, 1e4);
        else
          p.problem(*t, key, "missing; expected a number of metres");
      }
      by_corridor_ = true;
    }
  }

  // The spacing a sign allows before it in the open hall and in a corridor.
  double hall_spacing(const Facility& fa) const {
    if (!by_sign_) return max_spacing_;
    return std::min(max_spacing_,
                    hall_.at(static_cast<std::size_t>(fa.mounting)).at(static_cast<std::size_t>(fa.sign_size)));
  }
  double corridor_spacing(const Facility& fa) const {
    const double base = by_corridor_ ? corridor_.at(static_cast<std::size_t>(fa.mounting)) : hall_spacing(fa);
    return std::min(max_spacing_, base);
  }

  // Per space of the floor: 0 = not a corridor, 1 = a corridor, 2 = a dead-end corridor: one
  // with at most one way on (a counting safety exit of its own, or a door into the hall,
  // another corridor or off the floor); room doors lead nowhere further.
  static std::vector<int> corridor_kinds(const Hall& h, EgressSpaces& sp) {
    std::vector<int> out(sp.spaces().size(), 0);
    for (std::size_t s = 0; s < sp.spaces().size(); ++s) {
      const Space& space = sp.spaces()[s];
      if (space.kind != SpaceKind::corridor) continue;
      int ways = 0;
      for (DoorId d : space.doors) {
        const Door& door = h.doors[d.value];
        if (door.is_safety_exit()) {
          ways += door.counts_as_exit() ? 1 : 0;
          continue;
        }
        const DoorSides& sd = sp.sides(d);
        const int other = sd.a == static_cast<int>(s) ? sd.b : sd.a;
        if (other < 0 || sp.spaces()[static_cast<std::size_t>(other)].kind != SpaceKind::room) ++ways;
      }
      out[s] = ways <= 1 ? 2 : 1;
    }
    return out;
  }

  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    f.required = max_spacing_;
    double worst_excess = -std::numeric_limits<double>::infinity(), worst_gap = -1;
    std::string worst_where;
    for (FloorId fl : floor_ids(ctx.hall)) {
      const auto& fg = ctx.geometry.floor(fl);
      const auto& grid = fg.grid;
      const auto& exit = ctx.exit_field(fl);
      // What kind of space each walkable cell lies in (corridors only where the rule has a
      // corridor value to apply).
      std::vector<std::uint8_t> in_corridor(grid.size(), 0);
      if (by_corridor_ || dead_end_ >= 0) {
        EgressSpaces& sp = ctx.spaces(fl);
        const auto kinds = corridor_kinds(ctx.hall, sp);
        const auto& sgrid = sp.geometry().grid;
        for (std::size_t k = 0; k < grid.size(); ++k) {
          if (!grid.walkable(k)) continue;
          const int s = sp.space_of(sgrid.cell_of(grid.center(k)));
          if (s >= 0) in_corridor[k] = static_cast<std::uint8_t>(kinds[static_cast<std::size_t>(s)]);
        }
      }
      // Route points within reach of a sign: the largest spacing any such sign allows, in
      // the hall and in a corridor (0: no sign in reach).
      std::vector<double> mark_hall(grid.size(), 0.0), mark_corr(grid.size(), 0.0);
      std::vector<std::uint8_t> marked(grid.size(), 0);
      const double h = grid.cell_m();
      for (const auto& fa : ctx.hall.facilities) {
        if (fa.floor != fl || fa.type != type_) continue;
        const double sh = hall_spacing(fa), sc = corridor_spacing(fa);
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
            if (!grid.walkable(k) || distance(grid.center(k), p) > reach_) continue;
            if (marked[k] && mark_hall[k] >= sh && mark_corr[k] >= sc) continue;  // a better sign already
            if (!fg.area.visible(grid.center(k), p)) continue;
            marked[k] = 1;
            mark_hall[k] = std::max(mark_hall[k], sh);
            mark_corr[k] = std::max(mark_corr[k], sc);
          }
      }
      // Cells in order of walking distance to the exit: each route's downstream part is done first.
      std::vector<std::size_t> order;
      for (std::size_t k = 0; k < grid.size(); ++k)
        if (grid.walkable(k) && std::isfinite(exit.at_cell(k))) order.push_back(k);
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return exit.at_cell(a) != exit.at_cell(b) ? exit.at_cell(a) < exit.at_cell(b) : a < b;
      });
      // first_mark[k]: exit distance of the first marked point downstream of k; first_hall
      // and first_corr: the spacing its best sign allows in the hall and in a corridor.
      std::vector<double> first_mark(grid.size(), 0.0), first_hall(grid.size(), max_spacing_),
          first_corr(grid.size(), max_spacing_);
      for (std::size_t k : order) {
        const double e = exit.at_cell(k);
        if (marked[k]) {
          first_mark[k] = e, first_hall[k] = mark_hall[k], first_corr[k] = mark_corr[k];
          continue;
        }
        if (e <= h) continue;  // at the exit itself: a stretch ending here has max_spacing_m
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
        if (next != k)
          first_mark[k] = first_mark[next], first_hall[k] = first_hall[next], first_corr[k] = first_corr[next];
        const double gap = e - first_mark[k];
        double limit = first_hall[k];
        const char* where = "open hall";
        if (in_corridor[k] > 0) {
          limit = first_corr[k], where = "corridor";
          if (in_corridor[k] == 2 && dead_end_ >= 0) limit = std::min(limit, dead_end_), where = "dead-end corridor";
        }
        const double excess = gap - limit;
        if (excess > worst_excess + 1e-12) {
          worst_excess = excess, worst_gap = gap;
          f.required = limit;
          f.location = grid.center(k);
          f.floor = ctx.hall.floor(fl).id;
          worst_where = where;
        }
      }
    }
    if (worst_gap < 0) {
      f.status = Status::pass;
      f.measured = 0.0;
      f.message = "every egress route has a sign within reach from its start";
      return;
    }
    f.measured = worst_gap;
    f.status = pass_if(worst_excess <= 1e-9);
    f.message = fmt::format(
        "the stretch of an egress route {} its limit: {:.1f} m without a {} within {:.1f} m, in the {} (limit "
        "{:.1f} m{}), starting at the location",
        f.status == Status::pass ? "closest to" : "farthest over", worst_gap, name(type_), reach_, worst_where,
        *f.required, by_sign_ ? ", by the size and mounting of the sign that ends it" : "");
  }

 private:
  FacilityType type_;
  double max_spacing_, reach_, dead_end_;
  bool by_sign_ = false, by_corridor_ = false;
  // [mounting][size] and [mounting], in the vocabulary's order.
  std::vector<std::vector<double>> hall_ =
      std::vector<std::vector<double>>(names<SignMounting>().size(), std::vector<double>(names<SignSize>().size()));
  std::vector<double> corridor_ = std::vector<double>(names<SignMounting>().size());
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
      consider(fmt::format("zone '{}' ({})", z.id, name(z.type)), stated_emergency_illuminance_lx(h, z),
               zone_min_.at(z.type), z.floor,
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
  k["exit_sign_at_exits"] =
      factory<ExitSignAtExits>({"max_distance_m", "crowded_place", "crowded_levels", "crowded_min_area_m2"});
  k["facility_count_min"] = factory<FacilityCountMin>({"facility", "min_per_floor"});
  k["emergency_illuminance_min"] = factory<EmergencyIlluminanceMin>({"min_lx", "stair_min_lx"});
  k["sign_route_spacing"] = factory<SignRouteSpacing>(
      {"facility", "max_spacing_m", "sign_reach_m", "spacing_m", "corridor_spacing_m", "dead_end_max_m"});
}

}  // namespace halltwin::check
