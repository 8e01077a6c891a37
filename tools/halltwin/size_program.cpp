#include "tools/halltwin/size_program.hpp"

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/size_program.hpp"
#include "sim/check/checker.hpp"
#include "sim/ops/replications.hpp"
#include "sim/size/draft_plan.hpp"
#include "sim/size/space_program.hpp"
#include "sim/size/staffing.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/run_outputs.hpp"
#include "tools/halltwin/size_draft.hpp"

namespace halltwin::cli {

namespace {

using nlohmann::json;
using size::Figure;
using size::Origin;

std::string hhmm(double s) {
  const long m = std::lround(s / 60.0);
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

// The draft text loaded by the scenario loader through a private temporary
// file (the loader reads files): what `check` and `run` will read. A draft
// that does not load is a defect of the writer (exit 3), never bad input.
Hall load_draft_text(const std::string& text) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/halltwin-draft-XXXXXX";
  std::vector<char> buf(path.begin(), path.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the draft in " + path);
  path = buf.data();
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove{path};
  {
    FILE* f = ::fdopen(fd, "w");
    if (!f) throw std::runtime_error("cannot write the temporary draft " + path);
    const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write the temporary draft " + path);
  }
  try {
    return load_scenario(path);
  } catch (const InputError& e) {
    throw std::logic_error(std::string("the generated draft does not load (a defect of halltwin size): ") + e.what());
  }
}

double seats_per_window_rule(const Rulebook& book, std::string* clause) {
  for (const auto& r : book.rules) {
    if (r.kind != "seats_per_window_min") continue;
    if (const Param* m = r.params.find("min_ratio")) try {
        *clause = fmt::format("{} ({}, {})", r.clause, r.id, name(r.confidence));
        return std::stod(m->scalar);
      } catch (const std::exception&) {
      }
  }
  *clause = "none (no seats_per_window_min rule in the rulebook)";
  return 0.0;
}

struct Round {
  size::DraftPlan plan;
  Hall hall;
  size::SizingResult sizing;
  std::vector<int> peak;  // max staff per pool spec over the blocks
};

}  // namespace

SizeProgramReport size_program_report(const SizeProgramOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  const SizeProgram prog = load_size_program(o.program);
  const Rulebook book = load_rulebook(o.rulebook);
  const check::Checker checker(book);  // validates the rulebook before any work

  std::vector<size::StaffingTarget> targets;
  for (std::size_t i = 0; i < prog.targets.size(); ++i) {
    try {
      targets.push_back(size::parse_target(prog.targets[i].text, fmt::format("targets[{}]", i)));
    } catch (const InputError& e) {
      std::vector<InputProblem> ps = e.problems();
      for (auto& p : ps) {
        p.file = prog.source_file;
        p.line = prog.targets[i].loc.line;
        p.column = prog.targets[i].loc.column;
      }
      throw InputError(ps);
    }
  }
  const DraftTargets dt = draft_targets(prog, targets);

  const auto pools = size::window_pools(prog);
  const auto zones = size::fixed_zones(prog, pools, book);
  const auto load = size::offered_load(prog, pools);
  const int cap = static_cast<int>(prog.assumptions.max_windows.value);
  if (static_cast<int>(pools.size()) > cap) {
    const auto& mw = prog.assumptions.max_windows;
    throw InputError(InputProblem{
        prog.source_file, mw.from_program ? mw.loc.line : 0, mw.from_program ? mw.loc.column : 0,
        "assumptions.max_windows",
        fmt::format("{} windows; the program needs at least {} (one per window row: the accessible low counter, "
                    "comprehensive, each department, problem-solving, help desk, pickup); expected at least {}",
                    cap, pools.size(), pools.size())});
  }
  std::string seat_clause;
  const double seat_ratio = seats_per_window_rule(book, &seat_clause);
  auto total = [](const std::vector<int>& w) {
    int n = 0;
    for (int x : w) n += x;
    return n;
  };

  const bool progress = ::isatty(2);
  int evaluations = 0;
  auto size_round = [&](const std::vector<int>& windows, int seats, int standing, bool final) {
    Round r;
    size::DraftInputs in{pools, windows, seats, standing, zones};
    r.plan = size::make_draft(prog, in, book);
    r.hall = load_draft_text(draft_scenario_text(prog, r.plan, dt, nullptr, {}));
    size::SizingOptions so;
    so.targets = size::scenario_targets(r.hall.operations.targets);
    so.replications = o.replications;
    so.seed = o.seed;
    so.threads = o.threads;
    so.start_date = prog.start_date;
    // Earlier rounds only find how many windows each pool needs: one tightening pass, no proof.
    so.verify = final && !o.quick;
    so.max_passes = final ? 6 : 1;
    if (progress)
      so.progress = [&, final](int n) {
        std::cerr << fmt::format("\rsize: {} round, {} plans simulated", final ? "final" : "window", evaluations + n)
                  << std::flush;
      };
    r.sizing = size::size_staffing(r.hall, so);
    evaluations += r.sizing.evaluations;
    r.peak.assign(pools.size(), 0);
    for (std::size_t p = 0; p < r.sizing.plan.pools.size(); ++p)
      for (std::size_t k = 0; k < pools.size(); ++k)
        if (r.sizing.plan.pools[p].id == pools[k].id)
          for (int s : r.sizing.plan.staff[p]) r.peak[k] = std::max(r.peak[k], s);
    return r;
  };
  // Grows the pools that used every window by a quarter (at least one), within
  // the cap; when the cap leaves no room for all, the busiest pools first
  // (their offered load per window is highest).
  auto grow = [&](std::vector<int>& windows, const Round& r) {
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < pools.size(); ++k)
      if (!pools[k].fixed && r.peak[k] >= windows[k]) order.push_back(k);
    auto util = [&](std::size_t k) { return *std::max_element(load[k].begin(), load[k].end()) / windows[k]; };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return util(x) > util(y); });
    bool grew = false;
    for (std::size_t k : order) {
      const int add = std::min(cap - total(windows), std::max(1, windows[k] / 4));
      if (add > 0) windows[k] += add, grew = true;
    }
    return grew;
  };

  // ---------------------------------------------------------- round 1: how many windows
  std::vector<int> windows = size::starting_windows(prog, pools);
  int seats = static_cast<int>(std::ceil(seat_ratio * total(windows)));
  Round r = size_round(windows, seats, 0, false);
  for (int guard = 0; guard < 6 && !r.sizing.met; ++guard) {
    if (!grow(windows, r)) break;
    r = size_round(windows, seats, 0, false);
  }
  bool unreachable = !r.sizing.met;

  // ---------------------------------------------------------- seats from the simulated peak
  auto peak_waiting = [&](const Round& x, double* max_in_hall_hi) {
    const Hall staffed = size::staffed_hall(x.hall, x.sizing.plan);
    const ops::OpsModel model(staffed);
    ops::ReplicationPlan rp;
    rp.base.seed = o.seed;
    rp.base.days = 1;
    rp.base.start_date = prog.start_date;
    rp.replications = o.replications;
    rp.threads = o.threads;
    const auto runs = ops::run_replications(model, rp);
    std::vector<double> v;
    for (const auto& run : runs) v.push_back(run.kpis.values[static_cast<std::size_t>(kpi::Kpi::max_in_hall)]);
    const auto e = kpi::estimate(v, 0.0);
    *max_in_hall_hi = e.ci95_high.value_or(e.mean);
    int peak_staff = 0;
    for (std::size_t b = 0; b < x.sizing.plan.blocks.size(); ++b)
      peak_staff = std::max(peak_staff, x.sizing.plan.total_in_block(b));
    return std::max(0.0, *max_in_hall_hi - peak_staff) * prog.assumptions.companions.value;
  };

  // ---------------------------------------------------------- final round
  if (!unreachable)
    for (std::size_t k = 0; k < pools.size(); ++k)
      if (!pools[k].fixed) windows[k] = std::max(1, r.peak[k]);
  double max_in_hall_hi = 0.0;
  double waiting_peak = peak_waiting(r, &max_in_hall_hi);
  auto seats_for = [&](const std::vector<int>& w) {
    return std::max(static_cast<int>(std::ceil(seat_ratio * total(w) - 1e-9)),
                    static_cast<int>(std::ceil((1.0 - prog.assumptions.standing_share.value) * waiting_peak - 1e-9)));
  };
  seats = seats_for(windows);
  int standing = std::max(0, static_cast<int>(std::ceil(waiting_peak)) - seats);
  Round fin = size_round(windows, seats, standing, true);
  for (int guard = 0; guard < 3 && !fin.sizing.met && !unreachable; ++guard) {
    // The final geometry (fewer windows, its own walking distances) needed more: grow and redo.
    if (!grow(windows, fin)) break;
    seats = seats_for(windows);
    standing = std::max(0, static_cast<int>(std::ceil(waiting_peak)) - seats);
    fin = size_round(windows, seats, standing, true);
  }
  unreachable = !fin.sizing.met;
  if (progress) std::cerr << "\n";

  // ---------------------------------------------------------- the draft with its roster, checked and run
  const Hall staffed = size::staffed_hall(fin.hall, fin.sizing.plan);
  const std::vector<std::string> header{
      fmt::format("Draft hall written by `halltwin size --program {}` (docs/size.md).", o.program),
      fmt::format("A starting point for the architect: {} m x {} m, {} windows, {} seats; roster sized by simulation,",
                  fin.plan.width_m, fin.plan.depth_m, total(windows), fin.plan.seats),
      fmt::format("targets {} at 95% confidence ({} replications, seed {}).", fin.sizing.met ? "met" : "NOT met",
                  o.replications, o.seed)};
  const std::string draft_text = draft_scenario_text(prog, fin.plan, dt, &staffed, header);
  const Hall draft_hall = load_draft_text(draft_text);
  const auto findings = checker.run(draft_hall);
  int fails = 0, warns = 0, passes = 0;
  for (const auto& f : findings) {
    if (f.status == check::Status::fail) ++fails;
    if (f.status == check::Status::warn) ++warns;
    if (f.status == check::Status::pass) ++passes;
  }
  // The confirmation: the draft as `halltwin run --replications R --seed S` simulates it.
  std::map<std::string, kpi::Estimate> kpis;
  {
    const ops::OpsModel model(draft_hall);
    ops::ReplicationPlan rp;
    rp.base.seed = o.seed;
    rp.base.days = 1;
    rp.base.start_date = prog.start_date;
    rp.replications = o.replications;
    rp.threads = o.threads;
    const auto runs = ops::run_replications(model, rp);
    for (kpi::Kpi k : {kpi::Kpi::arrivals, kpi::Kpi::served, kpi::Kpi::wait_mean_s, kpi::Kpi::wait_p90_s,
                       kpi::Kpi::within_target_rate, kpi::Kpi::abandon_rate, kpi::Kpi::utilization,
                       kpi::Kpi::max_in_hall, kpi::Kpi::max_waiting_standing}) {
      std::vector<double> v;
      for (const auto& run : runs) v.push_back(run.kpis.values[static_cast<std::size_t>(k)]);
      const auto [lo, hi] = kpi::natural_range(k);
      kpis[std::string(kpi::name(k))] = kpi::estimate(v, lo, hi);
    }
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // ---------------------------------------------------------- figures
  std::vector<Figure> figs;
  const std::string sim_src =
      fmt::format("halltwin size: staffing searched by simulation, {} replications, seed {}, targets at 95% confidence",
                  o.replications, o.seed);
  auto src_of = [&](const Assumption& a, const char* key) {
    return a.from_program ? fmt::format("{}:{}: assumptions.{}", prog.source_file, a.loc.line, key)
                          : std::string("halltwin default (planning value, no standard gives it)");
  };
  const auto& as = prog.assumptions;
  figs.push_back({"daily_citizens", "citizens a day (sum of the matters' volumes)", prog.daily_total(), "persons",
                  Origin::assumption, fmt::format("{}: matters[].daily", prog.source_file)});
  {
    double peak = 0.0;
    std::size_t pb = 0;
    for (std::size_t b = 0; b < prog.blocks(); ++b) {
      double a = 0.0;
      for (const auto& row : load) a += row[b];
      if (a > peak) peak = a, pb = b;
    }
    figs.push_back({"peak_offered_load", fmt::format("peak offered load (block from {})", hhmm(prog.open_s + pb * prog.block_min * 60.0)),
                    peak, "Erlangs", Origin::assumption,
                    fmt::format("daily volume x block share ({} profile) x mean service time", prog.profile)});
  }
  figs.push_back({"windows", "service windows (all kinds)", static_cast<double>(total(windows)), "windows",
                  Origin::simulation, "the peak staff of each window row over the blocks; the accessible low counter by rule"});
  figs.push_back({"window_cap", "windows the hall can hold", as.max_windows.value, "windows", Origin::assumption,
                  src_of(as.max_windows, "max_windows")});
  figs.push_back({"staff_hours", "staff-hours a day", fin.sizing.plan.staff_hours(), "h", Origin::simulation, sim_src});
  {
    int peak_staff = 0;
    for (std::size_t b = 0; b < fin.sizing.plan.blocks.size(); ++b)
      peak_staff = std::max(peak_staff, fin.sizing.plan.total_in_block(b));
    figs.push_back({"peak_staff", "staff at the windows in the busiest block", static_cast<double>(peak_staff),
                    "persons", Origin::simulation, sim_src});
  }
  figs.push_back({"max_in_hall_ci95_high", "citizens in the hall at the peak (95% upper bound, window round)",
                  max_in_hall_hi, "persons", Origin::simulation, sim_src});
  figs.push_back({"companions", "persons in the hall per citizen", as.companions.value, "", Origin::assumption,
                  src_of(as.companions, "companions")});
  figs.push_back({"waiting_peak", "waiting persons at the peak ((in hall - staff at windows) x companions)",
                  std::ceil(waiting_peak), "persons", Origin::simulation, sim_src});
  figs.push_back({"standing_share", "share of the peak waiting planned to stand", as.standing_share.value, "",
                  Origin::assumption, src_of(as.standing_share, "standing_share")});
  figs.push_back({"seats_per_window_min", "seats per window at least", seat_ratio, "", Origin::rule, seat_clause});
  figs.push_back({"seats", "waiting seats (the larger of the two)", static_cast<double>(fin.plan.seats), "seats",
                  Origin::simulation,
                  fmt::format("max({} x {} windows (rule), (1 - {}) x {:.0f} waiting at the peak)", seat_ratio,
                              total(windows), as.standing_share.value, std::ceil(waiting_peak))});
  figs.push_back({"standing", "planned standing places", static_cast<double>(standing), "persons", Origin::simulation,
                  "waiting at the peak - seats"});
  figs.push_back({"waiting_m2_per_person", "waiting area per waiting person", as.waiting_m2_per_person.value, "m2",
                  Origin::assumption, src_of(as.waiting_m2_per_person, "waiting_m2_per_person")});
  figs.push_back({"window_width_m", "counter module width per window", as.window_width_m.value, "m",
                  Origin::assumption, src_of(as.window_width_m, "window_width_m")});
  figs.push_back({"window_depth_m", "window area depth in front of the counter", as.window_depth_m.value, "m",
                  Origin::assumption, src_of(as.window_depth_m, "window_depth_m")});
  for (const auto& z : zones) figs.push_back(z.figure);
  for (const auto& f : fin.plan.figures) figs.push_back(f);
  // The walking distances the rulebook measured on the draft (not only the plan's straight lines).
  for (const auto& f : findings)
    if ((f.rule == "egress.travel_distance" || f.rule == "fire.extinguisher_distance") && f.measured)
      figs.push_back({f.rule == "egress.travel_distance" ? "exit_walking_distance_m" : "extinguisher_walking_distance_m",
                      f.rule == "egress.travel_distance" ? "largest walking distance to a safety exit (halltwin check)"
                                                         : "largest walking distance to an extinguisher (halltwin check)",
                      *f.measured, f.unit, Origin::rule,
                      fmt::format("{} ({}, limit {})", f.clause, f.rule,
                                  f.required ? fmt::format("{:.1f} {}", *f.required, f.unit) : std::string("-"))});

  // ---------------------------------------------------------- text
  std::string out = fmt::format("{} ({}), space program\nprogram: {}\nrulebook: {}\n", prog.name, name(prog.level),
                                o.program, o.rulebook);
  out += fmt::format("{} citizens a day, {} matters, profile {}, {}-minute blocks {}-{}; {} replication(s) per plan, seed {}\n\n",
                     prog.daily_total(), prog.matters.size(), prog.profile, prog.block_min, hhmm(prog.open_s),
                     hhmm(prog.close_s), o.replications, o.seed);
  out += fmt::format("{:<4} {:<16} {:<22} {:>7} {:>9}  {}\n", "ROW", "KIND", "DEPARTMENT", "WINDOWS", "PEAK LOAD",
                     "ORIGIN");
  for (std::size_t k = 0; k < pools.size(); ++k) {
    const double pl = *std::max_element(load[k].begin(), load[k].end());
    out += fmt::format("{:<4} {:<16} {:<22} {:>7} {:>9.2f}  {}\n", pools[k].id, name(pools[k].kind),
                       pools[k].department.empty() ? "-" : pools[k].department, windows[k], pl,
                       pools[k].fixed ? "rule (GB 50763-2012 3.12: one low counter)" : "simulation (peak staff)");
  }
  const auto& plan = fin.sizing.plan;
  out += fmt::format("\n{:<13}  {:>7}  {:>6}", "BLOCK", "LOAD", "STAFF");
  for (const auto& p : plan.pools) out += fmt::format("  {:>4}", p.id.substr(0, 4));
  out += "\n";
  for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
    out += fmt::format("{}-{}    {:>7.2f}  {:>6}", hhmm(plan.blocks[b].start_s), hhmm(plan.blocks[b].end_s),
                       fin.sizing.offered_load[b], plan.total_in_block(b));
    for (std::size_t p = 0; p < plan.pools.size(); ++p) out += fmt::format("  {:>4}", plan.staff[p][b]);
    out += "\n";
  }
  out += "\nSPACE PROGRAM\n";
  out += fmt::format("  {:>10} {:<8} {:<11} {}\n", "VALUE", "UNIT", "ORIGIN", "WHAT (source)");
  for (const auto& f : figs)
    out += fmt::format("  {:>10} {:<8} {:<11} {}\n  {:>10} {:<8} {:<11}   ({})\n",
                       std::abs(f.value - std::round(f.value)) < 1e-9 ? fmt::format("{:.0f}", f.value)
                                                                       : fmt::format("{:.2f}", f.value),
                       f.unit, name(f.origin), f.label, "", "", "", f.source);
  out += unreachable ? "\ntargets UNREACHABLE within the windows the hall can hold; best achievable:\n"
                     : "\ntargets (95% confidence bound on the unfavourable side):\n";
  for (const auto& t : fin.sizing.evaluation.targets) {
    const auto& e = t.estimate;
    out += fmt::format("  {:<6} {:<28} mean {:.4g}  95% CI {:.4g} .. {:.4g}\n", t.met ? "met" : "MISSED", t.target.text(),
                       e.mean, e.ci95_low.value_or(e.mean), e.ci95_high.value_or(e.mean));
  }
  out += fmt::format("  (program targets {}: as the draft's targets wait_s {}{}{})\n", [&] {
    std::string s;
    for (const auto& t : targets) s += (s.empty() ? "" : ", ") + t.text();
    return s;
  }(), dt.wait_s, dt.within_target_rate_min ? fmt::format(", within_target_rate_min {}", *dt.within_target_rate_min) : "",
                     dt.abandon_rate_max ? fmt::format(", abandon_rate_max {}", *dt.abandon_rate_max) : "");
  if (fin.sizing.met)
    out += fin.sizing.locally_minimal ? "  one staff fewer in any block misses a target\n"
                                      : "  not confirmed that one fewer in every block misses a target\n";
  out += fmt::format("\ndraft: {} rule(s) pass, {} warn, {} fail (halltwin check with {})\n", passes, warns, fails,
                     o.rulebook);
  for (const auto& f : findings)
    if (f.status == check::Status::fail || f.status == check::Status::warn)
      out += fmt::format("  {} {}: {}\n", f.status == check::Status::fail ? "FAIL" : "warn", f.rule, f.message);
  out += fmt::format("draft run ({} replications): wait p90 {:.0f} s, within target {:.1f}%, abandon {:.1f}%, "
                     "utilisation {:.1f}%, {:.0f} citizens served\n",
                     o.replications, kpis["wait_p90_s"].mean, 100 * kpis["within_target_rate"].mean,
                     100 * kpis["abandon_rate"].mean, 100 * kpis["utilization"].mean, kpis["served"].mean);
  out += fmt::format("{}\n{} plans simulated in {:.2f} s ({} thread(s))\n",
                     o.draft.empty() ? "draft not written (--draft OUT.yaml writes it)" : "draft written to " + o.draft,
                     evaluations, wall_s, o.threads);

  // ---------------------------------------------------------- the JSON document
  SizeProgramReport report;
  {
    json& j = report.json;
    j["program"] = {{"name", prog.name}, {"file", prog.source_file}, {"level", std::string(name(prog.level))}};
    j["rulebook"] = o.rulebook;
    j["replications"] = o.replications;
    j["seed"] = o.seed;
    j["met"] = fin.sizing.met;
    j["unreachable"] = unreachable;
    j["locally_minimal"] = fin.sizing.locally_minimal;
    json w = json::array();
    for (std::size_t k = 0; k < pools.size(); ++k) {
      json ms = json::array();
      for (auto i : pools[k].matters) ms.push_back(prog.matters[i].id);
      w.push_back({{"row", pools[k].id},
                   {"kind", std::string(name(pools[k].kind))},
                   {"department", pools[k].department},
                   {"windows", windows[k]},
                   {"peak_offered_load", number(*std::max_element(load[k].begin(), load[k].end()))},
                   {"matters", ms},
                   {"origin", pools[k].fixed ? "rule" : "simulation"},
                   {"source", pools[k].fixed ? "GB 50763-2012 3.12 (layout.accessible_counter)" : sim_src}});
    }
    j["windows"] = w;
    json blocks = json::array();
    for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
      json by = json::object();
      for (std::size_t p = 0; p < plan.pools.size(); ++p) by[plan.pools[p].id] = plan.staff[p][b];
      blocks.push_back({{"start", hhmm(plan.blocks[b].start_s)},
                        {"end", hhmm(plan.blocks[b].end_s)},
                        {"offered_load", number(fin.sizing.offered_load[b])},
                        {"staff", plan.total_in_block(b)},
                        {"by_row", by}});
    }
    j["staff"] = {{"blocks", blocks}, {"staff_hours", number(plan.staff_hours())}, {"origin", "simulation"}};
    json fj = json::array();
    for (const auto& f : figs)
      fj.push_back({{"key", f.key},
                    {"label", f.label},
                    {"value", number(f.value)},
                    {"unit", f.unit},
                    {"origin", std::string(name(f.origin))},
                    {"source", f.source}});
    j["figures"] = fj;
    json tj = json::array();
    for (const auto& t : fin.sizing.evaluation.targets)
      tj.push_back({{"target", t.target.text()},
                    {"mean", number(t.estimate.mean, 6)},
                    {"ci95_low", t.estimate.ci95_low ? number(*t.estimate.ci95_low, 6) : json(nullptr)},
                    {"ci95_high", t.estimate.ci95_high ? number(*t.estimate.ci95_high, 6) : json(nullptr)},
                    {"bound", number(t.bound, 6)},
                    {"met", t.met}});
    j["targets"] = tj;
    json kj = json::object();
    for (const auto& [k, e] : kpis)
      kj[k] = {{"mean", number(e.mean, 6)},
               {"ci95_low", e.ci95_low ? number(*e.ci95_low, 6) : json(nullptr)},
               {"ci95_high", e.ci95_high ? number(*e.ci95_high, 6) : json(nullptr)}};
    j["draft_run"] = kj;
    json failed_rules = json::array();
    for (const auto& f : findings)
      if (f.status == check::Status::fail) failed_rules.push_back(f.rule);
    j["check"] = {{"pass", passes}, {"warn", warns}, {"fail", fails}, {"failed_rules", failed_rules}};
    j["draft"] = o.draft.empty() ? json(nullptr) : json(o.draft);
    j["evaluations"] = evaluations;
    j["performance"] = {{"wall_s", number(wall_s, 6)}, {"threads", o.threads}};
  }
  report.text = std::move(out);
  report.draft_text = draft_text;
  report.exit_code = (fin.sizing.met && fails == 0) ? 0 : 1;
  return report;
}

int run_size_program(const SizeProgramOptions& o) {
  const std::vector<std::string> inputs{o.program, o.rulebook};
  if (!o.json.empty()) probe_writable(o.json, "--json", inputs);
  if (!o.draft.empty()) {
    if (o.draft == o.json) throw InputError(InputProblem{o.draft, 0, 0, "--draft", "is also the --json output"});
    probe_writable(o.draft, "--draft", inputs);
  }
  const SizeProgramReport r = size_program_report(o);
  if (!o.json.empty()) write_file_atomically(o.json, r.json.dump(2) + "\n", "--json");
  if (!o.draft.empty()) write_file_atomically(o.draft, r.draft_text, "--draft");
  std::cout << r.text;
  return r.exit_code;
}

}  // namespace halltwin::cli
