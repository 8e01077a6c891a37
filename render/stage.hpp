#pragma once
// What the headless modes (screenshot, record) share: a hidden GLFW window,
// an OSG viewer embedded in it, the hall scene with its overlays and people,
// and the camera preset. Only render/*.cpp include this header.
#include <memory>
#include <string>

#include <osgText/Font>
#include <osgText/Text>
#include <osgViewer/Viewer>

#include "render/glfw_window.hpp"
#include "render/hall_scene.hpp"
#include "render/modes.hpp"
#include "render/playback_scene.hpp"

namespace halltwin::render {

class Stage {
 public:
  // nullptr and a message in `error` without a display or OpenGL context.
  static std::unique_ptr<Stage> open(const Hall& hall, const ViewPlan& plan, const ViewOptions& options,
                                     OverlayData* overlays, std::string& error);

  // Draws the frame at time `t_s` (people moved there). The back buffer
  // holds it until the next draw.
  void draw(double t_s);
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  Stage() = default;
  osg::ref_ptr<osg::Camera> clock_hud(int width, int height);
  std::unique_ptr<GlfwWindow> window_;
  osg::ref_ptr<osgViewer::Viewer> viewer_;
  osg::ref_ptr<osgText::Font> font_;
  HallScene scene_;
  std::unique_ptr<PlaybackScene> people_;
  const Playback* playback_ = nullptr;
  osg::ref_ptr<osgText::Text> clock_;  // the trace's date and time, top left (screenshots and videos of a trace)
  int width_ = 0, height_ = 0;
};

}  // namespace halltwin::render
