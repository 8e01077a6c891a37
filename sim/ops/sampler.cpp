#include "sim/ops/sampler.hpp"

#include <cmath>

namespace halltwin::ops {

Sampler::Sampler(const Distribution& d) : kind_(d.kind), mean_s_(d.mean()) {
  switch (d.kind) {
    case Distribution::Kind::lognormal:
      // mean m and cv c: sigma^2 = ln(1 + c^2), mu = ln m - sigma^2 / 2.
      sigma_ = std::sqrt(std::log1p(d.cv * d.cv));
      mu_ = std::log(d.mean_s) - 0.5 * sigma_ * sigma_;
      break;
    case Distribution::Kind::gamma:
      // mean = k theta, cv = 1 / sqrt(k).
      shape_ = 1.0 / (d.cv * d.cv);
      scale_ = d.mean_s / shape_;
      break;
    case Distribution::Kind::empirical:
      values_ = &d.values_s;
      break;
    default:
      break;
  }
}

namespace {
// Marsaglia and Tsang (2000) for shape >= 1; the boost for shape < 1 is
// Gamma(k) = Gamma(k + 1) * U^(1/k). Written out (not std::gamma_distribution)
// so that a seed gives the same draws with every standard library.
double gamma_draw(RandomStream& rng, double shape) {
  if (shape < 1.0) return gamma_draw(rng, shape + 1.0) * std::pow(rng.uniform01(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = rng.normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = rng.uniform01();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}
}  // namespace

double Sampler::draw(RandomStream& rng) const {
  switch (kind_) {
    case Distribution::Kind::exponential:
      return rng.exponential(mean_s_);
    case Distribution::Kind::lognormal:
      return std::exp(mu_ + sigma_ * rng.normal());
    case Distribution::Kind::gamma:
      return scale_ * gamma_draw(rng, shape_);
    case Distribution::Kind::empirical:
      return (*values_)[rng.below(static_cast<std::uint32_t>(values_->size()))];
    case Distribution::Kind::deterministic:
      return mean_s_;
  }
  return mean_s_;
}

}  // namespace halltwin::ops
