// Rule kinds about egress (GB 50016 chapter 5.5): exits, their widths and
// separation, passage widths, reachability, walking and straight-line
// distances, door types. Only safety exits that count (side-hung, or with a
// fire-mode swing: GB 50016 6.4.11) are exits here.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"
#include "model/hall_geometry.hpp"
#include "sim/check/crowded_place.hpp"
#include "sim/check/door_cuts.hpp"
#include "sim/check/egress_spaces.hpp"
#include "sim/check/grid_regions.hpp"
#include "sim/check/rule_kind.hpp"
#include "sim/check/wide_passages.hpp"

namespace halltwin::check {

namespace {

std::vector<const Door*> safety_exits(const Hall& h, FloorId f) {
  std::vector<const Door*> out;
  for (const auto& d : h.doors)
    if (d.floor == f && d.counts_as_exit()) out.push_back(&d);
  return out;
}

bool any_compartments(const Hall& h) {
  for (const auto& fl : h.floors)
    if (!fl.compartments.empty()) return true;
  return false;
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
      // Each fire compartment (5.5.8: 每个防火分区或一个防火分区的每个楼层) by its own
      // exits: those opening from it (door_in_compartment); a door into the next compartment
      // is not one (5.5.9's use of a neighbour's exits is not taken).
      const auto regions = compartments_of(ctx.hall, fl);
      for (std::size_t ci = 0; ci < regions.size(); ++ci) {
        const auto& comp = regions[ci];
        double n = 0;
        for (const Door* d : safety_exits(ctx.hall, fl))
          if (comp.id.empty() || door_in_compartment(*d, comp.polygon)) ++n;
        const double area = geom::area(comp.polygon);
        const double persons = ctx.load.by_compartment[fl.value][ci];
        const std::string where =
            comp.id.empty() ? "floor " + floor.id : fmt::format("compartment {} of floor {}", comp.id, floor.id);
        // The exception rests on the floor's persons: a load that cannot be right grants nothing.
        const std::string& doubt = ctx.load.doubt[fl.value];
        const bool single_ok = n == 1 && floor.storey == 1 && area <= single_area_ &&
                               persons <= single_persons_ && doubt.empty();
        if (single_ok)
          notes += fmt::format(" {} uses the single-exit exception ({:.0f} m2, {:.0f} persons).", where, area,
                               persons);
        const bool ok = n >= min_ || single_ok;
        if (n < worst || (!ok && f.status == Status::pass)) {
          worst = n;
          f.floor = floor.id;
          f.required = single_ok ? 1.0 : min_;  // the requirement that applies to the worst floor
        }
        if (!ok) {
          f.status = Status::fail;
          f.message +=
              fmt::format("{} has {:.0f} safety exit(s), needs {:.0f} ({:.0f} m2, {:.0f} persons{}). ", where, n,
                          min_, area, persons,
                          doubt.empty() ? std::string()
                                        : "; the single-exit exception needs a load that can be right, and "
                                          "this one cannot: " + doubt);
        }
      }
    }
    f.measured = worst;
    if (f.status == Status::pass)
      f.message =
          fmt::format("every floor{} has at least {:.0f} safety exits or qualifies for one.{}",
                      any_compartments(ctx.hall) ? " and fire compartment" : "", min_, notes);
    // The exit level (issue 17): the checker follows the exits of the modelled floors only. A
    // hall may occupy upper storeys of a building, so a missing ground floor is a warning, not
    // a failure: the way from the stairs to the outside is simply not checked, and the
    // reviewer must know.
    const std::string level = exit_level_gap(ctx.hall);
    if (level.empty()) return;
    if (f.status == Status::pass) {
      f.status = Status::warn;
      f.message = level + " " + f.message;
    } else {
      f.message += level;
    }
  }

 private:
  // Why the hall has no modelled exit level ("" when it has one): no floor at storey 1, or no
  // safety exit to the outside on any floor.
  static std::string exit_level_gap(const Hall& h) {
    bool ground = false;
    std::string storeys, outside;
    for (const auto& fl : h.floors) {
      ground = ground || fl.storey == 1;
      storeys += fmt::format("{}{} (storey {})", storeys.empty() ? "" : ", ", fl.id, fl.storey);
    }
    for (const auto& d : h.doors)
      if (d.is_safety_exit() && d.exit_to == ExitTo::outside)
        outside += fmt::format("{}'{}' (floor {})", outside.empty() ? "" : ", ", d.id, h.floor(d.floor).id);
    if (!ground)
      return fmt::format(
          "No ground floor (storey 1) is modelled (floors: {}): the way from the exits to the outside of the "
          "building is not checked{}.",
          storeys,
          outside.empty() ? "" : fmt::format("; exits marked exit_to: outside on these floors: {}", outside));
    if (outside.empty())
      return "No safety exit leads to the outside (every one has exit_to: protected_stair): the way out of the "
             "building is not modelled, and is not checked.";
    return "";
  }

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

// door_width_min: clear width of safety-exit doors, of evacuation doors (the
// hall's own at the crowded-place width, rooms' at the other), of the other
// doors (every door that is not a safety exit, the reading before format 7), or
// of the doors marked accessible. A crowded place's doors must also have no
// threshold (GB 50016 5.5.19).
class DoorWidthMin final : public RuleKind {
 public:
  explicit DoorWidthMin(ParamReader& p)
      : which_(p.text("doors", {"safety_exits", "evacuation_doors", "other", "accessible"})), crowded_(p) {
    min_ = p.number("min_m", 0, 100);
    min_crowded_ = crowded_.configured() ? p.number("min_m_crowded", 0, 100) : min_;
    automatic_min_ = p.number_or("automatic_min_m", 0, 0, 100);
  }
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const bool crowded_hall = crowded_.applies(ctx.hall);
    f.unit = "m";
    f.required = crowded_hall && which_ == "safety_exits" ? min_crowded_ : min_;
    double worst_margin = std::numeric_limits<double>::infinity();
    std::string narrow, thresholds;
    int n = 0;
    for (std::uint32_t i = 0; i < ctx.hall.doors.size(); ++i) {
      const Door& d = ctx.hall.doors[i];
      bool crowded_door = false;
      if (which_ == "accessible") {
        if (!d.accessible) continue;
      } else if (which_ == "safety_exits") {
        if (!d.is_safety_exit()) continue;
        crowded_door = crowded_hall;
      } else if (which_ == "other") {
        if (d.is_safety_exit()) continue;
      } else {  // evacuation_doors: the hall's own carry the crowded width, rooms' the other
        if (!d.is_evacuation_door()) continue;
        crowded_door = crowded_hall && ctx.spaces(d.floor).is_hall_evacuation_door(DoorId{i});
      }
      ++n;
      // Automatic doors (format 8) may have a larger minimum (GB 55019: 1.00 m on accessible routes).
      const double req = std::max(crowded_door ? min_crowded_ : min_, d.automatic ? automatic_min_ : 0.0);
      if (d.clear_width_m < req - 1e-9)
        narrow += fmt::format("{}'{}'{} {:.2f} m < {:.2f} m", narrow.empty() ? "" : ", ", d.id,
                              d.automatic && automatic_min_ > 0 ? " (automatic)" : "", d.clear_width_m, req);
      if (crowded_door && d.threshold)
        thresholds += fmt::format("{}'{}'", thresholds.empty() ? "" : ", ", d.id);
      const bool bad = d.clear_width_m < req - 1e-9 || (crowded_door && d.threshold);
      const double margin = bad ? -1e9 + d.clear_width_m - req : d.clear_width_m - req;
      if (margin < worst_margin) {
        worst_margin = margin;
        f.measured = d.clear_width_m;
        f.required = req;
        f.location = d.opening.midpoint();
        f.floor = ctx.hall.floor(d.floor).id;
      }
    }
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = which_ == "safety_exits"       ? "no safety exits"
                  : which_ == "accessible"       ? "no doors marked accessible"
                  : which_ == "evacuation_doors" ? "no evacuation doors other than safety exits"
                                                 : "no doors other than safety exits";
      f.location.reset();
      return;
    }
    f.status = pass_if(narrow.empty() && thresholds.empty());
    if (f.status == Status::pass) {
      f.message = fmt::format("{} door(s), the closest to its minimum {:.2f} m wide{}", n, f.measured.value_or(0),
                              crowded_hall ? " (crowded place)" : "");
      f.location.reset();
    } else {
      f.message = narrow.empty() ? "" : fmt::format("too narrow: {}{}", narrow, crowded_hall ? " (crowded place)" : "");
      if (!thresholds.empty())
        f.message += fmt::format("{}threshold or step at the door of a crowded place: {}",
                                 f.message.empty() ? "" : "; ", thresholds);
    }
  }

 private:
  std::string which_;
  CrowdedPlace crowded_;
  double min_ = 0, min_crowded_ = 0, automatic_min_ = 0;
};

// door_turning_space: every door on an accessible route (a door not marked
// `accessible: false`) has a wheelchair turning circle of turning_diameter_m
// on each side that belongs to the floor, and no threshold (GB 50763-2012
// 3.5.3: 门扇内外应留有直径不小于1.50m的轮椅回转空间, threshold at most 15 mm).
// A side has its circle when a disc of that diameter, clear of every wall,
// obstacle and the floor's outline, has its centre within the door's span and
// at most radius + kDoorOpeningHalfDepth_m from the door line (the door cut:
// walls up to 1.2 m thick between the door line and the disc). Exact: the
// walkable area eroded by the radius (wide_passages.hpp), not the raster.
// The outside of an exterior door is not part of the floor and not checked; a
// side whose first 0.65 m past the door line is not walkable (a stair beyond,
// an uncut wall: door_cuts.hpp's finding) is not checked either.
class DoorTurningSpace final : public RuleKind {
 public:
  explicit DoorTurningSpace(ParamReader& p) : diameter_(p.number("turning_diameter_m", 0.5, 5)) {}

  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    const double r = diameter_ / 2;
    f.unit = "doors failing";
    f.required = 0;
    int n = 0, bad = 0, sides = 0;
    std::string problems;
    for (FloorId fl : floor_ids(h)) {
      std::vector<std::uint32_t> doors;
      for (std::uint32_t i = 0; i < h.doors.size(); ++i)
        if (h.doors[i].floor == fl && h.doors[i].accessible && h.doors[i].opening.length() > 1e-6) doors.push_back(i);
      if (doors.empty()) continue;
      const auto& area = ctx.geometry.floor(fl).area;
      const WidePassages& discs = ctx.turning_discs(fl, diameter_);  // the centres of every disc that fits
      for (std::uint32_t i : doors) {
        const Door& d = h.doors[i];
        ++n;
        const Vec2 along = (1.0 / d.opening.length()) * (d.opening.b - d.opening.a);
        const Vec2 normal{-along.y, along.x};
        std::vector<std::string> why;
        if (d.threshold) why.push_back("a threshold or step at the door");
        for (double side : {1.0, -1.0}) {
          const Vec2 out = side * normal;
          if (!area.contains(d.opening.midpoint() + (kDoorOpeningHalfDepth_m + 0.05) * out)) continue;
          ++sides;
          const double depth = r + kDoorOpeningHalfDepth_m;
          const Polygon apron = {d.opening.a, d.opening.b, d.opening.b + depth * out, d.opening.a + depth * out};
          if (discs.overlapping(apron).empty()) {
            const Vec2 at = d.opening.midpoint() + (kDoorOpeningHalfDepth_m + 0.05) * out;
            why.push_back(fmt::format("no {:.2f} m turning circle on the side of ({:.2f}, {:.2f})", diameter_, at.x, at.y));
            if (!f.location) f.location = at, f.floor = h.floor(fl).id;
          }
        }
        if (why.empty()) continue;
        ++bad;
        problems += fmt::format("{}'{}': {}", problems.empty() ? "" : "; ", d.id, fmt::join(why, ", "));
        if (!f.location) f.location = d.opening.midpoint(), f.floor = h.floor(fl).id;
      }
    }
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = "no doors on accessible routes (every door is marked accessible: false)";
      return;
    }
    f.measured = bad;
    f.status = pass_if(bad == 0);
    f.message = bad == 0 ? fmt::format("{} accessible door(s), {} side(s) within the floor, each with a {:.2f} m "
                                       "turning circle and no threshold",
                                       n, sides, diameter_)
                         : fmt::format("{} of {} accessible door(s): {}", bad, n, problems);
  }

 private:
  double diameter_;
};

// clear_width_route: regions connected to their destinations only through
// passages at least width_m wide. The passages are exact (wide_passages.hpp:
// the walkable area eroded by half the width, a disc of that diameter moving
// clear of every wall and obstacle), so a gap's verdict does not depend on
// where it sits on the raster. Door openings count as passable: their width is
// another rule's.
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
      std::vector<Polygon> openings;
      for (const auto& d : ctx.hall.doors)
        if (d.floor == fl) openings.push_back(geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m + 0.5 * width_));
      const WidePassages passages(fg.area, width_, openings);
      const int count = passages.count();

      if (to_ == "safety_exits") {
        std::vector<std::uint8_t> good(static_cast<std::size_t>(count), 0);
        for (const Door* d : safety_exits(ctx.hall, fl))
          for (int c : passages.overlapping(geom::segment_rectangle(d->opening, 0.5 * width_))) good[c] = 1;
        for (int c = 0; c < count; ++c) {
          const double a = passages.area_m2(c);
          if (good[c] || a < min_region_) continue;
          // A region that cannot reach an exit at all is egress.reachable's finding, not a width problem.
          const Vec2 p = passages.inner_point(c);
          if (!std::isfinite(ctx.exit_field(fl).at(p))) continue;
          bad_total += a;
          if (!f.location || a > worst) {
            worst = a;
            f.location = p;
            f.floor = ctx.hall.floor(fl).id;
          }
        }
      } else {
        // From entrances to accessible low counters and accessible toilets.
        std::vector<std::uint8_t> source(static_cast<std::size_t>(count), 0);
        for (const auto& d : ctx.hall.doors)
          if (d.floor == fl && d.is_entrance())
            for (int c : passages.overlapping(geom::segment_rectangle(d.opening, 0.5 * width_))) source[c] = 1;
        auto reached = [&](const Polygon& target) {
          for (int c : passages.overlapping(target))
            if (source[c]) return true;
          return false;
        };
        for (const auto& w : ctx.hall.windows) {
          if (w.floor != fl || w.kind != WindowKind::accessible_low) continue;
          ++targets_total;
          if (!reached(geom::segment_rectangle({w.position - Vec2{0.5, 0}, w.position + Vec2{0.5, 0}}, 0.5))) {
            bad_total += 1;
            notes += fmt::format("{}window '{}'", notes.empty() ? "" : ", ", w.id);
            if (!f.location) f.location = w.position, f.floor = ctx.hall.floor(fl).id;
          }
        }
        for (const auto& z : ctx.hall.zones) {
          if (z.floor != fl || z.type != ZoneType::accessible_toilet) continue;
          ++targets_total;
          if (!reached(z.polygon)) {
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
    // Doors that do not cut through their wall: the region behind them is named by its door
    // (a fail above when it is stranded, a warning when another way still reaches it).
    std::string uncut;
    std::optional<Vec2> uncut_at;
    std::string uncut_floor;
    for (FloorId fl : floor_ids(ctx.hall))
      for (const auto& u : doors_not_cut_through(ctx.hall, fl, ctx.geometry.floor(fl).area)) {
        const Door& d = ctx.hall.doors[u.door.value];
        uncut += fmt::format("{}'{}' on floor {} (not through towards ({:.2f}, {:.2f}))", uncut.empty() ? "" : ", ",
                             d.id, ctx.hall.floor(fl).id, u.beyond.x, u.beyond.y);
        if (!uncut_at) uncut_at = d.opening.midpoint(), uncut_floor = ctx.hall.floor(fl).id;
      }
    const std::string uncut_text =
        uncut.empty() ? ""
                      : fmt::format("door(s) whose opening does not cut through the wall: {} (a door cuts its "
                                    "wall {:.1f} m each side of its line: the wall is thicker, or the door is not "
                                    "in its middle, or an obstacle stands against it)",
                                    uncut, kDoorOpeningHalfDepth_m);
    f.measured = bad;
    if (bad == 0 && !uncut.empty()) {
      f.status = Status::warn;
      f.location = uncut_at;
      f.floor = uncut_floor;
      f.message = "every part of the walkable area can reach a safety exit, but " + uncut_text;
      return;
    }
    f.status = pass_if(bad == 0);
    f.message =
        bad == 0
            ? "every part of the walkable area can reach a safety exit"
            : fmt::format("{:.1f} m2 cannot reach any safety exit (largest region around the location){}", bad,
                          uncut.empty() ? "" : "; " + uncut_text);
  }

 private:
  double min_region_;
};

// exit_width_per_100 (GB 50016 5.5.21): total clear width of each floor's
// counting safety exits against persons / 100 x the table value. The persons
// are those of the busiest floor the exits serve (5.5.21 items 1 and 4): above
// ground, a floor's stairs carry the busiest floor at or above it, and the
// ground floor's exit doors the busiest floor of the building; below ground,
// the busiest floor at or below. Basements take the rows of table 5.5.21-1 by
// the depth of their floor below the exit level (at most 10 m, deeper).
class ExitWidthPer100 final : public RuleKind {
 public:
  // Whether the exits of a floor at storey `at` carry the persons of a floor at storey `of`
  // (5.5.21 items 1 and 4): the ground floor's carry every floor, an upper floor's stairs the
  // floors at or above it, a basement's the floors at or below it.
  static bool serves(int at, int of) { return at == 1 ? true : at > 1 ? of >= at : of <= at; }

  // Fire compartments joined by stairs: a stair joins every compartment its one door opens
  // from (door_in_compartment) to every compartment its other door opens from. The
  // compartments of one connected set are a stack: a compartment's exits carry the busiest
  // compartment of its stack that they serve, not the busiest floor of the whole building
  // (two stairs in two compartments carry each its own stack). A compartment no stair
  // reaches is a stack of its own.
  class CompartmentStacks {
   public:
    explicit CompartmentStacks(const Hall& h) {
      for (FloorId fl : floor_ids(h)) {
        first_.push_back(regions_.size());
        for (auto& r : compartments_of(h, fl)) regions_.push_back({fl, std::move(r)});
      }
      parent_.resize(regions_.size());
      for (std::size_t i = 0; i < parent_.size(); ++i) parent_[i] = i;
      for (const auto& st : h.stairs) {
        const Door& a = h.doors.at(st.from_door.value);
        const Door& b = h.doors.at(st.to_door.value);
        for (std::size_t i = 0; i < regions_.size(); ++i) {
          if (regions_[i].first != a.floor || !door_in_compartment(a, regions_[i].second.polygon)) continue;
          for (std::size_t j = 0; j < regions_.size(); ++j)
            if (regions_[j].first == b.floor && door_in_compartment(b, regions_[j].second.polygon))
              parent_[root(i)] = root(j);
        }
      }
    }
    std::size_t node(FloorId fl, std::size_t ci) const { return first_.at(fl.value) + ci; }
    std::size_t root(std::size_t i) const {
      while (parent_[i] != i) i = parent_[i];
      return i;
    }
    const std::string& compartment_id(FloorId fl, std::size_t ci) const { return regions_.at(node(fl, ci)).second.id; }

   private:
    std::vector<std::pair<FloorId, CompartmentRegion>> regions_;
    std::vector<std::size_t> first_;
    std::vector<std::size_t> parent_;
  };

  explicit ExitWidthPer100(ParamReader& p) {
    if (const Param* m = p.map("m_per_100")) {
      p.check_names_in(*m, "m_per_100", {"storeys_1_2", "storey_3", "storey_4_up"});
      low_ = p.numbers_in(*m, "storeys_1_2", 4);
      third_ = p.numbers_in(*m, "storey_3", 4);
      high_ = p.numbers_in(*m, "storey_4_up", 4);
    }
    if (p.find("basement_m_per_100")) {
      if (const Param* b = p.map("basement_m_per_100")) {
        p.check_names_in(*b, "basement_m_per_100", {"depth_10m_or_less", "deeper"});
        basement_shallow_ = p.number_in(*b, "depth_10m_or_less", 0, 100);
        basement_deep_ = p.number_in(*b, "deeper", 0, 100);
        basement_ = true;
      }
    }
    by_busiest_ = p.boolean_or("busiest_floor", false);
  }
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    double worst_margin = std::numeric_limits<double>::infinity();
    bool any = false;
    const Hall& h = ctx.hall;
    const int g = h.fire_resistance_grade - 1;
    const CompartmentStacks stacks(h);
    for (FloorId fl : floor_ids(h)) {
      const Floor& floor = h.floor(fl);
      double per100 = std::nan("");
      std::string row;
      if (floor.storey < 0) {
        if (!basement_) continue;
        // Depth of this floor below the exit level: the heights of the basement floors down to it.
        double depth = 0;
        for (const auto& other : h.floors)
          if (other.storey < 0 && other.storey >= floor.storey) depth += other.height_m;
        per100 = depth <= 10.0 + 1e-9 ? basement_shallow_ : basement_deep_;
        row = fmt::format("basement {:.1f} m below the exit level", depth);
      } else {
        const auto& table = floor.storey <= 2 ? low_ : floor.storey == 3 ? third_ : high_;
        if (table.size() != 4) continue;
        per100 = table[g];
        row = floor.storey <= 2 ? "storeys 1-2" : floor.storey == 3 ? "storey 3" : "storey 4 and up";
      }
      if (std::isnan(per100)) continue;
      any = true;
      double width = 0;
      for (const Door* d : safety_exits(h, fl)) width += d->clear_width_m;
      double persons = ctx.load.by_floor[fl.value];
      std::string busiest = floor.id;
      if (by_busiest_)
        for (FloorId o : floor_ids(h)) {
          if (serves(floor.storey, h.floor(o).storey) && ctx.load.by_floor[o.value] > persons) {
            persons = ctx.load.by_floor[o.value];
            busiest = h.floor(o).id;
          }
        }
      // The finding reports the floor or compartment with the smallest margin.
      auto keep_if_worst = [&](double w, double need, auto message) {
        if (w - need >= worst_margin) return;
        worst_margin = w - need;
        f.measured = w;
        f.required = need;
        f.floor = floor.id;
        f.message = message();
      };
      const double need = persons / 100.0 * per100;
      keep_if_worst(width, need, [&] {
        return fmt::format(
            "floor {}: {:.2f} m of exit width for {:.0f} persons{} at {:.2f} m per 100 ({}); occupant load: {}",
            floor.id, width, persons, busiest == floor.id ? "" : fmt::format(" (floor {}, the busiest it serves)", busiest),
            per100, row, ctx.load.basis);
      });
      // Each listed fire compartment by its own exits and the persons of the busiest compartment
      // of its stack it serves (5.5.21: 每个防火分区, items 1 and 4 as for the floor).
      if (floor.compartments.empty()) continue;
      const auto regions = compartments_of(h, fl);
      const auto exits = safety_exits(h, fl);
      for (std::size_t ci = 0; ci < regions.size(); ++ci) {
        double cw = 0;
        for (const Door* d : exits)
          if (door_in_compartment(*d, regions[ci].polygon)) cw += d->clear_width_m;
        double cp = ctx.load.by_compartment[fl.value][ci];
        std::string from;
        if (by_busiest_) {
          const std::size_t self = stacks.node(fl, ci);
          for (FloorId o : floor_ids(h))
            for (std::size_t cj = 0; cj < ctx.load.by_compartment[o.value].size(); ++cj) {
              const std::size_t other = stacks.node(o, cj);
              if (other == self || stacks.root(other) != stacks.root(self) ||
                  !serves(floor.storey, h.floor(o).storey) || ctx.load.by_compartment[o.value][cj] <= cp)
                continue;
              cp = ctx.load.by_compartment[o.value][cj];
              const std::string& cid = stacks.compartment_id(o, cj);
              from = cid.empty() ? fmt::format("floor {}", h.floor(o).id)
                                 : fmt::format("compartment {} of floor {}", cid, h.floor(o).id);
            }
        }
        const double cneed = cp / 100.0 * per100;
        keep_if_worst(cw, cneed, [&] {
          return fmt::format(
              "compartment {} of floor {}: {:.2f} m of exit width (its own exits) for {:.0f} persons{} at "
              "{:.2f} m per 100 ({}); occupant load: {}",
              regions[ci].id, floor.id, cw, cp,
              from.empty() ? std::string(" (its own)") : fmt::format(" ({}, the busiest of its stair stack it serves)", from),
              per100, row, ctx.load.basis);
        });
      }
    }
    if (!any) {
      f.status = Status::not_applicable;
      f.message = fmt::format("the table has no value for fire-resistance grade {} on these storeys",
                              h.fire_resistance_grade);
      return;
    }
    f.status = pass_if(worst_margin >= -1e-9);
    // Widths against a load of nobody prove nothing: an impossible hall never passes quietly.
    if (const std::string doubt = ctx.load.doubts(); !doubt.empty()) {
      f.status = Status::fail;
      f.message = "the occupant load cannot be right (" + doubt + "), so the exit width cannot be checked: " +
                  "draw the zones or state the design load. " + f.message;
    }
  }

 private:
  std::vector<double> low_, third_, high_;
  bool basement_ = false, by_busiest_ = false;
  double basement_shallow_ = 0, basement_deep_ = 0;
};

// compartment_area_max (GB 50016 5.3.1): each fire compartment (format 9: the
// floor's floors[].compartments; else the floor is one, its outline);
// its area at most the limit for the building (a
// multi-storey building of grade I/II, a high-rise one above high_rise_height_m,
// or a basement floor), x sprinkler_factor when sprinklered.
class CompartmentAreaMax final : public RuleKind {
 public:
  explicit CompartmentAreaMax(ParamReader& p)
      : multi_(p.number("multi_storey_m2", 0, 1e7)),
        high_rise_(p.number("high_rise_m2", 0, 1e7)),
        basement_(p.number("basement_m2", 0, 1e7)),
        high_rise_height_(p.number("high_rise_height_m", 0, 1e3)),
        sprinkler_factor_(p.number_or("sprinkler_factor", 1.0, 1.0, 10.0)),
        grades_(read_grades_list(p)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    const Hall& h = ctx.hall;
    f.unit = "m2";
    if (!grades_.empty() && !grades_.count(h.fire_resistance_grade)) {
      f.status = Status::not_applicable;
      f.message = fmt::format("the limits cover fire-resistance grades it lists; this hall is grade {}",
                              h.fire_resistance_grade);
      return;
    }
    // Building height: the modelled storeys above ground (floor-to-ceiling heights).
    double height = 0;
    for (const auto& fl : h.floors)
      if (fl.storey > 0) height += fl.height_m;
    const bool high_rise = height > high_rise_height_m_() + 1e-9;
    double worst_margin = std::numeric_limits<double>::infinity();
    std::string bad;
    bool listed = false;
    for (FloorId fid : floor_ids(h)) {
      const Floor& fl = h.floor(fid);
      listed = listed || !fl.compartments.empty();
      for (const auto& c : compartments_of(h, fid)) {
        const double area = geom::area(c.polygon);
        const double limit =
            (fl.storey < 0 ? basement_ : high_rise ? high_rise_ : multi_) * (c.sprinklered ? sprinkler_factor_ : 1.0);
        const std::string what =
            c.id.empty() ? "floor " + fl.id : fmt::format("compartment {} of floor {}", c.id, fl.id);
        if (area > limit + 1e-9)
          bad += fmt::format("{}{} {:.0f} m2 > {:.0f} m2{}", bad.empty() ? "" : "; ", what, area, limit,
                             c.sprinklered ? " (sprinklered)" : "");
        if (limit - area < worst_margin) {
          worst_margin = limit - area;
          f.measured = area;
          f.required = limit;
          f.floor = fl.id;
        }
      }
    }
    f.status = pass_if(bad.empty());
    const std::string basis =
        listed ? "each floor one fire compartment unless it lists floors[].compartments"
               : "each floor is one fire compartment";
    f.message = bad.empty() ? fmt::format("every fire compartment within its limit ({} building{}; {})",
                                          high_rise ? "high-rise" : "multi-storey",
                                          h.sprinklered ? ", sprinklered" : "", basis)
                            : bad + " (" + basis + ")";
  }

 private:
  double high_rise_height_m_() const { return high_rise_height_; }
  static std::set<int> read_grades_list(ParamReader& p) {
    std::set<int> out;
    for (double g : p.number_list_or("grades", 1, 4)) out.insert(static_cast<int>(g));
    return out;
  }
  double multi_, high_rise_, basement_, high_rise_height_, sprinkler_factor_;
  std::set<int> grades_;
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

// The fire-resistance grades a distance clause covers (all when the list is empty).
std::set<int> read_grades(ParamReader& p) {
  std::set<int> out;
  for (double g : p.number_list_or("grades", 1, 4)) out.insert(static_cast<int>(g));
  return out;
}

bool out_of_grades(const std::set<int>& grades, const Hall& h, Finding& f) {
  if (grades.empty() || grades.count(h.fire_resistance_grade)) return false;
  f.status = Status::not_applicable;
  f.message = fmt::format("the clause covers fire-resistance grades it lists; this hall is grade {}",
                          h.fire_resistance_grade);
  return true;
}

// straight_line_distance_max (GB 50016 5.5.17 item 4): the straight-line
// distance from any point of the open hall to its nearest evacuation door or
// safety exit, bending only around walls and full-height obstacles. Rooms and
// corridors are other rules' (items 1 and 3).
class StraightLineDistanceMax final : public RuleKind {
 public:
  explicit StraightLineDistanceMax(ParamReader& p)
      : max_(p.number("max_m", 0, 1e4)),
        sprinkler_factor_(p.number_or("sprinkler_factor", 1.0, 1.0, 10.0)),
        grades_(read_grades(p)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    const double limit = max_ * (ctx.hall.sprinklered ? sprinkler_factor_ : 1.0);
    f.required = limit;
    if (out_of_grades(grades_, ctx.hall, f)) return;
    double worst = -1;
    bool unreachable = false;
    for (FloorId fl : floor_ids(ctx.hall)) {
      EgressSpaces& sp = ctx.spaces(fl);
      const auto& field = sp.to_hall_targets();
      const auto& grid = sp.geometry().grid;
      for (std::size_t k = 0; k < grid.size(); ++k) {
        const int c = sp.space_of(k);
        if (c < 0 || sp.spaces()[c].kind != SpaceKind::hall) continue;
        double d = field.at_cell(k);
        if (!std::isfinite(d)) {
          // No counting exit in sight of this part of the hall (e.g. only a sliding door).
          if (unreachable) continue;
          unreachable = true;
          d = std::numeric_limits<double>::max();
        }
        if (d > worst) {
          worst = d;
          f.location = grid.center(k);
          f.floor = ctx.hall.floor(fl).id;
        }
      }
    }
    if (worst < 0) {
      f.status = Status::not_applicable;
      f.message = "no open hall (no space with a safety exit of its own)";
      f.location.reset();
      return;
    }
    if (unreachable) {
      f.status = Status::fail;
      f.message = "part of the open hall has no safety exit that counts (side-hung or with a fire-mode swing)";
      return;
    }
    f.measured = worst;
    f.status = pass_if(worst <= limit + 1e-9);
    f.message = fmt::format(
        "farthest point of the open hall is {:.1f} m in a straight line from the nearest evacuation door or "
        "safety exit, bending only around walls and full-height obstacles (limit {:.1f} m{})",
        worst, limit, ctx.hall.sprinklered ? ", sprinklered" : "");
    if (f.status == Status::pass) f.location.reset();
  }

 private:
  double max_, sprinkler_factor_;
  std::set<int> grades_;
};

// room_distance_max (GB 50016 5.5.17 items 1 and 3, table 5.5.17): for each
// enclosed room, `measure: interior` - any point to the room's door (at most
// the dead-end value); `measure: door_to_exit` - the room's door to the
// nearest safety exit (the between-exits value on a floor with two or more
// exits, else the dead-end value; less where that exit is an open stair's).
// Both straight lines around walls and full-height obstacles; x the sprinkler
// factor. Tables by fire-resistance grade I..IV.
class RoomDistanceMax final : public RuleKind {
 public:
  explicit RoomDistanceMax(ParamReader& p)
      : measure_(p.text("measure", {"interior", "door_to_exit"})),
        sprinkler_factor_(p.number_or("sprinkler_factor", 1.0, 1.0, 10.0)) {
    dead_end_ = p.number_list_or("dead_end_m", 0, 1e4);
    if (dead_end_.size() != 4) p.problem(*p.param("dead_end_m"), "dead_end_m", "expected 4 numbers (grades I-IV)");
    if (measure_ == "door_to_exit") {
      between_ = p.number_list_or("between_exits_m", 0, 1e4);
      if (between_.size() != 4)
        p.problem(*p.param("between_exits_m"), "between_exits_m", "expected 4 numbers (grades I-IV)");
      open_between_ = p.number_or("open_stair_between_m", 0, 0, 100);
      open_dead_end_ = p.number_or("open_stair_dead_end_m", 0, 0, 100);
    }
  }
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    const int g = std::clamp(ctx.hall.fire_resistance_grade, 1, 4) - 1;
    const double sf = ctx.hall.sprinklered ? sprinkler_factor_ : 1.0;
    double worst_margin = std::numeric_limits<double>::infinity();
    int rooms = 0;
    std::string bad;
    auto consider = [&](double measured, double limit, Vec2 where, FloorId fl, const std::string& what) {
      const double margin = limit - measured;
      if (margin < -1e-9) bad += fmt::format("{}{} {:.1f} m > {:.1f} m", bad.empty() ? "" : "; ", what, measured, limit);
      if (margin < worst_margin) {
        worst_margin = margin;
        f.measured = measured;
        f.required = limit;
        f.location = where;
        f.floor = ctx.hall.floor(fl).id;
      }
    };
    for (FloorId fl : floor_ids(ctx.hall)) {
      EgressSpaces& sp = ctx.spaces(fl);
      const auto& spaces = sp.spaces();
      if (measure_ == "interior") {
        std::vector<double> far(spaces.size(), -1);
        std::vector<std::size_t> at(spaces.size(), 0);
        const auto& field = sp.to_any_door();
        const auto& grid = sp.geometry().grid;
        for (std::size_t k = 0; k < grid.size(); ++k) {
          const int c = sp.space_of(k);
          if (c < 0 || spaces[c].kind != SpaceKind::room) continue;
          const double d = field.at_cell(k);
          if (d > far[c]) far[c] = d, at[c] = k;
        }
        for (std::size_t c = 0; c < spaces.size(); ++c) {
          // A room with no door at all cannot reach an exit: egress.reachable's finding.
          if (spaces[c].kind != SpaceKind::room || far[c] < 0 || spaces[c].openings == 0) continue;
          ++rooms;
          const std::string what = fmt::format("room at ({:.1f}, {:.1f}) on floor {}: farthest point to its door",
                                               grid.center(spaces[c].representative).x,
                                               grid.center(spaces[c].representative).y, ctx.hall.floor(fl).id);
          if (spaces[c].doors.empty() || !std::isfinite(far[c])) {
            consider(std::numeric_limits<double>::max(), dead_end_[g] * sf, grid.center(at[c]), fl,
                     what + " (no evacuation door)");
            continue;
          }
          consider(far[c], dead_end_[g] * sf, grid.center(at[c]), fl, what);
        }
      } else {
        int exits = 0;
        for (const auto& d : ctx.hall.doors) exits += d.floor == fl && d.counts_as_exit();
        const auto& field = sp.to_exits();
        for (std::uint32_t i = 0; i < ctx.hall.doors.size(); ++i) {
          const Door& d = ctx.hall.doors[i];
          if (d.floor != fl || !d.is_evacuation_door() || d.is_safety_exit()) continue;
          const int room = sp.room_of_door(DoorId{i});
          if (room < 0) continue;
          const auto& s = sp.sides(DoorId{i});
          const int other = s.a == room ? s.b : s.a;
          if (other >= 0 && spaces[other].kind == SpaceKind::room) continue;  // a door between two rooms
          ++rooms;
          const Vec2 mid = d.opening.midpoint();
          const std::size_t k = sp.geometry().grid.cell_of(mid);
          const double dist = sp.geometry().area.contains(mid) ? field.at(mid) : field.at_cell(k);
          const bool between = exits >= 2;
          double limit = (between ? between_[g] : dead_end_[g]) * sf;
          const int t = field.nearest_target(k);
          if (t >= 0 && open_stair_exit(ctx.hall, fl, t)) limit -= between ? open_between_ : open_dead_end_;
          consider(std::isfinite(dist) ? dist : std::numeric_limits<double>::max(), limit, mid, fl,
                   fmt::format("door '{}' to the nearest safety exit{}", d.id, between ? "" : " (dead end)"));
        }
      }
    }
    if (rooms == 0) {
      f.status = Status::not_applicable;
      f.message = measure_ == "interior" ? "no enclosed room" : "no room door opening onto the hall or a corridor";
      f.location.reset();
      return;
    }
    f.status = pass_if(bad.empty());
    if (f.status == Status::pass) {
      f.message = fmt::format("{} {} within the limit; the closest {:.1f} m of {:.1f} m", rooms,
                              measure_ == "interior" ? "room(s)" : "room door(s)", f.measured.value_or(0),
                              f.required.value_or(0));
      f.location.reset();
    } else {
      f.message = bad;
    }
  }

 private:
  // Whether counting exit number t (in the order of to_exits' targets) opens into an unprotected stair.
  static bool open_stair_exit(const Hall& h, FloorId fl, int t) {
    int i = 0;
    for (std::uint32_t di = 0; di < h.doors.size(); ++di) {
      const Door& d = h.doors[di];
      if (d.floor != fl || !d.counts_as_exit()) continue;
      if (i++ != t) continue;
      for (const auto& st : h.stairs)
        if ((st.from_door.value == di || st.to_door.value == di) && !st.is_protected) return true;
      return false;
    }
    return false;
  }

  std::string measure_;
  double sprinkler_factor_;
  std::vector<double> dead_end_, between_;
  double open_between_ = 0, open_dead_end_ = 0;
};

// evacuation_corridor_max (GB 50016 5.5.17 item 4, second sentence): an
// evacuation door of the open hall that does not open directly outside or
// into a stair leads along a corridor of at most max_m to the nearest safety
// exit (straight line from the door, around walls).
class EvacuationCorridorMax final : public RuleKind {
 public:
  explicit EvacuationCorridorMax(ParamReader& p) : max_(p.number("max_m", 0, 1e3)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "m";
    f.required = max_;
    int n = 0;
    double worst = -1;
    std::string bad, off;
    for (FloorId fl : floor_ids(ctx.hall)) {
      EgressSpaces& sp = ctx.spaces(fl);
      for (std::uint32_t i = 0; i < ctx.hall.doors.size(); ++i) {
        const Door& d = ctx.hall.doors[i];
        if (d.floor != fl || !sp.is_hall_evacuation_door(DoorId{i})) continue;
        const auto& s = sp.sides(DoorId{i});
        if (s.a < 0 || s.b < 0) {  // leads off the modelled floor: its corridor is not drawn
          off += fmt::format("{}'{}'", off.empty() ? "" : ", ", d.id);
          continue;
        }
        ++n;
        const Vec2 mid = d.opening.midpoint();
        const auto& field = sp.to_exits();
        const double dist =
            sp.geometry().area.contains(mid) ? field.at(mid) : field.at_cell(sp.geometry().grid.cell_of(mid));
        const double m = std::isfinite(dist) ? dist : std::numeric_limits<double>::max();
        if (m > max_ + 1e-9) bad += fmt::format("{}'{}' {:.1f} m", bad.empty() ? "" : ", ", d.id, dist);
        if (m > worst) {
          worst = m;
          f.measured = dist;
          f.location = mid;
          f.floor = ctx.hall.floor(fl).id;
        }
      }
    }
    const std::string note =
        off.empty() ? "" : fmt::format(" (not measured, their corridor is not on the modelled floor: {})", off);
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = "no evacuation door of the hall opens into a corridor" + note;
      f.location.reset();
      return;
    }
    f.status = pass_if(bad.empty());
    f.message = bad.empty() ? fmt::format("{} hall evacuation door(s) reach a safety exit within {:.1f} m{}", n,
                                          max_, note)
                            : fmt::format("corridor to the nearest safety exit longer than {:.1f} m: {}{}", max_,
                                          bad, note);
    if (f.status == Status::pass) f.location.reset();
  }

 private:
  double max_;
};

// evacuation_door_type (GB 50016 6.4.11, GB 55037-2022): safety exits and
// evacuation doors are side-hung (a sliding, revolving, rolling or folding door
// counts only with a fire-mode swing), and open in the direction of escape
// where their space holds more than room_persons or a door serves more than
// door_persons.
class EvacuationDoorType final : public RuleKind {
 public:
  explicit EvacuationDoorType(ParamReader& p)
      : room_persons_(p.number("room_persons_max_inward", 0, 1e6)),
        door_persons_(p.number("door_persons_max_inward", 0, 1e6)) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "doors";
    f.required = 0;
    int n = 0, bad_count = 0;
    std::string bad;
    for (FloorId fl : floor_ids(ctx.hall)) {
      EgressSpaces& sp = ctx.spaces(fl);
      for (std::uint32_t i = 0; i < ctx.hall.doors.size(); ++i) {
        const Door& d = ctx.hall.doors[i];
        if (d.floor != fl || d.role == DoorRole::none) continue;
        ++n;
        std::string why;
        if (d.type != DoorType::side_hung && !d.fire_mode_swing) {
          why = fmt::format("{} without a fire-mode swing: does not count as {}", name(d.type),
                            d.is_safety_exit() ? "a safety exit" : "an evacuation door");
        } else if (d.type == DoorType::side_hung && d.swing == DoorSwing::in) {
          // The space the door is escaped from: its room, else the space holding the most persons.
          const auto& s = sp.sides(DoorId{i});
          int from = sp.room_of_door(DoorId{i});
          if (from < 0)
            for (int c : {s.a, s.b})
              if (c >= 0 && (from < 0 || sp.spaces()[c].persons > sp.spaces()[from].persons)) from = c;
          if (from >= 0) {
            const Space& space = sp.spaces()[from];
            const double per_door = space.persons / std::max<std::size_t>(1, space.doors.size());
            if (space.persons > room_persons_ + 1e-9 || per_door > door_persons_ + 1e-9)
              why = fmt::format("opens against the escape direction for {:.0f} persons ({:.0f} per door; inward "
                                "only up to {:.0f} and {:.0f})",
                                space.persons, per_door, room_persons_, door_persons_);
          }
        }
        if (why.empty()) continue;
        ++bad_count;
        bad += fmt::format("{}'{}' {}", bad.empty() ? "" : "; ", d.id, why);
        if (!f.location) {
          f.location = d.opening.midpoint();
          f.floor = ctx.hall.floor(fl).id;
        }
      }
    }
    f.measured = bad_count;
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = "no safety exits or evacuation doors";
      return;
    }
    f.status = pass_if(bad_count == 0);
    f.message = bad_count == 0 ? fmt::format("{} door(s): side-hung (or with a fire-mode swing) and opening as "
                                             "required",
                                             n)
                               : bad;
  }

 private:
  double room_persons_, door_persons_;
};

// access_gate_release (GB 50016 6.4.11 item 4): every access gate (闸机) on a
// way out opens by itself in a fire, without key or card.
class AccessGateRelease final : public RuleKind {
 public:
  explicit AccessGateRelease(ParamReader&) {}
  void evaluate(CheckContext& ctx, Finding& f) const override {
    f.unit = "gates";
    f.required = 0;
    int n = 0, bad = 0;
    std::string list;
    for (const auto& ob : ctx.hall.obstacles) {
      if (!ob.access_gate) continue;
      ++n;
      if (ob.releases_in_fire) continue;
      ++bad;
      list += fmt::format("{}'{}'", list.empty() ? "" : ", ", ob.id);
      if (!f.location) f.location = geom::centroid(ob.polygon), f.floor = ctx.hall.floor(ob.floor).id;
    }
    if (n == 0) {
      f.status = Status::not_applicable;
      f.message = "no access gates";
      return;
    }
    f.measured = bad;
    f.status = pass_if(bad == 0);
    f.message = bad == 0 ? fmt::format("all {} access gate(s) release in a fire", n)
                         : fmt::format("access gate(s) that do not release in a fire: {}", list);
  }
};

}  // namespace

void register_egress_rules(std::map<std::string, RuleFactory>& k) {
  k["exit_count_min"] = factory<ExitCountMin>({"min", "single_exit_max_area_m2", "single_exit_max_persons"});
  k["exit_separation_min"] = factory<ExitSeparationMin>({"min_m"});
  k["door_width_min"] = factory<DoorWidthMin>({"doors", "crowded_place", "crowded_levels", "crowded_min_area_m2",
                                               "min_m", "min_m_crowded", "automatic_min_m"});
  k["clear_width_route"] = factory<ClearWidthRoute>({"width_m", "from", "to", "min_region_m2"});
  k["door_turning_space"] = factory<DoorTurningSpace>({"turning_diameter_m"});
  k["exit_reachable"] = factory<ExitReachable>({"min_region_m2"});
  k["exit_width_per_100"] = factory<ExitWidthPer100>({"m_per_100", "basement_m_per_100", "busiest_floor"});
  k["compartment_area_max"] = factory<CompartmentAreaMax>(
      {"multi_storey_m2", "high_rise_m2", "basement_m2", "high_rise_height_m", "sprinkler_factor", "grades"});
  k["travel_distance_max"] = factory<TravelDistanceMax>({"max_m", "sprinkler_factor", "grades"});
  k["straight_line_distance_max"] = factory<StraightLineDistanceMax>({"max_m", "sprinkler_factor", "grades"});
  k["room_distance_max"] = factory<RoomDistanceMax>({"measure", "dead_end_m", "between_exits_m", "sprinkler_factor",
                                                     "open_stair_between_m", "open_stair_dead_end_m"});
  k["evacuation_corridor_max"] = factory<EvacuationCorridorMax>({"max_m"});
  k["access_gate_release"] = factory<AccessGateRelease>({});
  k["evacuation_door_type"] =
      factory<EvacuationDoorType>({"room_persons_max_inward", "door_persons_max_inward"});
}

}  // namespace halltwin::check
