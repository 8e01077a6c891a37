#include "render/ui_font.hpp"

#include <backends/imgui_impl_opengl3.h>

#include <cstdint>
#include <fstream>

namespace halltwin::render {

namespace {

// Decodes UTF-8, skipping malformed bytes (names were validated as UTF-8 by
// the loaders; a stray byte must not stop the rest from being added).
void add_utf8(ImFontGlyphRangesBuilder& builder, const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (c < 0x80) cp = c, len = 1;
    else if ((c & 0xE0) == 0xC0) cp = c & 0x1F, len = 2;
    else if ((c & 0xF0) == 0xE0) cp = c & 0x0F, len = 3;
    else if ((c & 0xF8) == 0xF0) cp = c & 0x07, len = 4;
    if (len == 0 || i + len > n) {
      ++i;
      continue;
    }
    bool ok = true;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (!ok) {
      ++i;
      continue;
    }
    i += len;
    if (cp >= 0x20 && cp <= IM_UNICODE_CODEPOINT_MAX) builder.AddChar(static_cast<ImWchar>(cp));
  }
}

}  // namespace

std::vector<std::string> ui_texts(const Hall& hall, const TraceHeader* header, const std::vector<std::string>& extra) {
  std::vector<std::string> t{hall.name};
  for (const Floor& f : hall.floors) t.insert(t.end(), {f.id, f.name});
  for (const Zone& z : hall.zones) t.insert(t.end(), {z.id, z.name});
  for (const Window& w : hall.windows) t.insert(t.end(), {w.id, w.label});
  for (const Matter& m : hall.matters) t.insert(t.end(), {m.id, m.name});
  for (const Door& d : hall.doors) t.push_back(d.id);
  for (const Obstacle& o : hall.obstacles) t.push_back(o.id);
  for (const Seat& s : hall.seats) t.push_back(s.id);
  for (const Device& d : hall.devices) t.push_back(d.id);
  for (const Facility& f : hall.facilities) t.push_back(f.id);
  for (const Stair& s : hall.stairs) t.push_back(s.id);
  if (header) t.insert(t.end(), {header->scenario, header->scenario_file, header->source, header->start_date});
  t.insert(t.end(), extra.begin(), extra.end());
  return t;
}

ImVector<ImWchar> ui_glyph_ranges(const std::vector<std::string>& texts) {
  ImFontGlyphRangesBuilder builder;
  // The common set stays: the panels' own texts, and names typed later
  // (a person id in the details) are mostly common characters.
  ImFontAtlas common;  // GetGlyphRangesChineseSimplifiedCommon() is a static table; any atlas returns it
  builder.AddRanges(common.GetGlyphRangesChineseSimplifiedCommon());
  for (const std::string& s : texts) add_utf8(builder, s);
  ImVector<ImWchar> ranges;
  builder.BuildRanges(&ranges);
  return ranges;
}

bool load_ui_font(ImFontAtlas& atlas, const std::string& path, float size_px, const ImVector<ImWchar>& ranges) {
  atlas.Clear();
  // Debian's ImGui keeps its asserts: a file it cannot open aborts the
  // process, so look first (HALLTWIN_FONT may name anything).
  ImFont* font = nullptr;
  if (std::ifstream probe(path, std::ios::binary); probe && probe.peek() != std::ifstream::traits_type::eof())
    font = atlas.AddFontFromFileTTF(path.c_str(), size_px, nullptr, ranges.Data);
  if (!font) atlas.AddFontDefault();
  atlas.Build();
  return font != nullptr;
}

bool reload_ui_font(const std::string& path, float size_px, const ImVector<ImWchar>& ranges) {
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  const bool ok = load_ui_font(*ImGui::GetIO().Fonts, path, size_px, ranges);
  ImGui_ImplOpenGL3_CreateFontsTexture();
  return ok;
}

}  // namespace halltwin::render
