#pragma once
// A pedestrian motion model behind a small interface: from the frozen state
// of the previous step, every walking agent's velocity for this step. The
// simulation then moves agents, keeps them out of walls and apart
// (sim/evac/simulation.cpp), so a model never commits positions itself.
#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <string_view>

#include "sim/evac/agents.hpp"
#include "sim/evac/evac_model.hpp"

namespace halltwin::evac {

struct MotionInput {
  const EvacModel& model;
  const Agents& frozen;        // the previous step's state (read only)
  const NeighbourGrid& grid;   // built on `frozen`
  double periodic_length = 0;  // > 0: x wraps (fundamental-diagram corridor)
  // Per agent: the desired direction (unit, from the agent's chosen exit or its
  // way out of a hazard zone) and the walls it keeps off (its layout's).
  const Eigen::ArrayXd& desired_x;
  const Eigen::ArrayXd& desired_y;
  const std::vector<const WallIndex*>& walls;
  double dt_s = 0.05;  // the step (a second-order model integrates its acceleration over it)
  // A model's random fluctuation (the social force model's) is a counter-based
  // hash of (noise_key, the agent's person id, step): no shared generator, so the
  // same on any thread count. noise_key: the run's seed, replication and streams.
  std::uint64_t noise_key = 0;
  std::int64_t step = 0;
};

class MotionModel {
 public:
  virtual ~MotionModel() = default;
  virtual std::string_view name() const = 0;
  // Distance beyond which agents do not interact, metres (the neighbour grid's cell).
  virtual double interaction_range(const EvacModel& model) const = 0;
  // The narrowest gap between two walls a lone body of radius `radius_m` walking
  // at `slowest_v0_mps` passes, metres: narrower gaps get a bar across
  // (docs/evac.md "Narrow gaps"). The model's own, since its wall forces decide it.
  virtual double passable_gap_m(double radius_m, double slowest_v0_mps) const = 0;
  // Velocities of the walking agents (zero for the others), m/s; vx, vy are
  // sized to the agents. Writes new walking directions into ex, ey.
  virtual void velocities(const MotionInput& in, Eigen::ArrayXd& vx, Eigen::ArrayXd& vy, Eigen::ArrayXd& ex,
                          Eigen::ArrayXd& ey) const = 0;
};

// The model a run uses (EvacModel::motion_model): one shared instance per kind.
const MotionModel& motion_model(EvacMotionModel kind);

}  // namespace halltwin::evac
