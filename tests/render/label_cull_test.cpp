// Labels too small to read, or behind the eye, are culled (render/scene.hpp,
// make_label). A cull traversal needs no window: the labels are culled by an
// osgUtil::CullVisitor set up as the viewer sets it up for a camera, with
// OSG's own view-frustum and small-feature culling off, so only the label's
// own test decides.
#include <gtest/gtest.h>

#include <osg/Geode>
#include <osg/MatrixTransform>
#include <osg/Viewport>
#include <osgUtil/CullVisitor>
#include <osgUtil/RenderStage>
#include <osgUtil/StateGraph>

#include <cmath>
#include <numbers>

#include "render/scene.hpp"

namespace halltwin::render {
namespace {

constexpr int kW = 640, kH = 400;

std::size_t leaves(const osgUtil::StateGraph& g) {
  std::size_t n = g._leaves.size();
  for (const auto& [state, child] : g._children) n += leaves(*child);
  return n;
}

// How many drawables of `node` a cull with this view and projection keeps.
std::size_t kept(osg::Node& node, const osg::Matrixd& view, const osg::Matrixd& projection) {
  osg::ref_ptr<osgUtil::CullVisitor> cv = new osgUtil::CullVisitor;
  osg::ref_ptr<osgUtil::StateGraph> graph = new osgUtil::StateGraph;
  osg::ref_ptr<osgUtil::RenderStage> stage = new osgUtil::RenderStage;
  osg::ref_ptr<osg::Viewport> viewport = new osg::Viewport(0, 0, kW, kH);
  stage->setViewport(viewport.get());
  cv->setStateGraph(graph.get());
  cv->setRenderStage(stage.get());
  cv->setCullingMode(osg::CullSettings::NO_CULLING);
  cv->setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
  cv->pushViewport(viewport.get());
  cv->pushProjectionMatrix(new osg::RefMatrix(projection));
  cv->pushModelViewMatrix(new osg::RefMatrix(view), osg::Transform::ABSOLUTE_RF);
  node.accept(*cv);
  cv->popModelViewMatrix();
  cv->popProjectionMatrix();
  cv->popViewport();
  return leaves(*graph);
}

osg::ref_ptr<osg::Geode> one_label(double size_m, osg::Vec3 at = {0, 0, 0}) {
  osg::ref_ptr<osg::Geode> g = new osg::Geode;
  g->addDrawable(make_label(nullptr, "A01", at, size_m, osgText::Text::CENTER_CENTER));  // OSG's built-in font
  return g;
}

// Perspective, 30 degrees vertically: pixels per metre at `distance_m`.
double px_per_m(double distance_m) { return 0.5 * kH / std::tan(15.0 * std::numbers::pi / 180.0) / distance_m; }

const osg::Matrixd kPerspective = osg::Matrixd::perspective(30.0, double(kW) / kH, 0.1, 1e5);

// The eye `distance_m` south of the label at the origin, looking north.
osg::Matrixd looking_at_origin_from(double distance_m) {
  return osg::Matrixd::lookAt(osg::Vec3d(0, -distance_m, 0), osg::Vec3d(0, 0, 0), osg::Vec3d(0, 0, 1));
}

TEST(LabelCull, ALabelTallerThanTheLimitOnScreenIsDrawn) {
  const double size_m = 0.5;
  const double d = size_m * px_per_m(1.0) / (3.0 * kLabelMin_px);  // 3 x the limit on screen
  EXPECT_EQ(kept(*one_label(size_m), looking_at_origin_from(d), kPerspective), 1u);
}

TEST(LabelCull, ALabelShorterThanTheLimitOnScreenIsNot) {
  const double size_m = 0.5;
  const double d = size_m * px_per_m(1.0) / (0.75 * kLabelMin_px);  // 3/4 of the limit
  EXPECT_EQ(kept(*one_label(size_m), looking_at_origin_from(d), kPerspective), 0u);
  // At the same distance a label twice as tall (1.5 x the limit) is drawn.
  EXPECT_EQ(kept(*one_label(2 * size_m), looking_at_origin_from(d), kPerspective), 1u);
}

TEST(LabelCull, ALabelBehindTheEyeIsNotDrawn) {
  // Large (it would be 37 px in front), but 10 m behind the eye.
  EXPECT_EQ(kept(*one_label(0.5, {0, -20, 0}), looking_at_origin_from(10), kPerspective), 0u);
  EXPECT_EQ(kept(*one_label(0.5, {0, 0, 0}), looking_at_origin_from(10), kPerspective), 1u);
}

TEST(LabelCull, PlanViewCullsByTheScaleOfThePlan) {
  // Orthographic top view, as the plan camera: a 0.3 m label on a 1,000 m
  // wide view is 0.19 px tall, on a 20 m wide one 9.6 px.
  const osg::Matrixd down = osg::Matrixd::lookAt(osg::Vec3d(0, 0, 100), osg::Vec3d(0, 0, 0), osg::Vec3d(0, 1, 0));
  const auto ortho = [](double width_m) {
    const double h = 0.5 * width_m * kH / kW;
    return osg::Matrixd::ortho(-0.5 * width_m, 0.5 * width_m, -h, h, 0.1, 1e4);
  };
  EXPECT_EQ(kept(*one_label(0.3), down, ortho(1000.0)), 0u);
  EXPECT_EQ(kept(*one_label(0.3), down, ortho(20.0)), 1u);
}

TEST(LabelCull, AFloorsTransformIsTakenIntoAccount) {
  // An exploded view lifts the upper floors with a transform: the label's
  // anchor is in the floor's frame. Lifted 40 m towards an eye 45 m above
  // the origin, the small label is 5 m from the eye and readable.
  const osg::Matrixd down = osg::Matrixd::lookAt(osg::Vec3d(0, 0, 45), osg::Vec3d(0, 0, 0), osg::Vec3d(0, 1, 0));
  const double size_m = kLabelMin_px / px_per_m(5.0) * 2.0;  // 2 x the limit at 5 m, 0.2 x at 45 m
  osg::ref_ptr<osg::MatrixTransform> lift = new osg::MatrixTransform(osg::Matrixd::translate(0, 0, 40));
  lift->addChild(one_label(size_m));
  EXPECT_EQ(kept(*one_label(size_m), down, kPerspective), 0u);
  EXPECT_EQ(kept(*lift, down, kPerspective), 1u);
}

}  // namespace
}  // namespace halltwin::render
