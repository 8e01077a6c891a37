#include "sim/evac/models/social_force.hpp"

#include <algorithm>
#include <cmath>


namespace halltwin::evac {

namespace {
// The exponential repulsion is cut where the gap exceeds this many ranges B
// (A e^-8 = 0.7 N, under 1 % of the driving force m v0 / tau of a slow walker).
constexpr double kRepulsionCutRanges = 8.0;
}  // namespace

double SocialForceModel::interaction_range(const EvacModel& m) const {
  return 2 * m.max_radius_m + kRepulsionCutRanges * p_.repulsion_range_m + 0.05;
}

void SocialForceModel::velocities(const MotionInput& in, Eigen::ArrayXd& vx, Eigen::ArrayXd& vy,
                                  Eigen::ArrayXd& ex, Eigen::ArrayXd& ey) const {
  const Agents& a = in.frozen;
  const double range = interaction_range(in.model), range2 = range * range;
  const double rep_cut_m = kRepulsionCutRanges * p_.repulsion_range_m;
  const double inv_b = 1.0 / p_.repulsion_range_m, inv_m = 1.0 / p_.mass_kg, inv_tau = 1.0 / p_.relaxation_s;
  const double dt = in.dt_s;
  const auto n = static_cast<Eigen::Index>(a.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!a.active[static_cast<std::size_t>(i)]) {
      vx[i] = vy[i] = 0.0;
      ex[i] = a.ex[i], ey[i] = a.ey[i];
      continue;
    }
    const double xi = a.x[i], yi = a.y[i], ri = a.radius[i];
    const double vxi = a.vx[i], vyi = a.vy[i];
    // Driving term: relax towards v0 e within tau (e = 0: no exit reachable, stop).
    double fx = (a.v0[i] * in.desired_x[i] - vxi) * inv_tau * p_.mass_kg;
    double fy = (a.v0[i] * in.desired_y[i] - vyi) * inv_tau * p_.mass_kg;
    in.grid.for_each_near(xi, yi, [&](std::uint32_t j, double shift) {
      if (static_cast<Eigen::Index>(j) == i) return;
      const double dx = xi - (a.x[j] + shift), dy = yi - a.y[j];
      const double d2 = dx * dx + dy * dy;
      if (d2 >= range2 || d2 <= 0.0) return;
      const double d = std::sqrt(d2), r = ri + a.radius[j];
      if (d - r >= rep_cut_m) return;
      const double nx = dx / d, ny = dy / d;  // n_ij: from j to i
      const double overlap = std::max(0.0, r - d);
      const double normal = p_.repulsion_n * std::exp((r - d) * inv_b) + p_.body_stiffness_kg_s2 * overlap;
      fx += normal * nx, fy += normal * ny;
      if (overlap > 0.0) {
        // Sliding friction along the tangent, against the relative tangential velocity.
        const double tx = -ny, ty = nx;
        const double dvt = (a.vx[j] - vxi) * tx + (a.vy[j] - vyi) * ty;
        const double f = p_.sliding_friction_kg_ms * overlap * dvt;
        fx += f * tx, fy += f * ty;
      }
    });
    const WallIndex& w = *in.walls[static_cast<std::size_t>(i)];
    const std::size_t b = w.bucket({xi, yi});
    // The bucket lists every edge within w.pad of the point: those are the walls felt.
    // Each wall point pushes once: a corner is the end of one edge and the start of
    // the next (the edges run round their rings), so it counts as a start only;
    // counted twice, a column's corner would push as hard as a walker's drive and
    // hold one still in front of it (seen in the 100 m x 60 m benchmark hall).
    for (std::uint32_t k = w.start[b]; k < w.start[b + 1]; ++k) {
      const Segment& s = w.edges[w.items[k]];
      const double ux = s.b.x - s.a.x, uy = s.b.y - s.a.y, len2 = ux * ux + uy * uy;
      const double along = len2 > 0 ? ((xi - s.a.x) * ux + (yi - s.a.y) * uy) / len2 : 0.0;
      if (along >= 1.0) continue;  // nearest point: the end, counted by the next edge
      const Vec2 q = along <= 0.0 ? s.a : Vec2{s.a.x + along * ux, s.a.y + along * uy};
      const double dx = xi - q.x, dy = yi - q.y, d = std::sqrt(dx * dx + dy * dy);
      if (d <= 1e-12 || d >= w.pad) continue;
      const double nx = dx / d, ny = dy / d;
      const double overlap = std::max(0.0, ri - d);
      const double normal =
          p_.repulsion_n * std::exp(std::min(30.0, (ri - d) * inv_b)) + p_.body_stiffness_kg_s2 * overlap;
      fx += normal * nx, fy += normal * ny;
      if (overlap > 0.0) {
        const double tx = -ny, ty = nx;
        const double f = -p_.sliding_friction_kg_ms * overlap * (vxi * tx + vyi * ty);
        fx += f * tx, fy += f * ty;
      }
    }
    double nvx = vxi + dt * fx * inv_m, nvy = vyi + dt * fy * inv_m;
    // Speed capped at the walker's own desired speed (RiMEA 1: free walkers keep v0).
    const double speed = std::hypot(nvx, nvy);
    if (speed > a.v0[i] && speed > 0.0) {
      const double s = a.v0[i] / speed;
      nvx *= s, nvy *= s;
    }
    vx[i] = nvx, vy[i] = nvy;
    if (speed > 1e-9) {
      const double inv = 1.0 / speed;
      ex[i] = nvx * inv, ey[i] = nvy * inv;
    } else {
      ex[i] = a.ex[i], ey[i] = a.ey[i];
    }
  }
}

}  // namespace halltwin::evac
