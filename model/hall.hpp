#pragma once
// The hall model: the immutable description of one government service hall as
// loaded from a scenario file. Engines and the checker take `const Hall&`.
// All coordinates are metres in the floor's plane; all entities of all floors
// live in flat vectors indexed by their typed ids and carry their FloorId.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/emergencies.hpp"
#include "model/evacuation.hpp"
#include "model/geometry/vec2.hpp"
#include "model/ids.hpp"
#include "model/operations.hpp"
#include "model/platform.hpp"
#include "model/vocabulary.hpp"

namespace halltwin {

// Where an entity was defined in its scenario file (1-based), for messages.
struct SourceLoc {
  int line = 0;
  int column = 0;
};

// A fire compartment (防火分区) of a floor (format 9, GB 50016-2014 5.3.1):
// the compartments of a floor do not overlap and together cover its area
// (walls may lie between them). A floor that lists none is one compartment.
struct Compartment {
  std::string id;
  Polygon polygon;  // counter-clockwise, inside the floor's boundary
  // Protected by automatic sprinklers; nullopt: as the hall (hall.sprinklered).
  std::optional<bool> sprinklered;
  SourceLoc loc;
};

struct Floor {
  std::string id;         // scenario id, e.g. "F1"
  std::string name;       // display name, may be Chinese
  int storey = 1;         // 1 = ground floor, 2 = the one above, -1 = first basement
  double height_m = 4.5;  // floor-to-ceiling, for the 3D view
  Polygon boundary;       // outer outline, counter-clockwise
  // Design minimum horizontal illuminance on the floor of the emergency
  // (egress) lighting, lux, for the zones of this floor that state none
  // (format 7; GB 50016 10.3.2). nullopt: the design does not say.
  std::optional<double> emergency_illuminance_lx;
  // The floor's fire compartments (format 9); empty: the floor is one compartment.
  std::vector<Compartment> compartments;
  SourceLoc loc;
};

struct Obstacle {
  std::string id;
  ObstacleKind kind = ObstacleKind::other;
  FloorId floor;
  Polygon polygon;        // counter-clockwise
  double height_m = 1.1;  // counters ~1.1 m, walls reach the ceiling
  // Reaches the ceiling (a full-height partition): the straight-line distance
  // of GB 50016 5.5.17 bends around it, not around counters or furniture
  // (format 7 `full_height`; walls and columns always, otherwise an obstacle
  // as tall as its floor).
  bool full_height = false;
  // An access gate (闸机, format 7) on a way out, and whether it opens by itself in a fire
  // (GB 50016 6.4.11: doors controlled in daily use open without a key in a fire).
  bool access_gate = false;
  bool releases_in_fire = false;
  SourceLoc loc;
};

struct Door {
  std::string id;
  DoorKind kind = DoorKind::internal;
  ExitTo exit_to = ExitTo::outside;  // meaningful for safety exits only
  FloorId floor;
  Segment opening;             // the door's opening, in a wall or on the boundary
  double clear_width_m = 0.0;  // net clear width (<= opening length)
  bool accessible = true;      // no threshold > 15 mm, may be on an accessible route
  // Format 7 (GB 50016 5.5.18-5.5.19, 6.4.11). Older files: safety exits keep
  // their role, internal doors are evacuation doors of their room, entrances
  // that are not exits play no part; every door side-hung, opening outwards,
  // without threshold.
  DoorRole role = DoorRole::none;
  DoorType type = DoorType::side_hung;
  bool fire_mode_swing = false;    // a sliding/revolving/... door that swings open in fire mode
  DoorSwing swing = DoorSwing::out;  // relative to the direction of escape
  bool threshold = false;          // a threshold, or a step within 1.40 m of the door
  // Format 8: a power-operated door (GB 55019-2021: an accessible one at least 1.00 m clear).
  bool automatic = false;
  SourceLoc loc;

  // A safety exit that counts as one: side-hung, or another type with a fire-mode swing.
  bool counts_as_exit() const {
    return is_safety_exit() && (type == DoorType::side_hung || fire_mode_swing);
  }
  bool is_evacuation_door() const { return role == DoorRole::evacuation_door; }

  bool is_safety_exit() const { return kind == DoorKind::exit || kind == DoorKind::entrance_exit; }
  bool is_entrance() const { return kind == DoorKind::entrance || kind == DoorKind::entrance_exit; }
};

struct Zone {
  std::string id;
  std::string name;  // display label, e.g. "等候区"
  ZoneType type = ZoneType::other;
  FloorId floor;
  Polygon polygon;  // counter-clockwise
  // Design minimum emergency illuminance on the floor of this zone, lux
  // (format 7); nullopt: the floor's value, if any, applies.
  std::optional<double> emergency_illuminance_lx;
  SourceLoc loc;
};

struct Matter {
  std::string id;
  std::string name;        // e.g. "企业开办"
  std::string department;  // e.g. "市场监管局"
  SourceLoc loc;
};

struct Window {
  std::string id;
  std::string label;  // number shown above the counter, e.g. "A03"
  WindowKind kind = WindowKind::comprehensive;
  FloorId floor;
  Vec2 position;          // where the citizen stands or sits to be served (walkable)
  Vec2 facing{0.0, 1.0};  // unit vector from the counter towards the citizen
  std::vector<MatterId> matters;
  std::string row;  // the window_rows entry that generated it ("" for a single window)
  // Low (accessible) counters, format 7: the counter top's height above the
  // floor and the free space under it for a wheelchair user's knees and toes,
  // metres (GB 50763-2012 3.12 dimensions). nullopt: not stated.
  std::optional<double> counter_top_height_m;
  struct KneeClearance {
    double width_m = 0, height_m = 0, depth_m = 0;
  };
  std::optional<KneeClearance> knee_clearance;
  SourceLoc loc;
};

struct Seat {
  std::string id;
  FloorId floor;
  Vec2 position;
  SourceLoc loc;
};

// Ticket machines, self-service kiosks, the guide desk, information screens.
struct Device {
  std::string id;
  DeviceKind kind = DeviceKind::ticket_machine;
  FloorId floor;
  Vec2 position;  // where the user stands
  SourceLoc loc;
};

struct Facility {
  std::string id;
  FacilityType type = FacilityType::extinguisher;
  FloorId floor;
  Vec2 position;
  // Extinguishers only: agent (e.g. "ABC dry powder") and class-A rating
  // (the number in "2A"; 0 when not rated for class A), wheeled or handheld.
  std::string agent;
  double rating_a = 0.0;
  bool wheeled = false;
  // Exit signs only (format 10): size class and mounting, which set the spacing
  // along routes (rule kind sign_route_spacing). Older files: medium and
  // ceiling, the 20 m spacing every sign was held to before.
  SignSize sign_size = SignSize::medium;
  SignMounting mounting = SignMounting::ceiling;
  SourceLoc loc;
};

// A stair linking a door on one floor to a door on another.
struct Stair {
  std::string id;
  FloorId from_floor;
  DoorId from_door;
  FloorId to_floor;
  DoorId to_door;
  double width_m = 1.2;
  bool is_protected = true;  // 封闭/防烟楼梯间: its door counts as a safety exit
  // Walking length along the flights and landings, metres. The loader fills
  // it when the file omits it: sqrt(5) x the rise between the two floors
  // (treads twice the risers: 0.15 m risers on 0.30 m treads).
  double length_m = 0.0;
  // Design minimum emergency illuminance on the stair's treads and landings, lux (format 7).
  std::optional<double> emergency_illuminance_lx;
  SourceLoc loc;
};

struct OccupantLoad {
  OccupantLoadBasis basis = OccupantLoadBasis::density;
  double design_persons = 0.0;                  // basis == design: total persons
  std::vector<double> design_persons_by_floor;  // basis == design: persons per floor (by FloorId)
  std::map<ZoneType, double> density_ppm2;      // overrides of the rulebook's densities
};

struct Hall {
  std::string source_file;  // path the scenario was loaded from
  std::string format;       // "halltwin-scenario/1" to "/4"

  // Identity
  std::string name;
  AdminLevel level = AdminLevel::county;
  std::int64_t population_served = 0;  // persons
  int fire_resistance_grade = 2;       // 1..4 (耐火等级 I-IV)
  FireHazard fire_hazard = FireHazard::medium;
  // Why the hazard class is what it is (GB 50140-2005 3.2 and annex C, e.g.
  // "office hall with central air-conditioning and computers"); format 7, "" when not stated.
  std::string fire_hazard_basis;
  bool sprinklered = false;             // fully sprinklered (自动喷水灭火系统)
  bool indoor_hydrants = false;         // 室内消火栓
  std::optional<double> fresh_air_m3h;  // design fresh-air supply, m3/h
  // The occupancy the ventilation is designed for (format 7): persons in the
  // public zones and staff at the design peak. Not the egress occupant load,
  // which counts the most persons the floor could hold.
  struct DesignOccupancy {
    double public_persons = 0.0;
    double staff_persons = 0.0;
  };
  std::optional<DesignOccupancy> design_occupancy;
  OccupantLoad occupant_load;
  std::string start_date;  // YYYY-MM-DD, first simulated day (later engines)

  std::vector<Floor> floors;
  std::vector<Obstacle> obstacles;
  std::vector<Door> doors;
  std::vector<Zone> zones;
  std::vector<Matter> matters;
  std::vector<Window> windows;
  std::vector<Seat> seats;
  std::vector<Device> devices;
  std::vector<Facility> facilities;
  std::vector<Stair> stairs;

  // Services, demand, roster, targets, walking (format 2); `present` is
  // false for a hall described only as a building.
  Operations operations;

  // Who is in the hall at the alarm, their speeds and pre-movement (format 3;
  // `present` is false when the file has no such section: defaults apply).
  Evacuation evacuation;

  // The IT platform and each matter's transactions (format 6; `present` is
  // false when the file has no such section: services need no platform).
  Platform platform;
  // The emergency plans `halltwin drill` simulates (format 6; `present` is
  // false when the file has no such section).
  Emergencies emergencies;

  // Sections reserved for later capabilities and present in the file
  // (e.g. "demand"); see docs/scenario-format.md.
  std::vector<std::string> reserved_sections;

  const Floor& floor(FloorId id) const { return floors.at(id.value); }
};

}  // namespace halltwin
