#include "sim/check/grid_regions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::check {

std::vector<std::size_t> cells_in_polygon(const geom::FloorGrid& grid, const Polygon& poly) {
  std::vector<std::size_t> out;
  if (poly.empty()) return out;
  double minx = poly[0].x, maxx = poly[0].x, miny = poly[0].y, maxy = poly[0].y;
  for (Vec2 v : poly) {
    minx = std::min(minx, v.x), maxx = std::max(maxx, v.x);
    miny = std::min(miny, v.y), maxy = std::max(maxy, v.y);
  }
  const double h = grid.cell_m();
  const int i0 = std::max(0, static_cast<int>(std::floor((minx - grid.origin().x) / h)));
  const int i1 = std::min(grid.nx() - 1, static_cast<int>(std::floor((maxx - grid.origin().x) / h)));
  const int j0 = std::max(0, static_cast<int>(std::floor((miny - grid.origin().y) / h)));
  const int j1 = std::min(grid.ny() - 1, static_cast<int>(std::floor((maxy - grid.origin().y) / h)));
  for (int j = j0; j <= j1; ++j)
    for (int i = i0; i <= i1; ++i)
      if (geom::contains(poly, grid.center(i, j))) out.push_back(grid.index(i, j));
  return out;
}

std::vector<Region> region_stats(const geom::FloorGrid& grid, const std::vector<int>& label, int count) {
  std::vector<Region> out(static_cast<std::size_t>(std::max(count, 0)));
  std::vector<double> sx(out.size(), 0), sy(out.size(), 0);
  for (std::size_t k = 0; k < label.size(); ++k) {
    if (label[k] < 0) continue;
    auto& r = out[label[k]];
    ++r.cells;
    const Vec2 c = grid.center(k);
    sx[label[k]] += c.x;
    sy[label[k]] += c.y;
  }
  std::vector<double> best(out.size(), std::numeric_limits<double>::infinity());
  for (std::size_t k = 0; k < label.size(); ++k) {
    if (label[k] < 0) continue;
    const auto l = static_cast<std::size_t>(label[k]);
    const Vec2 centroid{sx[l] / out[l].cells, sy[l] / out[l].cells};
    const double d = distance(grid.center(k), centroid);
    if (d < best[l]) best[l] = d, out[l].representative = k;
  }
  return out;
}

WorstPoint worst_walking_distance(CheckContext& ctx,
                                  const std::function<const geom::DistanceField*(FloorId)>& field,
                                  bool only_exit_reachable) {
  WorstPoint w;
  for (FloorId fl : floor_ids(ctx.hall)) {
    const auto& grid = ctx.geometry.floor(fl).grid;
    const geom::DistanceField* df = field(fl);
    for (std::size_t k = 0; k < grid.size(); ++k) {
      if (!grid.walkable(k)) continue;
      if (only_exit_reachable && !ctx.reaches_exit(fl, k)) continue;
      const double d = df ? df->at_cell(k) : std::numeric_limits<double>::infinity();
      if (!std::isfinite(d) && !only_exit_reachable && df)
        continue;  // unreachable from everything: egress.reachable
      if (!w.found || d > w.distance_m) {
        w.found = true;
        w.distance_m = d;
        w.where = grid.center(k);
        w.floor = fl;
      }
      if (!df) break;  // the whole floor is out of reach; one cell says so
    }
  }
  return w;
}

}  // namespace halltwin::check
