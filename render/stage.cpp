#include "render/stage.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "render/camera_setup.hpp"
#include "render/overlay_scene.hpp"

namespace halltwin::render {

std::unique_ptr<Stage> Stage::open(const Hall& hall, const ViewPlan& plan, const ViewOptions& options,
                                   OverlayData* overlays, std::string& error) {
  std::unique_ptr<Stage> s(new Stage);
  s->width_ = options.width;
  s->height_ = options.height;
  s->window_ = GlfwWindow::open(options.width, options.height, "halltwin", false, 0, error);
  if (!s->window_) return nullptr;
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(s->window_->handle(), &fb_w, &fb_h);
  if (fb_w != options.width || fb_h != options.height) {
    error = "the window system gave a " + std::to_string(fb_w) + "x" + std::to_string(fb_h) +
            " framebuffer instead of " + std::to_string(options.width) + "x" + std::to_string(options.height);
    return nullptr;
  }
  s->viewer_ = new osgViewer::Viewer;
  s->viewer_->setThreadingModel(osgViewer::ViewerBase::SingleThreaded);  // the GLFW context lives in this thread
  s->viewer_->setUpViewerAsEmbeddedInWindow(0, 0, options.width, options.height);
  s->viewer_->setKeyEventSetsDone(0);

  const FontChoice font_choice = find_font();
  if (!font_choice.path.empty()) s->font_ = osgText::readRefFontFile(font_choice.path);
  s->scene_ = build_hall_scene(hall, plan.mode, plan.floor, s->font_.get(), font_choice);
  if (overlays && !options.overlays.empty())
    for (FloorId f : s->scene_.shown) show_overlays(s->scene_.floors[f.value], *overlays, f, options.overlays, s->font_.get());
  osg::ref_ptr<osg::Group> world = new osg::Group;
  world->addChild(s->scene_.root);
  if (plan.playback) {
    s->people_ = std::make_unique<PlaybackScene>(hall, *plan.playback, s->scene_, s->font_.get(), figure_radius_m(hall));
    world->addChild(s->people_->node());
  }
  s->viewer_->setSceneData(world);

  osg::Camera& camera = *s->viewer_->getCamera();
  set_background(camera);
  const CameraPose pose =
      preset_camera(hall, options.camera, plan.floor, s->scene_.shown, s->scene_.elevation_m, options.width, options.height);
  s->scene_.set_plan_markers(pose.orthographic);
  apply_pose(camera, pose, static_cast<double>(options.width) / options.height);
  return s;
}

void Stage::draw(double t_s) {
  if (people_) people_->update(t_s);
  viewer_->frame();
}

}  // namespace halltwin::render
