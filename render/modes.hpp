#pragma once
// The two ways run_view() shows a floor. Internal to halltwin_render.
#include "render/viewer.hpp"

namespace halltwin::render {
class OverlayData;
}

namespace halltwin::render {

// Renders one frame of `floor` into options.screenshot (PNG). 0 ok, 1 when the
// file cannot be written, 2 without display or OpenGL context.
// `overlays` is null when no rulebook was given (then options.overlays is empty).
int render_screenshot(const Hall& hall, FloorId floor, const ViewOptions& options, OverlayData* overlays);

// The interactive window; returns when it is closed (Esc or the close button).
// `overlays` null: the panel's overlay toggles are disabled.
int run_interactive(const Hall& hall, FloorId floor, const ViewOptions& options, OverlayData* overlays);

}  // namespace halltwin::render
