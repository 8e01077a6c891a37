#include "render/mesh_builder.hpp"

#include <osg/Geometry>
#include <osg/TriangleIndexFunctor>
#include <osgUtil/Tessellator>

#include <cmath>
#include <numbers>

#include "model/geometry/polygon_ops.hpp"
#include "render/palette.hpp"

namespace halltwin::render {

namespace {

// Horizontal direction the light comes from (south-west, as in a classic
// architectural rendering): faces turned towards it are lighter.
const Vec2 kLightFrom{-0.6, -0.8};

// Baked brightness of a vertical face with outward normal n: 0.62 facing away
// from the light up to 0.95 facing it. Tops stay at 1.0.
double side_shade(Vec2 n) { return 0.62 + 0.33 * 0.5 * (1.0 + dot(n, kLightFrom)); }

struct TriangleCollector {
  std::vector<unsigned> indices;
  void operator()(unsigned a, unsigned b, unsigned c) {
    indices.push_back(a);
    indices.push_back(b);
    indices.push_back(c);
  }
};

Polygon oriented(const Polygon& ring, bool ccw) {
  if ((geom::signed_area(ring) > 0.0) == ccw) return ring;
  return Polygon(ring.rbegin(), ring.rend());
}

}  // namespace

osg::Vec4 to_vec4(Rgb c, float alpha) { return {c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, alpha}; }

std::vector<Vec2> triangulate(const geom::PolygonWithHoles& rings) {
  if (rings.outer.size() < 3) return {};
  // GLU's tessellator (built into OSG) with the odd winding rule: holes are
  // subtracted whatever their orientation; new vertices may be appended where
  // edges cross, so triangles are read back from the rewritten geometry.
  osg::ref_ptr<osg::Geometry> geom = new osg::Geometry;
  osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array;
  geom->setVertexArray(v);
  auto add_ring = [&](const Polygon& ring) {
    if (ring.size() < 3) return;
    const auto first = static_cast<GLint>(v->size());
    for (const Vec2& p : ring) v->push_back(osg::Vec3(p.x, p.y, 0.0));
    geom->addPrimitiveSet(new osg::DrawArrays(GL_POLYGON, first, static_cast<GLsizei>(ring.size())));
  };
  add_ring(rings.outer);
  for (const Polygon& h : rings.holes) add_ring(h);

  osgUtil::Tessellator tess;
  tess.setTessellationType(osgUtil::Tessellator::TESS_TYPE_GEOMETRY);
  tess.setWindingType(osgUtil::Tessellator::TESS_WINDING_ODD);
  tess.setBoundaryOnly(false);
  tess.retessellatePolygons(*geom);

  osg::TriangleIndexFunctor<TriangleCollector> collect;
  geom->accept(collect);
  const auto* out_v = dynamic_cast<const osg::Vec3Array*>(geom->getVertexArray());
  std::vector<Vec2> tris;
  if (!out_v) return tris;
  tris.reserve(collect.indices.size());
  for (unsigned i : collect.indices) tris.push_back({(*out_v)[i].x(), (*out_v)[i].y()});
  return tris;
}

MeshBuilder::MeshBuilder()
    : tri_vertices_(new osg::Vec3Array),
      tri_colours_(new osg::Vec4Array),
      line_vertices_(new osg::Vec3Array),
      line_colours_(new osg::Vec4Array) {}

void MeshBuilder::triangle(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c, Rgb colour) {
  const osg::Vec4 col = to_vec4(colour);
  for (const osg::Vec3* p : {&a, &b, &c}) {
    tri_vertices_->push_back(*p);
    tri_colours_->push_back(col);
  }
}

void MeshBuilder::add_cap(const geom::PolygonWithHoles& rings, double z_m, Rgb c) {
  const std::vector<Vec2> tris = triangulate(rings);
  const auto z = static_cast<float>(z_m);
  for (std::size_t i = 0; i + 2 < tris.size(); i += 3)
    triangle({float(tris[i].x), float(tris[i].y), z}, {float(tris[i + 1].x), float(tris[i + 1].y), z},
             {float(tris[i + 2].x), float(tris[i + 2].y), z}, c);
}

void MeshBuilder::add_prism(const geom::PolygonWithHoles& rings, double z0_m, double z1_m, Rgb c, Rgb side) {
  add_cap(rings, z1_m, c);
  const auto z0 = static_cast<float>(z0_m), z1 = static_cast<float>(z1_m);
  // Outer ring counter-clockwise, holes clockwise: then (dy, -dx) of every
  // edge points out of the solid, which is what the baked shading needs.
  auto sides = [&](const Polygon& ring) {
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const Vec2 a = ring[i], b = ring[(i + 1) % ring.size()];
      const double len = distance(a, b);
      if (len < 1e-9) continue;
      const Vec2 n{(b.y - a.y) / len, -(b.x - a.x) / len};
      const Rgb col = shade(side, side_shade(n));
      const osg::Vec3 a0(a.x, a.y, z0), b0(b.x, b.y, z0), b1(b.x, b.y, z1), a1(a.x, a.y, z1);
      triangle(a0, b0, b1, col);
      triangle(a0, b1, a1, col);
    }
  };
  if (rings.outer.size() < 3) return;
  sides(oriented(rings.outer, true));
  for (const Polygon& h : rings.holes)
    if (h.size() >= 3) sides(oriented(h, false));
}

void MeshBuilder::add_box(Vec2 centre, double size_x_m, double size_y_m, double z0_m, double z1_m, Rgb c) {
  const double hx = 0.5 * size_x_m, hy = 0.5 * size_y_m;
  geom::PolygonWithHoles r;
  r.outer = {{centre.x - hx, centre.y - hy}, {centre.x + hx, centre.y - hy},
             {centre.x + hx, centre.y + hy}, {centre.x - hx, centre.y + hy}};
  add_prism(r, z0_m, z1_m, c);
}

void MeshBuilder::add_cylinder(Vec2 centre, double radius_m, double z0_m, double z1_m, Rgb c, int segments) {
  geom::PolygonWithHoles r;
  for (int i = 0; i < segments; ++i) {
    const double a = 2.0 * std::numbers::pi * i / segments;
    r.outer.push_back({centre.x + radius_m * std::cos(a), centre.y + radius_m * std::sin(a)});
  }
  add_prism(r, z0_m, z1_m, c);
}

void MeshBuilder::add_outline(const Polygon& ring, double z_m, Rgb c) {
  const osg::Vec4 col = to_vec4(c);
  const auto z = static_cast<float>(z_m);
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Vec2 a = ring[i], b = ring[(i + 1) % ring.size()];
    line_vertices_->push_back(osg::Vec3(a.x, a.y, z));
    line_vertices_->push_back(osg::Vec3(b.x, b.y, z));
    line_colours_->push_back(col);
    line_colours_->push_back(col);
  }
}

bool MeshBuilder::empty() const { return tri_vertices_->empty() && line_vertices_->empty(); }

osg::ref_ptr<osg::Geode> MeshBuilder::build() const {
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  auto make = [&](const osg::ref_ptr<osg::Vec3Array>& v, const osg::ref_ptr<osg::Vec4Array>& c, GLenum mode) {
    if (v->empty()) return;
    osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
    g->setUseDisplayList(false);
    g->setUseVertexBufferObjects(true);
    // Copies: the builder may keep growing after build() (it does not today,
    // but sharing mutable arrays with a live scene graph would be a trap).
    g->setVertexArray(new osg::Vec3Array(*v));
    g->setColorArray(new osg::Vec4Array(*c), osg::Array::BIND_PER_VERTEX);
    g->addPrimitiveSet(new osg::DrawArrays(mode, 0, static_cast<GLsizei>(v->size())));
    geode->addDrawable(g);
  };
  make(tri_vertices_, tri_colours_, GL_TRIANGLES);
  make(line_vertices_, line_colours_, GL_LINES);
  return geode;
}

}  // namespace halltwin::render
