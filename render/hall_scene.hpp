#pragma once
// The scene of a whole hall: the floors shown (one, or all stacked or
// exploded at their storey heights) and the stairs between them. Each floor
// is a FloorScene (render/scene.hpp) under a translation to its elevation.
// Only render/*.cpp include this header (it pulls in OSG).
#include <vector>

#include <osg/Group>
#include <osg/MatrixTransform>
#include <osg/ref_ptr>

#include "render/scene.hpp"
#include "render/view_geometry.hpp"

namespace halltwin::render {

struct HallScene {
  osg::ref_ptr<osg::Group> root;
  FloorMode mode = FloorMode::one;
  std::vector<FloorScene> floors;        // index = FloorId; root null when the floor is not shown
  std::vector<double> elevation_m;       // index = FloorId: height of the walking surface in the scene
  std::vector<FloorId> shown;            // the floors drawn, lowest storey first
  osg::ref_ptr<osg::Switch> stairs;      // flights between shown floors

  bool is_shown(FloorId f) const { return f.value < floors.size() && floors[f.value].root.valid(); }
  void set_visible(Layer layer, bool on);
  void set_plan_markers(bool on);
};

// `one` is the floor shown when mode is FloorMode::one.
HallScene build_hall_scene(const Hall& hall, FloorMode mode, FloorId one, osgText::Font* font,
                           const FontChoice& font_choice);

// Colour of the stair flights.
Rgb stair_colour();

}  // namespace halltwin::render
