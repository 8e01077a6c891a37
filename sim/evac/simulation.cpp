#include "sim/evac/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "sim/evac/models/cfsm.hpp"
#include "sim/evac/models/social_force.hpp"
#include "sim/ops/random_stream.hpp"
#include "sim/parallel_runs.hpp"

namespace halltwin::evac {

namespace {

using Clock = std::chrono::steady_clock;

double draw(const EvacDistribution& d, ops::RandomStream& rng) {
  using K = EvacDistribution::Kind;
  double v = 0.0;
  switch (d.kind) {
    case K::uniform:
      return d.min + (d.max - d.min) * rng.uniform01();
    case K::deterministic:
      return d.mean;
    case K::normal:
      v = d.mean + d.sd * rng.normal();
      break;
    case K::lognormal: {
      const double s2 = std::log(1.0 + (d.sd * d.sd) / (d.mean * d.mean));
      v = std::exp(std::log(d.mean) - 0.5 * s2 + std::sqrt(s2) * rng.normal());
      break;
    }
  }
  v = std::max(v, d.min);
  if (d.max > 0) v = std::min(v, d.max);
  return std::max(v, 0.0);
}

// Placement: a bucket grid of the persons placed so far.
class PlacementGrid {
 public:
  bool free(Vec2 p, double r) const {
    const auto [ci, cj] = key(p);
    for (int dj = -1; dj <= 1; ++dj)
      for (int di = -1; di <= 1; ++di) {
        auto it = cells_.find(pack(ci + di, cj + dj));
        if (it == cells_.end()) continue;
        for (const auto& [q, rq] : it->second)
          if (distance(p, q) < r + rq + 0.02) return false;
      }
    return true;
  }
  void add(Vec2 p, double r) {
    const auto [i, j] = key(p);
    cells_[pack(i, j)].push_back({p, r});
  }

 private:
  static std::pair<int, int> key(Vec2 p) {
    return {static_cast<int>(std::floor(p.x)), static_cast<int>(std::floor(p.y))};
  }
  static std::int64_t pack(int i, int j) {
    return (static_cast<std::int64_t>(i) << 32) ^ static_cast<std::uint32_t>(j);
  }
  std::unordered_map<std::int64_t, std::vector<std::pair<Vec2, double>>> cells_;
};

// A crowd surge's walker inside its target that came less than
// kStallProgress_m nearer the target's core in the last kStallCheck_s stops
// where it is: in a crowded zone one stands where one can, rather than press
// on to a place of one's own (docs/drill.md "Crowd surge"). One stalled
// outside it (behind people standing still: the collision-free speed model
// stops dead behind a body straight ahead) steps round: its direction turned
// by kDetour_rad for the next period, to one side (by its person index) and
// after kDetourTries stalls in a row to the other.
constexpr double kStallCheck_s = 2.0;
constexpr double kStallProgress_m = 0.2;
constexpr double kDetour_rad = 1.0;
constexpr int kDetourTries = 3;
// A walker stalled outside the target stops too, queuing for it, when it is
// kQueueReach_m near the target's core (walking distance), or right behind
// (within kQueueGap_m of bodies, ahead of it) a walker of the group who has
// stopped, or anyone standing when within kQueueBehindReach_m of the core:
// the crowd grows back from the target (in front of a window group: behind
// those at the counters, the group's or the hall's own queue).
constexpr double kQueueReach_m = 3.0;
constexpr double kQueueBehindReach_m = 6.0;
constexpr double kQueueGap_m = 0.3;
// Stalled kDetourTries times in a row within kQueueNearGap_m of bodies (any
// side) of a walker of the group who has stopped, a walker stops too: it is
// at the tail of the group's queue, which its steps round only skirt.
constexpr double kQueueNearGap_m = 0.6;

struct StepEvent {
  double t;
  int order;
  TraceEvent ev;
};

}  // namespace

const MotionModel& motion_model(EvacMotionModel kind) {
  static const CollisionFreeSpeedModel cfsm;
  static const SocialForceModel sfm;
  return kind == EvacMotionModel::social_force ? static_cast<const MotionModel&>(sfm) : cfsm;
}

EvacResult simulate(const EvacModel& model, const EvacRunOptions& options, TraceWriter* trace) {
  return simulate(model, motion_model(model.motion_model), options, trace);
}

EvacResult simulate(const EvacModel& model, const MotionModel& motion, const EvacRunOptions& o,
                    TraceWriter* trace) {
  const auto t_run = Clock::now();
  EvacResult res;
  const Hall& hall = model.hall;
  const std::string floor_id = hall.floor(model.floor).id;
  const double dt = model.dt_s;
  const bool periodic = o.periodic_length > 0;

  // ------------------------------------------------------------ persons
  std::vector<PersonRecord>& persons = res.persons;
  const std::string tag = o.stream_tag.empty() ? "" : o.stream_tag + ":";
  ops::RandomStream place(o.seed, static_cast<std::uint64_t>(o.replication),
                          o.stream_tag.empty() ? "evac:placement" : "evac:placement:" + o.stream_tag);
  PlacementGrid occupied;
  auto pick_group = [&](ops::RandomStream& rng, const std::string& want) -> const EvacGroupSpec& {
    if (!want.empty())
      for (const auto& g : model.groups)
        if (g.id == want) return g;
    const double u = rng.uniform01();
    double acc = 0.0;
    for (const auto& g : model.groups) {
      acc += g.share;
      if (u < acc) return g;
    }
    return model.groups.back();
  };
  auto make_person = [&](const std::string& zone, const std::string& want_group,
                         const std::optional<EvacDistribution>& zone_pre) {
    PersonRecord p;
    const std::size_t k = persons.size() + 1;
    p.id = o.stream_tag.empty() ? fmt::format("P{:04d}", k) : fmt::format("{}-P{:04d}", o.stream_tag, k);
    ops::RandomStream rng(o.seed, static_cast<std::uint64_t>(o.replication),
                          "evac:person:" + tag + std::to_string(k));
    const EvacGroupSpec& g = pick_group(rng, want_group);
    p.group = g.id;
    p.assigned_exit = g.exit;
    p.zone = zone;
    p.radius_m = g.radius_m;
    p.speed_mps = draw(g.speed_mps, rng);
    p.premovement_s = draw(g.premovement_s ? *g.premovement_s
                           : zone_pre      ? *zone_pre
                                           : model.premovement_s,
                           rng);
    return p;
  };
  for (const auto& ep : model.persons) {
    PersonRecord p = make_person("", ep.group, std::nullopt);
    if (!ep.id.empty()) p.id = ep.id;
    if (ep.speed_mps) p.speed_mps = *ep.speed_mps;
    if (ep.premovement_s)
      p.premovement_s = *ep.premovement_s;
    else
      p.premovement_s = p.premovement_s * ep.premovement_factor + ep.premovement_extra_s;
    p.kind = ep.kind;
    if (!occupied.free(ep.position, p.radius_m - 0.02))
      throw InputError(InputProblem{hall.source_file, ep.line, 0, "evacuation.persons",
                                    fmt::format("person {} at ({:.2f}, {:.2f}) overlaps another person", p.id,
                                                ep.position.x, ep.position.y)});
    p.start = p.last = ep.position;
    occupied.add(ep.position, p.radius_m);
    persons.push_back(p);
  }
  for (const auto& z : model.zones) {
    Vec2 lo = z.polygon[0], hi = z.polygon[0];
    for (Vec2 v : z.polygon)
      lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)}, hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
    for (int c = 0; c < z.count; ++c) {
      PersonRecord p = make_person(z.id, "", z.premovement_s);
      bool placed = false;
      for (int attempt = 0; attempt < 20000 && !placed; ++attempt) {
        const Vec2 q{lo.x + (hi.x - lo.x) * place.uniform01(), lo.y + (hi.y - lo.y) * place.uniform01()};
        if (!geom::contains(z.polygon, q) || !occupied.free(q, p.radius_m) || !model.reachable(q)) continue;
        if (model.area().clearance(q) < p.radius_m + 0.02) continue;
        p.start = p.last = q;
        occupied.add(q, p.radius_m);
        placed = true;
      }
      if (!placed)
        throw InputError(InputProblem{
            hall.source_file, 0, 0, "evacuation.population",
            fmt::format("population larger than the floor can hold: only {} of {} persons fit in {} without "
                        "overlapping (replication {})",
                        c, z.count, z.id.empty() ? "floor " + floor_id : "zone " + z.id, o.replication)});
      persons.push_back(p);
    }
  }
  const std::size_t n0 = persons.size();
  // A crowd surge's walkers: their persons now (drawn as the others), in the
  // hall when they step in through the door.
  const bool surge = model.surge.has_value();
  if (surge)
    for (int c = 0; c < model.surge->count; ++c) {
      PersonRecord p = make_person("", "", std::nullopt);
      p.kind = "citizen";
      p.premovement_s = 0.0;
      p.due_s = model.surge->count > 1 ? model.surge->spread_s * c / model.surge->count : 0.0;
      p.stop_depth_m = model.surge_core_depth_m;
      if (model.surge->spread) {
        ops::RandomStream rng(o.seed, static_cast<std::uint64_t>(o.replication),
                              "evac:surge-depth:" + tag + std::to_string(persons.size() + 1));
        const double lo = model.surge->target_inset_m;
        p.stop_depth_m = lo + (model.surge_core_depth_m - lo) * rng.uniform01();
      }
      persons.push_back(p);
    }
  std::size_t next_arrival = n0;  // the next surge walker to step in (persons index)
  // Per person: the distance to the target's core at the last stall check.
  std::vector<double> stall_d(surge ? persons.size() : 0, std::numeric_limits<double>::infinity());
  std::vector<std::int8_t> detour(surge ? persons.size() : 0, 0);
  std::vector<int> stalls(surge ? persons.size() : 0, 0);
  std::int64_t stall_round = 0;
  res.agents = static_cast<int>(persons.size());

  Agents a;
  a.resize(n0);
  const std::size_t n_exits = model.exits.size();
  // The nearest exit open at the alarm from p in a layout, or -1.
  auto nearest_exit = [&](const NavLayout& l, Vec2 p) {
    int best = -1;
    double bd = geom::DistanceField::kUnreachable;
    for (std::size_t k = 0; k < n_exits; ++k) {
      const double d = model.exit_distance(l, k, p);
      if (d < bd) bd = d, best = static_cast<int>(k);
    }
    return best;
  };
  for (std::size_t i = 0; i < n0; ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    a.x[e] = persons[i].start.x, a.y[e] = persons[i].start.y;
    const NavLayout& l0 = model.layouts[model.epochs[0].layout];
    const int k0 = nearest_exit(l0, persons[i].start);
    const Vec2 d =
        k0 >= 0 ? model.exit_direction(l0, static_cast<std::size_t>(k0), persons[i].start) : Vec2{0, 0};
    a.ex[e] = d.x, a.ey[e] = d.y;
    a.radius[e] = persons[i].radius_m;
    a.v0[e] = persons[i].speed_mps;
    a.premovement[e] = persons[i].premovement_s;
    a.id[i] = static_cast<std::uint32_t>(i);
  }
  res.exits.resize(model.exits.size());
  for (std::size_t k = 0; k < model.exits.size(); ++k) res.exits[k].id = model.exits[k].id;
  res.peak_density_ppm2.assign(static_cast<std::size_t>(model.density_nx) * model.density_ny, 0.0f);

  // ------------------------------------------------------------ trace: the alarm
  auto event = [&](EventType type, double t, std::size_t person) {
    TraceEvent ev;
    ev.time_s = t;
    ev.type = type;
    if (person != static_cast<std::size_t>(-1)) {
      ev.entity = persons[person].id;
      ev.kind = persons[person].kind == "staff"     ? EntityKind::staff
                : persons[person].kind == "citizen" ? EntityKind::citizen
                                                    : EntityKind::evacuee;
    }
    ev.floor = floor_id;
    return ev;
  };
  if (trace) {
    for (std::size_t i = 0; i < n0; ++i) {
      TraceEvent ev = event(EventType::position, 0.0, i);
      ev.position = persons[i].start;
      trace->write(ev);
    }
    for (const auto& id : model.blocked) {
      TraceEvent ev = event(EventType::door_blocked, 0.0, static_cast<std::size_t>(-1));
      ev.door = id;
      ev.floor.clear();
      for (const auto& d : hall.doors)
        if (d.id == id) ev.floor = hall.floor(d.floor).id;
      trace->write(ev);
    }
  }

  // ------------------------------------------------------------ the loop
  NeighbourGrid grid;
  const double range = motion.interaction_range(model);
  const Vec2 g_origin =
      periodic ? Vec2{o.periodic_x0, model.area().min_corner().y} : model.area().min_corner();
  const Vec2 g_extent = model.area().max_corner() - g_origin;
  Eigen::ArrayXd vx, vy, ex, ey, nx, ny;
  std::vector<std::uint8_t> keep, moved, revert;
  std::vector<StepEvent> events;
  std::vector<int> counts(res.peak_density_ppm2.size());
  // Nearest edge distance within the wall index's pad (capped there) and the nearest edge.
  auto clearance = [&](const WallIndex& w, double px, double py, const Segment** nearest) {
    // Squared distances (no libm hypot per edge), one square root for the nearest.
    const std::size_t b = w.bucket({px, py});
    double best2 = w.pad * w.pad;
    bool found = false;
    for (std::uint32_t k = w.start[b]; k < w.start[b + 1]; ++k) {
      const Segment& s = w.edges[w.items[k]];
      const Vec2 c = geom::closest_point_on_segment({px, py}, s);
      const double dx = px - c.x, dy = py - c.y, d2 = dx * dx + dy * dy;
      if (d2 < best2) {
        best2 = d2;
        found = true;
        if (nearest) *nearest = &s;
      }
    }
    return found ? std::sqrt(best2) : w.pad;
  };
  auto crosses = [&](const NavLayout& l, Vec2 p, Vec2 q) {
    const WallIndex& w = l.walls;
    const std::size_t b = w.bucket(p);
    for (std::uint32_t k = w.start[b]; k < w.start[b + 1]; ++k)
      if (geom::segments_cross_properly({p, q}, w.edges[w.items[k]])) return true;
    return !l.area->contains(q);
  };

  // ------------------------------------------------------------ routing state
  std::size_t epoch = 0;
  std::size_t next_block = 0;  // into model.blocked_later
  std::int64_t choice_round = -1;
  Eigen::ArrayXd desired_x, desired_y, to_go;
  std::vector<const WallIndex*> walls_of;
  std::vector<const NavLayout*> layout_of;
  std::vector<std::vector<double>> queue_d(n_exits);  // per exit: sorted distances of those walking to it
  std::vector<std::uint8_t> force;
  const double inf = geom::DistanceField::kUnreachable;
  // Estimated time to get out through exit k from walking distance d at speed v:
  // walk there, or wait until those ahead have passed the door, whichever is later.
  auto estimate = [&](std::size_t k, double d, double v) {
    const auto& q = queue_d[k];
    const double ahead = static_cast<double>(std::lower_bound(q.begin(), q.end(), d) - q.begin());
    return std::max(d / std::max(v, 0.05), ahead / (kExpectedDoorFlow_ppms * model.exits[k].width_m));
  };

  std::int64_t step = 0;
  // The key of a model's fluctuation (its own counter-based stream per person and step).
  const std::uint64_t noise_key = ops::RandomStream(o.seed, static_cast<std::uint64_t>(o.replication),
                                                    "evac:fluctuation:" + o.stream_tag)();
  int next_sample = 1;
  double next_progress = 10.0;
  int inside = static_cast<int>(n0);
  auto sample_density = [&](double t) {
    std::fill(counts.begin(), counts.end(), 0);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto e = static_cast<Eigen::Index>(i);
      const int ci = static_cast<int>(std::floor((a.x[e] - model.density_origin.x) / kDensityCell_m));
      const int cj = static_cast<int>(std::floor((a.y[e] - model.density_origin.y) / kDensityCell_m));
      if (ci < 0 || cj < 0 || ci >= model.density_nx || cj >= model.density_ny) continue;
      ++counts[static_cast<std::size_t>(cj) * model.density_nx + ci];
    }
    bool congested = false;
    for (std::size_t c = 0; c < counts.size(); ++c) {
      const double d = counts[c] / (kDensityCell_m * kDensityCell_m);
      res.peak_density_ppm2[c] = std::max(res.peak_density_ppm2[c], static_cast<float>(d));
      res.max_density_ppm2 = std::max(res.max_density_ppm2, d);
      congested = congested || d > kCongestionDensity_ppm2;
    }
    if (congested) res.congestion_s += kSampleInterval_s;
    res.curve.push_back({t, inside});
  };
  sample_density(0.0);

  auto timed = [&](Phase ph, auto&& body) {
    const auto t0 = Clock::now();
    body();
    res.phase_s[static_cast<std::size_t>(ph)] += std::chrono::duration<double>(Clock::now() - t0).count();
  };

  double t = 0.0;
  while ((inside > 0 || periodic || surge) && t < model.time_cap_s - 1e-9) {
    const double t_end = static_cast<double>(step + 1) * dt;
    events.clear();
    // A crowd surge: the walkers due step in, in order, at the first free
    // place inside the door; the next waits outside until there is room.
    while (surge && next_arrival < persons.size() && persons[next_arrival].due_s <= t + 1e-9) {
      PersonRecord& pr = persons[next_arrival];
      const Vec2* spot = nullptr;
      for (const Vec2& q : model.surge_spots) {
        bool free = true;
        for (std::size_t j = 0; j < a.size() && free; ++j) {
          const auto f = static_cast<Eigen::Index>(j);
          const double l = pr.radius_m + a.radius[f] + kOverlapTolerance_m;
          free = (q.x - a.x[f]) * (q.x - a.x[f]) + (q.y - a.y[f]) * (q.y - a.y[f]) >= l * l;
        }
        if (free) {
          spot = &q;
          break;
        }
      }
      if (!spot) break;
      a.push_back();
      const std::size_t i = a.size() - 1;
      const auto e = static_cast<Eigen::Index>(i);
      a.x[e] = spot->x, a.y[e] = spot->y;
      a.ex[e] = model.surge_inward.x, a.ey[e] = model.surge_inward.y;
      a.radius[e] = pr.radius_m;
      a.v0[e] = pr.speed_mps;
      a.active[i] = 1;
      a.id[i] = static_cast<std::uint32_t>(next_arrival);
      a.to_target[i] = 1;
      pr.start = pr.last = *spot;
      pr.entered_s = pr.start_s = t;
      if (trace) {
        TraceEvent ev = event(EventType::entered, t, next_arrival);
        ev.door = model.surge->door;
        ev.position = *spot;
        events.push_back({t, 0, std::move(ev)});
      }
      ++next_arrival;
    }
    const std::size_t n = a.size();
    // The navigation epoch (hazards, closed doors) and the doors blocked by now.
    const std::size_t new_epoch = model.epoch_at(t);
    const bool epoch_changed = new_epoch != epoch;
    epoch = new_epoch;
    const NavEpoch& ep = model.epochs[epoch];
    bool exit_closed = false;
    while (next_block < model.blocked_later.size() && model.blocked_later[next_block].second <= t + 1e-9) {
      const auto& [door, at] = model.blocked_later[next_block++];
      exit_closed = true;
      if (trace) {
        TraceEvent ev = event(EventType::door_blocked, at, static_cast<std::size_t>(-1));
        ev.door = door;
        ev.floor.clear();
        for (const auto& d : hall.doors)
          if (d.id == door) ev.floor = hall.floor(d.floor).id;
        events.push_back({at, 0, std::move(ev)});
      }
    }
    // 1. start: agents whose pre-movement time is over start walking; so does
    // whoever an active hazard zone reaches.
    timed(Phase::start, [&] {
      for (std::size_t i = 0; i < n; ++i) {
        if (a.active[i]) continue;
        const bool reached = !ep.hazards.empty() && model.in_hazard(ep, a.position(i));
        if (a.premovement[static_cast<Eigen::Index>(i)] <= t + 1e-9 || reached) {
          a.active[i] = 1;
          persons[a.id[i]].start_s = t;
          if (trace) events.push_back({t, 0, event(EventType::evac_start, t, a.id[i])});
        }
      }
    });
    // 2. route: each walking agent's exit (estimated time, re-evaluated every
    // kExitChoiceInterval_s, at once when its exit closes or the hazards
    // change), its desired direction and the walls it keeps off.
    timed(Phase::route, [&] {
      const NavLayout& lay = model.layouts[ep.layout];
      const NavLayout& free_lay = model.layouts[ep.free_layout];
      const auto m = static_cast<Eigen::Index>(n);
      desired_x.resize(m), desired_y.resize(m), to_go.resize(m);
      walls_of.assign(n, &lay.walls);
      layout_of.assign(n, &lay);
      force.assign(n, 0);
      const auto round = static_cast<std::int64_t>(std::floor(t / kExitChoiceInterval_s + 1e-9));
      const bool choose_all = round != choice_round || epoch_changed;
      choice_round = round;
      bool any_force = false;
      for (std::size_t i = 0; i < n; ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        const Vec2 p{a.x[e], a.y[e]};
        const bool esc = !ep.hazards.empty() && model.in_hazard(ep, p);
        if (a.escaping[i] && !esc) force[i] = 1;  // just out of the hazard zone: choose again
        if (esc && !a.escaping[i] && (epoch_changed || step == 0)) ++res.caught_in_hazard;
        a.escaping[i] = esc;
        if (esc) walls_of[i] = &free_lay.walls, layout_of[i] = &free_lay;
        if (!a.active[i] || esc || a.to_target[i]) continue;
        const int k = a.exit[i];
        if (k < 0 || model.exits[static_cast<std::size_t>(k)].closes_at_s <= t + 1e-9) force[i] = 1;
        any_force = any_force || force[i];
      }
      const bool choosing = choose_all || exit_closed || any_force;
      const bool stall_check =
          surge && static_cast<std::int64_t>(std::floor(t / kStallCheck_s + 1e-9)) != stall_round;
      if (stall_check) stall_round = static_cast<std::int64_t>(std::floor(t / kStallCheck_s + 1e-9));
      // The queues: per exit, the sorted distances of those walking to it (only when someone chooses).
      for (auto& q : queue_d) q.clear();
      if (choosing) {
        for (std::size_t i = 0; i < n; ++i) {
          if (!a.active[i] || a.escaping[i] || force[i] || a.to_target[i]) continue;
          const auto e = static_cast<Eigen::Index>(i);
          const auto k = static_cast<std::size_t>(a.exit[i]);
          queue_d[k].push_back(model.exit_distance(lay, k, {a.x[e], a.y[e]}));
        }
        for (auto& q : queue_d) std::sort(q.begin(), q.end());
      }
      // Choices read the queues frozen above, so the order of agents never matters.
      std::vector<std::pair<std::size_t, int>> changes;
      for (std::size_t i = 0; i < n; ++i) {
        if (!choosing || !a.active[i] || a.escaping[i] || a.to_target[i] ||
            !(choose_all || force[i] || exit_closed))
          continue;
        const auto e = static_cast<Eigen::Index>(i);
        const Vec2 p{a.x[e], a.y[e]};
        const int cur = force[i] ? -1 : a.exit[i];
        const PersonRecord& pr = persons[a.id[i]];
        int pick = -1;
        if (pr.assigned_exit >= 0 &&
            model.exits[static_cast<std::size_t>(pr.assigned_exit)].closes_at_s > t + 1e-9 &&
            std::isfinite(model.exit_distance(lay, static_cast<std::size_t>(pr.assigned_exit), p))) {
          pick = pr.assigned_exit;  // staff lead this group to its exit
        } else {
          double best = inf, cur_t = inf;
          for (std::size_t k = 0; k < n_exits; ++k) {
            if (model.exits[k].closes_at_s <= t + 1e-9) continue;
            const double d = model.exit_distance(lay, k, p);
            if (!std::isfinite(d)) continue;
            // Those walking to k nearer to it than me (strictly: not myself).
            const double est = estimate(k, d, a.v0[e]);
            if (static_cast<int>(k) == cur) cur_t = est;
            if (est < best) best = est, pick = static_cast<int>(k);
          }
          // Hysteresis: keep the current exit unless another is clearly faster.
          if (cur >= 0 && std::isfinite(cur_t) && pick != cur &&
              best > cur_t - std::max(kExitSwitchGain_s, kExitSwitchGainShare * cur_t))
            pick = cur;
        }
        if (pick != a.exit[i]) changes.push_back({i, pick});
      }
      for (const auto& [i, k] : changes) {
        if (a.exit[i] >= 0 && k >= 0) ++res.exit_changes;
        a.exit[i] = k;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        const Vec2 p{a.x[e], a.y[e]};
        Vec2 dir{a.ex[e], a.ey[e]};
        double d = inf;
        if (a.to_target[i]) {
          // A surge walker: down the target's field; in the target it stops
          // for good (stands: no longer walking, a body the others go round).
          d = model.target_distance(lay, p);
          dir = model.target_direction(lay, p);
          const double depth = model.target_depth(lay, p);
          bool stop = depth >= persons[a.id[i]].stop_depth_m;
          const std::uint32_t id = a.id[i];
          if (a.active[i] && stall_check) {
            double& best = stall_d[id];  // the nearest it has come (so that going to and fro is no progress)
            const bool stalled = best - d < kStallProgress_m;
            bool behind = false;  // right behind a walker of the group who has stopped
            if (stalled && depth < 0 && d > kQueueReach_m)
              for (std::size_t j = 0; j < a.size() && !behind; ++j) {
                const auto f = static_cast<Eigen::Index>(j);
                if (j == i || a.active[j]) continue;
                if (d > kQueueBehindReach_m && (a.to_target[j] == 0 || persons[a.id[j]].target_s < 0)) continue;
                const Vec2 q{a.x[f] - p.x, a.y[f] - p.y};
                behind = norm(q) <= a.radius[e] + a.radius[f] + kQueueGap_m && dot(q, dir) > 0;
              }
            // Stalled kDetourTries times in a row near the target, or next to the
            // group's queue: it stands where it is.
            bool given_up = stalls[id] + 1 >= kDetourTries && d <= kQueueBehindReach_m;
            if (stalled && !given_up && stalls[id] + 1 >= kDetourTries)
              for (std::size_t j = 0; j < a.size() && !given_up; ++j) {
                const auto f = static_cast<Eigen::Index>(j);
                if (j == i || a.active[j] || a.to_target[j] == 0 || persons[a.id[j]].target_s < 0) continue;
                const Vec2 q{a.x[f] - p.x, a.y[f] - p.y};
                given_up = norm(q) <= a.radius[e] + a.radius[f] + kQueueNearGap_m;
              }
            stop = stop || ((depth >= 0 || d <= kQueueReach_m || behind || given_up) && stalled);
            stalls[id] = stalled ? stalls[id] + 1 : 0;
            detour[id] = 0;
            if (stalled && !stop) {
              // First away from the nearest body ahead (round it on its far side), by
              // its person index when none is; the other side after kDetourTries.
              double best_q = HUGE_VAL, cross = 0.0;
              for (std::size_t j = 0; j < a.size(); ++j) {
                const auto f = static_cast<Eigen::Index>(j);
                const Vec2 q{a.x[f] - p.x, a.y[f] - p.y};
                const double dq = norm(q);
                if (j == i || dq > 1.5 || dot(q, dir) <= 0 || dq >= best_q) continue;
                best_q = dq, cross = dir.x * q.y - dir.y * q.x;
              }
              const int first = cross > 0 ? -1 : cross < 0 ? 1 : (id % 2 == 0 ? 1 : -1);
              const int side = first * ((stalls[id] - 1) / kDetourTries % 2 == 0 ? 1 : -1);
              detour[id] = static_cast<std::int8_t>(side);
            }
            if (!stalled) best = d;
          }
          if (detour[id] != 0) {
            const double c = std::cos(kDetour_rad), s = detour[id] * std::sin(kDetour_rad);
            dir = {c * dir.x - s * dir.y, s * dir.x + c * dir.y};
          }
          if (a.active[i] && stop) {
            a.active[i] = 0;
            a.premovement[e] = std::numeric_limits<double>::infinity();
            persons[a.id[i]].target_s = t;
          }
          if (!a.active[i]) dir = {0.0, 0.0}, d = 0.0;
        } else if (a.escaping[i]) {
          dir = model.escape_direction(ep, p);
          d = ep.escape ? ep.escape->at_cell(free_lay.grid->cell_of(p)) : inf;
        } else if (a.exit[i] >= 0) {
          const auto k = static_cast<std::size_t>(a.exit[i]);
          d = model.exit_distance(lay, k, p);
          dir = model.exit_direction(lay, k, p);
          // Its exit cannot be reached from here (pushed off the raster): choose again next step.
          if (!std::isfinite(d)) a.exit[i] = -1;
        } else if (a.active[i]) {
          dir = {0.0, 0.0};  // no open exit can be reached from here: wait
        }
        desired_x[e] = dir.x, desired_y[e] = dir.y;
        to_go[e] = d;
      }
    });
    // 2. neighbours: the grid on the frozen positions.
    timed(Phase::neighbours, [&] { grid.build(a, g_origin, g_extent, range, o.periodic_length); });
    // 3. motion: velocities from the frozen state.
    timed(Phase::motion, [&] {
      vx.resize(static_cast<Eigen::Index>(n)), vy.resize(static_cast<Eigen::Index>(n));
      ex.resize(static_cast<Eigen::Index>(n)), ey.resize(static_cast<Eigen::Index>(n));
      motion.velocities({model, a, grid, o.periodic_length, desired_x, desired_y, walls_of, dt, noise_key, step}, vx,
                        vy, ex, ey);
    });
    // 4. walls: proposed positions, never through an edge nor deeper into a wall.
    timed(Phase::walls, [&] {
      nx = a.x + dt * vx;
      ny = a.y + dt * vy;
      moved.assign(n, 0);
      for (std::size_t i = 0; i < n; ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        const Vec2 p{a.x[e], a.y[e]};
        Vec2 q{nx[e], ny[e]};
        if (q == p) continue;
        const double r_min = a.radius[e] - kWallTolerance_m;
        const NavLayout& lay = *layout_of[i];
        const WallIndex& w = lay.walls;
        const Segment* near_edge = nullptr;
        const double c_old = clearance(w, p.x, p.y, &near_edge);
        auto ok = [&](Vec2 cand) {
          const double c_new = clearance(w, cand.x, cand.y, nullptr);
          if (c_new < r_min && c_new < c_old) return false;
          if (distance(p, cand) < c_old - 1e-9) return true;
          return !crosses(lay, p, cand);
        };
        if (!ok(q)) {
          // Slide round the nearest wall point: along the tangent of the
          // circle about it (along the edge when the point is inside an edge,
          // round the corner when it is an end: a door jamb). A move straight
          // at the point has no tangent part: then a side step, to the side
          // nearer the exit, so that nobody jams for good on a door frame.
          Vec2 slid = p;
          if (near_edge) {
            const Vec2 u = near_edge->b - near_edge->a;
            const double len2 = dot(u, u);
            const double s = len2 > 0 ? std::clamp(dot(p - near_edge->a, u) / len2, 0.0, 1.0) : 0.0;
            const Vec2 cp = near_edge->a + s * u;
            const double dn = distance(p, cp);
            if (dn > 1e-12) {
              const Vec2 nrm = (1.0 / dn) * (p - cp);
              const Vec2 tan{-nrm.y, nrm.x};
              const Vec2 step = q - p;
              const double along = dot(step, tan);
              const double len = norm(step);
              if (std::fabs(along) >= 0.1 * len) {
                slid = p + along * tan;
              } else {
                // The side with more room first (off the jamb), then the one nearer the exit.
                const Vec2 left = p + 0.5 * len * tan, right = p - 0.5 * len * tan;
                const double cl = clearance(w, left.x, left.y, nullptr),
                             cr = clearance(w, right.x, right.y, nullptr);
                if (std::fabs(cl - cr) > 1e-6) {
                  slid = cl > cr ? left : right;
                } else {
                  // The side nearer the agent's goal (its exit, or out of the hazard).
                  const NavEpoch& ep = model.epochs[epoch];
                  auto goal = [&](Vec2 x) {
                    if (a.to_target[i]) return model.target_distance(lay, x);
                    if (a.escaping[i] && ep.escape) return ep.escape->at_cell(lay.grid->cell_of(x));
                    if (a.exit[i] < 0) return inf;
                    return model.exit_distance(lay, static_cast<std::size_t>(a.exit[i]), x);
                  };
                  slid = goal(left) <= goal(right) ? left : right;
                }
              }
            }
          }
          if (!(slid == p) && ok(slid)) {
            q = slid;
            ++res.wall_slides;
          } else {
            q = p;
          }
        }
        nx[e] = q.x, ny[e] = q.y;
        moved[i] = !(q == p);
      }
    });
    // 5. overlaps: a move that brings two agents closer than the tolerance is
    // undone (the one farther from its exit yields); rounds until none is left.
    timed(Phase::overlaps, [&] {
      for (int round = 0; round < 64; ++round) {
        revert.assign(n, 0);
        bool any = false;
        for (std::size_t i = 0; i < n; ++i) {
          if (!moved[i]) continue;
          const auto e = static_cast<Eigen::Index>(i);
          grid.for_each_near(a.x[e], a.y[e], [&](std::uint32_t j, double shift) {
            if (j == i) return;
            const auto f = static_cast<Eigen::Index>(j);
            const double l = a.radius[e] + a.radius[f] - kOverlapTolerance_m;
            const double dnx = nx[e] - (nx[f] + shift), dny = ny[e] - ny[f];
            const double d2 = dnx * dnx + dny * dny;
            if (d2 >= l * l) return;
            const double dox = a.x[e] - (a.x[f] + shift), doy = a.y[e] - a.y[f];
            if (d2 >= dox * dox + doy * doy) return;  // not closer than before
            // i yields unless j moved too and j has lower priority.
            bool i_yields = true;
            if (moved[j]) {
              const double di = to_go[e], dj = to_go[f];
              i_yields = di > dj || (di == dj && a.id[i] > a.id[j]);
            }
            if (i_yields) revert[i] = 1;
          });
          any = any || revert[i];
        }
        if (!any) break;
        for (std::size_t i = 0; i < n; ++i)
          if (revert[i]) {
            const auto e = static_cast<Eigen::Index>(i);
            nx[e] = a.x[e], ny[e] = a.y[e], moved[i] = 0;
            ++res.overlap_reverts;
          }
      }
    });
    // Commit the step. The velocity kept is the one realised after the wall
    // and overlap guards (a refused move leaves the walker standing), so that
    // a second-order model does not push on against a wall or a neighbour.
    a.vx = (nx - a.x) / dt;
    a.vy = (ny - a.y) / dt;
    a.x = nx;
    a.y = ny;
    a.ex = ex;
    a.ey = ey;
    if (periodic)
      for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(n); ++i)
        if (a.x[i] >= o.periodic_x0 + o.periodic_length) a.x[i] -= o.periodic_length;
    for (std::size_t i = 0; i < n; ++i) res.agent_steps += 1;
    // 6. exits: out 0.5 m past the door line of an open exit.
    timed(Phase::exits, [&] {
      keep.assign(n, 1);
      if (periodic) return;
      for (std::size_t i = 0; i < n; ++i) {
        const auto e = static_cast<Eigen::Index>(i);
        const Vec2 p{a.x[e], a.y[e]};
        // The guarantee the hazard tests check: nobody outside an active zone steps into it.
        if (!a.escaping[i] && !ep.hazards.empty() && model.in_hazard(ep, p)) ++res.hazard_entries;
        if (a.to_target[i]) continue;  // a surge walker never leaves
        for (std::size_t k = 0; k < model.exits.size(); ++k) {
          const EvacExit& x = model.exits[k];
          if (x.closes_at_s <= t + 1e-9) continue;
          bool out = false;
          if (x.counted_beyond) {
            const Vec2 u = x.door.b - x.door.a;
            const double lat = std::abs(dot(p - x.door.midpoint(), u)) / norm(u);
            out = dot(p - x.door.a, x.outward) >= kExitDepth_m && lat <= x.width_m / 2 + 0.5;
          } else {
            out = geom::point_segment_distance(p, x.door) <= 0.1;
          }
          if (!out) continue;
          keep[i] = 0;
          PersonRecord& pr = persons[a.id[i]];
          pr.exit_s = t_end, pr.exit = x.id, pr.last = p;
          ExitTally& tally = res.exits[k];
          if (tally.count == 0) tally.first_s = t_end;
          tally.last_s = t_end;
          ++tally.count;
          --inside;
          res.evacuation_time_s = t_end;
          if (trace) {
            TraceEvent ev = event(EventType::exit, t_end, a.id[i]);
            ev.door = x.id;
            ev.position = p;
            events.push_back({t_end, 2, std::move(ev)});
          }
          break;
        }
      }
    });
    // 7. measure: density, the curve and position samples every 0.5 s.
    timed(Phase::measure, [&] {
      const bool sample = t_end >= next_sample * kSampleInterval_s - 1e-9;
      const double ts = next_sample * kSampleInterval_s;
      if (trace && sample)
        for (std::size_t i = 0; i < n; ++i)
          if (keep[i] && a.active[i]) {
            TraceEvent ev = event(EventType::position, ts, a.id[i]);
            ev.position = a.position(i);
            events.push_back({ts, 1, std::move(ev)});
          }
      if (o.observer) o.observer(t_end, a, vx, vy);
      for (std::size_t i = 0; i < n; ++i) persons[a.id[i]].last = a.position(i);
      a.compact(keep);
      if (sample) {
        sample_density(ts);
        ++next_sample;
      }
      if (trace) {
        std::stable_sort(events.begin(), events.end(),
                         [](const StepEvent& x, const StepEvent& y) { return x.t < y.t; });
        for (const auto& ev : events) trace->write(ev.ev);
      }
    });
    ++step;
    t = t_end;
    ++res.steps;
    if (o.progress && t >= next_progress) {
      o.progress(t);
      next_progress += 10.0;
    }
  }
  for (std::size_t i = 0; i < persons.size(); ++i)
    if (persons[i].exit_s < 0) res.stuck.push_back(i);
  if (!res.stuck.empty() || periodic) {
    res.capped = true;
    res.evacuation_time_s = t;
  }
  res.wall_s = std::chrono::duration<double>(Clock::now() - t_run).count();
  return res;
}

std::vector<EvacResult> run_replications(const EvacModel& model, const EvacPlan& plan) {
  const int n = std::max(1, plan.replications);
  std::vector<EvacResult> results(static_cast<std::size_t>(n));
  run_indexed(
      n, plan.threads,
      [&](int i) {
        EvacRunOptions o = plan.base;
        o.replication = i + 1;
        if (i > 0) o.progress = nullptr;
        TraceWriter* trace = plan.trace_for ? plan.trace_for(i + 1) : nullptr;
        results[static_cast<std::size_t>(i)] = simulate(model, o, trace);
        if (plan.after_run) plan.after_run(i + 1);
      },
      plan.progress);
  return results;
}

}  // namespace halltwin::evac
