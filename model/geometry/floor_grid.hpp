#pragma once
// A regular raster over one floor's walkable area: the common domain of the
// distance fields, the clearance field and the density maps. Cell (i, j) has
// its centre at origin + ((i + 0.5) h, (j + 0.5) h). A cell is walkable when its
// centre lies in the walkable area.
#include <cstdint>
#include <limits>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::geom {

class WalkableArea;

class FloorGrid {
 public:
  // cell_m: cell edge length in metres (0.1-0.2 m gives walking distances to
  // well under 2%); the grid covers the area's bounding box.
  FloorGrid(const WalkableArea& area, double cell_m);

  int nx() const { return nx_; }
  int ny() const { return ny_; }
  double cell_m() const { return h_; }
  Vec2 origin() const { return origin_; }
  std::size_t size() const { return static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_); }
  std::size_t index(int i, int j) const { return static_cast<std::size_t>(j) * nx_ + i; }
  Vec2 center(int i, int j) const { return {origin_.x + (i + 0.5) * h_, origin_.y + (j + 0.5) * h_}; }
  Vec2 center(std::size_t k) const { return center(static_cast<int>(k % nx_), static_cast<int>(k / nx_)); }
  // Cell containing p (clamped to the grid).
  std::size_t cell_of(Vec2 p) const;
  bool walkable(std::size_t k) const { return walkable_[k] != 0; }
  std::size_t walkable_count() const { return walkable_count_; }

 private:
  Vec2 origin_;
  double h_;
  int nx_ = 0;
  int ny_ = 0;
  std::vector<std::uint8_t> walkable_;
  std::size_t walkable_count_ = 0;
};

// Connected components of the walkable cells for which mask[k] != 0
// (8-connectivity). Returns a label per cell, -1 for cells not in the mask.
std::vector<int> label_components(const FloorGrid& grid, const std::vector<std::uint8_t>& mask, int* count);

}  // namespace halltwin::geom
