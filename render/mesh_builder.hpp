#pragma once
// Accumulates unlit, vertex-coloured triangles and lines and turns them into
// one osg::Geode (two draw calls), so a layer with hundreds of seats or walls
// costs no more than one with a few. Shading of vertical faces is baked into
// the colours (a fixed light from the south-west); horizontal tops keep the
// exact palette colour.
#include <osg/Geode>
#include <osg/Array>
#include <osg/ref_ptr>

#include "model/geometry/polygon_ops.hpp"
#include "render/viewer.hpp"

namespace halltwin::render {

// Triangles (three vertices each) covering a polygon with holes; non-convex
// outlines are fine. Empty when the rings are degenerate.
std::vector<Vec2> triangulate(const geom::PolygonWithHoles& rings);

class MeshBuilder {
 public:
  MeshBuilder();

  // A horizontal polygon at height z_m in the colour c.
  void add_cap(const geom::PolygonWithHoles& rings, double z_m, Rgb c);
  // A prism from z0_m to z1_m: top cap in c, sides in `side` shaded (no
  // bottom: never seen).
  void add_prism(const geom::PolygonWithHoles& rings, double z0_m, double z1_m, Rgb c, Rgb side);
  void add_prism(const geom::PolygonWithHoles& rings, double z0_m, double z1_m, Rgb c) { add_prism(rings, z0_m, z1_m, c, c); }
  void add_box(Vec2 centre, double size_x_m, double size_y_m, double z0_m, double z1_m, Rgb c);
  void add_cylinder(Vec2 centre, double radius_m, double z0_m, double z1_m, Rgb c, int segments = 16);
  // The closed outline of a ring at height z_m, as lines.
  void add_outline(const Polygon& ring, double z_m, Rgb c);

  bool empty() const;
  osg::ref_ptr<osg::Geode> build() const;

 private:
  void triangle(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c, Rgb colour);

  osg::ref_ptr<osg::Vec3Array> tri_vertices_;
  osg::ref_ptr<osg::Vec4Array> tri_colours_;
  osg::ref_ptr<osg::Vec3Array> line_vertices_;
  osg::ref_ptr<osg::Vec4Array> line_colours_;
};

osg::Vec4 to_vec4(Rgb c, float alpha = 1.0f);

}  // namespace halltwin::render
