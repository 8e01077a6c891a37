// The operations simulator against queueing theory (docs/validation.md,
// "Operations simulator"): Erlang C mean wait and P(W > t), Erlang A
// abandonment, and the exact M_t/M/inf occupancy under a sinusoidal rate.
// Each formula must lie inside the 95% confidence interval over independent
// replications; runs are long (days of around-the-clock service) so the
// empty start biases the mean by well under the interval's half-width.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/ops/replications.hpp"
#include "tests/ops/ops_test_hall.hpp"

namespace halltwin {
namespace {

using testing::queue_hall;
using testing::QueueHallSpec;

// Erlang C from the Erlang B recursion (numerically stable).
double erlang_c(int c, double a) {
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  const double rho = a / c;
  return b / (1.0 - rho * (1.0 - b));
}

std::vector<ops::RunResult> replicate(const Hall& h, int reps, int days, std::uint64_t seed = 11) {
  const ops::OpsModel model(h);
  ops::ReplicationPlan plan;
  plan.base.days = days;
  plan.base.start_date = h.start_date;
  plan.base.seed = seed;
  plan.replications = reps;
  plan.threads = 2;
  return ops::run_replications(model, plan);
}

kpi::Estimate estimate_of(const std::vector<ops::RunResult>& runs, kpi::Kpi k) {
  std::vector<double> v;
  for (const auto& r : runs) v.push_back(r.kpis.values[static_cast<std::size_t>(k)]);
  return kpi::estimate(v);
}

TEST(ErlangTest, WorkedExampleOfTheValidationPage) {
  // lambda = 2.7, mu = 1, c = 3: C = 0.81706, Wq = 2.72354, P(W > 1) = 0.6053.
  const double c = erlang_c(3, 2.7);
  EXPECT_NEAR(c, 0.81706, 1e-5);
  EXPECT_NEAR(c / (3.0 - 2.7), 2.72354, 1e-5);
  EXPECT_NEAR(c * std::exp(-(3.0 - 2.7) * 1.0), 0.6053, 1e-4);
}

struct ErlangCCase {
  int c;
  double rho;
};

class ErlangCTest : public ::testing::TestWithParam<ErlangCCase> {};

TEST_P(ErlangCTest, MeanWaitAndTailInsideTheConfidenceInterval) {
  const auto [c, rho] = GetParam();
  const double mu = 1.0 / 60.0;  // per second: 1 min mean service
  const double lambda = rho * c * mu;
  QueueHallSpec spec;
  spec.windows = c;
  spec.service_mean_s = 60.0;
  spec.arrivals_per_h = lambda * 3600.0;
  Hall h = queue_hall(spec);
  const double t_s = 60.0;  // P(W > 1 min), through the target wait
  h.operations.targets.wait_s = t_s;
  const int days = rho >= 0.9 ? 8 : rho >= 0.8 ? 5 : 3;
  const auto runs = replicate(h, 20, days);
  const double pc = erlang_c(c, lambda / mu);
  const double wq = pc / (c * mu - lambda);
  const double tail = pc * std::exp(-(c * mu - lambda) * t_s);

  const auto w = estimate_of(runs, kpi::Kpi::wait_mean_s);
  EXPECT_LE(*w.ci95_low, wq) << "c=" << c << " rho=" << rho << " mean " << w.mean;
  EXPECT_GE(*w.ci95_high, wq) << "c=" << c << " rho=" << rho << " mean " << w.mean;
  // within_target_rate = P(W <= t) without abandonment.
  const auto within = estimate_of(runs, kpi::Kpi::within_target_rate);
  EXPECT_LE(1.0 - *within.ci95_high, tail) << "c=" << c << " rho=" << rho;
  EXPECT_GE(1.0 - *within.ci95_low, tail) << "c=" << c << " rho=" << rho;
  // Utilisation = rho (busy time over rostered time).
  const auto u = estimate_of(runs, kpi::Kpi::utilization);
  EXPECT_NEAR(u.mean, rho, 0.01);
}

INSTANTIATE_TEST_SUITE_P(Rho, ErlangCTest,
                         ::testing::Values(ErlangCCase{2, 0.5}, ErlangCCase{5, 0.5}, ErlangCCase{4, 0.8},
                                           ErlangCCase{10, 0.8}, ErlangCCase{3, 0.9}, ErlangCCase{10, 0.9}),
                         [](const auto& info) {
                           return "c" + std::to_string(info.param.c) + "_rho" +
                                  std::to_string(static_cast<int>(info.param.rho * 100));
                         });

// Erlang A (M/M/c+M): birth-death chain, P(abandon) = theta * Lq / lambda.
double erlang_a_abandon(int c, double lambda, double mu, double theta) {
  std::vector<double> p(2001, 0.0);
  p[0] = 1.0;
  double sum = 1.0;
  for (int n = 1; n < static_cast<int>(p.size()); ++n) {
    const double death = std::min(n, c) * mu + std::max(n - c, 0) * theta;
    p[n] = p[n - 1] * lambda / death;
    sum += p[n];
  }
  double lq = 0.0;
  for (int n = c + 1; n < static_cast<int>(p.size()); ++n) lq += (n - c) * p[n] / sum;
  return theta * lq / lambda;
}

TEST(ErlangATest, AbandonmentInsideTheConfidenceInterval) {
  for (const auto& [c, per_min, patience_s] : {std::tuple{3, 3.0, 300.0}, std::tuple{5, 6.0, 120.0}}) {
    QueueHallSpec spec;
    spec.windows = c;
    spec.service_mean_s = 60.0;
    spec.arrivals_per_h = per_min * 60.0;
    spec.patience_mean_s = patience_s;
    const auto runs = replicate(queue_hall(spec), 20, 3);
    const double expected = erlang_a_abandon(c, per_min / 60.0, 1.0 / 60.0, 1.0 / patience_s);
    const auto a = estimate_of(runs, kpi::Kpi::abandon_rate);
    EXPECT_LE(*a.ci95_low, expected) << "c=" << c << " mean " << a.mean;
    EXPECT_GE(*a.ci95_high, expected) << "c=" << c << " mean " << a.mean;
  }
}

TEST(MtMInfTest, OccupancyMeanAndVarianceFollowTheSinusoid) {
  // lambda(t) = 120 + 60 sin(2 pi t / 4 h) per hour, 10 min service, 150
  // windows (nobody waits): the number in the hall is Poisson with mean m(t).
  QueueHallSpec spec;
  spec.windows = 150;
  spec.service_mean_s = 600.0;
  spec.arrivals_per_h = 120.0;
  spec.amplitude_per_h = 60.0;
  spec.period_h = 4.0;
  const Hall h = queue_hall(spec);
  const ops::OpsModel model(h);
  const double alpha = 120.0 / 3600.0, beta = 60.0 / 3600.0, mu = 1.0 / 600.0;
  const double omega = 2.0 * M_PI / (4.0 * 3600.0);
  const int reps = 600;
  for (double hour : {24.0, 25.0, 26.0, 27.0}) {
    const double t = hour * 3600.0;
    const double m = alpha / mu + beta * (mu * std::sin(omega * t) - omega * std::cos(omega * t)) /
                                      (mu * mu + omega * omega);
    std::vector<double> counts;
    for (int r = 1; r <= reps; ++r) {
      ops::RunOptions o;
      o.seed = 3;
      o.replication = r;
      o.days = 2;
      o.start_date = h.start_date;
      o.stop_at_s = t;
      const auto res = ops::simulate(model, o);
      double n = 0;
      for (const auto& p : res.snapshot->persons) n += p.kind == EntityKind::citizen;
      counts.push_back(n);
    }
    const auto e = kpi::estimate(counts);
    EXPECT_LE(*e.ci95_low, m) << "t=" << hour << " h";
    EXPECT_GE(*e.ci95_high, m) << "t=" << hour << " h";
    double ss = 0;
    for (double x : counts) ss += (x - e.mean) * (x - e.mean);
    const double var = ss / (reps - 1);
    // Sample variance of a Poisson(m): sd ~ sqrt((m + 2 m^2) / n); four correlated
    // time points share the histories, so the band is the 99% one (2.576 sd).
    EXPECT_NEAR(var, m, 2.576 * std::sqrt((m + 2 * m * m) / reps))
        << "t=" << hour << " h, var " << var << ", m " << m << ", mean " << e.mean;
  }
}

TEST(KpiTest, HistogramQuantilesAndStudentT) {
  kpi::WaitHistogram h;
  for (int i = 0; i < 10; ++i) h.add(0.0);
  for (int i = 1; i <= 90; ++i) h.add(i);  // 1..90 s
  EXPECT_EQ(h.count(), 100u);
  EXPECT_DOUBLE_EQ(h.quantile(0.05), 0.0);
  EXPECT_DOUBLE_EQ(h.quantile(0.5), 39.5);  // the 50th value is 40 s, in bin (39, 40]
  EXPECT_DOUBLE_EQ(h.quantile(1.0), 89.5);
  EXPECT_EQ(h.count_at_most(40.0), 50u);
  EXPECT_NEAR(kpi::t975(1), 12.706, 1e-3);
  EXPECT_NEAR(kpi::t975(200), 1.972, 2e-3);
  const auto e = kpi::estimate({1.0, 2.0, 3.0});
  EXPECT_DOUBLE_EQ(e.mean, 2.0);
  EXPECT_NEAR(*e.ci95_high - e.mean, 4.303 * 1.0 / std::sqrt(3.0), 1e-3);
}

}  // namespace
}  // namespace halltwin
