#include "sim/evac/stairs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "model/input_error.hpp"

namespace halltwin::evac {

int StairPlan::leg_of(const std::string& door) const {
  for (std::size_t i = 0; i < legs.size(); ++i)
    if (legs[i].upper_door == door) return static_cast<int>(i);
  return -1;
}

StairPlan plan_stairs(const Hall& hall) {
  StairPlan plan;
  for (std::size_t s = 0; s < hall.stairs.size(); ++s) {
    const Stair& st = hall.stairs[s];
    const bool from_lower = hall.floor(st.from_floor).storey < hall.floor(st.to_floor).storey;
    const Door& up = hall.doors[(from_lower ? st.to_door : st.from_door).value];
    const Door& low = hall.doors[(from_lower ? st.from_door : st.to_door).value];
    if (!up.is_safety_exit() || !low.is_safety_exit() || !st.is_protected)
      throw InputError(InputProblem{
          hall.source_file, st.loc.line, st.loc.column, "stairs[" + st.id + "]",
          fmt::format("stair {} is not a protected stair between two safety exits ({} and {}): an evacuation "
                      "down a stair that lands inside the lower floor is not modelled yet; evacuate one "
                      "floor with --floor",
                      st.id, up.id, low.id)});
    StairPlan::Leg leg;
    leg.stair = s;
    leg.upper_door = up.id;
    leg.lower_door = low.id;
    leg.lower_floor = low.floor;
    leg.width_m = st.width_m;
    leg.length_m = st.length_m;
    plan.legs.push_back(leg);
  }
  plan.next.assign(plan.legs.size(), -1);
  for (std::size_t i = 0; i < plan.legs.size(); ++i) plan.next[i] = plan.leg_of(plan.legs[i].lower_door);
  return plan;
}

BuildingResult descend_stairs(const Hall& hall, const StairPlan& plan, const std::vector<FloorRun>& floors,
                              double time_cap_s) {
  BuildingResult res;
  res.stairs.resize(plan.legs.size());
  for (std::size_t i = 0; i < plan.legs.size(); ++i) res.stairs[i].id = hall.stairs[plan.legs[i].stair].id;
  // A walker on the stairs: arrival at a leg's top, its level speed, and a stable order key.
  struct Walker {
    double t;
    double speed;
    std::size_t floor, person;
  };
  std::vector<std::vector<Walker>> waiting(plan.legs.size());
  std::vector<double> out_times;                       // everyone out of the building
  std::vector<std::pair<double, double>> stair_spans;  // (enter top, out at the foot) per walker and leg
  bool stuck = false;
  for (std::size_t f = 0; f < floors.size(); ++f) {
    const EvacResult& r = *floors[f].result;
    res.agents += r.agents;
    stuck = stuck || !r.stuck.empty();
    for (std::size_t p = 0; p < r.persons.size(); ++p) {
      const PersonRecord& pr = r.persons[p];
      if (pr.exit_s < 0) continue;
      const int leg = plan.leg_of(pr.exit);
      if (leg < 0) {
        // Out through an exit of the floor (a stair door at a stair's foot leads into the
        // enclosure, which discharges outside).
        out_times.push_back(pr.exit_s);
        continue;
      }
      waiting[static_cast<std::size_t>(leg)].push_back({pr.exit_s, pr.speed_mps, f, p});
    }
  }
  // Legs top-down: a leg feeds only legs below it, so sorting by the storey of
  // the upper door processes every arrival before its queue is served.
  std::vector<std::size_t> order(plan.legs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto storey_of = [&](std::size_t leg) {
    for (const auto& d : hall.doors)
      if (d.id == plan.legs[leg].upper_door) return hall.floor(d.floor).storey;
    return 0;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return storey_of(a) > storey_of(b); });
  for (std::size_t leg : order) {
    auto& q = waiting[leg];
    std::sort(q.begin(), q.end(), [](const Walker& a, const Walker& b) {
      return std::tie(a.t, a.floor, a.person) < std::tie(b.t, b.floor, b.person);
    });
    const StairPlan::Leg& L = plan.legs[leg];
    const double headway_s = 1.0 / (kStairFlowDown_ppms * L.width_m);
    double last_enter = -1e300;
    StairTally& tally = res.stairs[leg];
    for (const Walker& w : q) {
      const double enter = std::max(w.t, last_enter + headway_s);
      last_enter = enter;
      const double speed = std::max(0.1, w.speed * kStairSpeedFactor);
      const double foot = enter + L.length_m / speed;
      tally.max_wait_s = std::max(tally.max_wait_s, enter - w.t);
      ++tally.count;
      if (tally.first_out_s < 0) tally.first_out_s = foot;
      tally.last_out_s = std::max(tally.last_out_s, foot);
      stair_spans.push_back({w.t, foot});
      const int next = plan.next[leg];
      // Whoever reaches the foot after the cap is still inside when the run ends.
      if (next >= 0)
        waiting[static_cast<std::size_t>(next)].push_back({foot, w.speed, w.floor, w.person});
      else
        out_times.push_back(foot);
    }
  }
  std::sort(out_times.begin(), out_times.end());
  res.out = 0;
  for (double t : out_times)
    if (t <= time_cap_s + 1e-9) ++res.out;
  res.capped = stuck || res.out < res.agents;
  res.evacuation_time_s = res.capped ? time_cap_s : (out_times.empty() ? 0.0 : out_times.back());
  // Curves every kSampleInterval_s up to the end.
  const double end = res.evacuation_time_s;
  std::vector<double> starts, ends;
  for (const auto& [a, b] : stair_spans) starts.push_back(a), ends.push_back(b);
  std::sort(starts.begin(), starts.end());
  std::sort(ends.begin(), ends.end());
  for (int k = 0; k * kSampleInterval_s <= end + 1e-9; ++k) {
    const double t = k * kSampleInterval_s;
    const auto n_out = std::upper_bound(out_times.begin(), out_times.end(), t + 1e-9) - out_times.begin();
    const auto in = (std::upper_bound(starts.begin(), starts.end(), t + 1e-9) - starts.begin()) -
                    (std::upper_bound(ends.begin(), ends.end(), t + 1e-9) - ends.begin());
    res.out_curve.push_back({t, static_cast<int>(n_out)});
    res.in_stairs_curve.push_back({t, static_cast<int>(in)});
  }
  return res;
}

}  // namespace halltwin::evac
