#include "sim/check/check_context.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model/geometry/floor_grid.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::check {

namespace {

// Windows and seats per floor: where the hall serves people.
struct Served {
  std::vector<int> windows, seats;
};
Served served(const Hall& hall) {
  Served s;
  s.windows.assign(hall.floors.size(), 0);
  s.seats.assign(hall.floors.size(), 0);
  for (const auto& w : hall.windows) ++s.windows[w.floor.value];
  for (const auto& st : hall.seats) ++s.seats[st.floor.value];
  return s;
}

std::string what_is_served(int windows, int seats) {
  if (windows > 0 && seats > 0) return fmt::format("{} window(s) and {} seat(s)", windows, seats);
  if (windows > 0) return fmt::format("{} window(s)", windows);
  return fmt::format("{} seat(s)", seats);
}

}  // namespace

std::string OccupantLoadResult::doubts() const {
  std::string out;
  for (const auto& d : doubt)
    if (!d.empty()) out += (out.empty() ? "" : "; ") + d;
  return out;
}

OccupantLoadResult occupant_load(const Hall& hall, const Rulebook& book) {
  OccupantLoadResult r;
  r.by_floor.assign(hall.floors.size(), 0.0);
  r.doubt.assign(hall.floors.size(), std::string());
  const Served sv = served(hall);
  if (hall.occupant_load.basis == OccupantLoadBasis::design) {
    r.by_floor = hall.occupant_load.design_persons_by_floor;
    r.by_floor.resize(hall.floors.size(), 0.0);
    for (std::size_t i = 0; i < r.by_floor.size(); ++i) {
      r.by_floor[i] = std::max(0.0, r.by_floor[i]);  // never -0: it would print as "-0 persons"
      r.total += r.by_floor[i];
      if (r.by_floor[i] <= 0 && (sv.windows[i] > 0 || sv.seats[i] > 0))
        r.doubt[i] = fmt::format("floor {} has {} but a design load of 0 persons", hall.floors[i].id,
                                 what_is_served(sv.windows[i], sv.seats[i]));
    }
    r.basis = fmt::format("design occupancy stated in the scenario ({:.0f} persons)", r.total);
  } else {
    // Density by zone type (scenario overrides the rulebook), against fixed seats x factor: the larger.
    std::vector<double> by_density(hall.floors.size(), 0.0), by_seats(hall.floors.size(), 0.0);
    std::vector<int> zones(hall.floors.size(), 0);
    for (const auto& z : hall.zones) {
      double d = 0.0;
      if (auto it = hall.occupant_load.density_ppm2.find(z.type); it != hall.occupant_load.density_ppm2.end())
        d = it->second;
      else if (auto jt = book.density_ppm2.find(z.type); jt != book.density_ppm2.end())
        d = jt->second;
      by_density[z.floor.value] += d * geom::area(z.polygon);
      ++zones[z.floor.value];
    }
    for (const auto& s : hall.seats) by_seats[s.floor.value] += book.seat_factor;
    double sum_density = 0, sum_seats = 0;
    for (std::size_t i = 0; i < hall.floors.size(); ++i) {
      // max with 0 first: ceil(-1e-9) is -0, which prints as "-0 persons".
      r.by_floor[i] = std::max(0.0, std::ceil(std::max(by_density[i], by_seats[i]) - 1e-9));
      r.total += r.by_floor[i];
      sum_density += by_density[i];
      sum_seats += by_seats[i];
      // Citizens stand at windows and in the waiting area: a floor with windows
      // whose zones give no one (none drawn, or only zone types of density 0)
      // counts at most its seats, which leaves the queue out.
      const bool no_density = by_density[i] <= 0;
      if ((sv.windows[i] > 0 && no_density) || ((sv.windows[i] > 0 || sv.seats[i] > 0) && r.by_floor[i] <= 0)) {
        const std::string why = zones[i] == 0 ? "no zones" : "only zones whose density is 0 persons/m2";
        r.doubt[i] = fmt::format("floor {} has {} but {}, so its load counts {}", hall.floors[i].id,
                                 what_is_served(sv.windows[i], sv.seats[i]), why,
                                 r.by_floor[i] > 0 ? fmt::format("only its seats ({:.0f} persons)", r.by_floor[i])
                                                   : std::string("0 persons"));
      }
    }
    r.basis = fmt::format(
        "zone area x density by zone type ({}): {:.1f} persons, or fixed seats x {}: {:.1f} persons; "
        "the larger per floor, rounded up",
        book.density_clause, sum_density, book.seat_factor, sum_seats);
  }
  if (const std::string d = r.doubts(); !d.empty()) r.basis += "; it cannot be right: " + d;
  return r;
}

CheckContext::CheckContext(const Hall& h, const Rulebook& b, double cell_m)
    : hall(h), book(b), geometry(h, cell_m), load(occupant_load(h, b)) {}

Vec2 CheckContext::snap_to_walkable(FloorId f, Vec2 p) const {
  return geometry.floor(f).area.nearest_point(p);
}

const geom::VisibilityGraph& CheckContext::graph(FloorId f) {
  auto& slot = graphs_[f.value];
  if (!slot) slot = std::make_unique<geom::VisibilityGraph>(geometry.floor(f).area);
  return *slot;
}

const geom::DistanceField& CheckContext::exit_field(FloorId f) {
  auto& slot = exit_fields_[f.value];
  if (!slot) {
    std::vector<Segment> targets;
    for (const auto& d : hall.doors)
      if (d.floor == f && d.counts_as_exit()) targets.push_back(d.opening);
    slot = std::make_unique<geom::DistanceField>(graph(f), geometry.floor(f).grid, targets);
  }
  return *slot;
}

double CheckContext::density_ppm2(ZoneType type) const {
  if (auto it = hall.occupant_load.density_ppm2.find(type); it != hall.occupant_load.density_ppm2.end())
    return it->second;
  if (auto jt = book.density_ppm2.find(type); jt != book.density_ppm2.end()) return jt->second;
  return 0.0;
}

EgressSpaces& CheckContext::spaces(FloorId f) {
  auto& slot = spaces_[f.value];
  if (!slot) {
    std::vector<double> density(hall.zones.size(), 0.0);
    for (std::size_t z = 0; z < hall.zones.size(); ++z) density[z] = density_ppm2(hall.zones[z].type);
    const double design =
        hall.occupant_load.basis == OccupantLoadBasis::design ? load.by_floor[f.value] : 0.0;
    slot = std::make_unique<EgressSpaces>(hall, f, geometry.floor(f).grid.cell_m(), density, design);
  }
  return *slot;
}

const geom::DistanceField* CheckContext::facility_field(FloorId f, FacilityType type) {
  auto& slot = facility_fields_[{f.value, static_cast<int>(type)}];
  if (!slot) {
    std::vector<Segment> targets;
    for (const auto& fac : hall.facilities) {
      if (fac.floor != f || fac.type != type) continue;
      if (type == FacilityType::extinguisher && fac.wheeled) continue;
      const Vec2 p = snap_to_walkable(f, fac.position);
      targets.push_back({p, p});
    }
    if (targets.empty()) return nullptr;
    slot = std::make_unique<geom::DistanceField>(graph(f), geometry.floor(f).grid, targets);
  }
  return slot.get();
}

const std::vector<float>& CheckContext::clearance_field(FloorId f) {
  auto it = clearance_fields_.find(f.value);
  if (it != clearance_fields_.end()) return it->second;
  const auto& fg = geometry.floor(f);
  std::vector<float> c(fg.grid.size(), 0.0f);
  for (std::size_t k = 0; k < c.size(); ++k)
    if (fg.grid.walkable(k)) c[k] = static_cast<float>(fg.area.clearance(fg.grid.center(k)));
  return clearance_fields_.emplace(f.value, std::move(c)).first->second;
}

bool CheckContext::reaches_exit(FloorId f, std::size_t cell) {
  return std::isfinite(exit_field(f).at_cell(cell));
}

}  // namespace halltwin::check
