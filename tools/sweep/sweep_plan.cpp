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

// The windows of a scenario document in hall order (floors, then windows),
// with the matters each serves.
std::vector<std::pair<std::string, std::vector<std::string>>> windows_of(const YAML::Node& doc) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
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
          if (w["id"]) out.emplace_back(w["id"].as<std::string>(), matters_of(w));
      // Rows expand to <id>01, <id>02, ... from first_number (docs/scenario-format.md).
      if (const YAML::Node rows = f["window_rows"]; rows && rows.IsSequence())
        for (const auto& r : rows) {
          if (!r["id"] || !r["count"]) continue;
          const int first = r["first_number"] ? r["first_number"].as<int>() : 1;
          for (int k = 0; k < r["count"].as<int>(); ++k)
            out.emplace_back(fmt::format("{}{:02}", r["id"].as<std::string>(), first + k), matters_of(r));
        }
    }
  return out;
}

// Keeps the roster's staff on `n` of the windows it staffs: windows are
// closed from the last in hall order, skipping a window whose closing would
// leave one of its matters without any staffed window (a planner closes
// windows, not services). Fails when fewer than n are staffed, or when no
// more can close without leaving a matter unserved.
void keep_staffed_windows(YAML::Node doc, long long n) {
  YAML::Node staff = doc["roster"]["staff"];
  if (!staff || !staff.IsSequence()) throw std::runtime_error("the scenario has no roster.staff to reduce");
  std::set<std::string> staffed;
  for (const auto& s : staff)
    if (const YAML::Node ws = s["windows"]; ws && ws.IsSequence())
      for (const auto& w : ws) staffed.insert(w.as<std::string>());
  if (static_cast<long long>(staffed.size()) < n)
    throw std::runtime_error(fmt::format("staffed_windows {}: the roster staffs only {} windows", n, staffed.size()));
  const auto windows = windows_of(doc);
  std::map<std::string, int> serving;  // matter -> staffed windows serving it
  for (const auto& [id, matters] : windows)
    if (staffed.count(id))
      for (const auto& m : matters) ++serving[m];
  std::set<std::string> keep = staffed;
  for (auto it = windows.rbegin(); it != windows.rend() && static_cast<long long>(keep.size()) > n; ++it) {
    if (!keep.count(it->first)) continue;
    const bool sole = std::any_of(it->second.begin(), it->second.end(), [&](const std::string& m) { return serving[m] <= 1; });
    if (sole) continue;
    keep.erase(it->first);
    for (const auto& m : it->second) --serving[m];
  }
  if (static_cast<long long>(keep.size()) > n)
    throw std::runtime_error(fmt::format("staffed_windows {}: only {} of the {} staffed windows can close without "
                                         "leaving a matter unserved",
                                         n, staffed.size() - keep.size(), staffed.size()));
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
void set_close(YAML::Node doc, const std::string& close) {
  YAML::Node hours = doc["roster"]["hours"];
  if (!hours || !hours.IsMap() || !hours["close"]) throw std::runtime_error("the scenario has no roster.hours.close");
  const int old_close = minutes_of(hours["close"].as<std::string>());
  const int now = minutes_of(close);
  if (hours["ticket_stop"]) {
    const int stop = minutes_of(hours["ticket_stop"].as<std::string>()) + (now - old_close);
    if (stop < 0) throw std::runtime_error(fmt::format("close {} leaves no time to take a ticket", close));
    hours["ticket_stop"] = hhmm_of(stop);
  }
  hours["close"] = close;
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
    switch (src.kind) {
      case SweepSource::Kind::file: {
        const YAML::Node doc = read_doc(src.path);
        add_hall({"", src.path, src.path, scalar_or(doc["hall"]["name"], src.path), 0.0, "", {}});
        break;
      }
      case SweepSource::Kind::folder: {
        std::vector<std::string> files;
        for (const auto& e : fs::directory_iterator(src.path))
          if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path().string());
        std::sort(files.begin(), files.end());
        if (files.empty())
          throw problem_at(spec, src.loc, "scenarios", fmt::format("the folder '{}' holds no *.yaml scenario", src.path));
        for (const auto& f : files) {
          const YAML::Node doc = read_doc(f);
          add_hall({"", f, f, scalar_or(doc["hall"]["name"], f), 0.0, "", {}});
        }
        break;
      }
      case SweepSource::Kind::template_: {
        const YAML::Node base = read_doc(src.path);
        const YAML::Node pop = base["hall"]["population_served"];
        double base_pop = 0.0;
        try {
          base_pop = pop ? pop.as<double>() : 0.0;
        } catch (const YAML::Exception&) {
        }
        if (!(base_pop > 0))
          throw problem_at(spec, src.loc, "scenarios",
                           fmt::format("the template '{}' states no hall.population_served to scale from", src.path));
        const int width = static_cast<int>(std::to_string(src.count).size());
        for (int i = 1; i <= src.count; ++i) {
          const double u = static_cast<double>(mix(src.seed * 1000003ull + static_cast<std::uint64_t>(i)) >> 11) *
                           0x1.0p-53;
          const double p = std::round((src.population_min + u * (src.population_max - src.population_min)) / 1000.0) *
                           1000.0;
          YAML::Node doc = YAML::Clone(base);
          std::string name = src.name_pattern;
          name.replace(name.find("{index}"), 7, fmt::format("{:0{}}", i, width));
          doc["hall"]["name"] = name;
          doc["hall"]["population_served"] = static_cast<long long>(p);
          try {
            scale_demand(doc, p / base_pop);
          } catch (const std::exception& e) {
            throw problem_at(spec, src.loc, "scenarios", fmt::format("template '{}': {}", src.path, e.what()));
          }
          SweepHall h;
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
      const bool changes = std::any_of(pt.parameters.begin(), pt.parameters.end(),
                                       [](const auto& kv) { return kv.first != SweepAxis::Kind::emergency; });
      if (changes && pt.twin != plan.points.size()) {
        // The same scenario as its twin's: the same file, the same error.
        pt.file = plan.points[pt.twin].file;
        pt.error = plan.points[pt.twin].error;
      } else if (changes) {
        pt.file = (dir / "points" / (pt.id + ".yaml")).string();
        try {
          YAML::Node doc = YAML::Clone(hall_doc);
          for (const auto& [kind, value] : pt.parameters) {
            switch (kind) {
              case SweepAxis::Kind::demand_factor:
                scale_demand(doc, std::stod(value));
                break;
              case SweepAxis::Kind::staffed_windows:
                keep_staffed_windows(doc, std::stoll(value));
                break;
              case SweepAxis::Kind::close:
                set_close(doc, value);
                break;
              case SweepAxis::Kind::emergency:
                break;  // chooses the drill, changes no scenario
            }
          }
          pt.text = emit(doc, fmt::format("# Generated by halltwin sweep: {} with {}.\n", hall.file, pt.label()));
        } catch (const InputError& e) {
          pt.error = e.what();
        } catch (const std::exception& e) {
          pt.error = e.what();
        }
      }
      plan.points.push_back(std::move(pt));
    }
  }

  // Tasks: per point, blocks of replications; the hall's first task also
  // measures the hall (check, evac) on the hall's own file. A point with
  // nothing to replicate gets a task only when it measures its hall.
  const bool runs = spec.has(SweepCommand::run);
  auto hall_task = [](std::size_t p) { return SweepTask{p, 1, 0, true, "", false}; };
  const bool measures = spec.has(SweepCommand::check) || spec.has(SweepCommand::evac);
  // The hall's measuring task: the first task of its first point that can run
  // (a point whose parameters cannot apply gets no run); a hall without one
  // gets a task of its own, on its own file.
  std::vector<std::size_t> measuring(plan.halls.size(), plan.points.size());
  for (std::size_t p = 0; p < plan.points.size(); ++p)
    if (measuring[plan.points[p].hall] == plan.points.size() && (plan.points[p].error.empty() || !runs) &&
        plan.points[p].twin == p)
      measuring[plan.points[p].hall] = p;
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    const std::size_t h = plan.points[p].hall;
    const bool measures_hall = measures && measuring[h] == p;
    if (measures && measuring[h] == plan.points.size() && (p == 0 || plan.points[p - 1].hall != h))
      plan.tasks.push_back(hall_task(p));  // every point of the hall is unusable: measure the hall alone
    if (!runs) {
      if (measures_hall) plan.tasks.push_back(hall_task(p));
      continue;
    }
    if (plan.points[p].twin != p) continue;  // its twin's run tasks are its own
    for (int first = 1; first <= spec.replications; first += spec.block)
      plan.tasks.push_back({p, first, std::min(spec.block, spec.replications - first + 1), first == 1 && measures_hall, "", false});
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
    if (spec.has(SweepCommand::size) && plan.points[p].twin == p) {
      SweepTask t;
      t.point = p;
      t.size = true;
      plan.tasks.push_back(t);
    }
  }
  return plan;
}

void write_plan_files(const SweepPlan& plan) {
  auto write = [](const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    cli::write_file_atomically(path, text, "--out");
  };
  for (const SweepHall& h : plan.halls)
    if (!h.text.empty()) write(h.file, h.text);
  for (const SweepPoint& p : plan.points)
    if (!p.text.empty()) write(p.file, p.text);
}

}  // namespace halltwin::sweep
