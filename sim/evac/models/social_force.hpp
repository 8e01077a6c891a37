#pragma once
// The social force model (Helbing, Farkas, Vicsek 2000, "Simulating dynamical
// features of escape panic", Nature 407): a second-order model. Each walker
// relaxes towards its desired velocity v0 e within tau and is pushed by its
// neighbours and the walls:
//   m dv/dt = m (v0 e - v) / tau
//           + sum_j [A exp((r_ij - d_ij) / B) + k g(r_ij - d_ij)] n_ij
//                   + kappa g(r_ij - d_ij) (dv_ji . t_ij) t_ij
//           + sum_W the same with r_i, d_iW and -(v_i . t_iW) t_iW,
// g(x) = max(0, x). The optional motion model of `halltwin evac --model
// social-force` (docs/evac.md "Motion models"); the collision-free speed model
// stays the default.
#include "sim/evac/models/motion_model.hpp"

namespace halltwin::evac {

// The published parameters (Helbing, Farkas, Vicsek 2000, and the sources in
// docs/validation.md), not calibrated: the SFM is offered as the textbook
// model to compare with, so its numbers stay the paper's.
struct SocialForceParams {
  double mass_kg = 80.0;                   // m
  double relaxation_s = 0.5;               // tau
  double repulsion_n = 2000.0;             // A, newtons
  double repulsion_range_m = 0.08;         // B
  double body_stiffness_kg_s2 = 1.2e5;     // k, kg/s^2 (body compression)
  double sliding_friction_kg_ms = 2.4e5;   // kappa, kg/(m s) (sliding friction)
  // The fluctuation term (a halltwin choice of amplitude, docs/evac.md "Motion
  // models"): a random force that alone would keep a walker's velocity jittering
  // with this standard deviation per axis, m/s (white noise relaxed within tau).
  double fluctuation_mps = 0.02;
};

class SocialForceModel final : public MotionModel {
 public:
  explicit SocialForceModel(SocialForceParams params = {}) : p_(params) {}
  std::string_view name() const override { return "social force model (Helbing, Farkas, Vicsek 2000)"; }
  double interaction_range(const EvacModel& model) const override;
  // The narrowest gap between two corners a lone walker at v0 passes from rest:
  // the two corners' push against the walk, at its worst on the approach, below
  // the drive m v0 / tau (docs/evac.md "Motion models", measured by a test).
  double passable_gap_m(double radius_m, double slowest_v0_mps) const override;
  // New velocity v + dt a (semi-implicit Euler: the simulation then moves by
  // dt times it), its speed capped at the walker's v0.
  void velocities(const MotionInput& in, Eigen::ArrayXd& vx, Eigen::ArrayXd& vy, Eigen::ArrayXd& ex,
                  Eigen::ArrayXd& ey) const override;
  const SocialForceParams& params() const { return p_; }

 private:
  SocialForceParams p_;
};

}  // namespace halltwin::evac
