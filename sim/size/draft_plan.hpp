#pragma once
// The draft floor plan of a new hall (`halltwin size --program ... --draft`,
// docs/size.md): one rectangular storey, entrance side south, laid out in
// three bands from south to north:
//   public band   (depth public_depth_m): zone columns side by side - fixed
//                 zones stacked in 4 m columns, the guidance column with the
//                 main entrance, the waiting zone with its seat rows;
//   window band   (window_depth_m + 0.8 m counter): one counter line with the
//                 window rows (accessible low counter first, at the west end);
//   back office   (back_office_depth_m) behind the counter.
// Exits: the main entrance at the guidance column, further exits on the
// south and north walls at most 16 m apart, and one on each end wall, so that
// every point stays well under 30 m from an exit; exit signs at every exit
// and direction signs, emergency lights and extinguisher pairs on regular
// grids (spacings well inside the rules, docs/size.md). Pure geometry: the
// scenario text is written by tools/halltwin/size_draft.*.
#include <string>
#include <vector>

#include "model/geometry/vec2.hpp"
#include "model/rulebook.hpp"
#include "model/size_program.hpp"
#include "sim/size/space_program.hpp"

namespace halltwin::size {

struct Rect {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double area() const { return (x1 - x0) * (y1 - y0); }
  Vec2 centre() const { return {(x0 + x1) / 2.0, (y0 + y1) / 2.0}; }
};

struct DraftZone {
  std::string id;
  ZoneType type = ZoneType::other;
  std::string name;
  Rect r;
};
struct DraftDoor {
  std::string id;
  DoorKind kind = DoorKind::exit;
  Vec2 from, to;
  double clear_width_m = 0.0;
};
struct DraftObstacle {
  std::string id;
  ObstacleKind kind = ObstacleKind::counter;
  Rect r;
  double height_m = 1.1;
};
struct DraftWindowRow {
  std::string id;  // = PoolSpec::id
  WindowKind kind = WindowKind::comprehensive;
  Vec2 from, to;
  int count = 1;
  std::vector<std::size_t> matters;  // indices into SizeProgram::matters
};
struct DraftSeatRow {
  std::string id;
  Vec2 from, to;
  int count = 1;
};
struct DraftPoint {
  std::string id;
  std::string type;  // a facility type or a device kind, as spelled in the scenario format
  Vec2 at;
  std::string rating;  // extinguishers
};

struct DraftInputs {
  std::vector<PoolSpec> pools;
  std::vector<int> windows;   // per pool
  int seats = 0;              // waiting seats
  int standing = 0;           // waiting persons planned to stand (waiting zone area)
  std::vector<ZoneNeed> zones;  // fixed zones
};

struct DraftPlan {
  double width_m = 0.0, depth_m = 0.0;
  bool sprinklered = false;  // the program's, or forced by a floor above the 2,500 m2 compartment
  std::vector<DraftZone> zones;
  std::vector<DraftDoor> doors;
  std::vector<DraftObstacle> obstacles;
  std::vector<DraftWindowRow> rows;
  std::vector<DraftSeatRow> seat_rows;
  std::vector<DraftPoint> devices, facilities;
  int seats = 0;
  // Derived figures (each with its origin): areas, occupant load, exits,
  // distances, extinguishers.
  std::vector<Figure> figures;
  double occupant_load = 0.0;         // persons (the larger of density and seats × seat factor)
  double exit_width_required_m = 0.0;  // GB 50016 table 5.5.21-1
  double exit_width_provided_m = 0.0;
  int exits = 0;
  double max_exit_distance_m = 0.0;  // straight line, over a 0.5 m grid of the floor
};

// Lays out the draft; throws std::invalid_argument for inputs no plan can hold
// (no windows).
DraftPlan make_draft(const SizeProgram& program, const DraftInputs& in, const Rulebook& book);

}  // namespace halltwin::size
