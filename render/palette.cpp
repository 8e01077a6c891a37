#include "render/palette.hpp"

#include <algorithm>
#include <cmath>

namespace halltwin::render {

// Zone palette: light, mutually distinct tints (pairwise RGB distance >= 30,
// checked by a test) so that dark labels stay readable on every zone and the
// zones stay distinguishable from the darker obstacles, doors and markers.
// Public-service areas use warm or saturated-light tints, circulation areas
// near-greys, back-of-house areas muted greys and browns.
Rgb zone_colour(ZoneType type) {
  switch (type) {
    case ZoneType::guidance: return {255, 214, 153};           // light orange
    case ZoneType::window_area: return {153, 204, 255};        // light blue
    case ZoneType::waiting: return {178, 232, 163};            // light green
    case ZoneType::self_service: return {204, 179, 255};       // lavender
    case ZoneType::self_service_24h: return {160, 140, 230};   // deeper lavender
    case ZoneType::info_disclosure: return {250, 245, 120};    // light yellow
    case ZoneType::help_desk: return {255, 179, 179};          // salmon
    case ZoneType::result_pickup: return {140, 220, 220};      // light teal
    case ZoneType::form_filling: return {225, 195, 145};       // tan
    case ZoneType::mother_baby: return {255, 192, 230};        // pink
    case ZoneType::accessible_toilet: return {110, 170, 235};  // mid blue (the wheelchair sign's blue, lightened)
    case ZoneType::toilets: return {190, 218, 240};            // pale steel blue
    case ZoneType::back_office: return {205, 205, 185};        // greige
    case ZoneType::equipment_room: return {165, 165, 150};     // grey olive
    case ZoneType::convenience: return {220, 245, 160};        // pale lime
    case ZoneType::problem_solving: return {250, 150, 110};    // coral
    case ZoneType::corridor: return {238, 238, 238};           // near white
    case ZoneType::lobby: return {245, 226, 200};              // beige
    case ZoneType::staff_area: return {200, 180, 160};         // taupe
    case ZoneType::other: return {225, 200, 225};              // light mauve
  }
  return {255, 0, 255};  // unreachable: an unknown enum value shows as magenta
}

Rgb obstacle_colour(ObstacleKind kind) {
  switch (kind) {
    case ObstacleKind::wall: return {88, 90, 98};        // dark grey: walls read as the plan's lines
    case ObstacleKind::counter: return {150, 95, 50};    // wood brown
    case ObstacleKind::furniture: return {190, 145, 95}; // light wood
    case ObstacleKind::column: return {125, 125, 135};   // concrete grey
    case ObstacleKind::kiosk: return {110, 60, 160};     // purple, like the self-service devices
    case ObstacleKind::other: return {135, 115, 105};    // brownish grey
  }
  return {255, 0, 255};
}

Rgb door_colour(DoorKind kind) {
  switch (kind) {
    case DoorKind::exit:
    case DoorKind::entrance_exit: return {30, 170, 70};  // safety exit: green as on exit signs
    case DoorKind::entrance: return {40, 100, 220};      // entrance only: blue
    case DoorKind::internal: return {150, 150, 150};     // grey
  }
  return {255, 0, 255};
}

// Saturated colours, unlike the zone tints, so windows stand out of the window area.
Rgb window_colour(WindowKind kind) {
  switch (kind) {
    case WindowKind::comprehensive: return {235, 120, 0};    // orange
    case WindowKind::department: return {190, 70, 20};       // rust
    case WindowKind::problem_solving: return {215, 0, 60};   // crimson
    case WindowKind::accessible_low: return {0, 95, 210};    // accessibility blue
    case WindowKind::help_desk: return {200, 0, 160};        // magenta
    case WindowKind::pickup: return {0, 140, 120};           // teal
    case WindowKind::consultation: return {225, 175, 0};     // amber
  }
  return {255, 0, 255};
}

Rgb device_colour(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::ticket_machine: return {0, 155, 200};      // cyan
    case DeviceKind::self_service_kiosk: return {120, 70, 180}; // purple
    case DeviceKind::guide_desk: return {160, 105, 55};         // brown
    case DeviceKind::info_screen: return {35, 35, 40};          // black screen
  }
  return {255, 0, 255};
}

// The usual colours of the real things and their signs in China.
Rgb facility_colour(FacilityType type) {
  switch (type) {
    case FacilityType::extinguisher: return {220, 20, 20};     // red cylinder
    case FacilityType::exit_sign: return {0, 170, 60};         // green sign
    case FacilityType::emergency_light: return {250, 215, 0};  // yellow
    case FacilityType::hydrant: return {150, 0, 0};            // dark red cabinet
    case FacilityType::aed: return {0, 150, 110};              // green-teal box (with a red heart mark)
    case FacilityType::camera: return {45, 45, 50};            // dark dome
    case FacilityType::first_aid_kit: return {245, 245, 245};  // white box (with a green cross)
  }
  return {255, 0, 255};
}

Rgb seat_colour() { return {60, 90, 140}; }
Rgb slab_colour() { return {196, 196, 190}; }
Rgb background_colour() { return {38, 42, 50}; }
Rgb label_colour() { return {25, 25, 30}; }

Rgb shade(Rgb c, double factor) {
  const auto f = [factor](unsigned char v) {
    return static_cast<unsigned char>(std::clamp(std::lround(v * factor), 0L, 255L));
  };
  return {f(c.r), f(c.g), f(c.b)};
}

}  // namespace halltwin::render
