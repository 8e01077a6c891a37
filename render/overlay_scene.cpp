#include "render/overlay_scene.hpp"

#include <osg/AlphaFunc>
#include <osg/Depth>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Image>
#include <osg/Texture2D>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "render/mesh_builder.hpp"
#include "render/view_geometry.hpp"

namespace halltwin::render {

namespace {

// The largest texture side used: every OpenGL 2 implementation offers at
// least 4096, and a 0.1 m raster only exceeds it on floors over 400 m long.
constexpr int kMaxTextureSide_px = 4096;

constexpr double kRingZ_m = 0.09;     // above the facility discs (kMarkerZ_m)
constexpr double kPinHeight_m = 2.4;  // above counters and heads, below most ceilings
// Render bins after the zone labels (100): markers and their labels stay on top.
constexpr int kMarkerBin = 110;
constexpr int kMarkerLabelBin = 111;

Polygon circle(Vec2 c, double r_m, int segments = 48) {
  Polygon p;
  p.reserve(static_cast<std::size_t>(segments));
  for (int i = 0; i < segments; ++i) {
    const double a = 2.0 * std::numbers::pi * i / segments;
    p.push_back({c.x + r_m * std::cos(a), c.y + r_m * std::sin(a)});
  }
  return p;
}

void add_annulus(MeshBuilder& m, Vec2 c, double r_inner_m, double r_outer_m, double z_m, Rgb colour) {
  m.add_cap(geom::PolygonWithHoles{circle(c, r_outer_m), {circle(c, r_inner_m)}}, z_m, colour);
}

// Drawn last and regardless of depth, like the zone labels.
void on_top(osg::Node& node, int bin) {
  osg::StateSet* ss = node.getOrCreateStateSet();
  ss->setRenderBinDetails(bin, "RenderBin");
  ss->setAttributeAndModes(new osg::Depth(osg::Depth::ALWAYS, 0.0, 1.0, false), osg::StateAttribute::ON);
}

struct MarkerGroup {
  Vec2 at;
  bool fail = false;
  std::string text;  // rule ids, one a line
  int lines = 0;
  std::size_t widest = 0;  // characters of the longest line
};

}  // namespace

double finding_marker_radius_m(double extent_m) { return std::clamp(extent_m / 60.0, 0.3, 1.2); }

osg::ref_ptr<osg::Node> build_heatmap(const geom::FloorGrid& grid, const geom::DistanceField* field, double limit_m) {
  const int stride = std::max({1, (grid.nx() + kMaxTextureSide_px - 1) / kMaxTextureSide_px,
                               (grid.ny() + kMaxTextureSide_px - 1) / kMaxTextureSide_px});
  const int tw = (grid.nx() + stride - 1) / stride, th = (grid.ny() + stride - 1) / stride;
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->setName("heatmap");
  if (tw <= 0 || th <= 0) return geode;

  osg::ref_ptr<osg::Image> image = new osg::Image;
  image->allocateImage(tw, th, 1, GL_RGBA, GL_UNSIGNED_BYTE);
  // Row 0 of an OSG image is texture t = 0, the grid's southern edge: texel
  // (I, J) is cell (I, J) when stride is 1, the middle cell of its block otherwise.
  for (int J = 0; J < th; ++J)
    for (int I = 0; I < tw; ++I) {
      const int i = std::min(I * stride + stride / 2, grid.nx() - 1), j = std::min(J * stride + stride / 2, grid.ny() - 1);
      const std::size_t k = grid.index(i, j);
      unsigned char* px = image->data(I, J);
      if (!grid.walkable(k)) {
        px[0] = px[1] = px[2] = px[3] = 0;
        continue;
      }
      const Rgb c = ramp_colour(field ? field->at_cell(k) : std::numeric_limits<double>::infinity(), limit_m);
      px[0] = c.r, px[1] = c.g, px[2] = c.b, px[3] = 255;
    }

  osg::ref_ptr<osg::Texture2D> texture = new osg::Texture2D(image);
  // Nearest texel: each cell shows its own value, and the transparent
  // outside never bleeds into the walkable edge.
  texture->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
  texture->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
  texture->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
  texture->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
  texture->setResizeNonPowerOfTwoHint(false);  // rescaling to a power of two would resample the cells

  const Vec2 o = grid.origin();
  const double w_m = tw * stride * grid.cell_m(), h_m = th * stride * grid.cell_m();
  const auto z = static_cast<float>(kHeatmapZ_m);
  osg::ref_ptr<osg::Geometry> quad = new osg::Geometry;
  quad->setUseDisplayList(false);
  quad->setUseVertexBufferObjects(true);
  osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array;
  v->push_back(osg::Vec3(o.x, o.y, z));
  v->push_back(osg::Vec3(o.x + w_m, o.y, z));
  v->push_back(osg::Vec3(o.x + w_m, o.y + h_m, z));
  v->push_back(osg::Vec3(o.x, o.y + h_m, z));
  osg::ref_ptr<osg::Vec2Array> uv = new osg::Vec2Array;
  uv->push_back(osg::Vec2(0, 0));
  uv->push_back(osg::Vec2(1, 0));
  uv->push_back(osg::Vec2(1, 1));
  uv->push_back(osg::Vec2(0, 1));
  osg::ref_ptr<osg::Vec4Array> white = new osg::Vec4Array;
  white->push_back(osg::Vec4(1, 1, 1, 1));  // the default texture environment multiplies: white keeps the texel's colour
  quad->setVertexArray(v);
  quad->setTexCoordArray(0, uv);
  quad->setColorArray(white, osg::Array::BIND_OVERALL);
  quad->addPrimitiveSet(new osg::DrawArrays(GL_QUADS, 0, 4));
  geode->addDrawable(quad);

  osg::StateSet* ss = geode->getOrCreateStateSet();
  ss->setTextureAttributeAndModes(0, texture, osg::StateAttribute::ON);
  // Non-walkable texels are cut out, not blended: walls and counters keep
  // their own colours and the heatmap's colours stay exact.
  ss->setAttributeAndModes(new osg::AlphaFunc(osg::AlphaFunc::GREATER, 0.5f), osg::StateAttribute::ON);
  ss->setMode(GL_BLEND, osg::StateAttribute::OFF);
  return geode;
}

osg::ref_ptr<osg::Node> build_finding_markers(const std::vector<const check::Finding*>& findings, const Bounds2& floor,
                                              osgText::Font* font) {
  const double extent_m = std::max(floor.width_m(), floor.height_m());
  const double r = finding_marker_radius_m(extent_m);
  std::vector<MarkerGroup> groups;
  for (const check::Finding* f : findings) {
    if (!f->location) continue;
    auto g = std::find_if(groups.begin(), groups.end(), [&](const MarkerGroup& m) { return distance(m.at, *f->location) < 2.0 * r; });
    if (g == groups.end()) {
      groups.push_back({*f->location, false, "", 0, 0});
      g = groups.end() - 1;
    }
    g->fail = g->fail || f->status == check::Status::fail;
    g->text += (g->text.empty() ? "" : "\n") + f->rule;
    g->lines += 1;
    g->widest = std::max(g->widest, f->rule.size());
  }

  osg::ref_ptr<osg::Group> root = new osg::Group;
  root->setName("findings");
  MeshBuilder rings, pins;
  const Rgb white{255, 255, 255};
  for (const MarkerGroup& g : groups) {
    const Rgb c = g.fail ? finding_fail_colour() : finding_warn_colour();
    // White under the coloured ring and dot: a target that reads on every
    // heatmap colour (red and magenta included) and on dark walls.
    rings.add_cap(geom::PolygonWithHoles{circle(g.at, 1.15 * r), {}}, kRingZ_m, white);
    add_annulus(rings, g.at, 0.62 * r, r, kRingZ_m, c);
    rings.add_cap(geom::PolygonWithHoles{circle(g.at, 0.22 * r, 24), {}}, kRingZ_m, c);
    // The pin: found from afar in a perspective view, depth-tested like any object.
    pins.add_cylinder(g.at, 0.03 + 0.02 * r, 0.0, kPinHeight_m, shade(c, 0.8), 10);
    pins.add_cylinder(g.at, 0.12 + 0.1 * r, kPinHeight_m, kPinHeight_m + 0.2 + 0.15 * r, c, 20);
  }
  osg::ref_ptr<osg::Geode> ring_geode = rings.build();
  on_top(*ring_geode, kMarkerBin);
  root->addChild(ring_geode);
  root->addChild(pins.build());

  if (font) {
    osg::ref_ptr<osg::Geode> labels = new osg::Geode;
    on_top(*labels, kMarkerLabelBin);
    const double size_m = std::clamp(0.028 * extent_m, 0.25, 1.4);  // as large as the zone labels
    for (const MarkerGroup& g : groups) {
      const Rgb text_colour = shade(g.fail ? finding_fail_colour() : finding_warn_colour(), 0.45);
      // Rule ids are ASCII, about 0.6 em wide a character. Above the ring
      // unless that leaves the floor (a worst point is often in a corner),
      // then below; shifted sideways to stay within the floor.
      const double half_w_m = 0.5 * 0.6 * size_m * static_cast<double>(g.widest);
      const double h_m = 1.2 * size_m * g.lines;
      const bool above = g.at.y + 1.25 * r + h_m <= floor.max.y;
      const double x = floor.width_m() > 2.0 * half_w_m
                           ? std::clamp(g.at.x, floor.min.x + half_w_m, floor.max.x - half_w_m)
                           : g.at.x;
      const double y = above ? g.at.y + 1.25 * r : g.at.y - 1.25 * r;
      osg::ref_ptr<osgText::Text> t = make_label(font, g.text, osg::Vec3(x, y, kPinHeight_m + 0.5), size_m,
                                                 above ? osgText::Text::CENTER_BOTTOM : osgText::Text::CENTER_TOP,
                                                 text_colour, /*outline=*/true);
      // White on a dark outline: reads on every heatmap colour, red and
      // magenta included, where the scene's dark-on-white labels would not.
      t->setColor(osg::Vec4(1.0f, 1.0f, 1.0f, 1.0f));
      t->setBackdropColor(to_vec4(text_colour));
      t->setBackdropOffset(0.12f);
      labels->addDrawable(t);
    }
    root->addChild(labels);
  }
  return root;
}

void show_overlays(FloorScene& scene, OverlayData& data, FloorId floor, const std::vector<Overlay>& on,
                   osgText::Font* font) {
  scene.overlays->removeChildren(0, scene.overlays->getNumChildren());
  for (Overlay o : on) {
    if (is_heatmap(o)) {
      scene.overlays->addChild(build_heatmap(data.grid(floor), data.field(o, floor), data.limit(o).limit_m));
    } else {
      scene.overlays->addChild(build_finding_markers(data.located_findings(floor), floor_bounds(data.hall(), floor), font));
    }
  }
}

}  // namespace halltwin::render
