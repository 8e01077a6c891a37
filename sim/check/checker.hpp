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

  std::vector<Finding> run(const Hall& hall, const CheckOptions& options = {}) const;
  const Rulebook& rulebook() const { return book_; }

 private:
  Rulebook book_;
  std::vector<std::unique_ptr<RuleKind>> kinds_;  // parallel to book_.rules
};

// 0 when no rule fails, 1 when at least one fails.
int exit_code(const std::vector<Finding>& findings);

}  // namespace halltwin::check
