#pragma once
// The agents of one evacuation run as a structure of arrays (Eigen arrays for
// the numeric state), and the uniform neighbour grid rebuilt every step.
#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::evac {

struct Agents {
  Eigen::ArrayXd x, y;                 // position, metres
  Eigen::ArrayXd ex, ey;               // walking direction of the last step (unit)
  // Velocity realised in the last step (its committed displacement / dt), m/s:
  // the state of a second-order model (models/social_force.hpp).
  Eigen::ArrayXd vx, vy;
  Eigen::ArrayXd radius;               // metres
  Eigen::ArrayXd v0;                   // desired speed, m/s
  Eigen::ArrayXd premovement;          // seconds after the alarm
  std::vector<std::uint8_t> active;    // pre-movement over: walking
  std::vector<std::uint32_t> id;       // index into the run's person table (stable)
  std::vector<std::int32_t> exit;      // chosen exit (index into EvacModel::exits), -1: none yet
  std::vector<std::uint8_t> escaping;  // inside an active hazard zone, leaving it
  std::vector<std::uint8_t> to_target;  // a crowd surge's walker: heads for the target, never for an exit

  std::size_t size() const { return id.size(); }
  Vec2 position(std::size_t i) const {
    return {x[static_cast<Eigen::Index>(i)], y[static_cast<Eigen::Index>(i)]};
  }
  void resize(std::size_t n);
  // Keeps the agents with keep[i] != 0, in order.
  void compact(const std::vector<std::uint8_t>& keep);
  // One more agent at the end, zeroed as resize() makes them.
  void push_back();
};

// Agents binned in square cells of side >= the interaction range, by counting
// sort; neighbours of a point are in its cell and the 8 around it. With a
// periodic length, cells wrap in x (the fundamental-diagram corridor).
class NeighbourGrid {
 public:
  void build(const Agents& a, Vec2 origin, Vec2 extent, double range, double periodic_length);

  template <class F>
  void for_each_near(double px, double py, F&& f) const {
    const int ci = cell_x(px), cj = cell_y(py);
    for (int dj = -1; dj <= 1; ++dj) {
      const int j = cj + dj;
      if (j < 0 || j >= ny_) continue;
      for (int di = -1; di <= 1; ++di) {
        int i = ci + di;
        double shift = 0.0;
        if (periodic_ > 0) {
          if (nx_ < 3 && di != 0) continue;
          if (i < 0) i += nx_, shift = -periodic_;
          if (i >= nx_) i -= nx_, shift = periodic_;
        } else if (i < 0 || i >= nx_) {
          continue;
        }
        const std::size_t c = static_cast<std::size_t>(j) * nx_ + i;
        for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k) f(items_[k], shift);
      }
    }
  }

 private:
  int cell_x(double px) const {
    return std::clamp(static_cast<int>(std::floor((px - origin_.x) * inv_)), 0, nx_ - 1);
  }
  int cell_y(double py) const {
    return std::clamp(static_cast<int>(std::floor((py - origin_.y) * inv_)), 0, ny_ - 1);
  }
  Vec2 origin_;
  double inv_ = 1.0, periodic_ = 0.0;
  int nx_ = 1, ny_ = 1;
  std::vector<std::uint32_t> start_, items_, cell_of_;
};

}  // namespace halltwin::evac
