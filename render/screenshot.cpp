// Headless screenshot: one frame on a hidden window, the back buffer read
// before any swap, written to a PNG by way of a temporary file.
#include <iostream>

#include "render/frame_capture.hpp"
#include "render/stage.hpp"

namespace halltwin::render {

int render_screenshot(const Hall& hall, const ViewPlan& plan, const ViewOptions& options, OverlayData* overlays) {
  std::string error;
  const std::unique_ptr<Stage> stage = Stage::open(hall, plan, options, overlays, error);
  if (!stage) {
    std::cerr << "halltwin view: " << error << "\n";
    return 2;
  }
  stage->draw(plan.t_s);
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
