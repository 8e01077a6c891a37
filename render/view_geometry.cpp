#include "render/view_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::render {

namespace {

constexpr double kIsoFovY_deg = 40.0;
constexpr double kIsoPitch_deg = 35.0;  // looking down: floors read as plans, walls still show

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

std::vector<double> floor_elevations(const Hall& hall, FloorMode mode) {
  std::vector<double> z(hall.floors.size(), 0.0);
  if (mode == FloorMode::one) return z;
  std::vector<std::uint32_t> order(hall.floors.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return hall.floors[a].storey < hall.floors[b].storey; });
  double level = 0.0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k > 0) {
      const Floor& below = hall.floors[order[k - 1]];
      // Floors of one storey (a mezzanine listed twice) share a level.
      if (hall.floors[order[k]].storey != below.storey)
        level += below.height_m * (mode == FloorMode::exploded ? 1.0 + kExplodedGapFactor : 1.0);
    }
    z[order[k]] = level;
  }
  return z;
}

Bounds2 hall_bounds(const Hall& hall) {
  Bounds2 b = floor_bounds(hall, FloorId{0});
  for (std::uint32_t i = 1; i < hall.floors.size(); ++i) {
    const Bounds2 f = floor_bounds(hall, FloorId{i});
    b.min = {std::min(b.min.x, f.min.x), std::min(b.min.y, f.min.y)};
    b.max = {std::max(b.max.x, f.max.x), std::max(b.max.y, f.max.y)};
  }
  return b;
}

CameraPose iso_camera(const Hall& hall, const std::vector<FloorId>& shown, const std::vector<double>& elevation_m,
                      int width_px, int height_px) {
  // The box around what is shown: floor outlines from the lowest slab to the
  // highest ceiling.
  Bounds2 b = floor_bounds(hall, shown.front());
  double z0 = 1e300, z1 = -1e300;
  for (FloorId f : shown) {
    const Bounds2 fb = floor_bounds(hall, f);
    b.min = {std::min(b.min.x, fb.min.x), std::min(b.min.y, fb.min.y)};
    b.max = {std::max(b.max.x, fb.max.x), std::max(b.max.y, fb.max.y)};
    z0 = std::min(z0, elevation_m[f.value] - 0.3);
    z1 = std::max(z1, elevation_m[f.value] + hall.floor(f).height_m);
  }
  CameraPose pose;
  pose.fov_y_deg = kIsoFovY_deg;
  pose.up = {0.0, 0.0, 1.0};
  const Vec3 centre{b.centre().x, b.centre().y, 0.5 * (z0 + z1)};
  const double aspect = static_cast<double>(std::max(width_px, 1)) / std::max(height_px, 1);
  const double tan_v = std::tan(0.5 * kIsoFovY_deg * std::numbers::pi / 180.0), tan_h = tan_v * aspect;
  const double pitch = kIsoPitch_deg * std::numbers::pi / 180.0, yaw = 225.0 * std::numbers::pi / 180.0;
  // Unit vectors of the camera: `back` from the centre towards the eye.
  const Vec3 back{std::cos(pitch) * std::cos(yaw), std::cos(pitch) * std::sin(yaw), std::sin(pitch)};
  const Vec3 right{-std::sin(yaw), std::cos(yaw), 0.0};
  const Vec3 up{-std::sin(pitch) * std::cos(yaw), -std::sin(pitch) * std::sin(yaw), std::cos(pitch)};
  const auto dot3 = [](Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; };
  // The distance at which every corner of the box is inside the frustum, with a 4% margin.
  double dist = 1.0, radius = 0.0;
  for (int k = 0; k < 8; ++k) {
    const Vec3 c{(k & 1 ? b.max.x : b.min.x) - centre.x, (k & 2 ? b.max.y : b.min.y) - centre.y,
                 (k & 4 ? z1 : z0) - centre.z};
    const double toward = dot3(c, back);
    dist = std::max({dist, toward + 1.04 * std::abs(dot3(c, right)) / tan_h,
                     toward + 1.04 * std::abs(dot3(c, up)) / tan_v});
    radius = std::max(radius, std::sqrt(dot3(c, c)));
  }
  pose.eye = {centre.x + dist * back.x, centre.y + dist * back.y, centre.z + dist * back.z};
  pose.centre = centre;
  pose.near_m = std::max(0.1, dist - 1.5 * radius);
  pose.far_m = dist + 1.5 * radius;
  return pose;
}

CameraPose preset_camera(const Hall& hall, const std::string& camera, FloorId floor, const std::vector<FloorId>& shown,
                         const std::vector<double>& elevation_m, int width_px, int height_px) {
  if (camera == "iso") return iso_camera(hall, shown, elevation_m, width_px, height_px);
  FloorId f = floor;
  if (camera == "top" && shown.size() > 1) f = shown.back();  // from above, the highest floor is what is seen
  CameraPose pose = camera == "entrance" ? entrance_camera(hall, f) : top_camera(hall, f, width_px, height_px);
  const double z = elevation_m.at(f.value);
  pose.eye.z += z;
  pose.centre.z += z;
  return pose;
}

double figure_radius_m(const Hall& hall) {
  const Bounds2 b = hall_bounds(hall);
  return std::clamp(std::max(b.width_m(), b.height_m()) / 300.0, 0.22, 0.6);
}

}  // namespace halltwin::render
