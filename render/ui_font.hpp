#pragma once
// The panels' (Dear ImGui) font: the common simplified Chinese characters plus
// every character of the hall and trace shown, so a rarer character in a name
// (e.g. 䶮 in a place name) is drawn instead of '?'. Only render/*.cpp and the
// render tests include this header (it pulls in ImGui).
#include <imgui.h>

#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin::render {

// The texts of `hall` the panels may show: the hall's name, and the names and
// ids of its floors, zones, windows (and labels), matters, doors and the other
// entities; with a trace, its header's fields and `extra` (the trace's file,
// its KPI groups and exits).
std::vector<std::string> ui_texts(const Hall& hall, const TraceHeader* header = nullptr,
                                  const std::vector<std::string>& extra = {});

// Glyph ranges (ImGui's zero-terminated pairs) for ImGui's common simplified
// Chinese set plus every character of `texts`. Characters beyond U+FFFF are
// left out: Debian's ImGui is built with 16-bit ImWchar.
ImVector<ImWchar> ui_glyph_ranges(const std::vector<std::string>& texts);

// Replaces the atlas's fonts by the file at `path`, `size_px` tall, with
// `ranges` (which must outlive the atlas's next build: ImGui keeps the
// pointer), and builds the atlas. False when the file cannot be read (the
// atlas then holds ImGui's default font). The caller re-uploads the texture.
bool load_ui_font(ImFontAtlas& atlas, const std::string& path, float size_px, const ImVector<ImWchar>& ranges);

// The same for the current ImGui context once its OpenGL3 backend has drawn a
// frame (it owns the font texture by then): replaces the fonts and uploads the
// new atlas as the backend's texture. ImGui allows this between frames only.
bool reload_ui_font(const std::string& path, float size_px, const ImVector<ImWchar>& ranges);

}  // namespace halltwin::render
