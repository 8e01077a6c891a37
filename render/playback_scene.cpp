#include "render/playback_scene.hpp"

#include <osg/BlendFunc>
#include <osg/Depth>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "render/mesh_builder.hpp"
#include "render/palette.hpp"

namespace halltwin::render {

namespace {

constexpr int kSides = 6;                        // hexagonal figures: round enough, few vertices
constexpr int kVertsPerFigure = 2 * kSides;      // a top ring and a bottom ring
constexpr int kTrianglesPerFigure = (kSides - 2) + 2 * kSides;  // top fan + side quads
constexpr int kIndicesPerFigure = 3 * kTrianglesPerFigure;
constexpr double kDensityZ_m = 0.04;                    // just above the zones, under the door strips

osg::Vec4ub ub(Rgb c, unsigned char a = 255) { return {c.r, c.g, c.b, a}; }

// The figures' bound is the box of the floors shown, up to head height: OSG
// would otherwise recompute it from all vertices (12 a person) every frame.
struct FixedBound : osg::Drawable::ComputeBoundingBoxCallback {
  explicit FixedBound(const osg::BoundingBox& box) : box(box) {}
  osg::BoundingBox computeBound(const osg::Drawable&) const override { return box; }
  osg::BoundingBox box;
};

}  // namespace

Rgb person_state_colour(PersonState s) {
  switch (s) {
    case PersonState::walking: return {40, 90, 255};          // blue
    case PersonState::waiting_seated: return {255, 205, 0};   // gold
    case PersonState::waiting_standing: return {255, 110, 0}; // orange
    case PersonState::at_window: return {0, 190, 60};         // green
    case PersonState::evacuating: return {235, 0, 0};         // red: the alarm
    case PersonState::gone: return {128, 128, 128};
  }
  return {255, 0, 255};
}

osg::Vec4ub density_colour(double d) {
  if (d <= 0.0) return {0, 0, 0, 0};
  const double u = std::clamp(d / kDensityFull_ppm2, 0.0, 1.0);
  // yellow (low) -> orange -> red (crowded), more opaque as it fills
  const auto r = static_cast<unsigned char>(255);
  const auto g = static_cast<unsigned char>(std::lround(230.0 * (1.0 - u)));
  const auto a = static_cast<unsigned char>(std::lround(90.0 + 130.0 * u));
  return {r, g, 0, a};
}

PlaybackScene::PlaybackScene(const Hall& hall, const Playback& playback, const HallScene& scene, osgText::Font* font,
                             double figure_radius_m)
    : hall_(hall), playback_(playback), scene_(scene), font_(font), radius_m_(figure_radius_m) {
  root_ = new osg::Switch;
  root_->setName("people");
  root_->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);

  // All figures are one vertex array rewritten each frame: one draw call for
  // thousands of people (a node per person would cost a cull traversal each).
  figures_ = new osg::Geometry;
  figures_->setDataVariance(osg::Object::DYNAMIC);
  figures_->setUseDisplayList(false);
  figures_->setUseVertexBufferObjects(true);
  fig_v_ = new osg::Vec3Array;
  fig_c_ = new osg::Vec4ubArray;
  fig_v_->setDataVariance(osg::Object::DYNAMIC);
  figures_->setVertexArray(fig_v_);
  figures_->setColorArray(fig_c_, osg::Array::BIND_PER_VERTEX);
  // Indexed: 12 vertices a figure instead of 48 (the software renderer's
  // vertex stage is a large part of a frame with thousands of figures); the
  // index pattern is the same for every figure and only grows.
  fig_draw_ = new osg::DrawElementsUInt(GL_TRIANGLES);
  figures_->addPrimitiveSet(fig_draw_);
  {
    const Bounds2 hb = hall_bounds(hall);
    osg::BoundingBox box;
    for (FloorId f : scene.shown) {
      box.expandBy(osg::Vec3(hb.min.x - radius_m_, hb.min.y - radius_m_, scene.elevation_m[f.value]));
      box.expandBy(osg::Vec3(hb.max.x + radius_m_, hb.max.y + radius_m_, scene.elevation_m[f.value] + kFigureHeight_m));
    }
    figures_->setComputeBoundingBoxCallback(new FixedBound(box));
  }
  // Closed prisms wound counter-clockwise seen from outside (the open bottom
  // stands on the floor): the far sides are hidden anyway, and culling them
  // spares the software renderer's setup a third of a figure's triangles in
  // a perspective view.
  figures_->getOrCreateStateSet()->setMode(GL_CULL_FACE, osg::StateAttribute::ON);
  osg::ref_ptr<osg::Geode> people = new osg::Geode;
  people->addDrawable(figures_);
  root_->addChild(people, true);

  queue_geode_ = new osg::Geode;
  queue_geode_->getOrCreateStateSet()->setRenderBinDetails(101, "RenderBin");
  queue_geode_->getOrCreateStateSet()->setAttributeAndModes(new osg::Depth(osg::Depth::ALWAYS, 0.0, 1.0, false));
  queue_text_.resize(hall.windows.size());
  // As tall as a window's own label in this hall, a little bigger.
  const Bounds2 hb = hall_bounds(hall);
  const double label_m = std::clamp(0.03 * std::max(hb.width_m(), hb.height_m()), 0.35, 1.2);
  for (std::size_t w = 0; w < hall.windows.size(); ++w) {
    const Window& win = hall.windows[w];
    if (!font_ || !scene.is_shown(win.floor)) continue;
    const double z = scene.elevation_m[win.floor.value] + kQueueLabelZ_m;
    // Over the counter, beyond the window's own label: never over the person being served.
    const Vec2 p = win.position - 1.3 * win.facing;
    // Never an empty string: an empty text's bound would cull it for good. A
    // window without a queue hides its label instead.
    queue_text_[w] = make_label(font_, "0", osg::Vec3(p.x, p.y, z), label_m,
                                osgText::Text::CENTER_BOTTOM, {150, 30, 0}, true);
    queue_text_[w]->setDataVariance(osg::Object::DYNAMIC);
    queue_text_[w]->setNodeMask(0u);
    queue_geode_->addDrawable(queue_text_[w]);
  }
  root_->addChild(queue_geode_, true);

  density_ = new osg::Geometry;
  density_->setDataVariance(osg::Object::DYNAMIC);
  density_->setUseDisplayList(false);
  density_->setUseVertexBufferObjects(true);
  den_v_ = new osg::Vec3Array;
  den_c_ = new osg::Vec4ubArray;
  density_->setVertexArray(den_v_);
  density_->setColorArray(den_c_, osg::Array::BIND_PER_VERTEX);
  den_draw_ = new osg::DrawArrays(GL_TRIANGLES, 0, 0);
  density_->addPrimitiveSet(den_draw_);
  osg::ref_ptr<osg::Geode> den = new osg::Geode;
  den->addDrawable(density_);
  osg::StateSet* ss = den->getOrCreateStateSet();
  ss->setMode(GL_BLEND, osg::StateAttribute::ON);
  ss->setAttributeAndModes(new osg::BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA));
  ss->setAttributeAndModes(new osg::Depth(osg::Depth::LESS, 0.0, 1.0, false));
  ss->setRenderingHint(osg::StateSet::TRANSPARENT_BIN);
  root_->addChild(den, false);
}

void PlaybackScene::update(double t_s, std::optional<std::uint32_t> selected) {
  playback_.people_at(t_s, present_);
  update_people(selected);
  if (root_->getValue(1)) update_queues(t_s);
  if (root_->getValue(2)) update_density(t_s);
}

void PlaybackScene::update_people(std::optional<std::uint32_t> selected) {
  static const auto ring = [] {
    std::array<Vec2, kSides> r{};
    for (int k = 0; k < kSides; ++k) {
      const double a = 2.0 * std::numbers::pi * (k + 0.5) / kSides;
      r[k] = {std::cos(a), std::sin(a)};
    }
    return r;
  }();
  // The arrays only grow: figures beyond this frame's count collapse to a
  // point (no pixels), so the index pattern never needs rewriting.
  const std::size_t capacity = std::max(fig_v_->size() / kVertsPerFigure, present_.size());
  fig_v_->resize(capacity * kVertsPerFigure);
  fig_c_->resize(capacity * kVertsPerFigure);
  const std::size_t have = fig_draw_->size() / kIndicesPerFigure;
  if (have < capacity) {
    fig_draw_->reserve(capacity * kIndicesPerFigure);
    for (std::size_t f = have; f < capacity; ++f) {
      const auto base = static_cast<unsigned>(f * kVertsPerFigure);  // top ring base..base+5, bottom base+6..
      for (int k = 1; k + 1 < kSides; ++k)
        for (unsigned i : {0u, static_cast<unsigned>(k), static_cast<unsigned>(k + 1)}) fig_draw_->push_back(base + i);
      for (int k = 0; k < kSides; ++k) {
        const unsigned t0 = base + k, t1 = base + (k + 1) % kSides, b0 = t0 + kSides, b1 = t1 + kSides;
        for (unsigned i : {b0, b1, t1, b0, t1, t0}) fig_draw_->push_back(i);
      }
    }
    fig_draw_->dirty();
  }
  std::size_t n = 0;
  drawn_.clear();
  for (const PersonAt& p : present_) {
    if (!scene_.is_shown(p.floor)) continue;
    drawn_.push_back(p.person);
    const double z0 = scene_.elevation_m[p.floor.value];
    const auto z1 = static_cast<float>(z0 + kFigureHeight_m);
    const Rgb top = person_state_colour(p.state);
    const bool sel = selected && *selected == p.person;
    const osg::Vec4ub top_c = ub(top), side_c = sel ? osg::Vec4ub(255, 255, 255, 255) : ub(shade(top, 0.7));
    const auto at = [&](int k, double z) {
      return osg::Vec3(static_cast<float>(p.position.x + radius_m_ * ring[k].x),
                       static_cast<float>(p.position.y + radius_m_ * ring[k].y), static_cast<float>(z));
    };
    osg::Vec3* v = &(*fig_v_)[n];
    osg::Vec4ub* c = &(*fig_c_)[n];
    // Sides shade from the bottom ring's darker colour up to the state colour
    // at the top, which keeps the exact palette colour for the plan view.
    for (int k = 0; k < kSides; ++k) {
      v[k] = at(k, z1);
      c[k] = top_c;
      v[k + kSides] = at(k, z0);
      c[k + kSides] = side_c;
    }
    n += kVertsPerFigure;
  }
  figure_count_ = n / kVertsPerFigure;
  std::fill(fig_v_->begin() + static_cast<std::ptrdiff_t>(n), fig_v_->end(), osg::Vec3());
  fig_v_->dirty();
  fig_c_->dirty();
}

std::optional<std::uint32_t> PlaybackScene::person_of_triangle(unsigned primitive) const {
  const unsigned slot = primitive / kTrianglesPerFigure;
  if (slot >= drawn_.size()) return std::nullopt;
  return drawn_[slot];
}

void PlaybackScene::update_queues(double t_s) {
  const std::vector<int> q = playback_.queue_by_window(t_s);
  for (std::size_t w = 0; w < q.size(); ++w) {
    if (!queue_text_[w]) continue;
    if (w < queues_.size() && queues_[w] == q[w]) continue;
    if (q[w] > 0) queue_text_[w]->setText(std::to_string(q[w]));
    queue_text_[w]->setNodeMask(q[w] > 0 ? ~0u : 0u);
  }
  queues_ = q;
}

void PlaybackScene::update_density(double t_s) {
  // The grid changes slowly: once a simulated second is enough.
  if (std::abs(t_s - last_density_t_) < 1.0) return;
  last_density_t_ = t_s;
  den_v_->clear();
  den_c_->clear();
  for (FloorId f : scene_.shown) {
    Vec2 o;
    int cols = 0, rows = 0;
    const std::vector<float> grid = playback_.density(t_s, f, kDensityCell_m, o, cols, rows);
    const auto z = static_cast<float>(scene_.elevation_m[f.value] + kDensityZ_m);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) {
        const float d = grid[static_cast<std::size_t>(r) * cols + c];
        if (d <= 0.f) continue;
        const auto x0 = static_cast<float>(o.x + c * kDensityCell_m), y0 = static_cast<float>(o.y + r * kDensityCell_m);
        const auto x1 = static_cast<float>(x0 + kDensityCell_m), y1 = static_cast<float>(y0 + kDensityCell_m);
        for (const osg::Vec3& p : {osg::Vec3(x0, y0, z), osg::Vec3(x1, y0, z), osg::Vec3(x1, y1, z),
                                   osg::Vec3(x0, y0, z), osg::Vec3(x1, y1, z), osg::Vec3(x0, y1, z)}) {
          den_v_->push_back(p);
          den_c_->push_back(density_colour(d));
        }
      }
  }
  den_draw_->setCount(static_cast<GLsizei>(den_v_->size()));
  den_v_->dirty();
  den_c_->dirty();
  density_->dirtyBound();
}

}  // namespace halltwin::render
