#pragma once
// The evacuation of one floor, prepared once from a const Hall and shared
// (read-only) by every replication and thread: the walkable area extended by
// an apron behind each open exit, the walking-distance field to the open
// exits on it (the checker's exact field, docs/evac.md "Door model"), the
// direction field derived from it, the wall index, the exits, and who starts
// where. Every unusable input throws InputError naming the entity.
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

struct EvacOptions {
  std::optional<int> population;     // --population: overrides the scenario's total
  std::vector<std::string> blocked;  // --block, added to the scenario's blocked doors
  std::string floor;                 // --floor id; "" = the storey-1 floor
  double dt_s = 0.05;
  std::optional<double> time_cap_s;  // overrides the scenario's
  double cell_m = 0.0;               // raster cell; 0 = the checker's choice
};

struct EvacExit {
  std::string id;    // door id
  Segment door;      // the door line
  Vec2 outward;      // unit normal pointing out of the floor (boundary exits)
  bool on_boundary;  // an exit to the outside: counted on the apron
  double width_m;    // clear width
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

  const geom::WalkableArea& area() const { return *area_; }
  const geom::FloorGrid& grid() const { return *grid_; }
  const geom::DistanceField& field() const { return *field_; }
  // Unit direction of steepest descent of the walking distance at p (towards the nearest open exit).
  Vec2 direction(Vec2 p) const {
    const std::size_t k = grid_->cell_of(p);
    return {dir_x_[k], dir_y_[k]};
  }
  // Finite walking distance to an open exit from p.
  bool reachable(Vec2 p) const;

  std::vector<EvacExit> exits;        // the open safety exits of the floor
  std::vector<std::string> blocked;   // blocked doors (ids), scenario then --block
  std::vector<SpawnZone> zones;       // random placement
  std::vector<EvacPerson> persons;    // placed by the scenario
  std::vector<EvacGroupSpec> groups;  // never empty
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

 private:
  std::unique_ptr<geom::WalkableArea> area_;
  std::unique_ptr<geom::FloorGrid> grid_;
  std::unique_ptr<geom::DistanceField> field_;
  std::vector<float> dir_x_, dir_y_;
};

}  // namespace halltwin::evac
