#pragma once
// The mini hall (mini_hall.hpp) with a grid of small square columns behind
// its counter, deepened to hold them: each column adds 4 reflex corners, so a
// test can make a floor with more corners than the visibility graph serves
// (model/geometry/visibility_graph.hpp, kMaxCorners) without a huge file.
#include <fmt/format.h>

#include <stdexcept>
#include <string>

#include "tests/support/mini_hall.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::testing {

// `columns` 0.2 m columns, 18 to a row, 0.6 m apart, from y = 9 m.
inline std::string pillared_hall(int columns) {
  std::string pillars;
  for (int k = 0; k < columns; ++k) {
    const double x = 0.5 + 0.6 * (k % 18), y = 9 + 0.6 * (k / 18);
    pillars += fmt::format("      - {{id: P{}, kind: column, polygon: [[{},{}],[{},{}],[{},{}],[{},{}]]}}\n", k, x,
                           y, x + 0.2, y, x + 0.2, y + 0.2, x, y + 0.2);
  }
  std::string text = kMiniHall;
  const std::string counter = "      - {id: C1, kind: counter, polygon: [[2,6],[8,6],[8,6.6],[2,6.6]]}\n";
  const auto at = text.find(counter);
  if (at == std::string::npos) throw std::logic_error("pillared_hall: the mini hall's counter moved");
  text.insert(at + counter.size(), pillars);
  const double depth = 9 + 0.6 * (columns / 18 + 1) + 1;
  return replaced(text, "boundary: [[0,0],[12,0],[12,8],[0,8]]",
                  fmt::format("boundary: [[0,0],[12,0],[12,{}],[0,{}]]", depth, depth));
}

}  // namespace halltwin::testing
