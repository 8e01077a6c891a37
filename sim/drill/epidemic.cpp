#include "sim/drill/epidemic.hpp"

#include <fmt/format.h>

#include <memory>

#include "model/input_error.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/replications.hpp"

namespace halltwin::drill {

std::vector<std::size_t> usable_seats(const Hall& hall, double spacing_m) {
  std::vector<std::size_t> out;
  for (std::size_t s = 0; s < hall.seats.size(); ++s) {
    bool free = true;
    for (std::size_t u : out)
      if (hall.seats[u].floor == hall.seats[s].floor &&
          distance(hall.seats[u].position, hall.seats[s].position) < spacing_m - 1e-9) {
        free = false;
        break;
      }
    if (free) out.push_back(s);
  }
  return out;
}

void epidemic_drill(const Hall& hall, const EmergencyPlan& plan, const DayOptions& o, DrillResult& out,
                    const DrillTrace* trace) {
  const ops::OpsModel base_model(hall);
  const auto days = ops::open_days(base_model, o.date, 1);
  if (days.empty() || days[0] != 0)
    throw InputError(InputProblem{"", 0, 0, "--date",
                                  fmt::format("{} is not an open day of the hall; an epidemic drill needs one", o.date)});
  // The hall under the measures: only the usable seats (the walking model
  // seats citizens on them and lets the rest stand).
  Hall spaced = hall;
  const auto keep = usable_seats(hall, plan.seat_spacing_m);
  spaced.seats.clear();
  for (std::size_t s : keep) spaced.seats.push_back(hall.seats[s]);
  const ops::OpsModel measures_model(spaced);

  ops::ReplicationPlan rp;
  rp.base.seed = o.seed;
  rp.base.days = 1;
  rp.base.start_date = o.date;
  rp.replications = o.replications;
  rp.threads = o.threads;
  const auto without = ops::run_replications(base_model, rp);
  rp.base.admission = ops::Admission{plan.occupancy_cap, plan.appointment_only};
  const auto writer = trace_day(trace, o.date, rp);
  const auto with = ops::run_replications(measures_model, rp);
  if (writer) writer->flush();

  using kpi::Kpi;
  auto column = [](const std::vector<ops::RunResult>& runs, Kpi k) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.kpis.values[static_cast<std::size_t>(k)]);
    return v;
  };
  auto add = [&](const std::string& key, const std::vector<double>& v) {
    const auto e = kpi::estimate(v, 0.0);
    out.kpis.push_back({key, e.mean, e.ci95_low, e.ci95_high});
    return e.mean;
  };
  std::vector<double> turned;
  for (const auto& r : with) turned.push_back(static_cast<double>(r.turned_away));
  out.kpis.push_back({"seats", static_cast<double>(hall.seats.size()), {}, {}});
  out.kpis.push_back({"usable_seats", static_cast<double>(keep.size()), {}, {}});
  out.kpis.push_back({"occupancy_cap", static_cast<double>(plan.occupancy_cap), {}, {}});
  const double peak = add("peak_occupancy", column(with, Kpi::max_in_hall));
  const double peak0 = add("peak_occupancy_no_measures", column(without, Kpi::max_in_hall));
  const double away = add("turned_away", turned);
  const double p90 = add("wait_p90_s", column(with, Kpi::wait_p90_s));
  const double p900 = add("wait_p90_no_measures_s", column(without, Kpi::wait_p90_s));
  const double served = add("served", column(with, Kpi::served));
  const double served0 = add("served_no_measures", column(without, Kpi::served));
  const double standing = add("max_waiting_standing", column(with, Kpi::max_waiting_standing));
  // Ventilation at the peak: citizens inside plus one staff member per window
  // (an upper bound on the staff on duty at once).
  const double persons = peak + static_cast<double>(hall.windows.size());
  const double air = hall.fresh_air_m3h ? *hall.fresh_air_m3h / std::max(1.0, persons) : 0.0;
  out.kpis.push_back({"fresh_air_m3h", hall.fresh_air_m3h.value_or(0.0), {}, {}});
  out.kpis.push_back({"fresh_air_per_person_m3h", air, {}, {}});
  out.kpis.push_back({"fresh_air_reference_m3h", kFreshAirPerPerson_m3h, {}, {}});

  out.lines.push_back(fmt::format(
      "measures on {}: {}{}seats usable at {:g} m: {} of {}", o.date,
      plan.occupancy_cap > 0 ? fmt::format("at most {} citizens inside, ", plan.occupancy_cap) : std::string(),
      plan.appointment_only ? "appointment holders only, " : "", plan.seat_spacing_m, keep.size(), hall.seats.size()));
  out.lines.push_back(fmt::format("compared with the same day and seed without the measures (common random "
                                  "numbers), {} replication(s)",
                                  o.replications));
  out.lines.push_back(fmt::format("{:<34} {:>12} {:>12}", "", "MEASURES", "NONE"));
  auto row = [&](const char* what, double a, double b, const char* unit) {
    out.lines.push_back(fmt::format("{:<34} {:>10.1f} {:<2}{:>9.1f} {}", what, a, unit, b, unit));
  };
  row("citizens inside at the peak", peak, peak0, "");
  row("wait p90", p90 / 60, p900 / 60, "min");
  row("served in the day", served, served0, "");
  out.lines.push_back(fmt::format("{:<34} {:>10.1f}", "walk-ins turned away at the door", away));
  out.lines.push_back(fmt::format("{:<34} {:>10.1f}", "most waiting standing", standing));
  out.lines.push_back(
      hall.fresh_air_m3h
          ? fmt::format("fresh air {:.0f} m3/h for {:.0f} persons at the peak ({} staff counted): {:.1f} m3/(h person), "
                        "reference {:g}",
                        *hall.fresh_air_m3h, persons, hall.windows.size(), air, kFreshAirPerPerson_m3h)
          : std::string("the scenario states no fresh-air supply (hall.fresh_air_m3h): counted as 0"));
  for (const auto& p : plan.promises) {
    switch (p.kind) {
      case PromiseKind::wait_p90:
        out.promises.push_back(judge(p, p90 / 60, "the day's p90 wait under the measures"));
        break;
      case PromiseKind::turned_away:
        out.promises.push_back(judge(p, away, "walk-ins refused at the door in the day"));
        break;
      case PromiseKind::peak_occupancy:
        out.promises.push_back(judge(p, peak, "citizens inside at the busiest moment"));
        break;
      case PromiseKind::fresh_air_per_person:
        out.promises.push_back(judge(p, air, "fresh-air supply / (citizens at the peak + one staff per window)"));
        break;
      default:
        break;
    }
  }
}

}  // namespace halltwin::drill
