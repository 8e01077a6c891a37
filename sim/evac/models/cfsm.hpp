#pragma once
// The collision-free speed model (Tordeux, Chraibi, Seyfried 2016,
// "Collision-free speed model for pedestrian dynamics"): the direction is the
// desired direction plus exponential repulsion from neighbours and walls,
// normalised; the speed is the optimal-velocity function of the distance to
// the nearest agent ahead in that direction, V(s) = min(v0, max(0, (s - l) / T)).
#include "sim/evac/models/motion_model.hpp"

namespace halltwin::evac {

struct CfsmParams {
  double time_gap_s = 1.0;          // T
  double neighbour_strength = 8.0;  // a
  double neighbour_range_m = 0.1;   // D
  double wall_strength = 5.0;       // a_w
  double wall_range_m = 0.02;       // D_w
};

class CollisionFreeSpeedModel final : public MotionModel {
 public:
  explicit CollisionFreeSpeedModel(CfsmParams params = {}) : p_(params) {}
  std::string_view name() const override { return "collision-free speed model (Tordeux et al. 2016)"; }
  double interaction_range(const EvacModel& model) const override;
  void velocities(const MotionInput& in, Eigen::ArrayXd& vx, Eigen::ArrayXd& vy, Eigen::ArrayXd& ex,
                  Eigen::ArrayXd& ey) const override;
  const CfsmParams& params() const { return p_; }

 private:
  CfsmParams p_;
};

}  // namespace halltwin::evac
