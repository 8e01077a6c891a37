#include "sim/check/egress_spaces.hpp"

#include <cmath>

#include "model/geometry/polygon_ops.hpp"
#include "model/hall_geometry.hpp"
#include "sim/check/grid_regions.hpp"

namespace halltwin::check {

EgressSpaces::EgressSpaces(const Hall& hall, FloorId floor, double cell_m,
                           const std::vector<double>& zone_density_ppm2, double circulation_ppm2,
                           double design_persons)
    : hall_(hall), floor_(floor), geo_(hall, floor, cell_m) {
  const auto& grid = geo_.grid;
  const double h = grid.cell_m();
  std::vector<std::uint8_t> mask(grid.size(), 0);
  for (std::size_t k = 0; k < grid.size(); ++k) mask[k] = grid.walkable(k);
  // Close every door that is not a safety exit: put its wall back.
  for (const auto& d : hall.doors) {
    if (d.floor != floor || d.is_safety_exit()) continue;
    for (std::size_t k : cells_in_polygon(grid, geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m + h)))
      for (const auto& ob : hall.obstacles)
        if (ob.floor == floor && ob.kind == ObstacleKind::wall && geom::contains(ob.polygon, grid.center(k))) {
          mask[k] = 0;
          break;
        }
  }
  int count = 0;
  label_ = geom::label_components(grid, mask, &count);
  spaces_.assign(static_cast<std::size_t>(count), Space{});
  const auto stats = region_stats(grid, label_, count);
  const double cell_area = h * h;
  std::vector<double> corridor_m2(spaces_.size(), 0.0);
  for (int c = 0; c < count; ++c) {
    spaces_[c].area_m2 = stats[c].cells * cell_area;
    spaces_[c].representative = stats[c].representative;
  }
  double total_m2 = 0;
  for (const auto& s : spaces_) total_m2 += s.area_m2;
  std::vector<std::uint8_t> zoned(grid.size(), 0);
  for (std::size_t z = 0; z < hall.zones.size(); ++z) {
    const Zone& zone = hall.zones[z];
    if (zone.floor != floor) continue;
    for (std::size_t k : cells_in_polygon(grid, zone.polygon)) {
      zoned[k] = 1;
      const int c = label_[k];
      if (c < 0) continue;
      if (design_persons <= 0) spaces_[c].persons += zone_density_ppm2[z] * cell_area;
      if (zone.type == ZoneType::corridor) corridor_m2[c] += cell_area;
    }
  }
  // The circulation area (cells in no zone) at its own density, as the occupant load counts it.
  if (design_persons <= 0 && circulation_ppm2 > 0)
    for (std::size_t k = 0; k < grid.size(); ++k)
      if (!zoned[k] && label_[k] >= 0) spaces_[label_[k]].persons += circulation_ppm2 * cell_area;
  if (design_persons > 0 && total_m2 > 0)
    for (auto& s : spaces_) s.persons = design_persons * s.area_m2 / total_m2;

  // Safety exits: the spaces they open from.
  std::vector<std::uint8_t> has_exit(spaces_.size(), 0);
  sides_.assign(hall.doors.size(), DoorSides{});
  for (std::uint32_t i = 0; i < hall.doors.size(); ++i) {
    const Door& d = hall.doors[i];
    if (d.floor != floor || !d.is_safety_exit()) continue;
    int first = -1;
    for (std::size_t k : cells_in_polygon(grid, geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m))) {
      const int c = label_[k];
      if (c < 0 || has_exit[c] == 2) continue;
      has_exit[c] = 2;  // marks "this door already listed" for this pass
      spaces_[c].doors.push_back(DoorId{i});
      ++spaces_[c].openings;
      if (first < 0) first = c;
    }
    for (auto& e : has_exit)
      if (e == 2) e = 1;
    sides_[i] = {first, -1};
  }
  // Other doors: probe the space on each side of the opening.
  const Polygon& boundary = hall.floor(floor).boundary;
  for (std::uint32_t i = 0; i < hall.doors.size(); ++i) {
    const Door& d = hall.doors[i];
    if (d.floor != floor || d.is_safety_exit()) continue;
    const Vec2 mid = d.opening.midpoint();
    const Vec2 along = d.opening.b - d.opening.a;
    const double len = std::hypot(along.x, along.y);
    const Vec2 n{-along.y / len, along.x / len};
    auto probe = [&](double sign) {
      for (double dist = 0.5 * h; dist <= kDoorOpeningHalfDepth_m + 2 * h; dist += 0.5 * h) {
        const Vec2 p = mid + sign * dist * n;
        if (!geom::contains(boundary, p)) return -1;
        const int c = label_[grid.cell_of(p)];
        if (c >= 0) return c;
      }
      return -1;
    };
    sides_[i] = {probe(1.0), probe(-1.0)};
    for (int c : {sides_[i].a, sides_[i].b})
      if (c >= 0) ++spaces_[c].openings;
    if (d.is_evacuation_door())
      for (int c : {sides_[i].a, sides_[i].b})
        if (c >= 0) spaces_[c].doors.push_back(DoorId{i});
  }
  for (std::size_t c = 0; c < spaces_.size(); ++c)
    spaces_[c].kind = corridor_m2[c] >= 0.5 * spaces_[c].area_m2 ? SpaceKind::corridor
                      : has_exit[c]                             ? SpaceKind::hall
                                                                : SpaceKind::room;
}

int EgressSpaces::room_of_door(DoorId d) const {
  const auto& s = sides_[d.value];
  for (int c : {s.a, s.b})
    if (c >= 0 && spaces_[c].kind == SpaceKind::room) return c;
  return -1;
}

bool EgressSpaces::is_hall_evacuation_door(DoorId d) const {
  const Door& door = hall_.doors[d.value];
  if (door.floor != floor_ || !door.is_evacuation_door() || room_of_door(d) >= 0) return false;
  // From the hall into a corridor or off the modelled floor (a door between two parts of the
  // hall is an evacuation door at the ordinary width, not one of item 4's targets).
  const auto& s = sides_[d.value];
  auto kind = [&](int c) { return c < 0 ? SpaceKind::corridor : spaces_[c].kind; };
  return (kind(s.a) == SpaceKind::hall && kind(s.b) == SpaceKind::corridor) ||
         (kind(s.b) == SpaceKind::hall && kind(s.a) == SpaceKind::corridor);
}

const geom::VisibilityGraph& EgressSpaces::graph() {
  if (!graph_) graph_ = std::make_unique<geom::VisibilityGraph>(geo_.area);
  return *graph_;
}

std::unique_ptr<geom::DistanceField> EgressSpaces::field(bool hall_doors, bool room_doors) {
  std::vector<Segment> targets;
  for (std::uint32_t i = 0; i < hall_.doors.size(); ++i) {
    const Door& d = hall_.doors[i];
    if (d.floor != floor_) continue;
    const bool hall_door = is_hall_evacuation_door(DoorId{i});
    if (d.counts_as_exit() || (hall_doors && hall_door) ||
        (room_doors && d.is_evacuation_door() && !d.is_safety_exit()))
      targets.push_back(d.opening);
  }
  return std::make_unique<geom::DistanceField>(graph(), geo_.grid, targets);
}

const geom::DistanceField& EgressSpaces::to_exits() {
  if (!to_exits_) to_exits_ = field(false, false);
  return *to_exits_;
}

const geom::DistanceField& EgressSpaces::to_hall_targets() {
  if (!to_hall_) {
    bool any = false;
    for (std::uint32_t i = 0; i < hall_.doors.size(); ++i) any = any || is_hall_evacuation_door(DoorId{i});
    if (!any) return to_exits();
    to_hall_ = field(true, false);
  }
  return *to_hall_;
}

const geom::DistanceField& EgressSpaces::to_any_door() {
  if (!to_any_) to_any_ = field(true, true);
  return *to_any_;
}

}  // namespace halltwin::check
