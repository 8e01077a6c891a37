#include "render/scene.hpp"

#include <osg/CullStack>
#include <osg/Depth>
#include <osg/Geode>
#include <osg/LineWidth>
#include <osgText/Text>

#include <algorithm>
#include <cmath>

#include "model/geometry/polygon_ops.hpp"
#include "model/hall_geometry.hpp"
#include "render/mesh_builder.hpp"
#include "render/palette.hpp"
#include "render/view_geometry.hpp"

namespace halltwin::render {

namespace {

constexpr double kSlabThickness_m = 0.3;
constexpr double kDoorStripHalfDepth_m = 0.25;  // the strip drawn across the opening
constexpr double kWindowMarker_m = 0.36;        // side of the square where the citizen is served
constexpr double kSeat_m = 0.45;                // seat footprint and height
constexpr double kLabelZ_m = 1.2;               // zone labels hover at chest height in perspective
constexpr unsigned kLabelMax_px = 40;           // glyph resolution, and the largest a label gets on screen
// Wall sides are light plaster, their tops dark: a plan reads the dark tops as
// the wall lines, a perspective view shows a bright room rather than a cave.
constexpr Rgb kWallSide{212, 210, 202};

geom::PolygonWithHoles rings_of(const Polygon& p) { return geom::PolygonWithHoles{p, {}}; }

// Skips a label whose characters would be under kLabelMin_px tall on screen
// (unreadable specks; a province hall seen whole in perspective has hundreds)
// or that lies behind the eye. Checked per label during the cull, from the
// label's anchor: OSG's pixel size of a sphere of radius r at a point is its
// diameter on screen, 2 r times the pixels per metre there, and negative
// behind a perspective eye (so r is half the character height). One
// dot product a label a frame, cheaper than an osg::LOD per label, whose
// pixel size would be that of the whole text's bounding sphere, not of the
// characters' height.
class LegibleLabelCull final : public osg::DrawableCullCallback {
 public:
  bool cull(osg::NodeVisitor* nv, osg::Drawable* drawable, osg::RenderInfo* /*info*/) const override {
    const osg::CullStack* cs = nv ? nv->asCullStack() : nullptr;
    const auto* text = dynamic_cast<const osgText::Text*>(drawable);
    if (!cs || !text) return false;
    return cs->pixelSize(text->getPosition(), 0.5f * text->getCharacterHeight()) < kLabelMin_px;
  }
};

// Width of a UTF-8 string in units of the character size: CJK glyphs are
// about square, Latin ones about 0.6 wide. Only for fitting labels into zones.
double text_width_em(const std::string& s) {
  double w = 0.0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len >= 3 ? 1.0 : 0.6;
    i += len;
  }
  return w;
}

Bounds2 ring_bounds(const Polygon& p) {
  Bounds2 b{p.front(), p.front()};
  for (const Vec2& v : p) {
    b.min = {std::min(b.min.x, v.x), std::min(b.min.y, v.y)};
    b.max = {std::max(b.max.x, v.x), std::max(b.max.y, v.y)};
  }
  return b;
}

class SceneBuilder {
 public:
  SceneBuilder(const Hall& hall, FloorId floor, osgText::Font* font, const FontChoice& font_choice)
      : hall_(hall), floor_(floor), font_(font), font_choice_(font_choice) {
    const Bounds2 b = floor_bounds(hall, floor);
    extent_m_ = std::max(b.width_m(), b.height_m());
    for (const Door& d : hall.doors)
      if (d.floor == floor) openings_.push_back(geom::segment_rectangle(d.opening, kDoorOpeningHalfDepth_m));
  }

  FloorScene build() {
    FloorScene scene;
    scene.root = new osg::Switch;
    scene.root->setName("floor " + hall_.floor(floor_).id);
    // Unlit: colours are the palette's (tops) or baked (sides); see mesh_builder.hpp.
    scene.root->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    scene.root->getOrCreateStateSet()->setMode(GL_CULL_FACE, osg::StateAttribute::OFF);
    scene.root->getOrCreateStateSet()->setAttributeAndModes(new osg::LineWidth(1.5f));
    plan_markers_ = new osg::Switch;
    const std::array<osg::ref_ptr<osg::Node>, kLayerCount> layers = {
        floor_layer(), zone_layer(), door_layer(), wall_layer(), obstacle_layer(),
        window_layer(), seat_layer(), device_layer(), facility_layer(), label_layer()};
    for (unsigned i = 0; i < kLayerCount; ++i) {
      layers[i]->setName(std::string(layer_name(static_cast<Layer>(i))));
      scene.root->addChild(layers[i], true);
    }
    scene.plan_markers = plan_markers_;
    scene.overlays = new osg::Group;
    scene.overlays->setName("overlays");
    scene.root->addChild(scene.overlays, true);
    return scene;
  }

 private:
  template <class T>
  bool here(const T& entity) const {
    return entity.floor == floor_;
  }

  osg::ref_ptr<osg::Node> floor_layer() {
    MeshBuilder m;
    m.add_prism(rings_of(hall_.floor(floor_).boundary), -kSlabThickness_m, 0.0, slab_colour());
    return m.build();
  }

  osg::ref_ptr<osg::Node> zone_layer() {
    MeshBuilder m;
    int i = 0;
    for (const Zone& z : hall_.zones) {
      if (!here(z)) continue;
      // Overlapping zones would z-fight at one height: later zones sit 1 mm higher.
      const double zz = kZoneZ_m + 0.001 * (i++ % 10);
      m.add_cap(rings_of(z.polygon), zz, zone_colour(z.type));
      m.add_outline(z.polygon, zz + 0.0005, shade(zone_colour(z.type), 0.7));
    }
    return m.build();
  }

  osg::ref_ptr<osg::Node> door_layer() {
    MeshBuilder m;
    for (const Door& d : hall_.doors) {
      if (!here(d)) continue;
      const Polygon strip = geom::segment_rectangle(d.opening, kDoorStripHalfDepth_m);
      m.add_cap(rings_of(strip), kDoorZ_m, door_colour(d.kind));
      m.add_outline(strip, kDoorZ_m + 0.0005, shade(door_colour(d.kind), 0.6));
    }
    return m.build();
  }

  // Walls are extruded with their door openings cut out (the same 0.6 m deep
  // cut as the walkable area), so doors show as gaps in plan and in 3D.
  void add_cut_prism(MeshBuilder& m, const std::vector<geom::PolygonWithHoles>& pieces, double height_m, Rgb c, Rgb side) {
    for (const geom::PolygonWithHoles& piece : pieces) {
      m.add_prism(piece, 0.0, height_m, c, side);
      m.add_outline(piece.outer, height_m + 0.002, shade(c, 0.6));
      for (const Polygon& h : piece.holes) m.add_outline(h, height_m + 0.002, shade(c, 0.6));
    }
  }

  osg::ref_ptr<osg::Node> wall_layer() {
    MeshBuilder m;
    const Floor& f = hall_.floor(floor_);
    const Rgb wall = obstacle_colour(ObstacleKind::wall);
    add_cut_prism(m, geom::outer_band(f.boundary, kExteriorWallThickness_m, openings_), f.height_m, wall, kWallSide);
    for (const Obstacle& o : hall_.obstacles)
      if (here(o) && o.kind == ObstacleKind::wall) add_cut_prism(m, geom::difference(o.polygon, openings_), o.height_m, wall, kWallSide);
    return m.build();
  }

  osg::ref_ptr<osg::Node> obstacle_layer() {
    MeshBuilder m;
    for (const Obstacle& o : hall_.obstacles)
      if (here(o) && o.kind != ObstacleKind::wall)
        // Door openings cut walls only (as in the model's walkable area): counters keep their footprint.
        m.add_prism(rings_of(o.polygon), 0.0, o.height_m, obstacle_colour(o.kind));
    return m.build();
  }

  osg::ref_ptr<osg::Node> window_layer() {
    MeshBuilder m;
    for (const Window& w : hall_.windows)
      if (here(w)) m.add_box(w.position, kWindowMarker_m, kWindowMarker_m, 0.0, kMarkerZ_m, window_colour(w.kind));
    return m.build();
  }

  osg::ref_ptr<osg::Node> seat_layer() {
    MeshBuilder m;
    for (const Seat& s : hall_.seats) {
      if (!here(s)) continue;
      m.add_box(s.position, kSeat_m, kSeat_m, 0.0, kSeat_m, seat_colour());
      const double h = 0.5 * kSeat_m;
      // Dark rim: seats in a row 0.5 m apart would otherwise merge into a bar in plan.
      m.add_outline({{s.position.x - h, s.position.y - h}, {s.position.x + h, s.position.y - h},
                     {s.position.x + h, s.position.y + h}, {s.position.x - h, s.position.y + h}},
                    kSeat_m + 0.002, shade(seat_colour(), 0.55));
    }
    return m.build();
  }

  osg::ref_ptr<osg::Node> device_layer() {
    MeshBuilder m;
    for (const Device& d : hall_.devices) {
      if (!here(d)) continue;
      const Rgb c = device_colour(d.kind);
      switch (d.kind) {
        case DeviceKind::ticket_machine: m.add_box(d.position, 0.5, 0.45, 0.0, 1.5, c); break;
        case DeviceKind::self_service_kiosk: m.add_box(d.position, 0.55, 0.5, 0.0, 1.6, c); break;
        case DeviceKind::guide_desk: m.add_box(d.position, 1.2, 0.6, 0.0, 0.95, c); break;
        case DeviceKind::info_screen:
          // A screen on a stand: post and panel.
          m.add_box(d.position, 0.12, 0.12, 0.0, 1.2, shade(c, 1.4));
          m.add_box(d.position, 0.9, 0.15, 1.2, 1.8, c);
          break;
      }
    }
    return m.build();
  }

  osg::ref_ptr<osg::Node> facility_layer() {
    MeshBuilder m, discs;
    const double ceiling_m = hall_.floor(floor_).height_m;
    // Real facilities are 0.1-0.7 m across: a few pixels in the plan of a big
    // hall. A disc on the floor, growing with the hall, keeps them findable.
    const double disc_r = std::clamp(extent_m_ / 110.0, 0.16, 0.6);
    for (const Facility& f : hall_.facilities) {
      if (!here(f)) continue;
      const Rgb c = facility_colour(f.type);
      const Vec2 p = f.position;
      discs.add_cylinder(p, disc_r, 0.0, kMarkerZ_m, f.type == FacilityType::first_aid_kit ? Rgb{0, 150, 70} : c, 20);
      switch (f.type) {
        case FacilityType::extinguisher:
          m.add_cylinder(p, f.wheeled ? 0.2 : 0.09, 0.0, f.wheeled ? 0.9 : 0.6, c, 12);
          m.add_cylinder(p, 0.04, 0.6, 0.68, {30, 30, 30}, 8);  // valve
          break;
        case FacilityType::exit_sign:
          m.add_box(p, 0.36, 0.36, 2.2, 2.36, c);
          m.add_box(p, 0.2, 0.08, 2.36, 2.37, {255, 255, 255});  // the white running figure, abstracted
          break;
        case FacilityType::emergency_light:
          m.add_box(p, 0.32, 0.14, 2.45, 2.6, c);
          m.add_box(p, 0.32, 0.14, 2.6, 2.65, {240, 240, 240});
          break;
        case FacilityType::hydrant: m.add_box(p, 0.7, 0.24, 0.0, 1.6, c); break;
        case FacilityType::aed:
          m.add_box(p, 0.42, 0.24, 1.0, 1.5, c);
          m.add_box(p, 0.14, 0.12, 1.5, 1.51, {220, 20, 40});  // the heart
          break;
        case FacilityType::camera: m.add_cylinder(p, 0.09, ceiling_m - 0.25, ceiling_m - 0.05, c, 12); break;
        case FacilityType::first_aid_kit:
          m.add_box(p, 0.4, 0.24, 1.0, 1.3, c);
          m.add_box(p, 0.24, 0.07, 1.3, 1.31, {0, 150, 70});  // green cross
          m.add_box(p, 0.07, 0.2, 1.3, 1.31, {0, 150, 70});
          break;
      }
    }
    osg::ref_ptr<osg::Group> group = new osg::Group;
    group->addChild(m.build());
    plan_markers_->addChild(discs.build(), true);
    group->addChild(plan_markers_);
    return group;
  }

  osg::ref_ptr<osg::Node> label_layer() {
    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    if (!font_) return geode;
    // Labels are an overlay: drawn last, without depth test, so walls never hide them.
    osg::StateSet* ss = geode->getOrCreateStateSet();
    ss->setRenderBinDetails(100, "RenderBin");
    ss->setAttributeAndModes(new osg::Depth(osg::Depth::ALWAYS, 0.0, 1.0, false), osg::StateAttribute::ON);
    const double base_m = std::clamp(0.028 * extent_m_, 0.25, 1.4);
    for (const Zone& z : hall_.zones) {
      if (!here(z) || z.polygon.size() < 3) continue;
      const std::string text = displayable(z.name, z.id, font_choice_);
      if (text.empty()) continue;
      const Bounds2 zb = ring_bounds(z.polygon);
      double size = std::min({base_m, 0.9 * zb.width_m() / text_width_em(text), 0.35 * zb.height_m()});
      size = std::max(size, 0.12);
      const Vec2 c = geom::centroid(z.polygon);
      // The label's bottom edge sits just above the centroid, keeping the
      // centroid pixel in the zone's own colour (the tests sample it there).
      geode->addDrawable(make_label(font_, text, osg::Vec3(c.x, c.y + 0.15 * size, kLabelZ_m), size,
                                    osgText::Text::CENTER_BOTTOM));
    }
    const double win_size = std::clamp(0.022 * extent_m_, 0.22, 0.8);
    for (const Window& w : hall_.windows) {
      if (!here(w)) continue;
      const std::string text = displayable(w.label, w.id, font_choice_);
      if (text.empty()) continue;
      // Over the counter, behind the marker as seen from the citizen.
      const Vec2 p = w.position - (0.5 * kWindowMarker_m + 0.6 * win_size) * w.facing;
      geode->addDrawable(make_label(font_, text, osg::Vec3(p.x, p.y, 1.6), win_size, osgText::Text::CENTER_CENTER));
    }
    return geode;
  }

  const Hall& hall_;
  FloorId floor_;
  osgText::Font* font_;
  FontChoice font_choice_;
  double extent_m_ = 1.0;
  std::vector<Polygon> openings_;
  osg::ref_ptr<osg::Switch> plan_markers_;
};

}  // namespace

osg::ref_ptr<osgText::Font> load_label_font(const FontChoice& choice) {
  if (choice.path.empty()) return nullptr;
  osg::ref_ptr<osgText::Font> font = osgText::readRefFontFile(choice.path);
  // OSG asks for 16x anisotropic filtering of the glyph textures. Labels
  // always face the camera, so their glyphs are never seen at a slant and it
  // buys nothing, but a software renderer (llvmpipe) takes many texture
  // samples per pixel for it: it made the labels most of a frame's cost.
  // Only glyph textures created after this call are affected: before any label.
  if (font) font->setMaxAnisotropy(1.0f);
  return font;
}

osg::ref_ptr<osgText::Text> make_label(osgText::Font* font, const std::string& text, osg::Vec3 position,
                                       double size_m, osgText::Text::AlignmentType align, Rgb colour, bool outline) {
  osg::ref_ptr<osgText::Text> t = new osgText::Text;
  t->setFont(font);
  t->setFontResolution(kLabelMax_px, kLabelMax_px);
  t->setCharacterSize(static_cast<float>(size_m));
  // Metres in the plan, but never taller than the glyph resolution on screen:
  // in a perspective view a label next to the eye would otherwise fill it.
  t->setCharacterSizeMode(osgText::Text::OBJECT_COORDS_WITH_MAXIMUM_SCREEN_SIZE_CAPPED_BY_FONT_HEIGHT);
  t->setAxisAlignment(osgText::Text::SCREEN);  // readable from any camera
  t->setAlignment(align);
  t->setPosition(position);
  t->setColor(to_vec4(colour));
  // Labels are overlays (drawn last, depth test off): the depth they would
  // write hides nothing, and OSG writes it in a second pass over every glyph.
  t->setEnableDepthWrites(false);
  if (outline) {
    t->setBackdropType(osgText::Text::OUTLINE);
    t->setBackdropColor(osg::Vec4(1.0f, 1.0f, 1.0f, 0.85f));
  }
  t->setText(text, osgText::String::ENCODING_UTF8);
  static const osg::ref_ptr<LegibleLabelCull> legible = new LegibleLabelCull;  // stateless: one for all labels
  t->setCullCallback(legible.get());
  return t;
}

std::string_view layer_name(Layer layer) {
  switch (layer) {
    case Layer::floor: return "floor";
    case Layer::zones: return "zones";
    case Layer::doors: return "doors";
    case Layer::walls: return "walls";
    case Layer::obstacles: return "obstacles";
    case Layer::windows: return "windows";
    case Layer::seats: return "seats";
    case Layer::devices: return "devices";
    case Layer::facilities: return "facilities";
    case Layer::labels: return "labels";
  }
  return "?";
}

void FloorScene::set_visible(Layer layer, bool on) { root->setValue(static_cast<unsigned>(layer), on); }
bool FloorScene::visible(Layer layer) const { return root->getValue(static_cast<unsigned>(layer)); }
void FloorScene::set_plan_markers(bool on) {
  if (on) plan_markers->setAllChildrenOn();
  else plan_markers->setAllChildrenOff();
}

FloorScene build_floor_scene(const Hall& hall, FloorId floor, osgText::Font* font, const FontChoice& font_choice) {
  return SceneBuilder(hall, floor, font, font_choice).build();
}

}  // namespace halltwin::render
