#pragma once
// The one exception type for bad input (scenario files, rulebooks, flags).
// Its message names the file, line and column, the field and what was
// expected; several problems found in one file travel together.
#include <stdexcept>
#include <string>
#include <vector>

namespace halltwin {

struct InputProblem {
  std::string file;
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string field;    // dotted path, e.g. "floors[0].doors[2].clear_width_m"
  std::string message;  // what was wrong and what was expected

  // "FILE:LINE:COLUMN: error: FIELD: MESSAGE"
  std::string format() const;
};

// what() lists the first kMaxProblemsShown problems, then "… and N more problems";
// problems() keeps them all.
inline constexpr std::size_t kMaxProblemsShown = 100;

class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<InputProblem> problems);
  explicit InputError(InputProblem problem);
  const std::vector<InputProblem>& problems() const { return problems_; }

 private:
  std::vector<InputProblem> problems_;
};

}  // namespace halltwin
