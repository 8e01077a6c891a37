// run_view(): picks the floor and the mode. The graphics live in
// screenshot.cpp and interactive.cpp.
#include "render/viewer.hpp"

#include <iostream>
#include <memory>

#include "model/input_error.hpp"
#include "render/modes.hpp"
#include "render/overlay_data.hpp"
#include "render/view_geometry.hpp"

namespace halltwin::render {

int run_view(const Hall& hall, const ViewOptions& options) {
  if (options.width <= 0 || options.height <= 0) {
    std::cerr << "halltwin view: image size " << options.width << "x" << options.height << " is not positive\n";
    return 1;
  }
  if (options.camera != "top" && options.camera != "entrance") {
    std::cerr << "halltwin view: unknown camera '" << options.camera << "' (top or entrance)\n";
    return 1;
  }
  const std::optional<FloorId> floor = choose_floor(hall, options.floor);
  if (!floor) {
    std::cerr << "halltwin view: " << (hall.floors.empty() ? "the hall has no floors" : "no floor '" + options.floor + "'")
              << "\n";
    return 1;
  }
  if (!options.overlays.empty() && options.rulebook.empty()) {
    std::cerr << "halltwin view: overlays need a rulebook to measure against\n";
    return 1;
  }
  // The rulebook is read before any window opens; the check itself runs when
  // an overlay first needs it. Asked-for overlays make a bad rulebook an input
  // error (exit 2). Without them a screenshot needs no rulebook, and the
  // interactive view only loses its overlay toggles: the view of a hall must
  // not depend on a rulebook it does not use.
  std::unique_ptr<OverlayData> overlays;
  if (!options.overlays.empty()) {
    overlays = std::make_unique<OverlayData>(hall, options.rulebook);
  } else if (options.screenshot.empty() && !options.rulebook.empty()) {
    try {
      overlays = std::make_unique<OverlayData>(hall, options.rulebook);
    } catch (const InputError& e) {
      std::cerr << "halltwin view: overlays off, the rulebook cannot be used:\n" << e.what() << "\n";
    }
  }
  return options.screenshot.empty() ? run_interactive(hall, *floor, options, overlays.get())
                                    : render_screenshot(hall, *floor, options, overlays.get());
}

}  // namespace halltwin::render
