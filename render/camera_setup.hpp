#pragma once
// Applies a CameraPose (render/view_geometry.hpp) to an OSG camera.
#include <osg/Camera>

#include "render/view_geometry.hpp"

namespace halltwin::render {

inline osg::Vec3d to_osg(Vec3 v) { return {v.x, v.y, v.z}; }

// Sets view and projection for an image of the given aspect ratio (width /
// height). Near and far come from the pose; OSG must not recompute them for
// the screenshot to match top_projection() exactly.
void apply_pose(osg::Camera& camera, const CameraPose& pose, double aspect);

// Background colour and clear mask shared by both modes.
void set_background(osg::Camera& camera);

}  // namespace halltwin::render
