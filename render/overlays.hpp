#pragma once
// Overlays of the 3D view: what the checker measures, drawn on the floor
// (walking-distance heatmaps, markers at the findings). This header holds the
// names, the option parser and the colour ramp; it has no graphics or checker
// includes, so the CLI and OpenGL-free tests can use it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace halltwin::render {

struct Rgb;

enum class Overlay {
  exit_distance,          // walking distance to the nearest safety exit
  extinguisher_distance,  // walking distance to the nearest handheld extinguisher
  findings,               // markers at the locations of failing and warning findings
};
inline constexpr unsigned kOverlayCount = 3;

// The name on the command line: "exit-distance", "extinguisher-distance", "findings".
std::string_view overlay_name(Overlay overlay);
// "exit-distance, extinguisher-distance, findings", for messages and help.
std::string overlay_names_list();

// Parses the values of repeated `--overlay` flags, each a name or a comma
// list. Duplicates collapse. Returns an error message (naming the flag and the
// allowed names) for an unknown name, or when both distance heatmaps are asked
// for: they colour the same floor, so only one can be seen at a time.
std::optional<std::string> parse_overlays(const std::vector<std::string>& values, std::vector<Overlay>& out);

bool is_heatmap(Overlay overlay);

// The heatmap colours. A walking distance d and the rule's limit (the
// checker's `required` value for that rule) map to:
//   0 m -> green, limit/2 -> yellow, limit -> red (linear in RGB between the stops),
//   d > limit -> magenta (the rule fails there),
//   no path to any target (d infinite) -> dark grey.
Rgb ramp_colour(double distance_m, double limit_m);
Rgb ramp_stop_colour(int stop);  // 0 green, 1 yellow, 2 red: the stops at 0, limit/2, limit
Rgb beyond_limit_colour();
Rgb unreachable_colour();

// Finding markers: a ring with a filled centre on the floor, red for `fail`,
// orange for `warn`, edged in white so they stand out on any heatmap colour.
Rgb finding_fail_colour();
Rgb finding_warn_colour();

// Limits used when the rulebook has no such rule (its `required` is unknown):
// GB 50016-2014 5.5.17 item 4 (30 m, unsprinklered) and GB 50140 table 5.2.1
// (20 m, medium hazard, class A).
inline constexpr double kDefaultExitLimit_m = 30.0;
inline constexpr double kDefaultExtinguisherLimit_m = 20.0;

}  // namespace halltwin::render
