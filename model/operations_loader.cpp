#include "model/operations_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin {

namespace {

constexpr double kDay_s = 86400.0;
// Shares are typed with a few decimals; anything closer to 1 than this is 1.
constexpr double kShareTolerance = 1e-6;

constexpr std::string_view kWeekdayKeys = "mon, tue, wed, thu, fri, sat, sun";

std::optional<Weekday> parse_weekday(std::string_view s) {
  for (int d = 0; d < kWeekdays; ++d)
    if (name(static_cast<Weekday>(d)) == s) return static_cast<Weekday>(d);
  return std::nullopt;
}

// "HH:MM" or "HH:MM:SS" -> seconds since 00:00; 00:00 to 24:00.
std::optional<double> parse_time_of_day(std::string_view s) {
  auto digits = [&](std::size_t pos, std::size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int h = 0, m = 0, sec = 0;
  if (!digits(0, 2, &h) || s.size() < 5 || s[2] != ':' || !digits(3, 2, &m)) return std::nullopt;
  if (s.size() == 8) {
    if (s[5] != ':' || !digits(6, 2, &sec)) return std::nullopt;
  } else if (s.size() != 5) {
    return std::nullopt;
  }
  if (m >= 60 || sec >= 60) return std::nullopt;
  const double t = h * 3600.0 + m * 60.0 + sec;
  if (t > kDay_s) return std::nullopt;
  return t;
}

// The weekday of a valid YYYY-MM-DD date.
Weekday weekday_of(std::string_view date) {
  auto num = [&](std::size_t from, std::size_t len) {
    int v = 0;
    for (std::size_t i = from; i < from + len; ++i) v = v * 10 + (date[i] - '0');
    return v;
  };
  const std::chrono::year_month_day ymd{std::chrono::year{num(0, 4)},
                                        std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                        std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  const unsigned iso = std::chrono::weekday{std::chrono::sys_days{ymd}}.iso_encoding();  // mon = 1
  return static_cast<Weekday>(iso - 1);
}

constexpr CallingPolicy kCallingPolicies[] = {CallingPolicy::fifo, CallingPolicy::priority,
                                              CallingPolicy::longest_wait, CallingPolicy::appointments_first};
constexpr std::string_view kCallingPolicyKeys = "fifo, priority, longest_wait, appointments_first";

std::optional<CallingPolicy> parse_calling_policy(std::string_view s) {
  for (CallingPolicy p : kCallingPolicies)
    if (name(p) == s) return p;
  return std::nullopt;
}

std::string hhmm(double t_s) {
  const int t = static_cast<int>(std::lround(t_s));
  if (t % 60 != 0) return fmt::format("{:02d}:{:02d}:{:02d}", t / 3600, t / 60 % 60, t % 60);
  return fmt::format("{:02d}:{:02d}", t / 3600, t / 60 % 60);
}

bool is_empty_section(const YAML::Node& n) {
  return n.IsNull() || ((n.IsMap() || n.IsSequence()) && n.size() == 0);
}

class OperationsReader {
 public:
  OperationsReader(YamlInput& in, const YAML::Node& root, Hall& hall, int version)
      : in_(in), root_(root), hall_(hall), version_(version) {
    for (std::size_t i = 0; i < hall_.matters.size(); ++i)
      matter_index_[hall_.matters[i].id] = MatterId{static_cast<std::uint32_t>(i)};
    for (std::size_t i = 0; i < hall_.windows.size(); ++i) {
      const WindowId w{static_cast<std::uint32_t>(i)};
      window_index_[hall_.windows[i].id] = w;
      if (!hall_.windows[i].row.empty()) row_windows_[hall_.windows[i].row].push_back(w);
    }
  }

  void read() {
    const char* core[] = {"services", "demand", "roster"};
    bool any = false;
    for (const char* key : core)
      if (root_[key] && !is_empty_section(root_[key])) any = true;
    if (any) {
      // The three describe one working hall together: a demand without a
      // roster (or the reverse) cannot be simulated.
      for (const char* key : core)
        if (!root_[key] || is_empty_section(root_[key]))
          in_.problem(
              root_[key] ? root_[key] : root_, key,
              fmt::format("missing; 'services', 'demand' and 'roster' go together and '{}' is not given",
                          key));
    }
    Operations& ops = hall_.operations;
    ops.present = any;
    if (any) {
      if (root_["services"] && !is_empty_section(root_["services"])) read_services(root_["services"]);
      if (root_["roster"] && !is_empty_section(root_["roster"])) read_roster(root_["roster"]);
      if (root_["demand"] && !is_empty_section(root_["demand"])) read_demand(root_["demand"]);
      check_coverage();
      warn_unstaffed_windows();
      warn_idle_groups();
      warn_calling_policies();
    }
    if (const YAML::Node t = root_["targets"]; t && !t.IsNull()) read_targets(t);
    if (const YAML::Node w = root_["walking"]; w && !w.IsNull()) read_walking(w);
  }

 private:
  void warn(const YAML::Node& at, const std::string& field, const std::string& message) {
    warn(YamlInput::loc(at), field, message);
  }
  void warn(SourceLoc at, const std::string& field, const std::string& message) {
    // Same layout as an error, so that editors and scripts read both alike.
    std::string text = InputProblem{in_.file(), at.line, at.column, field, message}.format();
    const auto pos = text.find(": error: ");
    if (pos != std::string::npos) text.replace(pos, 9, ": warning: ");
    hall_.operations.warnings.push_back(std::move(text));
  }

  // A format-4 (journey) key of `map`: true when present in a file of version
  // 4 or later; in an earlier file its presence is an error naming the version.
  bool journey_key(const YAML::Node& map, const char* key, const std::string& field) {
    const YAML::Node n = map[key];
    if (!n) return false;
    if (version_ >= kJourneyFormatVersion) return true;
    in_.problem(n, field + "." + key,
                fmt::format("needs format: halltwin-scenario/{} (this file says {}); remove it or raise the "
                            "format to version {}",
                            kJourneyFormatVersion, hall_.format, kJourneyFormatVersion));
    return false;
  }

  std::size_t devices_of(DeviceKind kind) const {
    return static_cast<std::size_t>(std::count_if(hall_.devices.begin(), hall_.devices.end(),
                                                  [&](const Device& d) { return d.kind == kind; }));
  }

  // A required distribution field of `map`.
  std::optional<Distribution> distribution_field(const YAML::Node& map, const char* key,
                                                 const std::string& f) {
    const YAML::Node n = map[key];
    if (!n) {
      in_.problem(map, f + "." + key,
                  "missing; expected a distribution such as {dist: exponential, mean_s: 300}");
      return std::nullopt;
    }
    return distribution(n, f + "." + key);
  }

  template <class F>
  void for_each_map_item(const YAML::Node& list, const std::string& lf, F&& f) {
    if (!in_.expect_sequence(list, lf)) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      std::string fi = fmt::format("{}[{}]", lf, i);
      if (item.IsMap() && item["id"] && item["id"].IsScalar())
        fi = fmt::format("{}[{}]", lf, item["id"].Scalar());
      if (!in_.expect_map(item, fi)) continue;
      f(item, fi);
    }
  }

  std::optional<double> time_value(const YAML::Node& n, const std::string& field) {
    auto s = in_.string_value(n, field);
    if (!s) return std::nullopt;
    auto t = parse_time_of_day(*s);
    if (!t)
      in_.problem(
          n, field,
          fmt::format("'{}' is not a time of day; expected \"HH:MM\" or \"HH:MM:SS\" from 00:00 to 24:00",
                      *s));
    return t;
  }

  std::optional<double> time_field(const YAML::Node& map, const char* key, const std::string& field,
                                   bool required) {
    const YAML::Node n = map[key];
    if (!n) {
      if (required) in_.problem(map, field + "." + key, "missing; expected a time of day \"HH:MM\"");
      return std::nullopt;
    }
    return time_value(n, field + "." + key);
  }

  std::optional<std::array<bool, kWeekdays>> days_value(const YAML::Node& n, const std::string& field) {
    if (!in_.expect_sequence(n, field)) return std::nullopt;
    std::array<bool, kWeekdays> days{};
    bool ok = true;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string fi = fmt::format("{}[{}]", field, i);
      auto s = in_.string_value(n[i], fi);
      if (!s) {
        ok = false;
        continue;
      }
      auto d = parse_weekday(*s);
      if (!d) {
        in_.problem(n[i], fi, fmt::format("'{}' is not a weekday; expected one of: {}", *s, kWeekdayKeys));
        ok = false;
        continue;
      }
      days[static_cast<int>(*d)] = true;
    }
    if (!ok) return std::nullopt;
    return days;
  }

  // ------------------------------------------------------------ distributions
  std::optional<Distribution> distribution(const YAML::Node& n, const std::string& f) {
    if (!in_.expect_map(n, f)) return std::nullopt;
    const YAML::Node kn = n["dist"];
    if (!kn) {
      in_.check_keys(n, {"dist", "mean_s", "cv", "values_s"}, f);
      in_.problem(n, f + ".dist",
                  "missing; expected one of: exponential, lognormal, gamma, deterministic, empirical");
      return std::nullopt;
    }
    auto ks = in_.string_value(kn, f + ".dist");
    if (!ks) return std::nullopt;
    Distribution d;
    bool known = false;
    for (auto k : {Distribution::Kind::exponential, Distribution::Kind::lognormal, Distribution::Kind::gamma,
                   Distribution::Kind::empirical, Distribution::Kind::deterministic})
      if (name(k) == *ks) d.kind = k, known = true;
    if (!known) {
      in_.check_keys(n, {"dist", "mean_s", "cv", "values_s"}, f);
      in_.problem(kn, f + ".dist",
                  fmt::format("'{}' is not a distribution; expected one of: exponential, lognormal, gamma, "
                              "deterministic, empirical",
                              *ks));
      return std::nullopt;
    }
    bool ok = true;
    using K = Distribution::Kind;
    // Each kind takes only its own parameters: a cv on an exponential would
    // be silently ignored otherwise.
    switch (d.kind) {
      case K::exponential:
      case K::deterministic:
        in_.check_keys(n, {"dist", "mean_s"}, f);
        break;
      case K::lognormal:
      case K::gamma:
        in_.check_keys(n, {"dist", "mean_s", "cv"}, f);
        if (auto cv = in_.number(n, "cv", f, true, 0.0, 20.0)) {
          if (*cv <= 0) {
            in_.problem(n, "cv", f + ".cv", "must be greater than 0");
            ok = false;
          }
          d.cv = *cv;
        } else {
          ok = false;
        }
        break;
      case K::empirical:
        in_.check_keys(n, {"dist", "values_s"}, f);
        break;
    }
    if (d.kind == K::empirical) {
      const YAML::Node v = n["values_s"];
      if (!v) {
        in_.problem(n, f + ".values_s", "missing; expected a non-empty list of observed durations, seconds");
        return std::nullopt;
      }
      if (!in_.expect_sequence(v, f + ".values_s")) return std::nullopt;
      if (v.size() == 0) {
        in_.problem(v, f + ".values_s", "expected at least one value");
        return std::nullopt;
      }
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (auto x = in_.number_value(v[i], fmt::format("{}.values_s[{}]", f, i), 0.0, 1e6))
          d.values_s.push_back(*x);
        else
          ok = false;
      }
      if (ok && d.mean() <= 0) {
        in_.problem(v, f + ".values_s", "the values' mean must be greater than 0");
        ok = false;
      }
    } else if (auto m = in_.number(n, "mean_s", f, true, 0.0, 1e6)) {
      if (*m <= 0) {
        in_.problem(n, "mean_s", f + ".mean_s", "must be greater than 0");
        ok = false;
      }
      d.mean_s = *m;
    } else {
      ok = false;
    }
    if (!ok) return std::nullopt;
    return d;
  }

  // ------------------------------------------------------------ services
  void read_services(const YAML::Node& s) {
    if (!in_.expect_map(s, "services")) return;
    double sum = 0;
    bool all_shares = true;
    std::set<std::string> seen;
    for (const auto& kv : s) {
      const std::string id = kv.first.Scalar();
      const std::string f = "services." + id;
      if (!seen.insert(id).second) {
        in_.problem(kv.first, "services", fmt::format("key '{}' appears twice in the same map", id));
        continue;
      }
      auto it = matter_index_.find(id);
      if (it == matter_index_.end()) {
        in_.problem(kv.first, f, fmt::format("'{}' is not a matter id; define it under 'matters'", id));
        all_shares = false;
        continue;
      }
      const YAML::Node e = kv.second;
      if (!in_.expect_map(e, f)) {
        all_shares = false;
        continue;
      }
      in_.check_keys(e, {"share", "service_time", "self_service", "backoffice"}, f);
      MatterService ms;
      ms.matter = it->second;
      auto share = in_.number(e, "share", f, true, 0.0, 1.0);
      if (share) {
        ms.share = *share;
        sum += *share;
      } else {
        all_shares = false;
      }
      const YAML::Node st = e["service_time"];
      if (!st) {
        in_.problem(e, f + ".service_time",
                    "missing; expected a distribution such as {dist: exponential, mean_s: 300}");
        continue;
      }
      auto d = distribution(st, f + ".service_time");
      if (journey_key(e, "self_service", f)) ms.self_service = read_self_service(e["self_service"], f);
      if (journey_key(e, "backoffice", f)) ms.backoffice = read_backoffice(e["backoffice"], f);
      if (!d) continue;
      ms.service_time = *d;
      service_keys_[ms.matter.value] = kv.first;
      hall_.operations.services.push_back(std::move(ms));
    }
    if (all_shares && std::abs(sum - 1.0) > kShareTolerance)
      in_.problem(s, "services", fmt::format("shares add up to {:.6g}; expected 1", sum));
  }

  std::optional<SelfService> read_self_service(const YAML::Node& n, const std::string& mf) {
    const std::string f = mf + ".self_service";
    if (!in_.expect_map(n, f)) return std::nullopt;
    in_.check_keys(n, {"share", "service_time"}, f);
    auto share = in_.number(n, "share", f, true, 0.0, 1.0);
    auto st = distribution_field(n, "service_time", f);
    if (devices_of(DeviceKind::self_service_kiosk) == 0)
      in_.problem(n, f,
                  "self-service needs at least one device of kind self_service_kiosk in the hall "
                  "(floors[].devices); there is none");
    if (!share || !st) return std::nullopt;
    return SelfService{*share, *st};
  }

  std::optional<BackOffice> read_backoffice(const YAML::Node& n, const std::string& mf) {
    const std::string f = mf + ".backoffice";
    if (!in_.expect_map(n, f)) return std::nullopt;
    in_.check_keys(n, {"share", "duration", "pickup_share", "pickup_delay", "pickup_time"}, f);
    BackOffice bo;
    bo.pickup_delay = Distribution{Distribution::Kind::deterministic, 0.0, 1.0, {}};
    bo.pickup_time = Distribution{Distribution::Kind::deterministic, 120.0, 1.0, {}};
    bool ok = true;
    if (auto v = in_.number(n, "share", f, true, 0.0, 1.0))
      bo.share = *v;
    else
      ok = false;
    if (auto d = distribution_field(n, "duration", f))
      bo.duration = *d;
    else
      ok = false;
    if (n["pickup_share"]) {
      if (auto v = in_.number(n, "pickup_share", f, false, 0.0, 1.0))
        bo.pickup_share = *v;
      else
        ok = false;
    }
    for (auto [key, out] :
         {std::pair{"pickup_delay", &bo.pickup_delay}, std::pair{"pickup_time", &bo.pickup_time}}) {
      if (!n[key]) continue;
      if (auto d = distribution(n[key], f + "." + key))
        *out = *d;
      else
        ok = false;
    }
    if (!ok) return std::nullopt;
    return bo;
  }

  // ------------------------------------------------------------ demand
  void read_demand(const YAML::Node& d) {
    if (!in_.expect_map(d, "demand")) return;
    in_.check_keys(d,
                   {"block_min", "profile_start", "weekdays", "date_factors", "month_end_factor", "patience",
                    "sinusoid", "guide_desk", "priority_share", "appointments", "groups", "balking"},
                   "demand");
    Demand& dm = hall_.operations.demand;
    if (const YAML::Node p = d["patience"]) {
      if (auto pd = distribution(p, "demand.patience")) dm.patience = *pd;
    }
    read_journey_demand(d);
    if (const YAML::Node sn = d["sinusoid"]) {
      dm.kind = Demand::Kind::sinusoid;
      // The journey keys (format 4) apply to either kind of demand.
      const std::set<std::string> with_sinusoid{"sinusoid",     "patience", "guide_desk", "priority_share",
                                                "appointments", "groups",   "balking"};
      for (const auto& kv : d) {
        const std::string key = kv.first.Scalar();
        if (!with_sinusoid.count(key))
          in_.problem(kv.first, "demand." + key,
                      "only with a demand profile (`weekdays`), not with `sinusoid`");
      }
      read_sinusoid(sn);
      return;
    }
    dm.kind = Demand::Kind::profile;
    if (auto b = in_.integer(d, "block_min", "demand", false, 1, 60)) {
      if (*b != 15 && *b != 30 && *b != 60)
        in_.problem(d, "block_min", "demand.block_min",
                    fmt::format("{} is not a block length; expected 15, 30 or 60", *b));
      else
        dm.block_min = static_cast<int>(*b);
    }
    if (auto t = time_field(d, "profile_start", "demand", false)) dm.profile_start_s = *t;
    if (auto m = in_.number(d, "month_end_factor", "demand", false, 0.0, 100.0)) dm.month_end_factor = *m;
    read_date_factors(d["date_factors"]);
    const YAML::Node w = d["weekdays"];
    if (!w) {
      in_.problem(
          d, "demand.weekdays",
          "missing; expected arrivals per block by weekday ({weekday: [...], sat: [...]}) or a `sinusoid`");
      return;
    }
    if (!in_.expect_map(w, "demand.weekdays")) return;
    in_.check_keys(w, {"weekday", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}, "demand.weekdays");
    std::array<bool, kWeekdays> given{};
    auto read_profile = [&](const YAML::Node& list,
                            const std::string& f) -> std::optional<std::vector<double>> {
      if (!in_.expect_sequence(list, f)) return std::nullopt;
      std::vector<double> out;
      bool ok = true;
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (auto v = in_.number_value(list[i], fmt::format("{}[{}]", f, i), 0.0, 1e6))
          out.push_back(*v);
        else
          ok = false;
      }
      const double end_s = dm.profile_start_s + static_cast<double>(out.size()) * dm.block_min * 60.0;
      if (ok && end_s > kDay_s + 1e-9) {
        in_.problem(list, f,
                    fmt::format("{} blocks of {} min from {} run past 24:00; expected at most {}", out.size(),
                                dm.block_min, hhmm(dm.profile_start_s),
                                static_cast<int>((kDay_s - dm.profile_start_s) / (dm.block_min * 60.0))));
        ok = false;
      }
      if (!ok) return std::nullopt;
      return out;
    };
    // `weekday` first, then the specific days override it.
    if (const YAML::Node wd = w["weekday"]) {
      if (auto p = read_profile(wd, "demand.weekdays.weekday"))
        for (int day = 0; day < 5; ++day) dm.arrivals_per_block[day] = *p, given[day] = true;
    }
    for (int day = 0; day < kWeekdays; ++day) {
      const std::string key(name(static_cast<Weekday>(day)));
      if (const YAML::Node n = w[key]) {
        if (auto p = read_profile(n, "demand.weekdays." + key))
          dm.arrivals_per_block[day] = *p, given[day] = true;
      }
    }
    // Open weekdays without arrivals: legal (a quiet day) but likely a gap in the file.
    const auto& open_days = hall_.operations.roster.open_days;
    for (int day = 0; day < kWeekdays; ++day) {
      if (!open_days[day]) continue;
      const auto& p = dm.arrivals_per_block[day];
      double total = 0;
      for (double v : p) total += v;
      if (total <= 0)
        warn(w, "demand.weekdays",
             fmt::format(
                 "the hall is open on {} but the demand profile for it is empty; nobody comes that day",
                 name(static_cast<Weekday>(day))));
    }
  }

  // The format-4 demand keys: guide desk, priority citizens, appointments, groups, balking.
  void read_journey_demand(const YAML::Node& d) {
    Demand& dm = hall_.operations.demand;
    const std::string f = "demand";
    if (journey_key(d, "guide_desk", f)) {
      const YAML::Node n = d["guide_desk"];
      const std::string fg = f + ".guide_desk";
      if (in_.expect_map(n, fg)) {
        in_.check_keys(n, {"share", "service_time", "staff_per_desk"}, fg);
        GuideDesk g;
        auto share = in_.number(n, "share", fg, true, 0.0, 1.0);
        auto st = distribution_field(n, "service_time", fg);
        auto staff = in_.integer(n, "staff_per_desk", fg, false, 1, 20);
        if (devices_of(DeviceKind::guide_desk) == 0)
          in_.problem(n, fg,
                      "the guide desk needs at least one device of kind guide_desk in the hall "
                      "(floors[].devices); there is none");
        if (share && st) {
          g.share = *share;
          g.service_time = *st;
          if (staff) g.staff_per_desk = static_cast<int>(*staff);
          dm.guide_desk = g;
        }
      }
    }
    if (journey_key(d, "priority_share", f)) {
      if (auto v = in_.number(d, "priority_share", f, false, 0.0, 1.0)) dm.priority_share = *v;
      priority_loc_ = YamlInput::loc(d["priority_share"]);
    }
    if (journey_key(d, "appointments", f)) {
      const YAML::Node n = d["appointments"];
      const std::string fa = f + ".appointments";
      appointments_loc_ = YamlInput::loc(n);
      if (in_.expect_map(n, fa)) {
        in_.check_keys(n, {"share", "slot_min", "punctuality_mean_s", "punctuality_sd_s", "no_show_rate"},
                       fa);
        Appointments a;
        bool ok = true;
        if (auto v = in_.number(n, "share", fa, true, 0.0, 1.0))
          a.share = *v;
        else
          ok = false;
        if (n["slot_min"]) {
          auto v = in_.integer(n, "slot_min", fa, false, 1, 60);
          if (v && *v != 15 && *v != 30 && *v != 60) {
            in_.problem(n, "slot_min", fa + ".slot_min",
                        fmt::format("{} is not a slot length; expected 15, 30 or 60", *v));
            ok = false;
          } else if (v) {
            a.slot_min = static_cast<int>(*v);
          } else {
            ok = false;
          }
        }
        auto opt = [&](const char* key, double lo, double hi, double* out) {
          if (!n[key]) return;
          if (auto v = in_.number(n, key, fa, false, lo, hi))
            *out = *v;
          else
            ok = false;
        };
        opt("punctuality_mean_s", -kDay_s, kDay_s, &a.punctuality_mean_s);
        opt("punctuality_sd_s", 0.0, kDay_s, &a.punctuality_sd_s);
        opt("no_show_rate", 0.0, 1.0, &a.no_show_rate);
        if (ok) dm.appointments = a;
      }
    }
    if (journey_key(d, "groups", f)) {
      const YAML::Node n = d["groups"];
      const std::string fg = f + ".groups";
      if (in_.expect_map(n, fg)) {
        in_.check_keys(n, {"share", "size_min", "size_max"}, fg);
        Groups g;
        auto share = in_.number(n, "share", fg, true, 0.0, 1.0);
        auto lo = n["size_min"] ? in_.integer(n, "size_min", fg, false, 2, 20) : std::optional<long long>(2);
        auto hi = n["size_max"] ? in_.integer(n, "size_max", fg, false, 2, 20) : std::optional<long long>(3);
        if (lo && hi && *lo > *hi) {
          in_.problem(n["size_max"] ? n["size_max"] : n, fg + ".size_max",
                      fmt::format("size_max {} is smaller than size_min {}", *hi, *lo));
        } else if (share && lo && hi) {
          g.share = *share;
          g.size_min = static_cast<int>(*lo);
          g.size_max = static_cast<int>(*hi);
          dm.groups = g;
        }
      }
    }
    if (journey_key(d, "balking", f)) read_balking(d["balking"], f + ".balking");
  }

  void read_balking(const YAML::Node& n, const std::string& f) {
    if (!in_.expect_map(n, f)) return;
    in_.check_keys(n, {"threshold", "curve"}, f);
    const YAML::Node t = n["threshold"], c = n["curve"];
    if (t && c) {
      in_.problem(c, f, "give either `threshold` or `curve`, not both");
      return;
    }
    if (!t && !c) {
      in_.problem(
          n, f + ".threshold",
          "missing; expected `threshold: N` (citizens waiting) or `curve: [[waiting, probability], ...]`");
      return;
    }
    Balking b;
    if (t) {
      auto v = in_.integer(n, "threshold", f, true, 1, 1000000);
      if (!v) return;
      const double tv = static_cast<double>(*v);
      b.curve = {{tv - 1.0, 0.0}, {tv, 1.0}};
      hall_.operations.demand.balking = b;
      return;
    }
    const std::string fc = f + ".curve";
    if (!in_.expect_sequence(c, fc)) return;
    if (c.size() == 0) {
      in_.problem(c, fc, "expected at least one point [waiting, probability]");
      return;
    }
    bool ok = true;
    for (std::size_t i = 0; i < c.size(); ++i) {
      const std::string fi = fmt::format("{}[{}]", fc, i);
      if (!in_.expect_sequence(c[i], fi)) {
        ok = false;
        continue;
      }
      if (c[i].size() != 2) {
        in_.problem(c[i], fi,
                    fmt::format("expected a pair [waiting, probability]; found {} values", c[i].size()));
        ok = false;
        continue;
      }
      auto w = in_.number_value(c[i][0], fi + "[0]", 0.0, 1e6);
      auto p = in_.number_value(c[i][1], fi + "[1]", 0.0, 1.0);
      if (!w || !p) {
        ok = false;
        continue;
      }
      if (!b.curve.empty() && *w <= b.curve.back().first) {
        in_.problem(
            c[i][0], fi + "[0]",
            fmt::format("{} waiting is not more than the previous point's {}; the waiting counts must "
                        "increase strictly",
                        *w, b.curve.back().first));
        ok = false;
      } else if (!b.curve.empty() && *p < b.curve.back().second) {
        in_.problem(c[i][1], fi + "[1]",
                    fmt::format("probability {} is less than the previous point's {}; the probabilities must "
                                "not decrease",
                                *p, b.curve.back().second));
        ok = false;
      }
      b.curve.emplace_back(*w, *p);
    }
    if (ok) hall_.operations.demand.balking = b;
  }

  void read_sinusoid(const YAML::Node& sn) {
    const std::string f = "demand.sinusoid";
    if (!in_.expect_map(sn, f)) return;
    in_.check_keys(sn, {"mean_per_h", "amplitude_per_h", "period_h"}, f);
    Demand& dm = hall_.operations.demand;
    auto mean = in_.number(sn, "mean_per_h", f, true, 0.0, 1e7);
    auto amp = in_.number(sn, "amplitude_per_h", f, false, -1e7, 1e7).value_or(0.0);
    if (auto p = in_.number(sn, "period_h", f, false, 0.0, 1e4)) {
      if (*p <= 0)
        in_.problem(sn, "period_h", f + ".period_h", "must be greater than 0");
      else
        dm.period_h = *p;
    }
    if (!mean) return;
    dm.mean_per_h = *mean;
    // A rate never goes negative: |amplitude| <= mean.
    if (std::abs(amp) > *mean)
      in_.problem(
          sn["amplitude_per_h"], f + ".amplitude_per_h",
          fmt::format("|{}| is larger than mean_per_h {}; the rate would become negative", amp, *mean));
    else
      dm.amplitude_per_h = amp;
  }

  void read_date_factors(const YAML::Node& list) {
    if (!list) return;
    const std::string lf = "demand.date_factors";
    if (!in_.expect_sequence(list, lf)) return;
    std::map<std::string, int> seen;  // date -> line
    auto& out = hall_.operations.demand.date_factors;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node e = list[i];
      const std::string f = fmt::format("{}[{}]", lf, i);
      if (!in_.expect_map(e, f)) continue;
      in_.check_keys(e, {"date", "factor", "note"}, f);
      DateFactor df;
      auto date = in_.string(e, "date", f, true);
      auto factor = in_.number(e, "factor", f, true, 0.0, 100.0);
      df.note = in_.string(e, "note", f, false).value_or("");
      if (!date || !factor) continue;
      if (!is_valid_date(*date)) {
        in_.problem(e, "date", f + ".date", fmt::format("'{}' is not a date; expected YYYY-MM-DD", *date));
        continue;
      }
      auto [it, inserted] = seen.emplace(*date, YamlInput::loc(e["date"]).line);
      if (!inserted) {
        in_.problem(e, "date", f + ".date",
                    fmt::format("date {} already has a factor (line {})", *date, it->second));
        continue;
      }
      df.date = *date;
      df.factor = *factor;
      out.push_back(std::move(df));
    }
    std::sort(out.begin(), out.end(),
              [](const DateFactor& a, const DateFactor& b) { return a.date < b.date; });
  }

  // ------------------------------------------------------------ roster
  void read_roster(const YAML::Node& r) {
    if (!in_.expect_map(r, "roster")) return;
    in_.check_keys(
        r,
        {"hours", "queues", "window_groups", "shifts", "staff", "calling", "calling_by_window", "recalls",
         "recall_interval_s", "no_answer_rate", "handover", "handover_gap_s", "rules", "extended_hours"},
        "roster");
    Roster& ro = hall_.operations.roster;
    read_hours(r);
    if (journey_key(r, "extended_hours", "roster")) read_extended_hours(r["extended_hours"]);
    if (const YAML::Node q = r["queues"]) {
      auto s = in_.string_value(q, "roster.queues");
      if (s && *s == "per_matter")
        ro.queues = QueueDiscipline::per_matter;
      else if (s && *s == "per_group")
        ro.queues = QueueDiscipline::per_group;
      else if (s)
        in_.problem(q, "roster.queues", fmt::format("'{}' is not one of: per_matter, per_group", *s));
    }
    read_groups(r["window_groups"]);
    const YAML::Node shifts = r["shifts"];
    if (!shifts)
      in_.problem(r, "roster.shifts", "missing; expected a list of shifts {id, start, end, breaks?}");
    else
      read_shifts(shifts);
    const YAML::Node staff = r["staff"];
    if (!staff)
      in_.problem(r, "roster.staff", "missing; expected a list of staff {id, window or windows, shift}");
    else
      read_staff(staff);
    read_calling(r);
    if (journey_key(r, "rules", "roster")) read_rules(r["rules"]);
  }

  // ------------------------------------------------------------ roster, format 4
  void read_calling(const YAML::Node& r) {
    Roster& ro = hall_.operations.roster;
    const std::string f = "roster";
    if (journey_key(r, "calling", f)) {
      if (auto s = in_.string_value(r["calling"], f + ".calling")) {
        if (auto p = parse_calling_policy(*s))
          ro.calling = *p;
        else
          in_.problem(
              r["calling"], f + ".calling",
              fmt::format("'{}' is not a calling policy; expected one of: {}", *s, kCallingPolicyKeys));
      }
    }
    if (journey_key(r, "calling_by_window", f)) {
      const YAML::Node m = r["calling_by_window"];
      const std::string fm = f + ".calling_by_window";
      if (in_.expect_map(m, fm)) {
        std::map<std::uint32_t, int> set_at;  // window -> line
        for (const auto& kv : m) {
          const std::string id = kv.first.Scalar();
          const std::string fi = fm + "." + id;
          std::vector<WindowId> windows;
          if (auto w = window_index_.find(id); w != window_index_.end())
            windows.push_back(w->second);
          else if (auto row = row_windows_.find(id); row != row_windows_.end())
            windows = row->second;
          else
            in_.problem(kv.first, fi, fmt::format("'{}' is not a window id or window row id", id));
          auto s = in_.string_value(kv.second, fi);
          if (!s) continue;
          auto p = parse_calling_policy(*s);
          if (!p) {
            in_.problem(
                kv.second, fi,
                fmt::format("'{}' is not a calling policy; expected one of: {}", *s, kCallingPolicyKeys));
            continue;
          }
          for (WindowId w : windows) {
            const int line = YamlInput::loc(kv.first).line;
            if (auto [it, ins] = set_at.emplace(w.value, line); !ins) {
              in_.problem(kv.first, fi,
                          fmt::format("window '{}' already has a calling policy (line {})",
                                      hall_.windows[w.value].id, it->second));
              continue;
            }
            ro.calling_by_window.emplace_back(w, *p);
          }
        }
      }
    }
    if (journey_key(r, "recalls", f)) {
      if (auto v = in_.integer(r, "recalls", f, false, 0, 10)) ro.recalls = static_cast<int>(*v);
    }
    if (journey_key(r, "recall_interval_s", f)) {
      if (auto v = in_.number(r, "recall_interval_s", f, false, 0.0, 3600.0)) {
        if (*v <= 0)
          in_.problem(r, "recall_interval_s", f + ".recall_interval_s", "must be greater than 0");
        else
          ro.recall_interval_s = *v;
      }
    }
    if (journey_key(r, "no_answer_rate", f)) {
      if (auto v = in_.number(r, "no_answer_rate", f, false, 0.0, 1.0)) ro.no_answer_rate = *v;
    }
    if (journey_key(r, "handover", f)) {
      if (auto v = in_.boolean(r, "handover", f, false)) ro.handover = *v;
    }
    if (journey_key(r, "handover_gap_s", f)) {
      if (auto v = in_.number(r, "handover_gap_s", f, false, 0.0, kDay_s)) ro.handover_gap_s = *v;
    }
  }

  void read_extended_hours(const YAML::Node& list) {
    Roster& ro = hall_.operations.roster;
    const std::string lf = "roster.extended_hours";
    if (!in_.expect_sequence(list, lf)) return;
    std::map<std::string, int> seen;  // weekday or date -> line
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node e = list[i];
      const std::string f = fmt::format("{}[{}]", lf, i);
      if (!in_.expect_map(e, f)) continue;
      in_.check_keys(e, {"weekday", "date", "close", "ticket_stop"}, f);
      Roster::Extension x;
      bool ok = true;
      std::string key;
      if (e["weekday"] && e["date"]) {
        in_.problem(e, "date", f, "give either `weekday` (every such day) or `date` (one day), not both");
        ok = false;
      } else if (e["weekday"]) {
        if (auto s = in_.string_value(e["weekday"], f + ".weekday")) {
          if (auto d = parse_weekday(*s)) {
            x.weekday = *d;
            key = *s;
            if (hours_ok_ && !ro.open_days[static_cast<int>(*d)]) {
              in_.problem(e, "weekday", f + ".weekday",
                          fmt::format("the hall is closed on {} (roster.hours.days); extended hours need an "
                                      "open day",
                                      *s));
              ok = false;
            }
          } else {
            in_.problem(e, "weekday", f + ".weekday",
                        fmt::format("'{}' is not a weekday; expected one of: {}", *s, kWeekdayKeys));
            ok = false;
          }
        } else {
          ok = false;
        }
      } else if (e["date"]) {
        if (auto s = in_.string_value(e["date"], f + ".date")) {
          if (!is_valid_date(*s)) {
            in_.problem(e, "date", f + ".date", fmt::format("'{}' is not a date; expected YYYY-MM-DD", *s));
            ok = false;
          } else {
            x.date = *s;
            key = *s;
            const Weekday d = weekday_of(*s);
            if (hours_ok_ && !ro.open_days[static_cast<int>(d)]) {
              in_.problem(e, "date", f + ".date",
                          fmt::format("{} is a {}, a day the hall is closed (roster.hours.days); extended "
                                      "hours need an open day",
                                      *s, name(d)));
              ok = false;
            }
          }
        } else {
          ok = false;
        }
      } else {
        in_.problem(e, f + ".weekday",
                    "missing; expected `weekday: wed` (every such day) or `date: YYYY-MM-DD`");
        ok = false;
      }
      auto close = time_field(e, "close", f, true);
      auto stop = time_field(e, "ticket_stop", f, false);
      if (!close) continue;
      if (hours_ok_ && *close <= ro.close_s) {
        in_.problem(e, "close", f + ".close",
                    fmt::format("{} is not after the normal close {} (roster.hours.close)", hhmm(*close),
                                hhmm(ro.close_s)));
        ok = false;
      }
      x.close_s = *close;
      x.ticket_stop_s = *close;
      if (stop) {
        if (*stop > *close || (hours_ok_ && *stop < ro.open_s)) {
          in_.problem(e, "ticket_stop", f + ".ticket_stop",
                      fmt::format("{} is outside the extended opening hours {}-{}", hhmm(*stop),
                                  hhmm(ro.open_s), hhmm(*close)));
          ok = false;
        } else {
          x.ticket_stop_s = *stop;
        }
      }
      if (!key.empty()) {
        if (auto [it, ins] = seen.emplace(key, YamlInput::loc(e).line); !ins) {
          in_.problem(e, f, fmt::format("{} already has extended hours (line {})", key, it->second));
          ok = false;
        }
      }
      if (ok) ro.extended_hours.push_back(std::move(x));
    }
  }

  // Whether an extended_only staff member with this shift and these days ever
  // works: a shift overlapping the extended time (normal close to extended
  // close) of an extension falling on one of its days.
  bool works_extended(const Shift& sh, const std::array<bool, kWeekdays>& days) const {
    const Roster& ro = hall_.operations.roster;
    for (const Roster::Extension& x : ro.extended_hours) {
      const Weekday d = x.weekday ? *x.weekday : weekday_of(x.date);
      if (!days[static_cast<int>(d)]) continue;
      if (sh.span.start_s < x.close_s && ro.close_s < sh.span.end_s) return true;
    }
    return false;
  }

  void read_rules(const YAML::Node& n) {
    Roster& ro = hall_.operations.roster;
    const std::string f = "roster.rules";
    if (!in_.expect_map(n, f)) return;
    in_.check_keys(n, {"max_shift_h", "min_break_min", "break_after_h", "groups_never_close"}, f);
    if (auto v = in_.number(n, "max_shift_h", f, false, 0.0, 24.0)) ro.max_shift_h = *v;
    if (auto v = in_.number(n, "min_break_min", f, false, 0.0, 1440.0)) ro.min_break_min = *v;
    if (auto v = in_.number(n, "break_after_h", f, false, 0.0, 24.0)) ro.break_after_h = *v;
    if (auto v = in_.boolean(n, "groups_never_close", f, false)) ro.groups_never_close = *v;
    constexpr double eps = 1e-9;
    for (std::size_t i = 0; i < ro.shifts.size() && i < shift_where_.size(); ++i) {
      const Shift& sh = ro.shifts[i];
      const auto& [loc, field] = shift_where_[i];
      const double len_s = sh.span.end_s - sh.span.start_s;
      if (len_s <= 0) continue;  // already an error
      if (ro.max_shift_h > 0 && len_s > ro.max_shift_h * 3600.0 + eps)
        in_.problem(
            loc, field,
            fmt::format("the shift {}-{} lasts {:.4g} h, longer than roster.rules.max_shift_h ({:.4g} h)",
                        hhmm(sh.span.start_s), hhmm(sh.span.end_s), len_s / 3600.0, ro.max_shift_h));
      if (ro.break_after_h > 0 && sh.breaks.empty() && len_s > ro.break_after_h * 3600.0 + eps)
        in_.problem(
            loc, field,
            fmt::format("the shift {}-{} lasts {:.4g} h without a break; roster.rules.break_after_h "
                        "({:.4g} h) asks for one",
                        hhmm(sh.span.start_s), hhmm(sh.span.end_s), len_s / 3600.0, ro.break_after_h));
      if (ro.min_break_min > 0)
        for (std::size_t b = 0; b < sh.breaks.size() && b < break_where_[i].size(); ++b) {
          const TimeSpan& br = sh.breaks[b];
          if (br.end_s - br.start_s < ro.min_break_min * 60.0 - eps)
            in_.problem(
                break_where_[i][b].first, break_where_[i][b].second,
                fmt::format("the break {}-{} lasts {:.4g} min, shorter than roster.rules.min_break_min "
                            "({:.4g} min)",
                            hhmm(br.start_s), hhmm(br.end_s), (br.end_s - br.start_s) / 60.0,
                            ro.min_break_min));
        }
    }
    if (ro.groups_never_close && hours_ok_) check_groups_never_close(n["groups_never_close"]);
  }

  // Each window group keeps at least one window staffed (not on a break) at
  // every moment of the normal opening hours of each open weekday. The
  // groups are the roster's queue groups; with per_matter queues, one per
  // window row and one per single window. A group nobody ever staffs is
  // left out (it is warned about as unstaffed windows).
  void check_groups_never_close(const YAML::Node& at) {
    const Roster& ro = hall_.operations.roster;
    std::vector<WindowGroup> groups;
    if (ro.queues == QueueDiscipline::per_group)
      groups = ro.groups;
    else
      for (auto& [g, loc] : rows_and_singles()) groups.push_back(std::move(g));
    std::array<bool, kWeekdays> extended_weekday{};
    for (const Roster::Extension& x : ro.extended_hours)
      if (x.weekday) extended_weekday[static_cast<int>(*x.weekday)] = true;
    for (const WindowGroup& g : groups) {
      auto in_group = [&](WindowId w) {
        return std::find(g.windows.begin(), g.windows.end(), w) != g.windows.end();
      };
      if (std::none_of(ro.staff.begin(), ro.staff.end(),
                       [&](const StaffMember& m) { return in_group(m.window); }))
        continue;
      std::vector<std::string> days;
      double first_gap = 0;
      for (int d = 0; d < kWeekdays; ++d) {
        if (!ro.open_days[d]) continue;
        std::vector<TimeSpan> on;  // staffed stretches of the group that day
        for (const StaffMember& m : ro.staff) {
          if (!in_group(m.window) || !m.days[d] || (m.extended_only && !extended_weekday[d])) continue;
          const Shift& sh = ro.shifts[m.shift];
          double t = sh.span.start_s;
          for (const TimeSpan& b : sh.breaks) {
            on.push_back({t, b.start_s});
            t = b.end_s;
          }
          on.push_back({t, sh.span.end_s});
        }
        std::sort(on.begin(), on.end(),
                  [](const TimeSpan& a, const TimeSpan& b) { return a.start_s < b.start_s; });
        double t = ro.open_s;
        for (const TimeSpan& s : on) {
          if (s.start_s > t) break;
          t = std::max(t, s.end_s);
        }
        if (t < ro.close_s) {
          if (days.empty()) first_gap = t;
          days.emplace_back(name(static_cast<Weekday>(d)));
        }
      }
      if (days.empty()) continue;
      std::string windows;
      for (WindowId w : g.windows) windows += (windows.empty() ? "" : ", ") + hall_.windows[w.value].id;
      std::string also;
      for (std::size_t i = 1; i < days.size(); ++i) also += (also.empty() ? " (also on " : ", ") + days[i];
      if (!also.empty()) also += ")";
      in_.problem(
          at, "roster.rules.groups_never_close",
          fmt::format("window group '{}' ({}) has no staffed window on {} from {}{}; stagger the breaks "
                      "or add staff",
                      g.id, shorten(windows), days[0], hhmm(first_gap), also));
    }
  }

  void read_hours(const YAML::Node& r) {
    const YAML::Node h = r["hours"];
    const std::string f = "roster.hours";
    if (!h) {
      in_.problem(r, f, "missing; expected {open: \"09:00\", close: \"17:00\", ticket_stop?, days?}");
      return;
    }
    if (!in_.expect_map(h, f)) return;
    in_.check_keys(h, {"open", "close", "ticket_stop", "days"}, f);
    Roster& ro = hall_.operations.roster;
    auto open = time_field(h, "open", f, true);
    auto close = time_field(h, "close", f, true);
    auto stop = time_field(h, "ticket_stop", f, false);
    if (const YAML::Node d = h["days"]) {
      if (auto days = days_value(d, f + ".days")) ro.open_days = *days;
    }
    if (!open || !close) return;
    if (*open >= *close) {
      in_.problem(h, "close", f + ".close",
                  fmt::format("closes at {}, not after it opens ({})", hhmm(*close), hhmm(*open)));
      return;
    }
    ro.open_s = *open;
    ro.close_s = *close;
    ro.ticket_stop_s = *close;
    hours_ok_ = true;
    if (stop) {
      if (*stop < *open || *stop > *close)
        in_.problem(
            h["ticket_stop"], f + ".ticket_stop",
            fmt::format("{} is outside the opening hours {}-{}", hhmm(*stop), hhmm(*open), hhmm(*close)));
      else
        ro.ticket_stop_s = *stop;
    }
  }

  // Window ids or window_rows ids (a row stands for all its windows).
  std::vector<std::pair<WindowId, YAML::Node>> window_refs(const YAML::Node& list, const std::string& lf) {
    std::vector<std::pair<WindowId, YAML::Node>> out;
    if (!in_.expect_sequence(list, lf)) return out;
    if (list.size() == 0) in_.problem(list, lf, "expected at least one window or window row id");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string fi = fmt::format("{}[{}]", lf, i);
      auto id = in_.string_value(list[i], fi);
      if (!id) continue;
      if (auto w = window_index_.find(*id); w != window_index_.end()) {
        out.emplace_back(w->second, list[i]);
      } else if (auto r = row_windows_.find(*id); r != row_windows_.end()) {
        for (WindowId wid : r->second) out.emplace_back(wid, list[i]);
      } else {
        in_.problem(list[i], fi, fmt::format("'{}' is not a window id or window row id", *id));
      }
    }
    return out;
  }

  void read_groups(const YAML::Node& list) {
    Roster& ro = hall_.operations.roster;
    if (list) {
      if (ro.queues != QueueDiscipline::per_group)
        warn(list, "roster.window_groups", "window groups are ignored with queues: per_matter");
      std::map<std::string, int> ids;                 // group id -> line
      std::map<std::uint32_t, std::string> group_of;  // window -> group id
      std::vector<std::pair<WindowGroup, YAML::Node>> groups;
      for_each_map_item(list, "roster.window_groups", [&](const YAML::Node& g, const std::string& f) {
        in_.check_keys(g, {"id", "windows"}, f);
        auto id = in_.string(g, "id", f, true);
        const YAML::Node wl = g["windows"];
        if (!wl) in_.problem(g, f + ".windows", "missing; expected a list of window or window row ids");
        if (!id || !wl) return;
        if (auto [it, ins] = ids.emplace(*id, YamlInput::loc(g["id"]).line); !ins) {
          in_.problem(g, "id", f + ".id",
                      fmt::format("duplicate window group id '{}' (line {})", *id, it->second));
          return;
        }
        WindowGroup wg;
        wg.id = *id;
        for (auto& [w, node] : window_refs(wl, f + ".windows")) {
          auto [it, ins] = group_of.emplace(w.value, *id);
          if (!ins) {
            in_.problem(
                node, f + ".windows",
                fmt::format("window '{}' is already in window group '{}'; a window belongs to one group",
                            hall_.windows[w.value].id, it->second));
            continue;
          }
          wg.windows.push_back(w);
        }
        groups.emplace_back(std::move(wg), g);
      });
      if (ro.queues != QueueDiscipline::per_group) return;
      for (auto& [g, node] : groups) {
        group_locs_.push_back(YamlInput::loc(node));
        ro.groups.push_back(std::move(g));
      }
      // A window left out of every group still needs a queue: it forms its own group.
      for (std::size_t i = 0; i < hall_.windows.size(); ++i)
        if (!group_of.count(static_cast<std::uint32_t>(i))) {
          ro.groups.push_back({hall_.windows[i].id, {WindowId{static_cast<std::uint32_t>(i)}}});
          group_locs_.push_back(hall_.windows[i].loc);
        }
      return;
    }
    if (ro.queues != QueueDiscipline::per_group) return;
    for (auto& [g, loc] : rows_and_singles()) {
      ro.groups.push_back(std::move(g));
      group_locs_.push_back(loc);
    }
  }

  // The default groups: one per window row, in file order, and one per single
  // window, each with where it comes from.
  std::vector<std::pair<WindowGroup, SourceLoc>> rows_and_singles() const {
    std::vector<std::pair<WindowGroup, SourceLoc>> out;
    std::map<std::string, std::size_t> row_group;
    for (std::size_t i = 0; i < hall_.windows.size(); ++i) {
      const Window& w = hall_.windows[i];
      const WindowId wid{static_cast<std::uint32_t>(i)};
      if (w.row.empty()) {
        out.push_back({{w.id, {wid}}, w.loc});
      } else if (auto it = row_group.find(w.row); it != row_group.end()) {
        out[it->second].first.windows.push_back(wid);
      } else {
        row_group[w.row] = out.size();
        out.push_back({{w.row, {wid}}, w.loc});
      }
    }
    return out;
  }

  // The latest closing time of any day: the normal close or an extension's.
  double latest_close() const {
    const Roster& ro = hall_.operations.roster;
    double t = ro.close_s;
    for (const Roster::Extension& x : ro.extended_hours) t = std::max(t, x.close_s);
    return t;
  }

  void read_shifts(const YAML::Node& list) {
    Roster& ro = hall_.operations.roster;
    for_each_map_item(list, "roster.shifts", [&](const YAML::Node& s, const std::string& f) {
      in_.check_keys(s, {"id", "start", "end", "breaks"}, f);
      auto id = in_.string(s, "id", f, true);
      auto start = time_field(s, "start", f, true);
      auto end = time_field(s, "end", f, true);
      if (!id) return;
      if (shift_index_.count(*id)) {
        in_.problem(s, "id", f + ".id", fmt::format("duplicate shift id '{}'", *id));
        return;
      }
      Shift sh;
      sh.id = *id;
      shift_index_[*id] = static_cast<std::uint32_t>(ro.shifts.size());
      if (start && end) {
        sh.span = {*start, *end};
        if (*end <= *start) {
          in_.problem(
              s["end"], f + ".end",
              fmt::format("the shift ends at {}, not after it starts ({})", hhmm(*end), hhmm(*start)));
        } else if (*end <= ro.open_s || *start >= latest_close()) {
          in_.problem(s, f,
                      fmt::format("the shift {}-{} lies entirely outside the opening hours {}-{}{}",
                                  hhmm(*start), hhmm(*end), hhmm(ro.open_s), hhmm(latest_close()),
                                  ro.extended_hours.empty() ? "" : " (with the extended hours)"));
        }
      }
      std::vector<std::pair<SourceLoc, std::string>> break_where;
      if (const YAML::Node b = s["breaks"])
        read_breaks(b, f + ".breaks", &sh, start && end && *end > *start, &break_where);
      ro.shifts.push_back(std::move(sh));
      shift_where_.emplace_back(YamlInput::loc(s), f);
      break_where_.push_back(std::move(break_where));
    });
  }

  void read_breaks(const YAML::Node& list, const std::string& lf, Shift* sh, bool span_ok,
                   std::vector<std::pair<SourceLoc, std::string>>* where) {
    if (!in_.expect_sequence(list, lf)) return;
    struct Break {
      TimeSpan span;
      YAML::Node node;
      std::string field;
    };
    std::vector<Break> breaks;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node b = list[i];
      const std::string f = fmt::format("{}[{}]", lf, i);
      if (!in_.expect_map(b, f)) continue;
      in_.check_keys(b, {"start", "end"}, f);
      auto start = time_field(b, "start", f, true);
      auto end = time_field(b, "end", f, true);
      if (!start || !end) continue;
      if (*end <= *start) {
        in_.problem(b, "end", f + ".end",
                    fmt::format("the break ends at {}, not after it starts ({})", hhmm(*end), hhmm(*start)));
        continue;
      }
      if (span_ok && (*start < sh->span.start_s || *end > sh->span.end_s)) {
        in_.problem(b, f,
                    fmt::format("the break {}-{} is not inside its shift {}-{}", hhmm(*start), hhmm(*end),
                                hhmm(sh->span.start_s), hhmm(sh->span.end_s)));
        continue;
      }
      breaks.push_back({TimeSpan{*start, *end}, b, f});
    }
    std::sort(breaks.begin(), breaks.end(),
              [](const Break& a, const Break& b) { return a.span.start_s < b.span.start_s; });
    for (std::size_t i = 0; i < breaks.size(); ++i) {
      if (i > 0 && breaks[i].span.start_s < breaks[i - 1].span.end_s) {
        in_.problem(breaks[i].node, lf,
                    fmt::format("the break {}-{} overlaps the break {}-{}", hhmm(breaks[i].span.start_s),
                                hhmm(breaks[i].span.end_s), hhmm(breaks[i - 1].span.start_s),
                                hhmm(breaks[i - 1].span.end_s)));
        continue;
      }
      sh->breaks.push_back(breaks[i].span);
      where->emplace_back(YamlInput::loc(breaks[i].node), breaks[i].field);
    }
  }

  void read_staff(const YAML::Node& list) {
    Roster& ro = hall_.operations.roster;
    std::map<std::string, int> ids;  // staff id -> line
    for_each_map_item(list, "roster.staff", [&](const YAML::Node& s, const std::string& f) {
      in_.check_keys(s, {"id", "window", "windows", "shift", "days", "skills", "extended_only"}, f);
      bool extended_only = false;
      if (journey_key(s, "extended_only", f))
        extended_only = in_.boolean(s, "extended_only", f, false).value_or(false);
      auto id = in_.string(s, "id", f, true);
      std::vector<std::pair<WindowId, YAML::Node>> windows;
      bool expand = false;
      if (s["window"] && s["windows"]) {
        in_.problem(s, "windows", f,
                    "give either `window` (one staff member) or `windows` (one per window), not both");
        return;
      }
      if (const YAML::Node w = s["window"]) {
        auto wid = in_.string_value(w, f + ".window");
        if (!wid) return;
        auto it = window_index_.find(*wid);
        if (it == window_index_.end()) {
          const char* hint = row_windows_.count(*wid) ? " (a window row: list it under `windows`)" : "";
          in_.problem(w, f + ".window", fmt::format("'{}' is not a window id{}", *wid, hint));
          return;
        }
        windows.emplace_back(it->second, w);
      } else if (const YAML::Node ws = s["windows"]) {
        windows = window_refs(ws, f + ".windows");
        expand = true;
      } else {
        in_.problem(s, f + ".window",
                    "missing; expected `window: WINDOW_ID` or `windows: [window or row ids]`");
        return;
      }
      std::optional<std::uint32_t> shift;
      if (auto sid = in_.string(s, "shift", f, true)) {
        if (auto it = shift_index_.find(*sid); it != shift_index_.end())
          shift = it->second;
        else
          in_.problem(s, "shift", f + ".shift", fmt::format("'{}' is not a shift id of roster.shifts", *sid));
      }
      std::array<bool, kWeekdays> days = ro.open_days;
      if (const YAML::Node d = s["days"]) {
        auto dv = days_value(d, f + ".days");
        if (!dv) return;
        days = *dv;
      }
      // Skills as written, checked against each window below.
      std::vector<std::pair<MatterId, YAML::Node>> skills;
      const YAML::Node sk = s["skills"];
      if (sk && in_.expect_sequence(sk, f + ".skills")) {
        for (std::size_t i = 0; i < sk.size(); ++i) {
          const std::string fi = fmt::format("{}.skills[{}]", f, i);
          auto mid = in_.string_value(sk[i], fi);
          if (!mid) continue;
          auto it = matter_index_.find(*mid);
          if (it == matter_index_.end()) {
            in_.problem(sk[i], fi, fmt::format("'{}' is not a matter id", *mid));
            continue;
          }
          skills.emplace_back(it->second, sk[i]);
        }
      }
      if (!id || !shift) return;
      if (extended_only && !works_extended(ro.shifts[*shift], days)) {
        const Shift& sh = ro.shifts[*shift];
        in_.problem(
            s["extended_only"], f + ".extended_only",
            fmt::format("works only on days with extended hours, but its shift '{}' ({}-{}) on its days "
                        "overlaps no extended time (from the normal close {} to an extension's close in "
                        "roster.extended_hours)",
                        sh.id, hhmm(sh.span.start_s), hhmm(sh.span.end_s), hhmm(ro.close_s)));
        return;
      }
      for (auto& [wid, wnode] : windows) {
        const Window& win = hall_.windows[wid.value];
        StaffMember m;
        m.id = expand ? *id + "-" + win.id : *id;
        m.window = wid;
        m.shift = *shift;
        m.days = days;
        m.extended_only = extended_only;
        if (!sk) {
          m.skills = win.matters;
        } else {
          for (std::size_t i = 0; i < skills.size(); ++i) {
            const auto [mid, node] = skills[i];
            if (std::find(win.matters.begin(), win.matters.end(), mid) == win.matters.end()) {
              in_.problem(
                  node, fmt::format("{}.skills[{}]", f, i),
                  fmt::format("window '{}' does not list matter '{}'; a skill must be a matter of the window",
                              win.id, hall_.matters[mid.value].id));
              continue;
            }
            m.skills.push_back(mid);
          }
        }
        if (auto [it, ins] = ids.emplace(m.id, YamlInput::loc(s).line); !ins) {
          in_.problem(s, "id", f + ".id", fmt::format("duplicate staff id '{}' (line {})", m.id, it->second));
          continue;
        }
        check_overlap(m, s, f);
        ro.staff.push_back(std::move(m));
      }
    });
  }

  // Two staff members cannot sit at one window at the same time.
  void check_overlap(const StaffMember& m, const YAML::Node& at, const std::string& f) {
    const Roster& ro = hall_.operations.roster;
    const TimeSpan& a = ro.shifts[m.shift].span;
    for (const StaffMember& o : ro.staff) {
      if (o.window != m.window) continue;
      const TimeSpan& b = ro.shifts[o.shift].span;
      if (!(a.start_s < b.end_s && b.start_s < a.end_s)) continue;
      for (int d = 0; d < kWeekdays; ++d) {
        if (!m.days[d] || !o.days[d]) continue;
        in_.problem(at, f,
                    fmt::format("staff '{}' and '{}' are both at window '{}' on {} with overlapping shifts "
                                "'{}' ({}-{}) and '{}' ({}-{})",
                                m.id, o.id, hall_.windows[m.window.value].id, name(static_cast<Weekday>(d)),
                                ro.shifts[m.shift].id, hhmm(a.start_s), hhmm(a.end_s), ro.shifts[o.shift].id,
                                hhmm(b.start_s), hhmm(b.end_s)));
        return;
      }
    }
  }

  // ------------------------------------------------------------ cross-checks
  void check_coverage() {
    const Roster& ro = hall_.operations.roster;
    for (const MatterService& ms : hall_.operations.services) {
      if (ms.share <= 0) continue;
      bool served = false;
      for (const StaffMember& s : ro.staff)
        if (std::find(s.skills.begin(), s.skills.end(), ms.matter) != s.skills.end()) served = true;
      if (!served) {
        const std::string& id = hall_.matters[ms.matter.value].id;
        in_.problem(service_keys_[ms.matter.value], "services." + id,
                    fmt::format("matter '{}' has a share of {:.6g} but no staffed window serves it (no staff "
                                "member at a window listing it has it as a skill)",
                                id, ms.share));
      }
    }
  }

  void warn_unstaffed_windows() {
    std::vector<bool> staffed(hall_.windows.size(), false);
    for (const StaffMember& s : hall_.operations.roster.staff) staffed[s.window.value] = true;
    for (std::size_t i = 0; i < hall_.windows.size(); ++i)
      if (!staffed[i])
        warn(hall_.windows[i].loc, "roster.staff",
             fmt::format("no staff member ever staffs window '{}'", hall_.windows[i].id));
  }

  void warn_idle_groups() {
    const Roster& ro = hall_.operations.roster;
    std::set<std::uint32_t> wanted;
    for (const MatterService& ms : hall_.operations.services)
      if (ms.share > 0) wanted.insert(ms.matter.value);
    for (std::size_t g = 0; g < ro.groups.size(); ++g) {
      bool serves = false;
      for (WindowId w : ro.groups[g].windows)
        for (MatterId m : hall_.windows[w.value].matters)
          if (wanted.count(m.value)) serves = true;
      if (serves) continue;
      const std::string msg =
          fmt::format("window group '{}' serves none of the matters with demand", ro.groups[g].id);
      warn(g < group_locs_.size() ? group_locs_[g] : SourceLoc{}, "roster.window_groups", msg);
    }
  }

  // Appointments or priority citizens nobody calls first: legal (they are
  // called in FIFO order with the others) but probably not what was meant.
  void warn_calling_policies() {
    const Operations& ops = hall_.operations;
    const Roster& ro = ops.roster;
    auto any_window = [&](CallingPolicy p) {
      for (std::size_t i = 0; i < hall_.windows.size(); ++i) {
        CallingPolicy eff = ro.calling;
        for (const auto& [w, q] : ro.calling_by_window)
          if (w.value == i) eff = q;
        if (eff == p) return true;
      }
      return false;
    };
    if (ops.demand.appointments && ops.demand.appointments->share > 0 &&
        !any_window(CallingPolicy::appointments_first))
      warn(appointments_loc_, "demand.appointments",
           "appointments are booked but no window calls `appointments_first` (roster.calling, "
           "roster.calling_by_window); appointment holders wait in FIFO order with the others");
    if (ops.demand.priority_share > 0 && !any_window(CallingPolicy::priority))
      warn(
          priority_loc_, "demand.priority_share",
          "priority citizens come but no window calls `priority` (roster.calling, roster.calling_by_window); "
          "they wait in FIFO order with the others");
  }

  // ------------------------------------------------------------ targets, walking
  void read_targets(const YAML::Node& t) {
    const std::string f = "targets";
    if (!in_.expect_map(t, f)) return;
    in_.check_keys(t, {"wait_s", "within_target_rate_min", "abandon_rate_max", "standing_max"}, f);
    Targets& tg = hall_.operations.targets;
    if (auto v = in_.number(t, "wait_s", f, true, 0.0, 86400.0)) tg.wait_s = *v;
    tg.within_target_rate_min = in_.number(t, "within_target_rate_min", f, false, 0.0, 1.0);
    tg.abandon_rate_max = in_.number(t, "abandon_rate_max", f, false, 0.0, 1.0);
    tg.standing_max = in_.number(t, "standing_max", f, false, 0.0, 1e6);
  }

  void read_walking(const YAML::Node& w) {
    const std::string f = "walking";
    if (!in_.expect_map(w, f)) return;
    in_.check_keys(w,
                   {"enabled", "seat_limit", "speed_mean_mps", "speed_sd_mps", "speed_min_mps",
                    "speed_max_mps", "stair_speed_mps"},
                   f);
    Walking& wk = hall_.operations.walking;
    if (auto v = in_.boolean(w, "enabled", f, false)) wk.enabled = *v;
    if (auto v = in_.boolean(w, "seat_limit", f, false)) wk.seat_limit = *v;
    if (auto v = in_.number(w, "speed_mean_mps", f, false, 0.1, 5.0)) wk.speed_mean_mps = *v;
    if (auto v = in_.number(w, "speed_sd_mps", f, false, 0.0, 5.0)) wk.speed_sd_mps = *v;
    if (auto v = in_.number(w, "speed_min_mps", f, false, 0.05, 5.0)) wk.speed_min_mps = *v;
    if (auto v = in_.number(w, "speed_max_mps", f, false, 0.1, 10.0)) wk.speed_max_mps = *v;
    if (auto v = in_.number(w, "stair_speed_mps", f, false, 0.05, 5.0)) wk.stair_speed_mps = *v;
    if (!(wk.speed_min_mps <= wk.speed_mean_mps && wk.speed_mean_mps <= wk.speed_max_mps))
      in_.problem(
          w, f,
          fmt::format("expected speed_min_mps <= speed_mean_mps <= speed_max_mps; found {} <= {} <= {}",
                      wk.speed_min_mps, wk.speed_mean_mps, wk.speed_max_mps));
  }

  YamlInput& in_;
  const YAML::Node& root_;
  Hall& hall_;
  int version_;            // of the file's format
  bool hours_ok_ = false;  // roster.hours read without a problem
  SourceLoc appointments_loc_, priority_loc_;
  std::vector<std::pair<SourceLoc, std::string>> shift_where_;               // per Roster::shifts entry
  std::vector<std::vector<std::pair<SourceLoc, std::string>>> break_where_;  // per shift, per break
  std::map<std::string, MatterId> matter_index_;
  std::map<std::string, WindowId> window_index_;
  std::map<std::string, std::vector<WindowId>> row_windows_;
  std::map<std::string, std::uint32_t> shift_index_;
  std::map<std::uint32_t, YAML::Node> service_keys_;  // matter -> its key in `services`
  std::vector<SourceLoc> group_locs_;                 // where each Roster::groups entry comes from
};

}  // namespace

void read_operations(YamlInput& in, const YAML::Node& root, Hall& hall, int format_version) {
  OperationsReader(in, root, hall, format_version).read();
}

}  // namespace halltwin
