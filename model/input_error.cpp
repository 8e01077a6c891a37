#include "model/input_error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace halltwin {

std::string InputProblem::format() const {
  std::string where = file;
  if (line > 0) where += fmt::format(":{}:{}", line, column);
  if (field.empty()) return fmt::format("{}: error: {}", where, message);
  return fmt::format("{}: error: {}: {}", where, field, message);
}

namespace {
std::string join(const std::vector<InputProblem>& problems) {
  std::string out;
  const std::size_t shown = std::min(problems.size(), kMaxProblemsShown);
  for (std::size_t i = 0; i < shown; ++i) {
    if (!out.empty()) out += '\n';
    out += problems[i].format();
  }
  // A file wrong everywhere (or a mistake repeated through aliases) must not flood stderr.
  if (problems.size() > shown)
    out += fmt::format("\n… and {} more problem{}", problems.size() - shown,
                       problems.size() - shown == 1 ? "" : "s");
  return out;
}
}  // namespace

InputError::InputError(std::vector<InputProblem> problems)
    : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

InputError::InputError(InputProblem problem) : InputError(std::vector<InputProblem>{std::move(problem)}) {}

}  // namespace halltwin
