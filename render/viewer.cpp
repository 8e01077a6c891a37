// run_view(): picks the floor, reads the trace, and the mode. The graphics
// live in screenshot.cpp, record.cpp and interactive.cpp.
#include "render/viewer.hpp"

#include <cmath>
#include <iostream>
#include <memory>

#include "model/input_error.hpp"
#include "render/modes.hpp"
#include "render/overlay_data.hpp"
#include "render/view_geometry.hpp"

namespace halltwin::render {

namespace {

// Warnings about ids the scenario lacks: the first few, then a count (a real
// log may name hundreds of unknown tickets' windows).
constexpr std::size_t kWarningsShown = 20;

InputProblem time_problem(const Playback& pb, const std::string& flag, double t) {
  return InputProblem{pb.file(), 0, 0, flag,
                      format_view_time(t) + " is outside the trace, which runs from " + format_view_time(pb.start_s()) +
                          " to " + format_view_time(pb.end_s()) + " (times are on the trace's first day, " +
                          (pb.header().start_date.empty() ? std::string("date unknown") : pb.header().start_date) +
                          ")"};
}

}  // namespace

int run_view(const Hall& hall, const ViewOptions& options) {
  if (options.width <= 0 || options.height <= 0) {
    std::cerr << "halltwin view: image size " << options.width << "x" << options.height << " is not positive\n";
    return 1;
  }
  if (options.camera != "top" && options.camera != "entrance" && options.camera != "iso") {
    std::cerr << "halltwin view: unknown camera '" << options.camera << "' (top, entrance or iso)\n";
    return 1;
  }
  ViewPlan plan;
  const bool all = options.floor == "all";
  plan.mode = all ? FloorMode::exploded : FloorMode::one;
  const std::optional<FloorId> floor = choose_floor(hall, all ? std::string() : options.floor);
  if (!floor) {
    std::cerr << "halltwin view: " << (hall.floors.empty() ? "the hall has no floors" : "no floor '" + options.floor + "'")
              << "\n";
    return 1;
  }
  plan.floor = *floor;
  if (!options.overlays.empty() && options.rulebook.empty()) {
    std::cerr << "halltwin view: overlays need a rulebook to measure against\n";
    return 1;
  }

  // The trace is read and checked before any window opens: a bad one is an
  // input error (exit 2), never a half-drawn view.
  std::unique_ptr<Playback> playback;
  if (!options.trace.empty()) {
    std::vector<std::string> warnings;
    playback = std::make_unique<Playback>(Playback::load(hall, options.trace, warnings));
    for (std::size_t i = 0; i < warnings.size() && i < kWarningsShown; ++i) std::cerr << warnings[i] << "\n";
    if (warnings.size() > kWarningsShown)
      std::cerr << options.trace << ": warning: ... and " << warnings.size() - kWarningsShown
                << " more ids the scenario does not have\n";
    plan.playback = playback.get();
    plan.t_s = playback->start_s();
    // A little slack past the last record: a frame at the very end is fine.
    const auto inside = [&](double t) { return t >= playback->start_s() - 1e-6 && t <= playback->end_s() + 1e-6; };
    if (options.at_s) {
      if (!inside(*options.at_s)) throw InputError(time_problem(*playback, "--at", *options.at_s));
      plan.t_s = *options.at_s;
    }
    if (!options.record.empty()) {
      if (!inside(options.from_s)) throw InputError(time_problem(*playback, "--from", options.from_s));
      if (!inside(options.to_s)) throw InputError(time_problem(*playback, "--to", options.to_s));
      plan.t_s = options.from_s;
    }
  } else if (options.density) {
    throw InputError(InputProblem{"(command line)", 0, 0, "--density", "the people-density heatmap needs a trace (--trace FILE)"});
  } else if (options.at_s) {
    throw InputError(InputProblem{"(command line)", 0, 0, "--at", "a time needs a trace to show (--trace FILE)"});
  }
  if (!options.record.empty() && !(options.to_s > options.from_s))
    throw InputError(InputProblem{"(command line)", 0, 0, "--to",
                                  "--to must be later than --from (" + format_view_time(options.from_s) + ")"});

  // The rulebook is read before any window opens; the check itself runs when
  // an overlay first needs it. Asked-for overlays make a bad rulebook an input
  // error (exit 2). Without them a screenshot needs no rulebook, and the
  // interactive view only loses its overlay toggles: the view of a hall must
  // not depend on a rulebook it does not use.
  const bool headless = !options.screenshot.empty() || !options.record.empty();
  std::unique_ptr<OverlayData> overlays;
  if (!options.overlays.empty()) {
    overlays = std::make_unique<OverlayData>(hall, options.rulebook);
  } else if (!headless && !options.rulebook.empty()) {
    try {
      overlays = std::make_unique<OverlayData>(hall, options.rulebook);
    } catch (const InputError& e) {
      std::cerr << "halltwin view: overlays off, the rulebook cannot be used:\n" << e.what() << "\n";
    }
  }
  if (!options.record.empty()) return record_video(hall, plan, options, overlays.get());
  return options.screenshot.empty() ? run_interactive(hall, plan, options, overlays.get())
                                    : render_screenshot(hall, plan, options, overlays.get());
}

}  // namespace halltwin::render
