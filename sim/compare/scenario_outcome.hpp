#pragma once
// What one scenario of a comparison produced: its identity, the KPIs of each
// replication (index r-1 = replication r, the same random streams in every
// scenario), its compliance findings and its evacuation. Filled by the CLI
// (which runs the engines), read by the comparison, the scorecard and the
// report; no IO here.
#include <optional>
#include <string>
#include <vector>

#include "model/operations.hpp"
#include "sim/check/finding.hpp"
#include "sim/kpi/kpi.hpp"

namespace halltwin::compare {

struct ExitCount {
  std::string id;
  int count = 0;
};

// One evacuation run of the scenario's `evacuation` section.
struct EvacOutcome {
  double time_s = 0.0;        // evacuation time (last person out, or the time cap)
  bool capped = false;        // someone was still inside at the time cap
  int agents = 0, stuck = 0;  // persons simulated, persons left inside at the cap
  double congestion_s = 0.0;  // time with a 2 m cell above the congestion density
  double max_density_ppm2 = 0.0;
  std::vector<ExitCount> exits;
  // Available safe egress time, when the scenario states one; the margin is
  // ASET - RSET (the evacuation time). Absent: "no ASET stated".
  std::optional<double> aset_s;
  std::optional<double> margin_s() const {
    return aset_s ? std::optional<double>(*aset_s - time_s) : std::nullopt;
  }
};

struct ScenarioOutcome {
  std::string name, file, level;
  std::string hall_id;  // what identifies the building: name + level (different halls are said so)
  std::vector<kpi::KpiValues> replications;
  Targets targets;
  std::optional<std::vector<check::Finding>> findings;  // absent when the check failed
  std::string check_error;
  bool has_evacuation = false;      // the scenario has an `evacuation` section
  bool evacuation_skipped = false;  // ... but the caller chose not to run it (--no-evac)
  std::optional<EvacOutcome> evacuation;
  std::string evacuation_error;
  std::string run_error;  // the operations run failed: reported, KPIs empty
  bool ran() const { return run_error.empty() && !replications.empty(); }
};

}  // namespace halltwin::compare
