#include "tools/sweep/sweep_plan.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "model/input_error.hpp"
#include "model/yaml_safe_load.hpp"
#include "tools/halltwin/output_file.hpp"

namespace halltwin::sweep {

namespace fs = std::filesystem;

std::string SweepPoint::label() const {
  if (parameters.empty()) return "as designed";
  std::string s;
  for (const auto& [k, v] : parameters) s += (s.empty() ? "" : " ") + std::string(name(k)) + "=" + v;
  return s;
}

namespace {

// A 64-bit mix (splitmix64): the template's draws depend only on its seed and
// the hall's number, not on a library's distribution code.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

InputError problem_at(const SweepSpec& spec, SourceLoc loc, const std::string& field, const std::string& msg) {
  return InputError(InputProblem{spec.file, loc.line, loc.column, field, msg});
}

// Multiplies the demand of a scenario document: every block of every
// weekday profile, or the sinusoid's mean and amplitude.
void scale_demand(YAML::Node doc, double factor) {
  YAML::Node demand = doc["demand"];
  if (!demand || !demand.IsMap()) throw std::runtime_error("the scenario has no demand section to scale");
  if (YAML::Node w = demand["weekdays"]; w && w.IsMap()) {
    for (auto kv : w) {
      YAML::Node list = kv.second;
      if (!list.IsSequence()) continue;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const double v = list[i].as<double>() * factor;
        list[i] = std::round(v * 100.0) / 100.0;
      }
    }
    return;
  }
  if (YAML::Node s = demand["sinusoid"]; s && s.IsMap()) {
    for (const char* k : {"mean_per_h", "amplitude_per_h"})
      if (s[k]) s[k] = s[k].as<double>() * factor;
    return;
  }
  throw std::runtime_error("the scenario's demand has neither weekdays nor sinusoid to scale");
}

// Multiplies a demand program's volumes (matters[].daily, citizens a day).
void scale_program(YAML::Node doc, double factor) {
  YAML::Node matters = doc["matters"];
  if (!matters || !matters.IsSequence()) throw std::runtime_error("the program has no matters list to scale");
  for (std::size_t i = 0; i < matters.size(); ++i) {
    YAML::Node m = matters[i];
    if (!m.IsMap() || !m["daily"]) continue;
    m["daily"] = std::round(m["daily"].as<double>() * factor * 100.0) / 100.0;
  }
}

// A child of a map node, else an undefined node (not yaml-cpp's invalid node
// from reading a missing key of a const node, which throws when read again).
YAML::Node child(const YAML::Node& n, const char* key) {
  if (!n || !n.IsMap() || !n[key]) return YAML::Node(YAML::NodeType::Undefined);
  return n[key];
}

// A window of a scenario document: its id, the row it belongs to (empty for
// a single window) and the matters it serves.
struct DocWindow {
  std::string id, row;
  std::vector<std::string> matters;
};

// The windows of a scenario document in hall order (floors, then windows).
std::vector<DocWindow> windows_of(const YAML::Node& doc) {
  std::vector<DocWindow> out;
  if (const YAML::Node floors = doc["floors"]; floors && floors.IsSequence())
    for (const auto& f : floors) {
      auto matters_of = [](const YAML::Node& w) {
        std::vector<std::string> matters;
        if (const YAML::Node m = w["matters"]; m && m.IsSequence())
          for (const auto& x : m) matters.push_back(x.as<std::string>());
        return matters;
      };
      if (const YAML::Node ws = f["windows"]; ws && ws.IsSequence())
        for (const auto& w : ws)
          if (w["id"]) out.push_back({w["id"].as<std::string>(), "", matters_of(w)});
      // Rows expand to <id>01, <id>02, ... from first_number (docs/scenario-format.md).
      if (const YAML::Node rows = f["window_rows"]; rows && rows.IsSequence())
        for (const auto& r : rows) {
          if (!r["id"] || !r["count"]) continue;
          const std::string row = r["id"].as<std::string>();
          const int first = r["first_number"] ? r["first_number"].as<int>() : 1;
          for (int k = 0; k < r["count"].as<int>(); ++k)
            out.push_back({fmt::format("{}{:02}", row, first + k), row, matters_of(r)});
        }
    }
  return out;
}

// The window group of each window when the roster's rules say groups never
// close (roster.rules.groups_never_close), else empty: the explicit
// window_groups with `queues: per_group`, else one group per window row and
// one per single window; a window in no group is a group of its own
// (docs/scenario-format.md, as the loader forms them).
std::map<std::string, std::string> never_closing_groups(const YAML::Node& doc, const std::vector<DocWindow>& windows) {
  std::map<std::string, std::string> group;
  const YAML::Node roster = child(doc, "roster");
  const YAML::Node rule = child(child(roster, "rules"), "groups_never_close");
  if (!rule || !rule.IsScalar() || rule.Scalar() != "true") return group;
  const YAML::Node queues = child(roster, "queues"), explicit_groups = child(roster, "window_groups");
  if (queues && queues.IsScalar() && queues.Scalar() == "per_group" && explicit_groups && explicit_groups.IsSequence())
    for (const auto& g : explicit_groups) {
      if (!g.IsMap() || !g["id"] || !g["windows"] || !g["windows"].IsSequence()) continue;
      for (const auto& w : g["windows"])
        for (const auto& x : windows)
          if (w.IsScalar() && (x.id == w.Scalar() || x.row == w.Scalar())) group[x.id] = g["id"].Scalar();
    }
  else
    for (const auto& x : windows)
      if (!x.row.empty()) group[x.id] = x.row;
  for (const auto& x : windows) group.emplace(x.id, x.id);
  return group;
}

// The order in which a planner closes staffed windows: from the last in hall
// order, skipping a window whose closing would leave one of its matters
// without any staffed window (a planner closes windows, not services) or,
// with `groups` (never_closing_groups), its window group without one. The
// windows not in the list cannot close; keeping n of the staffed windows
// closes the first (staffed - n) of the list. Each decision depends only on
// the closings before it, so fewer staff always keep a subset of the windows
// more staff keep.
std::vector<std::string> closing_order(const std::vector<DocWindow>& windows, const std::set<std::string>& staffed,
                                       const std::map<std::string, std::string>& groups) {
  std::map<std::string, int> serving;  // matter -> staffed windows serving it
  std::map<std::string, int> open_in_group;
  for (const auto& w : windows)
    if (staffed.count(w.id)) {
      for (const auto& m : w.matters) ++serving[m];
      if (const auto g = groups.find(w.id); g != groups.end()) ++open_in_group[g->second];
    }
  std::vector<std::string> order;
  for (auto it = windows.rbegin(); it != windows.rend(); ++it) {
    if (!staffed.count(it->id)) continue;
    const bool sole = std::any_of(it->matters.begin(), it->matters.end(), [&](const std::string& m) { return serving[m] <= 1; });
    const auto g = groups.find(it->id);
    if (sole || (g != groups.end() && open_in_group[g->second] <= 1)) continue;
    order.push_back(it->id);
    for (const auto& m : it->matters) --serving[m];
    if (g != groups.end()) --open_in_group[g->second];
  }
  return order;
}

// Keeps the roster's staff on `n` of the windows it staffs, closing windows
// in closing_order(). Fails when fewer than n are staffed, or when no more
// can close without leaving a matter unserved.
void keep_staffed_windows(YAML::Node doc, long long n) {
  YAML::Node staff = doc["roster"]["staff"];
  if (!staff || !staff.IsSequence()) throw std::runtime_error("the scenario has no roster.staff to reduce");
  std::set<std::string> staffed;
  for (const auto& s : staff)
    if (const YAML::Node ws = s["windows"]; ws && ws.IsSequence())
      for (const auto& w : ws) staffed.insert(w.as<std::string>());
  if (static_cast<long long>(staffed.size()) < n)
    throw std::runtime_error(fmt::format("staffed_windows {}: the roster staffs only {} windows", n, staffed.size()));
  // No window-group rule here: a group closed for the whole day is allowed
  // (the loader leaves out a group nobody staffs), and its windows may close.
  const std::vector<std::string> order = closing_order(windows_of(doc), staffed, {});
  const std::size_t to_close = staffed.size() - static_cast<std::size_t>(n);
  if (to_close > order.size())
    throw std::runtime_error(fmt::format("staffed_windows {}: only {} of the {} staffed windows can close without "
                                         "leaving a matter unserved",
                                         n, order.size(), staffed.size()));
  std::set<std::string> keep = staffed;
  for (std::size_t i = 0; i < to_close; ++i) keep.erase(order[i]);
  YAML::Node kept(YAML::NodeType::Sequence);
  for (const auto& s : staff) {
    YAML::Node ws = s["windows"];
    if (!ws || !ws.IsSequence()) {
      kept.push_back(s);
      continue;
    }
    YAML::Node left(YAML::NodeType::Sequence);
    left.SetStyle(YAML::EmitterStyle::Flow);
    for (const auto& w : ws)
      if (keep.count(w.as<std::string>())) left.push_back(w);
    if (left.size() == 0) continue;
    YAML::Node copy = YAML::Clone(s);
    copy["windows"] = left;
    kept.push_back(copy);
  }
  doc["roster"]["staff"] = kept;
}

int minutes_of(const std::string& hhmm) { return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2)); }
std::string hhmm_of(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

// roster.hours.close = value; ticket_stop keeps its distance to close.
// A scenario's roster.hours, or a program's hours: the closing time moves,
// ticket_stop keeps its distance to it.
void set_close(YAML::Node doc, const std::string& close, bool program) {
  YAML::Node hours = program ? doc["hours"] : doc["roster"]["hours"];
  if (!hours || !hours.IsMap() || !hours["close"])
    throw std::runtime_error(program ? "the program has no hours.close" : "the scenario has no roster.hours.close");
  const int old_close = minutes_of(hours["close"].as<std::string>());
  const int now = minutes_of(close);
  if (hours["ticket_stop"]) {
    const int stop = minutes_of(hours["ticket_stop"].as<std::string>()) + (now - old_close);
    if (stop < 0) throw std::runtime_error(fmt::format("close {} leaves no time to take a ticket", close));
    hours["ticket_stop"] = hhmm_of(stop);
  }
  hours["close"] = close;
}

// A scenario's roster.hours.open, or a program's hours.open. A later
// opening must leave time before the ticket stop and the closing; the loader
// says the rest (a shift or a demand profile that no longer fits fails the point).
void set_open(YAML::Node doc, const std::string& open, bool program) {
  YAML::Node hours = program ? doc["hours"] : doc["roster"]["hours"];
  if (!hours || !hours.IsMap() || !hours["open"])
    throw std::runtime_error(program ? "the program has no hours.open" : "the scenario has no roster.hours.open");
  const int now = minutes_of(open);
  for (const char* k : {"ticket_stop", "close"})
    if (hours[k] && minutes_of(hours[k].as<std::string>()) <= now)
      throw std::runtime_error(fmt::format("open {} is not before the hours' {} ({})", open, k, hours[k].as<std::string>()));
  hours["open"] = open;
}

bool extended_only(const YAML::Node& member) {
  const YAML::Node e = member["extended_only"];
  return e && e.IsScalar() && e.Scalar() == "true";
}

// The windows the roster's normal-hours staff (all but extended_only) work
// at, as a set of window ids (a row id in `windows` stands for its windows).
std::set<std::string> normally_staffed(const YAML::Node& doc, const std::vector<DocWindow>& windows) {
  std::set<std::string> out;
  const YAML::Node staff = child(child(doc, "roster"), "staff");
  if (!staff || !staff.IsSequence()) return out;
  auto add = [&](const std::string& id) {
    bool row = false;
    for (const auto& w : windows)
      if (w.row == id) {
        out.insert(w.id);
        row = true;
      }
    if (!row) out.insert(id);
  };
  for (const auto& s : staff) {
    if (!s.IsMap() || extended_only(s)) continue;
    if (const YAML::Node w = s["window"]; w && w.IsScalar()) add(w.Scalar());
    if (const YAML::Node ws = s["windows"]; ws && ws.IsSequence())
      for (const auto& w : ws)
        if (w.IsScalar()) add(w.Scalar());
  }
  return out;
}

// roster.hours.open or .close of a scenario document, minutes; -1 when absent or not a time.
int hours_min(const YAML::Node& doc, const char* key) {
  const YAML::Node h = child(child(doc, "roster"), "hours");
  if (!h || !h.IsMap() || !h[key] || !h[key].IsScalar()) return -1;
  const std::string t = h[key].Scalar();
  if (t.size() != 5 || t[2] != ':') return -1;
  try {
    return minutes_of(t);
  } catch (const std::exception&) {
    return -1;
  }
}

// A staff_per_block option's blocks in minutes, `open` and `close` replaced by the hours.
std::vector<std::pair<int, int>> resolved(const std::vector<StaffBlock>& blocks, int open_min, int close_min) {
  std::vector<std::pair<int, int>> out;
  for (const StaffBlock& b : blocks)
    out.emplace_back(b.start_min == StaffBlock::kOpen ? open_min : b.start_min,
                     b.end_min == StaffBlock::kClose ? close_min : b.end_min);
  return out;
}

// Replaces the roster's normal-hours staffing by `blocks`: in each block, the
// first N windows the roster staffs are staffed, closing windows in
// closing_order() (so no matter, and with groups_never_close no window group,
// is left without a window: a group staffed in one block and not in another
// would be refused by the loader; fewer staff keep a subset of the windows
// more staff keep). A window staffed in consecutive
// blocks gets one member per piece of at most the rules' longest shift and
// longest stretch without a break (so no break is needed, as `halltwin size`
// builds its rosters); members work every open weekday and serve the window's
// matters. extended_only members and their shifts stay as they are. The
// blocks were checked against the hours and the windows when the sweep
// expanded (check_staff_blocks); what fails here fails the point.
void staff_by_block(YAML::Node doc, const std::vector<StaffBlock>& blocks) {
  YAML::Node roster = doc["roster"];
  const YAML::Node staff = roster["staff"];
  if (!staff || !staff.IsSequence()) throw std::runtime_error("the scenario has no roster.staff to replace");
  const int open_min = hours_min(doc, "open"), close_min = hours_min(doc, "close");
  if (open_min < 0 || close_min < 0) throw std::runtime_error("the scenario has no roster.hours open and close");
  const auto spans = resolved(blocks, open_min, close_min);
  const std::vector<DocWindow> windows = windows_of(doc);
  const std::set<std::string> staffed = normally_staffed(doc, windows);
  const auto groups = never_closing_groups(doc, windows);
  const std::vector<std::string> order = closing_order(windows, staffed, groups);
  std::vector<std::set<std::string>> open_in(blocks.size());  // per block: the windows staffed
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const std::size_t n = static_cast<std::size_t>(blocks[b].staff);
    if (n > staffed.size() || staffed.size() - n > order.size())
      throw std::runtime_error(fmt::format(
          "staff_per_block {}={}: too few staff; at least {} of the {} windows the roster staffs must stay open "
          "(the last window serving each matter{})",
          blocks[b].text(), n, staffed.size() - order.size(), staffed.size(),
          groups.empty() ? "" : ", and of each window group: roster.rules.groups_never_close"));
    open_in[b] = staffed;
    for (std::size_t i = 0; i < staffed.size() - n; ++i) open_in[b].erase(order[i]);
  }
  // The longest piece a member works without a break (roster.rules; 0 = no rule).
  double piece_h = 24.0;
  if (const YAML::Node rules = roster["rules"]; rules && rules.IsMap())
    for (const char* k : {"max_shift_h", "break_after_h"})
      if (rules[k] && rules[k].IsScalar()) {
        const double v = rules[k].as<double>();
        if (v > 0) piece_h = std::min(piece_h, v);
      }
  const int piece_min = std::max(1, static_cast<int>(std::floor(piece_h * 60.0 + 1e-9)));

  YAML::Node shifts(YAML::NodeType::Sequence), members(YAML::NodeType::Sequence);
  std::set<std::string> shift_ids;
  // Extended-hours members first, with their shifts, unchanged.
  std::set<std::string> kept_shifts;
  for (const auto& s : staff)
    if (s.IsMap() && extended_only(s)) {
      members.push_back(s);
      if (s["shift"] && s["shift"].IsScalar()) kept_shifts.insert(s["shift"].Scalar());
    }
  if (const YAML::Node old = roster["shifts"]; old && old.IsSequence())
    for (const auto& sh : old)
      if (sh.IsMap() && sh["id"] && sh["id"].IsScalar() && kept_shifts.count(sh["id"].Scalar())) {
        shifts.push_back(sh);
        shift_ids.insert(sh["id"].Scalar());
      }
  for (const DocWindow& w : windows) {
    if (!staffed.count(w.id)) continue;
    int piece = 0;
    for (std::size_t b = 0; b < blocks.size();) {
      if (!open_in[b].count(w.id)) {
        ++b;
        continue;
      }
      std::size_t e = b;
      while (e < blocks.size() && open_in[e].count(w.id)) ++e;
      // Blocks b..e-1: the fewest near-equal pieces within the limit, in whole minutes.
      const int from = spans[b].first, len = spans[e - 1].second - from;
      const int pieces = (len + piece_min - 1) / piece_min;
      for (int i = 0; i < pieces; ++i) {
        const int a = from + len * i / pieces, z = from + len * (i + 1) / pieces;
        std::string id = fmt::format("spb-{}-{}", hhmm_of(a), hhmm_of(z));
        id.erase(std::remove(id.begin(), id.end(), ':'), id.end());
        if (shift_ids.insert(id).second) {
          YAML::Node sh(YAML::NodeType::Map);
          sh.SetStyle(YAML::EmitterStyle::Flow);
          sh["id"] = id;
          sh["start"] = hhmm_of(a);
          sh["end"] = hhmm_of(z);
          shifts.push_back(sh);
        }
        YAML::Node m(YAML::NodeType::Map);
        m.SetStyle(YAML::EmitterStyle::Flow);
        m["id"] = fmt::format("SPB-{}-{}", w.id, ++piece);
        m["window"] = w.id;
        m["shift"] = id;
        members.push_back(m);
      }
      b = e;
    }
  }
  roster["shifts"] = shifts;
  roster["staff"] = members;
}

// A staff_per_block option against a hall's hours (the point's open and
// close) and the windows its roster staffs: a block outside the hours, hours
// not covered, or more staff than windows are the sweep file's errors (exit 2,
// nothing run), with its line and the hall. A scenario without roster hours
// is left to staff_by_block (the point fails).
void check_staff_blocks(const SweepSpec& spec, const SweepAxis& axis, std::size_t value, const YAML::Node& hall_doc,
                        const SweepHall& hall, const std::string& open_value, const std::string& close_value) {
  const std::vector<StaffBlock>& blocks = axis.blocks[value];
  const int open_min = open_value.empty() ? hours_min(hall_doc, "open") : minutes_of(open_value);
  const int close_min = close_value.empty() ? hours_min(hall_doc, "close") : minutes_of(close_value);
  if (open_min < 0 || close_min < 0 || blocks.empty()) return;
  const std::string who = fmt::format("{} ({}, {})", hall.id, hall.name, hall.text.empty() ? hall.file : hall.source);
  const std::string closes = close_value.empty() ? "closes" : "closes (grid.close)";
  const std::string opens = open_value.empty() ? "opens" : "opens (grid.open)";
  const auto spans = resolved(blocks, open_min, close_min);
  auto field = [&](const StaffBlock& b) { return fmt::format("grid.staff_per_block[{}].{}", value, b.text()); };
  const StaffBlock& first = blocks.front();
  const StaffBlock& last = blocks.back();
  if (spans.front().first != open_min)
    throw problem_at(spec, first.loc, field(first),
                     fmt::format("'{}' starts at {}, but {} {} at {}: the blocks cover the opening hours, from the "
                                 "opening to the closing (\"open-…\" takes each hall's opening)",
                                 first.text(), hhmm_of(spans.front().first), who, opens, hhmm_of(open_min)));
  if (spans.back().second != close_min)
    throw problem_at(spec, last.loc, field(last),
                     fmt::format("'{}' ends at {}, but {} {} at {}: the blocks cover the opening hours, from the "
                                 "opening to the closing (\"…-close\" takes each hall's closing)",
                                 last.text(), hhmm_of(spans.back().second), who, closes, hhmm_of(close_min)));
  for (std::size_t b = 0; b < blocks.size(); ++b)
    if (spans[b].second <= spans[b].first)
      throw problem_at(spec, blocks[b].loc, field(blocks[b]),
                       fmt::format("'{}' is outside the opening hours of {} ({}-{})", blocks[b].text(), who,
                                   hhmm_of(open_min), hhmm_of(close_min)));
  std::size_t windows = 0;
  try {
    windows = normally_staffed(hall_doc, windows_of(hall_doc)).size();
  } catch (const YAML::Exception&) {
    return;  // a malformed floors or roster section: the loader says what (the point fails)
  }
  for (const StaffBlock& b : blocks)
    if (static_cast<std::size_t>(b.staff) > windows)
      throw problem_at(spec, b.staff_loc, field(b),
                       fmt::format("{} staff on duty, but the roster of {} staffs {} windows (one member of staff "
                                   "per window at a time)",
                                   b.staff, who, windows));
}

std::string emit(const YAML::Node& doc, const std::string& header) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << doc;
  return header + out.c_str() + "\n";
}

std::string scalar_or(const YAML::Node& n, const std::string& fallback) {
  return n && n.IsScalar() ? n.Scalar() : fallback;
}

// The scenario of a point whose parameters change it: the hall's document
// with each axis applied (staff_per_block last: its blocks run to the point's
// close). Throws (std::exception) when the parameters cannot apply. Called
// twice per point, by expand() for its error and by write_plan_files() for its
// text, so that no point's text is held in memory: a province's sweep has
// hundreds of thousands of points.
std::string point_text(const SweepSpec& spec, const YAML::Node& hall_doc, const SweepHall& hall, const SweepPoint& pt) {
  const std::vector<StaffBlock>* staff_blocks = nullptr;
  for (const SweepAxis& a : spec.grid)
    if (a.kind == SweepAxis::Kind::staff_per_block)
      for (const auto& [kind, value] : pt.parameters)
        if (kind == a.kind)
          staff_blocks = &a.blocks[static_cast<std::size_t>(std::find(a.values.begin(), a.values.end(), value) -
                                                            a.values.begin())];
  YAML::Node doc = YAML::Clone(hall_doc);
  for (const auto& [kind, value] : pt.parameters) {
    switch (kind) {
      case SweepAxis::Kind::demand_factor:
        hall.program ? scale_program(doc, std::stod(value)) : scale_demand(doc, std::stod(value));
        break;
      case SweepAxis::Kind::staffed_windows:
        keep_staffed_windows(doc, std::stoll(value));
        break;
      case SweepAxis::Kind::close:
        set_close(doc, value, hall.program);
        break;
      case SweepAxis::Kind::open_:
        set_open(doc, value, hall.program);
        break;
      case SweepAxis::Kind::emergency:
        break;  // chooses the drill, changes no scenario
      case SweepAxis::Kind::staff_per_block:
        break;  // after the others: its blocks run to the point's close
    }
  }
  if (staff_blocks) staff_by_block(doc, *staff_blocks);
  return emit(doc, fmt::format("# Generated by halltwin sweep: {} with {}.\n", hall.file, pt.label()));
}

}  // namespace

SweepPlan expand(const SweepSpec& spec, const std::string& out_dir) {
  SweepPlan plan;
  const fs::path dir(out_dir);
  auto add_hall = [&](SweepHall h) {
    h.id = fmt::format("h{:03}", plan.halls.size() + 1);
    plan.halls.push_back(std::move(h));
  };
  auto read_doc = [&](const std::string& file) {
    try {
      return load_yaml_file(file);
    } catch (const InputError&) {
      throw;
    }
  };
  for (const SweepSource& src : spec.sources) {
    // A scenario's name is hall.name, a program's program.name (and their populations).
    const char* top = src.program ? "program" : "hall";
    const std::string list = src.program ? "programs" : "scenarios";
    switch (src.kind) {
      case SweepSource::Kind::file: {
        const YAML::Node doc = read_doc(src.path);
        add_hall({"", src.path, src.path, scalar_or(doc[top]["name"], src.path), 0.0, "", {}, src.program});
        break;
      }
      case SweepSource::Kind::folder: {
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(src.path))
          if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
        std::sort(files.begin(), files.end());
        if (files.empty())
          throw problem_at(spec, src.loc, list, fmt::format("the folder '{}' holds no *.yaml {}", src.path,
                                                            src.program ? "program" : "scenario"));
        for (const auto& f : files) {
          const YAML::Node doc = read_doc(f);
          add_hall({"", f, f, scalar_or(doc[top]["name"], f), 0.0, "", {}, src.program});
        }
        break;
      }
      case SweepSource::Kind::template_: {
        const YAML::Node base = read_doc(src.path);
        const YAML::Node pop = base[top]["population_served"];
        double base_pop = 0.0;
        try {
          base_pop = pop ? pop.as<double>() : 0.0;
        } catch (const YAML::Exception&) {
        }
        if (!(base_pop > 0))
          throw problem_at(spec, src.loc, list,
                           fmt::format("the template '{}' states no {}.population_served to scale from", src.path, top));
        const int width = static_cast<int>(std::to_string(src.count).size());
        for (int i = 1; i <= src.count; ++i) {
          const double u = static_cast<double>(mix(src.seed * 1000003ull + static_cast<std::uint64_t>(i)) >> 11) *
                           0x1.0p-53;
          const double p = std::round((src.population_min + u * (src.population_max - src.population_min)) / 1000.0) *
                           1000.0;
          YAML::Node doc = YAML::Clone(base);
          std::string name = src.name_pattern;
          name.replace(name.find("{index}"), 7, fmt::format("{:0{}}", i, width));
          doc[top]["name"] = name;
          doc[top]["population_served"] = static_cast<long long>(p);
          try {
            src.program ? scale_program(doc, p / base_pop) : scale_demand(doc, p / base_pop);
          } catch (const std::exception& e) {
            throw problem_at(spec, src.loc, list, fmt::format("template '{}': {}", src.path, e.what()));
          }
          SweepHall h;
          h.program = src.program;
          h.source = src.path;
          h.name = name;
          h.population = p;
          h.file = (dir / "halls" / fmt::format("h{:03}.yaml", plan.halls.size() + 1)).string();
          h.text = emit(doc, fmt::format("# Generated by halltwin sweep from {} (population {:.0f}, demand x{:.4f}).\n",
                                         src.path, p, p / base_pop));
          add_hall(std::move(h));
        }
        break;
      }
    }
  }

  // Points: every hall times the grid's product, axes in the file's order.
  // The emergency axis is expanded per hall (`all` is the hall's plans, and a
  // plan name must be one of the hall's), so the product is per hall too.
  for (std::size_t h = 0; h < plan.halls.size(); ++h) {
    SweepHall& hall = plan.halls[h];
    const YAML::Node hall_doc = hall.text.empty() ? read_doc(hall.file) : YAML::Load(hall.text);
    if (const YAML::Node em = hall_doc["emergencies"]; em && em.IsSequence())
      for (const auto& e : em)
        if (e.IsMap() && e["name"] && e["name"].IsScalar()) hall.plans.push_back(e["name"].Scalar());
    std::vector<std::vector<std::pair<SweepAxis::Kind, std::string>>> combos{{}};
    for (const SweepAxis& a : spec.grid) {
      std::vector<std::string> values;
      if (a.kind == SweepAxis::Kind::emergency) {
        for (std::size_t i = 0; i < a.values.size(); ++i) {
          const std::string& v = a.values[i];
          const SourceLoc at = i < a.value_locs.size() ? a.value_locs[i] : a.loc;
          if (v == "all") {
            for (const auto& p : hall.plans)
              if (std::find(a.values.begin(), a.values.end(), p) == a.values.end() &&
                  std::find(values.begin(), values.end(), p) == values.end())
                values.push_back(p);
          } else if (v == "none" || std::find(hall.plans.begin(), hall.plans.end(), v) != hall.plans.end()) {
            values.push_back(v);
          } else {
            std::string names;
            for (const auto& p : hall.plans) names += (names.empty() ? "" : ", ") + p;
            throw problem_at(spec, at, fmt::format("grid.emergency[{}]", i),
                             fmt::format("'{}' is not an emergency plan of {} ({}, {}); {}", v, hall.id, hall.name,
                                         hall.text.empty() ? hall.file : hall.source,
                                         names.empty() ? "the hall has no emergencies section (docs/drill.md)"
                                                       : "its plans: " + names + " (or none, all)"));
          }
        }
        // `all` on a hall without plans: its points are drilled with none.
        if (values.empty()) values.push_back("none");
      } else {
        values = a.values;
      }
      std::vector<std::vector<std::pair<SweepAxis::Kind, std::string>>> next;
      for (const auto& c : combos)
        for (const std::string& v : values) {
          auto d = c;
          d.emplace_back(a.kind, v);
          next.push_back(std::move(d));
        }
      combos = std::move(next);
    }
    std::map<std::string, std::size_t> scenario_points;  // parameters but the emergency -> first point
    for (std::size_t c = 0; c < combos.size(); ++c) {
      SweepPoint pt;
      pt.hall = h;
      std::string key;
      for (const auto& [kind, value] : combos[c])
        if (kind != SweepAxis::Kind::emergency) key += std::string(name(kind)) + "=" + value + " ";
      pt.twin = scenario_points.emplace(key, plan.points.size()).first->second;
      pt.id = fmt::format("{}-p{:02}", hall.id, c + 1);
      pt.parameters = combos[c];
      pt.file = hall.file;
      bool on_axis = false;
      for (const auto& [kind, value] : pt.parameters)
        if (kind == SweepAxis::Kind::emergency) {
          on_axis = true;
          if (value != "none") pt.drills.push_back(value);
        }
      if (spec.has(SweepCommand::drill) && !on_axis) pt.drills = hall.plans;
      pt.changes = std::any_of(pt.parameters.begin(), pt.parameters.end(),
                               [](const auto& kv) { return kv.first != SweepAxis::Kind::emergency; });
      const bool changes = pt.changes;
      if (changes && pt.twin != plan.points.size()) {
        // The same scenario as its twin's: the same file, the same error.
        pt.file = plan.points[pt.twin].file;
        pt.error = plan.points[pt.twin].error;
      } else if (changes) {
        pt.file = (dir / "points" / (pt.id + ".yaml")).string();
        // staff_per_block: its blocks against this hall's hours (the point's
        // close) and windows; a mismatch is the sweep file's error, not the point's.
        std::string open_value, close_value;
        for (const auto& [kind, value] : pt.parameters)
          if (kind == SweepAxis::Kind::close) close_value = value;
          else if (kind == SweepAxis::Kind::open_) open_value = value;
        for (const SweepAxis& a : spec.grid)
          if (a.kind == SweepAxis::Kind::staff_per_block)
            for (const auto& [kind, value] : pt.parameters)
              if (kind == a.kind) {
                const std::size_t v = static_cast<std::size_t>(
                    std::find(a.values.begin(), a.values.end(), value) - a.values.begin());
                check_staff_blocks(spec, a, v, hall_doc, hall, open_value, close_value);
              }
        try {
          (void)point_text(spec, hall_doc, hall, pt);  // its errors now; the text itself is written later
        } catch (const InputError& e) {
          pt.error = e.what();
        } catch (const std::exception& e) {
          pt.error = e.what();
        }
      }
      plan.points.push_back(std::move(pt));
    }
  }

  // Tasks: per hall, first a task measuring it (check, evac) on its own
  // file, independent of its points (a point whose scenario the loader
  // refuses does not take the hall's verdict with it); then per point, blocks
  // of replications.
  const bool runs = spec.has(SweepCommand::run);
  const bool measures = spec.has(SweepCommand::check) || spec.has(SweepCommand::evac);
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    if (plan.halls[plan.points[p].hall].program) continue;  // a program's one task: size_program, below
    if (measures && (p == 0 || plan.points[p - 1].hall != plan.points[p].hall))
      plan.tasks.push_back(SweepTask{p, 1, 0, true, "", false, false});
    if (!runs || plan.points[p].twin != p) continue;  // a twin's run tasks are its own
    for (int first = 1; first <= spec.replications; first += spec.block)
      plan.tasks.push_back({p, first, std::min(spec.block, spec.replications - first + 1), false, "", false, false});
  }
  // Then, per point, a task per drilled plan and a size task: after every
  // run task, so that adding `drill` or `size` to a sweep keeps the run
  // tasks' numbers (each is its own work, however long: load balancing).
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    for (const auto& d : plan.points[p].drills) {
      SweepTask t;
      t.point = p;
      t.drill = d;
      plan.tasks.push_back(t);
    }
    const bool program = plan.halls[plan.points[p].hall].program;
    if (spec.has(SweepCommand::size) && plan.points[p].twin == p && !program) {
      SweepTask t;
      t.point = p;
      t.size = true;
      plan.tasks.push_back(t);
    }
    if (program && plan.points[p].twin == p) {
      SweepTask t;
      t.point = p;
      t.size_program = true;
      plan.tasks.push_back(t);
    }
  }
  return plan;
}

void write_plan_files(const SweepSpec& spec, const SweepPlan& plan) {
  auto write = [](const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    cli::write_file_atomically(path, text, "--out");
  };
  for (const SweepHall& h : plan.halls)
    if (!h.text.empty()) write(h.file, h.text);
  // A point's changed scenario, generated again one at a time (point_text).
  // Each hall's document is a fresh local: assigning one yaml-cpp node to
  // another merges their memory, which would keep every hall's document alive.
  for (std::size_t p = 0; p < plan.points.size();) {
    const std::size_t h = plan.points[p].hall;
    std::size_t end = p;
    while (end < plan.points.size() && plan.points[end].hall == h) ++end;
    const bool any = std::any_of(plan.points.begin() + static_cast<std::ptrdiff_t>(p),
                                 plan.points.begin() + static_cast<std::ptrdiff_t>(end), [&](const SweepPoint& pt) {
                                   return pt.changes && pt.error.empty() && &pt == &plan.points[pt.twin];
                                 });
    if (any) {
      const SweepHall& hall = plan.halls[h];
      const YAML::Node hall_doc = hall.text.empty() ? load_yaml_file(hall.file) : YAML::Load(hall.text);
      for (std::size_t q = p; q < end; ++q) {
        const SweepPoint& pt = plan.points[q];
        if (pt.changes && pt.twin == q && pt.error.empty()) write(pt.file, point_text(spec, hall_doc, hall, pt));
      }
    }
    p = end;
  }
}

}  // namespace halltwin::sweep
