#include "sim/compare/paired_difference.hpp"

#include <cmath>

#include "sim/kpi/kpi.hpp"

namespace halltwin::compare {

namespace {

void set_interval(Difference& d, double half) {
  d.ci95_low = d.mean - half;
  d.ci95_high = d.mean + half;
  d.significant = *d.ci95_low > 0.0 || *d.ci95_high < 0.0;
}

// Mean and sample variance of the finite values.
std::pair<double, double> mean_var(const std::vector<double>& v, int& n) {
  double sum = 0.0;
  n = 0;
  for (double x : v)
    if (std::isfinite(x)) sum += x, ++n;
  if (n == 0) return {0.0, 0.0};
  const double mean = sum / n;
  double ss = 0.0;
  for (double x : v)
    if (std::isfinite(x)) ss += (x - mean) * (x - mean);
  return {mean, n > 1 ? ss / (n - 1) : 0.0};
}

}  // namespace

Difference paired_difference(const std::vector<double>& baseline, const std::vector<double>& variant) {
  std::vector<double> d;
  const std::size_t n = std::min(baseline.size(), variant.size());
  for (std::size_t r = 0; r < n; ++r)
    if (std::isfinite(baseline[r]) && std::isfinite(variant[r])) d.push_back(variant[r] - baseline[r]);
  Difference out;
  int count = 0;
  const auto [mean, var] = mean_var(d, count);
  out.pairs = count;
  out.mean = mean;
  if (count >= 2) set_interval(out, kpi::t975(count - 1) * std::sqrt(var / count));
  return out;
}

Difference independent_difference(const std::vector<double>& baseline, const std::vector<double>& variant) {
  int na = 0, nb = 0;
  const auto [ma, va] = mean_var(baseline, na);
  const auto [mb, vb] = mean_var(variant, nb);
  Difference out;
  out.pairs = std::min(na, nb);
  out.mean = mb - ma;
  if (na < 2 || nb < 2) return out;
  const double sa = va / na, sb = vb / nb, se2 = sa + sb;
  if (se2 <= 0.0) {
    set_interval(out, 0.0);
    return out;
  }
  const double dof = se2 * se2 / (sa * sa / (na - 1) + sb * sb / (nb - 1));
  set_interval(out, kpi::t975(std::max(1, static_cast<int>(std::floor(dof)))) * std::sqrt(se2));
  return out;
}

}  // namespace halltwin::compare
