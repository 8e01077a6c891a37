// sim/compare: the paired and independent intervals against hand-computed
// values, exact zero for identical inputs, the scorecard against targets and
// the compliance diff (docs/compare.md).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/compare/comparison.hpp"
#include "sim/compare/compliance_diff.hpp"
#include "sim/compare/kpi_direction.hpp"
#include "sim/compare/paired_difference.hpp"
#include "sim/compare/scorecard.hpp"

namespace halltwin::compare {
namespace {

using kpi::Kpi;

TEST(PairedDifferenceTest, IdenticalSamplesDifferByExactlyZero) {
  const std::vector<double> a{312.5, 280.25, 401.0, 199.75};
  const Difference d = paired_difference(a, a);
  EXPECT_EQ(d.mean, 0.0);
  ASSERT_TRUE(d.ci95_low && d.ci95_high);
  EXPECT_EQ(*d.ci95_low, 0.0);
  EXPECT_EQ(*d.ci95_high, 0.0);
  EXPECT_FALSE(d.significant);
  EXPECT_EQ(d.pairs, 4);
}

TEST(PairedDifferenceTest, MatchesHandComputedStudentInterval) {
  // d = {1, 2, 1, 2}: mean 1.5, s = sqrt(1/3), se = s / 2, t(0.975, 3) = 3.182.
  const Difference d = paired_difference({1, 2, 3, 4}, {2, 4, 4, 6});
  EXPECT_DOUBLE_EQ(d.mean, 1.5);
  const double half = 3.182 * std::sqrt(1.0 / 3.0) / 2.0;
  EXPECT_NEAR(*d.ci95_low, 1.5 - half, 1e-12);
  EXPECT_NEAR(*d.ci95_high, 1.5 + half, 1e-12);
  EXPECT_TRUE(d.significant);
}

TEST(PairedDifferenceTest, IntervalContainingZeroIsNotSignificant) {
  const Difference d = paired_difference({1, 2, 3, 4}, {2, 1, 4, 3});  // d = {1, -1, 1, -1}
  EXPECT_DOUBLE_EQ(d.mean, 0.0);
  EXPECT_FALSE(d.significant);
}

TEST(PairedDifferenceTest, NonFiniteReplicationsAreLeftOutAndOnePairHasNoInterval) {
  const double nan = std::nan("");
  const Difference d = paired_difference({1, nan, 3}, {2, 5, nan});
  EXPECT_EQ(d.pairs, 1);
  EXPECT_DOUBLE_EQ(d.mean, 1.0);
  EXPECT_FALSE(d.ci95_low);
  EXPECT_FALSE(d.significant);
}

TEST(IndependentDifferenceTest, MatchesHandComputedWelchInterval) {
  // Means 3 and 6, variances 2.5 and 10, n = 5: se^2 = 0.5 + 2 = 2.5;
  // Welch-Satterthwaite dof = 6.25 / (0.0625 + 1) = 5.88 -> 5, t = 2.571.
  const Difference d = independent_difference({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10});
  EXPECT_DOUBLE_EQ(d.mean, 3.0);
  EXPECT_NEAR(d.half_width(), 2.571 * std::sqrt(2.5), 1e-12);
  EXPECT_FALSE(d.significant);  // 3 - 4.07 < 0
}

TEST(KpiDirectionTest, WaitsLowerServedHigherArrivalsNeutral) {
  EXPECT_EQ(improvement_sign(Kpi::wait_mean_s, -10), 1);
  EXPECT_EQ(improvement_sign(Kpi::wait_mean_s, 10), -1);
  EXPECT_EQ(improvement_sign(Kpi::served, 5), 1);
  EXPECT_EQ(improvement_sign(Kpi::within_target_rate, -0.1), -1);
  EXPECT_EQ(improvement_sign(Kpi::arrivals, 5), 0);
  EXPECT_EQ(improvement_sign(Kpi::utilization, 0.1), 0);
}

kpi::KpiValues values(double wait_s, double within, double abandon, double standing) {
  kpi::KpiValues v{};
  v[static_cast<std::size_t>(Kpi::wait_mean_s)] = wait_s;
  v[static_cast<std::size_t>(Kpi::within_target_rate)] = within;
  v[static_cast<std::size_t>(Kpi::abandon_rate)] = abandon;
  v[static_cast<std::size_t>(Kpi::max_waiting_standing)] = standing;
  return v;
}

check::Finding finding(const std::string& rule, check::Status s, double measured) {
  check::Finding f;
  f.rule = rule;
  f.status = s;
  f.measured = measured;
  f.required = 30;
  f.unit = "m";
  return f;
}

const ScoreItem& item(const Scorecard& c, const std::string& name) {
  for (const auto& it : c.items)
    if (it.item == name) return it;
  throw std::runtime_error("no item " + name);
}

TEST(ScorecardTest, JudgesTheMeansAgainstTheScenarioTargets) {
  ScenarioOutcome s;
  s.targets.wait_s = 600;
  s.targets.within_target_rate_min = 0.8;
  s.targets.abandon_rate_max = 0.05;
  s.replications = {values(500, 0.875, 0.02, 3), values(800, 0.75, 0.04, 5)};  // means 650, 0.8125, 0.03, 4
  s.findings = std::vector<check::Finding>{finding("exit-distance", check::Status::pass, 20),
                                           finding("area", check::Status::warn, 1)};
  const Scorecard c = make_scorecard(s);
  EXPECT_FALSE(*item(c, "wait_mean_s").met);  // 650 > 600
  EXPECT_DOUBLE_EQ(*item(c, "wait_mean_s").value, 650);
  EXPECT_TRUE(*item(c, "within_target_rate").met);  // 0.8125 >= 0.8
  EXPECT_TRUE(*item(c, "abandon_rate").met);
  EXPECT_FALSE(item(c, "max_waiting_standing").met);  // no standing target: shown, never failed
  EXPECT_EQ(item(c, "max_waiting_standing").note, "no target stated");
  EXPECT_EQ(c.compliance_fails, 0);
  EXPECT_EQ(c.compliance_warns, 1);
  EXPECT_EQ(item(c, "evacuation_margin_s").note, "no evacuation section");
  EXPECT_FALSE(c.passed);  // the wait target is missed
}

TEST(ScorecardTest, EvacuationWithoutAsetSaysSoAndAFailedRunNeverPasses) {
  ScenarioOutcome s;
  s.replications = {values(100, 1, 0, 0)};
  s.findings = std::vector<check::Finding>{};
  s.has_evacuation = true;
  s.evacuation = EvacOutcome{};
  s.evacuation->time_s = 200;
  Scorecard c = make_scorecard(s);
  EXPECT_EQ(item(c, "evacuation_margin_s").note, "no ASET stated");
  EXPECT_TRUE(c.passed);
  s.evacuation->aset_s = 180;  // margin -20 s
  c = make_scorecard(s);
  EXPECT_DOUBLE_EQ(*item(c, "evacuation_margin_s").value, -20);
  EXPECT_FALSE(c.passed);
  s.evacuation->aset_s.reset();
  s.run_error = "no open day";
  s.replications.clear();
  c = make_scorecard(s);
  EXPECT_FALSE(c.passed);
  EXPECT_NE(item(c, "wait_mean_s").note.find("no open day"), std::string::npos);
}

TEST(ComplianceDiffTest, ListsEveryRuleAndMarksTheChangedOnes) {
  const std::vector<check::Finding> a{finding("exit-distance", check::Status::pass, 25),
                                      finding("exit-count", check::Status::pass, 4)};
  const std::vector<check::Finding> b{finding("exit-distance", check::Status::fail, 34.5),
                                      finding("exit-count", check::Status::pass, 4)};
  const auto d = compliance_diff({&a, &b, nullptr});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].rule, "exit-distance");
  EXPECT_EQ(d[0].changed, (std::vector<std::size_t>{1, 2}));  // fail in [2], absent in [3] (check failed)
  EXPECT_DOUBLE_EQ(*d[0].by_scenario[1].measured, 34.5);
  EXPECT_FALSE(d[0].by_scenario[2].status);
  EXPECT_EQ(d[1].changed, (std::vector<std::size_t>{2}));
}

TEST(ComparisonTest, VerdictNamesTheSignificantImprovements) {
  ScenarioOutcome a, b;
  a.hall_id = b.hall_id = "hall|county";
  a.findings = b.findings = std::vector<check::Finding>{};
  for (int r = 0; r < 5; ++r) {
    a.replications.push_back(values(600 + 10 * r, 0.7, 0.05, 10));
    b.replications.push_back(values(400 + 11 * r, 0.7, 0.05, 10));  // about 200 s shorter every time
  }
  const Comparison c = compare_outcomes({a, b}, {"[1] a.yaml", "[2] b.yaml"});
  ASSERT_EQ(c.differences.size(), 1u);
  const auto& d = c.differences[0];
  EXPECT_TRUE(d.kpis[static_cast<std::size_t>(Kpi::wait_mean_s)].significant);
  EXPECT_EQ(d.better, 1);
  EXPECT_EQ(d.worse, 0);
  EXPECT_NE(d.verdict.find("service BETTER: wait_mean_s -3.3 min"), std::string::npos) << d.verdict;
  EXPECT_NE(d.verdict.find("compliance unchanged"), std::string::npos) << d.verdict;
  EXPECT_TRUE(c.same_hall);
}

}  // namespace
}  // namespace halltwin::compare
