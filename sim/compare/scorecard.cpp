#include "sim/compare/scorecard.hpp"

#include <cmath>

namespace halltwin::compare {

double kpi_mean(const ScenarioOutcome& s, kpi::Kpi k) {
  double sum = 0.0;
  int n = 0;
  for (const auto& r : s.replications) {
    const double v = r[static_cast<std::size_t>(k)];
    if (std::isfinite(v)) sum += v, ++n;
  }
  return n ? sum / n : std::nan("");
}

namespace {

ScoreItem item(std::string name, std::string op, std::optional<double> limit, std::optional<double> value,
               std::string note = "") {
  ScoreItem it{std::move(name), std::move(op), limit, value, std::nullopt, std::move(note)};
  if (it.value && !std::isfinite(*it.value)) it.value.reset();
  if (it.limit && it.value) it.met = it.op == "<=" ? *it.value <= *it.limit : *it.value >= *it.limit;
  if (!it.limit && it.note.empty()) it.note = "no target stated";
  return it;
}

}  // namespace

Scorecard make_scorecard(const ScenarioOutcome& s) {
  using kpi::Kpi;
  Scorecard c;
  const bool ran = s.ran();
  auto v = [&](Kpi k) { return ran ? std::optional<double>(kpi_mean(s, k)) : std::nullopt; };
  const std::string run_note = ran ? "" : "the run failed: " + s.run_error;
  c.items.push_back(item("wait_mean_s", "<=", s.targets.wait_s, v(Kpi::wait_mean_s), run_note));
  c.items.push_back(item("within_target_rate", ">=", s.targets.within_target_rate_min,
                         v(Kpi::within_target_rate), run_note));
  c.items.push_back(item("abandon_rate", "<=", s.targets.abandon_rate_max, v(Kpi::abandon_rate), run_note));
  c.items.push_back(
      item("max_waiting_standing", "<=", s.targets.standing_max, v(Kpi::max_waiting_standing), run_note));

  std::optional<double> fails;
  if (s.findings) {
    c.compliance_fails = c.compliance_warns = 0;
    for (const auto& f : *s.findings) {
      c.compliance_fails += f.status == check::Status::fail;
      c.compliance_warns += f.status == check::Status::warn;
    }
    fails = c.compliance_fails;
  }
  c.items.push_back(item("compliance_fails", "<=", 0.0, fails, s.findings ? "" : "the check failed: " + s.check_error));

  if (!s.has_evacuation)
    c.items.push_back(item("evacuation_margin_s", ">=", std::nullopt, std::nullopt, "no evacuation section"));
  else if (s.evacuation_skipped)
    c.items.push_back(item("evacuation_margin_s", ">=", std::nullopt, std::nullopt, "evacuation not run"));
  else if (!s.evacuation)
    c.items.push_back(
        item("evacuation_margin_s", ">=", std::nullopt, std::nullopt, "the evacuation failed: " + s.evacuation_error));
  else if (!s.evacuation->aset_s)
    c.items.push_back(item("evacuation_margin_s", ">=", std::nullopt, std::nullopt, "no ASET stated"));
  else
    c.items.push_back(item("evacuation_margin_s", ">=", 0.0, s.evacuation->margin_s()));

  // Passed: every item with a limit was measured and met, and nothing that
  // should have run failed (a failure is never a pass by omission).
  c.passed = ran && s.findings && (!s.has_evacuation || s.evacuation_skipped || s.evacuation);
  for (const auto& it : c.items)
    if (it.limit && (!it.met || !*it.met)) c.passed = false;
  return c;
}

}  // namespace halltwin::compare
