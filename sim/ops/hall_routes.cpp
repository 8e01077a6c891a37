#include "sim/ops/hall_routes.hpp"

#include <cmath>
#include <limits>

#include "model/geometry/walkable_area.hpp"
#include "model/geometry/walking_router.hpp"
#include "model/hall_geometry.hpp"

namespace halltwin::ops {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

HallRoutes::HallRoutes(const Hall& hall) {
  if (hall.operations.present) {
    ref_level_mps_ = hall.operations.walking.speed_mean_mps;
    ref_stair_mps_ = hall.operations.walking.stair_speed_mps;
  }
  for (std::uint32_t f = 0; f < hall.floors.size(); ++f) {
    areas_.push_back(std::make_unique<geom::WalkableArea>(walkable_input(hall, FloorId{f})));
    refuse_too_many_corners(hall, FloorId{f}, *areas_.back());
    routers_.push_back(std::make_unique<geom::WalkingRouter>(*areas_.back()));
  }
  link_portals(hall);
}

HallRoutes::~HallRoutes() = default;

FloorPoint HallRoutes::snap(FloorPoint p) const { return {p.floor, routers_[p.floor.value]->snap(p.p)}; }

void HallRoutes::link_portals(const Hall& hall) {
  for (std::uint32_t s = 0; s < hall.stairs.size(); ++s) {
    const Stair& st = hall.stairs[s];
    portals_.push_back({snap({st.from_floor, hall.doors[st.from_door.value].opening.midpoint()}), s});
    portals_.push_back({snap({st.to_floor, hall.doors[st.to_door.value].opening.midpoint()}), s});
  }
  const std::size_t n = portals_.size();
  std::vector<double> cost(n * n, kInf);
  portal_legs_.assign(n * n, Leg{});
  portal_linked_.assign(n * n, 0);
  auto time_of = [&](const Leg& l) { return l.level_m / ref_level_mps_ + l.stair_m / ref_stair_mps_; };
  for (std::size_t i = 0; i < n; ++i) {
    cost[i * n + i] = 0.0;
    portal_linked_[i * n + i] = 1;
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      Leg l;
      bool linked = false;
      if (portals_[i].stair == portals_[j].stair) {
        l.stair_m = static_cast<float>(hall.stairs[portals_[i].stair].length_m);
        linked = true;
      } else if (portals_[i].at.floor == portals_[j].at.floor) {
        const double d = routers_[portals_[i].at.floor.value]->distance(portals_[i].at.p, portals_[j].at.p);
        if (std::isfinite(d)) l.level_m = static_cast<float>(d), linked = true;
      }
      if (linked) {
        cost[i * n + j] = time_of(l);
        portal_legs_[i * n + j] = l;
        portal_linked_[i * n + j] = 1;
      }
    }
  }
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (cost[i * n + k] + cost[k * n + j] < cost[i * n + j]) {
          cost[i * n + j] = cost[i * n + k] + cost[k * n + j];
          const Leg a = portal_legs_[i * n + k], b = portal_legs_[k * n + j];
          portal_legs_[i * n + j] = Leg{a.level_m + b.level_m, a.stair_m + b.stair_m};
          portal_linked_[i * n + j] = 1;
        }
}

std::vector<Leg> HallRoutes::table(const std::vector<FloorPoint>& from, const std::vector<FloorPoint>& to) {
  const std::size_t nf = from.size(), nt = to.size(), np = portals_.size();
  std::vector<Leg> out(nf * nt);
  std::vector<double> best(nf * nt, kInf);
  auto time_of = [&](const Leg& l) { return l.level_m / ref_level_mps_ + l.stair_m / ref_stair_mps_; };
  // Per floor: the from points, the to points and the portals on it, with
  // one batch distance matrix each way (WalkingRouter::distances).
  const std::size_t floors = routers_.size();
  std::vector<std::vector<std::size_t>> from_on(floors), to_on(floors), portal_on(floors);
  for (std::size_t i = 0; i < nf; ++i) from_on[from[i].floor.value].push_back(i);
  for (std::size_t j = 0; j < nt; ++j) to_on[to[j].floor.value].push_back(j);
  for (std::size_t k = 0; k < np; ++k) portal_on[portals_[k].at.floor.value].push_back(k);
  auto points = [&](const std::vector<FloorPoint>& src, const std::vector<std::size_t>& idx) {
    std::vector<Vec2> v;
    for (auto i : idx) v.push_back(routers_[src[i].floor.value]->snap(src[i].p));
    return v;
  };
  std::vector<FloorPoint> portal_points;
  for (const auto& p : portals_) portal_points.push_back(p.at);
  // from -> portal and portal -> to distances, per portal.
  std::vector<double> from_portal(nf * np, kInf), portal_to(np * nt, kInf);
  for (std::size_t f = 0; f < floors; ++f) {
    const auto& router = *routers_[f];
    const auto fp = points(from, from_on[f]), tp = points(to, to_on[f]);
    const auto pp = points(portal_points, portal_on[f]);
    if (!fp.empty() && !tp.empty()) {
      const auto d = router.distances(fp, tp);
      for (std::size_t a = 0; a < fp.size(); ++a)
        for (std::size_t b = 0; b < tp.size(); ++b) {
          const double v = d[a * tp.size() + b];
          if (!std::isfinite(v)) continue;
          const std::size_t i = from_on[f][a], j = to_on[f][b];
          out[i * nt + j] = Leg{static_cast<float>(v), 0.0f};
          best[i * nt + j] = v / ref_level_mps_;
        }
    }
    if (!pp.empty() && !fp.empty()) {
      const auto d = router.distances(fp, pp);
      for (std::size_t a = 0; a < fp.size(); ++a)
        for (std::size_t b = 0; b < pp.size(); ++b)
          from_portal[from_on[f][a] * np + portal_on[f][b]] = d[a * pp.size() + b];
    }
    if (!pp.empty() && !tp.empty()) {
      const auto d = router.distances(pp, tp);
      for (std::size_t a = 0; a < pp.size(); ++a)
        for (std::size_t b = 0; b < tp.size(); ++b)
          portal_to[portal_on[f][a] * nt + to_on[f][b]] = d[a * tp.size() + b];
    }
  }
  // Through the stairs: from -> portal k -> (network) -> portal l -> to.
  if (np > 0) {
    for (std::size_t i = 0; i < nf; ++i)
      for (std::size_t k = 0; k < np; ++k) {
        const double a = from_portal[i * np + k];
        if (!std::isfinite(a)) continue;
        for (std::size_t l = 0; l < np; ++l) {
          if (!portal_linked_[k * np + l] || portals_[l].at.floor.value == from[i].floor.value) continue;
          const Leg mid = portal_legs_[k * np + l];
          for (std::size_t j = 0; j < nt; ++j) {
            const double b = portal_to[l * nt + j];
            if (!std::isfinite(b)) continue;
            const Leg total{static_cast<float>(a + mid.level_m + b), mid.stair_m};
            const double t = time_of(total);
            if (t < best[i * nt + j]) best[i * nt + j] = t, out[i * nt + j] = total;
          }
        }
      }
  }
  for (std::size_t i = 0; i < nf; ++i)
    for (std::size_t j = 0; j < nt; ++j)
      if (!std::isfinite(best[i * nt + j])) {
        // Not connected (a closed room, a floor without stairs): straight
        // line, counted so the caller can warn.
        out[i * nt + j] = Leg{static_cast<float>(distance(from[i].p, to[j].p)), 0.0f};
        ++unreachable_;
      }
  return out;
}

Leg HallRoutes::leg(FloorPoint a, FloorPoint b) { return table({a}, {b}).front(); }

std::vector<FloorPoint> HallRoutes::path(FloorPoint a, FloorPoint b) const {
  std::vector<FloorPoint> out;
  auto add = [&](FloorId f, const std::vector<Vec2>& pts) {
    for (Vec2 p : pts) out.push_back({f, p});
  };
  if (a.floor == b.floor) {
    const auto& r = *routers_[a.floor.value];
    auto pts = r.path(r.snap(a.p), r.snap(b.p));
    if (pts.empty()) pts = {a.p, b.p};
    add(a.floor, pts);
    return out;
  }
  // The nearest portal pair that leads from a's floor to b's floor.
  double best = kInf;
  std::size_t bk = 0, bl = 0;
  const std::size_t np = portals_.size();
  for (std::size_t k = 0; k < np; ++k) {
    if (portals_[k].at.floor != a.floor) continue;
    for (std::size_t l = 0; l < np; ++l) {
      if (portals_[l].at.floor != b.floor || !portal_linked_[k * np + l]) continue;
      const double d = distance(a.p, portals_[k].at.p) + distance(portals_[l].at.p, b.p);
      if (d < best) best = d, bk = k, bl = l;
    }
  }
  if (!std::isfinite(best)) return {a, b};
  const auto& ra = *routers_[a.floor.value];
  const auto& rb = *routers_[b.floor.value];
  auto first = ra.path(ra.snap(a.p), portals_[bk].at.p);
  auto second = rb.path(portals_[bl].at.p, rb.snap(b.p));
  add(a.floor, first.empty() ? std::vector<Vec2>{a.p, portals_[bk].at.p} : first);
  add(b.floor, second.empty() ? std::vector<Vec2>{portals_[bl].at.p, b.p} : second);
  return out;
}

}  // namespace halltwin::ops
