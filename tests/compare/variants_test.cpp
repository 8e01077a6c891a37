// Common random numbers on the bundled halls and the expected direction of
// the bundled variant pairs (docs/compare.md, docs/validation.md):
// - a scenario compared with an identical copy differs by exactly 0;
// - variants that share the arrival source see the same citizens;
// - the paired interval of a difference is narrower than the interval of two
//   independent samples of the same size;
// - department windows wait longer than comprehensive windows (pooling);
// - an extended-hours roster serves more citizens a day;
// - one more comprehensive window shortens the waits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "model/scenario_loader.hpp"
#include "sim/compare/comparison.hpp"
#include "sim/ops/ops_model.hpp"
#include "sim/ops/replications.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::compare {
namespace {

using kpi::Kpi;

constexpr int kReplications = 10;

std::string source(const std::string& rel) { return std::string(HALLTWIN_SOURCE_DIR) + "/" + rel; }

// Replications 1..n of one day from the county's start date (2026-03-02, a Monday).
std::vector<kpi::KpiValues> run(const std::string& path, std::uint64_t seed = 1, int n = kReplications) {
  const Hall hall = load_scenario(path);
  const ops::OpsModel model(hall);
  ops::ReplicationPlan plan;
  plan.base.seed = seed;
  plan.base.days = 1;
  plan.base.start_date = "2026-03-02";
  plan.replications = n;
  plan.threads = 2;
  std::vector<kpi::KpiValues> out;
  for (const auto& r : ops::run_replications(model, plan)) out.push_back(r.kpis.values);
  return out;
}

std::vector<double> column(const std::vector<kpi::KpiValues>& v, Kpi k) {
  std::vector<double> out;
  for (const auto& r : v) out.push_back(r[static_cast<std::size_t>(k)]);
  return out;
}

const Difference& diff(const KpiDifferences& d, Kpi k) { return d[static_cast<std::size_t>(k)]; }

const std::vector<kpi::KpiValues>& county() {
  static const auto v = run(source("scenarios/county.yaml"));
  return v;
}

TEST(CommonRandomNumbersTest, IdenticalCopyDiffersByExactlyZeroEverywhere) {
  std::ifstream in(source("scenarios/county.yaml"));
  const testing::TempFile copy(std::string(std::istreambuf_iterator<char>(in), {}));
  const auto d = differences(county(), run(copy.path()));
  for (std::size_t k = 0; k < kpi::kKpiCount; ++k) {
    SCOPED_TRACE(std::string(kpi::name(Kpi(k))));
    EXPECT_EQ(d[k].mean, 0.0);
    ASSERT_TRUE(d[k].ci95_low);
    EXPECT_EQ(*d[k].ci95_low, 0.0);
    EXPECT_EQ(*d[k].ci95_high, 0.0);
    EXPECT_FALSE(d[k].significant);
  }
}

TEST(CommonRandomNumbersTest, DepartmentWindowsVariantSeesTheSameCitizens) {
  // The arrivals stream is keyed by (seed, replication, "arrivals"): the
  // windows changed, the citizens who come in did not.
  const auto dept = run(source("scenarios/county-department-windows.yaml"));
  EXPECT_EQ(column(dept, Kpi::arrivals), column(county(), Kpi::arrivals));
}

TEST(CommonRandomNumbersTest, PairedIntervalIsNarrowerThanIndependentSeeds) {
  const auto dept = run(source("scenarios/county-department-windows.yaml"));
  const auto dept_other_seeds = run(source("scenarios/county-department-windows.yaml"), 1000);
  for (Kpi k : {Kpi::wait_mean_s, Kpi::served, Kpi::within_target_rate}) {
    SCOPED_TRACE(std::string(kpi::name(k)));
    const Difference paired = paired_difference(column(county(), k), column(dept, k));
    const Difference independent = independent_difference(column(county(), k), column(dept_other_seeds, k));
    EXPECT_LT(paired.half_width(), independent.half_width());
  }
}

TEST(VariantPairsTest, DepartmentWindowsWaitLongerThanComprehensiveWindows) {
  const auto d = differences(county(), run(source("scenarios/county-department-windows.yaml")));
  EXPECT_GT(diff(d, Kpi::wait_mean_s).mean, 0.0);
  EXPECT_TRUE(diff(d, Kpi::wait_mean_s).significant);
  EXPECT_LT(diff(d, Kpi::within_target_rate).mean, 0.0);
  EXPECT_TRUE(diff(d, Kpi::within_target_rate).significant);
}

TEST(VariantPairsTest, ExtendedHoursServeMoreCitizens) {
  const auto d = differences(county(), run(source("scenarios/variants/county-extended-hours.yaml")));
  EXPECT_GT(diff(d, Kpi::served).mean, 0.0);
  EXPECT_TRUE(diff(d, Kpi::served).significant);
  EXPECT_GT(diff(d, Kpi::arrivals).mean, 0.0);
}

TEST(VariantPairsTest, OneMoreWindowShortensTheWaits) {
  const auto d = differences(county(), run(source("scenarios/variants/county-one-more-window.yaml")));
  EXPECT_LT(diff(d, Kpi::wait_mean_s).mean, 0.0);
  EXPECT_TRUE(diff(d, Kpi::wait_mean_s).significant);
  EXPECT_EQ(diff(d, Kpi::arrivals).mean, 0.0);  // the same citizens
}

}  // namespace
}  // namespace halltwin::compare
