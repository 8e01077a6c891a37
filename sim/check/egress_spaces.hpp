#pragma once
// The spaces of one floor as GB 50016-2014 5.5.17 distinguishes them, and the
// straight-line distance fields measured in them.
//
// Spaces are the parts of the floor's straight-line area (walls and
// full-height obstacles removed, straight_line_geometry.hpp) that remain
// connected when every door that is not a safety exit is closed. A space
// is a corridor when at least half of it lies in corridor zones, the open
// hall when it has a safety exit of its own (item 4: any point to the
// nearest evacuation door or safety exit), otherwise an enclosed room
// (items 1 and 3: any point to the room's door, the door to the nearest
// safety exit). A door that is not a safety exit joins the spaces on its two
// sides; an evacuation door is a room's door when one side is a room, and the
// hall's own evacuation door when it leads from the hall into a corridor or off
// the modelled floor.
#include <memory>
#include <vector>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/visibility_graph.hpp"
#include "model/hall.hpp"
#include "model/straight_line_geometry.hpp"

namespace halltwin::check {

enum class SpaceKind { hall, corridor, room };

struct Space {
  SpaceKind kind = SpaceKind::room;
  double area_m2 = 0;
  double persons = 0;            // occupant load of the space (density x zone area in it)
  std::size_t representative = 0;  // a cell of the space, for locations
  std::vector<DoorId> doors;     // safety exits and evacuation doors opening from it
  int openings = 0;              // every door opening from it, whatever its role
};

// The spaces on the two sides of a door; -1 for off the modelled floor.
struct DoorSides {
  int a = -1, b = -1;
};

class EgressSpaces {
 public:
  // density(zone) gives persons per m2 of a zone of the floor; design_persons
  // > 0 spreads a stated design occupancy over the floor by area instead.
  EgressSpaces(const Hall& hall, FloorId floor, double cell_m, const std::vector<double>& zone_density_ppm2,
               double circulation_ppm2,
               double design_persons);

  const StraightLineGeometry& geometry() const { return geo_; }
  const std::vector<Space>& spaces() const { return spaces_; }
  // Space of cell k of geometry().grid, or -1 (blocked, or in a closed door).
  int space_of(std::size_t k) const { return label_[k]; }
  // Sides of a door of this floor (by DoorId value); a and b are -1 for other floors.
  const DoorSides& sides(DoorId d) const { return sides_[d.value]; }
  // The room a non-exit door serves (-1 when neither side is a room).
  int room_of_door(DoorId d) const;
  // An evacuation door of the hall itself: from a hall space into a corridor or off the floor.
  bool is_hall_evacuation_door(DoorId d) const;

  // Straight-line distance fields (built on first use):
  // to the counting safety exits;
  const geom::DistanceField& to_exits();
  // to the counting safety exits and the hall's own evacuation doors (item 4's targets);
  const geom::DistanceField& to_hall_targets();
  // to the counting safety exits and every evacuation door (a room's interior to its door).
  const geom::DistanceField& to_any_door();

 private:
  const geom::VisibilityGraph& graph();
  std::unique_ptr<geom::DistanceField> field(bool hall_doors, bool room_doors);

  const Hall& hall_;
  FloorId floor_;
  StraightLineGeometry geo_;
  std::vector<int> label_;
  std::vector<Space> spaces_;
  std::vector<DoorSides> sides_;
  std::unique_ptr<geom::VisibilityGraph> graph_;
  std::unique_ptr<geom::DistanceField> to_exits_, to_hall_, to_any_;
};

}  // namespace halltwin::check
