// The panels' font (render/ui_font.hpp): glyph ranges from the hall's and the
// trace's own texts, and an ImGui atlas built from them holding a character
// outside ImGui's common simplified Chinese set. An ImFontAtlas builds on the
// CPU; the last case uploads it as the view does, into an OpenGL context
// (under xvfb-run, as the other render tests).
#include <gtest/gtest.h>

#include <GL/gl.h>
#include <backends/imgui_impl_opengl3.h>

#include <filesystem>
#include <fstream>
#include <algorithm>
#include <cstdint>
#include <string>
#include <unistd.h>
#include <vector>

#include "model/scenario_loader.hpp"
#include "render/fonts.hpp"
#include "render/glfw_window.hpp"
#include "render/ui_font.hpp"

namespace halltwin::render {
namespace {

namespace fs = std::filesystem;

// 䶮 (U+4DAE, CJK extension A: a character of personal and place names) is in
// the hall's name and a zone's; 𠀀 (U+20000) lies beyond 16-bit ImWchar.
constexpr ImWchar kRare = 0x4DAE;
constexpr const char* kRareScenario = R"(format: halltwin-scenario/1
hall:
  name: "䶮山村便民服务站"
  level: village
  population_served: 100
  fire_resistance_grade: 2
  fire_hazard: medium
  sprinklered: false
floors:
  - id: F1
    name: 一楼
    storey: 1
    height_m: 3.5
    boundary: [[0, 0], [10, 0], [10, 6], [0, 6]]
    doors:
      - {id: D1, kind: entrance, from: [2, 0], to: [3.5, 0]}
      - {id: D2, kind: exit, from: [10, 2], to: [10, 3.5]}
    zones:
      - {id: ZW, type: waiting, name: "𠀀䶮等候区", polygon: [[0, 0], [10, 0], [10, 3], [0, 3]]}
      - {id: ZA, type: window_area, name: 窗口区, polygon: [[0, 3], [10, 3], [10, 6], [0, 6]]}
    windows:
      - {id: A01, label: "A01", kind: comprehensive, position: [2, 4.3], facing: [0, -1]}
)";

Hall rare_hall() {
  const fs::path file = fs::temp_directory_path() / ("halltwin-ui-font-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << kRareScenario;
  Hall hall = load_scenario(file.string());
  fs::remove(file);
  return hall;
}

bool in_ranges(const ImWchar* ranges, unsigned cp) {
  for (; ranges[0] != 0; ranges += 2)
    if (cp >= ranges[0] && cp <= ranges[1]) return true;
  return false;
}

TEST(UiFont, CommonSetLacksTheRareCharacter) {
  // Otherwise the tests below would prove nothing.
  ImFontAtlas atlas;
  EXPECT_FALSE(in_ranges(atlas.GetGlyphRangesChineseSimplifiedCommon(), kRare));
  EXPECT_TRUE(in_ranges(atlas.GetGlyphRangesChineseSimplifiedCommon(), 0x5927));  // 大
}

TEST(UiFont, RangesHoldTheHallsCharactersAndTheCommonSet) {
  const ImVector<ImWchar> r = ui_glyph_ranges(ui_texts(rare_hall()));
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r.back(), 0);  // zero-terminated, as ImGui reads it
  EXPECT_TRUE(in_ranges(r.Data, kRare));
  EXPECT_TRUE(in_ranges(r.Data, 0x5927));  // 大, from the common set
  EXPECT_TRUE(in_ranges(r.Data, 'Z'));     // ids
  EXPECT_FALSE(in_ranges(r.Data, 0x4DAF));  // a neighbour nobody asked for
}

TEST(UiFont, RangesHoldTheTracesHeaderAndExtraTexts) {
  TraceHeader header;
  header.scenario = "䶮";
  const Hall plain = load_scenario(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/village.yaml");
  EXPECT_FALSE(in_ranges(ui_glyph_ranges(ui_texts(plain)).Data, kRare));
  EXPECT_TRUE(in_ranges(ui_glyph_ranges(ui_texts(plain, &header)).Data, kRare));
  EXPECT_TRUE(in_ranges(ui_glyph_ranges(ui_texts(plain, nullptr, {"出口䶮"})).Data, kRare));
}

TEST(UiFont, MalformedUtf8IsSkippedNotFatal) {
  const ImVector<ImWchar> r = ui_glyph_ranges({std::string("\xE4\xB6") + "x", "\xFF\xAE" "y"});
  EXPECT_TRUE(in_ranges(r.Data, 'x'));
  EXPECT_TRUE(in_ranges(r.Data, 'y'));
}

TEST(UiFont, AtlasBuiltForTheHallHasTheRareGlyph) {
  const FontChoice font = find_font();
  if (!font.cjk) GTEST_SKIP() << "no CJK font installed (tools/install-deps.sh installs fonts-wqy-zenhei)";
  const ImVector<ImWchar> hall_ranges = ui_glyph_ranges(ui_texts(rare_hall()));
  ImFontAtlas atlas;
  ASSERT_TRUE(load_ui_font(atlas, font.path, 16.0f, hall_ranges));
  ASSERT_EQ(atlas.Fonts.Size, 1);
  EXPECT_TRUE(atlas.IsBuilt());
  EXPECT_NE(atlas.Fonts[0]->FindGlyphNoFallback(kRare), nullptr) << font.path;
  EXPECT_NE(atlas.Fonts[0]->FindGlyphNoFallback(0x5927), nullptr);
  // The same font with ImGui's common set alone, as before: no such glyph
  // ('?' in the panel). Rebuilding the same atlas, as the view does.
  ImVector<ImWchar> common;
  ImFontGlyphRangesBuilder b;
  b.AddRanges(atlas.GetGlyphRangesChineseSimplifiedCommon());
  b.BuildRanges(&common);
  ASSERT_TRUE(load_ui_font(atlas, font.path, 16.0f, common));
  ASSERT_EQ(atlas.Fonts.Size, 1);
  EXPECT_EQ(atlas.Fonts[0]->FindGlyphNoFallback(kRare), nullptr);
}

TEST(UiFont, AMissingFontFileFallsBackToImGuisOwn) {
  const ImVector<ImWchar> r = ui_glyph_ranges({"A"});
  ImFontAtlas atlas;
  EXPECT_FALSE(load_ui_font(atlas, "/nonexistent/font.ttf", 16.0f, r));
  ASSERT_EQ(atlas.Fonts.Size, 1);
  EXPECT_NE(atlas.Fonts[0]->FindGlyphNoFallback('A'), nullptr);
}

// One ImGui frame drawn with the OpenGL3 backend (the view's own order, less
// the GLFW platform backend: the display size is set by hand).
void draw_frame(const char* text) {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImGui::Begin("t");
  ImGui::TextUnformatted(text);
  ImGui::End();
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// Whether the backend's font texture holds the atlas as built on the CPU, and
// ink (alpha) inside glyph `g`'s rectangle of it.
::testing::AssertionResult gpu_texture_is_the_atlas(const ImFontGlyph& g) {
  const auto tex = static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(ImGui::GetIO().Fonts->TexID));
  if (tex == 0 || !glIsTexture(tex)) return ::testing::AssertionFailure() << "no font texture";
  unsigned char* cpu = nullptr;
  int cw = 0, ch = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&cpu, &cw, &ch);
  glBindTexture(GL_TEXTURE_2D, tex);
  GLint w = 0, h = 0;
  glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_WIDTH, &w);
  glGetTexLevelParameteriv(GL_TEXTURE_2D, 0, GL_TEXTURE_HEIGHT, &h);
  if (w != cw || h != ch)
    return ::testing::AssertionFailure() << "texture " << w << "x" << h << ", atlas " << cw << "x" << ch;
  std::vector<unsigned char> gpu(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, gpu.data());
  if (!std::equal(gpu.begin(), gpu.end(), cpu)) return ::testing::AssertionFailure() << "texture differs from the atlas";
  unsigned long ink = 0;
  for (int y = static_cast<int>(g.V0 * h); y < static_cast<int>(g.V1 * h); ++y)
    for (int x = static_cast<int>(g.U0 * w); x < static_cast<int>(g.U1 * w); ++x)
      ink += gpu[(static_cast<std::size_t>(y) * w + x) * 4 + 3];
  if (ink == 0) return ::testing::AssertionFailure() << "the glyph's rectangle is empty";
  return ::testing::AssertionSuccess();
}

TEST(UiFont, ReloadBetweenFramesUploadsTheNewGlyphs) {
  // What the view does when a scenario is opened from the panel: the first
  // frames with the common set, then the hall's ranges between two frames.
  const FontChoice font = find_font();
  if (!font.cjk) GTEST_SKIP() << "no CJK font installed (tools/install-deps.sh installs fonts-wqy-zenhei)";
  std::string error;
  const auto window = GlfwWindow::open(320, 200, "ui font", false, 0, error);
  ASSERT_TRUE(window) << error;
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.DisplaySize = ImVec2(320, 200);
  ASSERT_TRUE(ImGui_ImplOpenGL3_Init("#version 130"));
  const ImVector<ImWchar> common = ui_glyph_ranges({});
  ASSERT_TRUE(load_ui_font(*io.Fonts, font.path, 16.0f, common));
  draw_frame("大");
  EXPECT_EQ(io.Fonts->Fonts[0]->FindGlyphNoFallback(kRare), nullptr);

  const ImVector<ImWchar> hall_ranges = ui_glyph_ranges(ui_texts(rare_hall()));
  EXPECT_TRUE(reload_ui_font(font.path, 16.0f, hall_ranges));
  const ImFontGlyph* rare = io.Fonts->Fonts[0]->FindGlyphNoFallback(kRare);
  ASSERT_NE(rare, nullptr);
  EXPECT_TRUE(gpu_texture_is_the_atlas(*rare));
  draw_frame("䶮山村便民服务站");  // the next frame draws with the new font
  EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));

  ImGui_ImplOpenGL3_Shutdown();
  ImGui::DestroyContext();
}

}  // namespace
}  // namespace halltwin::render
