#pragma once
// The compliance checker: applies a rulebook to a hall (`halltwin check`).
#include <memory>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "sim/check/finding.hpp"

namespace halltwin::check {

class RuleKind;
class CheckContext;

struct CheckOptions {
  // Raster cell size for walking distances, metres; 0 picks 0.1 m, coarsened up
  // to 0.2 m on very large floors to bound memory and time.
  double cell_m = 0.0;
};

class Checker {
 public:
  // Validates every rule's kind and parameters; throws InputError naming the
  // rulebook file, line and parameter.
  explicit Checker(Rulebook book);
  ~Checker();

  // Checks `hall`; throws InputError when the raster would be too large for a floor.
  std::vector<Finding> run(const Hall& hall, const CheckOptions& options = {}) const;
  // Checks the context's hall on a context the caller keeps, so that the
  // fields the rules computed can be reused (the viewer's overlays). The
  // context must have been built with this checker's rulebook.
  std::vector<Finding> run(CheckContext& context) const;
  const Rulebook& rulebook() const { return book_; }

 private:
  Rulebook book_;
  std::vector<std::unique_ptr<RuleKind>> kinds_;  // parallel to book_.rules
};

// The raster cell size run() uses for `hall`, metres: options.cell_m when set,
// else 0.1 m, coarser when a floor's bounding box would exceed ~1.5 million
// cells. Throws InputError when the raster would exceed 20 million cells on a floor.
double raster_cell_m(const Hall& hall, const CheckOptions& options = {});

// 0 when no rule fails, 1 when at least one fails.
int exit_code(const std::vector<Finding>& findings);

}  // namespace halltwin::check
