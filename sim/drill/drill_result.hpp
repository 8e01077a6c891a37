#pragma once
// What a drill reports (docs/drill.md): each promise of the plan against
// what the simulation shows, with a verdict, and the drill's KPIs. Every
// kind of emergency (one file each in sim/drill/) fills one of these.
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "model/emergencies.hpp"

namespace halltwin::drill {

struct PromiseOutcome {
  std::string promise;  // as the plan writes it ("everyone out")
  double limit = 0.0;   // the promised bound, in `unit`
  double measured = 0.0;  // in `unit`; +inf when it never happens (queue never recovers, no AED)
  std::string unit;
  bool kept = false;
  bool at_least = false;  // the promise is a lower bound (measured >= limit)
  std::string note;  // how it was measured, for the reader
};

// A KPI of the drill: a number with its unit (JSON: "kpis": {key: value}).
struct DrillKpi {
  std::string key;  // snake_case with its unit ("wait_p90_during_outage_s")
  double value = 0.0;
  std::optional<double> ci95_low, ci95_high;
};

struct DrillResult {
  std::string emergency, kind;
  std::vector<PromiseOutcome> promises;
  std::vector<DrillKpi> kpis;
  std::vector<std::string> lines;  // the readable account, one line each
  bool all_kept() const {
    for (const auto& p : promises)
      if (!p.kept) return false;
    return true;
  }
};

// A promise's verdict: kept when measured <= limit (>= for an at-least
// promise) and finite.
PromiseOutcome judge(const EmergencyPromise& p, double measured, std::string note = {});

}  // namespace halltwin::drill
