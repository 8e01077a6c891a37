#pragma once
// The collision-free speed model (Tordeux, Chraibi, Seyfried 2016,
// "Collision-free speed model for pedestrian dynamics"): the direction is the
// desired direction plus exponential repulsion from neighbours and walls,
// normalised; the speed is the optimal-velocity function of the distance to
// the nearest agent ahead in that direction, V(s) = min(v0, max(0, (s - l) / T)).
#include "sim/evac/models/motion_model.hpp"

namespace halltwin::evac {

// Calibrated (docs/validation.md, "RiMEA 4"): with the published T = 1 s the
// model walks at (headway - 2 r) / T, about half Weidmann's speed at 1-3
// persons/m² on a lattice; T = 0.65 s brings the fundamental diagram within
// 0.12 m/s of Weidmann's at 0.5-6 persons/m². A shorter time gap alone lets a
// 1 m door pass 1.7 persons/s (more side-by-side lanes squeeze through), so
// the neighbour repulsion is stronger (a = 20 instead of 8, same range): it
// keeps a door's queue in about two lanes, 1.4 persons/s, within the
// 1.0-1.5 band of measured doorways. Both are checked by tests together.
struct CfsmParams {
  double time_gap_s = 0.65;          // T, seconds
  double neighbour_strength = 20.0;  // a (dimensionless weight)
  double neighbour_range_m = 0.1;    // D
  double wall_strength = 5.0;        // a_w
  double wall_range_m = 0.02;        // D_w
};

class CollisionFreeSpeedModel final : public MotionModel {
 public:
  explicit CollisionFreeSpeedModel(CfsmParams params = {}) : p_(params) {}
  std::string_view name() const override { return "collision-free speed model (Tordeux et al. 2016)"; }
  double interaction_range(const EvacModel& model) const override;
  // The widest body + 0.1 m (room to turn a shoulder past the wall tolerance).
  double passable_gap_m(double radius_m, double slowest_v0_mps) const override;
  void velocities(const MotionInput& in, Eigen::ArrayXd& vx, Eigen::ArrayXd& vy, Eigen::ArrayXd& ex,
                  Eigen::ArrayXd& ey) const override;
  const CfsmParams& params() const { return p_; }

 private:
  CfsmParams p_;
};

}  // namespace halltwin::evac
