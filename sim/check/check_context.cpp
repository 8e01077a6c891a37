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

std::vector<CompartmentRegion> compartments_of(const Hall& hall, FloorId floor) {
  const Floor& fl = hall.floor(floor);
  std::vector<CompartmentRegion> out;
  if (fl.compartments.empty()) {
    out.push_back({"", fl.boundary, hall.sprinklered});
    return out;
  }
  for (const auto& c : fl.compartments) out.push_back({c.id, c.polygon, c.sprinklered.value_or(hall.sprinklered)});
  return out;
}

bool door_in_compartment(const Door& d, const Polygon& compartment) {
  const Vec2 mid = d.opening.midpoint();
  return geom::contains(compartment, mid) || geom::distance_to_boundary(compartment, mid) <= 0.6 + 1e-9;
}

namespace {

// The area of `a` inside `b`, m2.
double area_inside(const Polygon& a, const Polygon& b) {
  double outside = 0;
  for (const auto& piece : geom::difference(a, {b})) {
    outside += geom::area(piece.outer);
    for (const auto& hole : piece.holes) outside -= geom::area(hole);
  }
  return std::max(0.0, geom::area(a) - outside);
}

}  // namespace

OccupantLoadResult occupant_load(const Hall& hall, const Rulebook& book) {
  OccupantLoadResult r;
  r.by_floor.assign(hall.floors.size(), 0.0);
  r.doubt.assign(hall.floors.size(), std::string());
  r.by_compartment.assign(hall.floors.size(), {});
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
      // A floor's design load spread over its compartments by area.
      const auto regions = compartments_of(hall, FloorId{static_cast<std::uint32_t>(i)});
      double total_area = 0;
      for (const auto& c : regions) total_area += geom::area(c.polygon);
      for (const auto& c : regions)
        r.by_compartment[i].push_back(
            regions.size() == 1 || total_area <= 0
                ? r.by_floor[i]
                : std::max(0.0, std::ceil(r.by_floor[i] * geom::area(c.polygon) / total_area - 1e-9)));
    }
    r.basis = fmt::format("design occupancy stated in the scenario ({:.0f} persons)", r.total);
  } else {
    // Density by zone type and storey (the scenario's value overrides the rulebook's), plus the
    // circulation area no zone covers, against fixed seats x factor: the larger.
    auto density = [&](const Zone& z) { return zone_density_ppm2(hall, book, z); };
    std::vector<double> by_zones(hall.floors.size(), 0.0), by_seats(hall.floors.size(), 0.0);
    std::vector<double> zoned_m2(hall.floors.size(), 0.0);
    std::vector<int> zones(hall.floors.size(), 0);
    for (const auto& z : hall.zones) {
      by_zones[z.floor.value] += density(z) * geom::area(z.polygon);
      zoned_m2[z.floor.value] += geom::area(z.polygon);
      ++zones[z.floor.value];
    }
    for (const auto& s : hall.seats) by_seats[s.floor.value] += book.seat_factor;
    double sum_zones = 0, sum_circ = 0, sum_circ_m2 = 0, sum_seats = 0;
    for (std::size_t i = 0; i < hall.floors.size(); ++i) {
      const Floor& fl = hall.floors[i];
      const FloorId fid{static_cast<std::uint32_t>(i)};
      const double circ_d = book.circulation_at(fl.storey);
      // Zones do not overlap (the loader refuses it) and lie inside the outline.
      const double circ_m2 = std::max(0.0, geom::area(fl.boundary) - zoned_m2[i]);
      const double by_circ = circ_d * circ_m2;
      const double by_density = by_zones[i] + by_circ;
      // max with 0 first: ceil(-1e-9) is -0, which prints as "-0 persons".
      r.by_floor[i] = std::max(0.0, std::ceil(std::max(by_density, by_seats[i]) - 1e-9));
      r.total += r.by_floor[i];
      sum_zones += by_zones[i];
      sum_circ += by_circ;
      sum_circ_m2 += circ_m2;
      sum_seats += by_seats[i];
      // Citizens stand at windows and in the waiting area: a floor with windows
      // whose zones give no one (none drawn, or only zone types of density 0)
      // counts at most its undrawn area and seats, which leaves the queue out.
      const bool no_density = by_zones[i] <= 0;
      if ((sv.windows[i] > 0 && no_density) || ((sv.windows[i] > 0 || sv.seats[i] > 0) && r.by_floor[i] <= 0)) {
        const std::string why = zones[i] == 0 ? "no zones" : "only zones whose density is 0 persons/m2";
        std::string counts = "0 persons";
        if (r.by_floor[i] > 0)
          counts = by_circ >= by_seats[i]
                       ? fmt::format("only its area outside zones ({:.0f} persons)", r.by_floor[i])
                       : fmt::format("only its seats ({:.0f} persons)", r.by_floor[i]);
        r.doubt[i] = fmt::format("floor {} has {} but {}, so its load counts {}", fl.id,
                                 what_is_served(sv.windows[i], sv.seats[i]), why, counts);
      }
      // Per compartment: the zones' parts inside it, its own circulation area, its seats.
      const auto regions = compartments_of(hall, fid);
      if (regions.size() == 1) {
        r.by_compartment[i].push_back(r.by_floor[i]);
        continue;
      }
      std::vector<bool> seat_taken(hall.seats.size(), false);
      for (const auto& c : regions) {
        double zp = 0, zm2 = 0, seats = 0;
        for (const auto& z : hall.zones) {
          if (z.floor != fid) continue;
          const double a = area_inside(z.polygon, c.polygon);
          zp += density(z) * a;
          zm2 += a;
        }
        for (std::size_t k = 0; k < hall.seats.size(); ++k)
          if (hall.seats[k].floor == fid && !seat_taken[k] && geom::contains(c.polygon, hall.seats[k].position)) {
            seat_taken[k] = true;
            seats += book.seat_factor;
          }
        const double cp = zp + circ_d * std::max(0.0, geom::area(c.polygon) - zm2);
        r.by_compartment[i].push_back(std::max(0.0, std::ceil(std::max(cp, seats) - 1e-9)));
      }
    }
    r.basis = fmt::format(
        "zone area x density by zone type and storey ({}): {:.1f} persons, and {:.1f} m2 outside zones "
        "(circulation) {:.1f} persons; or fixed seats x {}: {:.1f} persons; the larger per floor, rounded up",
        book.density_clause, sum_zones, sum_circ_m2, sum_circ, book.seat_factor, sum_seats);
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

double zone_density_ppm2(const Hall& hall, const Rulebook& book, const Zone& zone) {
  if (auto it = hall.occupant_load.density_ppm2.find(zone.type); it != hall.occupant_load.density_ppm2.end())
    return it->second;
  return book.density_at(zone.type, hall.floor(zone.floor).storey);
}

EgressSpaces& CheckContext::spaces(FloorId f) {
  auto& slot = spaces_[f.value];
  if (!slot) {
    std::vector<double> density(hall.zones.size(), 0.0);
    for (std::size_t z = 0; z < hall.zones.size(); ++z) density[z] = density_ppm2(hall.zones[z]);
    const double design =
        hall.occupant_load.basis == OccupantLoadBasis::design ? load.by_floor[f.value] : 0.0;
    slot = std::make_unique<EgressSpaces>(hall, f, geometry.floor(f).grid.cell_m(), density,
                                          book.circulation_at(hall.floor(f).storey), design);
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

const WidePassages& CheckContext::turning_discs(FloorId f, double diameter_m) {
  auto& slot = turning_discs_[{f.value, diameter_m}];
  if (!slot)
    slot = std::make_unique<WidePassages>(geometry.floor(f).area, diameter_m, std::vector<Polygon>{});
  return *slot;
}

bool CheckContext::reaches_exit(FloorId f, std::size_t cell) {
  return std::isfinite(exit_field(f).at_cell(cell));
}

}  // namespace halltwin::check
