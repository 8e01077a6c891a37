#pragma once
// The overlays as OpenSceneGraph nodes: distance heatmaps and finding
// markers. Only render/*.cpp include this header (it pulls in OSG).
#include <vector>

#include <osg/Node>
#include <osg/ref_ptr>
#include <osgText/Font>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "render/fonts.hpp"
#include "render/overlay_data.hpp"
#include "render/scene.hpp"
#include "render/view_geometry.hpp"

namespace halltwin::render {

// One texel per raster cell of `grid` (texels gather several cells only when
// the raster is wider than a texture may be), coloured by ramp_colour(value,
// limit_m) and transparent where the cell is not walkable, on a quad at
// kHeatmapZ_m. `field` null: no target on this floor, every walkable cell
// shows the unreachable colour.
osg::ref_ptr<osg::Node> build_heatmap(const geom::FloorGrid& grid, const geom::DistanceField* field, double limit_m);

// A ring with a filled centre at each finding's location (red for fail,
// orange for warn, white-edged), a pin for perspective views and the rule id
// as a label; findings within one ring of each other share a marker and list
// their ids together. Drawn over everything, so that no wall, seat or zone
// label hides them. `floor`: the floor as drawn (floor_bounds()), to size the
// rings and keep the labels inside the picture.
osg::ref_ptr<osg::Node> build_finding_markers(const std::vector<const check::Finding*>& findings, const Bounds2& floor,
                                              osgText::Font* font);

// Replaces scene.overlays' children with the overlays in `on` for `floor`,
// computing what they need on first use.
void show_overlays(FloorScene& scene, OverlayData& data, FloorId floor, const std::vector<Overlay>& on,
                   osgText::Font* font);

// Ring radius of a finding marker on a floor of this extent, metres.
double finding_marker_radius_m(double extent_m);

}  // namespace halltwin::render
