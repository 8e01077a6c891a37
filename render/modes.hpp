#pragma once
// The ways run_view() shows a hall. Internal to halltwin_render.
#include "model/trace/playback.hpp"
#include "render/view_geometry.hpp"
#include "render/viewer.hpp"

namespace halltwin::render {
class OverlayData;
}

namespace halltwin::render {

// What run_view() resolved from the options: the floor(s) and the trace.
struct ViewPlan {
  FloorId floor;                       // the floor shown (FloorMode::one) or the one the camera frames first
  FloorMode mode = FloorMode::one;
  const Playback* playback = nullptr;  // null without --trace
  double t_s = 0.0;                    // the moment shown first
};

// Renders one frame into options.screenshot (PNG). 0 ok, 1 when the file
// cannot be written, 2 without display or OpenGL context.
// `overlays` is null when no rulebook was given (then options.overlays is empty).
int render_screenshot(const Hall& hall, const ViewPlan& plan, const ViewOptions& options, OverlayData* overlays);

// Renders options.from_s..to_s into options.record through ffmpeg. 0 ok, 1
// when ffmpeg is missing or fails (the output is then not created), 2 without
// display or OpenGL context.
int record_video(const Hall& hall, const ViewPlan& plan, const ViewOptions& options, OverlayData* overlays);

// The interactive window; returns when it is closed (Esc or the close button).
// `overlays` null: the panel's overlay toggles are disabled.
int run_interactive(const Hall& hall, const ViewPlan& plan, const ViewOptions& options, OverlayData* overlays);

}  // namespace halltwin::render
