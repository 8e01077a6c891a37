#pragma once
// The parts of a floor's walkable area that a person needing a clear width W
// can move through: the walkable area eroded by W/2 (the set of centres of a
// disc of diameter W that touches no wall, obstacle or boundary), plus the
// door openings, which count as passable (a door's width is another rule's).
// Two points are joined through passages at least W wide exactly when they lie
// in the same connected component of this set.
//
// WHY exact polygons and not a raster: a raster of cell centres whose
// clearance is at least W/2 finds a gap of exactly W only when a cell centre
// happens to fall on its middle line, so the verdict on a 1.10-1.15 m gap
// depended on where the gap sat on the grid (issue 17). The erosion is
// computed with Boost.Geometry (a negative buffer, round joins at the
// obstacles' corners), so the verdict depends only on the geometry: a passage
// counts as W wide when it is at least W - kWidthTolerance_m wide.
#include <memory>
#include <vector>

#include "model/geometry/vec2.hpp"
#include "model/geometry/walkable_area.hpp"

namespace halltwin::check {

// Widths within half a millimetre of the limit meet it: drawings are dimensioned
// to the millimetre, and the arcs of the round joins are chords within 0.05 mm.
inline constexpr double kWidthTolerance_m = 0.5e-3;

class WidePassages {
 public:
  // width_m: the clear width W, metres. passable: polygons (door openings)
  // added to the eroded area as they lie within the walkable area.
  WidePassages(const geom::WalkableArea& area, double width_m, const std::vector<Polygon>& passable);
  ~WidePassages();
  WidePassages(const WidePassages&) = delete;
  WidePassages& operator=(const WidePassages&) = delete;

  // Connected components of the passable set.
  int count() const;
  // Area of component c, m2.
  double area_m2(int c) const;
  // A point inside component c (never on its edge).
  Vec2 inner_point(int c) const;
  // The components that share area with `poly` (touching at an edge or a point does not count).
  std::vector<int> overlapping(const Polygon& poly) const;
  // Whether some point of the passable set lies within `radius_m` of p (a closed disc:
  // exact distance to the polygons, no polygonised disc). With no door openings added,
  // this is "a disc of diameter W fits with its centre within radius_m of p".
  bool reaches(Vec2 p, double radius_m) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace halltwin::check
