#include "model/emergencies_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "model/geometry/polygon_ops.hpp"
#include "model/scenario_loader.hpp"
#include "model/text.hpp"

namespace halltwin {

namespace {

constexpr std::array<std::string_view, 7> kKindNames = {"it-failure", "power-failure",  "fire",       "gas-leak",
                                                        "sudden-illness", "epidemic", "crowd-surge"};
constexpr std::array<std::string_view, 19> kPromiseNames = {
    "everyone out",         "out before aset",   "service resumes", "wait p90 during outage",
    "wait mean during outage", "abandoned during outage", "aed within", "first aid within",
    "stretcher out within", "unlit zones", "wait p90", "turned away", "peak occupancy",
    "fresh air per person", "group at target", "peak density lobby", "peak density windows",
    "peak density target", "exit routes clear"};
constexpr std::array<std::string_view, 3> kFallbackNames = {"manual-tickets", "paper-intake", "close"};
// The IT platform's element kinds a plan may name when the scenario has no
// `platform` section: the target is then a label and the outage a generic one.
constexpr std::array<std::string_view, 6> kTargetKinds = {"queue-server",        "extranet",   "lan",
                                                          "provincial-platform", "datacenter", "approval-host"};

template <std::size_t N>
std::string list_of(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto n : names) out += fmt::format("{}'{}'", out.empty() ? "" : ", ", n);
  return out;
}

// "HH:MM" or "HH:MM:SS" -> seconds since 00:00.
std::optional<double> clock_s(const std::string& s) {
  auto two = [&](std::size_t p) -> int {
    if (p + 2 > s.size() || s[p] < '0' || s[p] > '9' || s[p + 1] < '0' || s[p + 1] > '9') return -1;
    return (s[p] - '0') * 10 + (s[p + 1] - '0');
  };
  if ((s.size() != 5 && s.size() != 8) || s[2] != ':') return std::nullopt;
  const int h = two(0), m = two(3), sec = s.size() == 8 ? (s[5] == ':' ? two(6) : -1) : 0;
  if (h < 0 || h > 24 || m < 0 || m > 59 || sec < 0 || sec > 59) return std::nullopt;
  const double t = h * 3600.0 + m * 60.0 + sec;
  if (t > 86400.0) return std::nullopt;
  return t;
}

std::string clock_text(double s) {
  const int t = static_cast<int>(s);
  return fmt::format("{:02}:{:02}", t / 3600, t % 3600 / 60);
}

// Which promises each kind measures (docs/drill.md "Promises").
bool measures(EmergencyKind k, PromiseKind p) {
  switch (k) {
    case EmergencyKind::it_failure:
      return p == PromiseKind::service_resumes || p == PromiseKind::wait_p90_during_outage ||
             p == PromiseKind::wait_mean_during_outage || p == PromiseKind::abandoned_during_outage;
    case EmergencyKind::power_failure:
      return measures(EmergencyKind::it_failure, p) || measures(EmergencyKind::fire, p) ||
             p == PromiseKind::unlit_zones;
    case EmergencyKind::fire:
    case EmergencyKind::gas_leak:
      return p == PromiseKind::everyone_out || p == PromiseKind::out_before_aset;
    case EmergencyKind::sudden_illness:
      return p == PromiseKind::aed_within || p == PromiseKind::first_aid_within ||
             p == PromiseKind::stretcher_out_within;
    case EmergencyKind::epidemic:
      return p == PromiseKind::wait_p90 || p == PromiseKind::turned_away || p == PromiseKind::peak_occupancy ||
             p == PromiseKind::fresh_air_per_person;
    case EmergencyKind::crowd_surge:
      return p == PromiseKind::group_at_target || p == PromiseKind::peak_density_lobby ||
             p == PromiseKind::peak_density_windows || p == PromiseKind::peak_density_target ||
             p == PromiseKind::exit_routes_clear;
  }
  return false;
}

class EmergenciesReader {
 public:
  EmergenciesReader(YamlInput& in, Hall& hall) : in_(in), hall_(hall) {}

  void read(const YAML::Node& n) {
    const std::string f = "emergencies";
    if (!in_.expect_sequence(n, f)) return;
    hall_.emergencies.present = true;
    std::map<std::string, int> names;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node p = n[i];
      std::string fp = fmt::format("{}[{}]", f, i);
      if (!in_.expect_map(p, fp)) continue;
      EmergencyPlan plan;
      plan.line = YamlInput::loc(p).line;
      const auto nm = in_.string(p, "name", fp, true);
      if (nm) {
        fp = fmt::format("{}[{}]", f, shorten(*nm));
        if (auto [it, fresh] = names.emplace(*nm, plan.line); !fresh) {
          in_.problem(p, "name", fp + ".name",
                      fmt::format("duplicate plan name '{}' (first at line {})", shorten(*nm), it->second));
          continue;
        }
        plan.name = *nm;
      }
      const auto kind_s = in_.string(p, "kind", fp, true);
      if (!nm || !kind_s) continue;
      const auto k = std::find(kKindNames.begin(), kKindNames.end(), *kind_s);
      if (k == kKindNames.end()) {
        in_.problem(p, "kind", fp + ".kind",
                    fmt::format("'{}' is not an emergency kind; expected one of {}", shorten(*kind_s),
                                list_of(kKindNames)));
        continue;
      }
      plan.kind = static_cast<EmergencyKind>(k - kKindNames.begin());
      read_plan(p, fp, plan);
      hall_.emergencies.plans.push_back(std::move(plan));
    }
  }

 private:
  void read_plan(const YAML::Node& p, const std::string& fp, EmergencyPlan& plan) {
    const bool outage = plan.kind == EmergencyKind::it_failure || plan.kind == EmergencyKind::power_failure;
    const bool evacuates = plan.kind == EmergencyKind::fire || plan.kind == EmergencyKind::gas_leak ||
                           plan.kind == EmergencyKind::power_failure;
    switch (plan.kind) {
      case EmergencyKind::it_failure:
        in_.check_keys(p, {"name", "kind", "at", "target", "duration_min", "fallback", "windows", "promises"},
                       fp);
        break;
      case EmergencyKind::power_failure:
        in_.check_keys(p,
                       {"name", "kind", "at", "duration_min", "fallback", "windows", "speed_factor",
                        "evacuation", "promises"},
                       fp);
        break;
      case EmergencyKind::fire:
      case EmergencyKind::gas_leak:
        in_.check_keys(p, {"name", "kind", "at", "evacuation", "promises"}, fp);
        break;
      case EmergencyKind::sudden_illness:
        in_.check_keys(p, {"name", "kind", "staff_speed_mps", "stretcher_speed_mps", "promises"}, fp);
        break;
      case EmergencyKind::epidemic:
        in_.check_keys(p, {"name", "kind", "occupancy_cap", "appointment_only", "seat_spacing_m", "promises"}, fp);
        break;
      case EmergencyKind::crowd_surge:
        in_.check_keys(p,
                       {"name", "kind", "at", "group_size", "door", "target", "arrival_spread_s", "duration_s",
                        "lobby", "clear_exits", "promises"},
                       fp);
        break;
    }
    if (const YAML::Node a = p["at"]) {
      plan.at_line = YamlInput::loc(a).line;
      if (auto s = in_.string_value(a, fp + ".at")) {
        plan.at_s = clock_s(*s);
        if (!plan.at_s)
          in_.problem(a, fp + ".at",
                      fmt::format("'{}' is not a time of day; expected \"HH:MM\" from 00:00 to 24:00", shorten(*s)));
      }
    } else if (outage) {
      in_.problem(p, fp + ".at", "missing; expected the time the outage starts, \"HH:MM\"");
    }
    if (outage) read_outage(p, fp, plan);
    if (evacuates) read_evacuation_refs(p, fp, plan);
    if (plan.kind == EmergencyKind::power_failure)
      plan.speed_factor = in_.number(p, "speed_factor", fp, false, 0.1, 1.0).value_or(0.7);
    if (plan.kind == EmergencyKind::sudden_illness) {
      plan.staff_speed_mps = in_.number(p, "staff_speed_mps", fp, false, 0.1, 10.0).value_or(1.5);
      plan.stretcher_speed_mps = in_.number(p, "stretcher_speed_mps", fp, false, 0.1, 10.0).value_or(1.0);
    }
    if (plan.kind == EmergencyKind::epidemic) {
      if (!hall_.operations.present)
        in_.problem(p, fp, "an epidemic drill needs the hall's operations (services, demand, roster: format 2)");
      plan.occupancy_cap = static_cast<int>(in_.integer(p, "occupancy_cap", fp, false, 1, 100000).value_or(0));
      plan.appointment_only = in_.boolean(p, "appointment_only", fp, false).value_or(false);
      plan.seat_spacing_m = in_.number(p, "seat_spacing_m", fp, false, 0.0, 10.0).value_or(0.0);
      if (plan.appointment_only && hall_.operations.present && !hall_.operations.demand.appointments)
        in_.problem(p, "appointment_only", fp + ".appointment_only",
                    "the hall's demand has no appointments: admitting only appointment holders would admit nobody");
    }
    if (plan.kind == EmergencyKind::crowd_surge) read_surge(p, fp, plan);
    read_promises(p, fp, plan);
  }

  // crowd-surge: the group, its door and target, the zones measured, the exits kept clear.
  void read_surge(const YAML::Node& p, const std::string& fp, EmergencyPlan& plan) {
    if (auto n = in_.integer(p, "group_size", fp, true, 1, 10000)) plan.group_size = static_cast<int>(*n);
    plan.arrival_spread_s = in_.number(p, "arrival_spread_s", fp, false, 0.0, 3600.0).value_or(0.0);
    plan.duration_s = in_.number(p, "duration_s", fp, false, 10.0, 3600.0).value_or(180.0);
    if (plan.at_s && !hall_.operations.present)
      in_.problem(p, "at", fp + ".at",
                  "the people in the hall at a time come from the hall's operations (services, demand, roster: "
                  "format 2); without them leave `at` out (the group alone)");
    const Door* door = nullptr;
    if (auto id = in_.string(p, "door", fp, true)) {
      for (const auto& d : hall_.doors)
        if (d.id == *id) door = &d;
      if (!door) {
        in_.problem(p, "door", fp + ".door", fmt::format("'{}' is not a door id", shorten(*id)));
      } else if (geom::distance_to_boundary(hall_.floor(door->floor).boundary, door->opening.midpoint()) > 0.06) {
        in_.problem(p, "door", fp + ".door",
                    fmt::format("door '{}' is not in the outer wall of floor {}: expected a door the group comes in "
                                "by from outside",
                                *id, hall_.floor(door->floor).id));
        door = nullptr;
      } else {
        plan.door = *id;
      }
    }
    if (auto t = in_.string(p, "target", fp, true)) {
      const Zone* zone = nullptr;
      for (const auto& z : hall_.zones)
        if (z.id == *t) zone = &z;
      const bool window = std::any_of(hall_.windows.begin(), hall_.windows.end(), [&](const Window& w) {
        return (w.id == *t || w.row == *t) && (!door || w.floor == door->floor);
      });
      if (!zone && !window)
        in_.problem(p, "target", fp + ".target",
                    fmt::format("'{}' is not a zone id, window id or window row{}", shorten(*t),
                                door ? " of floor " + hall_.floor(door->floor).id : std::string()));
      else if (zone && door && zone->floor != door->floor)
        in_.problem(p, "target", fp + ".target",
                    fmt::format("zone '{}' is on floor {}, door {} on floor {}: the group walks on one floor", *t,
                                hall_.floor(zone->floor).id, door->id, hall_.floor(door->floor).id));
      else
        plan.target = *t;
    }
    if (!door) return;
    const FloorId floor = door->floor;
    // The lobby: the zone named, else the zone the door opens into (1 m inside its middle).
    if (auto id = in_.string(p, "lobby", fp, false)) {
      const bool known = std::any_of(hall_.zones.begin(), hall_.zones.end(),
                                     [&](const Zone& z) { return z.id == *id && z.floor == floor; });
      if (!known)
        in_.problem(p, "lobby", fp + ".lobby",
                    fmt::format("'{}' is not a zone of floor {}", shorten(*id), hall_.floor(floor).id));
      else
        plan.lobby = *id;
    } else {
      const Segment& o = door->opening;
      const double len = o.length();
      const Vec2 n{(o.b.y - o.a.y) / len, -(o.b.x - o.a.x) / len};
      const Polygon& boundary = hall_.floor(floor).boundary;
      const Vec2 in = geom::contains(boundary, o.midpoint() + 1.0 * n) ? o.midpoint() + 1.0 * n
                                                                        : o.midpoint() - 1.0 * n;
      for (const auto& z : hall_.zones)
        if (z.floor == floor && geom::contains(z.polygon, in)) plan.lobby = z.id;
    }
    if (const YAML::Node l = p["clear_exits"]; l && in_.expect_sequence(l, fp + ".clear_exits")) {
      for (std::size_t i = 0; i < l.size(); ++i) {
        const std::string fi = fmt::format("{}.clear_exits[{}]", fp, i);
        auto id = in_.string_value(l[i], fi);
        if (!id) continue;
        const bool exit = std::any_of(hall_.doors.begin(), hall_.doors.end(), [&](const Door& d) {
          return d.id == *id && d.floor == floor && d.is_safety_exit();
        });
        if (!exit)
          in_.problem(l[i], fi,
                      fmt::format("'{}' is not a safety exit of floor {}", shorten(*id), hall_.floor(floor).id));
        else
          plan.clear_exits.push_back(*id);
      }
    } else if (!l) {
      for (const auto& d : hall_.doors)
        if (d.floor == floor && d.is_safety_exit()) plan.clear_exits.push_back(d.id);
    }
  }

  void read_outage(const YAML::Node& p, const std::string& fp, EmergencyPlan& plan) {
    bool queue_server = false;  // the target is the queue server: tickets by hand by default
    if (plan.kind == EmergencyKind::it_failure) {
      if (auto t = in_.string(p, "target", fp, true)) {
        if (hall_.platform.present) {
          // An element of the platform section, by id or by kind (the first
          // of that kind), as a transaction's `to` names one.
          if (const PlatformElement* e = find_platform_element(hall_.platform, *t)) {
            plan.target = *t;
            queue_server = e->kind == PlatformKind::queue_server;
          } else {
            std::string ids, kinds;
            for (const auto& x : hall_.platform.elements) {
              ids += fmt::format("{}'{}'", ids.empty() ? "" : ", ", x.id);
              const std::string k = fmt::format("'{}'", platform_kind_name(x.kind));
              if (kinds.find(k) == std::string::npos) kinds += (kinds.empty() ? "" : ", ") + k;
            }
            in_.problem(p, "target", fp + ".target",
                        fmt::format("'{}' is not an element of the platform section; expected an element id ({}) "
                                    "or kind ({})",
                                    shorten(*t), ids, kinds));
          }
        } else if (std::find(kTargetKinds.begin(), kTargetKinds.end(), *t) == kTargetKinds.end()) {
          // Without a platform section only the element kinds name a target (a label).
          in_.problem(p, "target", fp + ".target",
                      fmt::format("'{}' is not an IT platform element; expected one of {}", shorten(*t),
                                  list_of(kTargetKinds)));
        } else {
          plan.target = *t;
          queue_server = *t == "queue-server";
        }
      }
    } else {
      plan.target = "power";
    }
    const auto dur = in_.number(p, "duration_min", fp, true, 1.0, 24 * 60.0);
    if (dur) plan.duration_min = *dur;
    // The default fallback: a queue server down means tickets by hand; any
    // other outage closes the windows (nothing can be processed).
    plan.fallback = queue_server ? FallbackMode::manual_tickets : FallbackMode::close;
    if (const YAML::Node fb = p["fallback"]; fb && in_.expect_map(fb, fp + ".fallback")) {
      const std::string ff = fp + ".fallback";
      in_.check_keys(fb, {"mode", "service_factor", "call_overhead_s"}, ff);
      if (auto m = in_.string(fb, "mode", ff, true)) {
        const auto it = std::find(kFallbackNames.begin(), kFallbackNames.end(), *m);
        if (it == kFallbackNames.end())
          in_.problem(fb, "mode", ff + ".mode",
                      fmt::format("'{}' is not a fallback; expected one of {}", shorten(*m), list_of(kFallbackNames)));
        else
          plan.fallback = static_cast<FallbackMode>(it - kFallbackNames.begin());
      }
      if (plan.fallback == FallbackMode::close && (fb["service_factor"] || fb["call_overhead_s"]))
        in_.problem(fb, ff, "a closed window serves nobody: service_factor and call_overhead_s do not apply");
      plan.service_factor = in_.number(fb, "service_factor", ff, false, 1.0, 10.0)
                                .value_or(plan.fallback == FallbackMode::paper_intake ? 1.5 : 1.0);
      plan.call_overhead_s = in_.number(fb, "call_overhead_s", ff, false, 0.0, 3600.0)
                                 .value_or(plan.fallback == FallbackMode::manual_tickets ? 30.0 : 0.0);
    } else if (!p["fallback"]) {
      plan.service_factor = 1.0;
      plan.call_overhead_s = plan.fallback == FallbackMode::manual_tickets ? 30.0 : 0.0;
    }
    if (const YAML::Node w = p["windows"]; w && in_.expect_sequence(w, fp + ".windows")) {
      for (std::size_t i = 0; i < w.size(); ++i) {
        const std::string fw = fmt::format("{}.windows[{}]", fp, i);
        auto id = in_.string_value(w[i], fw);
        if (!id) continue;
        const bool known = std::any_of(hall_.windows.begin(), hall_.windows.end(),
                                       [&](const Window& x) { return x.id == *id || x.row == *id; });
        if (!known)
          in_.problem(w[i], fw, fmt::format("'{}' is not a window id or window row", shorten(*id)));
        else
          plan.windows.push_back(*id);
      }
    }
    // The outage lies within the opening hours of an ordinary day.
    if (!hall_.operations.present) {
      in_.problem(p, fp, "an outage needs the hall's operations (services, demand, roster: format 2)");
      return;
    }
    const double open = hall_.operations.roster.open_s, close = hall_.operations.roster.close_s;
    if (plan.at_s && (*plan.at_s < open || *plan.at_s >= close))
      in_.problem(p, "at", fp + ".at",
                  fmt::format("the outage starts at {}, outside the opening hours {} to {}", clock_text(*plan.at_s),
                              clock_text(open), clock_text(close)));
    else if (plan.at_s && dur && *plan.at_s + *dur * 60.0 > close)
      in_.problem(p, "duration_min", fp + ".duration_min",
                  fmt::format("the outage from {} for {:g} min ends at {}, after closing ({})", clock_text(*plan.at_s),
                              *dur, clock_text(*plan.at_s + *dur * 60.0), clock_text(close)));
  }

  void read_evacuation_refs(const YAML::Node& p, const std::string& fp, EmergencyPlan& plan) {
    const YAML::Node e = p["evacuation"];
    if (!e) return;  // the evacuation section as it is
    const std::string fe = fp + ".evacuation";
    if (e.IsScalar()) {
      if (e.Scalar() != "all")
        in_.problem(e, fe,
                    "expected 'all' (the evacuation section's closures) or {blocked: [DOOR...], hazards: [ZONE...]}");
      return;
    }
    if (!in_.expect_map(e, fe)) return;
    in_.check_keys(e, {"blocked", "hazards"}, fe);
    plan.all_closures = false;
    auto ids = [&](const char* key, auto&& known, std::vector<std::string>& out, const char* what) {
      const YAML::Node l = e[key];
      if (!l || !in_.expect_sequence(l, fe + "." + key)) return;
      for (std::size_t i = 0; i < l.size(); ++i) {
        const std::string fi = fmt::format("{}.{}[{}]", fe, key, i);
        auto id = in_.string_value(l[i], fi);
        if (!id) continue;
        if (!known(*id))
          in_.problem(l[i], fi,
                      fmt::format("'{}' is not {} of the evacuation section (the plan refers to the section's "
                                  "entries; define it there)",
                                  shorten(*id), what));
        else
          out.push_back(*id);
      }
    };
    const Evacuation& ev = hall_.evacuation;
    ids(
        "blocked",
        [&](const std::string& id) {
          return std::any_of(ev.blocked.begin(), ev.blocked.end(), [&](const EvacBlocked& b) { return b.door == id; });
        },
        plan.blocked, "a blocked door");
    ids(
        "hazards",
        [&](const std::string& id) {
          return std::any_of(ev.hazards.begin(), ev.hazards.end(), [&](const EvacHazard& h) { return h.zone == id; });
        },
        plan.hazards, "a hazard zone");
  }

  void read_promises(const YAML::Node& p, const std::string& fp, EmergencyPlan& plan) {
    const YAML::Node l = p["promises"];
    if (!l) {
      in_.problem(p, fp + ".promises", "missing; expected a list of promises ({promise: ..., within_min: N})");
      return;
    }
    if (!in_.expect_sequence(l, fp + ".promises")) return;
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::string fi = fmt::format("{}.promises[{}]", fp, i);
      if (!in_.expect_map(l[i], fi)) continue;
      auto text = in_.string(l[i], "promise", fi, true);
      if (!text) continue;
      const auto it = std::find(kPromiseNames.begin(), kPromiseNames.end(), *text);
      if (it == kPromiseNames.end()) {
        in_.problem(l[i]["promise"], fi + ".promise",
                    fmt::format("'{}' is not a promise the drill measures; expected one of {}", shorten(*text),
                                list_of(kPromiseNames)));
        continue;
      }
      EmergencyPromise pr;
      pr.kind = static_cast<PromiseKind>(it - kPromiseNames.begin());
      pr.text = *text;
      pr.line = YamlInput::loc(l[i]).line;
      if (!measures(plan.kind, pr.kind)) {
        in_.problem(l[i]["promise"], fi + ".promise",
                    fmt::format("a {} drill does not measure '{}'", name(plan.kind), *text));
        continue;
      }
      const bool count = pr.kind == PromiseKind::abandoned_during_outage || pr.kind == PromiseKind::unlit_zones ||
                         pr.kind == PromiseKind::turned_away || pr.kind == PromiseKind::peak_occupancy;
      if (pr.kind == PromiseKind::out_before_aset) {
        in_.check_keys(l[i], {"promise"}, fi);
        if (!hall_.evacuation.aset_s)
          in_.problem(l[i], fi, "'out before aset' needs evacuation.aset_s in the evacuation section");
        pr.unit = "s";
      } else if (pr.kind == PromiseKind::fresh_air_per_person) {
        in_.check_keys(l[i], {"promise", "at_least"}, fi);
        auto v = in_.number(l[i], "at_least", fi, true, 0.0, 1e6);
        if (!v) continue;
        pr.limit = *v;
        pr.unit = "m3/h per person";
        pr.at_least = true;
      } else if (pr.kind == PromiseKind::peak_density_lobby || pr.kind == PromiseKind::peak_density_windows ||
                 pr.kind == PromiseKind::peak_density_target || pr.kind == PromiseKind::exit_routes_clear) {
        in_.check_keys(l[i], {"promise", "at_most_ppm2"}, fi);
        auto v = in_.number(l[i], "at_most_ppm2", fi, true, 0.0, 20.0);
        if (!v) continue;
        pr.limit = *v;
        pr.unit = "persons/m2";
        if (pr.kind == PromiseKind::peak_density_lobby && plan.lobby.empty() && !plan.door.empty())
          in_.problem(l[i], fi,
                      fmt::format("door {} opens into no zone: name the lobby measured (`lobby: ZONE`)", plan.door));
        if (pr.kind == PromiseKind::peak_density_windows && !plan.door.empty()) {
          const Door* d = nullptr;
          for (const auto& x : hall_.doors)
            if (x.id == plan.door) d = &x;
          const bool any = d && std::any_of(hall_.zones.begin(), hall_.zones.end(), [&](const Zone& z) {
                             return z.type == ZoneType::window_area && z.floor == d->floor;
                           });
          if (!any) in_.problem(l[i], fi, "the door's floor has no window_area zone to measure");
        }
        if (pr.kind == PromiseKind::exit_routes_clear && plan.clear_exits.empty() && !plan.door.empty())
          in_.problem(l[i], fi, "the door's floor has no safety exit to keep clear");
      } else if (count) {
        in_.check_keys(l[i], {"promise", "at_most"}, fi);
        auto v = in_.number(l[i], "at_most", fi, true, 0.0, 1e7);
        if (!v) continue;
        pr.limit = *v;
        pr.unit = pr.kind == PromiseKind::unlit_zones ? "zones" : "persons";
      } else {
        in_.check_keys(l[i], {"promise", "within_min", "at_most_min"}, fi);
        const char* key = l[i]["at_most_min"] ? "at_most_min" : "within_min";
        auto v = in_.number(l[i], key, fi, true, 0.0, 24 * 60.0);
        if (!v) continue;
        pr.limit = *v;
        pr.unit = "min";
      }
      plan.promises.push_back(pr);
    }
    if (plan.promises.empty() && l.size() == 0)
      in_.problem(l, fp + ".promises", "expected at least one promise: a drill checks what the plan promises");
  }

  YamlInput& in_;
  Hall& hall_;
};

}  // namespace

std::string_view name(EmergencyKind k) { return kKindNames[static_cast<std::size_t>(k)]; }
std::string_view name(PromiseKind k) { return kPromiseNames[static_cast<std::size_t>(k)]; }
std::string_view name(FallbackMode m) { return kFallbackNames[static_cast<std::size_t>(m)]; }

void read_emergencies(YamlInput& in, const YAML::Node& node, Hall& hall, int version) {
  if (version < kEmergenciesFormatVersion) {
    in.problem(node, "emergencies",
               fmt::format("section 'emergencies' needs format: halltwin-scenario/{} (this file says {}); before "
                           "it the section is reserved and must be empty ({{}}) or absent",
                           kEmergenciesFormatVersion, hall.format));
    return;
  }
  EmergenciesReader(in, hall).read(node);
}

}  // namespace halltwin
