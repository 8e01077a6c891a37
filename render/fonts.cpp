#include "render/fonts.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace halltwin::render {

FontChoice find_font() {
  if (const char* env = std::getenv("HALLTWIN_FONT"); env && *env && std::filesystem::exists(env))
    return {env, true};
  static constexpr const char* kCjk[] = {
      "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
      "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
      "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
      "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
      "/usr/share/fonts/truetype/arphic/uming.ttc",
      "/usr/share/fonts/truetype/arphic/ukai.ttc",
      "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
  };
  for (const char* p : kCjk)
    if (std::filesystem::exists(p)) return {p, true};
  static constexpr const char* kLatin[] = {
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  };
  for (const char* p : kLatin)
    if (std::filesystem::exists(p)) return {p, false};
  return {};
}

std::string displayable(const std::string& name, const std::string& id, const FontChoice& font) {
  if (font.path.empty()) return {};
  if (name.empty()) return id;
  const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  return (ascii || font.cjk) ? name : id;
}

}  // namespace halltwin::render
