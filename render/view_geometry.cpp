#include "render/view_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::render {

namespace {

constexpr double kEyeHeight_m = 1.8;        // a standing adult, slightly raised to see over counters
constexpr double kPitchDown_deg = 12.0;     // looking down a little: the floor plan matters more than the ceiling
constexpr double kStepInside_m = 0.6;       // how far inside the door the eye stands
constexpr double kEntranceFovY_deg = 60.0;  // a wide view, as a person sees a room
constexpr double kPlanFovY_deg = 30.0;      // interactive zoom of the plan (the plan itself is orthographic)

// Distance from `from` along the unit vector `dir` to the first crossing of
// the polygon's outline farther than 0.1 m; `fallback_m` when there is none.
double ray_to_outline_m(const Polygon& poly, Vec2 from, Vec2 dir, double fallback_m) {
  double best = std::numeric_limits<double>::max();
  for (std::size_t i = 0; i < poly.size(); ++i) {
    const Vec2 a = poly[i], e = poly[(i + 1) % poly.size()] - a;
    const double denom = cross(dir, e);
    if (std::abs(denom) < 1e-12) continue;  // parallel
    const double t = cross(a - from, e) / denom;   // along the ray
    const double u = cross(a - from, dir) / denom; // along the edge
    if (t > 0.1 && u >= 0.0 && u <= 1.0) best = std::min(best, t);
  }
  return best == std::numeric_limits<double>::max() ? fallback_m : best;
}

}  // namespace

std::optional<FloorId> choose_floor(const Hall& hall, const std::string& floor_id) {
  std::optional<FloorId> best;
  for (std::uint32_t i = 0; i < hall.floors.size(); ++i) {
    const Floor& f = hall.floors[i];
    if (!floor_id.empty()) {
      if (f.id == floor_id) return FloorId{i};
      continue;
    }
    if (!best || f.storey < hall.floors[best->value].storey) best = FloorId{i};
  }
  return best;
}

Bounds2 floor_bounds(const Hall& hall, FloorId floor) {
  const Polygon& boundary = hall.floor(floor).boundary;
  Bounds2 b{{std::numeric_limits<double>::max(), std::numeric_limits<double>::max()},
            {std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()}};
  for (const Vec2& p : boundary) {
    b.min = {std::min(b.min.x, p.x), std::min(b.min.y, p.y)};
    b.max = {std::max(b.max.x, p.x), std::max(b.max.y, p.y)};
  }
  if (boundary.empty()) return {{0.0, 0.0}, {1.0, 1.0}};
  const Vec2 wall{kExteriorWallThickness_m, kExteriorWallThickness_m};
  return {b.min - wall, b.max + wall};
}

int PixelPos::column_index() const { return static_cast<int>(std::floor(column)); }
int PixelPos::row_index() const { return static_cast<int>(std::floor(row)); }

PixelPos TopProjection::to_pixel(Vec2 world) const {
  return {0.5 * width_px + (world.x - centre.x) / metres_per_pixel,
          0.5 * height_px - (world.y - centre.y) / metres_per_pixel};
}

Vec2 TopProjection::to_world(PixelPos pixel) const {
  return {centre.x + (pixel.column - 0.5 * width_px) * metres_per_pixel,
          centre.y - (pixel.row - 0.5 * height_px) * metres_per_pixel};
}

TopProjection top_projection(const Bounds2& bounds, int width_px, int height_px) {
  TopProjection p;
  p.width_px = std::max(width_px, 1);
  p.height_px = std::max(height_px, 1);
  // 4% of the smaller side, at least 8 px: room for labels at the edges and a
  // visible frame of background around the plan.
  p.margin_px = std::max(8, static_cast<int>(std::lround(0.04 * std::min(p.width_px, p.height_px))));
  const double usable_w = std::max(1, p.width_px - 2 * p.margin_px);
  const double usable_h = std::max(1, p.height_px - 2 * p.margin_px);
  p.metres_per_pixel = std::max({bounds.width_m() / usable_w, bounds.height_m() / usable_h, 1e-6});
  p.centre = bounds.centre();
  return p;
}

CameraPose top_camera(const Hall& hall, FloorId floor, int width_px, int height_px) {
  const TopProjection proj = top_projection(floor_bounds(hall, floor), width_px, height_px);
  const double ceiling_m = hall.floor(floor).height_m;
  CameraPose pose;
  pose.orthographic = true;
  pose.ortho_half_width_m = proj.half_width_m();
  pose.ortho_half_height_m = proj.half_height_m();
  pose.fov_y_deg = kPlanFovY_deg;
  // Eye at the distance where a perspective camera with fov_y_deg would see the
  // same height of floor: the interactive view switches between both without a jump.
  const double distance_m =
      std::max(ceiling_m + 2.0, proj.half_height_m() / std::tan(0.5 * kPlanFovY_deg * std::numbers::pi / 180.0));
  pose.eye = {proj.centre.x, proj.centre.y, distance_m};
  pose.centre = {proj.centre.x, proj.centre.y, 0.0};
  pose.up = {0.0, 1.0, 0.0};
  // Everything drawn lies between the slab's underside (-0.3 m) and the ceiling.
  pose.near_m = distance_m - ceiling_m - 1.0;
  pose.far_m = distance_m + 1.0;
  return pose;
}

std::optional<DoorId> entrance_door(const Hall& hall, FloorId floor) {
  std::optional<DoorId> exit, any;
  for (std::uint32_t i = 0; i < hall.doors.size(); ++i) {
    const Door& d = hall.doors[i];
    if (d.floor != floor) continue;
    if (d.is_entrance()) return DoorId{i};
    if (!exit && d.is_safety_exit()) exit = DoorId{i};
    if (!any) any = DoorId{i};
  }
  return exit ? exit : any;
}

CameraPose entrance_camera(const Hall& hall, FloorId floor) {
  CameraPose pose;
  pose.fov_y_deg = kEntranceFovY_deg;
  pose.up = {0.0, 0.0, 1.0};
  const Polygon& boundary = hall.floor(floor).boundary;
  // Depth precision: the near plane as far out as the nearest thing seen
  // allows, the far plane just beyond the floor, so that zones 1 mm apart
  // still resolve across a large hall.
  const Bounds2 fb = floor_bounds(hall, floor);
  pose.near_m = 0.2;
  pose.far_m = std::max(50.0, 3.0 * std::hypot(fb.width_m(), fb.height_m()));
  const std::optional<DoorId> door = entrance_door(hall, floor);
  if (!door) {
    const Bounds2& b = fb;
    pose.eye = {b.min.x, b.min.y - 0.3 * b.height_m(), 0.6 * std::max(b.width_m(), b.height_m())};
    pose.centre = {b.centre().x, b.centre().y, 0.0};
    return pose;
  }
  const Segment s = hall.doors[door->value].opening;
  const Vec2 mid = s.midpoint();
  const Vec2 along = s.b - s.a;
  const double len = std::max(norm(along), 1e-9);
  Vec2 inward{-along.y / len, along.x / len};
  // The door lies on the boundary or in a wall: "inside" is the side whose
  // nearby point is in the floor and farther from the boundary (deeper in).
  const Vec2 probe_a = mid + 1.0 * inward, probe_b = mid - 1.0 * inward;
  const bool a_in = geom::contains(boundary, probe_a), b_in = geom::contains(boundary, probe_b);
  if ((b_in && !a_in) ||
      (a_in && b_in && geom::distance_to_boundary(boundary, probe_b) > geom::distance_to_boundary(boundary, probe_a)))
    inward = -1.0 * inward;
  const Vec2 eye = mid + kStepInside_m * inward;
  // The orbit centre lies halfway across the hall in the viewing direction, so
  // orbiting from the entrance view turns around the hall's middle.
  const double depth_m = ray_to_outline_m(boundary, eye, inward, 10.0);
  const double look_m = std::max(3.0, 0.5 * depth_m);
  const Vec2 look = eye + look_m * inward;
  pose.eye = {eye.x, eye.y, kEyeHeight_m};
  pose.centre = {look.x, look.y, kEyeHeight_m - look_m * std::tan(kPitchDown_deg * std::numbers::pi / 180.0)};
  return pose;
}

}  // namespace halltwin::render
