#include "sim/evac/models/cfsm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/geometry/polygon_ops.hpp"

namespace halltwin::evac {

namespace {
// Repulsion is cut where it falls below ~1e-3 of the desired direction's weight.
constexpr double kRepulsionCutRanges = 8.0;
// A gap narrower than the widest body plus this is closed (room to turn a
// shoulder past the wall tolerance), metres (docs/evac.md "Narrow gaps").
constexpr double kNarrowGapMargin_m = 0.1;
}  // namespace

double CollisionFreeSpeedModel::passable_gap_m(double radius_m, double) const {
  return 2 * radius_m + kNarrowGapMargin_m;
}

double CollisionFreeSpeedModel::interaction_range(const EvacModel& m) const {
  const double l = 2 * m.max_radius_m;
  return std::max(l + m.max_speed_mps * p_.time_gap_s, l + kRepulsionCutRanges * p_.neighbour_range_m) + 0.05;
}

void CollisionFreeSpeedModel::velocities(const MotionInput& in, Eigen::ArrayXd& vx, Eigen::ArrayXd& vy,
                                         Eigen::ArrayXd& ex, Eigen::ArrayXd& ey) const {
  const Agents& a = in.frozen;
  const EvacModel& m = in.model;
  const double range = interaction_range(m), range2 = range * range;
  const double rep_cut = kRepulsionCutRanges * p_.neighbour_range_m;
  const double inv_d = 1.0 / p_.neighbour_range_m, inv_dw = 1.0 / p_.wall_range_m;
  const double inv_t = 1.0 / p_.time_gap_s;
  struct Near {
    double dx, dy, d, l;
  };
  std::vector<Near> near;
  near.reserve(64);
  const auto n = static_cast<Eigen::Index>(a.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!a.active[static_cast<std::size_t>(i)]) {
      vx[i] = vy[i] = 0.0;
      ex[i] = a.ex[i], ey[i] = a.ey[i];
      continue;
    }
    const double xi = a.x[i], yi = a.y[i], ri = a.radius[i];
    const Vec2 e0{in.desired_x[i], in.desired_y[i]};
    const WallIndex& w = *in.walls[static_cast<std::size_t>(i)];
    double dx_sum = e0.x, dy_sum = e0.y;
    near.clear();
    in.grid.for_each_near(xi, yi, [&](std::uint32_t j, double shift) {
      if (static_cast<Eigen::Index>(j) == i) return;
      const double dx = xi - (a.x[j] + shift), dy = yi - a.y[j];
      const double d2 = dx * dx + dy * dy;
      if (d2 >= range2 || d2 <= 0.0) return;
      const double d = std::sqrt(d2), l = ri + a.radius[j];
      near.push_back({dx, dy, d, l});
      if (d - l < rep_cut) {
        const double f = p_.neighbour_strength * std::exp((l - d) * inv_d) / d;
        dx_sum += f * dx, dy_sum += f * dy;
      }
    });
    const std::size_t b = w.bucket({xi, yi});
    for (std::uint32_t k = w.start[b]; k < w.start[b + 1]; ++k) {
      const Segment& s = w.edges[w.items[k]];
      const Vec2 q = geom::closest_point_on_segment({xi, yi}, s);
      const double dx = xi - q.x, dy = yi - q.y, d = std::sqrt(dx * dx + dy * dy);
      if (d <= 1e-12 || d > ri + kRepulsionCutRanges * p_.wall_range_m) continue;
      const double f = p_.wall_strength * std::exp(std::min(30.0, (ri - d) * inv_dw)) / d;
      dx_sum += f * dx, dy_sum += f * dy;
    }
    double nrm = std::sqrt(dx_sum * dx_sum + dy_sum * dy_sum);
    double eix = e0.x, eiy = e0.y;
    if (nrm > 1e-12) eix = dx_sum / nrm, eiy = dy_sum / nrm;
    // Headway: the nearest agent ahead whose centre lies within l of the walking line.
    double s_min = std::numeric_limits<double>::infinity();
    for (const Near& q : near) {
      const double along = -(eix * q.dx + eiy * q.dy);  // (x_j - x_i) . e_i
      if (along <= 0) continue;
      const double perp = std::abs(eix * q.dy - eiy * q.dx);
      if (perp >= q.l) continue;
      s_min = std::min(s_min, q.d - q.l);
    }
    const double v = std::clamp(s_min * inv_t, 0.0, a.v0[i]);
    vx[i] = v * eix, vy[i] = v * eiy;
    ex[i] = eix, ey[i] = eiy;
  }
}

}  // namespace halltwin::evac
