#include "sim/compare/compliance_diff.hpp"

#include <map>

namespace halltwin::compare {

std::vector<RuleChange> compliance_diff(const std::vector<const std::vector<check::Finding>*>& findings) {
  std::vector<RuleChange> out;
  std::map<std::string, std::size_t> index;
  const std::size_t n = findings.size();
  for (std::size_t s = 0; s < n; ++s) {
    if (!findings[s]) continue;
    for (const auto& f : *findings[s]) {
      auto [it, fresh] = index.try_emplace(f.rule, out.size());
      if (fresh) {
        RuleChange c;
        c.rule = f.rule, c.title = f.title, c.clause = f.clause, c.unit = f.unit;
        c.by_scenario.resize(n);
        out.push_back(std::move(c));
      }
      out[it->second].by_scenario[s] = {f.status, f.measured, f.required};
    }
  }
  for (auto& c : out)
    for (std::size_t s = 1; s < n; ++s)
      if (c.by_scenario[s].status != c.by_scenario[0].status) c.changed.push_back(s);
  return out;
}

}  // namespace halltwin::compare
