#pragma once
// Which font the labels use. Debian ships no CJK font by default; with none
// installed the view falls back to DejaVu Sans and shows ids instead of
// Chinese names (a missing glyph would draw as an empty box).
#include <string>

namespace halltwin::render {

struct FontChoice {
  std::string path;  // empty: no usable font found, labels are not drawn
  bool cjk = false;  // the font has Chinese glyphs
};

// The environment variable HALLTWIN_FONT (a .ttf/.ttc/.otf path, assumed to
// cover Chinese) wins; then the CJK fonts of Debian's fonts-noto-cjk,
// fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-* and
// fonts-droid-fallback; then DejaVu Sans (fonts-dejavu-core).
FontChoice find_font();

// The text to show for an entity named `name` with id `id`: the name when the
// font can draw it (ASCII, or any text with a CJK font), otherwise the id.
std::string displayable(const std::string& name, const std::string& id, const FontChoice& font);

}  // namespace halltwin::render
