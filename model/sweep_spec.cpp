#include "model/sweep_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "model/yaml_input.hpp"

namespace halltwin {

std::string_view name(SweepCommand c) {
  switch (c) {
    case SweepCommand::check:
      return "check";
    case SweepCommand::run:
      return "run";
    case SweepCommand::evac:
      return "evac";
    case SweepCommand::drill:
      return "drill";
    case SweepCommand::size:
      return "size";
    case SweepCommand::size_program:
      return "size_program";
  }
  return "?";
}

std::string_view name(SweepAxis::Kind k) {
  switch (k) {
    case SweepAxis::Kind::demand_factor:
      return "demand_factor";
    case SweepAxis::Kind::staffed_windows:
      return "staffed_windows";
    case SweepAxis::Kind::close:
      return "close";
    case SweepAxis::Kind::open_:
      return "open";
    case SweepAxis::Kind::emergency:
      return "emergency";
    case SweepAxis::Kind::staff_per_block:
      return "staff_per_block";
  }
  return "?";
}

namespace {

// A block's end as written: "HH:MM", or `keyword` (open, close) for the hall's own hours.
std::string time_text(int min, const char* keyword) {
  return min < 0 ? std::string(keyword) : fmt::format("{:02}:{:02}", min / 60, min % 60);
}

}  // namespace

std::string StaffBlock::text() const { return time_text(start_min, "open") + "-" + time_text(end_min, "close"); }

bool SweepSpec::has(SweepCommand c) const {
  return std::find(commands.begin(), commands.end(), c) != commands.end();
}

namespace {

namespace fs = std::filesystem;

bool is_hhmm(const std::string& s) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (int i : {0, 1, 3, 4})
    if (s[static_cast<std::size_t>(i)] < '0' || s[static_cast<std::size_t>(i)] > '9') return false;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  return m < 60 && (h < 24 || (h == 24 && m == 0));
}

// "HH:MM" as minutes since 00:00 (the caller checked is_hhmm).
int minutes_of(const std::string& s) { return (s[0] - '0') * 600 + (s[1] - '0') * 60 + (s[3] - '0') * 10 + (s[4] - '0'); }

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

class SweepReader {
 public:
  explicit SweepReader(const std::string& path) : in_(path) {
    spec_.file = path;
    base_ = fs::path(path).parent_path();
  }

  SweepSpec read() {
    const YAML::Node root = in_.load_file();
    if (!in_.expect_map(root, "(top level)")) in_.finish();
    in_.check_keys(root,
                   {"format", "name", "seed", "replications", "block", "days", "start", "evac_replications",
                    "drill_replications", "size", "commands", "kpis", "rank_by", "scenarios", "programs", "grid"},
                   "(top level)");
    if (auto f = in_.string(root, "format", "format", true); f && *f != kSweepFormat)
      in_.problem(root, "format", "format", fmt::format("'{}' is not supported; expected {}", shorten(*f), kSweepFormat));
    if (auto s = in_.string(root, "name", "name", true)) spec_.name = *s;
    if (auto v = in_.integer(root, "seed", "seed", false, 0, (1LL << 62))) spec_.seed = static_cast<std::uint64_t>(*v);
    if (auto v = in_.integer(root, "replications", "replications", false, 1, 100000)) spec_.replications = int(*v);
    if (auto v = in_.integer(root, "block", "block", false, 1, 10000)) spec_.block = int(*v);
    if (auto v = in_.integer(root, "days", "days", false, 1, 366)) spec_.days = int(*v);
    if (auto v = in_.integer(root, "evac_replications", "evac_replications", false, 1, 1000))
      spec_.evac_replications = int(*v);
    if (auto v = in_.integer(root, "drill_replications", "drill_replications", false, 1, 10000))
      spec_.drill_replications = int(*v);
    if (auto s = in_.string(root, "start", "start", false)) {
      if (is_date(*s))
        spec_.start = *s;
      else
        in_.problem(root, "start", "start", fmt::format("'{}' is not a date; expected YYYY-MM-DD", shorten(*s)));
    }
    read_sources(root, "scenarios");
    read_sources(root, "programs");
    // Without a commands list: check and run for scenarios, size_program for programs.
    const bool scenarios = root["scenarios"].IsDefined(), programs = root["programs"].IsDefined();
    if (!scenarios && !programs)
      in_.problem(root, "scenarios",
                  "missing; expected a list of {file}, {folder} or {template} entries (scenarios), or programs");
    if (programs) spec_.commands = scenarios ? std::vector<SweepCommand>{SweepCommand::check, SweepCommand::run,
                                                                         SweepCommand::size_program}
                                             : std::vector<SweepCommand>{SweepCommand::size_program};
    read_commands(root["commands"]);
    read_kpis(root);
    read_grid(root["grid"]);
    read_size(root["size"]);
    check_programs(root, scenarios, programs);
    // The emergency axis chooses the plan `drill` runs: without `drill` it would change nothing.
    for (const SweepAxis& a : spec_.grid)
      if (a.kind == SweepAxis::Kind::emergency && !spec_.has(SweepCommand::drill))
        in_.problem(a.loc, "grid.emergency", "an emergency plan is drilled by the `drill` command; add drill to commands");
    if (root["drill_replications"] && !spec_.has(SweepCommand::drill))
      in_.problem(root, "drill_replications", "drill_replications", "applies only with `drill` among the commands");
    in_.finish();
    return std::move(spec_);
  }

 private:
  void read_commands(const YAML::Node& n) {
    if (!n) return;
    if (!in_.expect_sequence(n, "commands")) return;
    spec_.commands.clear();
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string field = fmt::format("commands[{}]", i);
      auto s = in_.string_value(n[i], field);
      if (!s) continue;
      std::optional<SweepCommand> c;
      for (SweepCommand k : {SweepCommand::check, SweepCommand::run, SweepCommand::evac, SweepCommand::drill,
                             SweepCommand::size, SweepCommand::size_program})
        if (name(k) == *s) c = k;
      if (!c) {
        in_.problem(n[i], field,
                    fmt::format("'{}' is not a command a sweep runs; expected check, run, evac, drill, size or "
                                "size_program",
                                shorten(*s)));
      } else if (spec_.has(*c)) {
        in_.problem(n[i], field, fmt::format("'{}' is listed twice", *s));
      } else {
        spec_.commands.push_back(*c);
      }
    }
    if (n.size() == 0)
      in_.problem(n, "commands", "expected at least one of check, run, evac, drill, size, size_program");
  }

  // Programs (new halls, `halltwin size --program`) take the size_program
  // command and the axes that change a program (demand, closing time); the
  // scenario commands need scenarios.
  void check_programs(const YAML::Node& root, bool scenarios, bool programs) {
    const YAML::Node commands = root["commands"];
    const YAML::Node at = commands ? commands : root;
    if (programs && !spec_.has(SweepCommand::size_program))
      in_.problem(at, "commands", "the sweep lists programs: add size_program (the sizing of a new hall) to the commands");
    if (!programs && spec_.has(SweepCommand::size_program))
      in_.problem(at, "commands", "size_program sizes the new halls of a `programs` list; the sweep lists none");
    if (!scenarios)
      for (SweepCommand c : spec_.commands)
        if (c != SweepCommand::size_program)
          in_.problem(at, "commands",
                      fmt::format("`{}` evaluates scenarios; the sweep lists programs only (size_program)", name(c)));
    if (programs)
      for (const SweepAxis& a : spec_.grid)
        if (a.kind != SweepAxis::Kind::demand_factor && a.kind != SweepAxis::Kind::close &&
            a.kind != SweepAxis::Kind::open_)
          in_.problem(a.loc, "grid." + std::string(name(a.kind)),
                      "does not apply to programs (a new hall's windows and staff are what size_program finds); a "
                      "sweep with programs takes the axes demand_factor, open and close");
  }

  // size: {targets: ["wait_p90_s<=900"], replications: 10, by_block: 30, quick: false}
  void read_size(const YAML::Node& n) {
    if (!n) return;
    spec_.size.loc = YamlInput::loc(n);
    if (!spec_.has(SweepCommand::size) && !spec_.has(SweepCommand::size_program)) {
      in_.problem(n, "size", "applies only with `size` or `size_program` among the commands");
      return;
    }
    if (!in_.expect_map(n, "size")) return;
    in_.check_keys(n, {"targets", "replications", "by_block", "quick"}, "size");
    // A program states its own targets and blocks (docs/size.md).
    if (!spec_.has(SweepCommand::size))
      for (const char* k : {"targets", "by_block"})
        if (n[k]) in_.problem(n[k], std::string("size.") + k, "applies only to `size` (a program states its own)");
    if (const YAML::Node t = n["targets"]) {
      if (in_.expect_sequence(t, "size.targets")) {
        if (t.size() == 0) in_.problem(t, "size.targets", "expected at least one target (or leave the key out: each "
                                                            "scenario's own targets)");
        for (std::size_t i = 0; i < t.size(); ++i)
          if (auto s = in_.string_value(t[i], fmt::format("size.targets[{}]", i))) {
            spec_.size.targets.push_back(*s);
            spec_.size.target_locs.push_back(YamlInput::loc(t[i]));
          }
      }
    }
    // halltwin size needs two replications for a confidence bound.
    if (auto v = in_.integer(n, "replications", "size", false, 2, 1000)) spec_.size.replications = int(*v);
    if (auto v = in_.integer(n, "by_block", "size", false, 5, 240)) spec_.size.by_block = int(*v);
    if (auto v = in_.boolean(n, "quick", "size", false)) spec_.size.quick = *v;
  }

  void read_kpis(const YAML::Node& root) {
    if (const YAML::Node n = root["kpis"]) {
      spec_.kpis_loc = YamlInput::loc(n);
      if (in_.expect_sequence(n, "kpis"))
        for (std::size_t i = 0; i < n.size(); ++i)
          if (auto s = in_.string_value(n[i], fmt::format("kpis[{}]", i))) spec_.kpis.push_back(*s);
    }
    if (const YAML::Node n = root["rank_by"]) {
      spec_.rank_by_loc = YamlInput::loc(n);
      in_.check_keys(n, {"kpi", "order"}, "rank_by");
      if (in_.expect_map(n, "rank_by")) {
        if (auto s = in_.string(n, "kpi", "rank_by", true)) spec_.rank_by = *s;
        if (auto s = in_.string(n, "order", "rank_by", false)) {
          if (*s == "descending")
            spec_.rank_descending = true;
          else if (*s != "ascending")
            in_.problem(n, "order", "rank_by.order",
                        fmt::format("'{}' is not an order; expected ascending or descending", shorten(*s)));
        }
      }
    }
  }

  std::string resolve(const std::string& p) const {
    const fs::path q(p);
    return (q.is_absolute() ? q : base_ / q).lexically_normal().string();
  }

  // `scenarios` (hall scenarios) or `programs` (demand programs of new halls):
  // the same entries, file, folder or template.
  void read_sources(const YAML::Node& root, const char* list) {
    const YAML::Node n = root[list];
    if (!n) return;
    if (!in_.expect_sequence(n, list)) return;
    if (n.size() == 0) in_.problem(n, list, "expected at least one entry");
    for (std::size_t i = 0; i < n.size(); ++i) {
      const std::string field = fmt::format("{}[{}]", list, i);
      const YAML::Node e = n[i];
      if (!in_.expect_map(e, field)) continue;
      in_.check_keys(e, {"file", "folder", "template", "count", "name", "population_served", "seed"}, field);
      SweepSource s;
      s.loc = YamlInput::loc(e);
      s.program = std::string(list) == "programs";
      const int kinds = (e["file"] ? 1 : 0) + (e["folder"] ? 1 : 0) + (e["template"] ? 1 : 0);
      if (kinds != 1) {
        in_.problem(e, field, "expected exactly one of file, folder, template");
        continue;
      }
      const char* key = e["file"] ? "file" : e["folder"] ? "folder" : "template";
      s.kind = e["file"] ? SweepSource::Kind::file
               : e["folder"] ? SweepSource::Kind::folder
                             : SweepSource::Kind::template_;
      auto path = in_.string(e, key, field, true);
      if (!path) continue;
      s.path = resolve(*path);
      std::error_code ec;
      const bool dir = fs::is_directory(s.path, ec);
      if (s.kind == SweepSource::Kind::folder ? !dir : !fs::is_regular_file(s.path, ec))
        in_.problem(e[key], field + "." + key,
                    fmt::format("'{}' is not {} (resolved against the sweep file's folder)", s.path,
                                s.kind == SweepSource::Kind::folder ? "a folder" : "a readable file"));
      if (s.kind == SweepSource::Kind::template_) {
        if (auto c = in_.integer(e, "count", field, true, 1, 100000)) s.count = int(*c);
        s.name_pattern = in_.string(e, "name", field, true).value_or("");
        if (!s.name_pattern.empty() && s.name_pattern.find("{index}") == std::string::npos)
          in_.problem(e, "name", field + ".name", "expected a pattern with {index} (each generated hall's number)");
        if (auto v = in_.integer(e, "seed", field, false, 0, (1LL << 62))) s.seed = static_cast<std::uint64_t>(*v);
        const YAML::Node p = e["population_served"];
        if (!p) {
          in_.problem(e, field + ".population_served", "missing; expected {min: N, max: N}");
        } else if (in_.expect_map(p, field + ".population_served")) {
          in_.check_keys(p, {"min", "max"}, field + ".population_served");
          auto lo = in_.number(p, "min", field + ".population_served", true, 1, 1e9);
          auto hi = in_.number(p, "max", field + ".population_served", true, 1, 1e9);
          if (lo && hi && *hi < *lo)
            in_.problem(p, field + ".population_served", fmt::format("max {} is below min {}", *hi, *lo));
          s.population_min = lo.value_or(0);
          s.population_max = hi.value_or(0);
        }
      } else {
        for (const char* k : {"count", "name", "population_served", "seed"})
          if (e[k]) in_.problem(e[k], field + "." + k, "only a template entry takes this key");
      }
      spec_.sources.push_back(std::move(s));
    }
  }

  void read_grid(const YAML::Node& n) {
    if (!n) return;
    if (!in_.expect_map(n, "grid")) return;
    in_.check_keys(n, {"demand_factor", "staffed_windows", "open", "close", "emergency", "staff_per_block"}, "grid");
    for (const auto& kv : n) {
      const std::string key = kv.first.Scalar();
      SweepAxis a;
      if (key == "demand_factor")
        a.kind = SweepAxis::Kind::demand_factor;
      else if (key == "staffed_windows")
        a.kind = SweepAxis::Kind::staffed_windows;
      else if (key == "close")
        a.kind = SweepAxis::Kind::close;
      else if (key == "open")
        a.kind = SweepAxis::Kind::open_;
      else if (key == "emergency")
        a.kind = SweepAxis::Kind::emergency;
      else if (key == "staff_per_block")
        a.kind = SweepAxis::Kind::staff_per_block;
      else
        continue;  // reported by check_keys
      const std::string field = "grid." + key;
      a.loc = YamlInput::loc(kv.second);
      // `emergency: all` is the one scalar an axis takes: every plan of each hall.
      if (a.kind == SweepAxis::Kind::emergency && kv.second.IsScalar()) {
        if (kv.second.Scalar() == "all") {
          a.values.push_back("all");
          a.value_locs.push_back(a.loc);
        } else {
          in_.problem(kv.second, field,
                      fmt::format("'{}': expected a list of plan names (and none), or all", shorten(kv.second.Scalar())));
        }
        spec_.grid.push_back(std::move(a));
        continue;
      }
      if (!in_.expect_sequence(kv.second, field)) continue;
      if (kv.second.size() == 0) in_.problem(kv.second, field, "expected at least one value");
      for (std::size_t i = 0; i < kv.second.size(); ++i) {
        const YAML::Node v = kv.second[i];
        const std::string f = fmt::format("{}[{}]", field, i);
        const std::size_t before = a.values.size();
        switch (a.kind) {
          case SweepAxis::Kind::demand_factor:
            if (auto x = in_.number_value(v, f, 0.01, 100)) a.values.push_back(fmt::format("{}", *x));
            break;
          case SweepAxis::Kind::staffed_windows:
            if (auto x = in_.number_value(v, f, 1, 10000)) {
              if (*x != static_cast<double>(static_cast<long long>(*x)))
                in_.problem(v, f, "expected a whole number of windows");
              else
                a.values.push_back(fmt::format("{}", static_cast<long long>(*x)));
            }
            break;
          case SweepAxis::Kind::open_:
          case SweepAxis::Kind::close:
            if (auto x = in_.string_value(v, f)) {
              if (is_hhmm(*x))
                a.values.push_back(*x);
              else
                in_.problem(v, f, fmt::format("'{}' is not a time of day; expected \"HH:MM\"", shorten(*x)));
            }
            break;
          case SweepAxis::Kind::emergency:
            // Plan names are checked against each hall's emergencies when the sweep expands.
            if (auto x = in_.string_value(v, f)) {
              if (x->empty())
                in_.problem(v, f, "expected a plan name of the halls' emergencies section, none or all");
              else
                a.values.push_back(*x);
            }
            break;
          case SweepAxis::Kind::staff_per_block:
            if (auto blocks = read_staff_blocks(v, f)) {
              std::string text;
              for (const StaffBlock& b : *blocks)
                text += (text.empty() ? "" : ",") + b.text() + "=" + std::to_string(b.staff);
              a.values.push_back(text);
              a.blocks.push_back(std::move(*blocks));
            }
            break;
        }
        if (a.values.size() > before) a.value_locs.push_back(YamlInput::loc(v));
      }
      for (std::size_t i = 0; i < a.values.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (a.values[i] == a.values[j])
            in_.problem(kv.second, field, fmt::format("the value {} is listed twice", a.values[i]));
      spec_.grid.push_back(std::move(a));
    }
    // Both say how many windows are staffed: together they would contradict each other.
    if (n["staff_per_block"] && n["staffed_windows"])
      in_.problem(n, "staff_per_block", "grid.staff_per_block",
                  "replaces the roster's staffing, so it cannot be combined with staffed_windows; give the staff "
                  "of each block instead");
  }

  // One staff_per_block option: {"09:00-12:00": 6, "12:00-13:30": 3, "13:30-close": 6}.
  // The blocks follow each other in time without gap or overlap; the first
  // may start at `open`, the last may end at `close` (each hall's own hours,
  // checked against them when the sweep expands). nullopt after a problem.
  std::optional<std::vector<StaffBlock>> read_staff_blocks(const YAML::Node& v, const std::string& field) {
    const char* example = "expected a map of time blocks to staff on duty, e.g. {\"09:00-12:00\": 6, \"12:00-17:00\": 4}";
    if (!v.IsMap() || v.size() == 0) {
      in_.problem(v, field, example);
      return std::nullopt;
    }
    std::vector<StaffBlock> out;
    bool ok = true;
    for (const auto& kv : v) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
      const std::string f = field + "." + (key.empty() ? "?" : key);
      StaffBlock b;
      b.loc = YamlInput::loc(kv.first);
      b.staff_loc = YamlInput::loc(kv.second);
      const std::size_t dash = key.find('-');
      const std::string from = dash == std::string::npos ? key : key.substr(0, dash);
      const std::string to = dash == std::string::npos ? std::string() : key.substr(dash + 1);
      const bool from_ok = from == "open" || is_hhmm(from), to_ok = to == "close" || is_hhmm(to);
      if (dash == std::string::npos || !from_ok || !to_ok) {
        in_.problem(kv.first, f,
                    fmt::format("'{}' is not a time block; expected \"HH:MM-HH:MM\" (open and close stand for each "
                                "hall's own hours: \"open-12:00\", \"13:30-close\")",
                                shorten(key)));
        ok = false;
        continue;
      }
      b.start_min = from == "open" ? StaffBlock::kOpen : minutes_of(from);
      b.end_min = to == "close" ? StaffBlock::kClose : minutes_of(to);
      if (b.start_min >= 0 && b.end_min >= 0 && b.end_min <= b.start_min) {
        in_.problem(kv.first, f, fmt::format("'{}' ends before it starts", key));
        ok = false;
      }
      if (auto x = in_.number_value(kv.second, f, 1, 10000)) {
        if (*x != static_cast<double>(static_cast<long long>(*x))) {
          in_.problem(kv.second, f, "expected a whole number of staff on duty (at least 1)");
          ok = false;
        } else {
          b.staff = static_cast<int>(*x);
        }
      } else {
        ok = false;
      }
      // In time order, each block where the one before ends: staff on duty at every moment.
      if (!out.empty()) {
        const StaffBlock& prev = out.back();
        if (b.start_min == StaffBlock::kOpen) {
          in_.problem(kv.first, f, "only the first block can start at open");
          ok = false;
        } else if (prev.end_min == StaffBlock::kClose) {
          in_.problem(kv.first, f, fmt::format("comes after '{}', which ends at close", prev.text()));
          ok = false;
        } else if (b.start_min < prev.end_min) {
          in_.problem(kv.first, f,
                      fmt::format("overlaps '{}'; list the blocks in time order without overlapping", prev.text()));
          ok = false;
        } else if (b.start_min > prev.end_min) {
          in_.problem(kv.first, f,
                      fmt::format("leaves {}-{} without staff after '{}'; the blocks must cover the opening hours "
                                  "without a gap",
                                  time_text(prev.end_min, ""), time_text(b.start_min, ""), prev.text()));
          ok = false;
        }
      }
      out.push_back(b);
    }
    if (!ok) return std::nullopt;
    return out;
  }

  YamlInput in_;
  SweepSpec spec_;
  fs::path base_;
};

}  // namespace

SweepSpec load_sweep(const std::string& path) { return SweepReader(path).read(); }

}  // namespace halltwin
