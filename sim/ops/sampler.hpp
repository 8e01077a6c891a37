#pragma once
// Drawing durations from the scenario's distributions (model/operations.hpp).
#include "model/operations.hpp"
#include "sim/ops/random_stream.hpp"

namespace halltwin::ops {

// A distribution prepared for drawing: parameters converted once at set-up.
class Sampler {
 public:
  Sampler() = default;
  explicit Sampler(const Distribution& d);
  // A duration in seconds, >= 0.
  double draw(RandomStream& rng) const;
  double mean_s() const { return mean_s_; }

 private:
  Distribution::Kind kind_ = Distribution::Kind::deterministic;
  double mean_s_ = 0.0;
  double mu_ = 0.0, sigma_ = 0.0;                // lognormal: of the underlying normal
  double shape_ = 1.0, scale_ = 1.0;             // gamma
  const std::vector<double>* values_ = nullptr;  // empirical (owned by the Hall)
};

}  // namespace halltwin::ops
