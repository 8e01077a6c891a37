#include "tools/halltwin/size_draft.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"

namespace halltwin::cli {

namespace {

std::string q(const std::string& s) { return nlohmann::json(s).dump(); }  // a JSON string is a YAML scalar
std::string num(double v) { return fmt::format("{:.10g}", v); }
std::string pt(Vec2 p) { return fmt::format("[{}, {}]", num(p.x), num(p.y)); }
std::string rect(const size::Rect& r) {
  return fmt::format("[[{0}, {1}], [{2}, {1}], [{2}, {3}], [{0}, {3}]]", num(r.x0), num(r.y0), num(r.x1), num(r.y1));
}
std::string hhmm(double s) {
  const long m = std::lround(s / 60.0);
  return fmt::format("\"{:02}:{:02}\"", m / 60, m % 60);
}
std::string dist(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::exponential:
      return fmt::format("{{dist: exponential, mean_s: {}}}", num(d.mean_s));
    case Distribution::Kind::deterministic:
      return fmt::format("{{dist: deterministic, mean_s: {}}}", num(d.mean_s));
    case Distribution::Kind::lognormal:
      return fmt::format("{{dist: lognormal, mean_s: {}, cv: {}}}", num(d.mean_s), num(d.cv));
    case Distribution::Kind::gamma:
      return fmt::format("{{dist: gamma, mean_s: {}, cv: {}}}", num(d.mean_s), num(d.cv));
    case Distribution::Kind::empirical:
      break;
  }
  return fmt::format("{{dist: exponential, mean_s: {}}}", num(d.mean()));
}

}  // namespace

DraftTargets draft_targets(const SizeProgram& p, const std::vector<size::StaffingTarget>& targets) {
  DraftTargets t;
  bool wait = false;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& x = targets[i];
    const SourceLoc loc = i < p.targets.size() ? p.targets[i].loc : p.targets_loc;
    auto fail = [&](const std::string& why) {
      throw InputError(InputProblem{p.source_file, loc.line, loc.column, fmt::format("targets[{}]", i), why});
    };
    if (x.per_block)
      fail(fmt::format("'{}': a per-block target cannot be a target of the draft hall (the scenario format's "
                       "targets are of the whole day); drop \"per block\" here and size the draft's staffing "
                       "per block with `halltwin size DRAFT.yaml --target`",
                       x.text()));
    switch (x.kpi) {
      case kpi::Kpi::wait_p50_s:
      case kpi::Kpi::wait_p90_s:
        if (wait) fail("a second waiting-time target; expected one (the draft's targets have one wait_s)");
        wait = true;
        t.wait_s = x.limit;
        t.within_target_rate_min = x.kpi == kpi::Kpi::wait_p50_s ? 0.5 : 0.9;
        break;
      case kpi::Kpi::abandon_rate:
        t.abandon_rate_max = x.limit;
        break;
      case kpi::Kpi::max_waiting_standing:
        t.standing_max = x.limit;
        break;
      default:
        fail(fmt::format("'{}' cannot be a target of the draft hall; expected wait_p90_s<=S, wait_p50_s<=S, "
                         "abandon_rate<=R or max_waiting_standing<=N (the scenario format's targets)",
                         x.text()));
    }
  }
  return t;
}

std::string draft_scenario_text(const SizeProgram& p, const size::DraftPlan& d, const DraftTargets& t,
                                const Hall* staffed, const std::vector<std::string>& header) {
  std::string s;
  for (const auto& h : header) s += "# " + h + "\n";
  s += "# yaml-language-server: $schema=../docs/scenario.schema.json\n";
  s += fmt::format("format: {}\n\n", kScenarioFormat);
  const double fresh = std::ceil(d.occupant_load * 30.0 * 1.1 / 100.0) * 100.0;  // 30 m3/h per person + 10%
  s += "hall:\n";
  s += fmt::format("  name: {}\n  level: {}\n  population_served: {}\n", q(p.name + " (draft)"), name(p.level),
                   p.population_served);
  s += fmt::format("  fire_resistance_grade: {}\n  fire_hazard: {}\n  sprinklered: {}\n  indoor_hydrants: {}\n",
                   p.fire_resistance_grade, name(p.fire_hazard), p.sprinklered || d.sprinklered, p.indoor_hydrants);
  s += fmt::format("  fresh_air_m3h: {}        # GB/T 18883: 30 m3/h per person of the occupant load, +10%\n", num(fresh));
  s += fmt::format("  start_date: {}\n\n", p.start_date);

  s += "floors:\n  - id: F1\n    name: \"一层政务服务大厅\"\n    storey: 1\n    height_m: 4.5\n";
  s += fmt::format("    boundary: {}\n", rect(size::Rect{0, 0, d.width_m, d.depth_m}));
  s += "    obstacles:\n";
  for (const auto& o : d.obstacles)
    s += fmt::format("      - {{id: {}, kind: {}, polygon: {}, height_m: {}}}\n", o.id, name(o.kind), rect(o.r),
                     num(o.height_m));
  s += "    doors:\n";
  for (const auto& door : d.doors)
    s += fmt::format("      - {{id: {}, kind: {}, from: {}, to: {}, clear_width_m: {}{}}}\n", door.id, name(door.kind),
                     pt(door.from), pt(door.to), num(door.clear_width_m),
                     door.kind == DoorKind::internal ? "" : ", exit_to: outside");
  s += "    zones:\n";
  for (const auto& z : d.zones)
    s += fmt::format("      - {{id: {}, type: {}, name: {}, polygon: {}}}\n", z.id, name(z.type), q(z.name), rect(z.r));
  auto matter_list = [&](const std::vector<std::size_t>& ms) {
    std::string out = "[";
    for (std::size_t i = 0; i < ms.size(); ++i) out += (i ? ", " : "") + p.matters[ms[i]].id;
    return out + "]";
  };
  s += "    window_rows:\n";
  for (const auto& r : d.rows)
    s += fmt::format("      - {{id: {}, kind: {}, from: {}, to: {}, count: {}, facing: [0, -1], matters: {}}}\n", r.id,
                     name(r.kind), pt(r.from), pt(r.to), r.count, matter_list(r.matters));
  if (!d.seat_rows.empty()) {
    s += "    seat_rows:\n";
    for (const auto& r : d.seat_rows)
      s += fmt::format("      - {{id: {}, from: {}, to: {}, count: {}}}\n", r.id, pt(r.from), pt(r.to), r.count);
  }
  s += "    devices:\n";
  for (const auto& v : d.devices) s += fmt::format("      - {{id: {}, kind: {}, position: {}}}\n", v.id, v.type, pt(v.at));
  s += "    facilities:\n";
  for (const auto& f : d.facilities)
    s += fmt::format("      - {{id: {}, type: {}, position: {}{}}}\n", f.id, f.type, pt(f.at),
                     f.rating.empty() ? "" : ", rating: " + f.rating + ", agent: ABC dry powder");

  s += "\nmatters:\n";
  for (const auto& m : p.matters) {
    s += fmt::format("  - {{id: {}, name: {}", m.id, q(m.name));
    if (!m.department.empty()) s += ", department: " + q(m.department);
    s += "}\n";
  }
  const double total = p.daily_total();
  s += "\nservices:                     # shares of the program's daily volumes\n";
  for (const auto& m : p.matters)
    if (m.daily > 0)
      s += fmt::format("  {}: {{share: {}, service_time: {}}}   # {} a day\n", m.id, num(m.daily / total),
                       dist(m.service_time), num(m.daily));
  s += fmt::format("demand:\n  block_min: {}\n  profile_start: {}\n  weekdays:                   # expected arrivals "
                   "per block from the opening ({} a day, profile {})\n",
                   p.block_min, hhmm(p.open_s), num(total), p.profile);
  std::string blocks;
  for (std::size_t b = 0; b < p.blocks(); ++b)
    blocks += (b ? ", " : "") + fmt::format("{:.4g}", total * p.block_shares[b]);
  for (int w = 0; w < kWeekdays; ++w)
    if (p.days[static_cast<std::size_t>(w)]) s += fmt::format("    {}: [{}]\n", name(Weekday(w)), blocks);
  s += fmt::format("  patience: {{dist: exponential, mean_s: {}}}\n", num(p.assumptions.patience_mean_s.value));

  s += fmt::format("roster:\n  hours: {{open: {}, close: {}, ticket_stop: {}, days: [", hhmm(p.open_s), hhmm(p.close_s),
                   hhmm(p.ticket_stop_s));
  bool first = true;
  for (int w = 0; w < kWeekdays; ++w)
    if (p.days[static_cast<std::size_t>(w)]) {
      s += (first ? "" : ", ") + std::string(name(Weekday(w)));
      first = false;
    }
  s += "]}\n  queues: per_matter\n";
  const auto& rr = p.roster_rules;
  if (rr.given)
    s += fmt::format("  rules: {{max_shift_h: {}, break_after_h: {}, min_break_min: {}, groups_never_close: {}}}\n",
                     num(rr.max_shift_h), num(rr.break_after_h), num(rr.min_break_min),
                     rr.groups_never_close ? "true" : "false");
  if (!staffed) {
    // The placeholder roster (replaced by the sized one) keeps the rules too: the
    // day cut into the fewest near-equal shifts, on block boundaries, that no
    // rule makes too long.
    double piece_h = 24.0;
    for (double h : {rr.max_shift_h, rr.break_after_h})
      if (h > 0) piece_h = std::min(piece_h, h);
    const double block_s = p.block_min * 60.0;
    const int blocks = std::max(1, static_cast<int>(std::ceil((p.close_s - p.open_s) / block_s - 1e-9)));
    const int per_shift = std::max(1, static_cast<int>(std::floor(piece_h * 3600.0 / block_s + 1e-9)));
    const int n = (blocks + per_shift - 1) / per_shift;
    s += "  shifts:\n";
    for (int k = 0; k < n; ++k) {
      const double a = p.open_s + block_s * (blocks * k / n);
      const double b = k + 1 == n ? p.close_s : p.open_s + block_s * (blocks * (k + 1) / n);
      s += fmt::format("    - {{id: {}, start: {}, end: {}}}\n", n == 1 ? std::string("day") : fmt::format("day-{}", k + 1),
                       hhmm(a), hhmm(b));
    }
    s += "  staff:\n";
    for (const auto& r : d.rows)
      for (int k = 0; k < n; ++k)
        s += fmt::format("    - {{id: S{}, shift: {}, windows: [{}]}}\n", n == 1 ? std::string() : std::to_string(k + 1),
                         n == 1 ? std::string("day") : fmt::format("day-{}", k + 1), r.id);
  } else {
    const Roster& ro = staffed->operations.roster;
    s += rr.given ? "  shifts:                     # sized by simulation: each stretch of staffed blocks, cut by the rules\n"
                  : "  shifts:                     # sized by simulation: one shift per stretch of staffed blocks\n";
    for (const Shift& sh : ro.shifts) {
      s += fmt::format("    - {{id: {}, start: {}, end: {}", sh.id, hhmm(sh.span.start_s), hhmm(sh.span.end_s));
      if (!sh.breaks.empty()) {
        s += ", breaks: [";
        for (std::size_t i = 0; i < sh.breaks.size(); ++i)
          s += (i ? ", " : "") +
               fmt::format("{{start: {}, end: {}}}", hhmm(sh.breaks[i].start_s), hhmm(sh.breaks[i].end_s));
        s += "]";
      }
      s += "}\n";
    }
    s += "  staff:\n";
    for (const StaffMember& m : ro.staff) {
      std::string days;
      for (int w = 0; w < kWeekdays; ++w)
        if (m.days[static_cast<std::size_t>(w)]) days += (days.empty() ? "" : ", ") + std::string(name(Weekday(w)));
      s += fmt::format("    - {{id: {}, window: {}, shift: {}, days: [{}]}}\n", m.id, staffed->windows[m.window.value].id,
                       ro.shifts[m.shift].id, days);
    }
  }
  s += fmt::format("targets: {{wait_s: {}", num(t.wait_s));
  if (t.within_target_rate_min) s += fmt::format(", within_target_rate_min: {}", num(*t.within_target_rate_min));
  if (t.abandon_rate_max) s += fmt::format(", abandon_rate_max: {}", num(*t.abandon_rate_max));
  if (t.standing_max) s += fmt::format(", standing_max: {}", num(*t.standing_max));
  s += "}\nwalking: {enabled: true, seat_limit: true}\n";
  return s;
}

}  // namespace halltwin::cli
