#include "render/hall_scene.hpp"

#include <algorithm>
#include <cmath>

#include "render/mesh_builder.hpp"
#include "render/palette.hpp"

namespace halltwin::render {

namespace {

// Drawn steps: one per 0.3 m of rise in the scene (an exploded view has fewer,
// taller ones than the real 0.15 m risers, which would blur into a ramp).
constexpr double kDrawnRiser_m = 0.3;
constexpr double kTreadToRise = 1.6;  // horizontal run per metre of rise when the doors are stacked

Vec2 midpoint(const Door& d) { return 0.5 * (d.opening.a + d.opening.b); }

osg::ref_ptr<osg::Node> build_stairs(const Hall& hall, const std::vector<double>& z, const HallScene& scene) {
  MeshBuilder m;
  for (const Stair& s : hall.stairs) {
    if (!scene.is_shown(s.from_floor) || !scene.is_shown(s.to_floor)) continue;
    if (!s.from_door.valid() || !s.to_door.valid()) continue;
    const Door& da = hall.doors[s.from_door.value];
    const Door& db = hall.doors[s.to_door.value];
    double z0 = z[s.from_floor.value], z1 = z[s.to_floor.value];
    Vec2 a = midpoint(da), b = midpoint(db);
    if (z1 < z0) {
      std::swap(z0, z1);
      std::swap(a, b);
    }
    const double rise = z1 - z0;
    if (rise <= 0.0) continue;
    // Doors one above the other (a stairwell): the flight runs along the
    // door's opening so it does not collapse into a post.
    if (distance(a, b) < 1.0) {
      const Vec2 along = da.opening.b - da.opening.a;
      const double len = std::max(norm(along), 1e-9);
      b = a + (kTreadToRise * rise / len) * along;
    }
    const int steps = std::clamp(static_cast<int>(std::lround(rise / kDrawnRiser_m)), 3, 60);
    const double w = std::clamp(s.width_m, 0.6, 3.0);
    for (int i = 0; i < steps; ++i) {
      const double u = (i + 0.5) / steps;
      const Vec2 c = a + u * (b - a);
      const double top = z0 + rise * (i + 1) / steps;
      m.add_box(c, w, w, top - kDrawnRiser_m, top, i % 2 ? stair_colour() : shade(stair_colour(), 0.88));
    }
  }
  return m.build();
}

}  // namespace

Rgb stair_colour() { return {176, 132, 96}; }

void HallScene::set_visible(Layer layer, bool on) {
  for (FloorScene& f : floors)
    if (f.root.valid()) f.set_visible(layer, on);
}

void HallScene::set_plan_markers(bool on) {
  for (FloorScene& f : floors)
    if (f.root.valid()) f.set_plan_markers(on);
}

HallScene build_hall_scene(const Hall& hall, FloorMode mode, FloorId one, osgText::Font* font,
                           const FontChoice& font_choice) {
  HallScene scene;
  scene.mode = mode;
  scene.root = new osg::Group;
  scene.root->setName("hall");
  scene.elevation_m = floor_elevations(hall, mode);
  scene.floors.resize(hall.floors.size());
  for (std::uint32_t i = 0; i < hall.floors.size(); ++i)
    if (mode != FloorMode::one || i == one.value) scene.shown.push_back(FloorId{i});
  std::stable_sort(scene.shown.begin(), scene.shown.end(), [&](FloorId a, FloorId b) {
    return hall.floor(a).storey < hall.floor(b).storey;
  });
  for (FloorId f : scene.shown) {
    scene.floors[f.value] = build_floor_scene(hall, f, font, font_choice);
    osg::ref_ptr<osg::MatrixTransform> at = new osg::MatrixTransform;
    at->setMatrix(osg::Matrix::translate(0.0, 0.0, scene.elevation_m[f.value]));
    at->addChild(scene.floors[f.value].root);
    scene.root->addChild(at);
  }
  scene.stairs = new osg::Switch;
  scene.stairs->setName("stairs");
  if (scene.shown.size() > 1) {
    osg::ref_ptr<osg::Node> flights = build_stairs(hall, scene.elevation_m, scene);
    flights->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    scene.stairs->addChild(flights, true);
  }
  scene.root->addChild(scene.stairs);
  return scene;
}

}  // namespace halltwin::render
