#include "model/size_program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "model/yaml_input.hpp"

namespace halltwin {

double SizeProgram::daily_total() const {
  double s = 0.0;
  for (const auto& m : matters) s += m.daily;
  return s;
}

std::vector<std::string> profile_names() { return {"two_peak", "morning_peak", "flat"}; }

std::optional<std::vector<double>> named_profile(const std::string& name, double open_s, double close_s,
                                                 double ticket_stop_s, int block_min) {
  const double len = block_min * 60.0;
  std::vector<double> w;
  for (double t = open_s; t < close_s - 1e-9; t += len) {
    const double mid_h = (t + std::min(len, close_s - t) / 2.0) / 3600.0;
    double x = 0.0;
    // Shapes as bell curves over the time of day (hours); the bundled halls'
    // queue data peak near 10:00 and 15:00 with a lunch dip (docs/size.md).
    if (name == "two_peak")
      x = 0.25 + std::exp(-std::pow((mid_h - 10.0) / 1.2, 2)) + 0.85 * std::exp(-std::pow((mid_h - 15.0) / 1.2, 2));
    else if (name == "morning_peak")
      x = 0.25 + std::exp(-std::pow((mid_h - 10.0) / 1.5, 2)) + 0.35 * std::exp(-std::pow((mid_h - 15.0) / 1.5, 2));
    else if (name == "flat")
      x = 1.0;
    else
      return std::nullopt;
    if (t >= ticket_stop_s - 1e-9) x = 0.0;  // no tickets after the stop
    else if (t + len > ticket_stop_s) x *= (ticket_stop_s - t) / len;
    w.push_back(x);
  }
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  if (sum <= 0.0) return std::nullopt;
  for (double& x : w) x /= sum;
  return w;
}

namespace {

std::optional<double> parse_time(const std::string& s) {
  int h = 0, m = 0, sec = 0;
  char c1 = 0, c2 = 0;
  std::size_t used = 0;
  if (s.size() == 5 && std::sscanf(s.c_str(), "%2d%c%2d", &h, &c1, &m) == 3 && c1 == ':') used = 5;
  else if (s.size() == 8 && std::sscanf(s.c_str(), "%2d%c%2d%c%2d", &h, &c1, &m, &c2, &sec) == 5 && c1 == ':' &&
           c2 == ':')
    used = 8;
  if (!used || m > 59 || sec > 59 || h > 24 || (h == 24 && (m || sec))) return std::nullopt;
  for (char c : s)
    if (!(c == ':' || (c >= '0' && c <= '9'))) return std::nullopt;
  return h * 3600.0 + m * 60.0 + sec;
}

// Ids the draft scenario generates (docs/size.md, "The draft plan"): window
// rows L, A, P, H, R, D<n> and their windows (row + two digits), seat rows
// S<nn>, zones Z<nn>-..., doors D-..., facilities, devices, counters, the floor
// F1, shifts and staff. Scenario ids are unique across a file, so a matter
// may not take one of them.
bool draft_generated_id(const std::string& id) {
  auto digits = [](std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (id == "F1" || id == "day") return true;
  if (id.size() >= 1 && std::string_view("LAPHR").find(id[0]) != std::string_view::npos &&
      (id.size() == 1 || (id.size() == 3 && digits(std::string_view(id).substr(1)))))
    return true;
  if (id.size() >= 2 && id[0] == 'D' && digits(std::string_view(id).substr(1))) return true;
  if (id.size() >= 3 && id[0] == 'S' && digits(std::string_view(id).substr(1, 2)) &&
      (id.size() == 3 || (id[3] == '-' && digits(std::string_view(id).substr(4)))))
    return true;
  if (id.size() >= 2 && id[0] == 'Z' && digits(std::string_view(id).substr(1, 1))) return true;
  for (const char* prefix : {"D-", "FE-", "ES-", "DS-", "EL-", "AED-", "FAK-", "DEV-", "CTR-", "SZ-", "S-", "size-"})
    if (id.rfind(prefix, 0) == 0) return true;
  return false;
}

class ProgramReader {
 public:
  explicit ProgramReader(const std::string& path) : in_(path) { p_.source_file = path; }

  SizeProgram read() {
    const YAML::Node root = in_.load_file();
    if (!in_.expect_map(root, "(top level)")) in_.finish();
    in_.check_keys(root,
                   {"format", "program", "hours", "arrivals", "matters", "targets", "assumptions", "roster_rules"},
                   "(top level)");
    if (auto f = in_.string(root, "format", "format", true); f && *f != kProgramFormat)
      in_.problem(root, "format", "format", fmt::format("'{}' is not supported; expected {}", *f, kProgramFormat));
    read_program(root["program"]);
    read_hours(root["hours"]);
    read_arrivals(root["arrivals"], root);
    read_matters(root["matters"], root);
    read_targets(root["targets"], root);
    read_assumptions(root["assumptions"]);
    read_roster_rules(root["roster_rules"]);
    in_.finish();
    return p_;
  }

 private:
  YamlInput in_;
  SizeProgram p_;

  void read_program(const YAML::Node& n) {
    if (!n) {
      in_.problem(SourceLoc{1, 1}, "program", "missing; expected {name, level, population_served}");
      return;
    }
    if (!in_.expect_map(n, "program")) return;
    in_.check_keys(n,
                   {"name", "level", "population_served", "fire_resistance_grade", "fire_hazard", "sprinklered",
                    "indoor_hydrants", "start_date"},
                   "program");
    if (auto s = in_.string(n, "name", "program", true)) p_.name = *s;
    if (auto l = in_.enumeration<AdminLevel>(n, "level", "program", true)) p_.level = *l;
    if (auto v = in_.integer(n, "population_served", "program", true, 0, 100000000)) p_.population_served = *v;
    if (auto v = in_.integer(n, "fire_resistance_grade", "program", false, 1, 2)) p_.fire_resistance_grade = int(*v);
    if (auto v = in_.enumeration<FireHazard>(n, "fire_hazard", "program", false)) p_.fire_hazard = *v;
    if (auto v = in_.boolean(n, "sprinklered", "program", false)) p_.sprinklered = *v;
    if (auto v = in_.boolean(n, "indoor_hydrants", "program", false)) p_.indoor_hydrants = *v;
    if (auto v = in_.string(n, "start_date", "program", false)) {
      int y = 0, mo = 0, d = 0;
      if (v->size() != 10 || std::sscanf(v->c_str(), "%4d-%2d-%2d", &y, &mo, &d) != 3 || mo < 1 || mo > 12 ||
          d < 1 || d > 31 || (*v)[4] != '-' || (*v)[7] != '-')
        in_.problem(n, "start_date", "program.start_date", "expected a date YYYY-MM-DD");
      else
        p_.start_date = *v;
    }
  }

  std::optional<double> time_field(const YAML::Node& map, const char* key, const std::string& f, bool required) {
    auto s = in_.string(map, key, f, required);
    if (!s) return std::nullopt;
    auto t = parse_time(*s);
    if (!t)
      in_.problem(map[key], f + "." + key,
                  fmt::format("'{}' is not a time of day; expected \"HH:MM\" from 00:00 to 24:00", *s));
    return t;
  }

  void read_hours(const YAML::Node& n) {
    if (!n) {
      in_.problem(SourceLoc{1, 1}, "hours", "missing; expected {open: \"09:00\", close: \"17:00\"}");
      return;
    }
    if (!in_.expect_map(n, "hours")) return;
    in_.check_keys(n, {"open", "close", "ticket_stop", "days"}, "hours");
    auto o = time_field(n, "open", "hours", true);
    auto c = time_field(n, "close", "hours", true);
    auto ts = time_field(n, "ticket_stop", "hours", false);
    if (o && c) {
      if (*o >= *c) in_.problem(n, "close", "hours.close", "must be after hours.open");
      p_.open_s = *o;
      p_.close_s = *c;
      p_.ticket_stop_s = ts ? *ts : *c;
      if (ts && (*ts <= *o || *ts > *c))
        in_.problem(n, "ticket_stop", "hours.ticket_stop", "expected a time after hours.open, at most hours.close");
    }
    if (const YAML::Node d = n["days"]) {
      if (in_.expect_sequence(d, "hours.days")) {
        p_.days.fill(false);
        for (std::size_t i = 0; i < d.size(); ++i) {
          const std::string f = fmt::format("hours.days[{}]", i);
          auto s = in_.string_value(d[i], f);
          if (!s) continue;
          bool found = false;
          for (int w = 0; w < kWeekdays; ++w)
            if (name(static_cast<Weekday>(w)) == *s) p_.days[static_cast<std::size_t>(w)] = found = true;
          if (!found)
            in_.problem(d[i], f, fmt::format("'{}' is not one of: mon, tue, wed, thu, fri, sat, sun", shorten(*s)));
        }
        if (d.size() == 0) in_.problem(d, "hours.days", "empty; expected at least one open weekday");
      }
    }
  }

  void read_arrivals(const YAML::Node& n, const YAML::Node& root) {
    if (!n) {
      in_.problem(root, "arrivals", "missing; expected {block_min: 30, profile: two_peak} or {weights: [...]}");
      return;
    }
    if (!in_.expect_map(n, "arrivals")) return;
    in_.check_keys(n, {"block_min", "profile", "weights"}, "arrivals");
    p_.profile_loc = YamlInput::loc(n);
    if (auto b = in_.integer(n, "block_min", "arrivals", false, 15, 60)) {
      if (*b != 15 && *b != 30 && *b != 60)
        in_.problem(n, "block_min", "arrivals.block_min", "expected 15, 30 or 60");
      else
        p_.block_min = int(*b);
    }
    const double len = p_.block_min * 60.0;
    // Hours already refused (close before open) leave no blocks rather than a negative count.
    const double span_s = std::max(0.0, p_.close_s - p_.open_s);
    const auto blocks = static_cast<std::size_t>(std::ceil(span_s / len - 1e-9));
    const bool has_p = bool(n["profile"]), has_w = bool(n["weights"]);
    if (has_p == has_w) {
      in_.problem(n, "arrivals",
                  fmt::format("expected exactly one of profile ({}) or weights (a list of {} numbers >= 0, one "
                              "per {}-minute block from hours.open)",
                              fmt::join(profile_names(), ", "), blocks, p_.block_min));
      return;
    }
    if (has_p) {
      auto s = in_.string(n, "profile", "arrivals", true);
      if (!s) return;
      p_.profile = *s;
      auto w = named_profile(*s, p_.open_s, p_.close_s, p_.ticket_stop_s, p_.block_min);
      if (!w)
        in_.problem(n, "profile", "arrivals.profile",
                    fmt::format("'{}' is not a named profile; expected one of: {}", shorten(*s),
                                fmt::join(profile_names(), ", ")));
      else
        p_.block_shares = *w;
      return;
    }
    p_.profile = "weights";
    const YAML::Node w = n["weights"];
    if (!in_.expect_sequence(w, "arrivals.weights")) return;
    if (w.size() != blocks) {
      in_.problem(w, "arrivals.weights",
                  fmt::format("{} values; expected {} (one per {}-minute block from hours.open to hours.close)",
                              w.size(), blocks, p_.block_min));
      return;
    }
    std::vector<double> v;
    for (std::size_t i = 0; i < w.size(); ++i) {
      auto x = in_.number_value(w[i], fmt::format("arrivals.weights[{}]", i), 0.0, 1e9);
      v.push_back(x.value_or(0.0));
      if (x && *x > 0 && p_.open_s + i * len >= p_.ticket_stop_s - 1e-9)
        in_.problem(w[i], fmt::format("arrivals.weights[{}]", i), "a block after hours.ticket_stop; expected 0");
    }
    const double sum = std::accumulate(v.begin(), v.end(), 0.0);
    if (sum <= 0.0) {
      in_.problem(w, "arrivals.weights", "all zero; expected some arrivals");
      return;
    }
    for (double& x : v) x /= sum;
    p_.block_shares = v;
  }

  std::optional<Distribution> distribution(const YAML::Node& n, const std::string& f) {
    if (!in_.expect_map(n, f)) return std::nullopt;
    auto kind = in_.string(n, "dist", f, true);
    if (!kind) return std::nullopt;
    Distribution d;
    if (*kind == "exponential" || *kind == "deterministic") {
      in_.check_keys(n, {"dist", "mean_s"}, f);
      d.kind = *kind == "exponential" ? Distribution::Kind::exponential : Distribution::Kind::deterministic;
    } else if (*kind == "lognormal" || *kind == "gamma") {
      in_.check_keys(n, {"dist", "mean_s", "cv"}, f);
      d.kind = *kind == "lognormal" ? Distribution::Kind::lognormal : Distribution::Kind::gamma;
      auto cv = in_.number(n, "cv", f, true, 1e-6, 20.0);
      if (!cv) return std::nullopt;
      d.cv = *cv;
    } else {
      in_.problem(n, "dist", f + ".dist",
                  fmt::format("'{}' is not one of: exponential, deterministic, lognormal, gamma", shorten(*kind)));
      return std::nullopt;
    }
    auto m = in_.number(n, "mean_s", f, true, 1.0, 86400.0);
    if (!m) return std::nullopt;
    d.mean_s = *m;
    return d;
  }

  void read_matters(const YAML::Node& n, const YAML::Node& root) {
    if (!n) {
      in_.problem(root, "matters", "missing; expected a list of {id, name, daily, service_time, window}");
      return;
    }
    if (!in_.expect_sequence(n, "matters")) return;
    if (n.size() == 0) in_.problem(n, "matters", "empty; expected at least one matter");
    std::set<std::string> ids;
    bool comprehensive = false;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node e = n[i];
      const std::string f = fmt::format("matters[{}]", i);
      if (!in_.expect_map(e, f)) continue;
      in_.check_keys(e, {"id", "name", "department", "daily", "service_time", "window"}, f);
      ProgramMatter m;
      m.loc = YamlInput::loc(e);
      if (auto s = in_.string(e, "id", f, true)) {
        m.id = *s;
        bool ok = !s->empty();
        for (char c : *s)
          if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) ok = false;
        if (!ok) in_.problem(e, "id", f + ".id", "expected letters, digits, '-' or '_' (it becomes a scenario id)");
        else if (draft_generated_id(*s))
          in_.problem(e, "id", f + ".id",
                      fmt::format("'{}' is an id the draft hall generates (window rows and windows such as A, A01, "
                                  "D1, D101, seat rows S01, zones Z01-..., doors D-...); expected another id, e.g. M01",
                                  *s));
        if (!ids.insert(*s).second) in_.problem(e, "id", f + ".id", fmt::format("duplicate id '{}'", *s));
      }
      if (auto s = in_.string(e, "name", f, true)) m.name = *s;
      if (auto s = in_.string(e, "department", f, false)) m.department = *s;
      if (auto d = in_.number(e, "daily", f, true, 0.0, 100000.0)) m.daily = *d;
      if (const YAML::Node st = e["service_time"]) {
        if (auto d = distribution(st, f + ".service_time")) m.service_time = *d;
      } else {
        in_.problem(e, f + ".service_time", "missing; expected a distribution such as {dist: lognormal, mean_s: 480, cv: 0.7}");
      }
      if (auto w = in_.enumeration<WindowKind>(e, "window", f, false)) {
        if (*w == WindowKind::accessible_low || *w == WindowKind::consultation)
          in_.problem(e, "window", f + ".window",
                      "expected comprehensive, department, problem_solving, help_desk or pickup (the accessible low "
                      "counter serves the comprehensive matters; consultation windows serve no matter)");
        m.window = *w;
      }
      if (m.window == WindowKind::department && m.department.empty())
        in_.problem(e, f + ".department", "missing; a matter at a department window needs its department");
      if (m.window == WindowKind::comprehensive && m.daily > 0) comprehensive = true;
      p_.matters.push_back(m);
    }
    if (!p_.matters.empty() && !comprehensive)
      in_.problem(n, "matters",
                  "no matter at a comprehensive window with daily > 0; expected at least one (the hall's "
                  "comprehensive windows and its accessible low counter serve them)");
    if (!p_.matters.empty() && p_.daily_total() <= 0.0)
      in_.problem(n, "matters", "every daily volume is 0; expected some demand");
  }

  void read_targets(const YAML::Node& n, const YAML::Node& root) {
    if (!n) {
      in_.problem(root, "targets", "missing; expected a list such as [\"wait_p90_s<=600\", \"abandon_rate<=0.03\"]");
      return;
    }
    p_.targets_loc = YamlInput::loc(n);
    if (!in_.expect_sequence(n, "targets")) return;
    if (n.size() == 0) in_.problem(n, "targets", "empty; expected at least one target");
    for (std::size_t i = 0; i < n.size(); ++i)
      if (auto s = in_.string_value(n[i], fmt::format("targets[{}]", i))) p_.targets.push_back({*s, YamlInput::loc(n[i])});
  }

  void assumption(const YAML::Node& n, const char* key, Assumption& a, double def, double min, double max) {
    a.value = def;
    if (!n || !n[key]) return;
    if (auto v = in_.number(n, key, "assumptions", false, min, max)) {
      a.value = *v;
      a.from_program = true;
      a.loc = YamlInput::loc(n[key]);
    }
  }

  // As the scenario's roster.rules (model/operations_loader.cpp), with the
  // extra demand that a shift can hold: the longest shift at least one block.
  void read_roster_rules(const YAML::Node& n) {
    if (!n) return;
    const std::string f = "roster_rules";
    if (!in_.expect_map(n, f)) return;
    in_.check_keys(n, {"max_shift_h", "min_break_min", "break_after_h", "groups_never_close"}, f);
    auto& r = p_.roster_rules;
    r.given = true;
    const double block_h = p_.block_min / 60.0;
    if (auto v = in_.number(n, "max_shift_h", f, false, 0.0, 24.0)) {
      r.max_shift_h = *v;
      if (*v > 0 && *v + 1e-9 < block_h)
        in_.problem(n, "max_shift_h", f + ".max_shift_h",
                    fmt::format("{:g} h is shorter than one arrival block ({} min): expected 0 (no rule) or at "
                                "least {:g} h",
                                *v, p_.block_min, block_h));
    }
    if (auto v = in_.number(n, "break_after_h", f, false, 0.0, 24.0)) {
      r.break_after_h = *v;
      if (*v > 0 && *v + 1e-9 < block_h)
        in_.problem(n, "break_after_h", f + ".break_after_h",
                    fmt::format("{:g} h is shorter than one arrival block ({} min): expected 0 (no rule) or at "
                                "least {:g} h",
                                *v, p_.block_min, block_h));
    }
    if (auto v = in_.number(n, "min_break_min", f, false, 0.0, 1440.0)) r.min_break_min = *v;
    if (auto v = in_.boolean(n, "groups_never_close", f, false)) r.groups_never_close = *v;
  }

  void read_assumptions(const YAML::Node& n) {
    if (n && !in_.expect_map(n, "assumptions")) return;
    if (n)
      in_.check_keys(n,
                     {"standing_share", "waiting_m2_per_person", "window_width_m", "window_depth_m",
                      "back_office_depth_m", "public_depth_m", "max_windows", "patience_mean_s", "companions",
                      "zone_m2"},
                     "assumptions");
    auto& a = p_.assumptions;
    // Defaults: planning values of halltwin (docs/size.md), no standard gives them.
    static constexpr double kMaxWindows[] = {160, 100, 60, 20, 6};  // province .. village
    assumption(n, "standing_share", a.standing_share, 0.2, 0.0, 0.9);
    assumption(n, "waiting_m2_per_person", a.waiting_m2_per_person, 1.2, 0.5, 5.0);
    assumption(n, "window_width_m", a.window_width_m, 2.2, 1.8, 4.0);
    assumption(n, "window_depth_m", a.window_depth_m, 4.0, 3.0, 8.0);
    assumption(n, "back_office_depth_m", a.back_office_depth_m, 4.0, 3.0, 12.0);
    assumption(n, "public_depth_m", a.public_depth_m, 12.0, 8.0, 20.0);
    assumption(n, "max_windows", a.max_windows, kMaxWindows[static_cast<int>(p_.level)], 2.0, 300.0);
    assumption(n, "patience_mean_s", a.patience_mean_s, 2700.0, 60.0, 86400.0);
    assumption(n, "companions", a.companions, 1.3, 1.0, 4.0);
    if (n && n["max_windows"] && a.max_windows.value != std::floor(a.max_windows.value))
      in_.problem(n, "max_windows", "assumptions.max_windows", "expected a whole number of windows");
    if (n && n["zone_m2"]) {
      const YAML::Node z = n["zone_m2"];
      if (!in_.expect_map(z, "assumptions.zone_m2")) return;
      for (auto it = z.begin(); it != z.end(); ++it) {
        const std::string key = it->first.as<std::string>();
        const std::string f = "assumptions.zone_m2." + key;
        auto t = parse<ZoneType>(key);
        if (!t || *t == ZoneType::window_area || *t == ZoneType::waiting || *t == ZoneType::back_office ||
            *t == ZoneType::corridor) {
          in_.problem(it->first, f,
                      "expected a zone type with a fixed area (window_area, waiting and back_office are derived): "
                      "guidance, self_service, self_service_24h, info_disclosure, help_desk, result_pickup, "
                      "form_filling, mother_baby, accessible_toilet, toilets, convenience, problem_solving, ...");
          continue;
        }
        auto v = in_.number_value(it->second, f, 4.0, 5000.0);
        if (v) a.zone_m2.push_back({*t, Assumption{*v, true, YamlInput::loc(it->second)}});
      }
    }
  }
};

}  // namespace

SizeProgram load_size_program(const std::string& path) { return ProgramReader(path).read(); }

}  // namespace halltwin
