#pragma once
// The fixed vocabularies of the scenario format (administrative levels, zone
// types, window kinds, ...), with their spelling in scenario files. One table
// per enum: parsing, printing and the JSON Schema all read the same names.
#include <optional>
#include <span>
#include <string_view>

namespace halltwin {

// Administrative level of the hall (the standard's 省/市州/县市区/乡镇街道/村社区).
// Storeys are "floors", never "levels".
enum class AdminLevel { province, city, county, township, village };

// Fire hazard class for extinguisher rules (GB 50140): 轻/中/严重危险级.
enum class FireHazard { light, medium, severe };

enum class ZoneType {
  guidance,           // 咨询导办 guidance / consultation desk area
  window_area,        // 综合受理 / 窗口区 window (acceptance) area
  waiting,            // 等候区
  self_service,       // 自助服务区
  self_service_24h,   // 24小时自助服务区
  info_disclosure,    // 政务公开专区 government-information disclosure
  help_desk,          // 帮办代办 help / agency service
  result_pickup,      // 取件 result pickup
  form_filling,       // 填写台 form-filling desks
  mother_baby,        // 母婴室
  accessible_toilet,  // 无障碍卫生间
  toilets,            // 公共卫生间
  back_office,        // 后台办公区
  equipment_room,     // 设备间
  convenience,        // 便民服务 (copying, photos, water)
  problem_solving,    // 办不成事 反映窗口 area
  corridor,           // circulation corridor
  lobby,              // entrance lobby / circulation
  staff_area,         // staff rest, meeting rooms
  other,
};

// Window (counter) kinds.
enum class WindowKind {
  comprehensive,    // 综合窗口: accepts many matters
  department,       // 部门窗口: one department's matters
  problem_solving,  // 办不成事 反映窗口
  accessible_low,   // 无障碍低位服务台
  help_desk,        // 帮办代办 window
  pickup,           // 出件 / result pickup window
  consultation,     // 咨询 window
};

enum class DoorKind {
  entrance,       // citizens enter here; not a safety exit
  exit,           // safety exit (安全出口) only
  entrance_exit,  // both
  internal,       // between rooms of the hall
};

// Where a safety exit leads.
enum class ExitTo { outside, protected_stair };

// A door's part in evacuation (GB 50016-2014 2.1.14 安全出口, 疏散门; format 7).
enum class DoorRole {
  safety_exit,      // 安全出口: leads outside or into a protected stair (kind exit / entrance_exit)
  evacuation_door,  // 疏散门: a room's or the hall's door on the way to a safety exit
  none,             // plays no part in evacuation (no width or type requirement)
};

// How a door leaf moves (GB 50016 6.4.11: evacuation doors are side-hung).
enum class DoorType { side_hung, sliding, revolving, rolling, folding };

// Which way a side-hung leaf opens, relative to the direction of escape.
enum class DoorSwing { out, in };

enum class ObstacleKind { wall, counter, furniture, column, kiosk, other };

enum class DeviceKind { ticket_machine, self_service_kiosk, guide_desk, info_screen };

enum class FacilityType { extinguisher, exit_sign, emergency_light, hydrant, aed, camera, first_aid_kit };

// An exit or direction sign's size class (GB 51309-2018 3.2.1: 特大型, 大型, 中型, 小型
// 标志灯; format 10). The class sets how far apart signs may hang along a route.
enum class SignSize { extra_large, large, medium, small };

// Where a sign is mounted (format 10): suspended from the ceiling over the route (its face
// across the escape direction), on a wall or column above head height or at most 1.0 m above
// the floor (its face along the escape direction), or set into the floor (GB 51309-2018's
// signs that keep the route visually continuous).
enum class SignMounting { ceiling, wall_high, wall_low, floor };

enum class OccupantLoadBasis {
  design,   // the scenario states its design occupancy in persons
  density,  // persons per m2 by zone type (rulebook defaults, scenario overrides)
};

// Name <-> value tables. `names<E>()` lists the spellings in enum order.
template <class E>
std::span<const std::string_view> names();
template <class E>
std::optional<E> parse(std::string_view name);
template <class E>
std::string_view name(E value);

}  // namespace halltwin
