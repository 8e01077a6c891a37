#pragma once
// One evacuation run: `simulate(model, options, trace)`. A fixed time step
// written as a short list of named phases (docs/evac.md), each with a timing
// counter; every phase computes from the state frozen at the start of the
// step, so the order agents are stored in never changes a result.
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/trace/trace_writer.hpp"
#include "sim/evac/agents.hpp"
#include "sim/evac/evac_model.hpp"

namespace halltwin::evac {

// Body overlap tolerated between two agents, metres (the guard never lets a
// pair come closer than r_i + r_j minus this).
inline constexpr double kOverlapTolerance_m = 0.02;
// Wall overlap tolerated: an agent's centre keeps at least radius minus this from every edge,
// unless it was already closer and moves away.
inline constexpr double kWallTolerance_m = 0.05;

enum class Phase { start, route, neighbours, motion, walls, overlaps, exits, measure };
inline constexpr std::size_t kPhaseCount = 8;
inline constexpr std::array<const char*, kPhaseCount> kPhaseNames = {
    "start", "route", "neighbours", "motion", "walls", "overlaps", "exits", "measure"};

struct EvacRunOptions {
  std::uint64_t seed = 1;
  int replication = 1;
  // Several floors: the floor id, so that each floor draws its own random
  // streams and person ids are unique ("F2-P0001"); "" for one floor.
  std::string stream_tag;
  // Verification only: x wraps over [x0, x0 + length) and nobody leaves (RiMEA test 4).
  double periodic_x0 = 0.0, periodic_length = 0.0;
  // Called after every step with the time and the agents (verification measurements).
  std::function<void(double t, const Agents& agents, const Eigen::ArrayXd& vx, const Eigen::ArrayXd& vy)>
      observer;
  // Called (from the running thread) with the simulated time, about every 10 simulated seconds.
  std::function<void(double t)> progress;
};

struct PersonRecord {
  std::string id;  // "P0001"
  std::string group;
  std::string kind;        // "citizen", "staff" or "" (an evacuee of unknown role)
  int assigned_exit = -1;  // the group's exit (index into EvacModel::exits), -1: chosen
  std::string zone;        // "" for placed persons or the whole floor
  double radius_m = 0, speed_mps = 0, premovement_s = 0;
  Vec2 start;
  double start_s = -1;  // when they started walking
  double exit_s = -1;   // -1: still inside at the end (stuck)
  std::string exit;     // door id
  Vec2 last;            // last position (the stuck are reported with it)
  // A crowd surge's walker: due at the door, in through it (-1: never), at the target (-1: never).
  double due_s = -1, entered_s = -1, target_s = -1;
  double stop_depth_m = 0;  // the depth in the target where it stops (SurgeSpec::spread)
};

struct ExitTally {
  std::string id;
  int count = 0;
  double first_s = -1, last_s = -1;
};

struct EvacResult {
  double evacuation_time_s = 0;  // last exit, or the cap when someone is stuck
  bool capped = false;
  int agents = 0;
  std::vector<ExitTally> exits;  // by model.exits
  std::vector<PersonRecord> persons;
  std::vector<std::size_t> stuck;  // indices into persons
  double max_density_ppm2 = 0, congestion_s = 0;
  std::vector<float> peak_density_ppm2;       // by density cell (model.density_nx x density_ny)
  std::vector<std::pair<double, int>> curve;  // (time, persons inside) at every sample
  std::uint64_t agent_steps = 0, steps = 0, overlap_reverts = 0, wall_slides = 0;
  std::uint64_t exit_changes = 0;  // an agent switched to another exit (queue, closure)
  int hazard_entries = 0;          // an agent outside an active hazard zone stepped into it (never expected)
  int caught_in_hazard = 0;        // agents inside a hazard zone when it became active (they leave it)
  double wall_s = 0;
  std::array<double, kPhaseCount> phase_s{};
};

class MotionModel;

// Runs one replication with the model's motion model (EvacModel::motion_model). Throws InputError
// when the population cannot be placed.
EvacResult simulate(const EvacModel& model, const EvacRunOptions& options, TraceWriter* trace = nullptr);
EvacResult simulate(const EvacModel& model, const MotionModel& motion, const EvacRunOptions& options,
                    TraceWriter* trace = nullptr);

struct EvacPlan {
  EvacRunOptions base;
  int replications = 1;
  int threads = 1;
  std::function<TraceWriter*(int r)> trace_for;
  std::function<void(int r)> after_run;
  std::function<void(int done, int total)> progress;
};

// Replications in parallel threads; results[r - 1] is replication r whatever the thread count.
std::vector<EvacResult> run_replications(const EvacModel& model, const EvacPlan& plan);

}  // namespace halltwin::evac
