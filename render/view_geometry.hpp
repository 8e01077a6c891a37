#pragma once
// Camera geometry of the 3D view, free of graphics includes so that tests can
// compute where a world point lands in a screenshot.
//
// World frame of the scene: x east, y north (the floor's plane, metres, as in
// the hall model), z up, the floor's walking surface at z = 0.
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"

namespace halltwin::render {

// Exterior walls are drawn this thick just outside the floor boundary (a
// 240 mm brick wall), so they never cover a zone.
inline constexpr double kExteriorWallThickness_m = 0.24;

struct Bounds2 {
  Vec2 min;  // metres
  Vec2 max;  // metres
  Vec2 centre() const { return 0.5 * (min + max); }
  double width_m() const { return max.x - min.x; }
  double height_m() const { return max.y - min.y; }
};

struct Vec3 {
  double x = 0.0, y = 0.0, z = 0.0;  // metres
};

// The floor to show: the one with id `floor_id`, or when it is empty the lowest
// storey (first in file order among equals). nullopt when there is no such floor.
std::optional<FloorId> choose_floor(const Hall& hall, const std::string& floor_id);

// Bounding box of a floor as drawn: its boundary plus the exterior walls.
Bounds2 floor_bounds(const Hall& hall, FloorId floor);

// Pixel position in an image: column from the left edge, row from the top edge
// (as stored in a PNG). The pixel with indices (i, j) covers [i, i+1) x [j, j+1).
struct PixelPos {
  double column = 0.0;
  double row = 0.0;
  int column_index() const;
  int row_index() const;
};

// The top camera: an orthographic plan looking straight down, north up, that
// fits `bounds` into the image with a margin on every side and the same scale
// on both axes.
struct TopProjection {
  int width_px = 0;
  int height_px = 0;
  Vec2 centre;                   // world point at the image centre
  double metres_per_pixel = 0.0;
  int margin_px = 0;

  PixelPos to_pixel(Vec2 world) const;
  Vec2 to_world(PixelPos pixel) const;
  double half_width_m() const { return 0.5 * width_px * metres_per_pixel; }
  double half_height_m() const { return 0.5 * height_px * metres_per_pixel; }
};

TopProjection top_projection(const Bounds2& bounds, int width_px, int height_px);

// A camera preset: where the eye is, what it looks at, and the projection.
struct CameraPose {
  Vec3 eye;
  Vec3 centre;                // the point looked at (the orbit centre in the interactive view)
  Vec3 up{0.0, 1.0, 0.0};
  bool orthographic = false;
  double ortho_half_width_m = 0.0;   // orthographic only
  double ortho_half_height_m = 0.0;  // orthographic only
  double fov_y_deg = 55.0;           // perspective only (and the interactive zoom of the plan)
  double near_m = 0.1;
  double far_m = 1000.0;
};

// Plan view of the whole floor, matching top_projection() pixel for pixel.
CameraPose top_camera(const Hall& hall, FloorId floor, int width_px, int height_px);

// Perspective view from just inside the first entrance of the floor (an
// entrance-only door or an entrance-and-exit; failing that, any safety exit,
// then any door), at eye height, looking into the hall. A floor without
// doors is looked at from its south-west corner.
CameraPose entrance_camera(const Hall& hall, FloorId floor);

// The door entrance_camera() stands at, if any.
std::optional<DoorId> entrance_door(const Hall& hall, FloorId floor);

// How several floors are shown: one at a time; stacked at their storey
// heights as built; or exploded, pulled apart so every floor can be seen
// from the side (an iso view of a real stack shows only the roof).
enum class FloorMode { one, stacked, exploded };

// Gap added above each floor's ceiling in the exploded view, as a multiple
// of that floor's height.
inline constexpr double kExplodedGapFactor = 2.5;

// Height of each floor's walking surface in the scene (index = FloorId),
// metres: storeys in order, each floor above the one below at its height
// (plus the gap when exploded); the lowest storey at 0. FloorMode::one puts
// every floor at 0 (only one is drawn).
std::vector<double> floor_elevations(const Hall& hall, FloorMode mode);

// Bounding box of all floors as drawn (their boundaries and exterior walls).
Bounds2 hall_bounds(const Hall& hall);

// A bird's-eye perspective from the south-west, 35 degrees down, fitting
// the floors `shown` (FloorIds, at `elevation_m`) into the image.
CameraPose iso_camera(const Hall& hall, const std::vector<FloorId>& shown, const std::vector<double>& elevation_m,
                      int width_px, int height_px);

// The camera preset `camera` ("top", "entrance" or "iso") for the floors
// `shown` at `elevation_m`: top looks down on `floor` (the highest shown one
// when several are), entrance stands at `floor`'s entrance; both are raised
// to that floor's elevation.
CameraPose preset_camera(const Hall& hall, const std::string& camera, FloorId floor, const std::vector<FloorId>& shown,
                         const std::vector<double>& elevation_m, int width_px, int height_px);

// Radius of a person figure in a hall this big: 0.22 m (a shoulder width of
// 0.45 m), larger in a big hall so that a person stays visible in its plan.
double figure_radius_m(const Hall& hall);

}  // namespace halltwin::render
