// Rule kinds about egress (GB 50016 chapter 5.5): exits, their widths and
// separation, passage widths, reachability and walking distances.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"
#include "sim/check/grid_regions.hpp"
#include "sim/check/rule_kind.hpp"

namespace halltwin::check {

namespace {

std::vector<const Door*> safety_exits(const Hall& h, FloorId f) {
  std::vector<const Door*> out;
  for (const auto& d : h.doors)
    if (d.floor == f && d.is_safety_exit()) out.push_back(&d);
  return out;
}

// exit_count_min: safety exits per floor, with the single-exit exception of 5.5.8.
class ExitCountMin final : public RuleKind {
 public:
  explicit ExitCountMin(ParamReader& p)
      : min_(p.number("min", 1, 100)),
        single_area_(p.number("single_exit_max_area_m2", 0, 1e6)),
        single_persons_(p.number("single_exit_max_persons", 0, 1e6)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "exits";
    f.required = min_;
    f.status = Status::pass;
    double worst = std::numeric_limits<double>::infinity();
    std::string notes;
    for (FloorId fl : floor_ids(ctx.hall)) {
      const Floor& floor = ctx.hall.floor(fl);
      const double n = static_cast<double>(safety_exits(ctx.hall, fl).size());
      const double area = geom::area(floor.boundary);
      const double persons = ctx.load.by_floor[fl.value];
      const bool single_ok =
          n == 1 && floor.storey == 1 && area <= single_area_ && persons <= single_persons_;
      if (single_ok)
        notes += fmt::format(" floor {} uses the single-exit exception ({:.0f} m2, {:.0f} persons).",
                             floor.id, area, persons);
      const bool ok = n >= min_ || single_ok;
      if (n < worst || (!ok && f.status == Status::pass)) {
        worst = n;
        f.floor = floor.id;
        f.required = single_ok ? 1.0 : min_;  // the requirement that applies to the worst floor
      }
      if (!ok) {
        f.status = Status::fail;
        f.message +=
            fmt::format("floor {} has {:.0f} safety exit(s), needs {:.0f} ({:.0f} m2, {:.0f} persons). ",
                        floor.id, n, min_, area, persons);
      }
    }
    f.measured = worst;
    if (f.status == Status::pass)
      f.message =
          fmt::format("every floor has at least {:.0f} safety exits or qualifies for one.{}", min_, notes);
  }

 private:
  double min_, single_area_, single_persons_;
};

// exit_separation_min: nearest edges of any two safety exits of a floor.
class ExitSeparationMin final : public RuleKind {
 public:
  explicit ExitSeparationMin(ParamReader& p) : min_(p.number("min_m", 0, 1e3)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    f.required = min_;
    double best = std::numeric_limits<double>::infinity();
    for (FloorId fl : floor_ids(ctx.hall)) {
      auto exits = safety_exits(ctx.hall, fl);
      for (std::size_t i = 0; i < exits.size(); ++i)
        for (std::size_t j = i + 1; j < exits.size(); ++j) {
          const double d = geom::segment_segment_distance(exits[i]->opening, exits[j]->opening);
          if (d < best) {
            best = d;
            f.location = 0.5 * (exits[i]->opening.midpoint() + exits[j]->opening.midpoint());
            f.floor = ctx.hall.floor(fl).id;
            f.message = fmt::format("exits '{}' and '{}' are {:.2f} m apart", exits[i]->id, exits[j]->id, d);
          }
        }
    }
    if (!std::isfinite(best)) {
      f.status = Status::not_applicable;
      f.message = "no floor has two safety exits";
      return;
    }
    f.measured = best;
    f.status = pass_if(best >= min_);
    if (f.status == Status::pass) f.location.reset();
  }

 private:
  double min_;
};

// door_width_min: clear width of safety-exit doors (crowded place or not), of the other doors,
// or of the doors marked accessible (on accessible routes).
class DoorWidthMin final : public RuleKind {
 public:
  explicit DoorWidthMin(ParamReader& p) : which_(p.text("doors", {"safety_exits", "other", "accessible"})) {
    crowded_ = p.boolean_or("crowded_place", false);
    min_ = p.number("min_m", 0, 100);
    min_crowded_ = crowded_ ? p.number("min_m_crowded", 0, 100) : min_;
  }
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const double req = crowded_ ? min_crowded_ : min_;
    f.unit = "m";
    f.required = req;
    double narrowest = std::numeric_limits<double>::infinity();
    std::string narrow;
    int n = 0;
    for (const auto& d : ctx.hall.doors) {
      if (which_ == "accessible" ? !d.accessible : (which_ == "safety_exits") != d.is_safety_exit()) continue;
      ++n;
      if (d.clear_width_m < req)
        narrow += fmt::format("{}'{}' {:.2f} m", narrow.empty() ? "" : ", ", d.id, d.clear_width_m);
      if (d.clear_width_m < narrowest) {
        narrowest = d.clear_width_m;
        f.location = d.opening.midpoint();
        f.floor = ctx.hall.floor(d.floor).id;
      }
    }
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = which_ == "safety_exits" ? "no safety exits"
                  : which_ == "accessible" ? "no doors marked accessible"
                                           : "no doors other than safety exits";
      f.location.reset();
      return;
    }
    f.measured = narrowest;
    f.status = pass_if(narrow.empty());
    f.message = narrow.empty() ? fmt::format("{} door(s), narrowest {:.2f} m", n, narrowest)
                               : fmt::format("too narrow: {}{}", narrow, crowded_ ? " (crowded place)" : "");
    if (f.status == Status::pass) f.location.reset();
  }

 private:
  std::string which_;
  bool crowded_ = false;
  double min_ = 0, min_crowded_ = 0;
};

// clear_width_route: regions connected to their destinations only through
// passages at least width_m wide (cells whose clearance is at least half the
// width). Door openings count as passable: their width is another rule's.
class ClearWidthRoute final : public RuleKind {
 public:
  explicit ClearWidthRoute(ParamReader& p)
      : width_(p.number("width_m", 0.1, 100)),
        from_(p.text("from", {"all", "entrances"})),
        to_(p.text("to", {"safety_exits", "accessible_targets"})),
        min_region_(p.number_or("min_region_m2", 1.0, 0, 1e6)) {
    // Two questions are implemented: can every region reach an exit, and can an entrance reach
    // the accessible targets. Other pairings would be silently answered as one of these.
    if (!from_.empty() && !to_.empty() && (from_ == "all") != (to_ == "safety_exits"))
      p.problem(*p.param("to"), "to",
                "with from: " + from_ +
                    " expected to: " + (from_ == "all" ? "safety_exits" : "accessible_targets"));
  }

  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = to_ == "safety_exits" ? "m2" : "targets";
    f.required = 0;
    double bad_total = 0, worst = 0;
    int targets_total = 0;
    std::string notes;
    for (FloorId fl : floor_ids(ctx.hall)) {
      const auto& fg = ctx.geometry.floor(fl);
      const auto& clear = ctx.clearance_field(fl);
      const auto& grid = fg.grid;
      std::vector<std::uint8_t> mask(grid.size(), 0);
      for (std::size_t k = 0; k < grid.size(); ++k)
        mask[k] = grid.walkable(k) && clear[k] >= 0.5 * width_ - 1e-6;
      for (const auto& d : ctx.hall.doors)
        if (d.floor == fl)
          for (std::size_t k : cells_in_polygon(
                   grid, geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m + 0.5 * width_)))
            if (grid.walkable(k)) mask[k] = 1;
      int count = 0;
      const auto label = geom::label_components(grid, mask, &count);
      const double cell_area = grid.cell_m() * grid.cell_m();

      if (to_ == "safety_exits") {
        std::vector<std::uint8_t> good(count, 0);
        for (const Door* d : safety_exits(ctx.hall, fl))
          for (std::size_t k : cells_in_polygon(grid, geom::segment_rectangle(d->opening, 0.5 * width_)))
            if (label[k] >= 0) good[label[k]] = 1;
        auto regions = region_stats(grid, label, count);
        for (int c = 0; c < count; ++c) {
          const auto& r = regions[c];
          if (good[c] || r.cells * cell_area < min_region_) continue;
          // A region that cannot reach an exit at all is egress.reachable's finding, not a width problem.
          if (!ctx.reaches_exit(fl, r.representative)) continue;
          bad_total += r.cells * cell_area;
          if (!f.location || r.cells * cell_area > worst) {
            worst = r.cells * cell_area;
            f.location = grid.center(r.representative);
            f.floor = ctx.hall.floor(fl).id;
          }
        }
      } else {
        // From entrances to accessible low counters and accessible toilets.
        std::vector<std::uint8_t> source(count, 0);
        for (const auto& d : ctx.hall.doors)
          if (d.floor == fl && d.is_entrance())
            for (std::size_t k : cells_in_polygon(grid, geom::segment_rectangle(d.opening, 0.5 * width_)))
              if (label[k] >= 0) source[label[k]] = 1;
        auto reached = [&](const std::vector<std::size_t>& cells) {
          for (std::size_t k : cells)
            if (label[k] >= 0 && source[label[k]]) return true;
          return false;
        };
        for (const auto& w : ctx.hall.windows) {
          if (w.floor != fl || w.kind != WindowKind::accessible_low) continue;
          ++targets_total;
          if (!reached(cells_in_polygon(
                  grid,
                  geom::segment_rectangle({w.position - Vec2{0.5, 0}, w.position + Vec2{0.5, 0}}, 0.5)))) {
            bad_total += 1;
            notes += fmt::format("{}window '{}'", notes.empty() ? "" : ", ", w.id);
            if (!f.location) f.location = w.position, f.floor = ctx.hall.floor(fl).id;
          }
        }
        for (const auto& z : ctx.hall.zones) {
          if (z.floor != fl || z.type != ZoneType::accessible_toilet) continue;
          ++targets_total;
          if (!reached(cells_in_polygon(grid, z.polygon))) {
            bad_total += 1;
            notes += fmt::format("{}zone '{}'", notes.empty() ? "" : ", ", z.id);
            if (!f.location) f.location = geom::centroid(z.polygon), f.floor = ctx.hall.floor(fl).id;
          }
        }
      }
    }
    f.measured = bad_total;
    if (to_ == "safety_exits") {
      f.status = pass_if(bad_total == 0);
      f.message =
          bad_total == 0
              ? fmt::format("every region reaches a safety exit through passages of at least {:.2f} m",
                            width_)
              : fmt::format(
                    "{:.1f} m2 reach a safety exit only through passages narrower than {:.2f} m (largest "
                    "region around the location)",
                    bad_total, width_);
    } else if (targets_total == 0) {
      f.status = Status::not_applicable;
      f.message = "no accessible low counter or accessible toilet";
    } else {
      f.status = pass_if(bad_total == 0);
      f.message =
          bad_total == 0
              ? fmt::format(
                    "{} accessible target(s) reached from an entrance through passages of at least {:.2f} m",
                    targets_total, width_)
              : fmt::format("not reachable from an entrance through {:.2f} m passages: {}", width_, notes);
    }
  }

 private:
  double width_;
  std::string from_, to_;
  double min_region_;
};

// exit_reachable: regions of the walkable area with no walking path to any safety exit.
class ExitReachable final : public RuleKind {
 public:
  explicit ExitReachable(ParamReader& p) : min_region_(p.number_or("min_region_m2", 0.05, 0, 1e6)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m2";
    f.required = 0;
    double bad = 0, worst = 0;
    for (FloorId fl : floor_ids(ctx.hall)) {
      const auto& grid = ctx.geometry.floor(fl).grid;
      const auto& field = ctx.exit_field(fl);
      std::vector<std::uint8_t> mask(grid.size(), 0);
      for (std::size_t k = 0; k < grid.size(); ++k)
        mask[k] = grid.walkable(k) && !std::isfinite(field.at_cell(k));
      int count = 0;
      const auto label = geom::label_components(grid, mask, &count);
      const double cell_area = grid.cell_m() * grid.cell_m();
      for (const auto& r : region_stats(grid, label, count)) {
        const double a = r.cells * cell_area;
        if (a < min_region_) continue;
        bad += a;
        if (a > worst) {
          worst = a;
          f.location = grid.center(r.representative);
          f.floor = ctx.hall.floor(fl).id;
        }
      }
    }
    f.measured = bad;
    f.status = pass_if(bad == 0);
    f.message =
        bad == 0
            ? "every part of the walkable area can reach a safety exit"
            : fmt::format("{:.1f} m2 cannot reach any safety exit (largest region around the location)", bad);
  }

 private:
  double min_region_;
};

// exit_width_per_100: total safety-exit clear width of each floor against its occupant load.
class ExitWidthPer100 final : public RuleKind {
 public:
  explicit ExitWidthPer100(ParamReader& p) {
    if (const Param* m = p.map("m_per_100")) {
      p.check_names_in(*m, "m_per_100", {"storeys_1_2", "storey_3", "storey_4_up"});
      low_ = p.numbers_in(*m, "storeys_1_2", 4);
      third_ = p.numbers_in(*m, "storey_3", 4);
      high_ = p.numbers_in(*m, "storey_4_up", 4);
    }
  }
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    double worst_margin = std::numeric_limits<double>::infinity();
    bool any = false;
    const int g = ctx.hall.fire_resistance_grade - 1;
    for (FloorId fl : floor_ids(ctx.hall)) {
      const Floor& floor = ctx.hall.floor(fl);
      const auto& table = floor.storey <= 2 ? low_ : floor.storey == 3 ? third_ : high_;
      if (table.size() != 4 || std::isnan(table[g])) continue;
      any = true;
      double width = 0;
      for (const Door* d : safety_exits(ctx.hall, fl)) width += d->clear_width_m;
      const double persons = ctx.load.by_floor[fl.value];
      const double need = persons / 100.0 * table[g];
      if (width - need < worst_margin) {
        worst_margin = width - need;
        f.measured = width;
        f.required = need;
        f.floor = floor.id;
        f.message = fmt::format(
            "floor {}: {:.2f} m of exit width for {:.0f} persons at {:.2f} m per 100; occupant load: {}",
            floor.id, width, persons, table[g], ctx.load.basis);
      }
    }
    if (!any) {
      f.status = Status::not_applicable;
      f.message = fmt::format("the table has no value for fire-resistance grade {} on these storeys",
                              ctx.hall.fire_resistance_grade);
      return;
    }
    f.status = pass_if(worst_margin >= -1e-9);
  }

 private:
  std::vector<double> low_, third_, high_;
};

// travel_distance_max: longest walking distance from any point to the nearest safety exit.
class TravelDistanceMax final : public RuleKind {
 public:
  explicit TravelDistanceMax(ParamReader& p)
      : max_(p.number("max_m", 0, 1e4)), sprinkler_factor_(p.number_or("sprinkler_factor", 1.0, 1.0, 10.0)) {
    for (double g : p.number_list_or("grades", 1, 4)) grades_.insert(static_cast<int>(g));
  }
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    const double limit = max_ * (ctx.hall.sprinklered ? sprinkler_factor_ : 1.0);
    f.required = limit;
    if (!grades_.empty() && !grades_.count(ctx.hall.fire_resistance_grade)) {
      f.status = Status::not_applicable;
      f.message = fmt::format("the clause covers fire-resistance grades it lists; this hall is grade {}",
                              ctx.hall.fire_resistance_grade);
      return;
    }
    const auto worst = worst_walking_distance(
        ctx, [&](FloorId fl) { return &ctx.exit_field(fl); }, false);
    if (!worst.found) {
      f.status = Status::fail;
      f.message = "no point of the hall reaches a safety exit";
      return;
    }
    f.measured = worst.distance_m;
    f.location = worst.where;
    f.floor = ctx.hall.floor(worst.floor).id;
    f.status = pass_if(worst.distance_m <= limit + 1e-9);
    f.message = fmt::format(
        "farthest point is {:.1f} m from the nearest safety exit, walking around obstacles (limit {:.1f} "
        "m{})",
        worst.distance_m, limit, ctx.hall.sprinklered ? ", sprinklered" : "");
  }

 private:
  double max_, sprinkler_factor_;
  std::set<int> grades_;
};

}  // namespace

void register_egress_rules(std::map<std::string, RuleFactory>& k) {
  k["exit_count_min"] = factory<ExitCountMin>({"min", "single_exit_max_area_m2", "single_exit_max_persons"});
  k["exit_separation_min"] = factory<ExitSeparationMin>({"min_m"});
  k["door_width_min"] = factory<DoorWidthMin>({"doors", "crowded_place", "min_m", "min_m_crowded"});
  k["clear_width_route"] = factory<ClearWidthRoute>({"width_m", "from", "to", "min_region_m2"});
  k["exit_reachable"] = factory<ExitReachable>({"min_region_m2"});
  k["exit_width_per_100"] = factory<ExitWidthPer100>({"m_per_100"});
  k["travel_distance_max"] = factory<TravelDistanceMax>({"max_m", "sprinkler_factor", "grades"});
}

}  // namespace halltwin::check
