#include "model/scenario_loader.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>

#include "model/emergencies_loader.hpp"
#include "model/evacuation_loader.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/segment_on_outline.hpp"
#include "model/operations_loader.hpp"
#include "model/platform_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "model/yaml_input.hpp"

namespace halltwin {

namespace {

// Tolerance for "on the boundary" and "on the wall" tests, metres.
constexpr double kOnLineTolerance_m = 0.05;
// Facilities may hang on a wall: allowed distance outside the boundary, metres.
constexpr double kFacilityTolerance_m = 0.05;
// Fire compartments must cover their floor but for walls: slivers of less than this in
// total (drawing tolerance) are not reported, m2.
constexpr double kCompartmentGap_m2 = 0.1;

// Reserved for later capabilities in every version.
constexpr const char* kReservedSections[] = {"emergencies", "platform"};
// Reserved (empty or absent) before kEvacuationFormatVersion, read from it on.
constexpr const char* kEvacuationSection = "evacuation";
// Reserved (empty or absent) before kPlatformFormatVersion, read from it on.
constexpr const char* kPlatformSection = "platform";
// Read from version 2 on; reserved (empty or absent) in version 1.
constexpr const char* kVersion2Sections[] = {"services", "demand", "roster", "targets", "walking"};

class ScenarioReader {
 public:
  explicit ScenarioReader(const std::string& path) : in_(path) { hall_.source_file = path; }

  Hall read() {
    const YAML::Node root = in_.load_file();
    if (!in_.expect_map(root, "(top level)")) in_.finish();
    in_.check_keys(root,
                   {"format", "hall", "floors", "stairs", "matters", "services", "demand", "roster",
                    "targets", "walking", "emergencies", "evacuation", "platform"},
                   "(top level)");
    read_format(root);
    read_hall(root);
    read_matters(root["matters"]);
    const YAML::Node floors = root["floors"];
    if (!floors) {
      in_.problem(root, "floors", "missing; expected a list of at least one floor");
    } else if (in_.expect_sequence(floors, "floors")) {
      if (floors.size() == 0) in_.problem(floors, "floors", "expected at least one floor");
      for (std::size_t i = 0; i < floors.size(); ++i) read_floor(floors[i], i);
    }
    read_stairs(root["stairs"]);
    require_stairs_behind_stair_exits();
    read_reserved(root);
    if (version_ >= 2) read_operations(in_, root, hall_, version_);
    if (version_ >= kEvacuationFormatVersion && root[kEvacuationSection])
      read_evacuation(in_, root[kEvacuationSection], hall_, version_);
    if (version_ >= kPlatformFormatVersion && root[kPlatformSection])
      read_platform(in_, root[kPlatformSection], hall_);  // after the operations: opening hours
    // Emergency plans refer to windows, doors, zones and the evacuation section: read last.
    if (version_ >= kEmergenciesFormatVersion && root["emergencies"])
      read_emergencies(in_, root["emergencies"], hall_, version_);
    resolve_design_persons();
    in_.finish();
    return std::move(hall_);
  }

 private:
  // ------------------------------------------------------------ helpers
  // Registers a scenario id; ids are unique across the whole file.
  bool register_id(const YAML::Node& map, const std::string& field, std::string* out) {
    auto id = in_.string(map, "id", field, true);
    if (!id) return false;
    const bool id_ok = std::all_of(id->begin(), id->end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
             c == '.' || c == '-';
    });
    if (!id_ok) {
      in_.problem(
          map["id"], field + ".id",
          fmt::format("'{}' is not a valid id; expected letters, digits, '_', '-' or '.'", shorten(*id)));
      return false;
    }
    auto [it, inserted] = ids_.emplace(*id, YamlInput::loc(map["id"]));
    if (!inserted) {
      in_.problem(map, "id", field + ".id",
                  fmt::format("duplicate id '{}' (first defined at line {})", shorten(*id), it->second.line));
      return false;
    }
    *out = *id;
    return true;
  }

  std::string item_field(const std::string& list_field, const YAML::Node& item, std::size_t i) {
    if (item.IsMap() && item["id"] && item["id"].IsScalar())
      return fmt::format("{}[{}]", list_field, shorten(item["id"].Scalar()));
    return fmt::format("{}[{}]", list_field, i);
  }

  template <class F>
  void for_each_item(const YAML::Node& parent, const char* key, const std::string& field, F&& f) {
    const YAML::Node list = parent[key];
    if (!list) return;
    const std::string lf = field + "." + key;
    if (!in_.expect_sequence(list, lf)) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node item = list[i];
      const std::string f_item = item_field(lf, item, i);
      if (!in_.expect_map(item, f_item)) continue;
      f(item, f_item);
    }
  }

  bool inside_boundary(const Polygon& boundary, Vec2 p, double tol) const {
    return geom::contains(boundary, p) || geom::distance_to_boundary(boundary, p) <= tol;
  }

  // A field of the checker's rules, part 2 (format 7): refused with "needs
  // format" in older files, so that an older file keeps its meaning.
  bool needs_checker_format(const YAML::Node& map, const char* key, const std::string& field) {
    if (!map[key] || version_ >= kCheckerRulesFormatVersion) return false;
    in_.problem(map[key], field + "." + key,
                fmt::format("needs format: halltwin-scenario/{} (this file says {}); remove it or raise the "
                            "format",
                            kCheckerRulesFormatVersion, hall_.format));
    return true;
  }
  std::optional<double> checker_number(const YAML::Node& map, const char* key, const std::string& field,
                                       double min, double max) {
    if (needs_checker_format(map, key, field)) return std::nullopt;
    return in_.number(map, key, field, false, min, max);
  }
  std::optional<bool> checker_boolean(const YAML::Node& map, const char* key, const std::string& field) {
    if (needs_checker_format(map, key, field)) return std::nullopt;
    return in_.boolean(map, key, field, false);
  }
  std::optional<std::string> checker_string(const YAML::Node& map, const char* key, const std::string& field) {
    if (needs_checker_format(map, key, field)) return std::nullopt;
    return in_.string(map, key, field, false);
  }

  // ------------------------------------------------------------ sections
  void read_format(const YAML::Node& root) {
    auto f = in_.string(root, "format", "format", true);
    if (!f) return;
    hall_.format = *f;
    for (const char* supported : kSupportedScenarioFormats) {
      if (*f == supported) {
        version_ = scenario_format_version(supported);
        return;
      }
    }
    std::string list;
    for (const char* supported : kSupportedScenarioFormats)
      list += fmt::format("{}'{}'", list.empty() ? "" : " or ", supported);
    in_.problem(root, "format", "format",
                fmt::format("'{}' is not a supported format; expected {}", shorten(*f), list));
  }

  void read_hall(const YAML::Node& root) {
    const YAML::Node h = root["hall"];
    if (!h) {
      in_.problem(root, "hall", "missing; expected the hall's identity (name, level, ...)");
      return;
    }
    if (!in_.expect_map(h, "hall")) return;
    in_.check_keys(h,
                   {"name", "level", "population_served", "fire_resistance_grade", "fire_hazard",
                    "sprinklered", "indoor_hydrants", "fresh_air_m3h", "occupant_load", "start_date",
                    "fire_hazard_basis", "design_occupancy"},
                   "hall");
    if (auto v = in_.string(h, "name", "hall", true)) hall_.name = *v;
    if (auto v = in_.enumeration<AdminLevel>(h, "level", "hall", true)) hall_.level = *v;
    if (auto v = in_.integer(h, "population_served", "hall", true, 0, 200'000'000))
      hall_.population_served = *v;
    if (auto v = in_.integer(h, "fire_resistance_grade", "hall", true, 1, 4))
      hall_.fire_resistance_grade = static_cast<int>(*v);
    if (auto v = in_.enumeration<FireHazard>(h, "fire_hazard", "hall", true)) hall_.fire_hazard = *v;
    if (auto v = checker_string(h, "fire_hazard_basis", "hall")) hall_.fire_hazard_basis = *v;
    if (const YAML::Node d = h["design_occupancy"]; d && !needs_checker_format(h, "design_occupancy", "hall") &&
                                                     in_.expect_map(d, "hall.design_occupancy")) {
      in_.check_keys(d, {"public", "staff"}, "hall.design_occupancy");
      Hall::DesignOccupancy o;
      if (auto v = in_.number(d, "public", "hall.design_occupancy", true, 0.0, 1e6)) o.public_persons = *v;
      if (auto v = in_.number(d, "staff", "hall.design_occupancy", true, 0.0, 1e6)) o.staff_persons = *v;
      hall_.design_occupancy = o;
    }
    if (auto v = in_.boolean(h, "sprinklered", "hall", true)) hall_.sprinklered = *v;
    if (auto v = in_.boolean(h, "indoor_hydrants", "hall", false)) hall_.indoor_hydrants = *v;
    if (auto v = in_.number(h, "fresh_air_m3h", "hall", false, 0.0, 1e9)) hall_.fresh_air_m3h = *v;
    if (auto v = in_.string(h, "start_date", "hall", false)) {
      if (!is_valid_date(*v))
        in_.problem(h, "start_date", "hall.start_date",
                    fmt::format("'{}' is not a date; expected YYYY-MM-DD", shorten(*v)));
      else
        hall_.start_date = *v;
    }
    read_occupant_load(h);
  }

  void read_occupant_load(const YAML::Node& h) {
    const YAML::Node o = h["occupant_load"];
    if (!o) return;
    const std::string f = "hall.occupant_load";
    if (!in_.expect_map(o, f)) return;
    in_.check_keys(o, {"basis", "persons", "density_ppm2"}, f);
    auto basis = in_.enumeration<OccupantLoadBasis>(o, "basis", f, true);
    if (basis) hall_.occupant_load.basis = *basis;
    if (basis == OccupantLoadBasis::design) {
      const YAML::Node p = o["persons"];
      if (!p) {
        in_.problem(o, f + ".persons",
                    "missing; basis 'design' needs the design occupancy in persons (a number or {floor_id: "
                    "persons})");
      } else if (p.IsMap()) {
        design_persons_node_ = p;  // resolved once floors are known
      } else if (auto v = in_.number_value(p, f + ".persons", 0.0, 1e7)) {
        design_persons_total_ = *v;
      }
    } else if (o["persons"]) {
      in_.problem(o, "persons", f + ".persons", "only allowed with basis: design");
    }
    if (const YAML::Node d = o["density_ppm2"]) {
      if (in_.expect_map(d, f + ".density_ppm2")) {
        for (const auto& kv : d) {
          const std::string kf = f + ".density_ppm2." + shorten(kv.first.Scalar());
          auto type = in_.enum_value<ZoneType>(kv.first, kf);
          auto val = in_.number_value(kv.second, kf, 0.0, 10.0);
          if (type && val) hall_.occupant_load.density_ppm2[*type] = *val;
        }
      }
    }
  }

  void resolve_design_persons() {
    if (hall_.occupant_load.basis != OccupantLoadBasis::design) return;
    // Stored per floor: index = floor index. A scalar is spread by the floors' boundary areas.
    auto& per_floor = hall_.occupant_load.design_persons_by_floor;
    per_floor.assign(hall_.floors.size(), 0.0);
    if (design_persons_total_) {
      double total_area = 0;
      for (const auto& fl : hall_.floors) total_area += geom::area(fl.boundary);
      for (std::size_t i = 0; i < hall_.floors.size(); ++i)
        per_floor[i] =
            total_area > 0 ? *design_persons_total_ * geom::area(hall_.floors[i].boundary) / total_area : 0;
      hall_.occupant_load.design_persons = *design_persons_total_;
    } else if (design_persons_node_.IsMap()) {
      double total = 0;
      for (const auto& kv : design_persons_node_) {
        const std::string id = kv.first.Scalar();
        const std::string kf = "hall.occupant_load.persons." + shorten(id);
        auto it = floor_index_.find(id);
        if (it == floor_index_.end()) {
          in_.problem(kv.first, kf, fmt::format("'{}' is not a floor id", shorten(id)));
          continue;
        }
        if (auto v = in_.number_value(kv.second, kf, 0.0, 1e7)) {
          per_floor[it->second] = *v;
          total += *v;
        }
      }
      hall_.occupant_load.design_persons = total;
    }
  }

  void read_matters(const YAML::Node& list) {
    if (!list) return;
    if (!in_.expect_sequence(list, "matters")) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node m = list[i];
      const std::string f = item_field("matters", m, i);
      if (!in_.expect_map(m, f)) continue;
      in_.check_keys(m, {"id", "name", "department"}, f);
      Matter matter;
      matter.loc = YamlInput::loc(m);
      if (!register_id(m, f, &matter.id)) continue;
      matter.name = in_.string(m, "name", f, true).value_or("");
      matter.department = in_.string(m, "department", f, false).value_or("");
      matter_index_[matter.id] = MatterId{static_cast<std::uint32_t>(hall_.matters.size())};
      hall_.matters.push_back(std::move(matter));
    }
  }

  void read_floor(const YAML::Node& fn, std::size_t index) {
    const std::string f = item_field("floors", fn, index);
    if (!in_.expect_map(fn, f)) return;
    in_.check_keys(fn,
                   {"id", "name", "storey", "height_m", "boundary", "walls", "obstacles", "doors", "zones",
                    "windows", "window_rows", "seats", "seat_rows", "devices", "facilities",
                    "emergency_illuminance_lx", "compartments"},
                   f);
    Floor fl;
    fl.loc = YamlInput::loc(fn);
    if (!register_id(fn, f, &fl.id)) return;
    fl.name = in_.string(fn, "name", f, false).value_or(fl.id);
    const auto storey = in_.integer(fn, "storey", f, true, -10, 200);
    if (const auto& s = storey) {
      if (*s == 0)
        in_.problem(fn, "storey", f + ".storey",
                    "0 is not a storey; expected 1 for the ground floor, -1 for the first basement");
      fl.storey = static_cast<int>(*s);
    }
    if (auto v = in_.number(fn, "height_m", f, false, 1.8, 50.0)) fl.height_m = *v;
    fl.emergency_illuminance_lx = checker_number(fn, "emergency_illuminance_lx", f, 0.0, 1e4);
    auto boundary = in_.polygon_field(fn, "boundary", f, "the floor's outline as a polygon");
    if (!boundary) return;  // nothing on this floor can be placed without it
    fl.boundary = *boundary;
    const FloorId fid{static_cast<std::uint32_t>(hall_.floors.size())};
    for (const auto& other : hall_.floors)
      if (storey && other.storey == fl.storey)  // a missing storey is reported as such, not as a clash
        in_.problem(fn, "storey", f + ".storey",
                    fmt::format("storey {} is already used by floor '{}'", fl.storey, other.id));
    floor_index_[fl.id] = fid.value;
    hall_.floors.push_back(fl);

    read_obstacles(fn, f, fid);
    read_compartments(fn, f, fid);
    read_doors(fn, f, fid);
    read_zones(fn, f, fid);
    read_windows(fn, f, fid);
    read_seats(fn, f, fid);
    read_points_of<Device>(fn, "devices", f, fid);
    read_facilities(fn, f, fid);
  }

  const Polygon& boundary_of(FloorId fid) const { return hall_.floors[fid.value].boundary; }

  void require_inside_polygon(const YAML::Node& at, const std::string& field, const Polygon& poly,
                              FloorId fid, const char* what) {
    for (Vec2 v : poly) {
      if (!inside_boundary(boundary_of(fid), v, kOnLineTolerance_m)) {
        in_.problem(at, field,
                    fmt::format("{} vertex ({:.2f}, {:.2f}) lies outside the boundary of floor '{}'", what,
                                v.x, v.y, hall_.floors[fid.value].id));
        return;
      }
    }
  }

  void require_inside_point(const YAML::Node& at, const std::string& field, Vec2 p, FloorId fid, double tol) {
    if (!inside_boundary(boundary_of(fid), p, tol))
      in_.problem(at, field,
                  fmt::format("position ({:.2f}, {:.2f}) lies outside the boundary of floor '{}'", p.x, p.y,
                              hall_.floors[fid.value].id));
  }

  void read_obstacles(const YAML::Node& fn, const std::string& f, FloorId fid) {
    auto one = [&](const YAML::Node& o, const std::string& fo, bool wall) {
      if (wall)
        in_.check_keys(o, {"id", "polygon", "height_m"}, fo);
      else
        in_.check_keys(o, {"id", "kind", "polygon", "height_m", "full_height", "access_gate", "releases_in_fire"},
                       fo);
      Obstacle ob;
      ob.loc = YamlInput::loc(o);
      ob.floor = fid;
      if (!register_id(o, fo, &ob.id)) return;
      if (wall) {
        ob.kind = ObstacleKind::wall;
        ob.height_m = hall_.floors[fid.value].height_m;
      } else if (auto k = in_.enumeration<ObstacleKind>(o, "kind", fo, true)) {
        ob.kind = *k;
        if (ob.kind == ObstacleKind::wall)
          in_.problem(o, "kind", fo + ".kind",
                      "walls are listed under the floor's 'walls', not as obstacles");
      }
      if (auto h = in_.number(o, "height_m", fo, false, 0.05, 50.0)) ob.height_m = *h;
      // Walls and columns reach the ceiling; any obstacle as tall as its floor does.
      ob.full_height = wall || ob.kind == ObstacleKind::column ||
                       ob.height_m >= hall_.floors[fid.value].height_m - 1e-9;
      if (checker_field(o, "full_height", fo))
        if (auto fh = in_.boolean(o, "full_height", fo, false)) {
          if (!*fh && ob.kind == ObstacleKind::column)
            in_.problem(o, "full_height", fo + ".full_height", "a column always reaches the ceiling");
          else
            ob.full_height = *fh;
        }
      if (checker_field(o, "access_gate", fo))
        if (auto g = in_.boolean(o, "access_gate", fo, false)) ob.access_gate = *g;
      if (checker_field(o, "releases_in_fire", fo))
        if (auto r = in_.boolean(o, "releases_in_fire", fo, false)) {
          if (!ob.access_gate)
            in_.problem(o, "releases_in_fire", fo + ".releases_in_fire", "only an access gate (access_gate: true) releases");
          else
            ob.releases_in_fire = *r;
        }
      auto poly = in_.polygon_field(o, "polygon", fo, "a polygon");
      if (!poly) return;
      ob.polygon = *poly;
      require_inside_polygon(o["polygon"], fo + ".polygon", ob.polygon, fid, wall ? "wall" : "obstacle");
      hall_.obstacles.push_back(std::move(ob));
    };
    for_each_item(fn, "walls", f, [&](const YAML::Node& o, const std::string& fo) { one(o, fo, true); });
    for_each_item(fn, "obstacles", f, [&](const YAML::Node& o, const std::string& fo) { one(o, fo, false); });
  }

  // A point lies "on a wall" when inside or within tolerance of a wall polygon of the floor.
  bool on_wall(Vec2 p, FloorId fid) const {
    for (const auto& ob : hall_.obstacles)
      if (ob.floor == fid && ob.kind == ObstacleKind::wall &&
          (geom::contains(ob.polygon, p) || geom::distance_to_boundary(ob.polygon, p) <= kOnLineTolerance_m))
        return true;
    return false;
  }

  void read_doors(const YAML::Node& fn, const std::string& f, FloorId fid) {
    for_each_item(fn, "doors", f, [&](const YAML::Node& d, const std::string& fd) {
      in_.check_keys(d,
                     {"id", "kind", "from", "to", "clear_width_m", "exit_to", "accessible", "role", "type",
                      "fire_mode_swing", "swing", "threshold", "automatic"},
                     fd);
      Door door;
      door.loc = YamlInput::loc(d);
      door.floor = fid;
      if (!register_id(d, fd, &door.id)) return;
      if (auto k = in_.enumeration<DoorKind>(d, "kind", fd, true)) door.kind = *k;
      if (auto e = in_.enumeration<ExitTo>(d, "exit_to", fd, false)) {
        door.exit_to = *e;
        if (!door.is_safety_exit())
          in_.problem(d, "exit_to", fd + ".exit_to",
                      "only a safety exit (kind exit or entrance_exit) leads somewhere");
      }
      const DoorRef ref{fd, YamlInput::loc(d["exit_to"] ? d["exit_to"] : d)};
      if (auto a = in_.boolean(d, "accessible", fd, false)) door.accessible = *a;
      read_door_egress(d, fd, door);
      const auto a = in_.point_field(d, "from", fd, "the opening's first end point [x, y]");
      const auto b = in_.point_field(d, "to", fd, "the opening's second end point [x, y]");
      if (!a || !b) return;
      door.opening = {*a, *b};
      const double len = door.opening.length();
      if (len < 0.3) {
        in_.problem(
            d, fd,
            fmt::format(
                "opening is {:.2f} m long; a door needs at least 0.30 m (from and to are its end points)",
                len));
        return;
      }
      door.clear_width_m = len;
      if (auto w = in_.number(d, "clear_width_m", fd, false, 0.0, 1e3)) {
        if (*w <= 0.0)
          in_.problem(d, "clear_width_m", fd + ".clear_width_m", "must be greater than 0 m");
        else if (*w > len + 1e-9)
          in_.problem(d, "clear_width_m", fd + ".clear_width_m",
                      fmt::format("{:.2f} m is wider than the opening itself ({:.2f} m from 'from' to 'to')",
                                  *w, len));
        else
          door.clear_width_m = *w;
      }
      // The door must sit on the floor boundary or in a wall: check both ends and the middle.
      const Polygon& boundary = boundary_of(fid);
      for (Vec2 p : {door.opening.a, door.opening.midpoint(), door.opening.b}) {
        const bool on_boundary = geom::distance_to_boundary(boundary, p) <= kOnLineTolerance_m;
        if (!on_boundary && !on_wall(p, fid)) {
          const bool outside = !geom::contains(boundary, p);
          in_.problem(
              d, fd,
              fmt::format("door point ({:.2f}, {:.2f}) is {}; a door must lie on the floor boundary (within "
                          "{} m) or in a wall",
                          p.x, p.y, outside ? "outside the hall" : "neither on the boundary nor in a wall",
                          kOnLineTolerance_m));
          return;
        }
      }
      // An exit to the outside opens in the floor's outline, along its whole
      // width (issue 17: one standing in a free wall in the middle of the room
      // passed every egress rule). Both ends on the outline are not enough: a
      // door cutting across a recess of the outline leaves it in between.
      if (door.is_safety_exit() && door.exit_to == ExitTo::outside)
        if (auto off = geom::segment_off_outline(boundary, door.opening, kOnLineTolerance_m))
          in_.problem(
              d["exit_to"] ? d["exit_to"] : d, d["exit_to"] ? fd + ".exit_to" : fd,
              fmt::format("exit '{}' leads outside (exit_to: outside{}) but its opening leaves the boundary of "
                          "floor '{}': ({:.2f}, {:.2f}) is {:.2f} m from it; an exit to the outside lies on "
                          "the floor's boundary (within {} m) along its whole width. A door into a protected "
                          "stair says exit_to: protected_stair; a door in an inner wall is kind internal",
                          door.id, d["exit_to"] ? "" : ", the default", hall_.floors[fid.value].id, off->at.x,
                          off->at.y, off->distance_m, kOnLineTolerance_m));
      door_index_[door.id] = DoorId{static_cast<std::uint32_t>(hall_.doors.size())};
      door_refs_.push_back(ref);
      hall_.doors.push_back(std::move(door));
    });
  }

  // A format-7 field of the checker: false (and a problem) when an older file uses it.
  bool checker_field(const YAML::Node& map, const char* key, const std::string& field) {
    if (!map[key]) return false;
    if (version_ >= kCheckerRulesFormatVersion) return true;
    in_.problem(map[key], field + "." + key,
                fmt::format("needs format: halltwin-scenario/{} (this file says {}); remove it or raise the "
                            "format",
                            kCheckerRulesFormatVersion, hall_.format));
    return false;
  }

  // Role, type, swing and threshold (format 7). Defaults keep an older file's
  // meaning: a safety exit is a safety exit, an internal door its room's
  // evacuation door, an entrance that is not an exit no part of evacuation.
  void read_door_egress(const YAML::Node& d, const std::string& fd, Door& door) {
    door.role = door.is_safety_exit()          ? DoorRole::safety_exit
                : door.kind == DoorKind::internal ? DoorRole::evacuation_door
                                                  : DoorRole::none;
    if (checker_field(d, "role", fd))
      if (auto r = in_.enumeration<DoorRole>(d, "role", fd, false)) {
        if ((*r == DoorRole::safety_exit) != door.is_safety_exit())
          in_.problem(d, "role", fd + ".role",
                      door.is_safety_exit()
                          ? "a door of kind exit or entrance_exit is a safety exit; expected role: safety_exit"
                          : "only a door of kind exit or entrance_exit is a safety exit; expected role: "
                            "evacuation_door or none");
        else
          door.role = *r;
      }
    if (checker_field(d, "type", fd))
      if (auto t = in_.enumeration<DoorType>(d, "type", fd, false)) door.type = *t;
    if (checker_field(d, "fire_mode_swing", fd))
      if (auto b = in_.boolean(d, "fire_mode_swing", fd, false)) {
        if (*b && door.type == DoorType::side_hung)
          in_.problem(d, "fire_mode_swing", fd + ".fire_mode_swing",
                      "a side-hung door swings already; fire_mode_swing is for sliding, revolving, rolling "
                      "or folding doors");
        else
          door.fire_mode_swing = *b;
      }
    if (checker_field(d, "swing", fd))
      if (auto w = in_.enumeration<DoorSwing>(d, "swing", fd, false)) {
        if (door.type != DoorType::side_hung)
          in_.problem(d, "swing", fd + ".swing", "only a side-hung door has a swing direction");
        else
          door.swing = *w;
      }
    if (checker_field(d, "threshold", fd))
      if (auto b = in_.boolean(d, "threshold", fd, false)) door.threshold = *b;
    if (d["automatic"]) {
      if (version_ < kAutomaticDoorFormatVersion)
        in_.problem(d, "automatic", fd + ".automatic",
                    fmt::format("needs format: halltwin-scenario/{} (this file says {}); remove it or raise the "
                                "format",
                                kAutomaticDoorFormatVersion, hall_.format));
      else if (auto b = in_.boolean(d, "automatic", fd, false))
        door.automatic = *b;
    }
  }

  // Fire compartments (format 9): valid polygons inside the floor, not overlapping, together
  // covering the floor but for walls (a fire wall may lie between two compartments). Uncovered
  // area elsewhere is refused: it would belong to no compartment, and its exits and persons
  // to nobody's count.
  void read_compartments(const YAML::Node& fn, const std::string& f, FloorId fid) {
    const YAML::Node list = fn["compartments"];
    if (!list) return;
    if (version_ < kCompartmentsFormatVersion) {
      in_.problem(list, f + ".compartments",
                  fmt::format("needs format: halltwin-scenario/{} (this file says {}); remove it or raise the "
                              "format",
                              kCompartmentsFormatVersion, hall_.format));
      return;
    }
    if (list.IsSequence() && list.size() == 0) {
      in_.problem(list, f + ".compartments",
                  "the list is empty; expected at least one compartment {id, polygon, sprinklered?} (or leave "
                  "the key out: the floor is then one compartment)");
      return;
    }
    Floor& fl = hall_.floors[fid.value];
    bool all_ok = true;
    for_each_item(fn, "compartments", f, [&](const YAML::Node& c, const std::string& fc) {
      in_.check_keys(c, {"id", "polygon", "sprinklered"}, fc);
      Compartment comp;
      comp.loc = YamlInput::loc(c);
      if (!register_id(c, fc, &comp.id)) {
        all_ok = false;
        return;
      }
      if (c["sprinklered"])
        if (auto b = in_.boolean(c, "sprinklered", fc, false)) comp.sprinklered = *b;
      auto poly = in_.polygon_field(c, "polygon", fc, "the compartment's outline as a polygon");
      if (!poly) {
        all_ok = false;
        return;
      }
      comp.polygon = *poly;
      const std::size_t before = in_.problem_count();
      require_inside_polygon(c["polygon"], fc + ".polygon", comp.polygon, fid, "compartment");
      for (const auto& other : fl.compartments)
        if (geom::overlaps(other.polygon, comp.polygon)) {
          in_.problem(c, "polygon", fc + ".polygon",
                      fmt::format("compartment '{}' overlaps compartment '{}' (line {}); expected compartments "
                                  "that do not overlap (they may share an edge)",
                                  comp.id, other.id, other.loc.line));
          break;
        }
      if (in_.problem_count() != before) all_ok = false;
      fl.compartments.push_back(std::move(comp));
    });
    if (!all_ok || fl.compartments.empty()) return;
    std::vector<Polygon> cover;
    for (const auto& c : fl.compartments) cover.push_back(c.polygon);
    for (const auto& ob : hall_.obstacles)
      if (ob.floor == fid && ob.kind == ObstacleKind::wall) cover.push_back(ob.polygon);
    double left = 0;
    Vec2 where{};
    double biggest = 0;
    for (const auto& piece : geom::difference(fl.boundary, cover)) {
      double a = geom::area(piece.outer);
      for (const auto& hole : piece.holes) a -= geom::area(hole);
      left += a;
      if (a > biggest) biggest = a, where = geom::centroid(piece.outer);
    }
    if (left > kCompartmentGap_m2)
      in_.problem(list, f + ".compartments",
                  fmt::format("the compartments leave {:.2f} m2 of floor '{}' uncovered (the largest part near "
                              "({:.2f}, {:.2f})); expected compartments that together cover the floor's outline "
                              "(walls may lie between them)",
                              left, fl.id, where.x, where.y));
  }

  void read_zones(const YAML::Node& fn, const std::string& f, FloorId fid) {
    for_each_item(fn, "zones", f, [&](const YAML::Node& z, const std::string& fz) {
      in_.check_keys(z, {"id", "type", "name", "polygon", "emergency_illuminance_lx"}, fz);
      Zone zone;
      zone.loc = YamlInput::loc(z);
      zone.floor = fid;
      if (!register_id(z, fz, &zone.id)) return;
      if (auto t = in_.enumeration<ZoneType>(z, "type", fz, true)) zone.type = *t;
      zone.name = in_.string(z, "name", fz, false).value_or(std::string(name(zone.type)));
      zone.emergency_illuminance_lx = checker_number(z, "emergency_illuminance_lx", fz, 0.0, 1e4);
      auto poly = in_.polygon_field(z, "polygon", fz, "a polygon");
      if (!poly) return;
      zone.polygon = *poly;
      require_inside_polygon(z["polygon"], fz + ".polygon", zone.polygon, fid, "zone");
      // Zones partition the floor: the occupant load counts each square metre once.
      for (const auto& other : hall_.zones)
        if (other.floor == fid && geom::overlaps(other.polygon, zone.polygon)) {
          in_.problem(z, "polygon", fz + ".polygon",
                      fmt::format("zone '{}' overlaps zone '{}' (line {}); zones must not overlap", zone.id,
                                  other.id, other.loc.line));
          break;
        }
      hall_.zones.push_back(std::move(zone));
    });
  }

  std::vector<MatterId> read_matter_refs(const YAML::Node& w, const std::string& fw) {
    std::vector<MatterId> out;
    const YAML::Node m = w["matters"];
    if (!m) return out;
    if (!in_.expect_sequence(m, fw + ".matters")) return out;
    for (std::size_t i = 0; i < m.size(); ++i) {
      auto id = in_.string_value(m[i], fmt::format("{}.matters[{}]", fw, i));
      if (!id) continue;
      auto it = matter_index_.find(*id);
      if (it == matter_index_.end()) {
        in_.problem(m[i], fmt::format("{}.matters[{}]", fw, i),
                    fmt::format("'{}' is not a matter id; define it under 'matters'", shorten(*id)));
        continue;
      }
      out.push_back(it->second);
    }
    return out;
  }

  std::optional<Vec2> read_facing(const YAML::Node& w, const std::string& fw) {
    if (!w["facing"]) return Vec2{0.0, 1.0};
    auto v = in_.point(w["facing"], fw + ".facing");
    if (!v) return std::nullopt;
    const double n = norm(*v);
    if (n < 1e-9) {
      in_.problem(w, "facing", fw + ".facing", "expected a non-zero direction [dx, dy]");
      return std::nullopt;
    }
    return Vec2{v->x / n, v->y / n};
  }

  void read_windows(const YAML::Node& fn, const std::string& f, FloorId fid) {
    for_each_item(fn, "windows", f, [&](const YAML::Node& w, const std::string& fw) {
      in_.check_keys(w, {"id", "label", "kind", "position", "facing", "matters", "counter_top_height_m",
                         "knee_clearance"},
                     fw);
      Window win;
      win.loc = YamlInput::loc(w);
      win.floor = fid;
      if (!register_id(w, fw, &win.id)) return;
      win.label = in_.string(w, "label", fw, false).value_or(win.id);
      if (auto k = in_.enumeration<WindowKind>(w, "kind", fw, true)) win.kind = *k;
      if (auto fc = read_facing(w, fw)) win.facing = *fc;
      win.matters = read_matter_refs(w, fw);
      win.counter_top_height_m = checker_number(w, "counter_top_height_m", fw, 0.3, 2.0);
      if (const YAML::Node k = w["knee_clearance"];
          k && !needs_checker_format(w, "knee_clearance", fw) && in_.expect_map(k, fw + ".knee_clearance")) {
        const std::string fk = fw + ".knee_clearance";
        in_.check_keys(k, {"width_m", "height_m", "depth_m"}, fk);
        Window::KneeClearance kc;
        if (auto v = in_.number(k, "width_m", fk, true, 0.0, 5.0)) kc.width_m = *v;
        if (auto v = in_.number(k, "height_m", fk, true, 0.0, 2.0)) kc.height_m = *v;
        if (auto v = in_.number(k, "depth_m", fk, true, 0.0, 2.0)) kc.depth_m = *v;
        win.knee_clearance = kc;
      }
      auto p = in_.point_field(w, "position", fw, "where the citizen is served [x, y]");
      if (!p) return;
      win.position = *p;
      require_inside_point(w["position"], fw + ".position", win.position, fid, 0.0);
      hall_.windows.push_back(std::move(win));
    });
    for_each_item(fn, "window_rows", f, [&](const YAML::Node& r, const std::string& fr) {
      in_.check_keys(r, {"id", "from", "to", "count", "kind", "facing", "matters", "first_number"}, fr);
      std::string prefix;
      if (!register_id(r, fr, &prefix)) return;
      auto count = in_.integer(r, "count", fr, true, 1, 1000);
      auto first = in_.integer(r, "first_number", fr, false, 0, 10000).value_or(1);
      auto kind = in_.enumeration<WindowKind>(r, "kind", fr, true);
      auto facing = read_facing(r, fr);
      auto matters = read_matter_refs(r, fr);
      const auto a = in_.point_field(r, "from", fr, "the first window's position");
      const auto b = in_.point_field(r, "to", fr, "the last window's position");
      if (!count || !kind || !facing || !a || !b) return;
      for (long long i = 0; i < *count; ++i) {
        const double t = *count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(*count - 1);
        Window win;
        win.loc = YamlInput::loc(r);
        win.floor = fid;
        win.id = fmt::format("{}{:02d}", prefix, first + i);
        win.label = win.id;
        auto [it, inserted] = ids_.emplace(win.id, win.loc);
        if (!inserted) {
          in_.problem(
              r, fr,
              fmt::format("expands to window id '{}', already defined at line {}", win.id, it->second.line));
          return;
        }
        win.kind = *kind;
        win.facing = *facing;
        win.matters = matters;
        win.row = prefix;
        win.position = *a + t * (*b - *a);
        require_inside_point(r, fr + fmt::format(" (window {})", win.id), win.position, fid, 0.0);
        hall_.windows.push_back(std::move(win));
      }
    });
  }

  void read_seats(const YAML::Node& fn, const std::string& f, FloorId fid) {
    read_points_of<Seat>(fn, "seats", f, fid);
    for_each_item(fn, "seat_rows", f, [&](const YAML::Node& r, const std::string& fr) {
      in_.check_keys(r, {"id", "from", "to", "count"}, fr);
      std::string prefix;
      if (!register_id(r, fr, &prefix)) return;
      auto count = in_.integer(r, "count", fr, true, 1, 10000);
      const auto a = in_.point_field(r, "from", fr, "the first seat's position");
      const auto b = in_.point_field(r, "to", fr, "the last seat's position");
      if (!count || !a || !b) return;
      require_inside_point(r["from"], fr + ".from", *a, fid, 0.0);
      require_inside_point(r["to"], fr + ".to", *b, fid, 0.0);
      for (long long i = 0; i < *count; ++i) {
        const double t = *count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(*count - 1);
        Seat s;
        s.id = fmt::format("{}-{}", prefix, i + 1);
        s.loc = YamlInput::loc(r);
        s.floor = fid;
        s.position = *a + t * (*b - *a);
        hall_.seats.push_back(std::move(s));
      }
    });
  }

  // Seats and devices: {id, position} (+ kind for devices).
  template <class T>
  void read_points_of(const YAML::Node& fn, const char* key, const std::string& f, FloorId fid) {
    for_each_item(fn, key, f, [&](const YAML::Node& n, const std::string& fe) {
      T item;
      if constexpr (std::is_same_v<T, Device>) {
        in_.check_keys(n, {"id", "kind", "position"}, fe);
        if (auto k = in_.enumeration<DeviceKind>(n, "kind", fe, true)) item.kind = *k;
      } else {
        in_.check_keys(n, {"id", "position"}, fe);
      }
      item.loc = YamlInput::loc(n);
      item.floor = fid;
      if (!register_id(n, fe, &item.id)) return;
      auto p = in_.point_field(n, "position", fe, "[x, y]");
      if (!p) return;
      item.position = *p;
      require_inside_point(n["position"], fe + ".position", item.position, fid, 0.0);
      if constexpr (std::is_same_v<T, Device>)
        hall_.devices.push_back(std::move(item));
      else
        hall_.seats.push_back(std::move(item));
    });
  }

  void read_facilities(const YAML::Node& fn, const std::string& f, FloorId fid) {
    for_each_item(fn, "facilities", f, [&](const YAML::Node& n, const std::string& fe) {
      in_.check_keys(n, {"id", "type", "position", "rating", "agent", "wheeled", "size", "mounting"}, fe);
      Facility fac;
      fac.loc = YamlInput::loc(n);
      fac.floor = fid;
      if (!register_id(n, fe, &fac.id)) return;
      if (auto t = in_.enumeration<FacilityType>(n, "type", fe, true)) fac.type = *t;
      if (fac.type == FacilityType::extinguisher) {
        if (auto r = in_.string(n, "rating", fe, true)) {
          // "2A": a positive number followed by A.
          double value = 0;
          const char* end = r->data() + r->size();
          auto [ptr, ec] = std::from_chars(r->data(), end, value);
          if (ec == std::errc() && ptr + 1 == end && *ptr == 'A' && value > 0 &&
              std::isdigit(static_cast<unsigned char>((*r)[0])))
            fac.rating_a = value;
          else
            in_.problem(n, "rating", fe + ".rating",
                        fmt::format("'{}' is not a class-A rating; expected e.g. 1A, 2A, 3A", shorten(*r)));
        }
        fac.agent = in_.string(n, "agent", fe, false).value_or("");
        fac.wheeled = in_.boolean(n, "wheeled", fe, false).value_or(false);
      } else {
        for (const char* k : {"rating", "agent", "wheeled"})
          if (n[k]) in_.problem(n[k], fe + "." + k, "only extinguishers have a " + std::string(k));
      }
      read_sign_attributes(n, fe, fac);
      auto p = in_.point_field(n, "position", fe, "[x, y]");
      if (!p) return;
      fac.position = *p;
      require_inside_point(n["position"], fe + ".position", fac.position, fid, kFacilityTolerance_m);
      hall_.facilities.push_back(std::move(fac));
    });
  }

  // size and mounting of exit signs (format 10); the defaults (medium, ceiling) keep an older
  // file's meaning: every sign was held to the 20 m spacing of a medium ceiling sign.
  void read_sign_attributes(const YAML::Node& n, const std::string& fe, Facility& fac) {
    for (const char* k : {"size", "mounting"}) {
      if (!n[k]) continue;
      if (fac.type != FacilityType::exit_sign) {
        in_.problem(n[k], fe + "." + k, "only exit signs have a " + std::string(k));
      } else if (version_ < kSignAttributesFormatVersion) {
        in_.problem(n[k], fe + "." + k,
                    fmt::format("needs format: halltwin-scenario/{} (this file says {}); remove it or raise the "
                                "format",
                                kSignAttributesFormatVersion, hall_.format));
      } else if (std::string_view(k) == "size") {
        if (auto v = in_.enumeration<SignSize>(n, k, fe, false)) fac.sign_size = *v;
      } else if (auto v = in_.enumeration<SignMounting>(n, k, fe, false)) {
        fac.mounting = *v;
      }
    }
  }

  void read_stairs(const YAML::Node& list) {
    if (!list) return;
    if (!in_.expect_sequence(list, "stairs")) return;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const YAML::Node s = list[i];
      const std::string f = item_field("stairs", s, i);
      if (!in_.expect_map(s, f)) continue;
      in_.check_keys(s, {"id", "from", "to", "width_m", "protected", "length_m", "emergency_illuminance_lx"}, f);
      Stair st;
      st.loc = YamlInput::loc(s);
      if (!register_id(s, f, &st.id)) continue;
      if (auto w = in_.number(s, "width_m", f, true, 0.5, 20.0)) st.width_m = *w;
      if (auto p = in_.boolean(s, "protected", f, false)) st.is_protected = *p;
      st.emergency_illuminance_lx = checker_number(s, "emergency_illuminance_lx", f, 0.0, 1e4);
      if (s["length_m"] && version_ < 2)
        in_.problem(s, "length_m", f + ".length_m", "needs format: halltwin-scenario/2");
      else if (auto l = in_.number(s, "length_m", f, false, 0.0, 1000.0)) {
        if (*l <= 0)
          in_.problem(s, "length_m", f + ".length_m", "must be greater than 0");
        else
          st.length_m = *l;
      }
      bool ok = end_of_stair(s, "from", f, &st.from_floor, &st.from_door);
      ok = end_of_stair(s, "to", f, &st.to_floor, &st.to_door) && ok;
      if (ok && st.from_floor == st.to_floor) in_.problem(s, f, "a stair must link two different floors");
      if (!ok) continue;
      if (st.length_m <= 0) st.length_m = default_stair_length_m(st);
      hall_.stairs.push_back(std::move(st));
    }
  }

  // An exit into a protected stair leads somewhere only when the stair is in
  // the file (issue 17: exits marked exit_to: protected_stair without any
  // stair passed every egress rule, their people "out" at the stair door).
  void require_stairs_behind_stair_exits() {
    std::vector<bool> on_stair(hall_.doors.size(), false);
    for (const auto& st : hall_.stairs) {
      on_stair[st.from_door.value] = true;
      on_stair[st.to_door.value] = true;
    }
    for (std::size_t i = 0; i < hall_.doors.size(); ++i) {
      const Door& door = hall_.doors[i];
      if (!door.is_safety_exit() || door.exit_to != ExitTo::protected_stair || on_stair[i]) continue;
      in_.problem(door_refs_[i].exit_to, door_refs_[i].field + ".exit_to",
                  fmt::format("exit '{}' leads into a protected stair (exit_to: protected_stair) but no stair "
                              "under 'stairs' has it as an end; add the stair ({{id, from: {{floor, door}}, to: "
                              "{{floor, door}}, width_m}}, with the floor it leads down or up to), or say where "
                              "the exit leads (exit_to: outside for a door in the floor's boundary)",
                              door.id));
    }
  }

  // sqrt(5) x the rise: treads twice the risers (0.15 m on 0.30 m). The rise
  // is the height of every floor from the lower end up to (not including)
  // the upper end's floor.
  double default_stair_length_m(const Stair& st) const {
    const int a = hall_.floors[st.from_floor.value].storey;
    const int b = hall_.floors[st.to_floor.value].storey;
    const int lo = std::min(a, b), hi = std::max(a, b);
    double rise_m = 0;
    for (const auto& fl : hall_.floors)
      if (fl.storey >= lo && fl.storey < hi) rise_m += fl.height_m;
    return std::sqrt(5.0) * rise_m;
  }

  bool end_of_stair(const YAML::Node& s, const char* key, const std::string& f, FloorId* floor,
                    DoorId* door) {
    const YAML::Node e = s[key];
    const std::string fe = f + "." + key;
    if (!e) {
      in_.problem(s, fe, "missing; expected {floor: FLOOR_ID, door: DOOR_ID}");
      return false;
    }
    if (!in_.expect_map(e, fe)) return false;
    in_.check_keys(e, {"floor", "door"}, fe);
    auto fl = in_.string(e, "floor", fe, true);
    auto dr = in_.string(e, "door", fe, true);
    if (!fl || !dr) return false;
    auto fi = floor_index_.find(*fl);
    if (fi == floor_index_.end()) {
      in_.problem(e, "floor", fe + ".floor", fmt::format("'{}' is not a floor id", shorten(*fl)));
      return false;
    }
    auto di = door_index_.find(*dr);
    if (di == door_index_.end()) {
      in_.problem(e, "door", fe + ".door", fmt::format("'{}' is not a door id", shorten(*dr)));
      return false;
    }
    const Door& end_door = hall_.doors[di->second.value];
    if (end_door.floor.value != fi->second) {
      in_.problem(e, "door", fe + ".door",
                  fmt::format("door '{}' is not on floor '{}'", shorten(*dr), shorten(*fl)));
      return false;
    }
    // A stair is reached through a safety exit (issue 17: stairs linking
    // internal doors were accepted, and every engine took their people for
    // evacuated or routed them through a door that leads nowhere).
    if (!end_door.is_safety_exit()) {
      in_.problem(e, "door", fe + ".door",
                  fmt::format("door '{}' is {} (kind {}); a stair's ends are safety exits (kind exit or "
                              "entrance_exit) that lead into it: exit_to: protected_stair, or exit_to: outside "
                              "for an outdoor stair",
                              end_door.id,
                              end_door.kind == DoorKind::internal ? "an internal door" : "an entrance only",
                              name(end_door.kind)));
      return false;
    }
    *floor = FloorId{fi->second};
    *door = di->second;
    return true;
  }

  void read_reserved(const YAML::Node& root) {
    auto empty = [](const YAML::Node& n) {
      return n.IsNull() || ((n.IsMap() || n.IsSequence()) && n.size() == 0);
    };
    std::vector<const char*> reserved(std::begin(kReservedSections), std::end(kReservedSections));
    if (version_ < kEvacuationFormatVersion) reserved.push_back(kEvacuationSection);
    for (const char* key : reserved) {
      const YAML::Node n = root[key];
      if (!n) continue;
      const bool platform = std::string_view(key) == kPlatformSection;
      if (platform && version_ >= kPlatformFormatVersion) continue;  // read by read_platform
      if (std::string_view(key) == "emergencies" && version_ >= kEmergenciesFormatVersion) continue;
      if (std::string_view(key) == "emergencies" && !empty(n)) {  // "needs format 6"
        read_emergencies(in_, n, hall_, version_);
        continue;
      }
      if (empty(n)) {
        hall_.reserved_sections.emplace_back(key);
        continue;
      }
      if (platform)
        in_.problem(n, key,
                    fmt::format("section '{}' needs format: halltwin-scenario/{} (this file says {}); before "
                                "it the section is reserved and must be empty ({{}}) or absent",
                                key, kPlatformFormatVersion, hall_.format));
      else if (std::string_view(key) == kEvacuationSection)
        in_.problem(n, key,
                    fmt::format("section '{}' needs format: halltwin-scenario/{} (this file says {}); before "
                                "it the section is reserved and must be empty ({{}}) or absent",
                                key, kEvacuationFormatVersion, hall_.format));
      else
        in_.problem(
            n, key,
            fmt::format("section '{}' is reserved for a later version of the scenario format and is not yet "
                        "supported by {}; leave it empty ({{}}) or remove it",
                        key, kScenarioFormat));
    }
    if (version_ >= 2) return;
    // Version 1 kept these sections reserved: a version-1 file keeps that
    // meaning, and a file using them must say it is version 2.
    for (const char* key : kVersion2Sections) {
      const YAML::Node n = root[key];
      if (!n) continue;
      const bool was_reserved = std::string_view(key) != "targets" && std::string_view(key) != "walking";
      if (was_reserved && empty(n)) {
        hall_.reserved_sections.emplace_back(key);
        continue;
      }
      in_.problem(n, key,
                  fmt::format("section '{}' needs format: halltwin-scenario/2 (this file says {}); {}", key,
                              hall_.format,
                              was_reserved ? "in version 1 it is reserved and must be empty ({}) or absent"
                                           : "remove it or raise the format"));
    }
  }

  YamlInput in_;
  Hall hall_;
  int version_ = scenario_format_version(kScenarioFormat);  // of the file's format; the latest when unknown
  std::map<std::string, SourceLoc> ids_;
  std::map<std::string, MatterId> matter_index_;
  std::map<std::string, std::uint32_t> floor_index_;
  std::map<std::string, DoorId> door_index_;
  // Where each door (by DoorId) is in the file: its field and its exit_to
  // (the door itself when exit_to is left to its default).
  struct DoorRef {
    std::string field;
    SourceLoc exit_to;
  };
  std::vector<DoorRef> door_refs_;
  std::optional<double> design_persons_total_;
  YAML::Node design_persons_node_;
};

}  // namespace

Hall load_scenario(const std::string& path) { return ScenarioReader(path).read(); }

}  // namespace halltwin
