#include "tools/halltwin/compare_output.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "tools/halltwin/run_outputs.hpp"

namespace halltwin::cli {

using kpi::Kpi;
using nlohmann::json;

std::vector<std::string> scenario_labels(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < files.size(); ++i)
    out.push_back(fmt::format("[{}] {}", i + 1, std::filesystem::path(files[i]).filename().string()));
  return out;
}

namespace {

std::string status_name(const std::optional<check::Status>& s) {
  if (!s) return "absent";
  return *s == check::Status::not_applicable ? "n/a" : std::string(check::name(*s));
}

std::string opt_number(const std::optional<double>& v) {
  if (!v) return "-";
  if (!std::isfinite(*v)) return "inf";
  return std::fabs(*v - std::round(*v)) < 1e-9 ? fmt::format("{:.0f}", *v) : fmt::format("{:.2f}", *v);
}

std::string score_value(const compare::ScoreItem& it) {
  if (!it.value) return "-";
  if (it.item == "wait_mean_s") return compare::format_kpi(Kpi::wait_mean_s, *it.value);
  if (it.item == "within_target_rate" || it.item == "abandon_rate") return fmt::format("{:.1f}%", 100 * *it.value);
  return opt_number(it.value);
}

std::string score_limit(const compare::ScoreItem& it) {
  if (!it.limit) return "";
  compare::ScoreItem l = it;
  l.value = it.limit;
  return it.op + " " + score_value(l);
}

// number() without a negative zero (a tiny negative bound rounds to -0.0).
json num(double v) {
  json j = number(v);
  if (j.is_number_float() && j.get<double>() == 0.0) j = 0.0;
  return j;
}

json estimate_json(const kpi::Estimate& e) {
  return {{"mean", num(e.mean)},
          {"ci95_low", e.ci95_low ? num(*e.ci95_low) : json(nullptr)},
          {"ci95_high", e.ci95_high ? num(*e.ci95_high) : json(nullptr)}};
}

json opt_json(const std::optional<double>& v) { return v ? num(*v) : json(nullptr); }

}  // namespace

std::string compare_text(const std::vector<compare::ScenarioOutcome>& outcomes,
                         const std::vector<std::string>& labels, const compare::Comparison& c,
                         const CompareRun& run) {
  const std::size_t n = outcomes.size();
  std::string out = fmt::format(
      "compare: {} scenarios, {} day(s) from {}, {} replication(s) each, seed {} (common random numbers: "
      "replication r of every scenario uses the streams of r)\n",
      n, run.days, run.start_date, run.replications, run.seed);
  for (std::size_t i = 0; i < n; ++i)
    out += fmt::format("{}  {} ({}){}\n", labels[i], outcomes[i].name, outcomes[i].level,
                       i == 0 ? "  baseline" : "");
  if (!c.same_hall) out += "note: these scenarios describe different halls (name or level differ)\n";
  for (std::size_t i = 0; i < n; ++i)
    if (!outcomes[i].run_error.empty())
      out += fmt::format("RUN FAILED {}: {}\n", labels[i], outcomes[i].run_error);

  // KPI table: each scenario's mean and interval, then each difference.
  out += fmt::format("\n{:<22}", "KPI");
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("  {:>30}", fmt::format("[{}] mean (95% CI)", i + 1));
  for (const auto& d : c.differences)
    out += fmt::format("  {:>38}", fmt::format("[{}]-[{}] (95% CI)", d.scenario + 1, d.against + 1));
  out += "\n";
  for (std::size_t k = 0; k < kpi::kKpiCount; ++k) {
    out += fmt::format("{:<22}", kpi::name(Kpi(k)));
    for (std::size_t i = 0; i < n; ++i) {
      const auto& e = c.estimates[i][k];
      std::string cell = "-";
      if (outcomes[i].ran()) {
        cell = compare::format_kpi(Kpi(k), e.mean);
        if (e.ci95_low)
          cell += fmt::format(" ({} .. {})", compare::format_kpi(Kpi(k), *e.ci95_low),
                              compare::format_kpi(Kpi(k), *e.ci95_high));
      }
      out += fmt::format("  {:>30}", cell);
    }
    for (const auto& d : c.differences) {
      const auto& x = d.kpis[k];
      std::string cell = compare::format_kpi(Kpi(k), x.mean, true);
      if (x.ci95_low)
        cell += fmt::format(" ({} .. {})", compare::format_kpi(Kpi(k), *x.ci95_low, true),
                            compare::format_kpi(Kpi(k), *x.ci95_high, true));
      cell += x.significant ? " *" : "  ";
      out += fmt::format("  {:>38}", cell);
    }
    out += "\n";
  }
  out += "* the 95% interval of the paired difference excludes 0\n";

  // Compliance diff: only the rules whose status changes.
  out += "\ncompliance (rulebook " + run.rulebook + "): ";
  std::string rows;
  for (const auto& r : c.compliance) {
    if (r.changed.empty()) continue;
    rows += fmt::format("  {:<28}", r.rule);
    for (std::size_t i = 0; i < n; ++i)
      rows += fmt::format("  [{}] {:<5} {:>9}", i + 1, status_name(r.by_scenario[i].status),
                          opt_number(r.by_scenario[i].measured));
    rows += fmt::format("  required {} {}  {}\n", opt_number(r.by_scenario[0].required), r.unit, r.clause);
  }
  out += rows.empty() ? "no rule changes status\n" : "rules that change status (status, measured):\n" + rows;
  for (std::size_t i = 0; i < n; ++i)
    if (!outcomes[i].check_error.empty())
      out += fmt::format("  CHECK FAILED {}: {}\n", labels[i], outcomes[i].check_error);

  // Evacuation side by side.
  bool any_evac = false;
  for (const auto& o : outcomes) any_evac = any_evac || o.has_evacuation;
  if (any_evac) {
    out += fmt::format("\nevacuation (one run each, seed {}):\n", run.seed);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& o = outcomes[i];
      if (!o.has_evacuation)
        out += fmt::format("  {}: no evacuation section\n", labels[i]);
      else if (!o.evacuation)
        out += fmt::format("  {}: {}\n", labels[i],
                           o.evacuation_skipped ? "not run (--no-evac)" : "FAILED: " + o.evacuation_error);
      else {
        const auto& e = *o.evacuation;
        std::string exits;
        for (const auto& x : e.exits) exits += fmt::format(" {}:{}", x.id, x.count);
        out += fmt::format(
            "  {}: {:.1f} s{}, {} persons, congestion {:.1f} s, peak density {:.2f} p/m², margin {}; exits{}\n",
            labels[i], e.time_s, e.capped ? fmt::format(" (CAPPED, {} stuck)", e.stuck) : "", e.agents,
            e.congestion_s, e.max_density_ppm2,
            e.margin_s() ? fmt::format("{:.0f} s", *e.margin_s()) : "no ASET stated", exits);
      }
    }
  }

  // Scorecards.
  out += "\nscorecards:\n";
  out += fmt::format("  {:<22}", "ITEM");
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("  {:>24}", fmt::format("[{}]", i + 1));
  out += "\n";
  for (std::size_t it = 0; it < c.scorecards[0].items.size(); ++it) {
    const auto& first = c.scorecards[0].items[it];
    out += fmt::format("  {:<22}", first.item);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& x = c.scorecards[i].items[it];
      std::string cell = score_value(x);
      if (x.met) cell += fmt::format(" {} {}", score_limit(x), *x.met ? "ok" : "MISSED");
      else if (!x.note.empty()) cell = x.value ? cell + " (" + x.note + ")" : x.note;
      out += fmt::format("  {:>24}", cell);
    }
    out += "\n";
  }
  out += fmt::format("  {:<22}", "compliance warns");
  for (std::size_t i = 0; i < n; ++i)
    out += fmt::format("  {:>24}", c.scorecards[i].compliance_warns < 0 ? "-" : std::to_string(c.scorecards[i].compliance_warns));
  out += fmt::format("\n  {:<22}", "scorecard");
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("  {:>24}", c.scorecards[i].passed ? "PASSED" : "NOT PASSED");
  out += "\n\nverdict:\n";
  for (const auto& d : c.differences) out += "  " + d.verdict + "\n";
  if (c.differences.empty()) out += "  no pair could be compared (a run failed)\n";
  out += fmt::format("\nran in {:.2f} s\n", run.wall_s);
  return out;
}

json compare_json(const std::vector<compare::ScenarioOutcome>& outcomes, const compare::Comparison& c,
                  const CompareRun& run) {
  json j;
  j["run"] = {{"replications", run.replications},
              {"days", run.days},
              {"seed", run.seed},
              {"start_date", run.start_date},
              {"rulebook", run.rulebook},
              {"same_hall", c.same_hall}};
  j["scenarios"] = json::array();
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const auto& o = outcomes[i];
    json s;
    s["scenario"] = {{"name", o.name}, {"file", o.file}, {"level", o.level}};
    json k = json::object();
    if (o.ran())
      for (std::size_t q = 0; q < kpi::kKpiCount; ++q) k[std::string(kpi::name(Kpi(q)))] = estimate_json(c.estimates[i][q]);
    s["kpis"] = k;
    s["error"] = o.run_error.empty() ? json(nullptr) : json(o.run_error);
    j["scenarios"].push_back(s);
  }
  j["differences"] = json::array();
  for (const auto& d : c.differences) {
    json k = json::object();
    for (std::size_t q = 0; q < kpi::kKpiCount; ++q) {
      const auto& x = d.kpis[q];
      k[std::string(kpi::name(Kpi(q)))] = {{"mean", num(x.mean)},
                                            {"ci95_low", opt_json(x.ci95_low)},
                                            {"ci95_high", opt_json(x.ci95_high)},
                                            {"significant", x.significant}};
    }
    j["differences"].push_back({{"scenario", d.scenario},
                                {"against", d.against},
                                {"kpis", k},
                                {"better", d.better},
                                {"worse", d.worse},
                                {"verdict", d.verdict}});
  }
  j["compliance"] = json::array();
  for (const auto& r : c.compliance) {
    json by = json::array();
    for (const auto& x : r.by_scenario)
      by.push_back({{"status", x.status ? json(std::string(check::name(*x.status))) : json(nullptr)},
                    {"measured", opt_json(x.measured)},
                    {"required", opt_json(x.required)}});
    j["compliance"].push_back({{"rule", r.rule},
                               {"title", r.title},
                               {"clause", r.clause},
                               {"unit", r.unit},
                               {"changed", !r.changed.empty()},
                               {"changed_in", r.changed},
                               {"by_scenario", by}});
  }
  j["evacuation"] = json::array();
  for (const auto& o : outcomes) {
    json e;
    if (!o.has_evacuation)
      e = {{"present", false}};
    else if (!o.evacuation)
      e = {{"present", true},
           {"skipped", o.evacuation_skipped},
           {"error", o.evacuation_error.empty() ? json(nullptr) : json(o.evacuation_error)}};
    else {
      const auto& x = *o.evacuation;
      json exits = json::array();
      for (const auto& ex : x.exits) exits.push_back({{"id", ex.id}, {"count", ex.count}});
      e = {{"present", true},
           {"evacuation_time_s", num(x.time_s)},
           {"capped", x.capped},
           {"agents", x.agents},
           {"stuck", x.stuck},
           {"congestion_s", num(x.congestion_s)},
           {"max_density_ppm2", num(x.max_density_ppm2)},
           {"aset_s", opt_json(x.aset_s)},
           {"margin_s", opt_json(x.margin_s())},
           {"margin_note", x.aset_s ? json(nullptr) : json("no ASET stated")},
           {"exits", exits}};
    }
    j["evacuation"].push_back(e);
  }
  j["scorecards"] = json::array();
  for (const auto& s : c.scorecards) {
    json items = json::array();
    for (const auto& it : s.items)
      items.push_back({{"item", it.item},
                       {"op", it.op},
                       {"limit", opt_json(it.limit)},
                       {"value", opt_json(it.value)},
                       {"met", it.met ? json(*it.met) : json(nullptr)},
                       {"note", it.note.empty() ? json(nullptr) : json(it.note)}});
    j["scorecards"].push_back({{"items", items},
                               {"compliance_fails", s.compliance_fails < 0 ? json(nullptr) : json(s.compliance_fails)},
                               {"compliance_warns", s.compliance_warns < 0 ? json(nullptr) : json(s.compliance_warns)},
                               {"passed", s.passed}});
  }
  return j;
}

}  // namespace halltwin::cli
