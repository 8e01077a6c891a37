#include "sim/drill/evacuation_drill.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "model/trace/trace_merge.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/evac/building.hpp"
#include "sim/kpi/kpi.hpp"

namespace halltwin::drill {

void evacuation_drill(const Hall& hall, const Rulebook& book, const EmergencyPlan& plan, const DayOptions& o,
                      double speed_factor, DrillResult& out, const DrillTrace* trace) {
  // The plan's closures: the section's entries it names (the loader checked them).
  Hall h = hall;
  if (!plan.all_closures) {
    std::erase_if(h.evacuation.blocked, [&](const EvacBlocked& b) {
      return std::find(plan.blocked.begin(), plan.blocked.end(), b.door) == plan.blocked.end();
    });
    std::erase_if(h.evacuation.hazards, [&](const EvacHazard& z) {
      return std::find(plan.hazards.begin(), plan.hazards.end(), z.zone) == plan.hazards.end();
    });
  }
  evac::BuildingOptions bo;
  bo.seed = o.seed;
  bo.evac.speed_factor = speed_factor;
  const std::optional<double> at = o.at_s ? o.at_s : plan.at_s;
  if (at) {
    bo.start_date = o.date;
    bo.at_s = *at;  // day 0 of the operations run: seconds since 00:00 of the date
    bo.at_label = o.at_s ? o.at_label : fmt::format("{:02}:{:02}", static_cast<int>(*at) / 3600,
                                                    static_cast<int>(*at) % 3600 / 60);
  }
  const evac::BuildingEvacuation bld(h, book, bo);
  evac::EvacPlan ep;
  ep.base.seed = o.seed;
  ep.replications = o.replications;
  ep.threads = o.threads;
  // --trace: replication 1, each floor written on its own (floors run in
  // parallel) and merged by time afterwards, as `halltwin evac --trace` does.
  const bool tracing = trace && trace->out;
  std::vector<std::ostringstream> texts(tracing ? bld.models().size() : 0);
  std::vector<std::unique_ptr<TraceWriter>> writers;
  if (tracing) {
    const TraceHeader th = trace->header_for(bld.placed ? bld.at_date : hall.start_date, evac::kSampleInterval_s);
    for (auto& t : texts) writers.push_back(std::make_unique<TraceWriter>(t, th, "--trace"));
  }
  const evac::BuildingRuns runs = evac::run_building(bld, ep, [&](std::size_t i, evac::EvacPlan& p) {
    if (!tracing) return;
    p.trace_for = [&writers, i](int r) { return r == 1 ? writers[i].get() : nullptr; };
    p.after_run = [&writers, i](int r) {
      if (r == 1) writers[i]->flush();
    };
  });
  if (tracing) {
    std::vector<std::string> floors;
    for (const auto& t : texts) floors.push_back(t.str());
    *trace->out << (floors.size() == 1 ? floors[0] : merge_traces(floors));
  }

  std::vector<double> times;
  for (int r = 1; r <= o.replications; ++r) times.push_back(runs.evacuation_time_s(r));
  const auto est = kpi::estimate(times, 0.0);
  const double rset_s = est.ci95_high ? *est.ci95_high : est.mean;
  int stuck = 0, caught = 0;
  double density = 0;
  for (const auto& floor : runs.floors)
    for (const auto& r : floor) {
      stuck = std::max(stuck, static_cast<int>(r.stuck.size()));
      caught = std::max(caught, r.caught_in_hazard);
      density = std::max(density, r.max_density_ppm2);
    }
  out.kpis.push_back({"persons", static_cast<double>(bld.population), {}, {}});
  out.kpis.push_back({"evacuation_time_s", est.mean, est.ci95_low, est.ci95_high});
  out.kpis.push_back({"rset_s", rset_s, {}, {}});
  if (h.evacuation.aset_s) out.kpis.push_back({"aset_s", *h.evacuation.aset_s, {}, {}});
  out.kpis.push_back({"hand_calculation_s", bld.hand_estimate_s(), {}, {}});
  out.kpis.push_back({"stuck", static_cast<double>(stuck), {}, {}});
  out.kpis.push_back({"caught_in_hazard", static_cast<double>(caught), {}, {}});
  out.kpis.push_back({"max_density_ppm2", density, {}, {}});
  out.kpis.push_back({"walking_speed_factor", speed_factor, {}, {}});

  std::string closures;
  for (const auto& b : h.evacuation.blocked) closures += fmt::format("{}door {} blocked at {:g} s", closures.empty() ? "" : ", ", b.door, b.at_s);
  for (const auto& z : h.evacuation.hazards) closures += fmt::format("{}zone {} a hazard from {:g} s", closures.empty() ? "" : ", ", z.zone, z.from_s);
  out.lines.push_back(bld.placed ? fmt::format("evacuation from the simulated day at {} ({}): {} persons", bo.at_label,
                                               bld.at_date, bld.population)
                                 : fmt::format("evacuation of the evacuation section's population: {} persons",
                                               bld.population));
  out.lines.push_back("closures from the evacuation section: " + (closures.empty() ? std::string("none") : closures));
  if (speed_factor != 1.0)
    out.lines.push_back(fmt::format("walking speeds x {:g} (emergency lighting)", speed_factor));
  out.lines.push_back(fmt::format("evacuation time {:.1f} s{}, RSET {:.1f} s ({}); hand calculation {:.0f} s{}", est.mean,
                                  est.ci95_low ? fmt::format(" (95% CI {:.1f} .. {:.1f})", *est.ci95_low, *est.ci95_high)
                                               : std::string(),
                                  rset_s, est.ci95_high ? "upper 95% bound" : "one replication", bld.hand_estimate_s(),
                                  stuck ? fmt::format("; {} person(s) STUCK at the time cap", stuck) : std::string()));
  for (const auto& p : plan.promises) {
    if (p.kind == PromiseKind::everyone_out)
      out.promises.push_back(judge(p, stuck ? HUGE_VAL : rset_s / 60.0,
                                   "RSET: the evacuation time's upper 95% bound (the mean with one replication)"));
    else if (p.kind == PromiseKind::out_before_aset && h.evacuation.aset_s)
      out.promises.push_back(judge(p, stuck ? HUGE_VAL : rset_s - *h.evacuation.aset_s,
                                   fmt::format("RSET - ASET ({:g} s): kept at 0 or below", *h.evacuation.aset_s)));
  }
}

}  // namespace halltwin::drill
