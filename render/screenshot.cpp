// Headless screenshot: a hidden GLFW window, one OSG frame, the back buffer
// read before any swap, written to a PNG by way of a temporary file.
#include <osgText/Font>
#include <osgViewer/Viewer>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <iostream>

#include "render/camera_setup.hpp"
#include "render/frame_capture.hpp"
#include "render/glfw_window.hpp"
#include "render/modes.hpp"
#include "render/overlay_scene.hpp"
#include "render/scene.hpp"

namespace halltwin::render {

int render_screenshot(const Hall& hall, FloorId floor, const ViewOptions& options, OverlayData* overlays) {
  std::string error;
  auto window = GlfwWindow::open(options.width, options.height, "halltwin screenshot", false, 0, error);
  if (!window) {
    std::cerr << "halltwin view: " << error << "\n";
    return 2;
  }
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window->handle(), &fb_w, &fb_h);
  if (fb_w != options.width || fb_h != options.height) {
    std::cerr << "halltwin view: the window system gave a " << fb_w << "x" << fb_h << " framebuffer instead of "
              << options.width << "x" << options.height << "\n";
    return 2;
  }

  osg::ref_ptr<osgViewer::Viewer> viewer = new osgViewer::Viewer;
  viewer->setThreadingModel(osgViewer::ViewerBase::SingleThreaded);  // the GLFW context lives in this thread
  viewer->setUpViewerAsEmbeddedInWindow(0, 0, options.width, options.height);
  viewer->setKeyEventSetsDone(0);

  const FontChoice font_choice = find_font();
  osg::ref_ptr<osgText::Font> font = font_choice.path.empty() ? nullptr : osgText::readRefFontFile(font_choice.path);
  FloorScene scene = build_floor_scene(hall, floor, font.get(), font_choice);
  if (overlays && !options.overlays.empty()) show_overlays(scene, *overlays, floor, options.overlays, font.get());
  viewer->setSceneData(scene.root);

  osg::Camera& camera = *viewer->getCamera();
  set_background(camera);
  const CameraPose pose = options.camera == "entrance" ? entrance_camera(hall, floor)
                                                       : top_camera(hall, floor, options.width, options.height);
  scene.set_plan_markers(pose.orthographic);
  apply_pose(camera, pose, static_cast<double>(options.width) / options.height);

  viewer->frame();

  // Before any swap: the back buffer holds the frame.
  const osg::ref_ptr<osg::Image> image = read_back_buffer(options.width, options.height);
  if (!image) {
    std::cerr << "halltwin view: reading the rendered frame back failed\n";
    return 2;
  }
  if (!write_png_atomically(*image, options.screenshot, error)) {
    std::cerr << "halltwin view: " << error << "\n";
    return 1;
  }
  return 0;
}

}  // namespace halltwin::render
