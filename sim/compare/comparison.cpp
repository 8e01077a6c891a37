#include "sim/compare/comparison.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/compare/kpi_direction.hpp"

namespace halltwin::compare {

using kpi::Kpi;

namespace {

std::vector<double> column(const std::vector<kpi::KpiValues>& reps, std::size_t k) {
  std::vector<double> v;
  v.reserve(reps.size());
  for (const auto& r : reps) v.push_back(r[k]);
  return v;
}

// The KPIs a verdict rests on (the scorecard's service KPIs, throughput and
// citizens turned away), in the order it names them; every other significant
// change is listed after them, as context: fewer no-shows, say, can only mean
// that more citizens abandoned before being called.
constexpr Kpi kPrimary[] = {Kpi::wait_mean_s, Kpi::within_target_rate, Kpi::abandon_rate,
                            Kpi::served,      Kpi::max_waiting_standing, Kpi::balked};
constexpr Kpi kSecondary[] = {Kpi::wait_p90_s, Kpi::wait_p50_s,  Kpi::wait_max_s, Kpi::abandoned,
                              Kpi::no_show,    Kpi::overtime_s,  Kpi::max_in_hall};

std::string listed(const std::vector<std::string>& parts, std::size_t limit) {
  std::string s;
  for (std::size_t i = 0; i < parts.size() && i < limit; ++i) s += (i ? ", " : "") + parts[i];
  if (parts.size() > limit) s += fmt::format(" and {} more", parts.size() - limit);
  return s;
}

std::string verdict(const std::vector<ScenarioOutcome>& o, const std::vector<std::string>& labels,
                    const Comparison& c, PairComparison& p) {
  const ScenarioOutcome &a = o[p.against], &b = o[p.scenario];
  auto describe = [&](Kpi k) {
    const Difference& d = p.kpis[static_cast<std::size_t>(k)];
    return fmt::format("{} {} ({} .. {})", kpi::name(k), format_kpi(k, d.mean, true),
                       format_kpi(k, *d.ci95_low, true), format_kpi(k, *d.ci95_high, true));
  };
  std::vector<std::string> up, down, other;
  for (Kpi k : kPrimary) {
    const Difference& d = p.kpis[static_cast<std::size_t>(k)];
    if (d.significant) (improvement_sign(k, d.mean) > 0 ? up : down).push_back(describe(k));
  }
  for (Kpi k : kSecondary)
    if (p.kpis[static_cast<std::size_t>(k)].significant) other.push_back(describe(k));
  p.better = static_cast<int>(up.size());
  p.worse = static_cast<int>(down.size());
  std::string v = fmt::format("{} against {}: ", labels[p.scenario], labels[p.against]);
  if (a.hall_id != b.hall_id) v += "different halls; ";
  const int n = p.kpis[0].pairs;
  if (up.empty() && down.empty())
    v += fmt::format("service: no significant difference in the key KPIs over {} paired replications", n);
  else if (down.empty())
    v += fmt::format("service BETTER: {}", listed(up, 4));
  else if (up.empty())
    v += fmt::format("service WORSE: {}", listed(down, 4));
  else
    v += fmt::format("service MIXED: better {}; worse {}", listed(up, 3), listed(down, 3));
  if (!other.empty()) v += fmt::format("; also {}", listed(other, 2));
  v += " (95% CI of the paired difference)";

  const Scorecard &sa = c.scorecards[p.against], &sb = c.scorecards[p.scenario];
  if (sa.compliance_fails < 0 || sb.compliance_fails < 0)
    v += "; compliance: not compared (a check failed)";
  else {
    std::vector<std::string> changed;
    for (const auto& r : c.compliance)
      if (r.by_scenario[p.scenario].status != r.by_scenario[p.against].status) {
        auto st = [](const RuleInScenario& x) {
          return x.status ? std::string(check::name(*x.status)) : std::string("absent");
        };
        changed.push_back(
            fmt::format("{} {} -> {}", r.rule, st(r.by_scenario[p.against]), st(r.by_scenario[p.scenario])));
      }
    if (changed.empty())
      v += fmt::format("; compliance unchanged ({} fail, {} warn)", sb.compliance_fails, sb.compliance_warns);
    else
      v += fmt::format("; compliance {} fail(s) against {} ({})", sb.compliance_fails, sa.compliance_fails,
                       listed(changed, 4));
  }
  if (a.evacuation && b.evacuation) {
    v += fmt::format("; evacuation {:.0f} s against {:.0f} s ({:+.0f} s)", b.evacuation->time_s,
                     a.evacuation->time_s, b.evacuation->time_s - a.evacuation->time_s);
    if (b.evacuation->margin_s())
      v += fmt::format(", margin {:.0f} s", *b.evacuation->margin_s());
    else
      v += ", no ASET stated";
  } else if ((a.has_evacuation || b.has_evacuation) && !a.evacuation_skipped && !b.evacuation_skipped)
    v += "; evacuation: not in both";
  return v;
}

}  // namespace

KpiEstimates estimates(const std::vector<kpi::KpiValues>& replications) {
  KpiEstimates e{};
  for (std::size_t k = 0; k < kpi::kKpiCount; ++k) {
    std::vector<double> v;
    for (double x : column(replications, k))
      if (std::isfinite(x)) v.push_back(x);
    const auto [lo, hi] = kpi::natural_range(Kpi(k));
    e[k] = kpi::estimate(v, lo, hi);
  }
  return e;
}

KpiDifferences differences(const std::vector<kpi::KpiValues>& baseline,
                           const std::vector<kpi::KpiValues>& variant) {
  KpiDifferences d{};
  for (std::size_t k = 0; k < kpi::kKpiCount; ++k)
    d[k] = paired_difference(column(baseline, k), column(variant, k));
  return d;
}

Comparison compare_outcomes(const std::vector<ScenarioOutcome>& outcomes, const std::vector<std::string>& labels) {
  Comparison c;
  std::vector<const std::vector<check::Finding>*> findings;
  for (const auto& o : outcomes) {
    c.estimates.push_back(o.ran() ? estimates(o.replications) : KpiEstimates{});
    c.scorecards.push_back(make_scorecard(o));
    findings.push_back(o.findings ? &*o.findings : nullptr);
    c.same_hall = c.same_hall && o.hall_id == outcomes.front().hall_id;
  }
  c.compliance = compliance_diff(findings);
  for (std::size_t s = 1; s < outcomes.size(); ++s) {
    if (!outcomes[0].ran() || !outcomes[s].ran()) continue;
    PairComparison p;
    p.scenario = s;
    p.against = 0;
    p.kpis = differences(outcomes[0].replications, outcomes[s].replications);
    p.verdict = verdict(outcomes, labels, c, p);
    c.differences.push_back(std::move(p));
  }
  return c;
}

std::string format_kpi(Kpi k, double v, bool difference) {
  if (!std::isfinite(v)) return "-";
  const char* sign = difference && v >= 0 ? "+" : "";
  switch (k) {
    case Kpi::abandon_rate:
    case Kpi::within_target_rate:
    case Kpi::utilization:
      return difference ? fmt::format("{}{:.1f} points", sign, 100.0 * v) : fmt::format("{:.1f}%", 100.0 * v);
    case Kpi::wait_mean_s:
    case Kpi::wait_p50_s:
    case Kpi::wait_p90_s:
    case Kpi::wait_max_s:
    case Kpi::overtime_s:
      return std::fabs(v) >= 60.0 ? fmt::format("{}{:.1f} min", sign, v / 60.0)
                                  : fmt::format("{}{:.1f} s", sign, v);
    default:
      return fmt::format("{}{:.1f}", sign, v);
  }
}

}  // namespace halltwin::compare
