#pragma once
// The OpenSceneGraph scene of one floor of a hall, built from the hall model.
// Only render/*.cpp include this header (it pulls in OSG).
#include <array>
#include <string_view>

#include <osg/Group>
#include <osg/Switch>
#include <osg/ref_ptr>
#include <osgText/Font>
#include <osgText/Text>

#include "model/hall.hpp"
#include "render/fonts.hpp"
#include "render/palette.hpp"

namespace halltwin::render {

// The scene's layers, children of the root switch in this order.
enum class Layer : unsigned {
  floor,       // the slab: always shown
  zones,       // coloured zone polygons with outlines
  doors,       // floor strips: safety exits green, entrances blue, internal grey
  walls,       // interior walls and the exterior walls around the boundary, with door openings cut
  obstacles,   // counters, furniture, columns, kiosks
  windows,     // markers where the citizen is served
  seats,
  devices,     // ticket machines, kiosks, guide desk, screens
  facilities,  // extinguishers, exit signs, emergency lights, ...
  labels,      // zone names and window numbers (text, drawn over everything)
};
inline constexpr unsigned kLayerCount = 10;
std::string_view layer_name(Layer layer);

// Heights of the flat layers above the walking surface (z = 0), metres: small
// steps so that later layers win the depth test over earlier ones.
inline constexpr double kZoneZ_m = 0.02;
inline constexpr double kDoorZ_m = 0.05;
inline constexpr double kMarkerZ_m = 0.07;
// Heatmap overlays: above the zones (which they hide), below the door strips,
// so the exits stay visible on a distance map.
inline constexpr double kHeatmapZ_m = 0.035;

struct FloorScene {
  osg::ref_ptr<osg::Switch> root;  // one child per Layer, in enum order
  // Floor discs under the facilities: they keep 0.2 m objects findable in the
  // plan of a large hall, but would be odd blots in a perspective view.
  osg::ref_ptr<osg::Switch> plan_markers;
  // The overlays shown (render/overlay_scene.hpp); the last child of `root`,
  // empty until overlays are asked for.
  osg::ref_ptr<osg::Group> overlays;

  void set_visible(Layer layer, bool on);
  bool visible(Layer layer) const;
  void set_plan_markers(bool on);
};

// A text label in the scene's style: `size_m` tall in the plan but capped on
// screen, always facing the camera, in `colour`; with a white outline when
// `outline` (labels over busy heatmaps and counters). The outline is drawn
// as eight offset copies: a software renderer (llvmpipe) spends most of a
// frame on them when every zone and window has one, so the zone and window
// labels, dark on the light zone colours, go without. A label is not drawn
// while its characters are under kLabelMin_px tall on screen or it lies
// behind the eye (a cull callback: far or zoomed-out views skip the specks).
inline constexpr float kLabelMin_px = 4.0f;
osg::ref_ptr<osgText::Text> make_label(osgText::Font* font, const std::string& text, osg::Vec3 position, double size_m,
                                       osgText::Text::AlignmentType align, Rgb colour = label_colour(),
                                       bool outline = false);

// The labels' font: `choice`'s file, or null when there is none (then no
// labels). Set up for labels that always face the camera (see scene.cpp).
osg::ref_ptr<osgText::Font> load_label_font(const FontChoice& choice);

// `font` may be null (then no labels); `font_choice` says whether it can draw Chinese.
FloorScene build_floor_scene(const Hall& hall, FloorId floor, osgText::Font* font, const FontChoice& font_choice);

}  // namespace halltwin::render
