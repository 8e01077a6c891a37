#pragma once
// Polygon algebra and measures on the plane, in metres. Backed by
// Boost.Geometry (kept out of this header so that including it stays cheap).
#include <optional>
#include <string>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

// Signed area in m2: positive for counter-clockwise vertex order.
double signed_area(const Polygon& poly);
// Absolute area in m2.
double area(const Polygon& poly);
// Area-weighted centroid.
Vec2 centroid(const Polygon& poly);
// Same polygon, counter-clockwise.
Polygon counter_clockwise(Polygon poly);

// Why a polygon is unusable (fewer than 3 distinct vertices, zero area,
// self-intersecting edges, repeated vertices), or nullopt when it is a valid
// simple polygon. The text is meant for the user ("edges 2 and 4 cross near (3.0, 1.5)").
std::optional<std::string> invalidity(const Polygon& poly);

// Point in polygon; points on the edge count as inside.
bool contains(const Polygon& poly, Vec2 p);
// Distance from p to the nearest edge of poly (0 on the edge; positive inside and outside).
double distance_to_boundary(const Polygon& poly, Vec2 p);
// Whether two polygons overlap with positive area (touching edges do not count).
bool overlaps(const Polygon& a, const Polygon& b);

// The point of segment s nearest to p (s.a for a degenerate segment).
Vec2 closest_point_on_segment(Vec2 p, const Segment& s);
double point_segment_distance(Vec2 p, const Segment& s);
double segment_segment_distance(const Segment& s, const Segment& t);
// Whether the two segments cross at a point interior to both (touching at
// endpoints or collinear overlap does not count).
bool segments_cross_properly(const Segment& s, const Segment& t);

// Whether a circle of radius_m fits entirely inside the polygon (the polygon
// shrunk by radius_m is not empty). Used for turning circles (1.50 m diameter).
bool fits_circle(const Polygon& poly, double radius_m);

// A polygon with holes: outer ring counter-clockwise, holes clockwise, not closed.
struct PolygonWithHoles {
  Polygon outer;
  std::vector<Polygon> holes;
};

// `shape` minus the union of `cutters` (empty when fully cut), e.g. a wall with
// its door openings.
std::vector<PolygonWithHoles> difference(const Polygon& shape, const std::vector<Polygon>& cutters);

// The band of width thickness_m just outside `boundary` (mitred corners) minus
// `cutters`: a floor's exterior walls with their door openings.
std::vector<PolygonWithHoles> outer_band(const Polygon& boundary, double thickness_m,
                                         const std::vector<Polygon>& cutters);

// A rectangle centred on the segment, extending half_depth_m to each side of it.
// Used to cut door openings out of walls.
Polygon segment_rectangle(const Segment& s, double half_depth_m);

}  // namespace halltwin::geom
