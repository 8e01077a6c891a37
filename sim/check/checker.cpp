#include "sim/check/checker.hpp"

#include <fmt/format.h>

#include <cassert>
#include <cmath>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "model/text.hpp"
#include "sim/check/check_context.hpp"
#include "sim/check/rule_kind.hpp"

namespace halltwin::check {

std::string_view name(Status s) {
  switch (s) {
    case Status::pass:
      return "pass";
    case Status::fail:
      return "fail";
    case Status::warn:
      return "warn";
    case Status::not_applicable:
      return "not_applicable";
  }
  return "?";
}

const std::map<std::string, RuleFactory>& rule_kinds() {
  static const std::map<std::string, RuleFactory> kinds = [] {
    std::map<std::string, RuleFactory> k;
    register_layout_rules(k);
    register_egress_rules(k);
    register_equipment_rules(k);
    return k;
  }();
  return kinds;
}

Checker::Checker(Rulebook book) : book_(std::move(book)) {
  std::vector<InputProblem> problems;
  const auto& kinds = rule_kinds();
  for (const auto& rule : book_.rules) {
    auto it = kinds.find(rule.kind);
    if (it == kinds.end()) {
      std::string list;
      for (const auto& [k, _] : kinds) list += (list.empty() ? "" : ", ") + k;
      problems.push_back(InputProblem{
          rule.file.empty() ? book_.source_file : rule.file, rule.loc.line, rule.loc.column,
          fmt::format("rules[{}].kind", shorten(rule.id)),
          fmt::format("'{}' is not a rule kind; expected one of: {}", shorten(rule.kind), list)});
      kinds_.push_back(nullptr);
      continue;
    }
    ParamReader reader(rule.file.empty() ? book_.source_file : rule.file, rule);
    reader.check_names(it->second.params);
    kinds_.push_back(it->second.make(reader));
    for (auto& p : reader.take_problems()) problems.push_back(std::move(p));
  }
  if (!problems.empty()) throw InputError(std::move(problems));
}

Checker::~Checker() = default;

namespace {
constexpr double kMaxCellsPerFloor = 20e6;

// Area of the floor outline's bounding box, m2: what the raster covers.
double bbox_area_m2(const Floor& f) {
  double minx = 1e300, miny = 1e300, maxx = -1e300, maxy = -1e300;
  for (Vec2 v : f.boundary) {
    minx = std::min(minx, v.x), maxx = std::max(maxx, v.x);
    miny = std::min(miny, v.y), maxy = std::max(maxy, v.y);
  }
  return (maxx - minx) * (maxy - miny);
}

// 0.1 m unless a floor's bounding box would exceed ~1.5 million cells.
double pick_cell_size(const Hall& hall, double requested) {
  if (requested > 0) return requested;
  double cell = 0.1;
  for (const auto& f : hall.floors) cell = std::max(cell, std::sqrt(bbox_area_m2(f) / 1.5e6));
  return cell;
}
}  // namespace

double raster_cell_m(const Hall& hall, const CheckOptions& options) {
  const double cell_m = pick_cell_size(hall, options.cell_m);
  // Bound memory and time: about 40 bytes per cell per field, a few fields per floor.
  for (const auto& f : hall.floors) {
    const double cells = bbox_area_m2(f) / (cell_m * cell_m);
    if (cells > kMaxCellsPerFloor)
      throw InputError(InputProblem{
          hall.source_file, f.loc.line, f.loc.column, "floors[" + f.id + "]",
          fmt::format(
              "a {:.2f} m raster would need {:.0f} million cells on this floor (at most {:.0f} million); "
              "use a coarser --cell",
              cell_m, cells / 1e6, kMaxCellsPerFloor / 1e6)});
  }
  return cell_m;
}

std::vector<Finding> Checker::run(const Hall& hall, const CheckOptions& options) const {
  CheckContext ctx(hall, book_, raster_cell_m(hall, options));
  return run(ctx);
}

std::vector<Finding> Checker::run(CheckContext& ctx) const {
  assert(&ctx.book == &book_ && "the context must be built with this checker's rulebook");
  std::vector<Finding> out;
  for (std::size_t i = 0; i < book_.rules.size(); ++i) {
    const Rule& rule = book_.rules[i];
    Finding f;
    f.rule = rule.id;
    f.title = rule.title;
    f.clause = rule.clause;
    f.confidence = rule.confidence;
    f.rulebook_file = rule.file.empty() ? book_.source_file : rule.file;
    kinds_[i]->evaluate(ctx, f);
    // A placeholder number is not a requirement we can hold a hall to. (The
    // kind may have refined the rule's confidence for this hall, e.g. by level.)
    if (f.status == Status::fail && f.confidence == Confidence::placeholder) {
      f.status = Status::warn;
      f.message += " (placeholder value: confirm it for your jurisdiction)";
    }
    out.push_back(std::move(f));
  }
  return out;
}

int exit_code(const std::vector<Finding>& findings) {
  for (const auto& f : findings)
    if (f.status == Status::fail) return 1;
  return 0;
}

}  // namespace halltwin::check
