#include "model/trace/playback.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "model/trace/trace_reader.hpp"

namespace halltwin {

std::string_view person_state_name(PersonState s) {
  switch (s) {
    case PersonState::walking: return "walking";
    case PersonState::waiting_seated: return "waiting seated";
    case PersonState::waiting_standing: return "waiting standing";
    case PersonState::at_window: return "at a window";
    case PersonState::evacuating: return "evacuating";
    case PersonState::gone: return "gone";
  }
  return "?";
}

namespace {

// Queue spots are laid out this far apart: a person standing in a queue keeps
// about 0.5 m to the next (body depth ~0.3 m plus personal space).
constexpr double kQueueSpotSpacing_m = 0.7;

// The state an event starts (docs/trace-format.md, column "view"); nullopt = unchanged.
std::optional<PersonState> state_started_by(EventType e) {
  switch (e) {
    case EventType::entered:
    case EventType::walk_start: return PersonState::walking;
    case EventType::ticket_issued:
    case EventType::standing: return PersonState::waiting_standing;
    case EventType::seated: return PersonState::waiting_seated;
    case EventType::service_start:
    case EventType::pickup:
    case EventType::shift_start:
    case EventType::break_end: return PersonState::at_window;
    case EventType::evac_start: return PersonState::evacuating;
    case EventType::left:
    case EventType::exit:
    case EventType::shift_end:
    case EventType::break_start: return PersonState::gone;
    default: return std::nullopt;
  }
}

bool is_waiting(PersonState s) { return s == PersonState::waiting_seated || s == PersonState::waiting_standing; }
bool is_moving(PersonState s) { return s == PersonState::walking || s == PersonState::evacuating; }

// 1-based line of the '#scenario' header line, for the mismatch message.
int scenario_header_line(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string line;
  for (int n = 1; n <= 40 && std::getline(in, line); ++n) {
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (line.rfind("#scenario,", 0) == 0 || line.rfind("\"#scenario\",", 0) == 0) return n;
  }
  return 2;
}

template <class T>
std::unordered_map<std::string, std::uint32_t> index_of(const std::vector<T>& v) {
  std::unordered_map<std::string, std::uint32_t> m;
  for (std::uint32_t i = 0; i < v.size(); ++i) m.emplace(v[i].id, i);
  return m;
}

// Where an event places a person who has no recorded position.
struct Placer {
  const Hall& hall;
  std::string file;
  std::vector<std::string>& warnings;
  std::unordered_map<std::string, std::uint32_t> floors, windows, seats, doors, devices;
  std::vector<std::vector<Vec2>> spots;  // queue spots per floor
  std::vector<std::size_t> next_spot;
  std::set<std::string> warned;
  FloorId default_floor;

  Placer(const Hall& h, std::string f, std::vector<std::string>& w)
      : hall(h), file(std::move(f)), warnings(w), floors(index_of(h.floors)), windows(index_of(h.windows)),
        seats(index_of(h.seats)), doors(index_of(h.doors)), devices(index_of(h.devices)) {
    // The lowest storey: where a person of unknown whereabouts most likely is.
    for (std::uint32_t i = 0; i < h.floors.size(); ++i)
      if (!default_floor.valid() || h.floors[i].storey < h.floors[default_floor.value].storey) default_floor.value = i;
    spots.resize(h.floors.size());
    next_spot.assign(h.floors.size(), 0);
    for (std::uint32_t f = 0; f < h.floors.size(); ++f) spots[f] = queue_spots(FloorId{f});
  }

  // Grid points in the floor's waiting zones (else window areas, else anywhere
  // on the floor) clear of obstacles and seats: where people queue standing.
  std::vector<Vec2> queue_spots(FloorId f) const {
    std::vector<const Polygon*> areas;
    for (ZoneType wanted : {ZoneType::waiting, ZoneType::window_area, ZoneType::lobby}) {
      for (const Zone& z : hall.zones)
        if (z.floor == f && z.type == wanted) areas.push_back(&z.polygon);
      if (!areas.empty()) break;
    }
    if (areas.empty()) areas.push_back(&hall.floor(f).boundary);
    std::vector<Vec2> out;
    for (const Polygon* poly : areas) {
      if (poly->empty()) continue;
      Vec2 lo = poly->front(), hi = poly->front();
      for (Vec2 v : *poly) {
        lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)};
        hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
      }
      for (double y = lo.y + 0.5 * kQueueSpotSpacing_m; y < hi.y; y += kQueueSpotSpacing_m)
        for (double x = lo.x + 0.5 * kQueueSpotSpacing_m; x < hi.x; x += kQueueSpotSpacing_m) {
          const Vec2 p{x, y};
          if (!geom::contains(*poly, p) || geom::distance_to_boundary(*poly, p) < 0.3) continue;
          bool clear = true;
          for (const Obstacle& o : hall.obstacles)
            if (o.floor == f && (geom::contains(o.polygon, p) || geom::distance_to_boundary(o.polygon, p) < 0.3)) {
              clear = false;
              break;
            }
          for (const Seat& s : hall.seats)
            if (clear && s.floor == f && distance(s.position, p) < 0.5) clear = false;
          if (clear) out.push_back(p);
        }
    }
    if (out.empty()) out.push_back(geom::centroid(hall.floor(f).boundary));
    return out;
  }

  void warn(int line, const std::string& what, const std::string& id) {
    if (!warned.insert(what + "\x1f" + id).second) return;
    warnings.push_back(file + ":" + std::to_string(line) + ": warning: " + what + " '" + id +
                       "' is not in the scenario; shown at the nearest sensible place");
  }

  PersonKeyframe spot(double t, FloorId f) {
    if (!f.valid()) f = default_floor;
    const auto& s = spots[f.value];
    return {t, s[next_spot[f.value]++ % s.size()], f, false};
  }

  // An entrance of floor `f` (the way in), else any door, else the floor's centre.
  PersonKeyframe entrance(double t, FloorId f) const {
    if (!f.valid()) f = default_floor;
    const Door* best = nullptr;
    for (const Door& d : hall.doors)
      if (d.floor == f && (!best || (d.is_entrance() && !best->is_entrance()))) best = &d;
    if (best) return {t, 0.5 * (best->opening.a + best->opening.b), f, false};
    return {t, geom::centroid(hall.floor(f).boundary), f, false};
  }

  std::optional<FloorId> floor_of(const TraceEvent& e, int line) {
    if (e.floor.empty()) return std::nullopt;
    if (auto it = floors.find(e.floor); it != floors.end()) return FloorId{it->second};
    warn(line, "floor", e.floor);
    return default_floor;
  }

  // The keyframe an event without a position implies, if any. `current` is
  // the person's floor so far (invalid when unknown); `state` the state the
  // event leaves the person in.
  std::optional<PersonKeyframe> place(const TraceEvent& e, int line, double t, FloorId current, PersonState state) {
    const auto at_window = [&]() -> std::optional<PersonKeyframe> {
      if (!e.window.empty()) {
        if (auto it = windows.find(e.window); it != windows.end()) {
          const Window& w = hall.windows[it->second];
          return PersonKeyframe{t, w.position, w.floor, false};
        }
        warn(line, "window", e.window);
      }
      if (!e.device.empty()) {
        if (auto it = devices.find(e.device); it != devices.end()) {
          const Device& d = hall.devices[it->second];
          return PersonKeyframe{t, d.position, d.floor, false};
        }
        warn(line, "device", e.device);
      }
      return std::nullopt;
    };
    switch (e.type) {
      case EventType::seated:
        if (auto it = seats.find(e.seat); it != seats.end()) {
          const Seat& s = hall.seats[it->second];
          return PersonKeyframe{t, s.position, s.floor, false};
        }
        if (!e.seat.empty()) warn(line, "seat", e.seat);
        return spot(t, current);
      case EventType::ticket_issued:
      case EventType::standing: return spot(t, current);
      case EventType::service_start:
      case EventType::pickup:
      case EventType::shift_start:
      case EventType::break_end:
        if (auto k = at_window()) return k;
        // An unknown counter: the person waits among the others rather than
        // appearing at a wrong window.
        return spot(t, current);
      case EventType::entered:
      case EventType::left:
      case EventType::exit:
        if (!e.door.empty()) {
          if (auto it = doors.find(e.door); it != doors.end()) {
            const Door& d = hall.doors[it->second];
            return PersonKeyframe{t, 0.5 * (d.opening.a + d.opening.b), d.floor, false};
          }
          warn(line, "door", e.door);
        }
        if (e.type == EventType::entered || !current.valid()) return entrance(t, current);
        return std::nullopt;
      default:
        if (!current.valid()) return is_waiting(state) ? spot(t, current) : entrance(t, current);
        return std::nullopt;
    }
  }
};

}  // namespace

Playback Playback::load(const Hall& hall, const std::filesystem::path& trace, std::vector<std::string>& warnings,
                        const PlaybackOptions& options) {
  Playback pb;
  pb.hall_ = &hall;
  TraceReader reader(trace);
  pb.file_ = reader.name();
  pb.header_ = reader.header();
  // An imported log names its mapping (the log's origin) in #scenario, not a
  // hall: any hall may show it, unknown ids being warnings. Every other
  // producer ran a scenario, and a trace of another hall would show people
  // walking through walls.
  const bool imported = pb.header_.source.rfind("halltwin import", 0) == 0;
  if (!imported && !pb.header_.scenario.empty() && pb.header_.scenario != hall.name)
    throw InputError(InputProblem{pb.file_, scenario_header_line(trace), 1, "#scenario",
                                  "the trace is of hall '" + pb.header_.scenario + "', not of '" + hall.name +
                                      "' (" + hall.source_file + "): open it with its own scenario"});
  if (hall.floors.empty())
    throw InputError(InputProblem{hall.source_file, 0, 0, "floors", "the hall has no floors to show a trace on"});
  // An evacuation trace starts with everyone's position at the alarm: until
  // their evac_start they stand (pre-movement), they do not walk.
  pb.evacuation_ = pb.header_.source.find("evac") != std::string::npos;

  Placer placer(hall, pb.file_, warnings);
  std::unordered_map<std::string, std::uint32_t> ids;
  std::map<std::string, std::vector<double>> exits_by_door;  // door id -> exit times
  TraceEvent e;
  bool any = false;
  while (reader.next(e)) {
    const double t = e.absolute_s();
    const int line = reader.line();
    if (!any) pb.start_s_ = t;
    any = true;
    pb.end_s_ = t;
    if (e.type == EventType::evac_start || e.type == EventType::exit) pb.evacuation_ = true;
    if (e.type == EventType::exit && !e.door.empty()) exits_by_door[e.door].push_back(t);
    if (e.entity.empty()) continue;  // facility events: windows opening, doors blocked
    auto [it, fresh] = ids.emplace(e.entity, static_cast<std::uint32_t>(pb.people_.size()));
    if (fresh) {
      PersonTrack np;
      np.id = e.entity;
      np.kind = e.kind.value_or(EntityKind::citizen);
      np.first_s = t;
      pb.people_.push_back(std::move(np));
    }
    PersonTrack& p = pb.people_[it->second];
    p.last_s = t;
    if (!e.matter.empty() && (e.type == EventType::ticket_issued || p.matter.empty())) p.matter = e.matter;

    switch (e.type) {
      case EventType::ticket_issued:
        if (!p.queued.empty() && p.queued.back().second < 0) p.queued.back().second = t;
        p.queued.push_back({t, -1.0});
        break;
      case EventType::called:
      case EventType::abandoned:
      case EventType::no_show:
      case EventType::service_start:
      case EventType::left:
      case EventType::exit:
        if (!p.queued.empty() && p.queued.back().second < 0) p.queued.back().second = t;
        break;
      default: break;
    }

    const std::optional<PersonState> started = state_started_by(e.type);
    if (p.states.empty()) {
      const PersonState initial = started                                                ? *started
                                  : e.type == EventType::position && !pb.evacuation_ ? PersonState::walking
                                                                                      : PersonState::waiting_standing;
      p.states.push_back({t, initial});
    } else if (started && *started != p.states.back().state) {
      p.states.push_back({t, *started});
    }

    const FloorId current = p.keys.empty() ? FloorId{} : p.keys.back().floor;
    if (e.position) {
      const FloorId f = placer.floor_of(e, line).value_or(current.valid() ? current : placer.default_floor);
      p.keys.push_back({t, *e.position, f, true});
    } else if (auto k = placer.place(e, line, t, current, p.states.back().state)) {
      p.keys.push_back(*k);
    }
    if (e.type != EventType::position) {
      const std::string& where = !e.window.empty() ? e.window
                                 : !e.seat.empty() ? e.seat
                                 : !e.device.empty() ? e.device
                                                     : e.door;
      p.journey.push_back({t, e.type, where});
    }
  }

  // A real log may end a visit at the counter (no `left`): the visitor is gone
  // after their last record. An evacuation keeps the stuck in view.
  if (!pb.evacuation_)
    for (PersonTrack& p : pb.people_)
      if (p.states.back().state != PersonState::gone && p.kind != EntityKind::staff) {
        const EventType last = p.journey.empty() ? EventType::position : p.journey.back().event;
        if (last == EventType::service_end || last == EventType::abandoned || last == EventType::no_show ||
            last == EventType::backoffice_start || last == EventType::backoffice_end || last == EventType::pickup)
          p.states.push_back({p.last_s, PersonState::gone});
      }

  // A ticket still open when the trace ends waits to its end.
  for (PersonTrack& p : pb.people_)
    if (!p.queued.empty() && p.queued.back().second < 0) p.queued.back().second = pb.end_s_ + 1e-9;

  // Which window serves which matter (for queues).
  std::unordered_map<std::string, std::uint32_t> matters = index_of(hall.matters);
  pb.window_serves_.assign(hall.windows.size(), std::vector<std::uint8_t>(hall.matters.size(), 0));
  for (std::size_t w = 0; w < hall.windows.size(); ++w)
    for (MatterId m : hall.windows[w].matters)
      if (m.valid() && m.value < hall.matters.size()) pb.window_serves_[w][m.value] = 1;
  pb.matter_of_.reserve(pb.people_.size());
  for (const PersonTrack& p : pb.people_) {
    auto it = matters.find(p.matter);
    pb.matter_of_.push_back(it == matters.end() ? MatterId{} : MatterId{it->second});
  }
  pb.build_kpis(options, exits_by_door);
  return pb;
}

void Playback::build_kpis(const PlaybackOptions& options, const std::map<std::string, std::vector<double>>& exits) {
  const Hall& hall = *hall_;
  const double span = std::max(end_s_ - start_s_, 1.0);
  // About 600 samples, but at least one a minute: a week-long run still
  // plots each day at minute resolution.
  const double step = options.kpi_step_s > 0 ? options.kpi_step_s : std::clamp(span / 600.0, 0.5, 60.0);
  const std::size_t n = static_cast<std::size_t>(std::floor(span / step)) + 1;
  KpiSeries& k = kpis_;
  k.t_s.resize(n);
  for (std::size_t i = 0; i < n; ++i) k.t_s[i] = start_s_ + step * static_cast<double>(i);
  k.inside.assign(n, 0.f);
  k.waiting.assign(n, 0.f);
  k.staff.assign(n, 0.f);

  // Window groups: the roster's, else one per window row, else one per window.
  std::vector<std::vector<std::uint32_t>> group_windows;
  if (!hall.operations.roster.groups.empty()) {
    for (const WindowGroup& g : hall.operations.roster.groups) {
      k.groups.push_back(g.id);
      group_windows.emplace_back();
      for (WindowId w : g.windows) group_windows.back().push_back(w.value);
    }
  } else {
    std::map<std::string, std::size_t> by_row;
    for (std::uint32_t w = 0; w < hall.windows.size(); ++w) {
      const std::string key = hall.windows[w].row.empty() ? hall.windows[w].id : hall.windows[w].row;
      auto [it, fresh] = by_row.emplace(key, k.groups.size());
      if (fresh) {
        k.groups.push_back(key);
        group_windows.emplace_back();
      }
      group_windows[it->second].push_back(w);
    }
  }
  // serves[g][m]: group g serves matter m.
  std::vector<std::vector<std::uint8_t>> serves(k.groups.size(), std::vector<std::uint8_t>(hall.matters.size(), 0));
  for (std::size_t g = 0; g < group_windows.size(); ++g)
    for (std::uint32_t w : group_windows[g])
      for (std::size_t m = 0; m < hall.matters.size(); ++m) serves[g][m] |= window_serves_[w][m];
  k.queue_by_group.assign(k.groups.size(), std::vector<float>(n, 0.f));

  // Each state interval adds one to the samples it covers.
  const auto sample_range = [&](double a, double b) {
    const double lo = std::ceil((a - start_s_) / step), hi = std::ceil((b - start_s_) / step);
    const auto clamp = [&](double v) { return static_cast<std::size_t>(std::clamp(v, 0.0, static_cast<double>(n))); };
    return std::pair{clamp(lo), clamp(hi)};
  };
  for (std::size_t i = 0; i < people_.size(); ++i) {
    const PersonTrack& p = people_[i];
    for (std::size_t s = 0; s < p.states.size(); ++s) {
      const PersonState st = p.states[s].state;
      if (st == PersonState::gone) continue;
      const double b = s + 1 < p.states.size() ? p.states[s + 1].t_s : end_s_ + step;
      const auto [lo, hi] = sample_range(p.states[s].t_s, b);
      if (p.kind == EntityKind::staff) {
        for (std::size_t j = lo; j < hi; ++j) k.staff[j] += 1.f;
        // In an evacuation staff are among the persons still inside.
        if (!evacuation_) continue;
      }
      for (std::size_t j = lo; j < hi; ++j) k.inside[j] += 1.f;
    }
    const MatterId m = matter_of_[i];
    for (const auto& [a, b] : p.queued) {
      const auto [lo, hi] = sample_range(a, b);
      for (std::size_t j = lo; j < hi; ++j) k.waiting[j] += 1.f;
      if (!m.valid()) continue;
      for (std::size_t g = 0; g < k.groups.size(); ++g)
        if (serves[g][m.value])
          for (std::size_t j = lo; j < hi; ++j) k.queue_by_group[g][j] += 1.f;
    }
  }
  // Flow through each exit: persons per minute over the step before each sample.
  for (const auto& [door, times] : exits) {
    k.exits.push_back(door);
    std::vector<float> flow(n, 0.f);
    for (double t : times) {
      const auto j = static_cast<std::size_t>(std::clamp(std::ceil((t - start_s_) / step), 0.0, double(n - 1)));
      flow[j] += static_cast<float>(60.0 / step);
    }
    k.exit_flow_ppm.push_back(std::move(flow));
  }
}

PersonState Playback::state_at(std::size_t i, double t_s) const {
  const auto& st = people_[i].states;
  auto it = std::upper_bound(st.begin(), st.end(), t_s,
                             [](double t, const PersonStateChange& c) { return t < c.t_s; });
  if (it == st.begin()) return PersonState::gone;
  return std::prev(it)->state;
}

PersonKeyframe Playback::position_at(std::size_t i, double t_s) const {
  const auto& keys = people_[i].keys;
  auto it = std::upper_bound(keys.begin(), keys.end(), t_s, [](double t, const PersonKeyframe& k) { return t < k.t_s; });
  if (it == keys.begin()) return keys.front();
  if (it == keys.end()) return keys.back();
  const PersonKeyframe& a = *std::prev(it);
  const PersonKeyframe& b = *it;
  PersonKeyframe out = a;
  out.t_s = t_s;
  if (a.floor != b.floor || b.t_s <= a.t_s) return out;  // a stair: shown on the floor left until arrival
  double move_from = a.t_s;
  if (!(a.recorded && b.recorded && is_moving(state_at(i, a.t_s)))) {
    // At rest, then a walk timed to arrive at b: never a crawl across the hall
    // over the hour a ticket waited.
    move_from = std::max(a.t_s, b.t_s - distance(a.position, b.position) / kPlacedWalkSpeed_mps);
  }
  if (t_s <= move_from) return out;
  const double u = (t_s - move_from) / (b.t_s - move_from);
  out.position = a.position + u * (b.position - a.position);
  return out;
}

void Playback::people_at(double t_s, std::vector<PersonAt>& out) const {
  out.clear();
  // people_ is in order of first record: stop at the first not yet there.
  for (std::size_t i = 0; i < people_.size() && people_[i].first_s <= t_s; ++i) {
    const PersonState s = state_at(i, t_s);
    if (s == PersonState::gone) continue;
    const PersonKeyframe k = position_at(i, t_s);
    out.push_back({static_cast<std::uint32_t>(i), s, k.position, k.floor});
  }
}

bool Playback::queued_at(std::size_t i, double t_s) const {
  for (const auto& [a, b] : people_[i].queued)
    if (a <= t_s && t_s < b) return true;
  return false;
}

std::vector<int> Playback::queue_by_window(double t_s) const {
  std::vector<int> q(hall_->windows.size(), 0);
  for (std::size_t i = 0; i < people_.size() && people_[i].first_s <= t_s; ++i) {
    const MatterId m = matter_of_[i];
    if (!m.valid() || !queued_at(i, t_s)) continue;
    for (std::size_t w = 0; w < q.size(); ++w) q[w] += window_serves_[w][m.value];
  }
  return q;
}

std::vector<float> Playback::density(double t_s, FloorId floor, double cell_m, Vec2& origin, int& columns,
                                     int& rows) const {
  const Polygon& boundary = hall_->floor(floor).boundary;
  Vec2 lo = boundary.front(), hi = boundary.front();
  for (Vec2 v : boundary) {
    lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)};
    hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
  }
  origin = lo;
  columns = std::max(1, static_cast<int>(std::ceil((hi.x - lo.x) / cell_m)));
  rows = std::max(1, static_cast<int>(std::ceil((hi.y - lo.y) / cell_m)));
  std::vector<float> grid(static_cast<std::size_t>(columns) * rows, 0.f);
  std::vector<PersonAt> present;
  people_at(t_s, present);
  const float per_person = static_cast<float>(1.0 / (cell_m * cell_m));
  for (const PersonAt& p : present) {
    if (p.floor != floor) continue;
    const int c = static_cast<int>(std::floor((p.position.x - lo.x) / cell_m));
    const int r = static_cast<int>(std::floor((p.position.y - lo.y) / cell_m));
    if (c < 0 || r < 0 || c >= columns || r >= rows) continue;
    grid[static_cast<std::size_t>(r) * columns + c] += per_person;
  }
  return grid;
}

std::optional<std::size_t> Playback::find(const std::string& entity) const {
  for (std::size_t i = 0; i < people_.size(); ++i)
    if (people_[i].id == entity) return i;
  return std::nullopt;
}

std::optional<double> parse_view_time(const std::string& text) {
  const char* p = text.data();
  const char* end = p + text.size();
  if (text.find(':') == std::string::npos) {
    double v = 0.0;
    auto [q, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || q != end || !std::isfinite(v) || v < 0.0) return std::nullopt;
    return v;
  }
  int part[3] = {0, 0, 0};
  int count = 0;
  while (count < 3) {
    auto [q, ec] = std::from_chars(p, end, part[count]);
    if (ec != std::errc() || q == p || q - p > 2) return std::nullopt;
    ++count;
    p = q;
    if (p == end) break;
    if (*p != ':') return std::nullopt;
    ++p;
  }
  if (p != end || count < 2 || part[0] > 23 || part[1] > 59 || part[2] > 59) return std::nullopt;
  return 3600.0 * part[0] + 60.0 * part[1] + part[2];
}

std::string format_view_time(double t_s) {
  const long total = static_cast<long>(std::floor(std::max(t_s, 0.0)));
  const long day = total / 86400, s = total % 86400;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return day > 0 ? "+" + std::to_string(day) + "d " + buf : std::string(buf);
}

}  // namespace halltwin
