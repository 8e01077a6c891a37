// Rasterisation of the walkable area by an even-odd scanline fill through
// the cell-centre rows: linear in cells plus edge crossings, unlike a
// point-in-polygon test per cell.
#include "model/geometry/floor_grid.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "model/geometry/walkable_area.hpp"

namespace halltwin::geom {

FloorGrid::FloorGrid(const WalkableArea& area, double cell_m) : origin_(area.min_corner()), h_(cell_m) {
  if (!(cell_m > 0.0)) throw std::invalid_argument("FloorGrid: cell size must be positive");
  const Vec2 lo = area.min_corner();
  const Vec2 hi = area.max_corner();
  if (area.edges().empty()) return;  // nothing walkable: an empty grid
  // The 1e-9 keeps a bounding box that is an exact multiple of the cell
  // size from gaining an extra column of cells outside it.
  nx_ = std::max(1, static_cast<int>(std::ceil((hi.x - lo.x) / h_ - 1e-9)));
  ny_ = std::max(1, static_cast<int>(std::ceil((hi.y - lo.y) / h_ - 1e-9)));
  walkable_.assign(size(), 0);

  // Each edge deposits its x crossing into every row whose centre line it
  // spans. Half-open in y ((a.y <= y) != (b.y <= y)) so that a vertex lying
  // exactly on a row line is counted once, and horizontal edges never.
  std::vector<std::vector<double>> xs(static_cast<std::size_t>(ny_));
  for (const Segment& e : area.edges()) {
    const double ylo = std::min(e.a.y, e.b.y);
    const double yhi = std::max(e.a.y, e.b.y);
    if (ylo == yhi) continue;
    // Rows j with centre y_j = origin.y + (j + 0.5) h in [ylo, yhi).
    const int j0 = std::max(0, static_cast<int>(std::ceil((ylo - origin_.y) / h_ - 0.5)) - 1);
    const int j1 = std::min(ny_ - 1, static_cast<int>(std::floor((yhi - origin_.y) / h_ - 0.5)) + 1);
    const double slope = (e.b.x - e.a.x) / (e.b.y - e.a.y);
    for (int j = j0; j <= j1; ++j) {
      const double y = origin_.y + (j + 0.5) * h_;
      if ((e.a.y <= y) != (e.b.y <= y))
        xs[static_cast<std::size_t>(j)].push_back(e.a.x + (y - e.a.y) * slope);
    }
  }

  std::size_t count = 0;
  for (int j = 0; j < ny_; ++j) {
    auto& row = xs[static_cast<std::size_t>(j)];
    std::sort(row.begin(), row.end());
    // Spans [row[0], row[1]], [row[2], row[3]], ... are inside; a centre
    // exactly on a span end is on an edge and counts as walkable.
    for (std::size_t s = 0; s + 1 < row.size(); s += 2) {
      const int i0 = std::max(0, static_cast<int>(std::ceil((row[s] - origin_.x) / h_ - 0.5)));
      const int i1 = std::min(nx_ - 1, static_cast<int>(std::floor((row[s + 1] - origin_.x) / h_ - 0.5)));
      for (int i = i0; i <= i1; ++i) {
        std::uint8_t& cell = walkable_[index(i, j)];
        count += cell == 0;
        cell = 1;
      }
    }
  }
  walkable_count_ = count;
}

std::size_t FloorGrid::cell_of(Vec2 p) const {
  if (nx_ == 0 || ny_ == 0) return 0;
  const int i = std::clamp(static_cast<int>(std::floor((p.x - origin_.x) / h_)), 0, nx_ - 1);
  const int j = std::clamp(static_cast<int>(std::floor((p.y - origin_.y) / h_)), 0, ny_ - 1);
  return index(i, j);
}

std::vector<int> label_components(const FloorGrid& grid, const std::vector<std::uint8_t>& mask, int* count) {
  const int nx = grid.nx();
  const int ny = grid.ny();
  std::vector<int> label(grid.size(), -1);
  auto in = [&](int i, int j) {
    if (i < 0 || j < 0 || i >= nx || j >= ny) return false;
    const std::size_t k = grid.index(i, j);
    return k < mask.size() && mask[k] != 0 && grid.walkable(k);
  };
  int next = 0;
  std::vector<std::pair<int, int>> stack;
  for (int j0 = 0; j0 < ny; ++j0) {
    for (int i0 = 0; i0 < nx; ++i0) {
      if (!in(i0, j0) || label[grid.index(i0, j0)] >= 0) continue;
      // Flood fill (explicit stack: components can have 10^6 cells).
      label[grid.index(i0, j0)] = next;
      stack.assign(1, {i0, j0});
      while (!stack.empty()) {
        const auto [i, j] = stack.back();
        stack.pop_back();
        for (int dj = -1; dj <= 1; ++dj) {
          for (int di = -1; di <= 1; ++di) {
            if (di == 0 && dj == 0) continue;
            const int ni = i + di;
            const int nj = j + dj;
            if (!in(ni, nj) || label[grid.index(ni, nj)] >= 0) continue;
            // A diagonal step needs one of the two cells it cuts past, or
            // it would slip through the corner gap of a wall drawn as a
            // staircase of cells.
            if (di != 0 && dj != 0 && !in(i + di, j) && !in(i, j + dj)) continue;
            label[grid.index(ni, nj)] = next;
            stack.emplace_back(ni, nj);
          }
        }
      }
      ++next;
    }
  }
  if (count != nullptr) *count = next;
  return label;
}

}  // namespace halltwin::geom
