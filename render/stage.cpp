#include "render/stage.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <osg/Geode>

#include <cmath>

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
  s->font_ = load_label_font(font_choice);
  s->scene_ = build_hall_scene(hall, plan.mode, plan.floor, s->font_.get(), font_choice);
  if (overlays && !options.overlays.empty())
    for (FloorId f : s->scene_.shown) show_overlays(s->scene_.floors[f.value], *overlays, f, options.overlays, s->font_.get());
  osg::ref_ptr<osg::Group> world = new osg::Group;
  world->addChild(s->scene_.root);
  if (plan.playback) {
    s->playback_ = plan.playback;
    s->people_ = std::make_unique<PlaybackScene>(hall, *plan.playback, s->scene_, s->font_.get(), figure_radius_m(hall));
    s->people_->show_density(options.density);
    world->addChild(s->people_->node());
    if (s->font_) world->addChild(s->clock_hud(options.width, options.height));
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

// A picture or a video of a trace says when it shows: the date and time in
// the top-left corner, over the background margin the plan leaves there.
osg::ref_ptr<osg::Camera> Stage::clock_hud(int width, int height) {
  osg::ref_ptr<osg::Camera> hud = new osg::Camera;
  hud->setReferenceFrame(osg::Transform::ABSOLUTE_RF);
  hud->setProjectionMatrixAsOrtho2D(0, width, 0, height);
  hud->setViewMatrix(osg::Matrix::identity());
  hud->setClearMask(GL_DEPTH_BUFFER_BIT);
  hud->setRenderOrder(osg::Camera::POST_RENDER);
  hud->setAllowEventFocus(false);
  hud->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
  clock_ = new osgText::Text;
  clock_->setFont(font_.get());
  clock_->setCharacterSize(16.0f);
  clock_->setFontResolution(32, 32);
  clock_->setAlignment(osgText::Text::LEFT_TOP);
  clock_->setPosition(osg::Vec3(6.0f, static_cast<float>(height) - 4.0f, 0.0f));
  clock_->setColor(osg::Vec4(1.0f, 1.0f, 1.0f, 1.0f));
  clock_->setDataVariance(osg::Object::DYNAMIC);
  clock_->setEnableDepthWrites(false);  // a HUD: nothing is drawn after it that could be hidden
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->addDrawable(clock_);
  hud->addChild(geode);
  return hud;
}

void Stage::draw(double t_s) {
  if (clock_) {
    const int day = static_cast<int>(std::floor(t_s / kSecondsPerDay));
    const std::string date = date_of_day(playback_->header().start_date, day);
    const std::string time = format_view_time(t_s - kSecondsPerDay * day);
    clock_->setText(date.empty() ? (day > 0 ? "day " + std::to_string(day) + " " : "") + time : date + " " + time,
                    osgText::String::ENCODING_UTF8);
  }
  if (people_) people_->update(t_s);
  viewer_->frame();
}

}  // namespace halltwin::render
