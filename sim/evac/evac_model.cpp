#include "sim/evac/evac_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <numeric>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/hall_geometry.hpp"
#include "model/input_error.hpp"
#include "sim/check/check_context.hpp"
#include "sim/check/checker.hpp"

namespace halltwin::evac {

namespace {
// The berth a walker keeps off walls and corners (a body's radius and a hand),
// metres, and how strongly the direction bends away inside it.
constexpr double kWallBerth_m = 0.45;
constexpr double kWallBend = 1.2;
}  // namespace

namespace {

// Random placement stays below this density (random sequential placement of
// 0.2 m discs jams near 4.3 persons/m²), scaled by (0.2 m / radius)².
constexpr double kMaxPlacementDensity_ppm2 = 3.5;

InputError error(const Hall& hall, SourceLoc loc, std::string field, std::string message) {
  return InputError(
      InputProblem{hall.source_file, loc.line, loc.column, std::move(field), std::move(message)});
}

Vec2 unit(Vec2 v) {
  const double n = norm(v);
  return n > 0 ? (1.0 / n) * v : Vec2{0, 0};
}

// Largest-remainder rounding of `total` over `weights`.
std::vector<int> apportion(int total, const std::vector<double>& weights) {
  std::vector<int> out(weights.size(), 0);
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (sum <= 0 || total <= 0) return out;
  std::vector<std::pair<double, std::size_t>> rem;
  int given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double exact = total * weights[i] / sum;
    out[i] = static_cast<int>(std::floor(exact));
    given += out[i];
    rem.push_back({exact - out[i], i});
  }
  std::stable_sort(rem.begin(), rem.end(), [](auto a, auto b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total && k < rem.size(); ++k, ++given) ++out[rem[k].second];
  return out;
}

double dist_upper(const EvacDistribution& d) {
  switch (d.kind) {
    case EvacDistribution::Kind::uniform:
      return d.max;
    case EvacDistribution::Kind::deterministic:
      return d.mean;
    default:
      return d.max > 0 ? d.max : d.mean + 3 * d.sd;
  }
}

}  // namespace

std::size_t WallIndex::bucket(Vec2 p) const {
  const int i = std::clamp(static_cast<int>(std::floor((p.x - origin.x) / cell)), 0, nx - 1);
  const int j = std::clamp(static_cast<int>(std::floor((p.y - origin.y) / cell)), 0, ny - 1);
  return static_cast<std::size_t>(j) * nx + i;
}

EvacModel::~EvacModel() = default;

bool EvacModel::reachable(Vec2 p) const {
  if (!area_->contains(p)) return false;
  return std::isfinite(field_->at_cell(grid_->cell_of(p)));
}

EvacModel::EvacModel(const Hall& h, const Rulebook& book, const EvacOptions& opt) : hall(h), dt_s(opt.dt_s) {
  const Evacuation& ev = hall.evacuation;
  // ------------------------------------------------------------ floor
  if (hall.floors.empty()) throw error(hall, {}, "floors", "the hall has no floor");
  if (!opt.floor.empty()) {
    bool found = false;
    for (std::uint32_t i = 0; i < hall.floors.size(); ++i)
      if (hall.floors[i].id == opt.floor) floor = FloorId{i}, found = true;
    if (!found) throw error(hall, {}, "--floor", fmt::format("'{}' is not a floor of this hall", opt.floor));
  } else {
    floor = FloorId{0};
    for (std::uint32_t i = 0; i < hall.floors.size(); ++i)
      if (hall.floors[i].storey == 1) floor = FloorId{i};
  }
  const Floor& fl = hall.floor(floor);
  if (hall.floors.size() > 1)
    notes.push_back(
        fmt::format("multi-floor hall: evacuating floor {} ({}) only; stairs and upper floors come in part 2",
                    fl.id, fl.name));

  // ------------------------------------------------------------ blocked doors
  auto find_door = [&](const std::string& id) -> const Door* {
    for (const auto& d : hall.doors)
      if (d.id == id) return &d;
    return nullptr;
  };
  for (const auto& id : ev.blocked) blocked.push_back(id);
  for (const auto& id : opt.blocked) {
    if (!find_door(id)) {
      std::string exits;
      for (const auto& d : hall.doors)
        if (d.floor == floor && d.is_safety_exit()) exits += (exits.empty() ? "" : ", ") + d.id;
      throw InputError(InputProblem{"", 0, 0, "--block",
                                    fmt::format("'{}' is not a door of {}; the exits of floor {} are: {}", id,
                                                hall.name, fl.id, exits)});
    }
    if (std::find(blocked.begin(), blocked.end(), id) == blocked.end()) blocked.push_back(id);
  }
  auto is_blocked = [&](const std::string& id) {
    return std::find(blocked.begin(), blocked.end(), id) != blocked.end();
  };
  for (const auto& id : blocked)
    if (find_door(id)->floor != floor)
      notes.push_back(fmt::format("door {} is not on floor {}: blocking it changes nothing here", id, fl.id));

  // ------------------------------------------------------------ exits and aprons
  std::vector<std::string> closed_exits;
  for (const auto& d : hall.doors) {
    if (d.floor != floor || !d.is_safety_exit()) continue;
    if (is_blocked(d.id)) {
      closed_exits.push_back(d.id);
      continue;
    }
    if (d.clear_width_m <= 0 || d.opening.length() <= 0)
      throw error(hall, d.loc, "doors[" + d.id + "]", "an exit of zero width");
    EvacExit e;
    e.id = d.id;
    e.door = d.opening;
    e.width_m = d.clear_width_m;
    const Vec2 u = unit(d.opening.b - d.opening.a);
    const Vec2 n{u.y, -u.x};
    const Vec2 m = d.opening.midpoint();
    const bool out_plus = !geom::contains(fl.boundary, m + 0.1 * n);
    const bool out_minus = !geom::contains(fl.boundary, m - 0.1 * n);
    e.on_boundary = out_plus != out_minus;
    e.outward = out_plus ? n : -1.0 * n;
    exits.push_back(e);
  }
  if (exits.empty()) {
    throw error(hall, fl.loc, "floors[" + fl.id + "]",
                closed_exits.empty()
                    ? fmt::format("no reachable exit: floor {} has no safety exit", fl.id)
                    : fmt::format("no reachable exit: every safety exit of floor {} is blocked ({})", fl.id,
                                  fmt::format("{}", fmt::join(closed_exits, ", "))));
  }
  // The boundary with an apron (clear width x kApronDepth_m) outside each boundary exit.
  Polygon boundary;
  const Polygon& b = fl.boundary;
  for (std::size_t i = 0; i < b.size(); ++i) {
    const Vec2 p = b[i], q = b[(i + 1) % b.size()];
    const double len = distance(p, q);
    const Vec2 u = unit(q - p);
    boundary.push_back(p);
    std::vector<std::pair<double, const EvacExit*>> on_edge;
    for (const auto& e : exits)
      if (e.on_boundary && geom::point_segment_distance(e.door.a, {p, q}) < 0.06 &&
          geom::point_segment_distance(e.door.b, {p, q}) < 0.06)
        on_edge.push_back({dot(e.door.midpoint() - p, u), &e});
    std::sort(on_edge.begin(), on_edge.end(), [](auto x, auto y) { return x.first < y.first; });
    for (const auto& [t, e] : on_edge) {
      const double t0 = std::max(t - e->width_m / 2, 0.0), t1 = std::min(t + e->width_m / 2, len);
      const Vec2 a = p + t0 * u, c = p + t1 * u;
      if (distance(boundary.back(), a) > 1e-9) boundary.push_back(a);
      boundary.push_back(a + kApronDepth_m * e->outward);
      boundary.push_back(c + kApronDepth_m * e->outward);
      if (distance(c, q) > 1e-9) boundary.push_back(c);
    }
  }
  if (auto why = geom::invalidity(boundary))
    throw error(
        hall, fl.loc, "floors[" + fl.id + "]",
        fmt::format("the aprons behind the exits of floor {} overlap each other or the building ({}); "
                    "exits must be at least 0.1 m apart along the boundary",
                    fl.id, *why));

  geom::WalkableInput in = walkable_input(hall, floor);
  in.boundary = boundary;
  in.openings.clear();
  for (const auto& d : hall.doors)
    if (d.floor == floor && !is_blocked(d.id))
      in.openings.push_back(geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m));
  area_ = std::make_unique<geom::WalkableArea>(in);
  const double cell = opt.cell_m > 0 ? opt.cell_m : check::raster_cell_m(hall);
  grid_ = std::make_unique<geom::FloorGrid>(*area_, cell);

  std::vector<Segment> targets;
  for (const auto& e : exits) {
    if (!e.on_boundary) {
      targets.push_back(e.door);
      continue;
    }
    const Vec2 u = unit(e.door.b - e.door.a), m = e.door.midpoint() + kExitDepth_m * e.outward;
    const double half = std::min(e.width_m, e.door.length()) / 2;
    targets.push_back({m - half * u, m + half * u});
  }
  {
    geom::VisibilityGraph graph(*area_);
    field_ = std::make_unique<geom::DistanceField>(graph, *grid_, targets);
  }

  // ------------------------------------------------------------ direction field
  const auto& G = *grid_;
  const int nx = G.nx(), ny = G.ny();
  dir_x_.assign(G.size(), 0.0f);
  dir_y_.assign(G.size(), 0.0f);
  std::vector<std::uint8_t> have(G.size(), 0);
  auto d_at = [&](int i, int j) {
    if (i < 0 || j < 0 || i >= nx || j >= ny) return geom::DistanceField::kUnreachable;
    return field_->at_cell(G.index(i, j));
  };
  std::deque<std::size_t> queue;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const double d0 = d_at(i, j);
      if (!std::isfinite(d0)) continue;
      auto slope = [&](int di, int dj) {
        const double dp = d_at(i + di, j + dj), dm = d_at(i - di, j - dj);
        if (std::isfinite(dp) && std::isfinite(dm)) return (dp - dm) / (2 * cell);
        if (std::isfinite(dp)) return (dp - d0) / cell;
        if (std::isfinite(dm)) return (d0 - dm) / cell;
        return 0.0;
      };
      Vec2 g{-slope(1, 0), -slope(0, 1)};
      if (norm(g) < 0.3) {  // a ridge between two exits, or a target: go down the steepest neighbour
        double best = d0;
        for (int dj = -1; dj <= 1; ++dj)
          for (int di = -1; di <= 1; ++di)
            if (d_at(i + di, j + dj) < best) best = d_at(i + di, j + dj), g = Vec2{double(di), double(dj)};
      }
      const std::size_t k = G.index(i, j);
      if (norm(g) < 0.3) {  // on a target line: straight on through the door
        const int t = field_->nearest_target(k);
        if (t >= 0 && exits[static_cast<std::size_t>(t)].on_boundary)
          g = exits[static_cast<std::size_t>(t)].outward;
      }
      g = unit(g);
      // Near a wall the shortest path of a point hugs it, and a body following
      // it jams on a door jamb for good (the failure JuPedSim shows): within
      // kWallBerth_m of an edge the direction bends away from the nearest edge
      // point, the more the closer, so paths keep a body's berth off corners.
      const Vec2 c = G.center(k);
      const double clear = area_->clearance(c);
      if (clear < kWallBerth_m) {
        double best2 = HUGE_VAL;
        Vec2 away{0.0, 0.0};
        for (const Segment& e : area_->edges()) {
          const Vec2 q = geom::closest_point_on_segment(c, e);
          const double d2 = dot(c - q, c - q);
          if (d2 < best2 && d2 > 1e-18) best2 = d2, away = c - q;
        }
        if (best2 < HUGE_VAL) {
          const double w = kWallBend * (kWallBerth_m - clear) / kWallBerth_m;
          const Vec2 bent = g + w * unit(away);
          // Never turn the walk around: the bend only steers off the wall.
          if (dot(bent, g) > 0.2 * norm(bent)) g = unit(bent);
        }
      }
      dir_x_[k] = static_cast<float>(g.x);
      dir_y_[k] = static_cast<float>(g.y);
      have[k] = 1;
      queue.push_back(k);
    }
  // Cells just off the reachable area (a centre inside a wall, an agent pressed
  // against it) point back into it, so that nobody stalls on a raster edge.
  std::vector<std::uint8_t> depth(G.size(), 0);
  while (!queue.empty()) {
    const std::size_t k = queue.front();
    queue.pop_front();
    if (depth[k] >= 6) continue;
    const int i = static_cast<int>(k % nx), j = static_cast<int>(k / nx);
    for (int dj = -1; dj <= 1; ++dj)
      for (int di = -1; di <= 1; ++di) {
        const int a = i + di, c = j + dj;
        if (a < 0 || c < 0 || a >= nx || c >= ny) continue;
        const std::size_t q = G.index(a, c);
        if (have[q]) continue;
        const Vec2 g = unit(Vec2{dir_x_[k], dir_y_[k]} + unit(Vec2{double(-di), double(-dj)}));
        dir_x_[q] = static_cast<float>(g.x);
        dir_y_[q] = static_cast<float>(g.y);
        have[q] = 1;
        depth[q] = static_cast<std::uint8_t>(depth[k] + 1);
        queue.push_back(q);
      }
  }

  // ------------------------------------------------------------ groups, pre-movement
  if (ev.groups.empty()) {
    // Default mix of a service hall's public (docs/evac.md), RiMEA speed ranges.
    groups = {{"under30", 0.25, speed_preset(SpeedPreset::under30), 0.2, std::nullopt},
              {"30to50", 0.40, speed_preset(SpeedPreset::from30to50), 0.2, std::nullopt},
              {"over50", 0.30, speed_preset(SpeedPreset::over50), 0.2, std::nullopt},
              {"limited_mobility", 0.05, speed_preset(SpeedPreset::limited_mobility), 0.2, std::nullopt}};
  } else {
    for (const auto& g : ev.groups)
      groups.push_back({g.id, g.share, g.speed_mps, g.radius_m, g.premovement_s});
  }
  premovement_s =
      ev.premovement_s.value_or(EvacDistribution{EvacDistribution::Kind::uniform, 30.0, 90.0, 0, 0});
  max_radius_m = 0.0;
  max_speed_mps = 0.0;
  double pre_max = dist_upper(premovement_s);
  for (const auto& g : groups) {
    max_radius_m = std::max(max_radius_m, g.radius_m);
    max_speed_mps = std::max(max_speed_mps, dist_upper(g.speed_mps));
    if (g.premovement_s) pre_max = std::max(pre_max, dist_upper(*g.premovement_s));
  }
  for (const auto& [_, d] : ev.premovement_by_zone) pre_max = std::max(pre_max, dist_upper(d));

  // ------------------------------------------------------------ wall index
  walls.edges = area_->edges();
  walls.origin = area_->min_corner() - Vec2{1.0, 1.0};
  walls.cell = 1.0;
  walls.pad = max_radius_m + 0.35;
  const Vec2 top = area_->max_corner() + Vec2{1.0, 1.0};
  walls.nx = std::max(1, static_cast<int>(std::ceil((top.x - walls.origin.x) / walls.cell)));
  walls.ny = std::max(1, static_cast<int>(std::ceil((top.y - walls.origin.y) / walls.cell)));
  {
    std::vector<std::vector<std::uint32_t>> lists(static_cast<std::size_t>(walls.nx) * walls.ny);
    const double reach = walls.pad + walls.cell * std::sqrt(0.5);
    for (std::uint32_t e = 0; e < walls.edges.size(); ++e) {
      const Segment& s = walls.edges[e];
      const int i0 = std::max(
          0, static_cast<int>((std::min(s.a.x, s.b.x) - walls.pad - walls.origin.x) / walls.cell) - 1);
      const int i1 =
          std::min(walls.nx - 1,
                   static_cast<int>((std::max(s.a.x, s.b.x) + walls.pad - walls.origin.x) / walls.cell) + 1);
      const int j0 = std::max(
          0, static_cast<int>((std::min(s.a.y, s.b.y) - walls.pad - walls.origin.y) / walls.cell) - 1);
      const int j1 =
          std::min(walls.ny - 1,
                   static_cast<int>((std::max(s.a.y, s.b.y) + walls.pad - walls.origin.y) / walls.cell) + 1);
      for (int j = j0; j <= j1; ++j)
        for (int i = i0; i <= i1; ++i) {
          const Vec2 c = walls.origin + Vec2{(i + 0.5) * walls.cell, (j + 0.5) * walls.cell};
          if (geom::point_segment_distance(c, s) <= reach)
            lists[static_cast<std::size_t>(j) * walls.nx + i].push_back(e);
        }
    }
    walls.start.assign(lists.size() + 1, 0);
    for (std::size_t k = 0; k < lists.size(); ++k)
      walls.start[k + 1] = walls.start[k] + static_cast<std::uint32_t>(lists[k].size());
    walls.items.reserve(walls.start.back());
    for (const auto& l : lists) walls.items.insert(walls.items.end(), l.begin(), l.end());
  }

  // ------------------------------------------------------------ population
  for (const auto& p : ev.persons) {
    if (p.floor != floor) continue;
    const std::string who = p.id.empty() ? fmt::format("person at line {}", p.line) : "person " + p.id;
    if (!area_->contains(p.position) || area_->clearance(p.position) < 0.5 * max_radius_m)
      throw error(hall, {p.line, 0}, "evacuation.persons",
                  fmt::format("{} at ({:.2f}, {:.2f}) is inside a wall or obstacle", who, p.position.x,
                              p.position.y));
    if (!reachable(p.position))
      throw error(hall, {p.line, 0}, "evacuation.persons",
                  fmt::format("no reachable exit: from {} at ({:.2f}, {:.2f}) no open exit can be reached",
                              who, p.position.x, p.position.y));
    persons.push_back(p);
  }
  std::vector<const Zone*> floor_zones;
  for (const auto& z : hall.zones)
    if (z.floor == floor) floor_zones.push_back(&z);
  auto whole_floor = [&](int n) {
    SpawnZone s;
    s.polygon = fl.boundary;
    s.count = n;
    zones.push_back(s);
  };
  auto spread_by_area = [&](int n) {
    std::vector<const Zone*> pick;
    for (const Zone* z : floor_zones)
      if (z->type == ZoneType::waiting || z->type == ZoneType::window_area) pick.push_back(z);
    if (pick.empty()) pick = floor_zones;
    if (pick.empty()) return whole_floor(n);
    std::vector<double> w;
    for (const Zone* z : pick) w.push_back(geom::area(z->polygon));
    const auto counts = apportion(n, w);
    for (std::size_t i = 0; i < pick.size(); ++i)
      if (counts[i] > 0) zones.push_back({pick[i]->id, pick[i]->polygon, counts[i], std::nullopt});
  };
  if (!ev.population_by_zone.empty()) {
    std::vector<const Zone*> pick;
    std::vector<double> w;
    int total = 0;
    for (const auto& [id, n] : ev.population_by_zone)
      for (const Zone* z : floor_zones)
        if (z->id == id) pick.push_back(z), w.push_back(n), total += n;
    const auto counts = apportion(opt.population.value_or(total), w);
    for (std::size_t i = 0; i < pick.size(); ++i)
      if (counts[i] > 0) zones.push_back({pick[i]->id, pick[i]->polygon, counts[i], std::nullopt});
    population_basis = opt.population ? "--population, in the proportions of evacuation.population"
                                      : "evacuation.population by zone";
  } else if (opt.population || ev.population_total) {
    spread_by_area(opt.population ? *opt.population : *ev.population_total);
    population_basis = opt.population
                           ? "--population, spread over the waiting and window zones by area"
                           : "evacuation.population.total, spread over the waiting and window zones by area";
  } else if (!persons.empty()) {
    population_basis = "evacuation.persons";
  } else {
    const auto load = check::occupant_load(hall, book);
    const int n = static_cast<int>(std::lround(load.by_floor[floor.value]));
    std::vector<double> w;
    for (const Zone* z : floor_zones) {
      double d = 0.0;
      if (auto it = hall.occupant_load.density_ppm2.find(z->type);
          it != hall.occupant_load.density_ppm2.end())
        d = it->second;
      else if (auto jt = book.density_ppm2.find(z->type); jt != book.density_ppm2.end())
        d = jt->second;
      w.push_back(d * geom::area(z->polygon));
    }
    if (std::accumulate(w.begin(), w.end(), 0.0) <= 0) {
      whole_floor(n);
    } else {
      const auto counts = apportion(n, w);
      for (std::size_t i = 0; i < floor_zones.size(); ++i)
        if (counts[i] > 0)
          zones.push_back({floor_zones[i]->id, floor_zones[i]->polygon, counts[i], std::nullopt});
    }
    population_basis = "the checker's occupant load of the floor (" + load.basis + ")";
  }
  for (auto& z : zones)
    if (auto it = ev.premovement_by_zone.find(z.id); it != ev.premovement_by_zone.end())
      z.premovement_s = it->second;
  // Capacity: the zone's walkable, exit-reachable area.
  const double cap_ppm2 = kMaxPlacementDensity_ppm2 * std::pow(0.2 / std::max(0.2, max_radius_m), 2);
  for (const auto& z : zones) {
    std::size_t cells = 0;
    Vec2 lo = z.polygon[0], hi = z.polygon[0];
    for (Vec2 v : z.polygon)
      lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)}, hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const Vec2 c = G.center(i, j);
        if (c.x < lo.x || c.x > hi.x || c.y < lo.y || c.y > hi.y) continue;
        const std::size_t k = G.index(i, j);
        if (std::isfinite(field_->at_cell(k)) && geom::contains(z.polygon, c)) ++cells;
      }
    const double a = static_cast<double>(cells) * cell * cell;
    const std::string what = z.id.empty() ? "floor " + fl.id : "zone " + z.id;
    if (cells == 0)
      throw error(hall, fl.loc, "evacuation.population",
                  fmt::format("no reachable exit: no open exit can be reached from {}", what));
    const int fits = static_cast<int>(std::floor(a * cap_ppm2));
    if (z.count > fits)
      throw error(
          hall, fl.loc, "evacuation.population",
          fmt::format("population larger than the floor can hold: {} would hold {} persons, but its "
                      "{:.1f} m² of walkable, exit-reachable area holds at most {} ({:.1f} persons/m²)",
                      what, z.count, a, fits, cap_ppm2));
    population += z.count;
  }
  population += static_cast<int>(persons.size());

  // ------------------------------------------------------------ density cells, time cap
  Vec2 lo = fl.boundary[0], hi = fl.boundary[0];
  for (Vec2 v : fl.boundary)
    lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)}, hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
  density_origin = lo;
  density_nx = std::max(1, static_cast<int>(std::ceil((hi.x - lo.x) / kDensityCell_m - 1e-9)));
  density_ny = std::max(1, static_cast<int>(std::ceil((hi.y - lo.y) / kDensityCell_m - 1e-9)));
  // The hand calculation (hydraulic model): pre-movement + longest walk at the
  // slowest group's mean speed + N / (Fs x W), Fs = 1.3 persons/(m s) (IMO MSC.1/Circ.1238).
  double far = 0.0, width = 0.0, speed = 10.0;
  for (double v : field_->values())
    if (std::isfinite(v)) far = std::max(far, v);
  for (const auto& e : exits) width += e.width_m;
  for (const auto& g : groups) {
    const auto& d = g.speed_mps;
    speed = std::min(speed, d.kind == EvacDistribution::Kind::uniform ? 0.5 * (d.min + d.max) : d.mean);
  }
  for (const auto& p : persons)
    if (p.speed_mps) speed = std::min(speed, *p.speed_mps);
  hydraulic_estimate_s = pre_max + far / std::max(speed, 0.1) + population / (1.3 * width);
  if (opt.time_cap_s) {
    time_cap_s = *opt.time_cap_s, time_cap_default = false;
  } else if (ev.time_cap_s) {
    time_cap_s = *ev.time_cap_s, time_cap_default = false;
  } else {
    time_cap_s = std::min(86000.0, std::max(600.0, std::ceil(3.0 * hydraulic_estimate_s)));
  }
}

}  // namespace halltwin::evac
