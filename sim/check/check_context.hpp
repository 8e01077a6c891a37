#pragma once
// What the rules of one check share: the hall, its geometry, the occupant
// load, and walking-distance fields computed on first use (exits,
// extinguishers, exit signs), so that no field is computed twice.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/hall.hpp"
#include "model/hall_geometry.hpp"
#include "model/rulebook.hpp"
#include "sim/check/egress_spaces.hpp"
#include "sim/check/wide_passages.hpp"

namespace halltwin::check {

struct OccupantLoadResult {
  std::vector<double> by_floor;  // persons, by FloorId
  double total = 0.0;            // persons
  std::string basis;             // how it was computed, for messages
  // Why a floor's load cannot be right, by FloorId ("" when it can be). A
  // floor with windows or seats serves people: no persons there (no zones, a
  // design load of 0), or only its seats where citizens also stand at
  // windows, means the scenario leaves out who is there, and every rule that
  // scales with the load (exit widths, the single-exit exception, fresh air)
  // would pass on nothing (issue 17).
  std::vector<std::string> doubt;
  // Persons per fire compartment (format 9), by FloorId then the floor's
  // compartment index; a floor without compartments has one entry, its load.
  std::vector<std::vector<double>> by_compartment;
  // The floors' doubts in one sentence ("" when none).
  std::string doubts() const;
};

// A floor's fire compartments as the rules see them: the listed ones, or the
// whole floor (id "" and the floor's outline) when it lists none.
struct CompartmentRegion {
  std::string id;  // "" for a floor that is one compartment
  Polygon polygon;
  bool sprinklered = false;
};
std::vector<CompartmentRegion> compartments_of(const Hall& hall, FloorId floor);
// Whether a door opens from the compartment: its opening's middle inside the
// compartment or within the door cut's depth (0.6 m) of it, a door in the wall
// on the compartment's edge. An exit on the edge two compartments share serves both.
bool door_in_compartment(const Door& d, const Polygon& compartment);

OccupantLoadResult occupant_load(const Hall& hall, const Rulebook& book);
// Persons per m2 of a zone: the scenario's override of its type, else the rulebook's
// for its type on its floor's storey (the checker's load and the evacuation's spread agree).
double zone_density_ppm2(const Hall& hall, const Rulebook& book, const Zone& zone);

class CheckContext {
 public:
  CheckContext(const Hall& hall, const Rulebook& book, double cell_m);

  const Hall& hall;
  const Rulebook& book;
  const HallGeometry geometry;
  const OccupantLoadResult load;

  double density_ppm2(const Zone& zone) const { return zone_density_ppm2(hall, book, zone); }
  // The floor's spaces (hall, corridors, rooms) and straight-line fields (built on first use).
  EgressSpaces& spaces(FloorId f);

  // Walking distance to the nearest safety exit of the floor (exits that count: side-hung
  // or with a fire-mode swing).
  const geom::DistanceField& exit_field(FloorId f);
  // Walking distance to the nearest facility of `type` on the floor (handheld
  // extinguishers only when type is extinguisher). nullptr when there is none.
  const geom::DistanceField* facility_field(FloorId f, FacilityType type);

  // The centres of every disc of the diameter that fits in the floor's walkable
  // area clear of every wall, obstacle and the outline (exact erosion, no door
  // openings added; wide_passages.hpp): the turning circles of the accessible
  // doors and of the low counters share one erosion per floor (built on first use).
  const WidePassages& turning_discs(FloorId f, double diameter_m);

  // Walkable cells that can reach a safety exit (finite exit distance).
  bool reaches_exit(FloorId f, std::size_t cell);

  // The nearest point of the walkable area to p (p itself when inside): facilities
  // hang on walls, and a field's target must be reachable.
  Vec2 snap_to_walkable(FloorId f, Vec2 p) const;

 private:
  // One visibility graph per floor, shared by all its fields (built on first use).
  const geom::VisibilityGraph& graph(FloorId f);

  std::map<std::uint32_t, std::unique_ptr<geom::VisibilityGraph>> graphs_;
  std::map<std::uint32_t, std::unique_ptr<EgressSpaces>> spaces_;
  std::map<std::uint32_t, std::unique_ptr<geom::DistanceField>> exit_fields_;
  std::map<std::pair<std::uint32_t, double>, std::unique_ptr<WidePassages>> turning_discs_;
  std::map<std::pair<std::uint32_t, int>, std::unique_ptr<geom::DistanceField>> facility_fields_;
};

// Floors by id, for iterating.
inline std::vector<FloorId> floor_ids(const Hall& hall) {
  std::vector<FloorId> out;
  for (std::uint32_t i = 0; i < hall.floors.size(); ++i) out.push_back(FloorId{i});
  return out;
}

}  // namespace halltwin::check
