#include "sim/evac/evac_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <numeric>
#include <queue>
#include <thread>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/hall_geometry.hpp"
#include "model/input_error.hpp"
#include "sim/check/check_context.hpp"
#include "sim/check/checker.hpp"
#include "sim/evac/models/motion_model.hpp"
#include "sim/parallel_runs.hpp"

namespace halltwin::evac {

namespace {
// The berth a walker keeps off walls and corners (a body's radius and a hand),
// metres, and how strongly the direction bends away inside it.
constexpr double kWallBerth_m = 0.45;
constexpr double kWallBend = 1.2;
// A body that never moves, as an obstacle to a crowd surge's way: a polygon of this many sides.
constexpr int kBodyDiscSides = 12;
// The way round such bodies must start this near the surge's door (plus a body's radius), metres.
constexpr double kDoorReach_m = 0.8;
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

// The slowest value a distribution gives (a desired speed: its lower end).
double dist_lower(const EvacDistribution& d) {
  switch (d.kind) {
    case EvacDistribution::Kind::uniform:
      return d.min;
    case EvacDistribution::Kind::deterministic:
      return d.mean;
    default:
      return d.min > 0 ? d.min : std::max(0.0, d.mean - 3 * d.sd);
  }
}

// The apron cut into the wall mass behind an exit in an inner wall: clear width x
// kApronDepth_m on the far side of the door line.
Polygon inner_apron(const EvacExit& e) {
  const Vec2 u = unit(e.door.b - e.door.a), m = e.door.midpoint();
  const double half = std::min(e.width_m, e.door.length()) / 2;
  const Vec2 a = m - half * u, b = m + half * u, far = kApronDepth_m * e.outward;
  return {a, b, b + far, a + far};
}

// Which side an exit in an inner wall leads to (docs/evac.md "Door model"). With
// the door closed, look for walkable floor on each side within the thickest wall
// a door may cut (2 x kDoorOpeningHalfDepth_m): behind a wall mass on one side
// (a stair drawn as a solid block) the exit leads there, onto an apron cut into
// it; with floor on both sides it leads into the smaller of the two spaces the
// closed door separates (the protected stair, the lobby, the next compartment).
// When neither can be told the exit is counted at its line, with a note.
void inner_exit_side(const Hall& hall, FloorId floor, const Door& d, EvacExit& e, std::vector<std::string>& notes) {
  geom::WalkableInput in = walkable_input(hall, floor);
  in.openings.clear();
  for (const auto& o : hall.doors)
    if (o.floor == floor && o.id != d.id)
      in.openings.push_back(geom::segment_rectangle(o.opening, kDoorOpeningHalfDepth_m));
  const geom::WalkableArea closed(in);
  const Vec2 m = d.opening.midpoint();
  std::optional<Vec2> probe[2];  // [0]: the side of e.outward, [1]: the other
  for (int side = 0; side < 2; ++side) {
    const Vec2 dir = side == 0 ? e.outward : -1.0 * e.outward;
    for (double s = 0.05; s <= 2 * kDoorOpeningHalfDepth_m + 0.3 && !probe[side]; s += 0.05)
      if (closed.contains(m + s * dir) && closed.clearance(m + s * dir) > 0.02) probe[side] = m + s * dir;
  }
  auto at_line = [&](const std::string& why) {
    e.counted_beyond = false;
    notes.push_back(fmt::format("exit {} is in an inner wall and {}: it is counted at its door line", d.id, why));
  };
  if (!probe[0] && !probe[1]) return at_line("has no walkable floor on either side");
  if (!probe[0] || !probe[1]) {
    if (probe[0]) e.outward = -1.0 * e.outward;  // it leads into the wall mass
    e.inner_apron = true;
    return;
  }
  // Floor on both sides: the area each side reaches with the door closed (a flood
  // fill on a coarse raster is enough to tell a stair from a hall).
  const geom::FloorGrid g(closed, 0.25);
  auto region = [&](Vec2 p) {
    std::vector<char> seen(g.size(), 0);
    std::vector<std::size_t> stack{g.cell_of(p)};
    if (!g.walkable(stack[0])) return std::pair<std::size_t, std::vector<char>>{0, std::move(seen)};
    seen[stack[0]] = 1;
    std::size_t count = 0;
    while (!stack.empty()) {
      const std::size_t k = stack.back();
      stack.pop_back();
      ++count;
      const int i = static_cast<int>(k % g.nx()), j = static_cast<int>(k / g.nx());
      const int nb[4][2] = {{i + 1, j}, {i - 1, j}, {i, j + 1}, {i, j - 1}};
      for (const auto& q : nb) {
        if (q[0] < 0 || q[1] < 0 || q[0] >= g.nx() || q[1] >= g.ny()) continue;
        const std::size_t c = g.index(q[0], q[1]);
        if (!seen[c] && g.walkable(c)) seen[c] = 1, stack.push_back(c);
      }
    }
    return std::pair<std::size_t, std::vector<char>>{count, std::move(seen)};
  };
  const auto [n0, seen0] = region(*probe[0]);
  const std::size_t c1 = g.cell_of(*probe[1]);
  if (n0 > 0 && seen0[c1]) return at_line("joins two parts of one space");
  const auto n1 = region(*probe[1]).first;
  if (n1 == n0) return at_line("separates two spaces of the same size");
  if (n1 < n0) e.outward = -1.0 * e.outward;
}

// Passages narrower than `min_gap_m` of the walkable area: a thin bar across
// each, so that nobody is led into a gap a body cannot pass. The exact field is
// a point's: it would send a body through a 0.4 m slot between a column and a
// wall and strand it there (the generated-hall property test found it;
// docs/evac.md "Narrow gaps"). Two kinds, one test per pair of edges:
// - between two separate outlines (an obstacle and a wall, two obstacles);
// - a neck within one outline (a wall stub that stops short of another wall of
//   the same ring, a slot): two edges of the ring, not adjacent, nearer than
//   `min_gap_m`, whose connecting segment crosses walkable floor whose nearest
//   walls are those two edges (its midpoint is about half the gap from every
//   edge). That excludes the two faces of a wall (solid between them), a short
//   edge between its neighbours (the segment runs along the edge) and the
//   chords of a rounded corner (walls nearer than half the chord).
// Door openings are part of the ring once cut; one narrower than the bar's gap
// could not be passed by a body anyway.
std::vector<Polygon> narrow_gap_closers(const geom::WalkableArea& area, double min_gap_m) {
  const auto& rings = area.rings();
  std::vector<std::pair<Vec2, Vec2>> box;
  for (const auto& r : rings) {
    Vec2 lo = r[0], hi = r[0];
    for (Vec2 v : r) lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)}, hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
    box.push_back({lo, hi});
  }
  auto apart = [&](Vec2 alo, Vec2 ahi, Vec2 blo, Vec2 bhi) {
    return alo.x > bhi.x + min_gap_m || blo.x > ahi.x + min_gap_m || alo.y > bhi.y + min_gap_m ||
           blo.y > ahi.y + min_gap_m;
  };
  std::vector<Polygon> out;
  // A neck is seen from several pairs of edges (a stub's tip and both its faces
  // against the same wall): one bar per neck, however many pairs find it.
  std::vector<Vec2> necks;
  // Rings i and j (i == j: a neck of one ring).
  auto close_gaps = [&](std::size_t i, std::size_t j) {
    const auto& ri = rings[i];
    const auto& rj = rings[j];
    const bool same = i == j;
    for (std::size_t a = 0; a < ri.size(); ++a) {
      const Segment sa{ri[a], ri[(a + 1) % ri.size()]};
      const Vec2 alo{std::min(sa.a.x, sa.b.x), std::min(sa.a.y, sa.b.y)};
      const Vec2 ahi{std::max(sa.a.x, sa.b.x), std::max(sa.a.y, sa.b.y)};
      if (apart(alo, ahi, box[j].first, box[j].second)) continue;
      for (std::size_t b = same ? a + 2 : 0; b < rj.size(); ++b) {
        if (same && (b + 1) % rj.size() == a) continue;  // adjacent: they share a corner
        const Segment sb{rj[b], rj[(b + 1) % rj.size()]};
        const Vec2 blo{std::min(sb.a.x, sb.b.x), std::min(sb.a.y, sb.b.y)};
        const Vec2 bhi{std::max(sb.a.x, sb.b.x), std::max(sb.a.y, sb.b.y)};
        if (apart(alo, ahi, blo, bhi)) continue;
        // Edges of the area never cross: the nearest points involve an end point.
        const std::pair<Vec2, Vec2> cand[4] = {{sa.a, geom::closest_point_on_segment(sa.a, sb)},
                                               {sa.b, geom::closest_point_on_segment(sa.b, sb)},
                                               {geom::closest_point_on_segment(sb.a, sa), sb.a},
                                               {geom::closest_point_on_segment(sb.b, sa), sb.b}};
        std::pair<Vec2, Vec2> best = cand[0];
        for (const auto& c : cand)
          if (distance(c.first, c.second) < distance(best.first, best.second)) best = c;
        const double d = distance(best.first, best.second);
        if (d >= min_gap_m || d <= 1e-9) continue;
        if (same) {
          const Vec2 mid = 0.5 * (best.first + best.second);
          if (!area.contains(mid) || area.clearance(mid) < 0.45 * d) continue;
          if (std::any_of(necks.begin(), necks.end(), [&](Vec2 q) { return distance(q, mid) < 0.5 * min_gap_m; }))
            continue;
          necks.push_back(mid);
        }
        const Vec2 u = unit(best.second - best.first);
        out.push_back(geom::segment_rectangle({best.first - 0.02 * u, best.second + 0.02 * u}, 0.03));
      }
    }
  };
  for (std::size_t i = 0; i < rings.size(); ++i)
    for (std::size_t j = i; j < rings.size(); ++j)
      if (i == j || !apart(box[i].first, box[i].second, box[j].first, box[j].second)) close_gaps(i, j);
  return out;
}

}  // namespace

std::size_t WallIndex::bucket(Vec2 p) const {
  const int i = std::clamp(static_cast<int>(std::floor((p.x - origin.x) / cell)), 0, nx - 1);
  const int j = std::clamp(static_cast<int>(std::floor((p.y - origin.y) / cell)), 0, ny - 1);
  return static_cast<std::size_t>(j) * nx + i;
}

EvacModel::~EvacModel() = default;

bool EvacModel::reachable(Vec2 p) const {
  const NavLayout& l = layouts[epochs[0].layout];
  if (!l.area->contains(p)) return false;
  const std::size_t k = l.grid->cell_of(p);
  for (const auto& f : l.to_exit)
    if (std::isfinite(f->at_cell(k))) return true;
  return false;
}

bool HazardZone::contains(Vec2 p) const {
  return p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y && geom::contains(polygon, p);
}

std::size_t EvacModel::epoch_at(double t) const {
  std::size_t e = 0;
  while (e + 1 < epochs.size() && epochs[e + 1].from_s <= t + 1e-9) ++e;
  return e;
}

bool EvacModel::in_hazard(const NavEpoch& e, Vec2 p) const {
  for (std::size_t h : e.hazards)
    if (hazards[h].contains(p)) return true;
  return false;
}

Vec2 EvacModel::exit_direction(const NavLayout& l, std::size_t k, Vec2 p) const {
  if (k < l.dir_x.size()) {
    const std::size_t c = l.grid->cell_of(p);
    const float dx = l.dir_x[k][c];
    if (!std::isnan(dx)) return {dx, l.dir_y[k][c]};
  }
  const EvacExit& x = exits[k];
  return descend(l, l.to_exit[k]->values(), p, x.counted_beyond ? &x.outward : nullptr);
}

double EvacModel::target_distance(const NavLayout& l, Vec2 p) const {
  const std::size_t c = l.grid->cell_of(p);
  return l.target_depth[c] >= surge_core_depth_m ? 0.0 : l.target_dist[c];
}

Vec2 EvacModel::target_direction(const NavLayout& l, Vec2 p) const {
  const std::size_t c = l.grid->cell_of(p);
  if (l.target_depth[c] >= surge_core_depth_m) return {0.0, 0.0};
  const float dx = l.target_dir_x[c];
  if (!std::isnan(dx)) return {dx, l.target_dir_y[c]};
  return descend(l, l.target_dist, p, nullptr);
}

Vec2 EvacModel::escape_direction(const NavEpoch& e, Vec2 p) const {
  if (!e.escape) return {0.0, 0.0};
  return descend(layouts[e.free_layout], e.escape->values(), p, nullptr);
}

// Steepest descent of a distance field at p's cell (central differences; on a
// ridge or a target the steepest neighbour, on a target line straight on
// through the door), bent off the walls by the layout's bend field. Off the
// reachable area (a centre pressed into a wall) it points to the nearest
// reachable cell, so that nobody stalls on a raster edge.
Vec2 EvacModel::descend(const NavLayout& l, const std::vector<double>& f, Vec2 p, const Vec2* through) const {
  const auto& G = *l.grid;
  const int nx = G.nx(), ny = G.ny();
  const double cell = G.cell_m();
  const std::size_t k = G.cell_of(p);
  const int i = static_cast<int>(k % nx), j = static_cast<int>(k / nx);
  auto d_at = [&](int a, int c) {
    if (a < 0 || c < 0 || a >= nx || c >= ny) return geom::DistanceField::kUnreachable;
    return f[G.index(a, c)];
  };
  const double d0 = f[k];
  if (!std::isfinite(d0)) {
    for (int r = 1; r <= 6; ++r) {
      double best = geom::DistanceField::kUnreachable;
      Vec2 to{0, 0};
      for (int dj = -r; dj <= r; ++dj)
        for (int di = -r; di <= r; ++di) {
          if (std::max(std::abs(di), std::abs(dj)) != r) continue;
          const double d = d_at(i + di, j + dj);
          if (d < best) best = d, to = G.center(i + di, j + dj);
        }
      if (std::isfinite(best)) return unit(to - p);
    }
    return {0.0, 0.0};
  }
  auto slope = [&](int di, int dj) {
    const double dp = d_at(i + di, j + dj), dm = d_at(i - di, j - dj);
    if (std::isfinite(dp) && std::isfinite(dm)) return (dp - dm) / (2 * cell);
    if (std::isfinite(dp)) return (dp - d0) / cell;
    if (std::isfinite(dm)) return (d0 - dm) / cell;
    return 0.0;
  };
  Vec2 g{-slope(1, 0), -slope(0, 1)};
  if (norm(g) < 0.3) {  // a ridge or a target: go down the steepest neighbour
    double best = d0;
    for (int dj = -1; dj <= 1; ++dj)
      for (int di = -1; di <= 1; ++di)
        if (d_at(i + di, j + dj) < best) best = d_at(i + di, j + dj), g = Vec2{double(di), double(dj)};
  }
  if (norm(g) < 0.3 && through) g = *through;  // on a target line: straight on through the door
  g = unit(g);
  const Vec2 bend{l.bend_x[k], l.bend_y[k]};
  if (bend.x != 0.0 || bend.y != 0.0) {
    const Vec2 bent = g + bend;
    // Never turn the walk around: the bend only steers off the wall.
    if (dot(bent, g) > 0.2 * norm(bent)) g = unit(bent);
  }
  return g;
}

void build_wall_index(const geom::WalkableArea& area, double max_radius_m, WallIndex& walls) {
  walls.edges = area.edges();
  walls.origin = area.min_corner() - Vec2{1.0, 1.0};
  walls.cell = 1.0;
  walls.pad = max_radius_m + 0.35;
  const Vec2 top = area.max_corner() + Vec2{1.0, 1.0};
  walls.nx = std::max(1, static_cast<int>(std::ceil((top.x - walls.origin.x) / walls.cell)));
  walls.ny = std::max(1, static_cast<int>(std::ceil((top.y - walls.origin.y) / walls.cell)));
  std::vector<std::vector<std::uint32_t>> lists(static_cast<std::size_t>(walls.nx) * walls.ny);
  const double reach = walls.pad + walls.cell * std::sqrt(0.5);
  for (std::uint32_t e = 0; e < walls.edges.size(); ++e) {
    const Segment& s = walls.edges[e];
    const int i0 =
        std::max(0, static_cast<int>((std::min(s.a.x, s.b.x) - walls.pad - walls.origin.x) / walls.cell) - 1);
    const int i1 =
        std::min(walls.nx - 1,
                 static_cast<int>((std::max(s.a.x, s.b.x) + walls.pad - walls.origin.x) / walls.cell) + 1);
    const int j0 =
        std::max(0, static_cast<int>((std::min(s.a.y, s.b.y) - walls.pad - walls.origin.y) / walls.cell) - 1);
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
  walls.items.clear();
  walls.items.reserve(walls.start.back());
  for (const auto& l : lists) walls.items.insert(walls.items.end(), l.begin(), l.end());
}

EvacModel::EvacModel(const Hall& h, const Rulebook& book, const EvacOptions& opt) : hall(h), dt_s(opt.dt_s) {
  const Evacuation& ev = hall.evacuation;
  motion_model = opt.motion_model.value_or(ev.model.value_or(EvacMotionModel::cfsm));
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
  if (hall.floors.size() > 1 && !opt.one_of_several)
    notes.push_back(fmt::format(
        "multi-floor hall: evacuating floor {} ({}) only; without --floor all the floors evacuate together",
        fl.id, fl.name));

  // ------------------------------------------------------------ blocked doors
  auto find_door = [&](const std::string& id) -> const Door* {
    for (const auto& d : hall.doors)
      if (d.id == id) return &d;
    return nullptr;
  };
  // Scenario first, then --block; a door keeps its earliest time.
  std::vector<EvacBlocked> all_blocked = ev.blocked;
  for (const auto& b : opt.blocked) {
    if (!find_door(b.door)) {
      std::string exit_ids;
      for (const auto& d : hall.doors)
        if (d.floor == floor && d.is_safety_exit()) exit_ids += (exit_ids.empty() ? "" : ", ") + d.id;
      throw InputError(InputProblem{"", 0, 0, "--block",
                                    fmt::format("'{}' is not a door of {}; the exits of floor {} are: {}",
                                                b.door, hall.name, fl.id, exit_ids)});
    }
    all_blocked.push_back(b);
  }
  std::map<std::string, double> block_at;  // door -> earliest time
  std::vector<std::string> block_order;
  for (const auto& b : all_blocked) {
    auto it = block_at.find(b.door);
    if (it == block_at.end()) {
      block_at[b.door] = b.at_s;
      block_order.push_back(b.door);
    } else {
      it->second = std::min(it->second, b.at_s);
    }
  }
  for (const auto& id : block_order) {
    const double at = block_at[id];
    if (at <= 0.0)
      blocked.push_back(id);
    else
      blocked_later.push_back({id, at});
    if (find_door(id)->floor != floor && !opt.one_of_several)
      notes.push_back(fmt::format("door {} is not on floor {}: blocking it changes nothing here", id, fl.id));
  }
  std::stable_sort(blocked_later.begin(), blocked_later.end(),
                   [](const auto& x, const auto& y) { return x.second < y.second; });
  auto is_blocked = [&](const std::string& id) {
    return std::find(blocked.begin(), blocked.end(), id) != blocked.end();
  };

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
    if (!e.on_boundary) inner_exit_side(hall, floor, d, e, notes);
    if (auto it = block_at.find(d.id); it != block_at.end()) e.closes_at_s = it->second;
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

  // ------------------------------------------------------------ groups, pre-movement
  if (ev.groups.empty()) {
    // Default mix of a service hall's public (docs/evac.md), RiMEA speed ranges.
    groups = {{"under30", 0.25, speed_preset(SpeedPreset::under30), 0.2, std::nullopt},
              {"30to50", 0.40, speed_preset(SpeedPreset::from30to50), 0.2, std::nullopt},
              {"over50", 0.30, speed_preset(SpeedPreset::over50), 0.2, std::nullopt},
              {"limited_mobility", 0.05, speed_preset(SpeedPreset::limited_mobility), 0.2, std::nullopt}};
  } else {
    for (const auto& g : ev.groups) {
      EvacGroupSpec spec{g.id, g.share, g.speed_mps, g.radius_m, g.premovement_s};
      if (!g.exit.empty()) {
        for (std::size_t k = 0; k < exits.size(); ++k)
          if (exits[k].id == g.exit) spec.exit = static_cast<int>(k);
        if (spec.exit < 0)
          notes.push_back(fmt::format("group {}: its exit {} is {}; its members choose an exit", g.id, g.exit,
                                      is_blocked(g.exit) ? "blocked" : "not on floor " + fl.id));
      }
      groups.push_back(spec);
    }
  }
  if (opt.speed_factor != 1.0)  // a drill under emergency lighting (docs/drill.md)
    for (auto& g : groups) {
      auto& d = g.speed_mps;
      d.min *= opt.speed_factor, d.max *= opt.speed_factor, d.mean *= opt.speed_factor, d.sd *= opt.speed_factor;
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

  // ------------------------------------------------------------ hazards, aset
  aset_s = ev.aset_s;
  for (const auto& h : ev.hazards) {
    const Zone* z = nullptr;
    for (const auto& zz : hall.zones)
      if (zz.id == h.zone) z = &zz;
    if (!z)
      throw error(hall, {h.line, 0}, "evacuation.hazards", fmt::format("'{}' is not a zone id", h.zone));
    if (z->floor != floor) {
      if (!opt.one_of_several)
        notes.push_back(
            fmt::format("hazard zone {} is not on floor {}: it changes nothing here", h.zone, fl.id));
      continue;
    }
    HazardZone hz;
    hz.zone = h.zone;
    hz.polygon = z->polygon;
    hz.from_s = h.from_s;
    hz.lo = hz.hi = z->polygon[0];
    for (Vec2 v : z->polygon)
      hz.lo = {std::min(hz.lo.x, v.x), std::min(hz.lo.y, v.y)},
      hz.hi = {std::max(hz.hi.x, v.x), std::max(hz.hi.y, v.y)};
    hazards.push_back(hz);
  }

  // ------------------------------------------------------------ a crowd surge: its door
  if (opt.surge) {
    surge = opt.surge;
    const Door* d = find_door(surge->door);
    if (!d || d->floor != floor)
      throw error(hall, fl.loc, "surge.door",
                  fmt::format("'{}' is not a door of floor {}", surge->door, fl.id));
    const Vec2 u = unit(d->opening.b - d->opening.a), n{u.y, -u.x}, m = d->opening.midpoint();
    if (geom::contains(fl.boundary, m + 0.1 * n) == geom::contains(fl.boundary, m - 0.1 * n))
      throw error(hall, d->loc, "doors[" + d->id + "]",
                  fmt::format("door {} is not in the outer wall of floor {}: a group comes in from outside", d->id,
                              fl.id));
    surge_inward = geom::contains(fl.boundary, m + 0.1 * n) ? n : -1.0 * n;
  }

  // ------------------------------------------------------------ a crowd surge: who never moves
  // The persons placed on this floor who cannot start moving before the time
  // cap stand where they are for the whole run: to the walkers' way to the
  // target they are obstacles like a pillar, a disc of the body's radius plus
  // a walker's (the largest of the groups') about each (docs/drill.md "Crowd
  // surge"). Without a surge nothing changes.
  if (opt.surge) {
    const double cap = opt.time_cap_s ? *opt.time_cap_s : ev.time_cap_s ? *ev.time_cap_s : 86000.0;
    for (const auto& p : ev.persons) {
      if (p.floor != floor || !p.premovement_s || !(*p.premovement_s >= cap)) continue;
      double body = max_radius_m;
      for (const auto& g : groups)
        if (!p.group.empty() && g.id == p.group) body = g.radius_m;
      const double r = body + max_radius_m;
      Polygon disc;
      for (int k = 0; k < kBodyDiscSides; ++k) {
        // The polygon's edges touch the circle's outside (r / cos(pi / n) to its corners).
        const double pi = std::acos(-1.0);
        const double a = 2.0 * pi * (k + 0.5) / kBodyDiscSides;
        const double rc = r / std::cos(pi / kBodyDiscSides);
        disc.push_back(p.position + Vec2{rc * std::cos(a), rc * std::sin(a)});
      }
      still_bodies.push_back(std::move(disc));
    }
  }

  // ------------------------------------------------------------ navigation: layouts and epochs
  // The narrowest gap the motion model's bodies pass (docs/evac.md "Narrow gaps"):
  // for the social force model it depends on the slowest desired speed anyone
  // may draw, a lone walker being the one that cannot be pushed through.
  double slowest_v0 = HUGE_VAL;
  for (const auto& g : groups) slowest_v0 = std::min(slowest_v0, dist_lower(g.speed_mps));
  for (const auto& p : persons)
    if (p.speed_mps) slowest_v0 = std::min(slowest_v0, *p.speed_mps);
  const double passable_gap_m = evac::motion_model(motion_model).passable_gap_m(max_radius_m, slowest_v0);
  const auto t_prep = std::chrono::steady_clock::now();
  const double cell = opt.cell_m > 0 ? opt.cell_m : check::raster_cell_m(hall);
  std::vector<Segment> targets;
  for (const auto& e : exits) {
    if (!e.counted_beyond) {
      targets.push_back(e.door);
      continue;
    }
    const Vec2 u = unit(e.door.b - e.door.a), m = e.door.midpoint() + kExitDepth_m * e.outward;
    const double half = std::min(e.width_m, e.door.length()) / 2;
    targets.push_back({m - half * u, m + half * u});
  }
  // Internal (non-exit) doors of this floor closed after the alarm change the geometry.
  std::vector<std::pair<std::string, double>> door_closures;
  for (const auto& [id, at] : blocked_later) {
    const Door* d = find_door(id);
    if (d->floor == floor && !d->is_safety_exit()) door_closures.push_back({id, at});
  }
  std::vector<double> times{0.0};
  for (const auto& h : hazards) times.push_back(h.from_s);
  for (const auto& [_, at] : door_closures) times.push_back(at);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());

  auto layout_for = [&](const std::vector<std::string>& closed, const std::vector<std::size_t>& active) {
    for (std::size_t i = 0; i < layouts.size(); ++i)
      if (layouts[i].closed_doors == closed && layouts[i].hazards == active) return i;
    NavLayout l;
    l.closed_doors = closed;
    l.hazards = active;
    geom::WalkableInput in = walkable_input(hall, floor);
    in.boundary = boundary;
    in.openings.clear();
    for (const auto& d : hall.doors)
      if (d.floor == floor && !is_blocked(d.id) &&
          std::find(closed.begin(), closed.end(), d.id) == closed.end())
        in.openings.push_back(geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m));
    for (const auto& e : exits)
      if (e.inner_apron) in.openings.push_back(inner_apron(e));
    for (std::size_t h : active) in.solid.push_back(hazards[h].polygon);
    l.area = std::make_unique<geom::WalkableArea>(in);
    // Refuse a floor too rich in corners as drawn (as the checker does), before the
    // bars below merge close obstacles into fewer outlines.
    refuse_too_many_corners(hall, floor, *l.area);
    if (auto bars = narrow_gap_closers(*l.area, passable_gap_m); !bars.empty()) {
      in.solid.insert(in.solid.end(), bars.begin(), bars.end());
      l.area = std::make_unique<geom::WalkableArea>(in);
      if (layouts.empty())  // the geometry at the alarm: say so once
        notes.push_back(fmt::format(
            "{} gap(s) narrower than {:.2f} m (between obstacles and walls, or necks of one outline) are "
            "closed to walkers "
            "(docs/evac.md \"Narrow gaps\")",
            bars.size(), passable_gap_m));
    }
    l.grid = std::make_unique<geom::FloorGrid>(*l.area, cell);
    {
      // One exact field per exit, computed in parallel (each reads the shared
      // graph and writes only its own field: the same values on any thread count).
      refuse_too_many_corners(hall, floor, *l.area);
      geom::VisibilityGraph graph(*l.area);
      l.to_exit.resize(targets.size());
      const int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      run_indexed(static_cast<int>(targets.size()), workers, [&](int k) {
        const auto i = static_cast<std::size_t>(k);
        l.to_exit[i] =
            std::make_unique<geom::DistanceField>(graph, *l.grid, std::vector<Segment>{targets[i]});
      });
      field_bytes += targets.size() * l.grid->size() * (sizeof(double) + sizeof(int));
    }
    // Near a wall the shortest path of a point hugs it, and a body following
    // it jams on a door jamb for good (the failure JuPedSim shows): within
    // kWallBerth_m of an edge the direction bends away from the nearest edge
    // point, the more the closer, so paths keep a body's berth off corners.
    const auto& G = *l.grid;
    l.bend_x.assign(G.size(), 0.0f);
    l.bend_y.assign(G.size(), 0.0f);
    for (std::size_t k = 0; k < G.size(); ++k) {
      if (!G.walkable(k)) continue;
      const Vec2 c = G.center(static_cast<int>(k % G.nx()), static_cast<int>(k / G.nx()));
      const double clear = l.area->clearance(c);
      if (clear >= kWallBerth_m) continue;
      double best2 = HUGE_VAL;
      Vec2 away{0.0, 0.0};
      for (const Segment& e : l.area->edges()) {
        const Vec2 q = geom::closest_point_on_segment(c, e);
        const double d2 = dot(c - q, c - q);
        if (d2 < best2 && d2 > 1e-18) best2 = d2, away = c - q;
      }
      if (best2 < HUGE_VAL) {
        const Vec2 w = kWallBend * (kWallBerth_m - clear) / kWallBerth_m * unit(away);
        l.bend_x[k] = static_cast<float>(w.x), l.bend_y[k] = static_cast<float>(w.y);
      }
    }
    build_wall_index(*l.area, max_radius_m, l.walls);
    // The walking directions of every reachable cell, once (the route phase then reads one value).
    {
      const std::size_t n_exits = targets.size();
      std::vector<std::vector<float>> dx(n_exits), dy(n_exits);
      const int workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
      run_indexed(static_cast<int>(n_exits), workers, [&](int kk) {
        const auto k = static_cast<std::size_t>(kk);
        dx[k].assign(G.size(), std::numeric_limits<float>::quiet_NaN());
        dy[k].assign(G.size(), std::numeric_limits<float>::quiet_NaN());
        const EvacExit& x = exits[k];
        for (std::size_t c = 0; c < G.size(); ++c) {
          if (!std::isfinite(l.to_exit[k]->at_cell(c))) continue;
          const Vec2 d = descend(l, l.to_exit[k]->values(),
                                 G.center(static_cast<int>(c % G.nx()), static_cast<int>(c / G.nx())),
                                 x.counted_beyond ? &x.outward : nullptr);
          dx[k][c] = static_cast<float>(d.x), dy[k][c] = static_cast<float>(d.y);
        }
      });
      l.dir_x = std::move(dx), l.dir_y = std::move(dy);
      field_bytes += n_exits * G.size() * 2 * sizeof(float);
    }
    // A crowd surge's target: its cells' depths, its core, and the field from
    // the core's rim (its cells next to one outside it: the same distances
    // outside as from all of it, with far fewer sources).
    if (surge) {
      l.target_depth.assign(G.size(), -1.0f);
      std::size_t n_in = 0;
      double deepest = 0.0;
      for (std::size_t k = 0; k < G.size(); ++k) {
        if (!G.walkable(k)) continue;
        const Vec2 c = G.center(k);
        if (!l.area->contains(c)) continue;
        for (const auto& poly : surge->target)
          if (geom::contains(poly, c)) {
            const double depth = geom::distance_to_boundary(poly, c);
            l.target_depth[k] = std::max(l.target_depth[k], static_cast<float>(depth));
            deepest = std::max(deepest, depth);
          }
        n_in += l.target_depth[k] >= surge->target_inset_m;
      }
      if (layouts.empty())  // the core is fixed at the alarm's geometry
        surge_core_depth_m = surge->spread ? std::max(surge->target_inset_m, kTargetCoreDepthShare * deepest)
                                           : surge->target_inset_m;
      if (n_in == 0)
        throw error(hall, fl.loc, "surge.target",
                    fmt::format("the target has no walkable floor on floor {} (at least {:g} m inside it)", fl.id,
                                surge->target_inset_m));
      // The field from the core's rim: its free cells (not under a body that
      // never moves) next to a cell outside the core or under such a body.
      auto rim_of = [&](const std::vector<std::uint8_t>* free) {
        std::vector<Segment> rim;
        auto core = [&](int a, int b) {
          const std::size_t k = G.index(a, b);
          return l.target_depth[k] >= surge_core_depth_m && (!free || (*free)[k]);
        };
        for (int j = 0; j < G.ny(); ++j)
          for (int i = 0; i < G.nx(); ++i) {
            if (!core(i, j)) continue;
            const int nb[4][2] = {{i + 1, j}, {i - 1, j}, {i, j + 1}, {i, j - 1}};
            bool edge = false;
            for (const auto& q : nb)
              edge = edge || q[0] < 0 || q[1] < 0 || q[0] >= G.nx() || q[1] >= G.ny() || !core(q[0], q[1]);
            if (edge) rim.push_back({G.center(i, j), G.center(i, j)});
          }
        return rim;
      };
      if (!still_bodies.empty()) {
        // Round the people who never move: the same field on the area with
        // their discs cut out. Its raster has the layout's cells (the discs
        // lie inside the floor; polygon algebra may move its bounding box by a
        // rounding error, so each layout cell is found in it by its centre).
        geom::WalkableInput body_in = in;
        body_in.solid.insert(body_in.solid.end(), still_bodies.begin(), still_bodies.end());
        auto b_area = std::make_unique<geom::WalkableArea>(body_in);
        auto b_grid = std::make_unique<geom::FloorGrid>(*b_area, cell);
        std::string why;
        std::vector<std::size_t> in_b(G.size());
        for (std::size_t k = 0; k < G.size() && why.empty(); ++k) {
          in_b[k] = b_grid->cell_of(G.center(k));
          if (distance(b_grid->center(in_b[k]), G.center(k)) > 1e-3 * cell)
            why = "their discs change the floor's raster";
        }
        if (why.empty() && b_area->reflex_vertices().size() > geom::VisibilityGraph::kMaxCorners)
          why = fmt::format("their discs give the floor more than {} corners",
                            geom::VisibilityGraph::kMaxCorners);
        std::vector<std::uint8_t> free(G.size(), 0);
        std::vector<Segment> rim;
        if (why.empty()) {
          for (std::size_t k = 0; k < G.size(); ++k)
            free[k] = G.walkable(k) && b_grid->walkable(in_b[k]) ? 1 : 0;
          rim = rim_of(&free);
          if (rim.empty()) why = "they cover the target's core";
        }
        std::unique_ptr<geom::DistanceField> f;
        std::vector<double> dist;
        if (why.empty()) {
          geom::VisibilityGraph graph(*b_area);
          f = std::make_unique<geom::DistanceField>(graph, *b_grid, rim);
          dist.assign(G.size(), geom::DistanceField::kUnreachable);
          for (std::size_t k = 0; k < G.size(); ++k)
            if (free[k]) dist[k] = f->at_cell(in_b[k]);
          // The group must reach a free part of the core round them from
          // where it steps in (the free cells just inside its door).
          const Door* d = find_door(surge->door);
          const Vec2 m = d->opening.midpoint();
          std::vector<std::uint8_t> seen(G.size(), 0);
          std::vector<std::size_t> todo;
          for (std::size_t k = 0; k < G.size(); ++k)
            if (free[k] && distance(G.center(k), m) <= max_radius_m + kDoorReach_m &&
                dot(G.center(k) - m, surge_inward) > 0)
              seen[k] = 1, todo.push_back(k);
          bool reached = false;
          while (!todo.empty() && !reached) {
            const std::size_t k = todo.back();
            todo.pop_back();
            reached = std::isfinite(dist[k]);
            const int i = static_cast<int>(k % G.nx()), j = static_cast<int>(k / G.nx());
            for (int dj = -1; dj <= 1; ++dj)
              for (int di = -1; di <= 1; ++di) {
                const int a = i + di, b = j + dj;
                if (a < 0 || b < 0 || a >= G.nx() || b >= G.ny()) continue;
                const std::size_t q = G.index(a, b);
                if (free[q] && !seen[q]) seen[q] = 1, todo.push_back(q);
              }
          }
          if (!reached) why = "they close every way from the door to the target";
        }
        if (why.empty()) {
          l.to_target = std::move(f);
          l.target_area = std::move(b_area);
          l.target_grid = std::move(b_grid);
          // Under a body (a walker pressed against it) and in a pocket the
          // bodies close, the distance of the nearest cell with a value plus
          // the steps (8-neighbour Dijkstra on the layout's raster): finite
          // wherever the floor reaches the target, so that nobody stops for
          // want of a value.
          l.target_dist = std::move(dist);
          using Item = std::pair<double, std::size_t>;
          std::priority_queue<Item, std::vector<Item>, std::greater<>> open;
          std::vector<std::uint8_t> exact(G.size(), 0);
          for (std::size_t k = 0; k < G.size(); ++k)
            if (std::isfinite(l.target_dist[k])) open.push({l.target_dist[k], k}), exact[k] = 1;
          const double h = G.cell_m(), hd = std::sqrt(2.0) * G.cell_m();
          while (!open.empty()) {
            const auto [dk, k] = open.top();
            open.pop();
            if (dk > l.target_dist[k]) continue;
            const int i = static_cast<int>(k % G.nx()), j = static_cast<int>(k / G.nx());
            for (int dj = -1; dj <= 1; ++dj)
              for (int di = -1; di <= 1; ++di) {
                const int a = i + di, b = j + dj;
                if ((di == 0 && dj == 0) || a < 0 || b < 0 || a >= G.nx() || b >= G.ny()) continue;
                const std::size_t q = G.index(a, b);
                if (!G.walkable(q) || exact[q]) continue;
                const double dq = dk + (di != 0 && dj != 0 ? hd : h);
                if (dq < l.target_dist[q]) l.target_dist[q] = dq, open.push({dq, q});
              }
          }
          if (layouts.empty())
            notes.push_back(fmt::format(
                "{} person(s) who never move during the run are obstacles to the group's way to the target "
                "(each a disc of the body's radius plus {:.2f} m)",
                still_bodies.size(), max_radius_m));
        } else if (layouts.empty()) {
          notes.push_back(
              fmt::format("the {} person(s) who never move during the run are not obstacles to the "
                          "group's way to the target: {} (the group walks as if they were not there and "
                          "goes round them as it meets them)",
                          still_bodies.size(), why));
        }
      }
      if (!l.to_target) {
        geom::VisibilityGraph graph(*l.area);
        l.to_target = std::make_unique<geom::DistanceField>(graph, G, rim_of(nullptr));
        l.target_dist = l.to_target->values();
      }
      l.target_dir_x.assign(G.size(), std::numeric_limits<float>::quiet_NaN());
      l.target_dir_y.assign(G.size(), std::numeric_limits<float>::quiet_NaN());
      for (std::size_t c = 0; c < G.size(); ++c) {
        if (l.target_depth[c] >= surge_core_depth_m || !std::isfinite(l.target_dist[c])) continue;
        const Vec2 d = descend(l, l.target_dist, G.center(c), nullptr);
        l.target_dir_x[c] = static_cast<float>(d.x), l.target_dir_y[c] = static_cast<float>(d.y);
      }
      field_bytes += G.size() * (2 * sizeof(double) + sizeof(int) + 2 * sizeof(float) + 1);
    }
    layouts.push_back(std::move(l));
    return layouts.size() - 1;
  };
  for (double t : times) {
    std::vector<std::string> closed;
    for (const auto& [id, at] : door_closures)
      if (at <= t) closed.push_back(id);
    std::sort(closed.begin(), closed.end());
    std::vector<std::size_t> active;
    for (std::size_t h = 0; h < hazards.size(); ++h)
      if (hazards[h].from_s <= t) active.push_back(h);
    NavEpoch e;
    e.from_s = t;
    e.hazards = active;
    e.layout = layout_for(closed, active);
    e.free_layout = active.empty() ? e.layout : layout_for(closed, {});
    if (!active.empty()) {
      // The way out of a hazard zone: to the nearest walkable cell just outside it.
      const NavLayout& in_l = layouts[e.layout];
      const NavLayout& free_l = layouts[e.free_layout];
      const auto& G = *free_l.grid;
      std::vector<Segment> outside;
      for (int j = 0; j < G.ny(); ++j)
        for (int i = 0; i < G.nx(); ++i) {
          const std::size_t k = G.index(i, j);
          if (!G.walkable(k)) continue;
          const Vec2 c = G.center(i, j);
          if (in_hazard(e, c) || !in_l.area->contains(c) || in_l.area->clearance(c) < max_radius_m) continue;
          bool next_to_hazard = false;
          for (int dj = -2; dj <= 2 && !next_to_hazard; ++dj)
            for (int di = -2; di <= 2 && !next_to_hazard; ++di)
              next_to_hazard = in_hazard(e, c + Vec2{di * G.cell_m(), dj * G.cell_m()});
          if (next_to_hazard) outside.push_back({c, c});
        }
      if (!outside.empty()) {
        geom::VisibilityGraph graph(*free_l.area);
        e.escape = std::make_unique<geom::DistanceField>(graph, G, outside);
        field_bytes += G.size() * (sizeof(double) + sizeof(int));
      }
    }
    epochs.push_back(std::move(e));
  }
  prepare_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_prep).count();
  const NavLayout& l0 = layouts[epochs[0].layout];
  const auto& G = *l0.grid;
  const int nx = G.nx(), ny = G.ny();
  // A crowd surge: where arrivals step in, just inside the door (two rows, the
  // middle of the door first), where a body fits and the target can be reached.
  if (surge) {
    const Door* d = find_door(surge->door);
    const Vec2 u = unit(d->opening.b - d->opening.a), m = d->opening.midpoint();
    const double half = 0.5 * std::min(d->clear_width_m, d->opening.length());
    for (double depth : {max_radius_m + 0.15, max_radius_m + 0.6}) {
      std::vector<double> offsets{0.0};
      for (double s = 2 * max_radius_m + 0.05; s <= half - max_radius_m - 0.05 + 1e-9; s += 2 * max_radius_m + 0.05)
        offsets.push_back(s), offsets.push_back(-s);
      for (double s : offsets) {
        const Vec2 q = m + s * u + depth * surge_inward;
        if (l0.area->contains(q) && l0.area->clearance(q) >= max_radius_m + 0.02 &&
            std::isfinite(target_distance(l0, q)))
          surge_spots.push_back(q);
      }
    }
    if (surge_spots.empty())
      throw error(hall, d->loc, "doors[" + d->id + "]",
                  fmt::format("no room just inside door {} to step in, or the target cannot be reached from it",
                              d->id));
  }
  // Walking distance to the nearest exit at the alarm, per cell.
  std::vector<double> nearest(G.size(), geom::DistanceField::kUnreachable);
  for (const auto& f : l0.to_exit)
    for (std::size_t k = 0; k < G.size(); ++k) nearest[k] = std::min(nearest[k], f->at_cell(k));

  // ------------------------------------------------------------ population
  for (const auto& p : ev.persons) {
    if (p.floor != floor) continue;
    const std::string who = p.id.empty() ? fmt::format("person at line {}", p.line) : "person " + p.id;
    if (!l0.area->contains(p.position) || l0.area->clearance(p.position) < 0.5 * max_radius_m)
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
    // Weights: each zone's persons in the checker's load (its density on this storey).
    for (const Zone* z : floor_zones) w.push_back(check::zone_density_ppm2(hall, book, *z) * geom::area(z->polygon));
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
        if (std::isfinite(nearest[k]) && geom::contains(z.polygon, c)) ++cells;
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
  for (double v : nearest)
    if (std::isfinite(v)) far = std::max(far, v);
  for (const auto& e : exits) width += e.width_m;
  for (const auto& g : groups) {
    const auto& d = g.speed_mps;
    speed = std::min(speed, d.kind == EvacDistribution::Kind::uniform ? 0.5 * (d.min + d.max) : d.mean);
  }
  for (const auto& p : persons)
    if (p.speed_mps) speed = std::min(speed, *p.speed_mps);
  hydraulic_estimate_s = pre_max + far / std::max(speed, 0.1) + population / (1.3 * width);
  hand_premovement_s = pre_max, hand_walk_m = far, hand_speed_mps = std::max(speed, 0.1),
  exit_width_m = width;
  if (opt.time_cap_s) {
    time_cap_s = *opt.time_cap_s, time_cap_default = false;
  } else if (ev.time_cap_s) {
    time_cap_s = *ev.time_cap_s, time_cap_default = false;
  } else {
    time_cap_s = std::min(86000.0, std::max(600.0, std::ceil(3.0 * hydraulic_estimate_s)));
  }
}

}  // namespace halltwin::evac
