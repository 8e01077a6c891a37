#include "render/overlay_data.hpp"

#include <algorithm>
#include <cmath>

namespace halltwin::render {

namespace {

// The rule kind whose limit and field each heatmap shows (docs/rules.md).
const char* rule_kind_of(Overlay heatmap) {
  return heatmap == Overlay::exit_distance ? "travel_distance_max" : "extinguisher_distance_max";
}

}  // namespace

OverlayData::OverlayData(const Hall& hall, const std::string& rulebook_path)
    : hall_(hall), checker_(load_rulebook(rulebook_path)), cell_m_(check::raster_cell_m(hall)) {}

OverlayData::~OverlayData() = default;

const std::vector<check::Finding>& OverlayData::findings() {
  // On the same context as the heatmaps: each field is computed once.
  if (!findings_) findings_ = checker_.run(context());
  return *findings_;
}

std::vector<const check::Finding*> OverlayData::located_findings(FloorId floor) {
  std::vector<const check::Finding*> out;
  const std::string& id = hall_.floor(floor).id;
  for (const check::Finding& f : findings())
    if ((f.status == check::Status::fail || f.status == check::Status::warn) && f.location && f.floor == id)
      out.push_back(&f);
  return out;
}

HeatmapLimit OverlayData::limit(Overlay heatmap) {
  const Rulebook& book = checker_.rulebook();
  const auto rule = std::find_if(book.rules.begin(), book.rules.end(),
                                 [&](const Rule& r) { return r.kind == rule_kind_of(heatmap); });
  if (rule != book.rules.end()) {
    for (const check::Finding& f : findings())
      if (f.rule == rule->id && f.required && *f.required > 0.0) return {*f.required, f.rule};
  }
  return {heatmap == Overlay::exit_distance ? kDefaultExitLimit_m : kDefaultExtinguisherLimit_m, ""};
}

check::CheckContext& OverlayData::context() {
  if (!context_) context_ = std::make_unique<check::CheckContext>(hall_, checker_.rulebook(), cell_m_);
  return *context_;
}

const geom::FloorGrid& OverlayData::grid(FloorId floor) { return context().geometry.floor(floor).grid; }

const geom::DistanceField* OverlayData::field(Overlay heatmap, FloorId floor) {
  if (!is_heatmap(heatmap)) return nullptr;
  // The same calls the rules make (rules_egress.cpp, rules_equipment.cpp).
  if (heatmap == Overlay::exit_distance) return &context().exit_field(floor);
  return context().facility_field(floor, FacilityType::extinguisher);
}

}  // namespace halltwin::render
