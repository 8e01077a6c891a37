#pragma once
// Stairs in an evacuation of several floors (docs/evac.md "Several floors").
// Each floor is simulated on its own (sim/evac/simulation.hpp); the stair
// doors of an upper floor are exits of that floor. Whoever leaves an upper
// floor through a stair door then descends: a first-in-first-out queue at the
// stair's flow limit (1.1 persons per metre of width per second going down,
// IMO MSC.1/Circ.1238), then the stair's walking length at a stair speed
// (SFPE: k_stair / k_level = 1.16 / 1.40 of the person's level speed), down
// to the stair's lower door. A protected stair (封闭/防烟楼梯间) discharges
// outside at its foot (GB 50016 5.5.17: directly outside on the ground floor):
// the person is out there. A chain of stairs (a third floor) continues down.
// The lower floor's own evacuation is not slowed by the people coming down
// (the enclosure's discharge door is assumed at least as wide as the stair).
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "sim/evac/simulation.hpp"

namespace halltwin::evac {

// Specific flow down a stair, persons/(m s) (IMO MSC.1/Circ.1238).
inline constexpr double kStairFlowDown_ppms = 1.1;
// Speed along a stair's flights and landings as a share of the level speed (SFPE: k = 1.16 for
// 0.15 m risers on 0.30 m treads, the loader's default stair, against k = 1.40 on the level).
inline constexpr double kStairSpeedFactor = 1.16 / 1.40;

// The descent route from a door of an upper floor: the stairs in order.
struct StairPlan {
  struct Leg {
    std::size_t stair;  // index into hall.stairs
    std::string upper_door, lower_door;
    FloorId lower_floor;
    double width_m = 0, length_m = 0;
  };
  std::vector<Leg> legs;  // by stair index
  // For a door id: the leg entered through it, or -1.
  int leg_of(const std::string& door) const;
  // The leg the lower door of `leg` continues into, or -1 (out at its foot).
  std::vector<int> next;
};

// The legs of the hall's stairs between the evacuated floors. Throws InputError
// (exit 2) for a stair whose lower door is not a safety exit of its floor: a
// stair landing inside the lower floor is not modelled yet.
StairPlan plan_stairs(const Hall& hall);

struct StairTally {
  std::string id;  // stair id
  int count = 0;   // persons who went down it
  double first_out_s = -1, last_out_s = -1;
  double max_wait_s = 0;  // longest wait in its queue
};

struct FloorRun {
  std::string floor;  // floor id
  const EvacResult* result = nullptr;
};

struct BuildingResult {
  double evacuation_time_s = 0;  // the last person out of the building (the cap when someone is stuck)
  bool capped = false;
  std::vector<StairTally> stairs;  // by plan leg
  // Persons out of the building over time: (time, out) at every 0.5 s up to the end.
  std::vector<std::pair<double, int>> out_curve;
  std::vector<std::pair<double, int>> in_stairs_curve;
  int agents = 0, out = 0;
};

// Follows everyone who left an upper floor through a stair door down the
// stairs. Deterministic: ties in arrival broken by floor order, then person order.
BuildingResult descend_stairs(const Hall& hall, const StairPlan& plan, const std::vector<FloorRun>& floors,
                              double time_cap_s);

}  // namespace halltwin::evac
