#include "render/camera_setup.hpp"

#include "render/mesh_builder.hpp"
#include "render/palette.hpp"

namespace halltwin::render {

void apply_pose(osg::Camera& camera, const CameraPose& pose, double aspect) {
  camera.setViewMatrixAsLookAt(to_osg(pose.eye), to_osg(pose.centre), to_osg(pose.up));
  if (pose.orthographic)
    camera.setProjectionMatrixAsOrtho(-pose.ortho_half_width_m, pose.ortho_half_width_m, -pose.ortho_half_height_m,
                                      pose.ortho_half_height_m, pose.near_m, pose.far_m);
  else
    camera.setProjectionMatrixAsPerspective(pose.fov_y_deg, aspect, pose.near_m, pose.far_m);
  camera.setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
}

void set_background(osg::Camera& camera) {
  camera.setClearColor(to_vec4(background_colour()));
  camera.setClearMask(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
}

}  // namespace halltwin::render
