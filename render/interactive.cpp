// The interactive view: OSG embedded in a GLFW window, an orbit manipulator fed
// from GLFW's input callbacks, and a Dear ImGui panel drawn after OSG.
#include <osg/GL>
#include <osgGA/OrbitManipulator>
#include <osgUtil/LineSegmentIntersector>
#include <osgText/Font>
#include <osgViewer/Viewer>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <array>
#include <cstdio>
#include <cmath>
#include <iostream>
#include <numbers>
#include <optional>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "render/camera_setup.hpp"
#include "render/hall_scene.hpp"
#include "render/playback_scene.hpp"
#include "render/frame_capture.hpp"
#include "render/glfw_window.hpp"
#include "render/modes.hpp"
#include "render/overlay_scene.hpp"
#include "render/palette.hpp"
#include "render/scene.hpp"
#include "render/ui_font.hpp"

namespace halltwin::render {

namespace {

constexpr float kPanelWidth = 300.0f;  // width of the playback panel's sliders and plots, pixels

class App {
 public:
  App(const Hall& hall, const ViewPlan& plan, const ViewOptions& options, GLFWwindow* window, OverlayData* overlays,
      const std::vector<Overlay>& initial)
      : hall_(&hall), floor_(plan.floor), window_(window), overlay_data_(overlays) {
    mode_ = static_cast<int>(plan.mode);
    playback_ = plan.playback;
    t_s_ = plan.t_s;
    playing_ = options.autoplay && playback_;
    speed_ = options.play_speed;
    camera_ = options.camera;
    density_on_ = options.density;
    for (Overlay o : initial) {
      if (o == Overlay::findings) findings_on_ = true;
      else heatmap_ = static_cast<int>(o) + 1;
    }
    font_choice_ = find_font();
    font_ = load_label_font(font_choice_);
    layers_.fill(true);

    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    viewer_ = new osgViewer::Viewer;
    viewer_->setThreadingModel(osgViewer::ViewerBase::SingleThreaded);  // GLFW's context is this thread's
    gw_ = viewer_->setUpViewerAsEmbeddedInWindow(0, 0, w, h);
    viewer_->setKeyEventSetsDone(0);  // Esc is handled here, so ImGui text fields can use it later
    gw_->getEventQueue()->getCurrentEventState()->setMouseYOrientation(
        osgGA::GUIEventAdapter::Y_INCREASING_DOWNWARDS);  // GLFW's cursor origin is the top-left corner
    gw_->getEventQueue()->windowResize(0, 0, w, h);
    set_background(*viewer_->getCamera());

    world_ = new osg::Group;  // stays the scene data; floors swap under it (setSceneData would re-home)
    viewer_->setSceneData(world_);
    manipulator_ = new osgGA::OrbitManipulator;
    manipulator_->setAllowThrow(false);  // a released drag stops; spinning plans are disorienting
    manipulator_->setAutoComputeHomePosition(false);
    viewer_->setCameraManipulator(manipulator_, false);
    show_floor(floor_);
  }

  // Rebuilds the scene for the floor (and floor mode) chosen, keeping the camera preset.
  void show_floor(FloorId floor) {
    floor_ = floor;
    world_->removeChildren(0, world_->getNumChildren());
    people_.reset();
    scene_ = build_hall_scene(hall(), static_cast<FloorMode>(mode_), floor_, font_.get(), font_choice_);
    for (unsigned i = 0; i < kLayerCount; ++i) scene_.set_visible(static_cast<Layer>(i), layers_[i]);
    world_->addChild(scene_.root);
    if (playback_) {
      people_ = std::make_unique<PlaybackScene>(hall(), *playback_, scene_, font_.get(), figure_radius_m(hall()));
      people_->show_people(people_on_);
      people_->show_queues(queues_on_);
      people_->show_density(density_on_);
      world_->addChild(people_->node());
    }
    apply_overlays();
    preset(camera_);
  }

  const Hall& hall() const { return *hall_; }

  // The panels' font for the hall and trace shown (render/ui_font.hpp). ImGui
  // only allows the atlas to change between frames, and the OpenGL3 backend
  // keeps its own copy as a texture: `upload` replaces that texture (the
  // first time the backend creates it itself, in its first NewFrame).
  void rebuild_ui_font(bool upload) {
    ui_font_dirty_ = false;
    if (!font_choice_.cjk) return;  // ImGui's own font: ASCII names only (the labels show ids then)
    std::vector<std::string> extra;
    const TraceHeader* header = nullptr;
    if (playback_) {
      header = &playback_->header();
      extra = playback_->kpis().groups;
      extra.insert(extra.end(), playback_->kpis().exits.begin(), playback_->kpis().exits.end());
      extra.push_back(playback_->file());
    }
    ui_ranges_ = ui_glyph_ranges(ui_texts(hall(), header, extra));
    const bool ok = upload ? reload_ui_font(font_choice_.path, 16.0f, ui_ranges_)
                           : load_ui_font(*ImGui::GetIO().Fonts, font_choice_.path, 16.0f, ui_ranges_);
    if (!ok) std::cerr << "halltwin view: cannot read the panel font " << font_choice_.path << "; using ImGui's own\n";
  }

  // The overlays chosen in the panel; heatmap_ 0 is none, else Overlay + 1.
  std::vector<Overlay> active_overlays() const {
    std::vector<Overlay> on;
    if (heatmap_ > 0) on.push_back(static_cast<Overlay>(heatmap_ - 1));
    if (findings_on_) on.push_back(Overlay::findings);
    return on;
  }

  // Computes what the chosen overlays need (the check, a field: blocking, the
  // first time only) and puts them into the scene.
  void apply_overlays() {
    overlays_dirty_ = false;
    if (!overlay_data_) return;
    try {
      for (FloorId f : scene_.shown) show_overlays(scene_.floors[f.value], *overlay_data_, f, active_overlays(), font_.get());
      if (heatmap_ > 0) legend_limit_ = overlay_data_->limit(static_cast<Overlay>(heatmap_ - 1));
      if (findings_on_) marked_ = overlay_data_->located_findings(floor_);
    } catch (const InputError& e) {
      // The check refuses this hall (e.g. a floor too large for its raster):
      // say so in the panel rather than closing the view.
      overlay_error_ = e.what();
      overlay_data_ = nullptr;
      for (FloorId f : scene_.shown)
        scene_.floors[f.value].overlays->removeChildren(0, scene_.floors[f.value].overlays->getNumChildren());
    }
  }

  void draw_overlay_panel() {
    ImGui::Separator();
    ImGui::TextUnformatted("overlays (halltwin check)");
    if (!overlay_data_) {
      if (overlay_error_.empty()) ImGui::TextDisabled("no usable rulebook: overlays are off");
      else ImGui::TextWrapped("overlays are off: %s", overlay_error_.c_str());
      return;
    }
    bool changed = ImGui::RadioButton("none", &heatmap_, 0);
    ImGui::SameLine();
    changed |= ImGui::RadioButton("exit distance", &heatmap_, static_cast<int>(Overlay::exit_distance) + 1);
    ImGui::SameLine();
    changed |= ImGui::RadioButton("extinguisher distance", &heatmap_, static_cast<int>(Overlay::extinguisher_distance) + 1);
    changed |= ImGui::Checkbox("findings (fail / warn markers)", &findings_on_);
    if (changed) overlays_dirty_ = true;
    if (overlays_dirty_) {
      // Shown for one frame; the next frame computes (the first time, the
      // whole check and the fields: up to a second on a large hall).
      ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.2f, 1.0f), "computing...");
      return;
    }
    if (heatmap_ > 0) draw_ramp_legend(static_cast<Overlay>(heatmap_ - 1));
    if (findings_on_) {
      ImGui::Text("%zu finding(s) marked on this floor", marked_.size());
      for (const check::Finding* f : marked_) {
        const bool fail = f->status == check::Status::fail;
        const Rgb c = fail ? finding_fail_colour() : finding_warn_colour();
        ImGui::TextColored(ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1.f), "%s", fail ? "fail" : "warn");
        ImGui::SameLine();
        ImGui::Text("%s at (%.1f, %.1f)", f->rule.c_str(), f->location->x, f->location->y);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f->message.c_str());
      }
    }
  }

  // The colour ramp with its numbers: 0 m, half the limit, the limit, and the
  // two colours outside the ramp.
  void draw_ramp_legend(Overlay heatmap) {
    const auto col = [](Rgb c) { return IM_COL32(c.r, c.g, c.b, 255); };
    const double limit_m = legend_limit_.limit_m;
    ImGui::Text("walking distance to the nearest %s",
                heatmap == Overlay::exit_distance ? "safety exit" : "handheld extinguisher");
    const float bar_w = 240.0f, bar_h = 14.0f;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (int half = 0; half < 2; ++half) {
      const ImU32 a = col(ramp_stop_colour(half)), b = col(ramp_stop_colour(half + 1));
      const float x0 = p.x + half * 0.5f * bar_w;
      dl->AddRectFilledMultiColor(ImVec2(x0, p.y), ImVec2(x0 + 0.5f * bar_w, p.y + bar_h), a, b, b, a);
    }
    ImGui::Dummy(ImVec2(bar_w, bar_h));
    const std::string lo = "0 m", mid = fmt_m(0.5 * limit_m), hi = fmt_m(limit_m);
    ImGui::TextUnformatted(lo.c_str());
    ImGui::SameLine(0.5f * bar_w - 0.5f * ImGui::CalcTextSize(mid.c_str()).x + ImGui::GetStyle().WindowPadding.x);
    ImGui::TextUnformatted(mid.c_str());
    ImGui::SameLine(bar_w - ImGui::CalcTextSize(hi.c_str()).x + ImGui::GetStyle().WindowPadding.x);
    ImGui::TextUnformatted(hi.c_str());
    const Rgb beyond = beyond_limit_colour(), none = unreachable_colour();
    ImGui::ColorButton("##beyond", ImVec4(beyond.r / 255.f, beyond.g / 255.f, beyond.b / 255.f, 1.f),
                       ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
    ImGui::SameLine();
    ImGui::Text("beyond %s (fails)", hi.c_str());
    ImGui::SameLine(0.0f, 16.0f);
    ImGui::ColorButton("##none", ImVec4(none.r / 255.f, none.g / 255.f, none.b / 255.f, 1.f),
                       ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
    ImGui::SameLine();
    ImGui::TextUnformatted(heatmap == Overlay::exit_distance ? "no exit reachable" : "none reachable");
    if (legend_limit_.rule.empty()) ImGui::TextDisabled("limit: default (the rulebook has no such rule)");
    else ImGui::TextDisabled("limit: rule %s", legend_limit_.rule.c_str());
  }

  static std::string fmt_m(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f m", v);
    return buf;
  }

  void preset(const std::string& which) {
    camera_ = which;
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    const CameraPose pose = preset_camera(hall(), which, floor_, scene_.shown, scene_.elevation_m, w, h);
    orthographic_ = pose.orthographic;
    fov_y_deg_ = pose.fov_y_deg;
    manipulator_->setHomePosition(to_osg(pose.eye), to_osg(pose.centre), to_osg(pose.up));
    manipulator_->home(0.0);
  }

  // The orbit manipulator only moves the eye; the projection follows the
  // window size, and in the plan mode the orbit distance sets the ortho scale
  // (so the wheel zooms the plan as it zooms the perspective view).
  void update_projection() {
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    if (w <= 0 || h <= 0) return;
    osg::Camera& cam = *viewer_->getCamera();
    const double aspect = static_cast<double>(w) / h;
    if (orthographic_) {
      const double hh = manipulator_->getDistance() * std::tan(0.5 * fov_y_deg_ * std::numbers::pi / 180.0);
      cam.setProjectionMatrixAsOrtho(-hh * aspect, hh * aspect, -hh, hh, 0.1, 1e5);
    } else {
      cam.setProjectionMatrixAsPerspective(fov_y_deg_, aspect, 0.05, 1e4);
    }
    cam.setComputeNearFarMode(osg::CullSettings::COMPUTE_NEAR_FAR_USING_BOUNDING_VOLUMES);
  }

  void draw_panel() {
    ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
    ImGui::Begin("halltwin", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::TextUnformatted(hall().name.c_str());
    ImGui::Text("level: %s", std::string(name(hall().level)).c_str());
    std::size_t win_here = 0, seats_here = 0;
    for (const auto& w : hall().windows) win_here += w.floor == floor_;
    for (const auto& s : hall().seats) seats_here += s.floor == floor_;
    ImGui::Text("floors: %zu   windows: %zu   seats: %zu", hall().floors.size(), hall().windows.size(),
                hall().seats.size());
    ImGui::Text("on this floor: %zu windows, %zu seats", win_here, seats_here);

    ImGui::Separator();
    const Floor& cur = hall().floor(floor_);
    const std::string cur_label = cur.id + "  " + cur.name;
    if (ImGui::BeginCombo("floor", cur_label.c_str())) {
      for (std::uint32_t i = 0; i < hall().floors.size(); ++i) {
        const Floor& f = hall().floors[i];
        const std::string label = f.id + "  " + f.name + "  (storey " + std::to_string(f.storey) + ")";
        if (ImGui::Selectable(label.c_str(), i == floor_.value) && i != floor_.value) pending_floor_ = FloorId{i};
      }
      ImGui::EndCombo();
    }

    ImGui::Separator();
    ImGui::TextUnformatted("camera");
    if (ImGui::Button("top (plan)")) preset("top");
    ImGui::SameLine();
    if (ImGui::Button("entrance")) preset("entrance");
    ImGui::SameLine();
    if (ImGui::Button("iso")) preset("iso");
    ImGui::SameLine();
    ImGui::Checkbox("orthographic", &orthographic_);
    // One floor, or every floor at its storey height (stacked as built, or
    // pulled apart so the lower ones can be seen), with the stairs between.
    bool mode_changed = ImGui::RadioButton("one floor", &mode_, static_cast<int>(FloorMode::one));
    ImGui::SameLine();
    mode_changed |= ImGui::RadioButton("stacked", &mode_, static_cast<int>(FloorMode::stacked));
    ImGui::SameLine();
    mode_changed |= ImGui::RadioButton("exploded", &mode_, static_cast<int>(FloorMode::exploded));
    if (mode_changed) {
      if (mode_ != static_cast<int>(FloorMode::one) && camera_ == "top") camera_ = "iso";
      pending_floor_ = floor_;
    }

    ImGui::Separator();
    ImGui::TextUnformatted("layers");
    for (unsigned i = 1; i < kLayerCount; ++i) {  // the slab (0) is always shown
      const std::string label(layer_name(static_cast<Layer>(i)));
      if (ImGui::Checkbox(label.c_str(), &layers_[i])) scene_.set_visible(static_cast<Layer>(i), layers_[i]);
      if (i % 3 != 0 && i + 1 < kLayerCount) ImGui::SameLine(0.0f, 12.0f);
    }

    draw_overlay_panel();

    if (ImGui::CollapsingHeader("legend")) {
      for (std::size_t i = 0; i < names<ZoneType>().size(); ++i) {
        const Rgb c = zone_colour(static_cast<ZoneType>(i));
        ImGui::ColorButton(("##z" + std::to_string(i)).c_str(), ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1.f),
                           ImGuiColorEditFlags_NoTooltip, ImVec2(14, 14));
        ImGui::SameLine();
        ImGui::TextUnformatted(std::string(names<ZoneType>()[i]).c_str());
      }
      ImGui::TextUnformatted("doors: green safety exit, blue entrance, grey internal");
    }

    ImGui::Separator();
    ImGui::TextDisabled("left drag: rotate   middle drag: pan   right drag / wheel: zoom");
    ImGui::TextDisabled("space: back to preset   Esc: quit   %.0f fps", ImGui::GetIO().Framerate);
    draw_open_panel();
    ImGui::End();
    if (playback_) draw_playback_panel();
  }

  // Opening files: a scenario replaces the hall (and drops a trace of the old
  // one); a trace is checked against the hall shown. Errors stay in the panel.
  void draw_open_panel() {
    if (!ImGui::CollapsingHeader("open file")) return;
    ImGui::InputText("path", path_buf_.data(), path_buf_.size());
    if (ImGui::Button("open scenario")) open_scenario(path_buf_.data());
    ImGui::SameLine();
    if (ImGui::Button("open trace")) open_trace(path_buf_.data());
    if (!open_message_.empty()) ImGui::TextWrapped("%s", open_message_.c_str());
  }

  void open_scenario(const std::string& path) {
    try {
      auto loaded = std::make_unique<Hall>(load_scenario(path));
      if (loaded->floors.empty()) throw InputError(InputProblem{path, 0, 0, "floors", "the hall has no floors"});
      people_.reset();
      world_->removeChildren(0, world_->getNumChildren());
      owned_playback_.reset();
      playback_ = nullptr;
      selected_.reset();
      // The checker's overlays were measured on the old hall.
      overlay_data_ = nullptr;
      overlay_error_ = "a scenario opened in the view has no rulebook: start `halltwin view` with it for overlays";
      owned_hall_ = std::move(loaded);
      hall_ = owned_hall_.get();
      open_message_ = "opened " + path;
      pending_floor_ = *choose_floor(hall(), "");
      ui_font_dirty_ = true;
    } catch (const std::exception& e) {
      open_message_ = e.what();
    }
  }

  void open_trace(const std::string& path) {
    try {
      std::vector<std::string> warnings;
      auto pb = std::make_unique<Playback>(Playback::load(hall(), path, warnings));
      people_.reset();
      owned_playback_ = std::move(pb);
      playback_ = owned_playback_.get();
      t_s_ = playback_->start_s();
      selected_.reset();
      open_message_ = "opened " + path + (warnings.empty() ? "" : " (" + std::to_string(warnings.size()) + " warning(s); first: " + warnings.front() + ")");
      pending_floor_ = floor_;
      ui_font_dirty_ = true;
    } catch (const std::exception& e) {
      open_message_ = e.what();
    }
  }

  // Time slider, play/pause/speed, what is drawn, KPI plots, details.
  void draw_playback_panel() {
    const Playback& pb = *playback_;
    // Top right: the hall panel holds the top left, the plan the middle.
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window_, &fb_w, &fb_h);
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(fb_w) - 10.0f, 10.0f), ImGuiCond_FirstUseEver, ImVec2(1.0f, 0.0f));
    ImGui::Begin("playback", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::Text("%s  (%s%s%s)", pb.file().c_str(), pb.header().source.c_str(),
                pb.header().start_date.empty() ? "" : ", day 0 = ", pb.header().start_date.c_str());
    double lo = pb.start_s(), hi = pb.end_s();
    const std::string now = format_view_time(t_s_);
    ImGui::SetNextItemWidth(kPanelWidth);
    if (ImGui::SliderScalar("time", ImGuiDataType_Double, &t_s_, &lo, &hi, now.c_str())) playing_ = false;
    if (ImGui::Button(playing_ ? "pause" : "play")) {
      if (!playing_ && t_s_ >= pb.end_s()) t_s_ = pb.start_s();
      playing_ = !playing_;
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(0.5f * kPanelWidth);
    double smin = 0.25, smax = 3600.0;
    ImGui::SliderScalar("speed (sim s / s)", ImGuiDataType_Double, &speed_, &smin, &smax, "%.2gx",
                        ImGuiSliderFlags_Logarithmic);
    if (people_) {
      if (ImGui::Checkbox("people", &people_on_)) people_->show_people(people_on_);
      ImGui::SameLine();
      if (ImGui::Checkbox("queue per window", &queues_on_)) people_->show_queues(queues_on_);
      ImGui::SameLine();
      if (ImGui::Checkbox("density heatmap", &density_on_)) people_->show_density(density_on_);
      std::array<int, kPersonStateCount> count{};
      for (const PersonAt& p : people_->present()) ++count[static_cast<int>(p.state)];
      for (int s = 0; s < kPersonStateCount - 1; ++s) {
        const Rgb c = person_state_colour(static_cast<PersonState>(s));
        ImGui::ColorButton(("##st" + std::to_string(s)).c_str(), ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1.f),
                           ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
        ImGui::SameLine();
        ImGui::Text("%s %d", std::string(person_state_name(static_cast<PersonState>(s))).c_str(), count[s]);
        if (s + 1 < kPersonStateCount - 1) ImGui::SameLine(0.0f, 10.0f);
      }
      if (density_on_)
        ImGui::TextDisabled("density: yellow (few) to red (%.1f persons/m2 and more), %.0f m cells", kDensityFull_ppm2,
                            kDensityCell_m);
    }
    draw_kpi_plots();
    draw_details();
    ImGui::End();
  }

  // KPIs over time, with the current time's value; a plot of about 600 samples.
  void draw_kpi_plots() {
    const KpiSeries& k = playback_->kpis();
    if (k.t_s.empty() || !ImGui::CollapsingHeader("KPIs over time", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const double step = k.t_s.size() > 1 ? k.t_s[1] - k.t_s[0] : 1.0;
    const int i = static_cast<int>(std::clamp((t_s_ - k.t_s.front()) / step, 0.0, double(k.t_s.size() - 1)));
    // A trace of several days plots the current day (00:00 to 24:00).
    std::size_t lo = 0, hi = k.t_s.size();
    if (k.t_s.back() - k.t_s.front() > kSecondsPerDay) {
      const double day0 = std::floor(t_s_ / kSecondsPerDay) * kSecondsPerDay;
      lo = static_cast<std::size_t>(std::lower_bound(k.t_s.begin(), k.t_s.end(), day0) - k.t_s.begin());
      hi = static_cast<std::size_t>(std::lower_bound(k.t_s.begin(), k.t_s.end(), day0 + kSecondsPerDay) - k.t_s.begin());
      if (hi <= lo) lo = static_cast<std::size_t>(i), hi = lo + 1;
    }
    const auto plot = [&](const char* label, const std::vector<float>& v) {
      const float top = std::max(1.0f, *std::max_element(v.begin() + lo, v.begin() + hi));
      const std::string overlay = std::to_string(static_cast<int>(std::lround(v[i]))) + " at " + format_view_time(k.t_s[i]);
      ImGui::PlotLines(label, v.data() + lo, static_cast<int>(hi - lo), 0, overlay.c_str(), 0.0f, top * 1.05f,
                       ImVec2(kPanelWidth, 50));
    };
    if (playback_->is_evacuation()) {
      plot("persons still inside", k.inside);
      if (!k.exits.empty()) {
        exit_choice_ = std::clamp(exit_choice_, 0, static_cast<int>(k.exits.size()) - 1);
        if (ImGui::BeginCombo("exit", k.exits[exit_choice_].c_str())) {
          for (int e = 0; e < static_cast<int>(k.exits.size()); ++e)
            if (ImGui::Selectable(k.exits[e].c_str(), e == exit_choice_)) exit_choice_ = e;
          ImGui::EndCombo();
        }
        plot("flow (persons/min)", k.exit_flow_ppm[exit_choice_]);
      }
      return;
    }
    plot("people inside", k.inside);
    plot("waiting", k.waiting);
    if (!k.groups.empty()) {
      group_choice_ = std::clamp(group_choice_, 0, static_cast<int>(k.groups.size()) - 1);
      if (ImGui::BeginCombo("window group", k.groups[group_choice_].c_str())) {
        for (int g = 0; g < static_cast<int>(k.groups.size()); ++g)
          if (ImGui::Selectable(k.groups[g].c_str(), g == group_choice_)) group_choice_ = g;
        ImGui::EndCombo();
      }
      plot("queue", k.queue_by_group[group_choice_]);
    }
  }

  // A window's queue and who is at it; a person's state and journey so far.
  void draw_details() {
    if (!ImGui::CollapsingHeader("details")) return;
    if (!hall().windows.empty()) {
      window_choice_ = std::clamp(window_choice_, 0, static_cast<int>(hall().windows.size()) - 1);
      const Window& w = hall().windows[window_choice_];
      if (ImGui::BeginCombo("window", w.id.c_str())) {
        for (int i = 0; i < static_cast<int>(hall().windows.size()); ++i)
          if (ImGui::Selectable(hall().windows[i].id.c_str(), i == window_choice_)) window_choice_ = i;
        ImGui::EndCombo();
      }
      const std::vector<int> q = playback_->queue_by_window(t_s_);
      ImGui::Text("%s: %s, %d waiting for its matters", w.id.c_str(), std::string(name(w.kind)).c_str(), q[window_choice_]);
      if (people_)
        for (const PersonAt& p : people_->present())
          if (p.state == PersonState::at_window && p.floor == w.floor && distance(p.position, w.position) < 0.05) {
            ImGui::SameLine();
            ImGui::Text("  at it: %s", playback_->people()[p.person].id.c_str());
          }
    }
    ImGui::InputText("person id", person_buf_.data(), person_buf_.size());
    ImGui::SameLine();
    if (ImGui::Button("find")) {
      selected_ = std::nullopt;
      if (auto i = playback_->find(person_buf_.data())) selected_ = static_cast<std::uint32_t>(*i);
    }
    ImGui::TextDisabled("or click a person in the view");
    if (!selected_) return;
    const PersonTrack& p = playback_->people()[*selected_];
    ImGui::Text("%s (%s), matter %s: %s", p.id.c_str(), std::string(name(p.kind)).c_str(),
                p.matter.empty() ? "-" : p.matter.c_str(),
                std::string(person_state_name(playback_->state_at(*selected_, t_s_))).c_str());
    ImGui::BeginChild("journey", ImVec2(kPanelWidth, 140), true);
    for (const JourneyStep& j : p.journey) {
      if (j.t_s > t_s_) break;  // the journey so far
      ImGui::Text("%s  %s %s", format_view_time(j.t_s).c_str(), std::string(name(j.event)).c_str(), j.where.c_str());
    }
    ImGui::EndChild();
  }

  // A click (press and release in place) on a figure selects that person.
  void pick(double x, double y) {
    if (!people_) return;
    int w = 0, h = 0;
    glfwGetFramebufferSize(window_, &w, &h);
    osg::ref_ptr<osgUtil::LineSegmentIntersector> hit =
        new osgUtil::LineSegmentIntersector(osgUtil::Intersector::WINDOW, x, h - y);
    osgUtil::IntersectionVisitor iv(hit.get());
    viewer_->getCamera()->accept(iv);
    for (const auto& i : hit->getIntersections())
      if (i.drawable.get() == people_->figures()) {
        if (auto person = people_->person_of_triangle(i.primitiveIndex)) {
          selected_ = person;
          std::snprintf(person_buf_.data(), person_buf_.size(), "%s", playback_->people()[*person].id.c_str());
        }
        return;
      }
  }

  // Returns 0, or 1 when the requested capture of the last frame failed.
  int run(int max_frames, const std::string& capture) {
    const double first_t = t_s_;
    double clock = glfwGetTime();
    const double started = clock;
    int frame = 1;
    for (; !glfwWindowShouldClose(window_); ++frame) {
      const bool last = max_frames > 0 && frame >= max_frames;
      glfwPollEvents();
      if (pending_floor_) {
        show_floor(*pending_floor_);
        pending_floor_.reset();
      } else if (overlays_dirty_) {
        apply_overlays();
      }
      if (ui_font_dirty_) rebuild_ui_font(true);  // a file opened in the last frame: outside any ImGui frame
      // Simulated time runs at speed_ x the wall clock; a scripted run
      // (max_frames) steps a nominal 1/30 s a frame, so it is reproducible.
      const double now = glfwGetTime();
      const double dt = max_frames > 0 ? 1.0 / 30.0 : std::min(now - clock, 0.25);
      clock = now;
      if (playing_ && playback_) {
        t_s_ = std::min(t_s_ + dt * speed_, playback_->end_s());
        if (t_s_ >= playback_->end_s()) playing_ = false;
      }
      if (people_) people_->update(t_s_, selected_);
      update_projection();
      scene_.set_plan_markers(orthographic_);
      viewer_->frame();

      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      draw_panel();
      ImGui::Render();
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (last && !capture.empty()) {
        int w = 0, h = 0;
        glfwGetFramebufferSize(window_, &w, &h);
        std::string error;
        const osg::ref_ptr<osg::Image> image = read_back_buffer(w, h);
        if (!image || !write_png_atomically(*image, capture, error)) {
          std::cerr << "halltwin view: capture failed: " << (image ? error : "cannot read the frame back") << "\n";
          return 1;
        }
      }
      glfwSwapBuffers(window_);
      if (last) break;
    }
    // Scripted runs report what they did: the tests read the trace time, the
    // benchmark the frame rate (docs/benchmarks.md).
    if (max_frames > 0) {
      const double wall = glfwGetTime() - started;
      std::cerr << "halltwin view: " << frame << " frames";
      if (playback_) std::cerr << ", trace time " << format_view_time(first_t) << " -> " << format_view_time(t_s_);
      if (people_) std::cerr << ", " << people_->present().size() << " people shown";
      char buf[64];
      std::snprintf(buf, sizeof buf, " in %.2f s (%.1f frames/s)", wall, wall > 0 ? frame / wall : 0.0);
      std::cerr << buf << "\n";
    }
    return 0;
  }

  // GLFW input, forwarded to OSG unless ImGui wants it (the pointer is over the panel).
  static App& of(GLFWwindow* w) { return *static_cast<App*>(glfwGetWindowUserPointer(w)); }

  static void on_cursor(GLFWwindow* w, double x, double y) {
    of(w).gw_->getEventQueue()->mouseMotion(static_cast<float>(x), static_cast<float>(y));
  }
  static void on_button(GLFWwindow* w, int button, int action, int /*mods*/) {
    App& app = of(w);
    // Releases always go through, so a drag that ends over the panel does not stick.
    if (action == GLFW_PRESS && ImGui::GetIO().WantCaptureMouse) return;
    const unsigned osg_button = button == GLFW_MOUSE_BUTTON_LEFT     ? 1
                                : button == GLFW_MOUSE_BUTTON_MIDDLE ? 2
                                : button == GLFW_MOUSE_BUTTON_RIGHT  ? 3
                                                                     : 0;
    if (osg_button == 0) return;
    double x = 0, y = 0;
    glfwGetCursorPos(w, &x, &y);
    if (osg_button == 1 && action == GLFW_PRESS) app.press_ = {x, y};
    if (osg_button == 1 && action == GLFW_RELEASE && std::abs(x - app.press_[0]) + std::abs(y - app.press_[1]) < 4)
      app.pick(x, y);
    auto* q = app.gw_->getEventQueue();
    if (action == GLFW_PRESS)
      q->mouseButtonPress(static_cast<float>(x), static_cast<float>(y), osg_button);
    else
      q->mouseButtonRelease(static_cast<float>(x), static_cast<float>(y), osg_button);
  }
  static void on_scroll(GLFWwindow* w, double /*dx*/, double dy) {
    if (ImGui::GetIO().WantCaptureMouse || dy == 0.0) return;
    of(w).gw_->getEventQueue()->mouseScroll(dy > 0 ? osgGA::GUIEventAdapter::SCROLL_UP
                                                   : osgGA::GUIEventAdapter::SCROLL_DOWN);
  }
  static void on_key(GLFWwindow* w, int key, int /*scancode*/, int action, int /*mods*/) {
    if (key == GLFW_KEY_ESCAPE && action == GLFW_PRESS) {
      glfwSetWindowShouldClose(w, GLFW_TRUE);
      return;
    }
    if (ImGui::GetIO().WantCaptureKeyboard) return;
    int osg_key = 0;
    if (key == GLFW_KEY_SPACE) osg_key = osgGA::GUIEventAdapter::KEY_Space;  // manipulator: go home
    else if (key == GLFW_KEY_LEFT_SHIFT) osg_key = osgGA::GUIEventAdapter::KEY_Shift_L;
    else if (key == GLFW_KEY_RIGHT_SHIFT) osg_key = osgGA::GUIEventAdapter::KEY_Shift_R;
    else if (key == GLFW_KEY_LEFT_CONTROL) osg_key = osgGA::GUIEventAdapter::KEY_Control_L;
    else if (key >= GLFW_KEY_A && key <= GLFW_KEY_Z) osg_key = 'a' + (key - GLFW_KEY_A);
    if (osg_key == 0) return;
    auto* q = of(w).gw_->getEventQueue();
    if (action == GLFW_PRESS) q->keyPress(osg_key);
    else if (action == GLFW_RELEASE) q->keyRelease(osg_key);
  }
  static void on_resize(GLFWwindow* w, int width, int height) {
    App& app = of(w);
    app.gw_->resized(0, 0, width, height);
    app.gw_->getEventQueue()->windowResize(0, 0, width, height);
  }

 private:
  const Hall* hall_;                // the hall shown: the caller's, or owned_hall_ once a scenario was opened
  std::unique_ptr<Hall> owned_hall_;
  FloorId floor_;
  int mode_ = 0;                    // FloorMode
  std::string camera_ = "top";      // the preset in use
  const Playback* playback_ = nullptr;
  std::unique_ptr<Playback> owned_playback_;  // a trace opened in the view
  std::unique_ptr<PlaybackScene> people_;
  double t_s_ = 0.0;                // the moment shown, seconds since 00:00 of the trace's first day
  bool playing_ = false;
  double speed_ = 60.0;             // simulated seconds per second
  bool people_on_ = true, queues_on_ = true, density_on_ = false;
  int group_choice_ = 0, exit_choice_ = 0, window_choice_ = 0;
  std::optional<std::uint32_t> selected_;
  std::array<char, 512> path_buf_{};
  std::array<char, 128> person_buf_{};
  std::string open_message_;
  ImVector<ImWchar> ui_ranges_;  // the panel font's glyph ranges: ImGui keeps a pointer to them
  bool ui_font_dirty_ = false;   // a scenario or trace was opened: rebuild the font before the next frame
  std::array<double, 2> press_{-1e9, -1e9};

  GLFWwindow* window_;
  FontChoice font_choice_;
  osg::ref_ptr<osgText::Font> font_;
  osg::ref_ptr<osgViewer::Viewer> viewer_;
  osg::ref_ptr<osgViewer::GraphicsWindowEmbedded> gw_;
  osg::ref_ptr<osg::Group> world_;
  osg::ref_ptr<osgGA::OrbitManipulator> manipulator_;
  HallScene scene_;
  std::array<bool, kLayerCount> layers_{};
  std::optional<FloorId> pending_floor_;
  OverlayData* overlay_data_;  // null without a rulebook, or after the check refused the hall
  std::string overlay_error_;  // why the check refused it
  int heatmap_ = 0;            // 0 none, else Overlay + 1 (a radio button: one heatmap at a time)
  bool findings_on_ = false;
  bool overlays_dirty_ = false;  // the panel changed them; applied at the start of the next frame
  HeatmapLimit legend_limit_;
  std::vector<const check::Finding*> marked_;  // findings with a marker on this floor
  bool orthographic_ = true;
  double fov_y_deg_ = 30.0;
};

}  // namespace

int run_interactive(const Hall& hall, const ViewPlan& plan, const ViewOptions& options, OverlayData* overlays) {
  std::string error;
  auto window = GlfwWindow::open(options.width, options.height, "halltwin - " + hall.name, true, 4, error);
  if (!window) {
    std::cerr << "halltwin view: " << error << "\n";
    return 2;
  }
  GLFWwindow* w = window->handle();
  // No point drawing faster than the display; a scripted run (tests, the
  // frame-rate benchmark) measures what the machine can draw.
  glfwSwapInterval(options.max_frames > 0 ? 0 : 1);

  App app(hall, plan, options, w, overlays, options.overlays);
  glfwSetWindowUserPointer(w, &app);
  // Our callbacks first: ImGui's backend chains to the callbacks installed
  // before it, and updates WantCaptureMouse before calling them.
  glfwSetCursorPosCallback(w, &App::on_cursor);
  glfwSetMouseButtonCallback(w, &App::on_button);
  glfwSetScrollCallback(w, &App::on_scroll);
  glfwSetKeyCallback(w, &App::on_key);
  glfwSetFramebufferSizeCallback(w, &App::on_resize);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini dropped into the user's working directory
  app.rebuild_ui_font(false);  // hall, floor and zone names are usually Chinese
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(w, true);
  ImGui_ImplOpenGL3_Init("#version 130");

  const int code = app.run(options.max_frames, options.capture_last_frame);

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  return code;
}

}  // namespace halltwin::render
