// Rule kinds about the hall's size, its functional layout and its air supply.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"
#include "sim/check/rule_kind.hpp"
#include "sim/check/wide_passages.hpp"

namespace halltwin::check {

namespace {

// building_area_min: total floor area (sum of floor outlines) against the
// level's minimum. Optional: population_steps raise a level's minimum with the
// population served ({level: [[persons_from, m2], ...]}: the m2 of the last
// step whose persons_from is at most hall.population_served, when larger), and
// confidence_by_level marks the levels whose value rests on a better source
// than the rule's own confidence (the township and village values of local
// rules against placeholder values for the other levels).
class BuildingAreaMin final : public RuleKind {
 public:
  explicit BuildingAreaMin(ParamReader& p) : min_m2_(p.number_by<AdminLevel>("min_m2", 0, 1e7)) {
    if (const Param* steps = p.optional_map("population_steps")) {
      for (const auto& [level, list] : steps->entries) {
        const std::string field = "population_steps." + shorten(level);
        const auto l = parse<AdminLevel>(level);
        if (!l) {
          p.problem(list, field, "'" + shorten(level) + "' is not an administrative level");
          continue;
        }
        if (list.type != Param::Type::list || list.items.empty()) {
          p.problem(list, field, "expected a list of [persons_from, m2] pairs");
          continue;
        }
        double last = -1;
        for (const auto& step : list.items) {
          if (step.type != Param::Type::list || step.items.size() != 2) {
            p.problem(step, field, "expected a pair [persons_from, m2]");
            continue;
          }
          const double from = p.number_value(step.items[0], field, 0, 2e8);
          const double m2 = p.number_value(step.items[1], field, 0, 1e7);
          if (from <= last) p.problem(step, field, "persons_from must increase from step to step");
          last = from;
          steps_[*l].emplace_back(from, m2);
        }
      }
    }
    if (const Param* c = p.optional_map("confidence_by_level")) {
      for (const auto& [level, mark] : c->entries) {
        const std::string field = "confidence_by_level." + shorten(level);
        const auto l = parse<AdminLevel>(level);
        if (!l) p.problem(mark, field, "'" + shorten(level) + "' is not an administrative level");
        std::optional<Confidence> conf;
        if (mark.type == Param::Type::scalar) {
          if (mark.scalar == "verified") conf = Confidence::verified;
          if (mark.scalar == "partial") conf = Confidence::partial;
          if (mark.scalar == "placeholder") conf = Confidence::placeholder;
        }
        if (!conf) p.problem(mark, field, "expected verified, partial or placeholder");
        if (l && conf) confidence_[*l] = *conf;
      }
    }
  }
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    double total = 0;
    for (const auto& fl : h.floors) total += geom::area(fl.boundary);
    double req = min_m2_.at(h.level);
    std::string by_population;
    if (auto it = steps_.find(h.level); it != steps_.end())
      for (const auto& [from, m2] : it->second)
        if (static_cast<double>(h.population_served) >= from && m2 > req) {
          req = m2;
          by_population = fmt::format(" (serving {} persons, at least {:.0f})", h.population_served, from);
        }
    if (auto it = confidence_.find(h.level); it != confidence_.end()) f.confidence = it->second;
    f.measured = total;
    f.required = req;
    f.unit = "m2";
    f.status = pass_if(total >= req);
    f.message = fmt::format("building area {:.0f} m2 over {} floor(s); a {} hall{} needs at least {:.0f} m2",
                            total, h.floors.size(), name(h.level), by_population, req);
  }

 private:
  std::map<AdminLevel, double> min_m2_;
  std::map<AdminLevel, std::vector<std::pair<double, double>>> steps_;
  std::map<AdminLevel, Confidence> confidence_;
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
// With per_floor: true, at least `min` on every floor that has windows (a low
// counter on every floor where citizens are served); measured is the fewest.
class WindowKindMin final : public RuleKind {
 public:
  explicit WindowKindMin(ParamReader& p)
      : kind_(p.enumeration<WindowKind>("kind")),
        min_(p.number("min", 0, 1e5)),
        per_floor_(p.boolean_or("per_floor", false)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.required = min_;
    f.unit = "windows";
    if (!per_floor_) {
      const auto n = std::count_if(ctx.hall.windows.begin(), ctx.hall.windows.end(),
                                   [&](const Window& w) { return w.kind == kind_; });
      f.measured = static_cast<double>(n);
      f.status = pass_if(static_cast<double>(n) >= min_);
      f.message = fmt::format("{} window(s) of kind {} among {}", n, name(kind_), ctx.hall.windows.size());
      return;
    }
    std::optional<double> fewest;
    std::string short_floors;
    int floors_with_windows = 0;
    for (FloorId fl : floor_ids(ctx.hall)) {
      int all = 0, n = 0;
      for (const auto& w : ctx.hall.windows)
        if (w.floor == fl) ++all, n += w.kind == kind_ ? 1 : 0;
      if (all == 0) continue;
      ++floors_with_windows;
      if (n < min_) short_floors += fmt::format("{}{} ({} of {})", short_floors.empty() ? "" : ", ",
                                                ctx.hall.floor(fl).id, n, all);
      if (!fewest || n < *fewest) fewest = n, f.floor = ctx.hall.floor(fl).id;
    }
    if (!fewest) {
      f.status = Status::not_applicable;
      f.message = "no floor has windows";
      return;
    }
    f.measured = *fewest;
    f.status = pass_if(short_floors.empty());
    f.message = short_floors.empty()
                    ? fmt::format("each of the {} floor(s) with windows has at least {:.0f} of kind {}",
                                  floors_with_windows, min_, name(kind_))
                    : fmt::format("floors with windows but fewer than {:.0f} of kind {}: {}", min_, name(kind_),
                                  short_floors);
  }

 private:
  WindowKind kind_;
  double min_;
  bool per_floor_;
};

// low_counter_profile: every window of kind accessible_low states its counter
// (format 7: counter_top_height_m, knee_clearance {width_m, height_m, depth_m})
// within the rulebook's bounds, and a turning circle of turning_diameter_m fits
// in the walkable area around the citizen's place (a circle of that diameter
// whose centre lies within one radius of the window's position, clear of every
// wall and obstacle: exact erosion, as door_turning_space). Fails on a stated value out of bounds
// or no circle; warns when a low window states no profile.
class LowCounterProfile final : public RuleKind {
 public:
  explicit LowCounterProfile(ParamReader& p)
      : top_min_(p.number("top_min_m", 0, 3)),
        top_max_(p.number("top_max_m", 0, 3)),
        knee_w_(p.number("knee_width_m", 0, 3)),
        knee_h_(p.number("knee_height_m", 0, 3)),
        knee_d_(p.number("knee_depth_m", 0, 3)),
        turning_d_(p.number("turning_diameter_m", 0, 10)) {}

  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    f.unit = "low counters failing";
    f.required = 0;
    int n = 0, bad = 0;
    std::string problems, unstated;
    for (const auto& w : h.windows) {
      if (w.kind != WindowKind::accessible_low) continue;
      ++n;
      std::vector<std::string> why;
      if (!w.counter_top_height_m || !w.knee_clearance)
        unstated += fmt::format("{}'{}'", unstated.empty() ? "" : ", ", w.id);
      if (w.counter_top_height_m && (*w.counter_top_height_m < top_min_ - 1e-9 || *w.counter_top_height_m > top_max_ + 1e-9))
        why.push_back(fmt::format("top {:.2f} m outside {:.2f}-{:.2f} m", *w.counter_top_height_m, top_min_, top_max_));
      if (w.knee_clearance) {
        const auto& k = *w.knee_clearance;
        if (k.width_m + 1e-9 < knee_w_ || k.height_m + 1e-9 < knee_h_ || k.depth_m + 1e-9 < knee_d_)
          why.push_back(fmt::format("knee space {:.2f} x {:.2f} x {:.2f} m (w x h x d) below {:.2f} x {:.2f} x {:.2f} m",
                                    k.width_m, k.height_m, k.depth_m, knee_w_, knee_h_, knee_d_));
      }
      if (!circle_fits(ctx, w.floor, w.position))
        why.push_back(fmt::format("no {:.2f} m turning circle at the citizen's place", turning_d_));
      if (!why.empty()) {
        ++bad;
        problems += fmt::format("{}'{}': {}", problems.empty() ? "" : "; ", w.id, fmt::join(why, ", "));
        if (!f.location) f.location = w.position, f.floor = h.floor(w.floor).id;
      }
    }
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = "no window of kind accessible_low (layout.accessible_counter asks for one)";
      return;
    }
    f.measured = bad;
    if (bad > 0) {
      f.status = Status::fail;
      f.message = problems;
    } else if (!unstated.empty()) {
      f.status = Status::warn;
      f.message = fmt::format(
          "turning circles fit; no counter profile (counter_top_height_m, knee_clearance) stated for: {}",
          unstated);
    } else {
      f.status = Status::pass;
      f.message = fmt::format("all {} low counter(s) within the profile, each with a {:.2f} m turning circle", n,
                              turning_d_);
    }
  }

 private:
  // Exact (issue 15): the walkable area eroded by the radius (less the 0.5 mm drawing
  // tolerance, wide_passages.hpp) holds the centres of every circle that fits clear of
  // walls, obstacles and the outline; one fits at the citizen's place when that set
  // comes within one radius of it. The verdict does not depend on the raster.
  bool circle_fits(CheckContext& ctx, FloorId fl, Vec2 at) const {
    if (turning_d_ <= 0) return true;
    return ctx.turning_discs(fl, turning_d_).reaches(at, turning_d_ / 2);
  }

  double top_min_, top_max_, knee_w_, knee_h_, knee_d_, turning_d_;
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

// fresh_air_min: the scenario's design fresh-air supply against the design
// occupancy (hall.design_occupancy) times the design rates: staff at
// m3h_per_person (GB 50736-2012 table 3.0.6-1, offices), the public at the
// rate of high_density_table for the public zones' density Pf = persons /
// public zone area (table 3.0.6-4: rows [Pf up to, m3/h per person]). Without
// the table every person counts at m3h_per_person. Without a stated design
// occupancy the rule falls back to the egress occupant load at m3h_per_person
// (an upper bound of the occupancy, so the check is conservative): a pass
// stays a pass, a shortfall is only a `warn`, since the clause's basis is missing.
class FreshAirMin final : public RuleKind {
 public:
  explicit FreshAirMin(ParamReader& p) : per_person_(p.number("m3h_per_person", 0, 1e4)) {
    if (const Param* t = p.rule_param("high_density_table")) {
      if (t->type != Param::Type::list || t->items.empty()) {
        p.problem(*t, "high_density_table", "expected a list of [density up to (persons/m2), m3/h per person]");
      } else {
        double last = 0;
        for (const auto& row : t->items) {
          if (row.type != Param::Type::list || row.items.size() != 2) {
            p.problem(row, "high_density_table", "expected a pair [density up to, m3/h per person]");
            continue;
          }
          const double upto = p.number_value(row.items[0], "high_density_table", 0, 1e3);
          const double rate = p.number_value(row.items[1], "high_density_table", 0, 1e4);
          if (upto <= last) p.problem(row, "high_density_table", "the densities must increase from row to row");
          last = upto;
          table_.emplace_back(upto, rate);
        }
      }
    }
  }

  // The public zones: every zone but offices, staff rooms and plant rooms.
  static bool is_public(ZoneType t) {
    return t != ZoneType::back_office && t != ZoneType::staff_area && t != ZoneType::equipment_room;
  }

  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    f.unit = "m3/h";
    double need = 0;
    std::string basis;
    if (h.design_occupancy) {
      const auto& o = *h.design_occupancy;
      double public_rate = per_person_;
      std::string density_text;
      if (!table_.empty()) {
        double area = 0;
        for (const auto& z : h.zones)
          if (is_public(z.type)) area += geom::area(z.polygon);
        if (area <= 0)
          for (const auto& fl : h.floors) area += geom::area(fl.boundary);
        const double pf = area > 0 ? o.public_persons / area : 0;
        public_rate = table_.back().second;
        for (const auto& [upto, rate] : table_)
          if (pf <= upto + 1e-12) {
            public_rate = rate;
            break;
          }
        density_text = fmt::format(" (Pf = {:.0f} / {:.0f} m2 = {:.2f} persons/m2)", o.public_persons, area, pf);
      }
      need = o.public_persons * public_rate + o.staff_persons * per_person_;
      if (o.public_persons + o.staff_persons <= 0 && (!h.windows.empty() || !h.seats.empty())) {
        // Air for nobody: a hall that serves people cannot be designed for no one.
        f.required = 0;
        f.measured = h.fresh_air_m3h;
        f.status = Status::fail;
        f.message = fmt::format(
            "hall.design_occupancy states 0 persons for a hall with {} window(s) and {} seat(s): the design "
            "occupancy cannot be right, so the fresh-air supply cannot be checked",
            h.windows.size(), h.seats.size());
        return;
      }
      basis = fmt::format("design occupancy: {:.0f} public x {:.0f} m3/h{} + {:.0f} staff x {:.0f} m3/h",
                          o.public_persons, public_rate, density_text, o.staff_persons, per_person_);
    } else {
      need = per_person_ * ctx.load.total;
      basis = fmt::format(
          "no hall.design_occupancy stated: {:.0f} persons of the egress occupant load x {:.0f} m3/h "
          "(an upper bound; occupant load: {})",
          ctx.load.total, per_person_, ctx.load.basis);
    }
    f.required = need;
    if (!h.fresh_air_m3h) {
      f.status = Status::warn;
      f.message = fmt::format("the scenario does not state hall.fresh_air_m3h; {} = {:.0f} m3/h", basis, need);
      return;
    }
    f.measured = *h.fresh_air_m3h;
    if (const std::string doubt = ctx.load.doubts(); !h.design_occupancy && !doubt.empty()) {
      // The fallback's upper bound is no bound when the load leaves people out.
      f.status = Status::warn;
      f.message = fmt::format("{} = {:.0f} m3/h, but the occupant load cannot be right ({}): state "
                              "hall.design_occupancy or draw the zones",
                              basis, need, doubt);
      return;
    }
    const bool ok = *h.fresh_air_m3h + 1e-9 >= need;
    f.status = ok ? Status::pass : (h.design_occupancy ? Status::fail : Status::warn);
    f.message = fmt::format("{} = {:.0f} m3/h{}", basis, need,
                            ok || h.design_occupancy ? ""
                                                     : "; state hall.design_occupancy to check the clause's basis");
  }

 private:
  double per_person_;
  std::vector<std::pair<double, double>> table_;
};

}  // namespace

void register_layout_rules(std::map<std::string, RuleFactory>& k) {
  k["building_area_min"] =
      factory<BuildingAreaMin>({"min_m2", "population_steps", "confidence_by_level"});
  k["required_zones"] = factory<RequiredZones>({"by_level"});
  k["window_kind_min"] = factory<WindowKindMin>({"kind", "min", "per_floor"});
  k["low_counter_profile"] = factory<LowCounterProfile>(
      {"top_min_m", "top_max_m", "knee_width_m", "knee_height_m", "knee_depth_m", "turning_diameter_m"});
  k["seats_per_window_min"] = factory<SeatsPerWindowMin>({"min_ratio"});
  k["placement_walkable"] = factory<PlacementWalkable>({"facility_reach_m"});
  k["zone_size_min"] = factory<ZoneSizeMin>({"zone", "min_area_m2", "turning_diameter_m"});
  k["fresh_air_min"] = factory<FreshAirMin>({"m3h_per_person", "high_density_table"});
}

}  // namespace halltwin::check
