#include "tools/sweep/sweep_results.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <cstring>

#include "model/input_error.hpp"
#include "sim/kpi/kpi.hpp"
#include "tools/halltwin/output_file.hpp"

namespace halltwin::sweep {

namespace fs = std::filesystem;
using nlohmann::json;

json record_to_json(const TaskRecord& r) {
  json j = {{"task", r.task}, {"ok", r.ok}};
  if (r.ok)
    j["result"] = r.result;
  else
    j["message"] = r.message;
  return j;
}

TaskRecord record_from_json(const json& j) {
  TaskRecord r;
  r.task = j.at("task").get<std::size_t>();
  r.ok = j.at("ok").get<bool>();
  if (r.ok)
    r.result = j.at("result");
  else
    r.message = j.at("message").get<std::string>();
  return r;
}

Checkpoint::Checkpoint(const std::string& dir, const std::string& fingerprint, std::size_t tasks, bool resume)
    : path_((fs::path(dir) / "checkpoint.jsonl").string()), offset_(tasks, -1), ok_(tasks, 0) {
  const json header = {{"halltwin_sweep_checkpoint", 1}, {"fingerprint", fingerprint}, {"tasks", tasks}};
  std::error_code ec;
  const bool exists = fs::exists(path_, ec);
  if (exists && !resume)
    throw InputError(InputProblem{dir, 0, 0, "--out",
                                  "the folder holds a sweep's checkpoint already; continue it with --resume, or give "
                                  "another --out"});
  if (exists) {
    std::ifstream in(path_, std::ios::binary);
    std::string line;
    bool first = true;
    for (long long at = 0; std::getline(in, line); at = static_cast<long long>(in.tellg())) {
      json j;
      try {
        j = json::parse(line);
      } catch (const json::exception&) {
        if (in.eof()) break;
        continue;  // a torn line from a killed run: its task runs again
      }
      if (first) {
        first = false;
        if (j.value("fingerprint", "") != fingerprint)
          throw InputError(InputProblem{path_, 1, 0, "--resume",
                                        "this checkpoint belongs to another sweep (the sweep file or a hall's file "
                                        "changed since); start again with another --out"});
        if (in.eof()) break;
        continue;
      }
      try {
        const TaskRecord r = record_from_json(j);
        if (r.task < tasks) {
          done_ += offset_[r.task] < 0;
          offset_[r.task] = at;
          ok_[r.task] = r.ok;
        }
      } catch (const json::exception&) {
      }
      if (in.eof()) break;
    }
  }
  fs::create_directories(dir, ec);
  file_ = std::fopen(path_.c_str(), exists ? "a" : "w");
  if (!file_)
    throw InputError(InputProblem{path_, 0, 0, "--out", fmt::format("cannot write the checkpoint: {}", std::strerror(errno))});
  if (!exists) {
    const std::string h = header.dump() + "\n";
    std::fwrite(h.data(), 1, h.size(), file_);
  } else {
    // A torn last line has no newline: start the next record on a line of its own.
    std::fwrite("\n", 1, 1, file_);
  }
  std::fflush(file_);
  fsync(fileno(file_));
}

Checkpoint::~Checkpoint() {
  if (file_) std::fclose(file_);
}

void Checkpoint::add(const TaskRecord& r) {
  const std::string line = record_to_json(r).dump() + "\n";
  std::fseek(file_, 0, SEEK_END);
  const long long at = std::ftell(file_);
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
  fsync(fileno(file_));
  if (r.task < offset_.size()) {
    done_ += offset_[r.task] < 0;
    offset_[r.task] = at;
    ok_[r.task] = r.ok;
  }
}

TaskRecord Checkpoint::read(std::size_t task) const {
  if (!done(task)) throw std::logic_error(fmt::format("sweep: task {} has no record in the checkpoint", task));
  if (!reader_.is_open()) reader_.open(path_, std::ios::binary);
  reader_.clear();
  reader_.seekg(offset_[task]);
  std::string line;
  if (!reader_ || !std::getline(reader_, line))
    throw std::runtime_error(fmt::format("sweep: cannot read task {}'s record back from {}", task, path_));
  return record_from_json(json::parse(line));
}

namespace {

std::string csv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// A message on one line (the first, with a count of the others): for the CSV and the table.
std::string one_line(const std::string& s) {
  const auto nl = s.find('\n');
  if (nl == std::string::npos) return s;
  const auto more = std::count(s.begin() + static_cast<std::ptrdiff_t>(nl), s.end(), '\n');
  return s.substr(0, nl) + fmt::format(" (+{} more line{})", more, more == 1 ? "" : "s");
}

std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : one_line(s)) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string num(double v) {
  if (!std::isfinite(v)) return "";
  return fmt::format("{:.6g}", v);
}

json estimate_json(const std::vector<double>& xs, std::optional<kpi::Kpi> k) {
  if (xs.empty()) return nullptr;
  double lo = -HUGE_VAL, hi = HUGE_VAL;
  if (k) std::tie(lo, hi) = kpi::natural_range(*k);
  if (!k) lo = 0.0;
  const kpi::Estimate e = kpi::estimate(xs, lo, hi);
  json j = {{"mean", e.mean}, {"n", xs.size()}};
  if (e.ci95_low) j["ci95_low"] = *e.ci95_low;
  if (e.ci95_high) j["ci95_high"] = *e.ci95_high;
  return j;
}

// Everything the tasks of one point produced.
struct PointData {
  std::vector<std::pair<int, json>> reps;  // (replication, kpis)
  std::optional<json> check, evac;
  std::vector<json> drills;  // drill tasks' results, in task order (the point's plan order)
  std::optional<json> size;
  std::optional<json> size_program;  // a program's point: the new hall as sized
  std::vector<std::string> failures;        // every failed task of the point (after sharing)
  std::vector<std::string> shared_failures;  // its run and size tasks' (a twin shares them)
  std::vector<std::string> drill_failures;   // its drill tasks'
  std::size_t tasks = 0, tasks_done = 0, tasks_ok = 0;
};

// Which task of a point failed, for the message.
std::string task_label(const SweepTask& t) {
  if (!t.drill.empty()) return "drill " + t.drill;
  if (t.size) return "size";
  if (t.size_program) return "size_program";
  if (t.replications == 0) return "check/evac of the hall";
  return fmt::format("replications {}-{}", t.first_replication, t.first_replication + t.replications - 1);
}

// The drills of a point in short: how many promises kept and broken, which broke.
struct DrillTally {
  int kept = 0, broken = 0;
  std::vector<std::string> broken_list;  // "plan: promise"
};

DrillTally tally(const std::vector<json>& drills) {
  DrillTally t;
  for (const auto& d : drills)
    for (const auto& p : d["promises"]) {
      if (p["verdict"] == "kept") {
        ++t.kept;
      } else {
        ++t.broken;
        t.broken_list.push_back(d["emergency"].get<std::string>() + ": " + p["promise"].get<std::string>());
      }
    }
  return t;
}

std::string joined(const std::vector<std::string>& xs, const char* sep) {
  std::string s;
  for (const auto& x : xs) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string json_num(const json& v) { return v.is_number() ? num(v.get<double>()) : ""; }

}  // namespace

std::size_t write_results(const SweepSpec& spec, const SweepPlan& plan, const Checkpoint& records,
                          const std::string& dir, const std::vector<std::string>& kept) {
  // Run KPIs only when the sweep runs the operations days (else the columns would stay empty).
  const std::vector<std::string> kpis = spec.has(SweepCommand::run) ? kept : std::vector<std::string>{};
  const bool drills = spec.has(SweepCommand::drill), sizes = spec.has(SweepCommand::size);
  const bool runs = spec.has(SweepCommand::run);
  const bool programs = spec.has(SweepCommand::size_program);

  // Which tasks belong to which point and hall (indices only: the records stay in the file).
  std::vector<std::vector<std::size_t>> point_tasks(plan.points.size());
  std::vector<std::vector<std::size_t>> hall_tasks(plan.halls.size());
  std::size_t failed = 0;
  // Drill KPI columns "PLAN:KEY": every plan's KPIs as the drills gave them,
  // in task order (the same whatever the ranks and jobs).
  std::vector<std::pair<std::string, std::string>> drill_columns;
  for (std::size_t t = 0; t < plan.tasks.size(); ++t) {
    const SweepTask& task = plan.tasks[t];
    (task.hall_measures ? hall_tasks[plan.points[task.point].hall] : point_tasks[task.point]).push_back(t);
    if (records.done(t) && !records.ok(t)) ++failed;
    if (!task.drill.empty() && records.ok(t)) {
      const TaskRecord r = records.read(t);
      if (!r.result.contains("drill")) continue;
      const json& dr = r.result["drill"];
      for (const auto& [key, v] : dr["kpis"].items()) {
        std::pair<std::string, std::string> c{dr["emergency"].get<std::string>(), key};
        if (std::find(drill_columns.begin(), drill_columns.end(), c) == drill_columns.end()) drill_columns.push_back(c);
      }
    }
  }

  // The hall's task (check, evac): every point of the hall shows its result or its failure.
  struct HallData {
    std::optional<json> check, evac;
    std::vector<std::string> failures;
    std::size_t tasks = 0, tasks_ok = 0;
  };
  auto hall_data = [&](std::size_t h) {
    HallData hd;
    for (std::size_t t : hall_tasks[h]) {
      ++hd.tasks;
      if (!records.done(t)) continue;
      const TaskRecord r = records.read(t);
      if (!r.ok) {
        hd.failures.push_back(task_label(plan.tasks[t]) + ": " + r.message);
        continue;
      }
      ++hd.tasks_ok;
      if (r.result.contains("check")) hd.check = r.result["check"];
      if (r.result.contains("evac")) hd.evac = r.result["evac"];
    }
    return hd;
  };
  // A point's own tasks (run blocks, drills, size).
  auto own_data = [&](std::size_t p) {
    PointData d;
    for (std::size_t t : point_tasks[p]) {
      const SweepTask& task = plan.tasks[t];
      ++d.tasks;
      if (!records.done(t)) continue;
      ++d.tasks_done;
      const TaskRecord r = records.read(t);
      if (!r.ok) {
        (task.drill.empty() ? d.shared_failures : d.drill_failures).push_back(task_label(task) + ": " + r.message);
        continue;
      }
      ++d.tasks_ok;
      if (r.result.contains("drill")) d.drills.push_back(r.result["drill"]);
      if (r.result.contains("size")) d.size = r.result["size"];
      if (r.result.contains("size_program")) d.size_program = r.result["size_program"];
      if (r.result.contains("replications"))
        for (const auto& x : r.result["replications"]) d.reps.emplace_back(x["r"].get<int>(), x["kpis"]);
    }
    return d;
  };
  auto point_data = [&](std::size_t p, const HallData& hd) {
    PointData d = own_data(p);
    // A point whose scenario is its twin's (they differ in the emergency alone)
    // shows the twin's run replications and size result.
    const std::size_t q = plan.points[p].twin;
    if (q != p && q < plan.points.size()) {
      PointData twin = own_data(q);
      d.reps = std::move(twin.reps);
      d.size = std::move(twin.size);
      d.shared_failures = std::move(twin.shared_failures);
    }
    // Check and evac are the hall's (measured once, by its own task): every
    // point of the hall shows them, and counts the task among its own.
    d.check = hd.check;
    d.evac = hd.evac;
    d.tasks += hd.tasks;
    d.tasks_ok += hd.tasks_ok;
    d.failures = hd.failures;
    d.failures.insert(d.failures.end(), d.shared_failures.begin(), d.shared_failures.end());
    d.failures.insert(d.failures.end(), d.drill_failures.begin(), d.drill_failures.end());
    std::sort(d.reps.begin(), d.reps.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return d;
  };

  // results.csv: a row per point and replication.
  cli::OutputFile csv_file((fs::path(dir) / "results.csv").string(), "--out");
  std::ostream& out = csv_file.stream();
  out << "hall,hall_name,point,parameters,replication,status,check_verdict,check_failed";
  for (const auto& k : kpis) out << "," << k;
  out << ",evac_time_s";
  if (drills) {
    out << ",drills,drill_verdict,drill_promises_kept,drill_promises_broken,drill_broken";
    for (const auto& [plan_name, key] : drill_columns) out << "," << csv(plan_name + ":" + key);
  }
  if (sizes) out << ",size_met,size_unreachable,size_staff_hours,size_peak_staff";
  if (programs)
    out << ",program_met,program_unreachable,program_windows,program_seats,program_staff_hours,program_peak_staff,"
           "program_building_area_m2,program_occupant_load,program_exit_width_required_m,program_check_failed,"
           "program_wait_p90_s,program_abandon_rate";
  out << ",message\n";
  auto write_rows = [&](std::size_t p, const PointData& d) {
    const SweepPoint& pt = plan.points[p];
    const SweepHall& h = plan.halls[pt.hall];
    const std::string head = csv(h.id) + "," + csv(h.name) + "," + csv(pt.id) + "," + csv(pt.label());
    const std::string verdict = d.check ? (*d.check)["verdict"].get<std::string>() : "";
    const std::string nfail = d.check ? std::to_string((*d.check)["failed"].get<int>()) : "";
    auto evac_time = [&](int r) -> std::string {
      if (!d.evac || !d.evac->contains("time_s")) return "";
      const auto& ts = (*d.evac)["time_s"];
      return r >= 1 && static_cast<std::size_t>(r) <= ts.size() ? num(ts[static_cast<std::size_t>(r - 1)].get<double>()) : "";
    };
    // The point's drills and size are one result each (over their own
    // replications): every row of the point shows them, as check_verdict.
    std::string tail;
    if (drills) {
      const DrillTally t = tally(d.drills);
      tail += "," + csv(pt.drills.empty() ? "none" : joined(pt.drills, " "));
      tail += "," + std::string(d.drills.empty() ? "" : t.broken ? "broken" : "kept");
      tail += "," + (d.drills.empty() ? std::string() : std::to_string(t.kept));
      tail += "," + (d.drills.empty() ? std::string() : std::to_string(t.broken));
      tail += "," + csv(joined(t.broken_list, "; "));
      for (const auto& [plan_name, key] : drill_columns) {
        std::string v;
        for (const auto& dr : d.drills)
          if (dr["emergency"] == plan_name && dr["kpis"].contains(key)) v = json_num(dr["kpis"][key]);
        tail += "," + v;
      }
    }
    if (sizes) {
      if (d.size)
        tail += fmt::format(",{},{},{},{}", (*d.size)["met"].get<bool>() ? "yes" : "no",
                            (*d.size)["unreachable"].get<bool>() ? "yes" : "no", json_num((*d.size)["staff_hours"]),
                            json_num((*d.size)["peak_staff"]));
      else
        tail += ",,,,";
    }
    if (programs) {
      if (d.size_program) {
        const json& z = *d.size_program;
        tail += fmt::format(",{},{},{},{},{},{},{},{},{},{},{},{}", z["met"].get<bool>() ? "yes" : "no",
                            z["unreachable"].get<bool>() ? "yes" : "no", json_num(z["windows"]), json_num(z["seats"]),
                            json_num(z["staff_hours"]), json_num(z["peak_staff"]), json_num(z["building_area_m2"]),
                            json_num(z["occupant_load"]), json_num(z["exit_width_required_m"]),
                            json_num(z["check"]["fail"]), json_num(z["draft_run"].value("wait_p90_s", json())),
                            json_num(z["draft_run"].value("abandon_rate", json())));
      } else {
        tail += std::string(12, ',');
      }
    }
    // A program's point is one row (its sizing); a scenario's a row per replication.
    const bool point_runs = runs && !h.program;
    const int rows = point_runs ? spec.replications : h.program ? 1 : std::max(1, spec.evac_replications);
    // Without run, a point's row stands for its other tasks: failed when it had
    // some and none ran (or its parameters cannot apply).
    const bool point_failed = !pt.error.empty() || (d.tasks > 0 && d.tasks_ok == 0);
    for (int r = 1; r <= rows; ++r) {
      const auto it = std::find_if(d.reps.begin(), d.reps.end(), [&](const auto& x) { return x.first == r; });
      const bool have = point_runs ? it != d.reps.end() : !point_failed;
      std::string line = head + "," + std::to_string(r) + "," + (have && d.failures.empty() ? "ok" : have ? "partial" : "failed");
      line += "," + verdict + "," + nfail;
      for (const auto& k : kpis) line += "," + (it != d.reps.end() ? num(it->second[k].get<double>()) : "");
      line += "," + evac_time(r) + tail + ",";
      if (!have || !d.failures.empty()) {
        std::string msg = pt.error;  // the point's own error fails each of its tasks alike
        if (msg.empty()) msg = joined(d.failures, "; ");
        line += csv(one_line(msg));
      }
      out << line << "\n";
    }
  };

  // summary.json: per point, each KPI's mean and 95% interval over
  // replications. Written as nlohmann's dump(2) of the whole document would
  // be (keys in order), one point at a time.
  auto point_summary = [&](std::size_t p, const PointData& d) {
    const SweepPoint& pt = plan.points[p];
    const SweepHall& h = plan.halls[pt.hall];
    json params = json::object();
    for (const auto& [k, v] : pt.parameters) params[std::string(name(k))] = v;
    json j = {{"point", pt.id}, {"hall", h.id}, {"hall_name", h.name}, {"file", pt.file},
              {"parameters", params}, {"replications", d.reps.size()},
              {"tasks", d.tasks}, {"tasks_failed", d.failures.size()}};
    if (h.population > 0) j["population_served"] = h.population;
    json k = json::object();
    for (const auto& kname : kpis) {
      std::vector<double> xs;
      for (const auto& [r, v] : d.reps) xs.push_back(v[kname].get<double>());
      k[kname] = estimate_json(xs, kpi::parse_kpi(kname));
    }
    j["kpis"] = k;
    if (d.check) j["check"] = *d.check;
    if (d.evac) {
      json e = *d.evac;
      if (e.contains("time_s")) {
        std::vector<double> xs;
        for (const auto& x : e["time_s"]) xs.push_back(x.get<double>());
        e["time_s"] = estimate_json(xs, std::nullopt);
      }
      j["evac"] = e;
    }
    if (drills) {
      // Each drill's promises and its KPIs with the 95% interval over its replications.
      json list = json::array();
      for (const auto& dr : d.drills) {
        json kp = json::object();
        for (const auto& [key, v] : dr["kpis"].items()) {
          json e = {{"mean", v}, {"n", dr["replications"]}};
          if (dr["kpis_ci95"].contains(key)) {
            e["ci95_low"] = dr["kpis_ci95"][key][0];
            e["ci95_high"] = dr["kpis_ci95"][key][1];
          }
          kp[key] = e;
        }
        list.push_back({{"emergency", dr["emergency"]}, {"kind", dr["kind"]}, {"date", dr["date"]},
                        {"replications", dr["replications"]}, {"all_kept", dr["all_kept"]},
                        {"promises", dr["promises"]}, {"kpis", kp}});
      }
      const DrillTally t = tally(d.drills);
      j["drill"] = {{"plans", pt.drills},
                    {"verdict", d.drills.empty() ? json(nullptr) : json(t.broken ? "broken" : "kept")},
                    {"promises_kept", t.kept},
                    {"promises_broken", t.broken},
                    {"broken", t.broken_list},
                    {"drills", list}};
    }
    if (sizes && d.size) j["size"] = *d.size;
    if (d.size_program) j["size_program"] = *d.size_program;
    if (h.program) j["program"] = true;
    if (!pt.error.empty()) j["error"] = pt.error;
    if (!d.failures.empty()) j["failures"] = d.failures;
    return j;
  };
  cli::OutputFile summary_file((fs::path(dir) / "summary.json").string(), "--out");
  std::ostream& sj = summary_file.stream();
  // The top-level keys in nlohmann's (sorted) order, "points" streamed between.
  sj << "{\n  \"file\": " << json(spec.file).dump() << ",\n  \"halls\": " << plan.halls.size() << ",\n  \"points\": [";
  bool first_point = true;
  auto stream_point = [&](const json& j) {
    sj << (first_point ? "\n" : ",\n");
    first_point = false;
    const std::string text = j.dump(2);
    std::size_t from = 0;
    while (from <= text.size()) {
      const std::size_t nl = text.find('\n', from);
      sj << "    " << text.substr(from, nl == std::string::npos ? std::string::npos : nl - from);
      if (nl == std::string::npos) break;
      sj << "\n";
      from = nl + 1;
    }
  };

  // ranking.md: per hall, its points ranked by the chosen KPI's mean; points
  // that failed the check or a task are listed after, with the reason.
  cli::OutputFile ranking_file((fs::path(dir) / "ranking.md").string(), "--out");
  std::ostream& md = ranking_file.stream();
  md << fmt::format("# {}: options ranked per hall\n\nBy `{}` ({}), mean over replications with its 95% "
                    "interval. A point that fails `check` or lost a task is not ranked.\n",
                    spec.name, spec.rank_by, spec.rank_descending ? "larger is better" : "smaller is better");
  // What ranking needs of a point, kept for the points of one hall at a time.
  struct Ranked {
    std::size_t point;
    json summary;
    std::string why;
  };
  auto rank_hall = [&](std::size_t h, const std::vector<Ranked>& hall_points) {
    struct Row {
      std::size_t point;
      double mean;
      std::string ci, why;
      const json* j;
    };
    std::vector<Row> ranked, unranked;
    // A program's options are ranked by a size_program measure: the sweep's
    // rank_by when it is one, else the staff-hours the new hall needs.
    const bool program = plan.halls[h].program;
    const std::string rank_by = !program || spec.rank_by.rfind("program_", 0) == 0 ? spec.rank_by : "program_staff_hours";
    for (const Ranked& rp : hall_points) {
      const json& j = rp.summary;
      std::string why = rp.why;
      const json* e = nullptr;
      json other;  // a measure without an interval (size, drill), as {"mean": v}
      if (program) {
        if (j.contains("size_program")) {
          const json& z = j["size_program"];
          other = {{"mean", z[rank_by.substr(8)]}};
          e = other["mean"].is_number() ? &other : nullptr;
          if (why.empty() && !z["met"].get<bool>())
            why = z["unreachable"].get<bool>() ? "size_program: the targets are unreachable within the windows the "
                                                 "hall can hold"
                                               : "size_program: the targets are not met";
          if (why.empty() && z["check"]["fail"].get<int>() > 0)
            why = "size_program: the draft fails " + z["check"]["failed_rules"].dump();
        }
      } else if (spec.rank_by == "size_staff_hours") {
        if (j.contains("size")) {
          other = {{"mean", j["size"]["staff_hours"]}};
          e = &other;
          if (why.empty() && !j["size"]["met"].get<bool>())
            why = j["size"]["unreachable"].get<bool>() ? "size: the targets are unreachable with every window staffed"
                                                       : "size: the targets are not met";
        }
      } else if (spec.rank_by == "drill_promises_broken") {
        if (j.contains("drill") && !j["drill"]["verdict"].is_null()) {
          other = {{"mean", j["drill"]["promises_broken"]}};
          e = &other;
        }
      } else if (spec.rank_by == "evac_time_s") {
        if (j.contains("evac") && j["evac"].contains("time_s")) e = &j["evac"]["time_s"];
      } else if (j["kpis"].contains(spec.rank_by) && !j["kpis"][spec.rank_by].is_null()) {
        e = &j["kpis"][spec.rank_by];
      }
      if (!e && why.empty()) why = "no value of " + rank_by;
      Row row{rp.point, e ? (*e)["mean"].get<double>() : 0.0, "", why, &j};
      if (e && e->contains("ci95_low"))
        row.ci = fmt::format("{:.4g} – {:.4g}", (*e)["ci95_low"].get<double>(), (*e)["ci95_high"].get<double>());
      (why.empty() ? ranked : unranked).push_back(row);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [&](const Row& a, const Row& b) {
      return spec.rank_descending ? a.mean > b.mean : a.mean < b.mean;
    });
    // The drills' and the size search's outcome beside the ranked measure.
    auto extra = [&](const Row& r) {
      std::string cells;
      const json& j = *r.j;
      if (drills) {
        std::string c = "-";
        if (j["drill"]["plans"].empty()) {
          // `none` on the emergency axis, or a hall without plans.
          const auto& ps = plan.points[r.point].parameters;
          c = std::any_of(ps.begin(), ps.end(),
                          [](const auto& kv) { return kv.first == SweepAxis::Kind::emergency; })
                  ? "none"
                  : "no plan";
        } else if (!j["drill"]["verdict"].is_null()) {
          const int k = j["drill"]["promises_kept"].get<int>(), b = j["drill"]["promises_broken"].get<int>();
          c = b ? fmt::format("BROKEN {}/{}: {}", b, k + b, joined(j["drill"]["broken"].get<std::vector<std::string>>(), "; "))
                : fmt::format("kept {}/{}", k, k);
        }
        cells += " " + md_cell(c) + " |";
      }
      if (sizes)
        cells += j.contains("size") ? fmt::format(" {:.1f} staff-h, peak {}{} |", j["size"]["staff_hours"].get<double>(),
                                                  j["size"]["peak_staff"].get<int>(),
                                                  j["size"]["met"].get<bool>() ? "" : ", targets NOT met")
                                    : std::string(" - |");
      if (programs) {
        std::string c = "-";
        if (j.contains("size_program")) {
          const json& z = j["size_program"];
          c = fmt::format("{} windows, {} seats, {} m², {} staff-h (peak {}); draft check {} fail{}",
                          json_num(z["windows"]), json_num(z["seats"]), json_num(z["building_area_m2"]),
                          json_num(z["staff_hours"]), json_num(z["peak_staff"]), json_num(z["check"]["fail"]),
                          z["met"].get<bool>() ? "" : "; targets NOT met");
        }
        cells += " " + md_cell(c) + " |";
      }
      return cells;
    };
    const std::string extra_head = std::string(drills ? " drills (promises) |" : "") +
                                   (sizes ? " size (fewest staff) |" : "") + (programs ? " new hall (size_program) |" : "");
    const std::string extra_rule =
        std::string(drills ? "---|" : "") + (sizes ? "---|" : "") + (programs ? "---|" : "");
    md << fmt::format("\n## {} {}\n\n| rank | point | option | {} | 95% interval |{}\n|---|---|---|---|---|{}\n",
                      plan.halls[h].id, plan.halls[h].name, rank_by, extra_head, extra_rule);
    int rank = 0;
    for (const Row& r : ranked)
      md << fmt::format("| {} | {} | {} | {:.4g} | {} |{}\n", ++rank, plan.points[r.point].id,
                        plan.points[r.point].label(), r.mean, r.ci.empty() ? "-" : r.ci, extra(r));
    for (const Row& r : unranked)
      md << fmt::format("| - | {} | {} | not ranked: {} | |{}\n", plan.points[r.point].id, plan.points[r.point].label(),
                        md_cell(r.why), extra(r));
  };

  // Hall by hall (a hall's points are consecutive), point by point.
  for (std::size_t p = 0, h = 0; h < plan.halls.size(); ++h) {
    const HallData hd = hall_data(h);
    std::vector<Ranked> hall_points;
    for (; p < plan.points.size() && plan.points[p].hall == h; ++p) {
      const PointData d = point_data(p, hd);
      write_rows(p, d);
      json j = point_summary(p, d);
      stream_point(j);
      std::string why;
      if (!plan.points[p].error.empty())
        why = plan.points[p].error;
      else if (!d.failures.empty())
        why = d.failures.front();
      else if (d.check && (*d.check)["verdict"] == "fail")
        why = "check fails: " + (*d.check)["failed_rules"].dump();
      hall_points.push_back({p, std::move(j), std::move(why)});
    }
    rank_hall(h, hall_points);
  }
  sj << (first_point ? "],\n" : "\n  ],\n");
  const json rank_by = {{"kpi", spec.rank_by}, {"order", spec.rank_descending ? "descending" : "ascending"}};
  sj << "  \"rank_by\": " << rank_by.dump() << ",\n  \"replications\": " << spec.replications
     << ",\n  \"seed\": " << spec.seed << ",\n  \"sweep\": " << json(spec.name).dump()
     << ",\n  \"tasks\": " << plan.tasks.size() << ",\n  \"tasks_failed\": " << failed << "\n}\n";
  csv_file.commit();
  summary_file.commit();
  ranking_file.commit();
  return failed;
}

}  // namespace halltwin::sweep
