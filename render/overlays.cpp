#include "render/overlays.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

#include "render/viewer.hpp"

namespace halltwin::render {

namespace {

constexpr std::array<Overlay, kOverlayCount> kAll = {Overlay::exit_distance, Overlay::extinguisher_distance,
                                                     Overlay::findings};

// Green, yellow, red: the traffic-light reading planners expect ("fine",
// "getting far", "at the limit"). Saturated enough to stay apart from the
// zone tints they cover.
constexpr std::array<Rgb, 3> kStops = {Rgb{0, 160, 70}, Rgb{250, 210, 0}, Rgb{210, 20, 20}};

unsigned char lerp(unsigned char a, unsigned char b, double t) {
  return static_cast<unsigned char>(std::lround(a + (static_cast<double>(b) - a) * t));
}

std::string trim(std::string s) {
  const auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

}  // namespace

std::string_view overlay_name(Overlay overlay) {
  switch (overlay) {
    case Overlay::exit_distance: return "exit-distance";
    case Overlay::extinguisher_distance: return "extinguisher-distance";
    case Overlay::findings: return "findings";
  }
  return "?";
}

std::string overlay_names_list() {
  std::string s;
  for (Overlay o : kAll) s += (s.empty() ? "" : ", ") + std::string(overlay_name(o));
  return s;
}

bool is_heatmap(Overlay overlay) {
  return overlay == Overlay::exit_distance || overlay == Overlay::extinguisher_distance;
}

std::optional<std::string> parse_overlays(const std::vector<std::string>& values, std::vector<Overlay>& out) {
  out.clear();
  for (const std::string& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      const std::string item = trim(value.substr(start, comma - start));
      start = comma + 1;
      if (item.empty()) continue;  // "a,,b" and a trailing comma are harmless
      const auto it = std::find_if(kAll.begin(), kAll.end(), [&](Overlay o) { return overlay_name(o) == item; });
      if (it == kAll.end())
        return "--overlay: '" + item + "' is not an overlay; expected one of: " + overlay_names_list();
      if (std::find(out.begin(), out.end(), *it) == out.end()) out.push_back(*it);
    }
  }
  if (std::count_if(out.begin(), out.end(), is_heatmap) > 1)
    return "--overlay: " + std::string(overlay_name(Overlay::exit_distance)) + " and " +
           std::string(overlay_name(Overlay::extinguisher_distance)) +
           " both colour the floor; choose one (findings can go with either)";
  return std::nullopt;
}

Rgb ramp_stop_colour(int stop) { return kStops[static_cast<std::size_t>(std::clamp(stop, 0, 2))]; }
Rgb beyond_limit_colour() { return {230, 0, 230}; }  // magenta: outside the ramp, so a failing area is unmistakable
Rgb unreachable_colour() { return {60, 60, 60}; }    // dark grey, darker than the walls (88, 90, 98)
Rgb finding_fail_colour() { return {235, 0, 0}; }
Rgb finding_warn_colour() { return {255, 140, 0}; }

Rgb ramp_colour(double distance_m, double limit_m) {
  if (!std::isfinite(distance_m)) return unreachable_colour();
  // The same tolerance as the checker's pass_if(d <= limit + 1e-9).
  if (distance_m > limit_m + 1e-9) return beyond_limit_colour();
  const double t = limit_m > 0.0 ? std::clamp(distance_m / limit_m, 0.0, 1.0) : 1.0;
  const double u = t < 0.5 ? 2.0 * t : 2.0 * t - 1.0;
  const Rgb a = kStops[t < 0.5 ? 0 : 1], b = kStops[t < 0.5 ? 1 : 2];
  return {lerp(a.r, b.r, u), lerp(a.g, b.g, u), lerp(a.b, b.b, u)};
}

}  // namespace halltwin::render
