#include "tools/connect/what_if.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "model/trace/trace_header.hpp"

namespace halltwin::connect {

WhatIfCollector::WhatIfCollector(const Hall& hall, std::set<std::string> days, bool infer)
    : hall_(hall), days_(std::move(days)), infer_(infer) {
  for (std::uint32_t m = 0; m < hall.matters.size(); ++m) matter_of_[hall.matters[m].id] = m;
  for (std::uint32_t w = 0; w < hall.windows.size(); ++w) window_of_[hall.windows[w].id] = w;
}

void WhatIfCollector::day(const Catalog& c, int date_day, std::span<const Visit> visits) {
  if (start_date.empty()) start_date = c.start_date;
  if (!days_.empty() && !days_.count(date_of_day(c.start_date, date_day))) return;
  last_day_ = std::max(last_day_, date_day);
  first_day_ = first_day_ < 0 ? date_day : std::min(first_day_, date_day);
  // The matters each server served on this date (the export's skills of the day).
  std::map<std::uint32_t, std::uint64_t> served_matters;
  for (const Visit& v : visits) {
    if (v.outcome != Outcome::served || v.window == kNoId || v.matter == kNoId) continue;
    auto m = matter_of_.find(c.matters.text(v.matter));
    if (m != matter_of_.end() && m->second < 64) served_matters[v.window] |= std::uint64_t{1} << m->second;
  }
  // Logged pickups (Presence::pickups): (window of the catalog, start, visit index).
  struct Pickup {
    std::uint32_t window;
    double start;
    std::uint32_t visit;
  };
  std::vector<Pickup> pickups;
  for (const Visit& v : visits) {
    if (v.pickup || (v.outcome != Outcome::served && v.outcome != Outcome::abandoned)) continue;
    const double ticket = happened(v.ticket) ? v.ticket : v.called;  // never queued: waited 0
    if (!happened(ticket)) continue;
    auto m = v.matter == kNoId ? matter_of_.end() : matter_of_.find(c.matters.text(v.matter));
    if (m == matter_of_.end()) {
      ++skipped["matter_not_in_scenario"];
      continue;
    }
    ops::ExternalVisit x;
    x.ticket_s = ticket;
    x.matter = m->second;
    x.priority = v.priority > 0;
    double observed = std::nan("");
    if (v.outcome == Outcome::served) {
      x.service_s = happened(v.start) && happened(v.end) ? v.end - v.start : -1.0;
      observed = happened(v.called) ? v.called - ticket : 0.0;
    } else {
      // Abandoned: the citizen gave up after the wait observed.
      x.patience_s = happened(v.called) ? std::max(0.0, v.called - ticket) : 0.0;
    }
    if (presence == Presence::pickups && v.outcome == Outcome::served && v.window != kNoId && happened(v.start))
      pickups.push_back({v.window, v.start, static_cast<std::uint32_t>(visits_.size())});
    visits_.push_back(x);
    observed_.push_back(observed);
  }
  if (infer_ && presence == Presence::pickups) {
    // Each logged service start is a moment the server was ready, for
    // pickup_window_s at most: up to its next logged start, so that one
    // person's intervals never overlap. The log sometimes has a server start
    // a service while still serving another (two at once; 106 times in the
    // bank log): the later one goes to a second person at the window (lane 1,
    // and so on), so that every call is still taken at its logged moment
    // rather than delaying it and everything the server did after it.
    std::stable_sort(pickups.begin(), pickups.end(), [](const Pickup& a, const Pickup& b) {
      return a.window != b.window ? a.window < b.window : a.start < b.start;
    });
    std::vector<double> lane_busy_until;  // of the current window
    std::vector<std::uint32_t> lane(pickups.size(), 0);
    for (std::size_t i = 0; i < pickups.size(); ++i) {
      if (i == 0 || pickups[i - 1].window != pickups[i].window) lane_busy_until.clear();
      std::uint32_t l = 0;
      while (l < lane_busy_until.size() && pickups[i].start < lane_busy_until[l]) ++l;
      if (l == lane_busy_until.size()) lane_busy_until.push_back(0.0);
      lane_busy_until[l] = pickups[i].start + std::max(0.0, visits_[pickups[i].visit].service_s);
      lane[i] = l;
      if (l > 0) ++skipped["pickup_overlapping_a_service_of_its_server"];  // counted, taken by lane l
    }
    for (std::size_t i = 0; i < pickups.size(); ++i) {
      const Pickup& k = pickups[i];
      double end = k.start + pickup_window_s;
      for (std::size_t j = i + 1; j < pickups.size() && pickups[j].window == k.window; ++j)
        if (lane[j] == lane[i]) {
          end = std::min(end, pickups[j].start);
          break;
        }
      if (end <= k.start) end = k.start + 1e-3;  // cannot happen within a lane; kept positive
      auto w = window_of_.find(c.windows.text(k.window));
      if (w == window_of_.end()) {
        ++skipped["presence_of_window_not_in_scenario"];
        continue;
      }
      ops::PresenceInterval piece{w->second, k.start, end};
      piece.visit = k.visit;
      presence_.push_back(piece);
      auto sm = served_matters.find(k.window);
      presence_skills_.push_back(sm == served_matters.end() ? 0 : sm->second);
      presence_lane_.resize(presence_.size(), 0);
      presence_lane_.back() = lane[i];
    }
  } else if (infer_) {
    pieces_.clear();
    if (presence == Presence::available)
      infer_availability(visits, presence_gap_s, kAvailabilityGrace_s, pieces_);
    else
      infer_presence(visits, presence_gap_s, pieces_);
    for (const PresencePiece& p : pieces_) {
      auto w = window_of_.find(c.windows.text(p.window));
      if (w == window_of_.end()) {
        ++skipped["presence_of_window_not_in_scenario"];
        continue;
      }
      presence_.push_back({w->second, p.start, p.end});
      auto sm = served_matters.find(p.window);
      presence_skills_.push_back(sm == served_matters.end() ? 0 : sm->second);
    }
  }
}

void WhatIfCollector::shift(const std::string& window, double start_s, double end_s) {
  auto w = window_of_.find(window);
  if (w == window_of_.end()) {
    ++skipped["presence_of_window_not_in_scenario"];
    return;
  }
  presence_.push_back({w->second, start_s, end_s});
  presence_skills_.push_back(0);
}

void WhatIfCollector::finish(const Catalog& c) {
  for (std::uint32_t i = 0; i < c.windows.size(); ++i)
    if (auto w = window_of_.find(c.windows.text(i)); w != window_of_.end()) known_windows_.push_back(w->second);
  // Sorted by ticket time (stable: the log's order for equal times), the
  // observed waits in the same order.
  std::vector<std::size_t> order(visits_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return visits_[a].ticket_s < visits_[b].ticket_s; });
  std::vector<ops::ExternalVisit> v;
  std::vector<double> o;
  for (std::size_t i : order) v.push_back(visits_[i]), o.push_back(observed_[i]);
  visits_ = std::move(v);
  observed_ = std::move(o);
  // Logged pickups name their visit by index: follow the sort.
  std::vector<std::uint32_t> moved_to(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) moved_to[order[i]] = static_cast<std::uint32_t>(i);
  for (auto& p : presence_)
    if (p.visit != ops::kNone) p.visit = moved_to[p.visit];
}

ops::ExternalInput WhatIfCollector::input() const {
  ops::ExternalInput in;
  in.visits = visits_;
  in.presence = presence_;
  in.observed_windows = known_windows_;
  const double offset = first_day() * kSecondsPerDay;
  for (auto& v : in.visits) v.ticket_s -= offset;
  for (auto& p : in.presence) p.start_s -= offset, p.end_s -= offset;
  return in;
}

Hall WhatIfCollector::replay_hall(bool logged_skills, ops::ExternalInput& in) const {
  Hall h = hall_;
  auto& staff = h.operations.roster.staff;
  const std::size_t nw = h.windows.size();
  const bool can_add = !h.operations.roster.shifts.empty();  // a member needs a shift (shift 0, no days)
  auto add_member = [&](std::uint32_t w, std::string suffix, std::vector<MatterId> skills) {
    StaffMember m;
    m.id = "S-" + h.windows[w].id + "-" + suffix;
    m.window = WindowId{w};
    m.shift = 0;  // no days: only the observed presence puts them to work
    m.skills = std::move(skills);
    staff.push_back(std::move(m));
    return static_cast<std::uint32_t>(staff.size() - 1);
  };
  std::vector<char> staffed(nw, 0);
  for (const auto& m : staff) staffed[m.window.value] = 1;
  // (window, skills, lane): lane > 0 is a second person for the log's overlapping services.
  std::map<std::tuple<std::uint32_t, std::uint64_t, std::uint32_t>, std::uint32_t> member_of;
  const auto first_at = [&](std::uint32_t w) {
    for (std::uint32_t s = 0; s < staff.size(); ++s)
      if (staff[s].window.value == w) return s;
    return static_cast<std::uint32_t>(staff.size());
  };
  for (std::size_t i = 0; i < in.presence.size(); ++i) {
    ops::PresenceInterval& p = in.presence[i];
    const std::uint64_t mask = i < presence_skills_.size() ? presence_skills_[i] : 0;
    const std::uint32_t lane = i < presence_lane_.size() ? presence_lane_[i] : 0;
    if (logged_skills && mask != 0 && can_add) {
      auto [it, fresh] = member_of.emplace(std::make_tuple(p.window, mask, lane), 0u);
      if (fresh) {
        std::vector<MatterId> skills;
        std::string ids;
        for (std::uint32_t m = 0; m < h.matters.size() && m < 64; ++m)
          if (mask >> m & 1) {
            skills.push_back(MatterId{m});
            ids += (ids.empty() ? "" : "+") + h.matters[m].id;
          }
        it->second = add_member(p.window, "log-" + ids + (lane > 0 ? "-" + std::to_string(lane + 1) : ""),
                                std::move(skills));
      }
      p.staff = it->second;
    } else {
      if (!staffed[p.window] && can_add) {
        staffed[p.window] = 1;
        add_member(p.window, "observed", {});
      }
      if (lane > 0 && can_add) {
        // The person who works lane 0 (the window's first member), once more.
        auto [it, fresh] = member_of.emplace(std::make_tuple(p.window, std::uint64_t{0}, lane), 0u);
        if (fresh) {
          const std::uint32_t first = first_at(p.window);
          if (first < staff.size()) {
            StaffMember twin = staff[first];
            twin.id += "-" + std::to_string(lane + 1);
            staff.push_back(std::move(twin));
            it->second = static_cast<std::uint32_t>(staff.size() - 1);
          } else {
            it->second = ops::kNone;
          }
        }
        p.staff = it->second;
      }
    }
  }
  // Sorted by start (stable: the log's order for equal starts).
  std::stable_sort(in.presence.begin(), in.presence.end(),
                   [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  return h;
}

}  // namespace halltwin::connect
