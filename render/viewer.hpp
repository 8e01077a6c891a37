#pragma once
// The 3D view of a hall (OpenSceneGraph + Dear ImGui + GLFW). This header is
// deliberately free of graphics includes: tools/ includes it, and only the
// halltwin_render library links OpenSceneGraph, ImGui and GLFW.
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "render/overlays.hpp"

namespace halltwin::render {

struct ViewOptions {
  std::string screenshot;   // when set: render one frame to this PNG and exit (headless, under Xvfb)
  int width = 1280;         // pixels
  int height = 720;         // pixels
  std::string camera = "top";  // "top" (plan view) or "entrance"
  std::string floor;        // floor id to show; empty = the lowest floor

  // Overlays drawn from the start (render/overlays.hpp; parse_overlays()
  // validates the command line), and the rulebook the checker measures them
  // against. Empty rulebook: no overlays (the interactive panel disables them;
  // a rulebook that cannot be loaded does the same, with a warning, unless
  // overlays were asked for).
  std::vector<Overlay> overlays;
  std::string rulebook;

  // Interactive mode only, for smoke tests under Xvfb: close after this many
  // frames (0 = run until the user quits), and write the last frame, ImGui
  // panel included, to this PNG (empty = none).
  int max_frames = 0;
  std::string capture_last_frame;
};

// Opens the interactive viewer, or renders a screenshot. Returns the process
// exit code (0 ok, 1 for bad options, 2 when no display or OpenGL context
// could be created). Throws InputError for a bad rulebook when overlays are
// asked for, before any window opens.
int run_view(const Hall& hall, const ViewOptions& options);

// The RGB colour (0-255) a zone type is drawn with in the top-down view, so
// tests can look for it at the zone's centroid.
struct Rgb {
  unsigned char r, g, b;
};
Rgb zone_colour(ZoneType type);

}  // namespace halltwin::render
