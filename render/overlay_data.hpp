#pragma once
// What the overlays draw, taken from the compliance checker: its findings,
// the limits its rules apply, and the walking-distance fields its rules
// measure (sim/check/CheckContext). Everything is computed on first use, so
// the interactive view pays only for the overlays it shows. No graphics
// includes.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/geometry/distance_field.hpp"
#include "model/geometry/floor_grid.hpp"
#include "model/hall.hpp"
#include "model/rulebook.hpp"
#include "render/overlays.hpp"
#include "sim/check/check_context.hpp"
#include "sim/check/checker.hpp"
#include "sim/check/finding.hpp"

namespace halltwin::render {

// The limit a heatmap's ramp ends at, and where it comes from.
struct HeatmapLimit {
  double limit_m = 0.0;
  std::string rule;  // the rule id whose `required` value it is; empty when the rulebook has no such rule
};

class OverlayData {
 public:
  // Loads the rulebook and validates its rules (throws InputError, as `check` does).
  OverlayData(const Hall& hall, const std::string& rulebook_path);
  ~OverlayData();
  OverlayData(const OverlayData&) = delete;
  OverlayData& operator=(const OverlayData&) = delete;

  const Hall& hall() const { return hall_; }
  const Rulebook& rulebook() const { return checker_.rulebook(); }

  // All findings of `halltwin check` with this rulebook (the check runs once).
  const std::vector<check::Finding>& findings();
  // Findings to mark on `floor`: status fail or warn, with a location on it.
  std::vector<const check::Finding*> located_findings(FloorId floor);

  // The ramp's upper end for a heatmap overlay: the `required` value of the
  // rulebook's first rule of kind travel_distance_max (exit-distance) or
  // extinguisher_distance_max (extinguisher-distance), so sprinklers and the
  // hazard class count exactly as in the check; the defaults of overlays.hpp
  // when the rulebook has no such rule.
  HeatmapLimit limit(Overlay heatmap);

  // The field the checker's rule measures on `floor` (same raster cell size,
  // same targets); nullptr for extinguisher-distance on a floor without a
  // handheld extinguisher.
  const geom::DistanceField* field(Overlay heatmap, FloorId floor);

  // The raster the fields are defined on (walkable cells).
  const geom::FloorGrid& grid(FloorId floor);

  // The raster cell size the checker picks for this hall, metres.
  double cell_m() const { return cell_m_; }

 private:
  const Hall& hall_;
  check::Checker checker_;
  double cell_m_;
  check::CheckContext& context();

  std::optional<std::vector<check::Finding>> findings_;
  std::unique_ptr<check::CheckContext> context_;  // built on the first field() call
};

}  // namespace halltwin::render
