#pragma once
// The 3D view of a hall (OpenSceneGraph + Dear ImGui + GLFW). This header is
// deliberately free of graphics includes: tools/ includes it, and only the
// halltwin_render library links OpenSceneGraph, ImGui and GLFW.
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "render/overlays.hpp"

namespace halltwin::render {

struct ViewOptions {
  std::string screenshot;   // when set: render one frame to this PNG and exit (headless, under Xvfb)
  int width = 1280;         // pixels
  int height = 720;         // pixels
  std::string camera = "top";  // "top" (plan view), "entrance" or "iso" (bird's eye from the south-west)
  std::string floor;        // floor id to show; empty = the lowest floor; "all" = every floor, exploded

  // A trace to play (docs/trace-format.md): people coloured by state. Empty = none.
  std::string trace;
  // The moment shown by a screenshot (and where the interactive view starts),
  // seconds since 00:00 of the trace's first day; none = the trace's start.
  std::optional<double> at_s;
  // Draw the people-density heatmap (persons/m2 on 1 m cells) from the start.
  bool density = false;

  // --record: a video of [from_s, to_s) at `fps` frames a second, `speed`
  // simulated seconds per video second: (to - from) * fps / speed frames,
  // encoded by ffmpeg (found on PATH, or HALLTWIN_FFMPEG) into `record`.
  std::string record;
  double from_s = 0.0, to_s = 0.0;
  double fps = 25.0;
  double speed = 60.0;

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
  // Interactive mode with a trace: start playing at once (scripted runs).
  bool autoplay = false;
  double play_speed = 60.0;  // simulated seconds per wall-clock second at start
};

// Opens the interactive viewer, renders a screenshot, or records a video.
// Returns the process exit code (0 ok, 1 for bad options or an output that
// cannot be written, 2 when no display or OpenGL context could be created).
// Throws InputError, before any window opens, for a bad rulebook when
// overlays are asked for, and for a damaged trace, a trace of another hall or
// a time outside the trace; ids the scenario lacks are warnings on stderr.
int run_view(const Hall& hall, const ViewOptions& options);

// The RGB colour (0-255) a zone type is drawn with in the top-down view, so
// tests can look for it at the zone's centroid.
struct Rgb {
  unsigned char r, g, b;
};
Rgb zone_colour(ZoneType type);

}  // namespace halltwin::render
