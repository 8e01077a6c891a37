#pragma once
// The evacuation of one floor, prepared once from a const Hall and shared
// (read-only) by every replication and thread: the walkable area extended by
// an apron behind each open exit, one walking-distance field per exit (the
// checker's exact field, docs/evac.md "Door model") for every geometry the
// floor takes during the run (doors closed and hazard zones active at known
// times: "navigation epochs", so nothing is recomputed while agents walk),
// the wall indexes, the exits, and who starts where. Every unusable input
// throws InputError naming the entity.
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/evacuation.hpp"
#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/geometry/walkable_area.hpp"
#include "model/hall.hpp"
#include "model/rulebook.hpp"

namespace halltwin::evac {

// An agent counts as out this far past the door line, metres.
inline constexpr double kExitDepth_m = 0.5;
// Depth of the apron behind an exit to the outside, metres.
inline constexpr double kApronDepth_m = 1.5;
// Side of the square cells density is counted in, metres; sampling interval, seconds.
inline constexpr double kDensityCell_m = 2.0;
inline constexpr double kSampleInterval_s = 0.5;
// A cell above this density counts towards congestion_s, persons/m².
inline constexpr double kCongestionDensity_ppm2 = 4.0;

// Exit choice is re-evaluated this often, seconds (docs/evac.md "Exit choice").
inline constexpr double kExitChoiceInterval_s = 1.5;
// The specific flow an agent expects through a door, persons/(m s) (IMO MSC.1/Circ.1238).
inline constexpr double kExpectedDoorFlow_ppms = 1.3;
// An agent changes exit only when the other one is estimated faster by both margins.
inline constexpr double kExitSwitchGain_s = 2.0;
inline constexpr double kExitSwitchGainShare = 0.10;

// A crowd surge (halltwin drill, docs/drill.md "Crowd surge"): besides the
// floor's population, `count` walkers come in by `door` (a door in the
// floor's outer wall), due evenly over [0, spread_s) (0: all at once), step
// in just inside it as soon as there is room, and walk to the target: the
// walkable cells inside the `target` polygons at least `target_inset_m` from
// their edges. There they stop and stay (nobody leaves: the run lasts the
// time cap). With `spread`, each walker heads for the target's middle (its
// cells at least 0.8 x its greatest depth from its edges: the core) and stops
// at a depth of its own, drawn uniformly between the inset and the core's
// depth, so that a crowd fills a zone rather than lining its edge; without
// it (small targets: the places in front of windows) it stops on entering.
struct SurgeSpec {
  std::string door;
  int count = 0;
  double spread_s = 0.0;
  std::vector<Polygon> target;
  double target_inset_m = 0.0;
  bool spread = false;
};
// The core of a spread target: at least this share of its greatest depth.
inline constexpr double kTargetCoreDepthShare = 0.8;

struct EvacOptions {
  std::optional<int> population;     // --population: overrides the scenario's total
  std::vector<EvacBlocked> blocked;  // --block DOOR[@S], added to the scenario's blocked doors
  std::string floor;                 // --floor id; "" = the storey-1 floor
  bool one_of_several = false;       // one floor of a building evacuation (no "this floor only" note)
  double dt_s = 0.05;
  std::optional<double> time_cap_s;  // overrides the scenario's
  double cell_m = 0.0;               // raster cell; 0 = the checker's choice
  // x every group's walking speed (halltwin drill: a power failure, walking
  // under emergency lighting; docs/drill.md). Speeds fixed per person in the
  // scenario (evacuation.persons[].speed_mps, verification rooms) are kept.
  double speed_factor = 1.0;
  // --model: overrides the scenario's evacuation.model (format 9).
  std::optional<EvacMotionModel> motion_model;
  // A crowd surge: walkers coming in and heading for a target (not an exit).
  std::optional<SurgeSpec> surge;
};

struct EvacExit {
  std::string id;    // door id
  Segment door;      // the door line
  Vec2 outward;      // unit normal pointing through the door to the side it leads to
  bool on_boundary;  // an exit to the outside (its apron is outside the floor's boundary)
  // Counted kExitDepth_m past the door line on the `outward` side: every exit to the
  // outside, and an exit in an inner wall whose far side could be told (docs/evac.md
  // "Door model"); otherwise counted at the door line.
  bool counted_beyond = true;
  // An exit in an inner wall with a wall mass behind it: an apron (clear width x
  // kApronDepth_m) is cut into the wall on the far side.
  bool inner_apron = false;
  double width_m;  // clear width
  double closes_at_s = std::numeric_limits<double>::infinity();  // blocked at this time after the alarm
};

// A zone nobody outside it may enter from `from_s` on (fire, smoke).
struct HazardZone {
  std::string zone;
  Polygon polygon;
  double from_s = 0.0;
  Vec2 lo, hi;  // bounding box
  bool contains(Vec2 p) const;
};

// Where a share of the population starts.
struct SpawnZone {
  std::string id;  // zone id ("" = the whole floor)
  Polygon polygon;
  int count = 0;
  std::optional<EvacDistribution> premovement_s;  // premovement_by_zone
};

struct EvacGroupSpec {
  std::string id;
  double share = 1.0;
  EvacDistribution speed_mps;
  double radius_m = 0.2;
  std::optional<EvacDistribution> premovement_s;
  int exit = -1;  // assigned exit (index into EvacModel::exits), -1: chosen by estimated time
};

// Walls as a uniform bucket grid of the walkable area's edges: each bucket
// lists the edges within `pad` of it.
struct WallIndex {
  Vec2 origin;
  double cell = 1.0;
  int nx = 0, ny = 0;
  double pad = 0.0;
  std::vector<Segment> edges;
  std::vector<std::uint32_t> start;  // nx*ny+1
  std::vector<std::uint32_t> items;
  std::size_t bucket(Vec2 p) const;
};
void build_wall_index(const geom::WalkableArea& area, double max_radius_m, WallIndex& out);

// One walkable geometry of the floor: the doors closed and the hazard zones
// active at some time (hazards are obstacles in it). Per exit an exact
// walking-distance field; the wall bend per cell (docs/evac.md "Navigation").
struct NavLayout {
  std::unique_ptr<geom::WalkableArea> area;
  std::unique_ptr<geom::FloorGrid> grid;
  std::vector<std::unique_ptr<geom::DistanceField>> to_exit;  // by exit index
  std::vector<float> bend_x, bend_y;                          // per cell: weight x unit vector off the wall
  // Per exit and cell: the walking direction (NaN where the field is infinite:
  // computed when asked, pointing back to the reachable area).
  std::vector<std::vector<float>> dir_x, dir_y;
  WallIndex walls;
  // A crowd surge's target (EvacOptions::surge): per cell its depth in the
  // target (distance to the target polygon's edge; -1 outside the polygons),
  // the walking distance to the target's core and the walking direction.
  std::vector<float> target_depth;
  std::unique_ptr<geom::DistanceField> to_target;
  std::vector<float> target_dir_x, target_dir_y;
  // With people who never move during the run (EvacModel::still_bodies): the
  // area and raster `to_target` is computed on, those bodies cut out (null:
  // on `area` and `grid`), and the walking distance per cell of `grid`
  // (to_target's, filled in under the bodies from the nearest free cells).
  std::unique_ptr<geom::WalkableArea> target_area;
  std::unique_ptr<geom::FloorGrid> target_grid;
  std::vector<double> target_dist;
  std::vector<std::string> closed_doors;  // internal doors closed in it
  std::vector<std::size_t> hazards;       // active hazard zones (indices)
};

// From `from_s` on, agents walk in `layout`; those caught inside an active
// hazard zone walk in `free_layout` (the same doors, no hazard) down the
// `escape` field to the nearest way out of the zone.
struct NavEpoch {
  double from_s = 0.0;
  std::size_t layout = 0, free_layout = 0;
  std::vector<std::size_t> hazards;
  std::unique_ptr<geom::DistanceField> escape;  // on free_layout's grid; null without hazards
};

class EvacModel {
 public:
  EvacModel(const Hall& hall, const Rulebook& book, const EvacOptions& options);
  ~EvacModel();
  EvacModel(const EvacModel&) = delete;
  EvacModel& operator=(const EvacModel&) = delete;

  const Hall& hall;
  FloorId floor;
  double dt_s = 0.05;
  double time_cap_s = 0.0;
  bool time_cap_default = true;
  // The motion model: --model, else evacuation.model, else the collision-free speed model.
  EvacMotionModel motion_model = EvacMotionModel::cfsm;

  // The geometry at the alarm (epoch 0).
  const geom::WalkableArea& area() const { return *layouts[0].area; }
  const geom::FloorGrid& grid() const { return *layouts[0].grid; }
  // Finite walking distance to an exit open at the alarm from p, at the alarm.
  bool reachable(Vec2 p) const;
  // The navigation epoch in force at time t.
  std::size_t epoch_at(double t) const;
  // Walking distance from p to exit k in a layout (infinite when it cannot be reached).
  double exit_distance(const NavLayout& l, std::size_t k, Vec2 p) const {
    return l.to_exit[k]->at_cell(l.grid->cell_of(p));
  }
  // Unit walking direction from p towards exit k (steepest descent, bent off walls).
  Vec2 exit_direction(const NavLayout& l, std::size_t k, Vec2 p) const;
  // A crowd surge: walking distance from p to the target's core (0 in it), p's
  // depth in the target (-1 outside), and the unit walking direction to the core.
  double target_distance(const NavLayout& l, Vec2 p) const;
  double target_depth(const NavLayout& l, Vec2 p) const { return l.target_depth[l.grid->cell_of(p)]; }
  Vec2 target_direction(const NavLayout& l, Vec2 p) const;
  // For an agent inside an active hazard zone: the shortest way out of it.
  Vec2 escape_direction(const NavEpoch& e, Vec2 p) const;
  // Whether p is inside one of the epoch's active hazard zones.
  bool in_hazard(const NavEpoch& e, Vec2 p) const;

  std::vector<NavLayout> layouts;
  std::vector<NavEpoch> epochs;  // by from_s; epochs[0].from_s == 0
  std::vector<HazardZone> hazards;
  // Doors blocked after the alarm, by time (door id, seconds): the trace's door_blocked events.
  std::vector<std::pair<std::string, double>> blocked_later;
  std::optional<double> aset_s;  // the available safe egress time, seconds
  double prepare_s = 0.0;        // wall time to build the navigation
  std::size_t field_bytes = 0;   // memory of the distance fields

  std::vector<EvacExit> exits;        // the open safety exits of the floor
  std::vector<std::string> blocked;   // doors blocked from the start (ids), scenario then --block
  std::vector<SpawnZone> zones;       // random placement
  std::vector<EvacPerson> persons;    // placed by the scenario
  std::vector<EvacGroupSpec> groups;  // never empty
  // A crowd surge (EvacOptions::surge): the spec, the places just inside its door
  // where arrivals step in (tried in order), and the door's inward normal.
  std::optional<SurgeSpec> surge;
  std::vector<Vec2> surge_spots;
  Vec2 surge_inward;
  double surge_core_depth_m = 0.0;  // depth of the target's core (the inset without `spread`)
  // The people placed on the floor who cannot start moving before the time cap
  // (pre-movement at or beyond it): static obstacles to the surge walkers' way,
  // each a disc of its body's radius plus a walker's (docs/drill.md "Crowd surge").
  std::vector<Polygon> still_bodies;
  EvacDistribution premovement_s;     // the section's (or the default)
  WallIndex walls;
  int population = 0;              // persons placed in all
  std::string population_basis;    // for the summary
  std::vector<std::string> notes;  // e.g. "multi-floor hall: floor F1 only"
  double max_radius_m = 0.2, max_speed_mps = 1.61;

  // Density cells (2 m squares from the floor's bounding-box corner).
  Vec2 density_origin;
  int density_nx = 0, density_ny = 0;

  // The hand calculation of the evacuation time (docs/evac.md): pre-movement (its upper
  // end) + the longest walk at the slowest group's mean speed + N / (1.3 x total exit width).
  double hydraulic_estimate_s = 0.0;
  // Its terms: the upper pre-movement, the longest walk, the slowest mean speed, the exit width.
  double hand_premovement_s = 0.0, hand_walk_m = 0.0, hand_speed_mps = 1.34, exit_width_m = 0.0;

 private:
  Vec2 descend(const NavLayout& l, const std::vector<double>& f, Vec2 p, const Vec2* through) const;
};

}  // namespace halltwin::evac
