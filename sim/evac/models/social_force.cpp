#include "sim/evac/models/social_force.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "sim/ops/random_stream.hpp"

namespace halltwin::evac {

namespace {
// The exponential repulsion is cut where the gap exceeds this many ranges B
// (A e^-8 = 0.7 N, under 1 % of the driving force m v0 / tau of a slow walker).
constexpr double kRepulsionCutRanges = 8.0;
// Walls are felt within the body's radius plus this (the wall index's pad,
// build_wall_index in sim/evac/evac_model.cpp).
constexpr double kWallReach_m = 0.35;
// The narrowest gap considered, as for the collision-free speed model: the widest body + 0.1 m.
constexpr double kNarrowGapMargin_m = 0.1;
// Below this desired speed the passable gap is not widened further (a drill's
// slowest walker under emergency lighting walks about 0.3 m/s).
constexpr double kSlowestV0Floor_mps = 0.2;

// Two independent standard normal numbers from a counter-based hash of
// (key, person, step) (splitmix64, Box-Muller): the same whatever the thread or
// the order agents are visited in.
void fluctuation_normals(std::uint64_t key, std::uint32_t person, std::int64_t step, double& g1, double& g2) {
  std::uint64_t x = key ^ (static_cast<std::uint64_t>(person) * 0x9e3779b97f4a7c15ULL) ^
                    (static_cast<std::uint64_t>(step) * 0xd1b54a32d192ed03ULL);
  const std::uint64_t a = ops::splitmix64(x), b = ops::splitmix64(x);
  const double u1 = (static_cast<double>(a >> 11) + 0.5) * 0x1.0p-53;  // (0, 1)
  const double u2 = static_cast<double>(b >> 11) * 0x1.0p-53;          // [0, 1)
  const double rad = std::sqrt(-2.0 * std::log(u1)), phi = 6.283185307179586 * u2;
  g1 = rad * std::cos(phi), g2 = rad * std::sin(phi);
}
}  // namespace

double SocialForceModel::passable_gap_m(double radius_m, double slowest_v0_mps) const {
  // A walker of radius r centred in front of two corners w apart, y before their
  // line, is pushed back by 2 A e^((r - d)/B) y/d, d = sqrt(w²/4 + y²) (the
  // corners are the nearest wall points; walls act within r + kWallReach_m). It
  // passes from rest if that push, at its worst over y, is below the drive
  // m v0 / tau. The smallest such w, in steps of 0.01 m.
  const double drive = p_.mass_kg * std::max(slowest_v0_mps, kSlowestV0Floor_mps) / p_.relaxation_s;
  const double reach = radius_m + kWallReach_m;
  for (int k = 0;; ++k) {
    const double w = std::ceil((2 * radius_m + kNarrowGapMargin_m) * 100.0 - 1e-9) / 100.0 + 0.01 * k;
    double worst = 0.0;
    for (int i = 1; i <= 1000; ++i) {
      const double y = 0.001 * i, d = std::hypot(0.5 * w, y);
      if (d >= reach) break;
      worst = std::max(worst, 2 * p_.repulsion_n * std::exp((radius_m - d) / p_.repulsion_range_m) * y / d);
    }
    if (worst < drive || 0.5 * w >= reach) return w;
  }
}

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
  // The fluctuation: per axis a force of standard deviation m sigma sqrt(2 / (tau dt)),
  // white noise that, relaxed within tau, alone jitters the velocity by sigma (m/s).
  const double jitter_n = p_.mass_kg * p_.fluctuation_mps * std::sqrt(2.0 / (p_.relaxation_s * dt));
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
    // Fluctuation (Helbing and Molnar 1995; Helbing, Farkas, Vicsek 2000): a small
    // random force that breaks the model's symmetric ties (a walker head-on against
    // the middle of a column's face). Only while the walker has somewhere to go.
    if (jitter_n > 0.0 && (in.desired_x[i] != 0.0 || in.desired_y[i] != 0.0)) {
      double g1 = 0.0, g2 = 0.0;
      fluctuation_normals(in.noise_key, a.id[static_cast<std::size_t>(i)], in.step, g1, g2);
      fx += jitter_n * g1, fy += jitter_n * g2;
    }
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
