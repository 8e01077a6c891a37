#include "sim/evac/agents.hpp"

#include <algorithm>

namespace halltwin::evac {

void Agents::resize(std::size_t n) {
  const auto m = static_cast<Eigen::Index>(n);
  for (auto* a : {&x, &y, &ex, &ey, &vx, &vy, &radius, &v0, &premovement}) a->setZero(m);
  active.assign(n, 0);
  id.assign(n, 0);
  exit.assign(n, -1);
  escaping.assign(n, 0);
  to_target.assign(n, 0);
}

void Agents::push_back() {
  const auto m = static_cast<Eigen::Index>(size());
  for (auto* a : {&x, &y, &ex, &ey, &vx, &vy, &radius, &v0, &premovement}) {
    a->conservativeResize(m + 1);
    (*a)[m] = 0.0;
  }
  active.push_back(0);
  id.push_back(0);
  exit.push_back(-1);
  escaping.push_back(0);
  to_target.push_back(0);
}

void Agents::compact(const std::vector<std::uint8_t>& keep) {
  Eigen::Index w = 0;
  for (Eigen::Index r = 0; r < static_cast<Eigen::Index>(size()); ++r) {
    if (!keep[static_cast<std::size_t>(r)]) continue;
    if (w != r) {
      for (auto* a : {&x, &y, &ex, &ey, &vx, &vy, &radius, &v0, &premovement}) (*a)[w] = (*a)[r];
      active[static_cast<std::size_t>(w)] = active[static_cast<std::size_t>(r)];
      id[static_cast<std::size_t>(w)] = id[static_cast<std::size_t>(r)];
      exit[static_cast<std::size_t>(w)] = exit[static_cast<std::size_t>(r)];
      escaping[static_cast<std::size_t>(w)] = escaping[static_cast<std::size_t>(r)];
      to_target[static_cast<std::size_t>(w)] = to_target[static_cast<std::size_t>(r)];
    }
    ++w;
  }
  for (auto* a : {&x, &y, &ex, &ey, &vx, &vy, &radius, &v0, &premovement}) a->conservativeResize(w);
  active.resize(static_cast<std::size_t>(w));
  id.resize(static_cast<std::size_t>(w));
  exit.resize(static_cast<std::size_t>(w));
  escaping.resize(static_cast<std::size_t>(w));
  to_target.resize(static_cast<std::size_t>(w));
}

void NeighbourGrid::build(const Agents& a, Vec2 origin, Vec2 extent, double range, double periodic_length) {
  origin_ = origin;
  periodic_ = periodic_length;
  double cell = std::max(range, 0.5);
  if (periodic_ > 0) {
    nx_ = std::max(1, static_cast<int>(std::floor(periodic_ / cell)));
    cell = periodic_ / nx_;
  } else {
    nx_ = std::max(1, static_cast<int>(std::ceil(extent.x / cell)));
  }
  ny_ = std::max(1, static_cast<int>(std::ceil(extent.y / cell)));
  inv_ = 1.0 / cell;
  const std::size_t cells = static_cast<std::size_t>(nx_) * ny_;
  start_.assign(cells + 1, 0);
  cell_of_.resize(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    const std::uint32_t c = static_cast<std::uint32_t>(cell_y(a.y[e]) * nx_ + cell_x(a.x[e]));
    cell_of_[i] = c;
    ++start_[c + 1];
  }
  for (std::size_t c = 0; c < cells; ++c) start_[c + 1] += start_[c];
  items_.resize(a.size());
  std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
  for (std::size_t i = 0; i < a.size(); ++i) items_[fill[cell_of_[i]]++] = static_cast<std::uint32_t>(i);
}

}  // namespace halltwin::evac
