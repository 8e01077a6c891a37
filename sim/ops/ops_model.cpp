#include "sim/ops/ops_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"

namespace halltwin::ops {

std::vector<TimeSpan> working_pieces(const Shift& sh) {
  std::vector<TimeSpan> pieces;
  double t = sh.span.start_s;
  for (const TimeSpan& b : sh.breaks) {
    if (b.start_s > t) pieces.push_back({t, b.start_s});
    t = std::max(t, b.end_s);
  }
  if (sh.span.end_s > t) pieces.push_back({t, sh.span.end_s});
  return pieces;
}

OpsModel::OpsModel(const Hall& hall) : hall_(hall) {
  if (!hall.operations.present)
    throw InputError(InputProblem{hall.source_file, 0, 0, "services",
                                  "the hall has no operations sections (services, demand, roster); "
                                  "halltwin run needs format halltwin-scenario/2 with them "
                                  "(docs/scenario-format.md)"});
  build_demand();
  build_queues();
  build_journey();
  build_places();
}

void OpsModel::build_demand() {
  const Operations& ops = hall_.operations;
  service.resize(hall_.matters.size());
  double cum = 0.0;
  for (const MatterService& s : ops.services) {
    service[s.matter.value] = Sampler(s.service_time);
    if (s.share <= 0.0) continue;
    cum += s.share;
    demand_matters.push_back(s.matter.value);
    demand_cdf.push_back(cum);
  }
  // Shares sum to 1 (the loader checks); rounding must not leave a gap at the top.
  if (!demand_cdf.empty()) demand_cdf.back() = 1.0;
  if (ops.demand.patience) {
    patience = Sampler(*ops.demand.patience);
    has_patience = true;
  }
}

void OpsModel::build_queues() {
  const Roster& roster = hall_.operations.roster;
  const std::size_t nw = hall_.windows.size();
  std::vector<std::uint32_t> group_of_window(nw, 0);
  if (roster.queues == QueueDiscipline::per_group) {
    std::vector<WindowGroup> groups = roster.groups;
    if (groups.empty()) {
      // One group per window row and per single window (as the loader would).
      std::vector<std::string> rows;
      for (std::uint32_t w = 0; w < nw; ++w) {
        const std::string key =
            hall_.windows[w].row.empty() ? "#" + hall_.windows[w].id : hall_.windows[w].row;
        auto it = std::find(rows.begin(), rows.end(), key);
        if (it == rows.end()) {
          rows.push_back(key);
          groups.push_back(WindowGroup{key, {}});
          it = rows.end() - 1;
        }
        groups[static_cast<std::size_t>(it - rows.begin())].windows.push_back(WindowId{w});
      }
    }
    // Windows outside every group form one more group together.
    std::vector<char> grouped(nw, 0);
    for (std::uint32_t g = 0; g < groups.size(); ++g)
      for (WindowId w : groups[g].windows) group_of_window[w.value] = g, grouped[w.value] = 1;
    const auto extra = static_cast<std::uint32_t>(groups.size());
    for (std::size_t w = 0; w < nw; ++w)
      if (!grouped[w]) group_of_window[w] = extra;
  }
  // One queue per (group, matter) that some staff member can serve.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> index;
  for (const StaffMember& m : roster.staff) {
    StaffDef s;
    s.id = m.id;
    s.window = m.window.value;
    s.shift = m.shift;
    s.days = m.days;
    const Window& win = hall_.windows[m.window.value];
    const std::vector<MatterId>& skills = m.skills.empty() ? win.matters : m.skills;
    for (MatterId mt : skills) {
      if (std::find(win.matters.begin(), win.matters.end(), mt) == win.matters.end()) continue;
      const auto key = std::make_pair(group_of_window[s.window], mt.value);
      auto [it, fresh] = index.emplace(key, static_cast<std::uint32_t>(queues.size()));
      if (fresh) queues.push_back(QueueDef{key.first, key.second});
      s.queues.push_back(it->second);
    }
    s.pieces = working_pieces(roster.shifts[m.shift]);
    s.extended_only = m.extended_only;
    s.policy = roster.calling;
    for (const auto& [w, p] : roster.calling_by_window)
      if (w == m.window) s.policy = p;
    staff.push_back(std::move(s));
  }
  staff_of_window.assign(nw, {});
  for (std::uint32_t s = 0; s < staff.size(); ++s) staff_of_window[staff[s].window].push_back(s);
  // Windows of kind `pickup` that someone staffs serve pickup visits from a queue of their own.
  for (std::uint32_t s = 0; s < staff.size(); ++s)
    if (hall_.windows[staff[s].window].kind == WindowKind::pickup) {
      if (pickup_queue == kNone) {
        pickup_queue = static_cast<std::uint32_t>(queues.size());
        queues.push_back(QueueDef{0, kNone});
      }
      staff[s].queues.insert(staff[s].queues.begin(), pickup_queue);
    }
  queues_of_matter.assign(hall_.matters.size(), {});
  for (std::uint32_t q = 0; q < queues.size(); ++q)
    if (queues[q].matter != kNone) queues_of_matter[queues[q].matter].push_back(q);
  staff_of_queue.assign(queues.size(), {});
  for (std::uint32_t s = 0; s < staff.size(); ++s)
    for (std::uint32_t q : staff[s].queues) staff_of_queue[q].push_back(s);
  for (std::uint32_t m : demand_matters)
    if (queues_of_matter[m].empty())
      throw InputError(InputProblem{hall_.source_file, hall_.matters[m].loc.line, hall_.matters[m].loc.column,
                                    "services." + hall_.matters[m].id,
                                    "the matter has demand but no staffed window serves it"});
}

namespace {
double walk_time(const Leg& l, double v, double v_stair) { return l.level_m / v + l.stair_m / v_stair; }
}  // namespace

void OpsModel::build_journey() {
  const Operations& ops = hall_.operations;
  const std::size_t nm = hall_.matters.size();
  self_share.assign(nm, 0.0);
  self_service.resize(nm);
  backoffice.resize(nm);
  for (const MatterService& s : ops.services) {
    const std::uint32_t m = s.matter.value;
    if (s.self_service) {
      self_share[m] = s.self_service->share;
      self_service[m] = Sampler(s.self_service->service_time);
    }
    if (s.backoffice) {
      BackOfficeDef& b = backoffice[m];
      b.present = true;
      b.share = s.backoffice->share;
      b.pickup_share = s.backoffice->pickup_share;
      b.duration = Sampler(s.backoffice->duration);
      b.pickup_delay = Sampler(s.backoffice->pickup_delay);
      b.pickup_time = Sampler(s.backoffice->pickup_time);
    }
  }
  for (const Device& d : hall_.devices) {
    if (d.kind == DeviceKind::guide_desk) {
      desks.push_back({d.floor, d.position});
      desk_ids.push_back(d.id);
    } else if (d.kind == DeviceKind::self_service_kiosk) {
      kiosks.push_back({d.floor, d.position});
      kiosk_ids.push_back(d.id);
    }
  }
  if (ops.demand.guide_desk && ops.demand.guide_desk->share > 0.0 && !desks.empty()) {
    has_desk = true;
    desk_share = ops.demand.guide_desk->share;
    desk_time = Sampler(ops.demand.guide_desk->service_time);
    staff_per_desk = std::max(1, ops.demand.guide_desk->staff_per_desk);
  }
  for (std::size_t m = 0; m < nm; ++m)
    if (self_share[m] > 0.0 && kiosks.empty()) {
      self_share[m] = 0.0;
      warnings.push_back(
          fmt::format("matter {} allows self-service but the hall has no kiosk: everyone goes to a window",
                      hall_.matters[m].id));
    }
}

void OpsModel::build_places() {
  const Operations& ops = hall_.operations;
  if (!ops.walking.enabled && !ops.walking.seat_limit) return;  // queueing only: no places needed
  routes_ = std::make_unique<HallRoutes>(hall_);
  const std::size_t nf = hall_.floors.size();
  for (const Door& d : hall_.doors)
    if (d.is_entrance()) {
      entrances.push_back(routes_->snap({d.floor, d.opening.midpoint()}));
      entrance_ids.push_back(d.id);
    }
  if (entrances.empty())
    for (const Door& d : hall_.doors)
      if (d.is_safety_exit()) {
        entrances.push_back(routes_->snap({d.floor, d.opening.midpoint()}));
        entrance_ids.push_back(d.id);
      }
  if (entrances.empty()) {
    entrances.push_back(routes_->snap({FloorId{0}, geom::centroid(hall_.floors[0].boundary)}));
    entrance_ids.emplace_back();
    warnings.push_back("the hall has no entrance door: citizens appear at the centre of the first floor");
  }
  for (const Device& d : hall_.devices)
    if (d.kind == DeviceKind::ticket_machine || d.kind == DeviceKind::self_service_kiosk) {
      machines.push_back(routes_->snap({d.floor, d.position}));
      machine_ids.push_back(d.id);
    }
  if (machines.empty()) {
    machines = entrances;
    machine_ids.assign(entrances.size(), "");
    warnings.push_back("the hall has no ticket machine: tickets are taken at the entrance");
  }
  // Where people stand to wait: the middle of the floor's largest waiting zone.
  standing.resize(nf);
  for (std::uint32_t f = 0; f < nf; ++f) {
    const Zone* best = nullptr;
    for (const Zone& z : hall_.zones)
      if (z.floor.value == f && z.type == ZoneType::waiting &&
          (!best || geom::area(z.polygon) > geom::area(best->polygon)))
        best = &z;
    standing[f] =
        routes_->snap({FloorId{f}, geom::centroid(best ? best->polygon : hall_.floors[f].boundary)});
  }
  for (const Seat& s : hall_.seats) seats.push_back(routes_->snap({s.floor, s.position}));
  for (const Window& w : hall_.windows) windows.push_back(routes_->snap({w.floor, w.position}));
  std::vector<FloorPoint> standing_pts = standing;

  const double v = ops.walking.speed_mean_mps, vs = ops.walking.stair_speed_mps;
  const auto e2m = routes_->table(entrances, machines);
  for (std::size_t e = 0; e < entrances.size(); ++e) {
    std::size_t best = 0;
    for (std::size_t m = 1; m < machines.size(); ++m)
      if (walk_time(e2m[e * machines.size() + m], v, vs) < walk_time(e2m[e * machines.size() + best], v, vs))
        best = m;
    machine_of_entrance.push_back(static_cast<std::uint32_t>(best));
    entrance_to_machine.push_back(e2m[e * machines.size() + best]);
  }
  machine_to_seat = routes_->table(machines, seats);
  machine_to_standing = routes_->table(machines, standing_pts);
  seat_to_window = routes_->table(seats, windows);
  standing_to_window = routes_->table(standing_pts, windows);
  window_to_entrance = routes_->table(windows, entrances);
  // Guide desks and kiosks: the nearest one from the entrance (and from the desk).
  auto nearest = [&](const std::vector<FloorPoint>& from, const std::vector<FloorPoint>& to,
                     std::vector<std::uint32_t>& which, std::vector<Leg>& leg) {
    if (to.empty() || from.empty()) return;
    const auto t = routes_->table(from, to);
    for (std::size_t i = 0; i < from.size(); ++i) {
      std::size_t best = 0;
      for (std::size_t j = 1; j < to.size(); ++j)
        if (walk_time(t[i * to.size() + j], v, vs) < walk_time(t[i * to.size() + best], v, vs)) best = j;
      which.push_back(static_cast<std::uint32_t>(best));
      leg.push_back(t[i * to.size() + best]);
    }
  };
  for (auto& d : desks) d = routes_->snap(d);
  for (auto& k : kiosks) k = routes_->snap(k);
  nearest(entrances, desks, desk_of_entrance, entrance_to_desk);
  nearest(desks, machines, machine_of_desk, desk_to_machine);
  nearest(entrances, kiosks, kiosk_of_entrance, entrance_to_kiosk);
  nearest(desks, kiosks, kiosk_of_desk, desk_to_kiosk);
  if (!kiosks.empty()) kiosk_to_entrance = routes_->table(kiosks, entrances);
  standing_to_entrance = routes_->table(standing_pts, entrances);
  seat_to_entrance = routes_->table(seats, entrances);

  // Seats by preference on each floor: the nearest to a ticket machine first
  // (people sit down in the first free seats they come to).
  seat_order.assign(nf, {});
  std::vector<double> rank(seats.size(), 0.0);
  for (std::size_t s = 0; s < seats.size(); ++s) {
    double r = 1e30;
    for (std::size_t m = 0; m < machines.size(); ++m)
      r = std::min(r, walk_time(machine_to_seat[m * seats.size() + s], v, vs));
    rank[s] = r;
    seat_order[seats[s].floor.value].push_back(static_cast<std::uint32_t>(s));
  }
  for (auto& order : seat_order)
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return rank[a] < rank[b]; });

  // A matter's home floor: where most of the windows that serve it are.
  home_floor.assign(hall_.matters.size(), 0);
  for (std::uint32_t m = 0; m < hall_.matters.size(); ++m) {
    std::vector<int> count(nf, 0);
    for (std::uint32_t q : queues_of_matter[m])
      for (std::uint32_t s : staff_of_queue[q]) ++count[hall_.windows[staff[s].window].floor.value];
    home_floor[m] = static_cast<std::uint32_t>(std::max_element(count.begin(), count.end()) - count.begin());
  }
  if (routes_->unreachable_pairs() > 0)
    warnings.push_back(fmt::format(
        "{} walks between entrances, ticket machines, seats and windows have no walkable path; the "
        "straight-line distance is used for them (check doors and stairs)",
        routes_->unreachable_pairs()));
}

}  // namespace halltwin::ops
